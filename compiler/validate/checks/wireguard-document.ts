// A WireguardConfig needs a private key, a port in range and peers with keys.

import type { Check } from "../types.ts";
import { child, list, mapping, num, str } from "../../value.ts";
import { validKey } from "./legacy-wireguard.ts";

/** WireguardConfig keys and port are valid. */
export const wireguardDocument: Check = {
  id: "wireguard-document",
  summary: "a WireguardConfig has a valid private key and listen port, and each peer a valid public key",
  run(ctx, report) {
    for (const doc of ctx.ofKind("WireguardConfig")) {
      const key = str(doc.data.privateKey);
      if (key === "") report(doc, "privateKey", "is required: 32 bytes in base64, as `wg genkey` prints");
      else if (!validKey(key)) report(doc, "privateKey", "is not a wireguard key; expected 32 bytes in base64, as `wg genkey` prints");
      const port = num(doc.data.listenPort);
      if (port < 0 || port > 65535) report(doc, "listenPort", `${port} is not a port; expected 0 to 65535`);
      list(doc.data.peers).forEach((p, i) => {
        const peer = mapping(p) ?? {};
        const pp = child("peers", i);
        const pub = str(peer.publicKey);
        if (pub === "") report(doc, `${pp}.publicKey`, "is required: the peer's key, 32 bytes in base64");
        else if (!validKey(pub)) report(doc, `${pp}.publicKey`, "is not a wireguard key; expected 32 bytes in base64, as `wg pubkey` prints");
        const psk = str(peer.presharedKey);
        if (psk !== "" && !validKey(psk)) report(doc, `${pp}.presharedKey`, "is not a wireguard key; expected 32 bytes in base64, as `wg genpsk` prints");
        if (str(peer.persistentKeepaliveInterval).startsWith("-")) report(doc, `${pp}.persistentKeepaliveInterval`, "cannot be negative; expected a duration such as 25s");
      });
    }
  },
};
