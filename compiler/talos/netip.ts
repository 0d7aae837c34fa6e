// IP addresses, prefixes and address:port pairs as Go's net/netip reads and
// writes them. Talos holds many config fields in netip types (or in small
// structs embedding one): decoding a document parses their text, encoding it
// writes MarshalText's form, so what Talos writes back is the canonical text,
// not the text given: hex in lower case, the longest run of zero groups of an
// IPv6 address written as "::", an IPv4-mapped address as "::ffff:1.2.3.4",
// the zone kept, and a prefix's host bits kept as given.
//
// Behaviour of the Go releases Talos 1.12 to 1.14 are built with (Go 1.25 and
// 1.26); it differs from older Go in refusing an IPv6 group of more than four
// digits ("00001::") and a prefix length with a sign or leading zeros ("/024").

/** An address as netip holds it: IPv4, or IPv6 (16 bytes) with an optional zone. */
export interface NetipAddr {
  /** 4 for an IPv4 address, 6 for an IPv6 one (IPv4-mapped ones included). */
  family: 4 | 6;
  /** The address bytes: 4 of them for IPv4, 16 for IPv6. */
  bytes: number[];
  /** The IPv6 zone, "" for none. */
  zone: string;
}

/** A text Go refuses, with Go's reason (without the "ParseAddr(…): " framing). */
export interface NetipProblem {
  problem: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

function hexValue(c: string | undefined): number {
  if (c === undefined) return -1;
  if (c >= "0" && c <= "9") return c.charCodeAt(0) - 48;
  if (c >= "a" && c <= "f") return c.charCodeAt(0) - 87;
  if (c >= "A" && c <= "F") return c.charCodeAt(0) - 55;
  return -1;
}

// The four fields of a dotted-quad address, or why Go refuses them.
function dottedQuad(s: string): number[] | NetipProblem {
  const fields: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (isDigit(c)) {
      if (digits === 1 && value === 0) return { problem: "IPv4 field has octet with leading zero" };
      value = value * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (value > 255) return { problem: "IPv4 field has value >255" };
    } else if (c === ".") {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".") return { problem: "IPv4 field must have at least one digit" };
      if (fields.length === 3) return { problem: "IPv4 address too long" };
      fields.push(value);
      value = 0;
      digits = 0;
    } else {
      return { problem: `unexpected character ${JSON.stringify(c)}` };
    }
  }
  if (fields.length < 3) return { problem: "IPv4 address too short" };
  fields.push(value);
  return fields;
}

// An IPv6 address with an optional zone, or why Go refuses it.
function ipv6(text: string): NetipAddr | NetipProblem {
  let s = text;
  let zone = "";
  const percent = s.indexOf("%");
  if (percent >= 0) {
    zone = s.slice(percent + 1);
    s = s.slice(0, percent);
    if (zone === "") return { problem: "zone must be a non-empty string" };
  }
  const bytes = new Array<number>(16).fill(0);
  // where "::" stands, as an index into bytes; -1 while there is none
  let gap = -1;
  if (s.startsWith("::")) {
    gap = 0;
    s = s.slice(2);
    if (s === "") return { family: 6, bytes, zone };
  }
  let filled = 0;
  while (filled < 16) {
    let n = 0;
    let value = 0;
    while (n < s.length && hexValue(s[n]) >= 0) {
      if (n === 4) return { problem: "each group must have 4 or less digits" };
      value = value * 16 + hexValue(s[n]);
      n++;
    }
    if (n === 0) return { problem: "each colon-separated field must have at least one digit" };
    if (s[n] === ".") {
      // a dotted quad in place of the last two groups
      if (gap < 0 && filled !== 12) return { problem: "embedded IPv4 address must replace the final 2 fields of the address" };
      if (filled + 4 > 16) return { problem: "too many hex fields to fit an embedded IPv4 at the end of the address" };
      const quad = dottedQuad(s);
      if (!Array.isArray(quad)) return quad;
      for (let k = 0; k < 4; k++) bytes[filled + k] = quad[k];
      filled += 4;
      s = "";
      break;
    }
    bytes[filled] = value >> 8;
    bytes[filled + 1] = value & 0xff;
    filled += 2;
    s = s.slice(n);
    if (s === "") break;
    if (s[0] !== ":") return { problem: "unexpected character, want colon" };
    if (s.length === 1) return { problem: "colon must be followed by more characters" };
    s = s.slice(1);
    if (s[0] === ":") {
      if (gap >= 0) return { problem: "multiple :: in address" };
      gap = filled;
      s = s.slice(1);
      if (s === "") break;
    }
  }
  if (s !== "") return { problem: "trailing garbage after address" };
  if (filled < 16) {
    if (gap < 0) return { problem: "address string too short" };
    // move what follows "::" to the end, zeros in between
    const tail = bytes.slice(gap, filled);
    bytes.fill(0, gap);
    for (let k = 0; k < tail.length; k++) bytes[16 - tail.length + k] = tail[k];
  } else if (gap >= 0) {
    return { problem: "the :: must expand to at least one field of zeros" };
  }
  return { family: 6, bytes, zone };
}

/** netip.ParseAddr. */
export function parseAddr(s: string): NetipAddr | NetipProblem {
  // the first dot, colon or percent sign decides how Go reads the text
  for (const c of s) {
    if (c === ".") {
      const quad = dottedQuad(s);
      return Array.isArray(quad) ? { family: 4, bytes: quad, zone: "" } : quad;
    }
    if (c === ":") return ipv6(s);
    if (c === "%") return { problem: "missing IPv6 address" };
  }
  return { problem: "unable to parse IP" };
}

/** Whether an IPv6 address is IPv4-mapped (::ffff:a.b.c.d). */
function isMapped(a: NetipAddr): boolean {
  return a.family === 6 && a.bytes.slice(0, 10).every((b) => b === 0) && a.bytes[10] === 0xff && a.bytes[11] === 0xff;
}

const dotted = (b: number[]): string => b.join(".");

/**
 * An IPv6 address's 16 bytes as Addr's text without its zone: the groups in lower-case hex without
 * leading zeros, the first longest run of two or more zero groups written as "::" (never the
 * IPv4-mapped form, which formatAddr writes).
 */
export function ipv6Text(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let start = -1;
  let length = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > length) {
      start = i;
      length = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (start < 0) return groups.map((g) => g.toString(16)).join(":");
  const head = groups.slice(0, start).map((g) => g.toString(16)).join(":");
  const tail = groups.slice(start + length).map((g) => g.toString(16)).join(":");
  return `${head}::${tail}`;
}

/** netip.Addr.MarshalText: the address as Go writes it. */
export function formatAddr(a: NetipAddr): string {
  if (a.family === 4) return dotted(a.bytes);
  const zone = a.zone === "" ? "" : `%${a.zone}`;
  return isMapped(a) ? `::ffff:${dotted(a.bytes.slice(12))}${zone}` : `${ipv6Text(a.bytes)}${zone}`;
}

/**
 * An address as one text however it is written (IPv6 has several spellings, hex in either case),
 * for telling whether two texts name one address; any other text (a hostname) as it is.
 */
export function addressKey(text: string): string {
  const addr = parseAddr(text);
  return "problem" in addr ? text : formatAddr(addr);
}

/** A parsed prefix: its address as given (netip keeps the host bits) and length. */
export interface NetipPrefix {
  addr: NetipAddr;
  bits: number;
}

/** netip.ParsePrefix. */
export function parsePrefix(s: string): NetipPrefix | NetipProblem {
  const slash = s.lastIndexOf("/");
  if (slash < 0) return { problem: "no '/'" };
  const addr = parseAddr(s.slice(0, slash));
  if ("problem" in addr) return addr;
  if (addr.zone !== "") return { problem: "IPv6 zones cannot be present in a prefix" };
  const bits = s.slice(slash + 1);
  // strconv.Atoi's digits, without the sign and leading zeros Go refuses since 1.22
  if (!/^(0|[1-9][0-9]*)$/.test(bits) || BigInt(bits) > 2n ** 63n - 1n) return { problem: `bad bits after slash: ${JSON.stringify(bits)}` };
  const n = Number(bits);
  if (n > (addr.family === 4 ? 32 : 128)) return { problem: "prefix length out of range" };
  return { addr, bits: n };
}

/** netip.Prefix.MarshalText. */
export function formatPrefix(p: NetipPrefix): string {
  return `${formatAddr(p.addr)}/${p.bits}`;
}

/** A parsed address:port. */
export interface NetipAddrPort {
  addr: NetipAddr;
  port: number;
}

/** netip.ParseAddrPort. */
export function parseAddrPort(s: string): NetipAddrPort | NetipProblem {
  const colon = s.lastIndexOf(":");
  if (colon < 0) return { problem: "not an ip:port" };
  let ip = s.slice(0, colon);
  const port = s.slice(colon + 1);
  if (ip === "") return { problem: "no IP" };
  if (port === "") return { problem: "no port" };
  let bracketed = false;
  if (ip[0] === "[") {
    if (ip.length < 2 || ip[ip.length - 1] !== "]") return { problem: "missing ]" };
    ip = ip.slice(1, -1);
    bracketed = true;
  }
  // strconv.ParseUint(port, 10, 16): decimal digits only, leading zeros allowed
  if (!/^[0-9]+$/.test(port) || Number(port) > 65535) return { problem: `invalid port ${JSON.stringify(port)}` };
  const addr = parseAddr(ip);
  if ("problem" in addr) return addr;
  if (bracketed && addr.family === 4) return { problem: "square brackets can only be used with IPv6 addresses" };
  if (!bracketed && addr.family === 6) return { problem: "IPv6 addresses must be surrounded by square brackets" };
  return { addr, port: Number(port) };
}

/** netip.AddrPort.MarshalText. */
export function formatAddrPort(p: NetipAddrPort): string {
  return p.addr.family === 4 ? `${formatAddr(p.addr)}:${p.port}` : `[${formatAddr(p.addr)}]:${p.port}`;
}

/** The netip types a config field can hold. */
export type NetipKind = "addr" | "prefix" | "addrPort";

/** What each kind of value is, in words, as the validation messages say it. */
export const NETIP_EXPECTED: Readonly<Record<NetipKind, string>> = {
  addr: "an IP address such as 192.168.1.1 (an IPv6 one may name its zone, such as fe80::1%eth0)",
  prefix: "an IP prefix such as 192.168.1.10/24",
  addrPort: "address:port such as 192.168.1.1:51820 or [fd00::1]:51820",
};

/** Whether a codec name is one of the netip kinds. */
export function isNetipKind(codec: string): codec is NetipKind {
  return Object.hasOwn(NETIP_EXPECTED, codec);
}

// An IPv4 address, prefix or address:port already in Go's canonical form: octets and numbers in
// range with no leading zeros (which Go refuses in octets and prefix lengths, and drops from ports).
const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const PORT = "(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0)";
const CANONICAL_IPV4: Readonly<Record<NetipKind, RegExp>> = {
  addr: new RegExp(`^${IPV4}$`),
  prefix: new RegExp(`^${IPV4}/(?:3[0-2]|[12]?[0-9])$`),
  addrPort: new RegExp(`^${IPV4}:${PORT}$`),
};

/**
 * A text of a netip field as Go writes it back after reading it (UnmarshalText,
 * then MarshalText), or why Go refuses it. An empty text is the zero value,
 * written as an empty text.
 */
export function canonicalNetip(kind: NetipKind, text: string): string | NetipProblem {
  if (text === "") return "";
  // most addresses in a config are IPv4 and already as Go writes them: those are known by their shape
  if (CANONICAL_IPV4[kind].test(text)) return text;
  switch (kind) {
    case "addr": {
      const a = parseAddr(text);
      return "problem" in a ? a : formatAddr(a);
    }
    case "prefix": {
      const p = parsePrefix(text);
      return "problem" in p ? p : formatPrefix(p);
    }
    case "addrPort": {
      const p = parseAddrPort(text);
      return "problem" in p ? p : formatAddrPort(p);
    }
  }
}

const PARSER: Readonly<Record<NetipKind, string>> = { addr: "netip.ParseAddr", prefix: "netip.ParsePrefix", addrPort: "netip.ParseAddrPort" };

/** The message for a text Go refuses, naming what it expects and why Go refuses it. */
export function netipMessage(kind: NetipKind, text: string, problem: NetipProblem): string {
  return `${JSON.stringify(text)} is not valid; expected ${NETIP_EXPECTED[kind]}; ${PARSER[kind]}: ${problem.problem}`;
}
