// The scheduler needs no profiling endpoint in production.

import { componentArgs, flagTrue } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "scheduler-secure-args",
  title: "The scheduler keeps profiling off",
  rationale: "The scheduler's profiling endpoint exposes detailed internals and can be used to load the process; production clusters do not need it.",
  remediation: "Remove `profiling: true` from the scheduler's extraArgs.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "kubernetes", "cis"],
  references: [REF.cis("1.4.1", "scheduler --profiling is false")],
  roles: ["controlplane"],
  waivable: true,
  messages: { profiling: "the scheduler exposes the profiling endpoint ({setting})" },
  examples: {
    good: [{ title: "no flags", patch: "cluster:\n  scheduler:\n    extraArgs: {}\n" }],
    bad: [{ title: "profiling on", patch: "cluster:\n  scheduler:\n    extraArgs:\n      profiling: \"true\"\n" }],
  },
  check(ctx) {
    for (const arg of componentArgs(ctx, "scheduler")) {
      if (arg.name === "profiling" && arg.values.some(flagTrue)) ctx.report({ doc: arg.doc, path: arg.path, messageId: "profiling", data: { setting: `${arg.name}=${arg.values.join(",")}` } });
    }
  },
} satisfies Rule;
