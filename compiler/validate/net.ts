// Address and URL parsing with the strictness of the Go functions Talos calls
// (net.ParseIP, net.ParseCIDR, netip.ParseAddr, netip.ParsePrefix, url.Parse
// plus Talos's endpoint checks), so talc accepts and refuses the same values.
// Which one a field gets is Talos's choice per field: the older net functions
// and netip.ParsePrefix refuse an IPv6 zone ("fe80::1%eth0"), netip.ParseAddr
// takes one.

import { isIP } from "node:net";
import { boundedMemo } from "../memo.ts";
import { goURLHostname, goURLPort, parseGoURL, type GoURLOptions } from "../talos/typed.ts";

// An address's IP version (0 for none). Each isIP runs regular expressions, several checks read a
// node's addresses, and the nodes of a cluster share gateways and prefixes: each text is read once (bounded).
const ipVersion = boundedMemo(10_000, (s: string): number => isIP(s));

/** Whether a string is an IP address as net.ParseIP reads one (no zone, no brackets). */
export function isIPAddress(s: string): boolean {
  return !s.includes("%") && ipVersion(s) !== 0;
}

/**
 * Whether a string is an IP address as netip.ParseAddr reads one: an IPv6
 * address may carry a zone, which is whatever follows the first "%" as long
 * as it is not empty ("fe80::1%eth0", even "fe80::1%eth0/64").
 */
export function isAddr(s: string): boolean {
  const zone = s.indexOf("%");
  if (zone < 0) return ipVersion(s) !== 0;
  return zone < s.length - 1 && ipVersion(s.slice(0, zone)) === 6;
}

/** Whether an IP address is all zeros ("0.0.0.0", "::"; with a zone it is not, as netip sees it). */
export function isUnspecified(s: string): boolean {
  const version = ipVersion(s);
  if (version === 4) return s.split(".").every((p) => Number(p) === 0);
  if (version === 6) return /^[0:]+$/.test(s) || s === "::";
  return false;
}

/** Whether a string is address/bits as net.ParseCIDR and netip.ParsePrefix read one. */
export function isCIDR(s: string): boolean {
  const slash = s.indexOf("/");
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  const version = addr.includes("%") ? 0 : ipVersion(addr);
  if (version === 0 || !/^(0|[1-9][0-9]{0,2})$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

/** An address or a CIDR: what Talos accepts for interface addresses (validateIPOrCIDR). */
export function isIPOrCIDR(s: string): boolean {
  return s.includes("/") ? isCIDR(s) : isIPAddress(s);
}

/**
 * A subnet or a bare address as siderolabs/net's ParseSubnetOrAddress reads
 * one: netip.ParsePrefix (no zone), else netip.ParseAddr (a zone allowed).
 */
export function isSubnetOrAddress(s: string): boolean {
  return isCIDR(s) || isAddr(s);
}

/** Whether an address carries a port: host:port or [v6]:port (siderolabs/net AddressContainsPort). */
export function hasPort(s: string): boolean {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (m) return true;
  const parts = s.split(":");
  return parts.length === 2 && parts[0] !== "" && /^\d+$/.test(parts[1]);
}

/**
 * Why an endpoint URL is not valid, or undefined when it is, as siderolabs/net's
 * ValidateEndpointURI judges it: Go's url.Parse reads it (as the Go of the release does), a host of
 * more than two colons is an IPv6 address in brackets, there is a host, and a port, when one is
 * given, is 1 to 65535.
 */
export function endpointProblem(s: string, opts: GoURLOptions): string | undefined {
  // (every node names the same endpoint: parseGoURL reads each text once, and what follows is a few string scans)
  const url = parseGoURL(s, opts);
  if (typeof url === "string") return `is not a valid URL (${url})`;
  // (Go counts in the unescaped host; only an IPv6 zone, inside brackets, may %-escape a colon)
  if ((url.host.match(/:/g) ?? []).length > 2 && !(url.host.includes("[") && url.host.includes("]"))) return "has an IPv6 address without square brackets";
  if (goURLHostname(url.host) === "") return "has no host";
  const port = goURLPort(url.host);
  // Go's Atoi refuses what overflows an int, which is out of range all the same
  if (port !== "" && (Number(port) < 1 || Number(port) > 65535)) return `has port ${port}, outside 1 to 65535`;
  return undefined;
}

/** Whether a WireGuard key is standard base64 of 32 bytes. */
export function isWireguardKey(s: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(s);
}
