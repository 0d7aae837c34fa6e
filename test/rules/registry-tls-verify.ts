// Cases: verification explicitly on; a worker.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "verification explicitly on", expect: "good", patch: "machine:\n  registries:\n    config:\n      registry.example.com:\n        tls:\n          insecureSkipVerify: false\n" },
  { title: "a worker skipping verification", expect: "bad", messageId: "skip", role: "worker", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: RegistryTLSConfig\nname: mirror.internal:5000\ninsecureSkipVerify: true\n" },
];
