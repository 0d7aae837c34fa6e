// WireGuard on a legacy interface: keys are 32 bytes of base64, peer
// endpoints carry a port, allowed IPs are prefixes.

import type { Check } from "../types.ts";
import { hasPort, isCIDR, isWireguardKey } from "../net.ts";
import { REDACTED } from "../../talos/secrets.ts";
import { child, list, mapping, quote, str } from "../../value.ts";
import { legacyDevices } from "./legacy-network.ts";

/** A WireGuard key, or the redaction marker that stands for one. */
export function validKey(key: string): boolean {
  return key === REDACTED || isWireguardKey(key);
}

/** machine.network.interfaces[].wireguard keys, endpoints and allowed IPs are valid. */
export const legacyWireguard: Check = {
  id: "legacy-wireguard",
  summary: "wireguard settings of machine.network.interfaces have valid keys, endpoints and allowed IPs",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    for (const { device, path: devicePath, ignored } of legacyDevices(ctx)) {
      const wg = mapping(device.wireguard);
      if (ignored || wg === undefined) continue;
      const path = `${devicePath}.wireguard`;
      if (!validKey(str(wg.privateKey))) report(legacy, `${path}.privateKey`, "is not a wireguard key; expected 32 bytes in base64, as `wg genkey` prints");
      list(wg.peers).forEach((p, i) => {
        const peer = mapping(p) ?? {};
        const pp = child(`${path}.peers`, i);
        if (!validKey(str(peer.publicKey))) report(legacy, `${pp}.publicKey`, "is not a wireguard key; expected 32 bytes in base64, as `wg pubkey` prints");
        const endpoint = str(peer.endpoint);
        if (endpoint !== "" && !hasPort(endpoint)) report(legacy, `${pp}.endpoint`, `${quote(endpoint)} has no port; expected host:port such as 192.168.1.1:51820`);
        list(peer.allowedIPs).forEach((a, j) => {
          if (!isCIDR(str(a))) report(legacy, child(`${pp}.allowedIPs`, j), `${quote(a)} is not valid; expected a prefix such as 10.0.0.0/24`);
        });
      });
    }
  },
};
