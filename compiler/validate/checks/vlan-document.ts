// A VLANConfig needs its VLAN ID and the link it rides on.

import type { Check } from "../types.ts";
import { goLower } from "../../talos/enums.ts";
import { num, quote, str } from "../../value.ts";

/** VLANConfig has a VLAN ID from 1 to 4094 and a parent link. */
export const vlanDocument: Check = {
  id: "vlan-document",
  summary: "a VLANConfig has a vlanID from 1 to 4094, a parent link, and mode 802.1q or 802.1ad",
  run(ctx, report) {
    for (const doc of ctx.ofKind("VLANConfig")) {
      const id = num(doc.data.vlanID);
      if (id < 1 || id > 4094) report(doc, "vlanID", `${quote(doc.data.vlanID ?? 0)} is not valid; expected a VLAN ID from 1 to 4094`);
      if (str(doc.data.parent) === "") report(doc, "parent", "is required: the link the VLAN runs on, such as eth0");
      const mode = doc.data.vlanMode;
      // Talos reads the mode in any letter case
      if (mode !== undefined && mode !== null && goLower(str(mode)) !== "802.1q" && goLower(str(mode)) !== "802.1ad") {
        report(doc, "vlanMode", `${quote(mode)} is not valid; expected 802.1q or 802.1ad`);
      }
    }
  },
};
