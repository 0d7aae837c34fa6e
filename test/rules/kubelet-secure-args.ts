// Cases: AlwaysAllow in a list, extraConfig before 1.14, read-only port 0.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "AlwaysAllow among modes", expect: "bad", messageId: "always-allow", role: "worker", patch: "machine:\n  kubelet:\n    extraArgs:\n      authorization-mode: Webhook,AlwaysAllow\n" },
  { title: "anonymous auth in extraConfig", expect: "bad", messageId: "anonymous", patch: "machine:\n  kubelet:\n    extraConfig:\n      authentication:\n        anonymous:\n          enabled: true\n" },
  { title: "1.14 flags", expect: "bad", messageId: "read-only-port", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeletConfig\nextraArgs:\n  read-only-port: \"10255\"\n" },
  { title: "read-only port explicitly closed", expect: "good", patch: "machine:\n  kubelet:\n    extraArgs:\n      read-only-port: \"0\"\n      anonymous-auth: \"false\"\n" },
];
