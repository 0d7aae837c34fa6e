// Cases: an empty rule list; 1.14 all None; a policy with None for some paths only.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "1.14 all None", expect: "bad", messageId: "none", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAuditPolicyConfig\nconfiguration:\n  apiVersion: audit.k8s.io/v1\n  kind: Policy\n  rules:\n    - level: None\n" },
  { title: "None for health checks, Metadata for the rest", expect: "good", patch: "cluster:\n  apiServer:\n    auditPolicy:\n      apiVersion: audit.k8s.io/v1\n      kind: Policy\n      rules:\n        - level: None\n          nonResourceURLs: [\"/healthz\"]\n        - level: Metadata\n" },
  { title: "1.14 generated base", expect: "good", contract: "1.14" },
];
