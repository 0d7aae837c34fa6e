// A BondConfig needs its member links and a mode.

import type { Check } from "../types.ts";
import { isSet, list } from "../../value.ts";

/** BondConfig has links and a bond mode. */
export const bondDocument: Check = {
  id: "bond-document",
  summary: "a BondConfig lists at least one link and sets bondMode",
  run(ctx, report) {
    for (const doc of ctx.ofKind("BondConfig")) {
      if (list(doc.data.links).length === 0) report(doc, "links", "needs at least one link: the interfaces to bond, such as [eth0, eth1]");
      if (!isSet(doc.data.bondMode)) report(doc, "bondMode", "is required: such as 802.3ad or active-backup");
    }
  },
};
