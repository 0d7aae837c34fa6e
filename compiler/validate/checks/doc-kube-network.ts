// KubeNetworkConfig (1.14) names the cluster's pod and service subnets: one
// per IP family, real network prefixes, sized for per-node pod CIDRs and for
// the service IP allocator.

import type { Check } from "../types.ts";
import { isCIDR } from "../net.ts";
import { oncePerSealed } from "../../talos/typed.ts";
import { child, list, num, quote, str, type Mapping } from "../../value.ts";

/** A subnet needs at least this many host bits. */
const MIN_HOST_BITS = 4;
/** A service subnet holds at most 2^20 addresses. */
const MAX_SERVICE_HOST_BITS = 20;
/** Pod subnet and per-node pod CIDR are at most this many bits apart. */
const MAX_POD_NODE_MASK_DIFF = 16;
/** Per-node pod CIDR sizes when nodeCIDRMaskSizeIPv4/IPv6 are unset. */
const DEFAULT_NODE_MASK = { 4: 24, 6: 64 } as const;

/** A prefix as Talos reads it: its address bytes and length. */
interface Prefix {
  family: 4 | 6;
  bytes: number[];
  bits: number;
}

function v4Bytes(s: string): number[] {
  return s.split(".").map(Number);
}

function v6Bytes(s: string): number[] {
  // an embedded IPv4 tail (::ffff:10.0.0.1) is two groups
  let text = s;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  let tailBytes: number[] = [];
  if (tail.includes(".")) {
    tailBytes = v4Bytes(tail);
    text = text.slice(0, lastColon + 1) + "0:0";
  }
  const [head, rest] = text.includes("::") ? text.split("::") : [text, undefined];
  const groups = (g: string): number[] => (g === "" ? [] : g.split(":").map((x) => parseInt(x, 16)));
  const h = groups(head);
  const r = rest === undefined ? [] : groups(rest);
  const all = [...h, ...Array(8 - h.length - r.length).fill(0), ...r];
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tailBytes.length === 4) bytes.splice(12, 4, ...tailBytes);
  return bytes;
}

/** The prefix a text names, or undefined when netip.ParsePrefix would refuse it. */
function parsePrefix(s: string): Prefix | undefined {
  if (!isCIDR(s)) return undefined;
  const [addr, bits] = s.split("/");
  const family = addr.includes(":") ? 6 : 4;
  return { family, bytes: family === 4 ? v4Bytes(addr) : v6Bytes(addr), bits: Number(bits) };
}

function bitLength(p: Prefix): number {
  return p.family === 4 ? 32 : 128;
}

/** The prefix with its host bits cleared, as text ("10.244.0.0/16"). */
function masked(p: Prefix): { text: string; same: boolean } {
  const out = p.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, p.bits - i * 8));
    return b & (0xff << (8 - keep)) & 0xff;
  });
  const same = out.every((b, i) => b === p.bytes[i]);
  if (p.family === 4) return { text: `${out.join(".")}/${p.bits}`, same };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((out[i] << 8) | out[i + 1]).toString(16));
  // the longest run of zero groups (two or more) becomes "::"
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const text = best < 0 ? groups.join(":") : `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
  return { text: `${text}/${p.bits}`, same };
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

  const subnets = (key: "podSubnets" | "serviceSubnets", example: string, size: (p: Prefix, text: string) => string | undefined): void => {
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
      const p = parsePrefix(text);
      if (p === undefined) return void problems.push([path, `${quote(item ?? "")} is not a valid subnet; expected an address and prefix length such as ${example}`]);
      const m = masked(p);
      if (!m.same) return void problems.push([path, `${quote(text)} is not a network prefix: bits after /${p.bits} are set; expected ${m.text}`]);
      const hostBits = bitLength(p) - p.bits;
      if (hostBits < MIN_HOST_BITS) return void problems.push([path, `${quote(text)} is too small; a subnet needs at least ${MIN_HOST_BITS} host bits, so /${bitLength(p) - MIN_HOST_BITS} or shorter`]);
      const tooBig = size(p, text);
      if (tooBig !== undefined) return void problems.push([path, tooBig]);
      families.push(p.family);
    });
    if (families.length !== items.length) return;
    for (const family of [4, 6]) {
      if (families.filter((f) => f === family).length > 1) problems.push([key, `has two IPv${family} subnets; expected one subnet per IP family (one IPv4 and one IPv6 for dual-stack)`]);
    }
  };

  subnets("podSubnets", "10.244.0.0/16", (p, text) => {
    const mask = nodeMask(p.family);
    if (mask === undefined) return undefined;
    const setting = `nodeCIDRMaskSizeIPv${p.family}`;
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

// the nodes of a role share their KubeNetworkConfig: each sealed document is judged once
const judgeOnce = oncePerSealed(judge);

/** KubeNetworkConfig's subnets are valid, sized, and paired. */
export const docKubeNetwork: Check = {
  id: "doc-kube-network",
  summary: "a KubeNetworkConfig has one pod and one service subnet per IP family, each a network prefix of a size Kubernetes can use",
  run(ctx, report) {
    if (!ctx.gates.kubernetesDocuments) return;
    for (const doc of ctx.ofKind("KubeNetworkConfig")) {
      for (const [path, message] of judgeOnce(doc.data)) report(doc, path, message);
    }
  },
};
