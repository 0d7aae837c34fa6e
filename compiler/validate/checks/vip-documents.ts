// Layer2VIPConfig and HCloudVIPConfig are named by the shared IP they hold.

import type { Check } from "../types.ts";
import { isAddr } from "../net.ts";
import { quote, str } from "../../value.ts";

/** VIP documents are named by an IP, name their link, and (Hetzner) carry an API token. */
export const vipDocuments: Check = {
  id: "vip-documents",
  summary: "a VIP document's name is the shared IP address, it names its link, and HCloudVIPConfig has an apiToken",
  run(ctx, report) {
    for (const doc of [...ctx.ofKind("Layer2VIPConfig"), ...ctx.ofKind("HCloudVIPConfig")]) {
      const name = str(doc.data.name);
      if (name === "") report(doc, "name", "is required: the shared IP address, such as 192.168.1.100");
      // read with netip.ParseAddr: an IPv6 zone is allowed
      else if (!isAddr(name)) report(doc, "name", `${quote(name)} is not an IP address; a VIP document is named by its shared IP, such as 192.168.1.100`);
      if (str(doc.data.link) === "") report(doc, "link", "is required: the link that holds the VIP, such as eth0");
      if (doc.kind === "HCloudVIPConfig" && str(doc.data.apiToken) === "") report(doc, "apiToken", "is required: a Hetzner Cloud API token");
    }
  },
};
