// Cases: both registries disabled; 1.14 with the discovery document; KubeSpan off.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "every registry disabled", expect: "bad", messageId: "no-discovery", patch: "machine:\n  network:\n    kubespan:\n      enabled: true\ncluster:\n  discovery:\n    registries:\n      service:\n        disabled: true\n" },
  { title: "1.14 KubeSpan with discovery", expect: "good", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeSpanConfig\nenabled: true\n" },
  { title: "KubeSpan off without discovery", expect: "good", patch: "cluster:\n  discovery:\n    enabled: false\n" },
];
