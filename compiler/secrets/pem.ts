// PEM and base64 as Go's encoding/pem and encoding/base64 treat them, because bundles are
// written and read by talosctl too and must mean the same thing on both sides.

/** One decoded PEM block. */
interface PemBlock {
  /** The label between `BEGIN` and the dashes, e.g. "EC PRIVATE KEY". */
  type: string;
  /** The DER body. */
  bytes: Uint8Array;
}

/** Wraps DER bytes in a PEM block with 64-column lines and a trailing newline. */
export function encodePem(type: string, der: Uint8Array): string {
  const body = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

/**
 * Finds the first well-formed PEM block in `text`, skipping anything before it and any
 * malformed block, as Go's pem.Decode does; undefined when there is none.
 */
export function decodePem(text: string): PemBlock | undefined {
  const begin = /-----BEGIN ([^\r\n]*?)-----[ \t]*\r?\n/g;
  for (let m = begin.exec(text); m !== null; m = begin.exec(text)) {
    const type = m[1]!;
    const endMarker = `-----END ${type}-----`;
    const end = text.indexOf(endMarker, begin.lastIndex);
    if (end < 0) continue;
    let body = text.slice(begin.lastIndex, end);
    // RFC 1421 headers ("Proc-Type: …") end at the first blank line; the body follows.
    if (/^[^\r\n]*:/.test(body)) {
      const blank = body.search(/\r?\n\r?\n/);
      if (blank < 0) continue;
      body = body.slice(blank).trimStart();
    }
    const bytes = decodeStdBase64(body.replace(/[\r\n \t]/g, ""));
    if (bytes !== undefined) return { type, bytes };
  }
  return undefined;
}

/** Decodes padded standard base64 strictly (line breaks ignored); undefined when invalid. */
export function decodeStdBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/[\r\n]/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, "base64"));
}

/** Standard base64 with padding (Go's base64.StdEncoding). */
export function encodeStdBase64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString("base64");
}

/** URL-safe base64 *with* padding (Go's base64.URLEncoding; Node's base64url drops the padding). */
export function encodeUrlBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}
