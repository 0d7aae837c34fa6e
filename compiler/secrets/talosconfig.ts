// The client config (talosconfig) `talosctl gen config` writes beside the
// machine configs: one context with a fresh admin certificate. It is secret
// and, holding a new key, never deterministic; it is never part of out/.

import { randomBytes } from "node:crypto";
import { OrderedMap, writeDocument } from "../emit/yaml.ts";
import { newClientCertificate, type RandomSource } from "./ca.ts";
import { decodeStdBase64, encodeStdBase64 } from "./pem.ts";
import type { SecretsBundle } from "./types.ts";

/** How long an admin certificate is valid: Talos uses one year. */
const ADMIN_CERT_VALIDITY_MS = 365 * 24 * 60 * 60 * 1000;

/** The role an admin certificate carries, as its subject organisation. */
export const ADMIN_ROLE = "os:admin";

/** Generates a talosconfig for the cluster, signed by the bundle's OS CA. */
export async function generateTalosconfig(opts: {
  clusterName: string;
  secrets: Pick<SecretsBundle, "certs">;
  endpoints?: readonly string[];
  now?: Date;
  random?: RandomSource;
}): Promise<string> {
  const pem = (b64: string): string => Buffer.from(decodeStdBase64(b64) ?? new Uint8Array()).toString("utf8");
  const client = await newClientCertificate({
    caCrtPem: pem(opts.secrets.certs.os.crt),
    caKeyPem: pem(opts.secrets.certs.os.key),
    organizations: [ADMIN_ROLE],
    now: opts.now ?? new Date(),
    validityMs: ADMIN_CERT_VALIDITY_MS,
    random: opts.random ?? randomBytes,
  });
  // Field order of talosctl's client config: context, contexts; per context endpoints, ca, crt, key.
  const context = new OrderedMap([
    ["endpoints", [...(opts.endpoints ?? [])]],
    ["ca", opts.secrets.certs.os.crt],
    ["crt", encodeStdBase64(client.crtPem)],
    ["key", encodeStdBase64(client.keyPem)],
  ]);
  return writeDocument(
    new OrderedMap([
      ["context", opts.clusterName],
      ["contexts", new OrderedMap([[opts.clusterName, context]])],
    ]),
  );
}
