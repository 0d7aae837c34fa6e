// Walks machine.network.interfaces of the v1alpha1 document (deprecated since
// 1.12 but still accepted) for the legacy network checks.

import type { CheckContext } from "../types.ts";
import { at, child, isTrue, list, mapping, str, type Mapping } from "../../value.ts";

/** One entry of machine.network.interfaces. */
export interface LegacyDevice {
  device: Mapping;
  path: string;
  /** The interface name, "" when chosen by a device selector. */
  name: string;
  /** Talos skips most checks of an ignored interface. */
  ignored: boolean;
}

/** The interfaces of the v1alpha1 document, in order. */
export function legacyDevices(ctx: Pick<CheckContext, "legacy">): LegacyDevice[] {
  if (ctx.legacy === undefined) return [];
  return list(at(ctx.legacy.data, "machine.network.interfaces")).flatMap((d, i) => {
    const device = mapping(d);
    if (device === undefined) return [];
    return [{ device, path: child("machine.network.interfaces", i), name: str(device.interface), ignored: isTrue(device.ignore) }];
  });
}
