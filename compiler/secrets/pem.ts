// PEM and base64 as Go's encoding/pem and encoding/base64 treat them, because bundles are
// written and read by talosctl too and must mean the same thing on both sides, and Talos reads
// the PEM of registry TLS documents with the same pem.Decode.

/** One block as Go's pem.Decode returns it. */
interface PemBlock {
  /** The label between `BEGIN ` and the dashes, e.g. "EC PRIVATE KEY". */
  type: string;
  /** RFC 1421 headers ("Proc-Type: 4,ENCRYPTED"); a repeated key keeps its last value, as in Go's map. */
  headers: Map<string, string>;
  /** The decoded body, typically DER. */
  bytes: Uint8Array;
}

/** Wraps DER bytes in a PEM block with 64-column lines and a trailing newline. */
export function encodePem(type: string, der: Uint8Array): string {
  const body = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

// Go reads PEM as bytes: the reader works on a string of one char per byte (latin1), so that
// indexes, searches and trimming are Go's whatever the text holds; a string given is read as
// its UTF-8, as Go would get it from YAML. Types and header text are handed back as UTF-8.
const BEGIN = "-----BEGIN ";
const END = "\n-----END ";
const DASHES = "-----";

function byteString(data: Uint8Array | string): string {
  return typeof data === "string" ? Buffer.from(data, "utf8").toString("latin1") : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
}

function utf8(bytes: string): string {
  return Buffer.from(bytes, "latin1").toString("utf8");
}

// Go's getLine: up to the first LF (a CR just before it dropped), spaces and tabs trimmed off its
// end; a CR elsewhere stays in the line. Also the rest after the LF and how much was consumed.
function getLine(data: string): [line: string, rest: string, consumed: number] {
  let i = data.indexOf("\n");
  let j: number;
  if (i < 0) {
    i = j = data.length;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === "\r") i--;
  }
  let end = i;
  while (end > 0 && (data[end - 1] === " " || data[end - 1] === "\t")) end--;
  return [data.slice(0, end), data.slice(j), j];
}

// bytes.TrimSpace trims unicode.IsSpace runes: ASCII \t \n \v \f \r and space, and these in UTF-8
// (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000); stray bytes stop it.
const WIDE_SPACES = ["\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80", ...Array.from({ length: 11 }, (_, k) => `\xe2\x80${String.fromCharCode(0x80 + k)}`), "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"];
const ASCII_SPACE = "\t\n\v\f\r ";

function trimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  for (;;) {
    if (start < end && ASCII_SPACE.includes(s[start]!)) start++;
    else {
      const rune = WIDE_SPACES.find((r) => start + r.length <= end && s.startsWith(r, start));
      if (rune === undefined) break;
      start += rune.length;
    }
  }
  for (;;) {
    if (end > start && ASCII_SPACE.includes(s[end - 1]!)) end--;
    else {
      const rune = WIDE_SPACES.find((r) => end - r.length >= start && s.endsWith(r, end));
      if (rune === undefined) break;
      end -= rune.length;
    }
  }
  return s.slice(start, end);
}

/**
 * Go's pem.Decode (Go 1.25.4 and later, 1.26): the first END line, the last BEGIN line before
 * it that starts the text or a line, headers while lines hold a colon, an END of the same type
 * with nothing but spaces and tabs after it on its line, and a body base64.StdEncoding reads once
 * spaces and tabs are gone. A candidate that fails is given up past its END line, and the search
 * goes on from there. Returns the block and what follows its END line, or no block and all of data.
 */
function decodeBytes(data: string): [PemBlock | undefined, string] {
  let rest = data;
  let endTrailerIndex = 0;
  for (;;) {
    // header lines that ran past the END line leave this outside rest: Go gives up on the whole text
    if (endTrailerIndex < 0 || endTrailerIndex > rest.length) return [undefined, data];
    rest = rest.slice(endTrailerIndex);
    let endIndex = rest.indexOf(END);
    if (endIndex < 0) return [undefined, data];
    endTrailerIndex = endIndex + END.length;
    const beginIndex = rest.slice(0, endIndex).lastIndexOf(BEGIN);
    // at index 0 of rest counts as a line start, also when rest begins just past an END given up on
    if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] !== "\n")) continue;
    rest = rest.slice(beginIndex + BEGIN.length);
    endIndex -= beginIndex + BEGIN.length;
    endTrailerIndex -= beginIndex + BEGIN.length;

    const [typeLine, afterType, typeConsumed] = getLine(rest);
    rest = afterType;
    endIndex -= typeConsumed;
    endTrailerIndex -= typeConsumed;
    if (!typeLine.endsWith(DASHES)) continue;
    const type = typeLine.slice(0, -DASHES.length);

    const headers = new Map<string, string>();
    for (;;) {
      if (rest.length === 0) return [undefined, data];
      const [line, next, consumed] = getLine(rest);
      const colon = line.indexOf(":");
      if (colon < 0) break;
      headers.set(utf8(trimSpace(line.slice(0, colon))), utf8(trimSpace(line.slice(colon + 1))));
      rest = next;
      endIndex -= consumed;
      endTrailerIndex -= consumed;
    }
    // with headers the END must still be ahead, after a newline of its own
    if (headers.size > 0 && endIndex < 0) continue;

    // endTrailerIndex >= 9 here: the END's newline is at worst the one that ended the BEGIN line
    const trailer = rest.slice(endTrailerIndex);
    if (!trailer.startsWith(type + DASHES)) continue;
    if (getLine(trailer.slice(type.length + DASHES.length))[0] !== "") continue;

    let bytes: Uint8Array = new Uint8Array(0);
    if (endIndex > 0) {
      const decoded = decodeStdBase64(rest.slice(0, endIndex).replace(/[ \t]/g, ""));
      if (decoded === undefined) continue;
      bytes = decoded;
    }
    // from the END's "-----END" (endIndex is -1 when the END line follows the BEGIN line)
    return [{ type: utf8(type), headers, bytes }, getLine(rest.slice(endIndex + END.length - 1))[1]];
  }
}

/** Go's pem.Decode: the next block of data and the bytes after it, or no block and all of data. */
export function pemDecode(data: Uint8Array | string): { block: PemBlock | undefined; rest: Uint8Array } {
  const [block, rest] = decodeBytes(byteString(data));
  return { block, rest: Buffer.from(rest, "latin1") };
}

/** The first block Go's pem.Decode finds in data, as talosctl reads a bundle's keys and certificates. */
export function decodePem(data: Uint8Array | string): PemBlock | undefined {
  return pemDecode(data).block;
}

/** Every block, in order, as Go finds them calling pem.Decode on the rest until it finds none. */
export function pemBlocks(data: Uint8Array | string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let rest = byteString(data);
  for (;;) {
    const [block, after] = decodeBytes(rest);
    if (block === undefined) return blocks;
    blocks.push(block);
    rest = after;
  }
}

/**
 * Decodes base64 as Go's base64.StdEncoding.Decode does: padding required, CR and LF skipped
 * anywhere (between two "=" too), nothing else after the padding, and the unused bits of a padded
 * quantum not checked; undefined when Go returns an error.
 */
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
