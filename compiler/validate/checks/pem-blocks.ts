// PEM text read block by block as Go's encoding/pem Decode reads it in a loop, and DER read as
// Go's crypto/x509 reads certificates and PKCS #8 keys: what the rules of documents carrying
// certificates need (AssertValidPEM, CertPool.AppendCertsFromPEM, ParsePKCS8PrivateKey).

import { X509Certificate, createPrivateKey } from "node:crypto";
import { decodeStdBase64 } from "../../secrets/pem.ts";

/** One block Go's pem.Decode finds. */
export interface PemBlock {
  type: string;
  /** Whether the block has RFC 1421 headers ("Proc-Type: …"). */
  headers: boolean;
  bytes: Uint8Array;
}

// "-----BEGIN " at the start of the text or of a line, the type, "-----", the rest of that line
const BEGIN = /(?:^|\n)-----BEGIN ([^\n]*?)-----[ \t\r]*(?:\n|$)/g;

/** Every well-formed block of a text, in order, skipping what Go's pem.Decode skips. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m !== null; m = BEGIN.exec(text)) {
    const type = m[1];
    const start = BEGIN.lastIndex;
    // the END line must name the same type; a block without one is skipped
    const endMarker = `-----END ${type}-----`;
    // (from the newline ending the BEGIN line, for an empty body)
    const end = text.indexOf(`\n${endMarker}`, start - 1);
    if (end < 0) continue;
    const after = end + 1 + endMarker.length;
    const tail = /^[ \t\r]*(?:\n|$)/.exec(text.slice(after));
    if (tail === null) continue;
    let body = text.slice(start, Math.max(start, end));
    let headers = false;
    if (/^[^\n]*:/.test(body)) {
      const blank = body.search(/\n[ \t\r]*\n/);
      if (blank < 0) continue;
      headers = true;
      body = body.slice(blank);
    }
    const bytes = decodeStdBase64(body.replace(/[\r\n \t]/g, ""));
    if (bytes === undefined) continue;
    blocks.push({ type, headers, bytes });
    BEGIN.lastIndex = after + tail[0].length - (tail[0].endsWith("\n") ? 1 : 0);
  }
  return blocks;
}

/** Whether DER bytes are a certificate x509.ParseCertificate reads. */
export function isCertificate(der: Uint8Array): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

// the curves crypto/x509 reads in PKCS #8 (P-224, P-256, P-384, P-521)
const GO_CURVES = ["secp224r1", "prime256v1", "secp384r1", "secp521r1"];

/** Whether DER bytes are a PKCS #8 private key x509.ParsePKCS8PrivateKey reads (RSA, ECDSA, Ed25519, X25519). */
export function isPKCS8Key(der: Uint8Array): boolean {
  try {
    const key = createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
    const type = key.asymmetricKeyType;
    if (type === "ec") return GO_CURVES.includes(key.asymmetricKeyDetails?.namedCurve ?? "");
    return type === "rsa" || type === "ed25519" || type === "x25519";
  } catch {
    return false;
  }
}
