// What every link document (LinkConfig, BondConfig, BridgeConfig, …) shares:
// a name, and addresses and routes that are real, specified IPs.

import type { Check, Doc, Report } from "../types.ts";
import { isAddr, isCIDR, isUnspecified } from "../net.ts";
import { child, list, mapping, quote, str, type Mapping } from "../../value.ts";
import { LINK_KINDS } from "./unique-documents.ts";

const under = (base: string, k: string): string => (base === "" ? k : `${base}.${k}`);

// This runs on every node and nearly every address is valid: a problem's path is spelled out only for a report.
function common(doc: Doc, base: string, link: Mapping, report: Report): void {
  list(link.addresses).forEach((a, i) => {
    const address = str(mapping(a)?.address);
    const problem =
      address === ""
        ? "is required: an address with its prefix length, such as 192.168.1.10/24"
        : !isCIDR(address)
          ? `${quote(address)} is not valid; expected an address with its prefix length, such as 192.168.1.10/24`
          : isUnspecified(address.split("/")[0])
            ? `${quote(address)} is the unspecified address; expected a real address such as 192.168.1.10/24`
            : undefined;
    if (problem !== undefined) report(doc, `${child(under(base, "addresses"), i)}.address`, problem);
  });
  list(link.routes).forEach((r, i) => {
    const route = mapping(r) ?? {};
    const destination = str(route.destination);
    if (destination !== "" && (!isCIDR(destination) || isUnspecified(destination.split("/")[0]))) {
      report(doc, `${child(under(base, "routes"), i)}.destination`, `${quote(destination)} is not valid; expected a prefix such as 10.0.0.0/8 (leave it out for a default route)`);
    }
    // addresses are read with netip.ParsePrefix (no zone), route gateways and sources with netip.ParseAddr (a zone allowed)
    for (const k of ["gateway", "source"]) {
      const v = str(route[k]);
      if (v !== "" && (!isAddr(v) || isUnspecified(v))) report(doc, `${child(under(base, "routes"), i)}.${k}`, `${quote(v)} is not valid; expected an IP address such as 192.168.1.1`);
    }
  });
}

/** Link documents have a name and valid addresses and routes. */
export const linkDocuments: Check = {
  id: "link-documents",
  summary: "link documents have a name, and their addresses and routes are valid, specified IPs",
  run(ctx, report) {
    // (an index loop: every node runs this, in code the interpreter runs without an iterator per step)
    for (let i = 0; i < ctx.docs.length; i++) {
      const doc = ctx.docs[i];
      if (!LINK_KINDS.includes(doc.kind)) continue;
      if (str(doc.data.name) === "") report(doc, "name", "is required: the name of the link, such as eth0");
      common(doc, "", doc.data, report);
      const peer = mapping(doc.data.peer);
      if (doc.kind === "VethConfig" && peer !== undefined) common(doc, "peer", peer, report);
    }
  },
};
