// Generating secrets bundles, and the entry point of the secrets stage: the bundle's types,
// encoding and validation are re-exported here so callers need one import.

import { randomBytes } from "node:crypto";

import { TalcError } from "../errors.ts";
import { CONTRACTS, gates, type Contract } from "../talos/contract.ts";
import { newRsaKeyPem, newSelfSignedCa, type RandomSource } from "./ca.ts";
import { decodePem, decodeStdBase64, encodeStdBase64, encodeUrlBase64 } from "./pem.ts";
import type { CertAndKey, SecretsBundle } from "./types.ts";

export type { RandomSource } from "./ca.ts";
export type { CertAndKey, KeyOnly, ParsedSecretsBundle, SecretsBundle } from "./types.ts";
export { TOKEN_PATTERN } from "./types.ts";
export { encodeSecretsBundle, loadSecretsBundle, parseSecretsBundle } from "./serialize.ts";
export { validateSecretsBundle } from "./validate.ts";

/** Options of {@link generateSecretsBundle}. */
interface GenerateSecretsOptions {
  /** Version contract of the target Talos release. */
  contract: Contract;
  /** Start of every CA's validity; defaults to the current time. */
  now?: Date;
  /**
   * Source of the tokens, IDs, secrets, serials and key identifiers (defaults to the system
   * CSPRNG). Key pairs and ECDSA signatures always come from the platform CSPRNG.
   */
  random?: RandomSource;
  /**
   * An existing service account key (base64 of PEM, as in a bundle) to keep instead of
   * generating a new RSA-4096 key: rotating the CAs need not invalidate service account
   * tokens, and RSA-4096 generation takes seconds.
   */
  serviceAccountKey?: string;
}

/** Length of every CA's validity: Talos uses 87600 hours, i.e. 3650 days, not calendar years. */
export const CA_VALIDITY_MS = 87_600 * 60 * 60 * 1000;

const TOKEN_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

function randomString(random: RandomSource, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random(length - out.length)) {
      // 252 is the largest multiple of 36 below 256; dropping bytes at or above it keeps
      // every character equally likely, which is also how Talos draws its tokens.
      if (byte < 252 && out.length < length) out += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
    }
  }
  return out;
}

/** Draws a token of the form `[0-9a-z]{6}.[0-9a-z]{16}`. */
export function generateToken(random: RandomSource = randomBytes): string {
  return `${randomString(random, 6)}.${randomString(random, 16)}`;
}

function checkedRandom(random: RandomSource): RandomSource {
  return (size) => {
    const bytes = random(size);
    if (bytes.length !== size) {
      throw new TalcError(`random source returned ${bytes.length} bytes, want ${size}`, {
        code: "bad-random-source",
        stage: "secrets",
      });
    }
    return bytes;
  };
}

function assertServiceAccountKey(value: string): void {
  const pem = decodeStdBase64(value);
  const block = pem === undefined ? undefined : decodePem(pem);
  if (block === undefined) {
    throw new TalcError(
      "serviceAccountKey is not base64 of a PEM private key; pass certs.k8sserviceaccount.key of an existing bundle",
      { code: "bad-service-account-key", stage: "secrets", path: "certs.k8sserviceaccount.key" },
    );
  }
}

/**
 * Generates a fresh secrets bundle the way `talosctl gen secrets` does for the given contract.
 *
 * The service account key is RSA-4096 (PKCS#1): Talos switched new bundles from ECDSA to RSA
 * for every contract after 1.6, so all supported contracts get RSA. The cluster ID uses the
 * URL-safe base64 alphabet for 1.12 and 1.13, as talosctl of those releases writes it, and
 * the standard alphabet from 1.14; Talos never decodes the ID, so either form stays valid.
 */
export async function generateSecretsBundle(opts: GenerateSecretsOptions): Promise<SecretsBundle> {
  if (!CONTRACTS.includes(opts.contract)) {
    throw new TalcError(`unsupported version contract "${opts.contract}"; expected one of ${CONTRACTS.join(", ")}`, {
      code: "unknown-contract",
      stage: "secrets",
    });
  }
  if (opts.serviceAccountKey !== undefined) assertServiceAccountKey(opts.serviceAccountKey);

  const random = checkedRandom(opts.random ?? randomBytes);
  const notBefore = new Date(opts.now ?? Date.now());
  const notAfter = new Date(notBefore.getTime() + CA_VALIDITY_MS);
  const ca = (keyAlgorithm: "ed25519" | "ecdsa-p256", organization?: string) =>
    newSelfSignedCa({ keyAlgorithm, organization, notBefore, notAfter, random }).then(
      (pair): CertAndKey => ({ crt: encodeStdBase64(pair.crtPem), key: encodeStdBase64(pair.keyPem) }),
    );

  // Sequential, not concurrent, so a seeded random source hands out bytes in a fixed order.
  const etcd = await ca("ecdsa-p256", "etcd");
  const k8s = await ca("ecdsa-p256", "kubernetes");
  // Talos names this CA "front-proxy", but as a common name its CA builder ignores.
  const k8saggregator = await ca("ecdsa-p256");
  const serviceAccountKey = opts.serviceAccountKey ?? encodeStdBase64(await newRsaKeyPem());
  const os = await ca("ed25519", "talos");

  const bootstraptoken = generateToken(random);
  const secretboxencryptionsecret = encodeStdBase64(random(32));
  const token = generateToken(random);
  const idBytes = random(32);
  const id = gates(opts.contract).standardBase64ClusterID ? encodeStdBase64(idBytes) : encodeUrlBase64(idBytes);
  const secret = encodeStdBase64(random(32));

  return {
    cluster: { id, secret },
    secrets: { bootstraptoken, secretboxencryptionsecret },
    trustdinfo: { token },
    certs: { etcd, k8s, k8saggregator, k8sserviceaccount: { key: serviceAccountKey }, os },
  };
}
