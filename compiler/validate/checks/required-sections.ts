// The v1alpha1 document must carry both of its sections.

import type { Check } from "../types.ts";
import { isSet } from "../../value.ts";

/** machine and cluster are present in the v1alpha1 document. */
export const requiredSections: Check = {
  id: "required-sections",
  summary: "the v1alpha1 document has a machine and a cluster section",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    if (!isSet(legacy.data.machine)) report(legacy, "machine", "is required: the v1alpha1 document needs a machine section (at least machine.type)");
    if (!isSet(legacy.data.cluster)) report(legacy, "cluster", "is required: the v1alpha1 document needs a cluster section");
  },
};
