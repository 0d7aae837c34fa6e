// Addresses of legacy interfaces and their VLANs: CIDR or addresses (not both),
// each a valid address or prefix, and a VIP that is an IP address.

import type { Check, Doc, Report } from "../types.ts";
import { isIPAddress, isIPOrCIDR } from "../net.ts";
import { child, list, mapping, quote, str, type Mapping } from "../../value.ts";
import { legacyDevices } from "./legacy-network.ts";

function addressing(doc: Doc, path: string, item: Mapping, report: Report, withVIP: boolean): void {
  const cidr = str(item.cidr);
  const addresses = list(item.addresses);
  if (cidr !== "" && addresses.length > 0) report(doc, `${path}.cidr`, "cannot be set together with addresses; list every address under addresses");
  if (cidr !== "" && !isIPOrCIDR(cidr)) report(doc, `${path}.cidr`, `${quote(cidr)} is not valid; expected an address or prefix such as 192.168.1.10/24`);
  addresses.forEach((a, i) => {
    if (!isIPOrCIDR(str(a))) report(doc, child(`${path}.addresses`, i), `${quote(a)} is not valid; expected an address or prefix such as 192.168.1.10/24`);
  });
  const vip = mapping(item.vip);
  if (withVIP && vip !== undefined && !isIPAddress(str(vip.ip))) report(doc, `${path}.vip.ip`, `${quote(vip.ip ?? "")} is not valid; expected the shared IP address, such as 192.168.1.100`);
}

/** Interface and VLAN addresses are valid. */
export const legacyAddressing: Check = {
  id: "legacy-addressing",
  summary: "addresses, cidr and vip of machine.network.interfaces and their VLANs are valid",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    for (const { device, path, ignored } of legacyDevices(ctx)) {
      if (ignored) continue;
      addressing(legacy, path, device, report, true);
      list(device.vlans).forEach((v, i) => {
        const vlan = mapping(v);
        if (vlan !== undefined) addressing(legacy, child(`${path}.vlans`, i), vlan, report, false);
      });
    }
  },
};
