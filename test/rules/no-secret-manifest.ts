// Cases: a Secret inside a List; several documents; other kinds.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "a Secret in the second document", expect: "bad", messageId: "secret", patch: "cluster:\n  inlineManifests:\n    - name: app\n      contents: |\n        apiVersion: v1\n        kind: Namespace\n        metadata:\n          name: app\n        ---\n        apiVersion: v1\n        kind: Secret\n        metadata:\n          name: app-token\n" },
  { title: "a Secret inside a List", expect: "bad", messageId: "secret", patch: "cluster:\n  inlineManifests:\n    - name: app\n      contents: |\n        apiVersion: v1\n        kind: List\n        items:\n          - apiVersion: v1\n            kind: Secret\n            metadata:\n              name: nested\n" },
  { title: "a SealedSecret is safe to commit", expect: "good", patch: "cluster:\n  inlineManifests:\n    - name: app\n      contents: |\n        apiVersion: bitnami.com/v1alpha1\n        kind: SealedSecret\n        metadata:\n          name: app\n" },
];
