// Cases: enforce left out, restricted, the plugin configuration deleted in 1.14.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "restricted", expect: "good", patch: "cluster:\n  apiServer:\n    admissionControl:\n      - name: PodSecurity\n        configuration:\n          defaults:\n            enforce: restricted\n" },
  { title: "1.14: the PodSecurity document deleted", expect: "bad", messageId: "missing", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAdmissionControlConfig\nname: PodSecurity\n$patch: delete\n" },
  { title: "1.14 restricted", expect: "good", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAdmissionControlConfig\nname: PodSecurity\nconfiguration:\n  defaults:\n    enforce: restricted\n" },
  { title: "workers have no API server", expect: "good", role: "worker" },
];
