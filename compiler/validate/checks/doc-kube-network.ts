// KubeNetworkConfig (1.14) names the cluster's pod and service subnets: one
// per IP family, real network prefixes, sized for per-node pod CIDRs and for
// the service IP allocator.

import type { Check } from "../types.ts";
import { ipv6Text, parsePrefix, type NetipPrefix } from "../../talos/netip.ts";
import { documentCheck } from "./judged.ts";
import { child, list, num, quote, str, type Mapping } from "../../value.ts";

/** A subnet needs at least this many host bits. */
const MIN_HOST_BITS = 4;
/** A service subnet holds at most 2^20 addresses. */
const MAX_SERVICE_HOST_BITS = 20;
/** Pod subnet and per-node pod CIDR are at most this many bits apart. */
const MAX_POD_NODE_MASK_DIFF = 16;
/** Per-node pod CIDR sizes when nodeCIDRMaskSizeIPv4/IPv6 are unset. */
const DEFAULT_NODE_MASK = { 4: 24, 6: 64 } as const;

function bitLength(p: NetipPrefix): number {
  return p.addr.family === 4 ? 32 : 128;
}

/** The prefix with its host bits cleared, as text ("10.244.0.0/16"; an IPv6 one in hex groups only). */
function masked(p: NetipPrefix): { text: string; same: boolean } {
  const { family, bytes } = p.addr;
  const out = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, p.bits - i * 8));
    return b & (0xff << (8 - keep)) & 0xff;
  });
  const same = out.every((b, i) => b === bytes[i]);
  return { text: `${family === 4 ? out.join(".") : ipv6Text(out)}/${p.bits}`, same };
}

type Problems = Array<[string, string]>;

/** Whether a per-node mask size is what Talos accepts (0 for the default). */
function validNodeMask(v: number, family: 4 | 6): boolean {
  return v === 0 || (v >= 1 && v <= (family === 4 ? 32 : 128));
}

function judge(data: Mapping): Problems {
  const problems: Problems = [];
  const mask4 = num(data.nodeCIDRMaskSizeIPv4);
  const mask6 = num(data.nodeCIDRMaskSizeIPv6);
  if (!validNodeMask(mask4, 4)) problems.push(["nodeCIDRMaskSizeIPv4", `${quote(data.nodeCIDRMaskSizeIPv4)} is not valid; expected a prefix length from 1 to 32 (per-node pod CIDR size, default 24)`]);
  if (!validNodeMask(mask6, 6)) problems.push(["nodeCIDRMaskSizeIPv6", `${quote(data.nodeCIDRMaskSizeIPv6)} is not valid; expected a prefix length from 1 to 128 (per-node pod CIDR size, default 64)`]);
  const nodeMask = (family: 4 | 6): number | undefined => {
    const v = family === 4 ? mask4 : mask6;
    if (!validNodeMask(v, family)) return undefined;
    return v === 0 ? DEFAULT_NODE_MASK[family] : v;
  };

  const subnets = (key: "podSubnets" | "serviceSubnets", example: string, size: (p: NetipPrefix, text: string) => string | undefined): void => {
    const items = list(data[key]);
    if (items.length === 0) {
      problems.push([key, `needs at least one subnet, such as ${example}`]);
      return;
    }
    if (items.length > 2) {
      problems.push([key, `has ${items.length} subnets; expected one, or two for dual-stack (one IPv4 and one IPv6)`]);
      return;
    }
    const families: number[] = [];
    items.forEach((item, i) => {
      const text = str(item);
      const path = child(key, i);
      // as netip.ParsePrefix reads it
      const p = parsePrefix(text);
      if ("problem" in p) return void problems.push([path, `${quote(item ?? "")} is not a valid subnet; expected an address and prefix length such as ${example}`]);
      const m = masked(p);
      if (!m.same) return void problems.push([path, `${quote(text)} is not a network prefix: bits after /${p.bits} are set; expected ${m.text}`]);
      const hostBits = bitLength(p) - p.bits;
      if (hostBits < MIN_HOST_BITS) return void problems.push([path, `${quote(text)} is too small; a subnet needs at least ${MIN_HOST_BITS} host bits, so /${bitLength(p) - MIN_HOST_BITS} or shorter`]);
      const tooBig = size(p, text);
      if (tooBig !== undefined) return void problems.push([path, tooBig]);
      families.push(p.addr.family);
    });
    if (families.length !== items.length) return;
    for (const family of [4, 6]) {
      if (families.filter((f) => f === family).length > 1) problems.push([key, `has two IPv${family} subnets; expected one subnet per IP family (one IPv4 and one IPv6 for dual-stack)`]);
    }
  };

  subnets("podSubnets", "10.244.0.0/16", (p, text) => {
    const mask = nodeMask(p.addr.family);
    if (mask === undefined) return undefined;
    const setting = `nodeCIDRMaskSizeIPv${p.addr.family}`;
    if (p.bits > mask) return `${quote(text)} is smaller than a node's pod CIDR (/${mask}, ${setting}); expected /${mask} or shorter`;
    if (mask - p.bits > MAX_POD_NODE_MASK_DIFF) return `${quote(text)} is too large for per-node pod CIDRs of /${mask} (${setting}): at most ${MAX_POD_NODE_MASK_DIFF} bits apart, so /${mask - MAX_POD_NODE_MASK_DIFF} or longer`;
    return undefined;
  });
  subnets("serviceSubnets", "10.96.0.0/12", (p, text) => {
    const min = bitLength(p) - MAX_SERVICE_HOST_BITS;
    return p.bits < min ? `${quote(text)} is too large; a service subnet has at most ${MAX_SERVICE_HOST_BITS} host bits, so /${min} or longer` : undefined;
  });

  const pods = list(data.podSubnets).length;
  const services = list(data.serviceSubnets).length;
  if (pods !== services) {
    problems.push(["serviceSubnets", `has ${services} subnet${services === 1 ? "" : "s"} but podSubnets has ${pods}; each IP family needs both a pod and a service subnet`]);
  }
  return problems;
}

/** KubeNetworkConfig's subnets are valid, sized, and paired. */
export const docKubeNetwork: Check = documentCheck({
  id: "doc-kube-network",
  summary: "a KubeNetworkConfig has one pod and one service subnet per IP family, each a network prefix of a size Kubernetes can use",
  gate: "kubernetesDocuments",
  kind: "KubeNetworkConfig",
  judge,
});
