// Cases: a disabled feature does not grant anything; 1.14 reader role.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "os:admin listed but the feature is off", expect: "good", patch: "machine:\n  features:\n    kubernetesTalosAPIAccess:\n      enabled: false\n      allowedRoles:\n        - os:admin\n" },
  { title: "1.14 reader", expect: "good", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeTalosAPIAccessConfig\nallowedRoles:\n  - os:reader\nallowedKubernetesNamespaces:\n  - monitoring\n" },
  { title: "os:admin on a worker", expect: "bad", messageId: "admin", role: "worker", patch: "machine:\n  features:\n    kubernetesTalosAPIAccess:\n      enabled: true\n      allowedRoles:\n        - os:reader\n        - os:admin\n      allowedKubernetesNamespaces:\n        - ci\n" },
];
