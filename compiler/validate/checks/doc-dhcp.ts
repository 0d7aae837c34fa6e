// DHCPv4Config and DHCPv6Config send a raw DUID exactly when the client
// identifier is "duid".

import type { Check } from "../types.ts";
import { goLower } from "../../talos/enums.ts";
import { str } from "../../value.ts";

/** duidRaw is set exactly when clientIdentifier is duid. */
export const docDHCP: Check = {
  id: "doc-dhcp",
  summary: "a DHCPv4Config or DHCPv6Config sets duidRaw exactly when clientIdentifier is duid",
  run(ctx, report) {
    // two short fields per document: cheaper to compare than to look up a memo
    for (const doc of [...ctx.ofKind("DHCPv4Config"), ...ctx.ofKind("DHCPv6Config")]) {
      const duid = goLower(str(doc.data.clientIdentifier)) === "duid";
      const raw = str(doc.data.duidRaw) !== "";
      if (raw && !duid) report(doc, "duidRaw", "is only used with clientIdentifier: duid; set that, or remove duidRaw");
      if (duid && !raw) report(doc, "duidRaw", "is required with clientIdentifier: duid: the DUID to send, in hex such as 00:01:00:01:2a:2b:2c:2d");
    }
  },
};
