// Cases: 1.14 document; a leading-dash flag name.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "1.14 profiling", expect: "bad", messageId: "profiling", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeSchedulerConfig\nextraArgs:\n  profiling: \"1\"\n" },
  { title: "profiling off", expect: "good", patch: "cluster:\n  scheduler:\n    extraArgs:\n      profiling: \"false\"\n" },
];
