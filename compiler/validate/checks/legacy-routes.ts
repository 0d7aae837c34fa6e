// Static routes of legacy interfaces: a network or a gateway, each valid.

import type { Check } from "../types.ts";
import { isCIDR, isIPAddress } from "../net.ts";
import { child, list, mapping, quote, str } from "../../value.ts";
import { legacyDevices } from "./legacy-network.ts";

/** machine.network.interfaces[].routes are valid. */
export const legacyRoutes: Check = {
  id: "legacy-routes",
  summary: "routes of machine.network.interfaces have a valid network or gateway",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    for (const { device, path, ignored } of legacyDevices(ctx)) {
      if (ignored) continue;
      list(device.routes).forEach((r, i) => {
        const route = mapping(r) ?? {};
        const rp = child(`${path}.routes`, i);
        const network = str(route.network);
        const gateway = str(route.gateway);
        const source = str(route.source);
        if (network !== "" && !isCIDR(network)) report(legacy, `${rp}.network`, `${quote(network)} is not valid; expected a prefix such as 10.0.0.0/8`);
        if (gateway !== "" && !isIPAddress(gateway)) report(legacy, `${rp}.gateway`, `${quote(gateway)} is not valid; expected an IP address such as 192.168.1.1`);
        if (network === "" && gateway === "") report(legacy, rp, "needs a network or a gateway; a route without either goes nowhere");
        if (source !== "" && !isIPAddress(source)) report(legacy, `${rp}.source`, `${quote(source)} is not valid; expected an IP address such as 192.168.1.10`);
      });
    }
  },
};
