// The controller manager holds the most powerful credentials in the cluster.

import { componentArgs, flagFalse, flagTrue } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "controller-manager-secure-args",
  title: "The controller manager uses per-controller credentials and keeps profiling off",
  rationale:
    "Without per-controller service account credentials every controller acts with the controller manager's own broad rights, so RBAC cannot limit any of them. The profiling endpoint exposes internals for no production benefit.",
  remediation: "Remove `use-service-account-credentials: false` and `profiling: true` from the controller manager's extraArgs.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "kubernetes", "cis"],
  references: [REF.cis("1.3.2", "controller manager --profiling is false"), REF.cis("1.3.3", "--use-service-account-credentials is true")],
  roles: ["controlplane"],
  waivable: true,
  messages: {
    profiling: "the controller manager exposes the profiling endpoint ({setting})",
    "shared-credentials": "every controller shares the controller manager's credentials ({setting})",
  },
  examples: {
    good: [{ title: "a tuning flag", patch: "cluster:\n  controllerManager:\n    extraArgs:\n      node-monitor-grace-period: 20s\n" }],
    bad: [{ title: "profiling on (1.14 document)", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeControllerManagerConfig\nextraArgs:\n  profiling: \"true\"\n" }],
  },
  check(ctx) {
    for (const arg of componentArgs(ctx, "controllerManager")) {
      const setting = `${arg.name}=${arg.values.join(",")}`;
      if (arg.name === "profiling" && arg.values.some(flagTrue)) ctx.report({ doc: arg.doc, path: arg.path, messageId: "profiling", data: { setting } });
      if (arg.name === "use-service-account-credentials" && arg.values.some(flagFalse)) ctx.report({ doc: arg.doc, path: arg.path, messageId: "shared-credentials", data: { setting } });
    }
  },
} satisfies Rule;
