// A HostnameConfig either generates the hostname (auto) or sets it.

import type { Check } from "../types.ts";
import { goLower } from "../../talos/enums.ts";
import { quote, str } from "../../value.ts";

/** HostnameConfig sets exactly one of auto and hostname, validly. */
export const hostnameDocument: Check = {
  id: "hostname-document",
  summary: "a HostnameConfig sets auto (stable or off) or a hostname of at most 63 characters per label",
  run(ctx, report) {
    for (const doc of ctx.ofKind("HostnameConfig")) {
      const hostname = str(doc.data.hostname);
      const autoSet = doc.data.auto !== undefined && doc.data.auto !== null;
      // Talos reads the kind in any letter case
      const auto = autoSet ? goLower(str(doc.data.auto)) : undefined;
      if (!autoSet && hostname === "") report(doc, "", "needs auto or hostname: set auto: stable, or a hostname");
      if (autoSet && auto !== "off" && hostname !== "") report(doc, "hostname", "cannot be set together with auto; remove auto (or set auto: off)");
      if (autoSet && auto !== "off" && auto !== "stable") report(doc, "auto", `${quote(doc.data.auto)} is not valid; expected stable or off`);
      if (hostname !== "") {
        const label = hostname.split(".")[0];
        if (hostname.length > 253) report(doc, "hostname", `is ${hostname.length} characters long; a hostname has at most 253`);
        else if (label.length === 0 || label.length > 63) report(doc, "hostname", `${quote(hostname)} is not valid; its first label must be 1 to 63 characters`);
      }
    }
  },
};
