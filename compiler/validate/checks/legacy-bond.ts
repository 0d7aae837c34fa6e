// Bond settings of a legacy interface: each enumerated setting is one the
// kernel knows, and mode-specific settings only appear with their modes.

import type { Check } from "../types.ts";
import { child, list, mapping, num, quote, str } from "../../value.ts";
import { legacyDevices } from "./legacy-network.ts";

/** Bond modes; "" is balance-rr. */
const BOND_MODES = ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"];

// setting → the values it takes ("" always means the default)
const ENUMS: ReadonlyArray<[string, readonly string[]]> = [
  ["mode", BOND_MODES],
  ["xmitHashPolicy", ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4"]],
  ["lacpRate", ["slow", "fast"]],
  ["arpValidate", ["none", "active", "backup", "all", "filter", "filter-active", "filter-backup"]],
  ["arpAllTargets", ["any", "all"]],
  ["primaryReselect", ["always", "better", "failure"]],
  ["failOverMac", ["none", "active", "follow"]],
  ["adSelect", ["stable", "bandwidth", "count"]],
];

/** machine.network.interfaces[].bond settings fit the bond mode. */
export const legacyBond: Check = {
  id: "legacy-bond",
  summary: "bond settings of machine.network.interfaces are known values and fit the bond mode",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    for (const { device, path: devicePath, ignored } of legacyDevices(ctx)) {
      const bond = mapping(device.bond);
      if (ignored || bond === undefined) continue;
      const path = `${devicePath}.bond`;
      const at = (k: string): string => child(path, k);
      for (const [key, values] of ENUMS) {
        const v = str(bond[key]);
        if (v !== "" && !values.includes(v)) report(legacy, at(key), `${quote(v)} is not valid; expected one of ${values.join(", ")}`);
      }
      // Talos reads an unknown mode as balance-rr for the checks that follow
      const mode = BOND_MODES.includes(str(bond.mode)) ? str(bond.mode) || "balance-rr" : "balance-rr";
      const miimon = num(bond.miimon);
      for (const k of ["updelay", "downdelay"]) {
        const v = num(bond[k]);
        if (miimon === 0 && v !== 0) report(legacy, at(k), "cannot be set while miimon is 0; set miimon too");
        if (miimon !== 0 && v % miimon !== 0) report(legacy, at(k), `${v} is not a multiple of miimon (${miimon})`);
      }
      if (list(bond.arpIPTarget).length > 0) report(legacy, at("arpIPTarget"), "is not supported; leave it out");
      if (str(bond.adActorSystem) !== "") report(legacy, at("adActorSystem"), "is not supported; leave it out");
      const only = (key: string, set: boolean, modes: readonly string[]): void => {
        if (set && !modes.includes(mode)) report(legacy, at(key), `is not available in ${mode} mode; it applies to ${modes.join(", ")}`);
      };
      const not = (key: string, set: boolean, modes: readonly string[]): void => {
        if (set && modes.includes(mode)) report(legacy, at(key), `is not available in ${mode} mode`);
      };
      only("lacpRate", str(bond.lacpRate) !== "", ["802.3ad"]);
      not("arpValidate", str(bond.arpValidate) !== "", ["802.3ad", "balance-alb", "balance-tlb"]);
      only("primary", str(bond.primary) !== "", ["active-backup", "balance-alb", "balance-tlb"]);
      not("arpInterval", num(bond.arpInterval) > 0, ["802.3ad", "balance-alb", "balance-tlb"]);
      only("packetsPerSlave", num(bond.packetsPerSlave) > 1, ["balance-rr"]);
      only("tlbDynamicLb", num(bond.tlbDynamicLb) > 0, ["balance-alb", "balance-tlb"]);
      only("adActorSysPrio", num(bond.adActorSysPrio) > 0, ["802.3ad"]);
      only("adUserPortKey", num(bond.adUserPortKey) > 0, ["802.3ad"]);
    }
  },
};
