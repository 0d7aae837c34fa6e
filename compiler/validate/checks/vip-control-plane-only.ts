// A shared (virtual) IP floats between control plane nodes; workers may not
// claim one.

import type { Check } from "../types.ts";
import { child, isSet, list, mapping } from "../../value.ts";
import { legacyDevices } from "./legacy-network.ts";

/** No VIP on worker interfaces or VLANs. */
export const vipControlPlaneOnly: Check = {
  id: "vip-control-plane-only",
  summary: "a shared VIP (machine.network.interfaces[].vip) is only set on control plane nodes",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined || ctx.machineType !== "worker") return;
    const message = "is only allowed on control plane nodes: a shared VIP fronts the Kubernetes API; remove it from this worker";
    for (const { device, path } of legacyDevices(ctx)) {
      if (isSet(device.vip)) report(legacy, `${path}.vip`, message);
      list(device.vlans).forEach((v, i) => {
        if (isSet(mapping(v)?.vip)) report(legacy, `${child(`${path}.vlans`, i)}.vip`, message);
      });
    }
  },
};
