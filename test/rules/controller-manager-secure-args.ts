// Cases: shared credentials; profiling off explicitly.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "shared credentials", expect: "bad", messageId: "shared-credentials", patch: "cluster:\n  controllerManager:\n    extraArgs:\n      use-service-account-credentials: \"false\"\n" },
  { title: "profiling off", expect: "good", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeControllerManagerConfig\nextraArgs:\n  profiling: \"false\"\n" },
];
