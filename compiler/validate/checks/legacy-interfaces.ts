// Each legacy interface is picked by name or by selector, is a bond or a
// bridge (not both), and a bond or bridge member carries no addressing.

import type { Check } from "../types.ts";
import { isSet, isTrue, isZero, list, mapping, quote, str } from "../../value.ts";
import { legacyDevices } from "./legacy-network.ts";

/** machine.network.interfaces: interface or selector, bond or bridge, members without addresses. */
export const legacyInterfaces: Check = {
  id: "legacy-interfaces",
  summary: "each machine.network.interfaces entry names an interface or a selector, is a bond or a bridge, and members have no addressing",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    const devices = legacyDevices(ctx);
    const owners = new Map<string, string>();
    for (const { device, path, name } of devices) {
      const bond = mapping(device.bond);
      const bridge = mapping(device.bridge);
      if (bond !== undefined && bridge !== undefined) report(legacy, path, `interface ${quote(name)} has both bond and bridge; choose one`);
      if (bond !== undefined && list(bond.interfaces).length > 0 && list(bond.deviceSelectors).length > 0) {
        report(legacy, `${path}.bond`, "cannot have both interfaces and deviceSelectors; pick the members one way");
      }
      const members = bond !== undefined ? list(bond.interfaces) : list(bridge?.interfaces);
      for (const m of members) {
        const owner = owners.get(str(m));
        if (owner !== undefined && owner !== name) report(legacy, path, `interface ${quote(m)} is a member of both ${quote(owner)} and ${quote(name)}; a link joins one bond or bridge`);
        owners.set(str(m), name);
      }
    }
    for (const { device, path, name, ignored } of devices) {
      if (ignored) continue;
      const selector = device.deviceSelector;
      if (name === "" && !isSet(selector)) report(legacy, `${path}.interface`, "is required unless deviceSelector is set: name the interface, such as eth0");
      else if (name !== "" && isSet(selector)) report(legacy, `${path}.deviceSelector`, "cannot be set together with interface; use one of them");
      if (isSet(selector) && isZero(selector)) report(legacy, `${path}.deviceSelector`, "is empty; set at least one of busPath, hardwareAddr, permanentAddr, pciID, driver, physical");
      if (owners.has(name) && (isTrue(device.dhcp) || str(device.cidr) !== "" || list(device.addresses).length > 0 || isSet(device.vip))) {
        report(legacy, path, `interface ${quote(name)} is a bond or bridge member and cannot have dhcp, cidr, addresses or vip; configure them on ${quote(owners.get(name))}`);
      }
    }
  },
};
