// Certificates as Talos's generator makes them (siderolabs/crypto's x509
// package): self-signed CAs for the bundle, and the admin client certificate
// of a talosconfig, signed by the OS CA. X.509 encoding is @peculiar/x509's;
// keys come from node's WebCrypto.

import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { createPrivateKey, generateKeyPair, KeyObject, webcrypto } from "node:crypto";
import { promisify } from "node:util";
import { encodePem } from "./pem.ts";

// @peculiar/x509 resolves its dependencies through reflect-metadata (imported above).
x509.cryptoProvider.set(webcrypto as never);

/** Produces `size` random bytes; injectable so tests can make generation reproducible. */
export type RandomSource = (size: number) => Uint8Array;

/** Key algorithms the bundle's certificate authorities use. */
type CaKeyAlgorithm = "ed25519" | "ecdsa-p256";

/** What distinguishes one bundle CA from another. */
interface CaSpec {
  /** Subject organisation; absent gives an empty subject (the aggregator CA). */
  organization?: string;
  keyAlgorithm: CaKeyAlgorithm;
  notBefore: Date;
  notAfter: Date;
  random: RandomSource;
}

/** A certificate and its private key, both as PEM text. */
interface PemCertificateAndKey {
  crtPem: string;
  keyPem: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

const ALGORITHMS = {
  ed25519: { key: { name: "Ed25519" }, signing: { name: "Ed25519" } },
  "ecdsa-p256": { key: { name: "ECDSA", namedCurve: "P-256" }, signing: { name: "ECDSA", hash: "SHA-256" } },
} as const;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function serialNumber(random: RandomSource): string {
  // 128 random bits like Talos; a leading zero octet keeps a high first bit from making
  // the DER integer negative, and zero is redrawn because RFC 5280 wants a positive serial.
  for (;;) {
    const bytes = random(16);
    if (bytes.some((b) => b !== 0)) return (bytes[0] >= 0x80 ? "00" : "") + hex(bytes);
  }
}

function subject(organization: string | undefined): string {
  return organization === undefined ? "" : `O=${organization.replace(/[,+="\\<>;#]/g, (c) => `\\${c}`)}`;
}

// Talos writes Ed25519 keys as PKCS#8 under its own "ED25519 PRIVATE KEY" label and
// EC keys as SEC1 "EC PRIVATE KEY".
function privateKeyPem(algorithm: CaKeyAlgorithm, key: KeyObject): string {
  return algorithm === "ed25519"
    ? encodePem("ED25519 PRIVATE KEY", new Uint8Array(key.export({ type: "pkcs8", format: "der" })))
    : encodePem("EC PRIVATE KEY", new Uint8Array(key.export({ type: "sec1", format: "der" })));
}

async function newKeys(algorithm: CaKeyAlgorithm): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHMS[algorithm].key, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
}


/**
 * A self-signed CA with the fields Talos gives its CAs: v3, random 128-bit
 * serial, KeyUsage digitalSignature|keyCertSign (critical), ExtKeyUsage
 * serverAuth+clientAuth, CA:TRUE (critical), a random 20-byte subject key id.
 */
export async function newSelfSignedCa(spec: CaSpec): Promise<PemCertificateAndKey> {
  const keys = await newKeys(spec.keyAlgorithm);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(spec.random),
    name: subject(spec.organization),
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    keys,
    signingAlgorithm: ALGORITHMS[spec.keyAlgorithm].signing,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.SubjectKeyIdentifierExtension(hex(spec.random(20))),
    ],
  });
  return { crtPem: cert.toString("pem") + "\n", keyPem: privateKeyPem(spec.keyAlgorithm, KeyObject.from(keys.privateKey)) };
}

// The issuer's own subject key id, which is random in Talos's CAs and so cannot be recomputed from its key.
function authorityKeyId(ca: x509.X509Certificate): x509.Extension[] {
  const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  return ski === null ? [] : [new x509.AuthorityKeyIdentifierExtension(ski.keyId)];
}

/**
 * The admin client certificate of a talosconfig: an Ed25519 key, subject
 * O=<role>, signed by the OS CA, valid for `validityMs` from `now`, for
 * client authentication only.
 */
export async function newClientCertificate(opts: {
  caCrtPem: string;
  caKeyPem: string;
  organizations: readonly string[];
  now: Date;
  validityMs: number;
  random: RandomSource;
}): Promise<PemCertificateAndKey> {
  const caCert = new x509.X509Certificate(opts.caCrtPem);
  // The OS CA key is PKCS#8 under Talos's own label; node reads the body once relabelled.
  const caKeyDer = createPrivateKey({
    key: opts.caKeyPem.replace(/-----(BEGIN|END) ED25519 PRIVATE KEY-----/g, "-----$1 PRIVATE KEY-----"),
    format: "pem",
  }).export({ type: "pkcs8", format: "der" });
  const signingKey = await webcrypto.subtle.importKey("pkcs8", caKeyDer, ALGORITHMS.ed25519.key, false, ["sign"]);
  const keys = await newKeys("ed25519");
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(opts.random),
    subject: opts.organizations.map((o) => subject(o)).join(", "),
    issuer: caCert.subject,
    notBefore: opts.now,
    notAfter: new Date(opts.now.getTime() + opts.validityMs),
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: ALGORITHMS.ed25519.signing,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      ...authorityKeyId(caCert),
    ],
  });
  return { crtPem: cert.toString("pem") + "\n", keyPem: privateKeyPem("ed25519", KeyObject.from(keys.privateKey)) };
}

/** Generates an RSA key (4096 bits unless told) as PKCS#1 PEM ("RSA PRIVATE KEY"), public exponent 65537. */
export async function newRsaKeyPem(bits = 4096): Promise<string> {
  const { privateKey } = await generateKeyPairAsync("rsa", { modulusLength: bits, publicExponent: 0x10001 });
  return encodePem("RSA PRIVATE KEY", new Uint8Array(privateKey.export({ type: "pkcs1", format: "der" })));
}
