// Talos always keeps its config on disk; `persist: false` is refused.

import type { Check } from "../types.ts";

/** persist is not false. */
export const persist: Check = {
  id: "persist",
  summary: "persist is true or left out",
  run(ctx, report) {
    if (ctx.legacy !== undefined && ctx.legacy.data.persist === false) report(ctx.legacy, "persist", "must be true (or left out): talos always keeps its config");
  },
};
