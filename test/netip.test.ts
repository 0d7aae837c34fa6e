// Config fields Talos holds in net/netip types (netip.Addr, netip.Prefix,
// netip.AddrPort, and the network.* / meta.* structs that embed them) are
// decoded with netip's UnmarshalText and written with its MarshalText, so
// Talos writes them back in Go's canonical form, whatever the spelling given.
// The GO table below is what Go answered for each text (UnmarshalText then
// MarshalText, "ERR" for an error), run with Go 1.19 except where noted.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { bond } from "../compiler/define/index.ts";
import type { ConfigDocument } from "../compiler/load/config.ts";
import { validateDefinition } from "../compiler/load/definition.ts";
import { applyPatches, derivePatch } from "../compiler/patch/index.ts";
import { compileCluster } from "../compiler/pipeline.ts";
import type { Contract } from "../compiler/talos/contract.ts";
import { canonicalNetip, formatAddr, formatAddrPort, formatPrefix, parseAddr, parseAddrPort, parsePrefix, type NetipAddr, type NetipAddrPort, type NetipPrefix } from "../compiler/talos/netip.ts";
import { normalizeDocument, typeSystem } from "../compiler/talos/typed.ts";
import { validateDocuments } from "../compiler/validate/validate.ts";
import { TalcError } from "../compiler/errors.ts";

// text, netip.Addr, netip.Prefix, netip.AddrPort (as Go writes them back)
const GO: Array<[string, string, string, string]> = [
  ["", "", "", ""],
  ["10.0.0.1", "10.0.0.1", "ERR", "ERR"],
  // lower-case hex, leading zeros dropped, the longest run of zero groups as ::
  ["2001:DB8:0:0::1", "2001:db8::1", "ERR", "ERR"],
  ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", "ERR", "ERR"],
  ["0:0:0:0:0:0:0:0", "::", "ERR", "ERR"],
  // the first of two equally long runs is compressed; a single zero group never is
  ["1:0:0:1:0:0:1:1", "1::1:0:0:1:1", "ERR", "ERR"],
  ["1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0", "ERR", "ERR"],
  ["1:0:0:1:0:0:0:1", "1:0:0:1::1", "ERR", "ERR"],
  // IPv4-mapped addresses keep their dotted form, however they were written
  ["::FFFF:10.0.0.1", "::ffff:10.0.0.1", "ERR", "ERR"],
  ["::ffff:0a00:0001", "::ffff:10.0.0.1", "ERR", "ERR"],
  ["0:0:0:0:0:ffff:1.2.3.4", "::ffff:1.2.3.4", "ERR", "ERR"],
  ["::1.2.3.4", "::102:304", "ERR", "ERR"],
  // zones are kept as written, hex before them lower-cased
  ["FE80::1%Eth0", "fe80::1%Eth0", "ERR", "ERR"],
  ["::ffff:1.2.3.4%eth0", "::ffff:1.2.3.4%eth0", "ERR", "ERR"],
  ["fe80::1%eth0/64", "fe80::1%eth0/64", "ERR", "ERR"],
  ["fe80::1%", "ERR", "ERR", "ERR"],
  ["1.2.3.4%eth0", "ERR", "ERR", "ERR"],
  ["1.2.3", "ERR", "ERR", "ERR"],
  ["01.2.3.4", "ERR", "ERR", "ERR"],
  ["1:2:3:4:5:6:7:8::", "ERR", "ERR", "ERR"],
  ["1::2::3", "ERR", "ERR", "ERR"],
  // a prefix keeps its host bits (netip.Prefix is not masked)
  ["10.0.0.1/24", "ERR", "10.0.0.1/24", "ERR"],
  ["2001:DB8::0:1/64", "ERR", "2001:db8::1/64", "ERR"],
  ["::FFFF:1.2.3.4/120", "ERR", "::ffff:1.2.3.4/120", "ERR"],
  ["0::0/0", "ERR", "::/0", "ERR"],
  ["10.0.0.0/33", "ERR", "ERR", "ERR"],
  ["fe80::/10%eth0", "ERR", "ERR", "ERR"],
  // address:port: brackets for IPv6 only, the port written without leading zeros
  ["10.0.0.1:0080", "ERR", "ERR", "10.0.0.1:80"],
  ["[2001:DB8::0:1%Eth0]:051820", "ERR", "ERR", "[2001:db8::1%Eth0]:51820"],
  ["[::FFFF:1.2.3.4]:443", "ERR", "ERR", "[::ffff:1.2.3.4]:443"],
  ["[10.0.0.1]:80", "ERR", "ERR", "ERR"],
  ["::1:80", "::1:80", "ERR", "ERR"],
  ["10.0.0.1:65536", "ERR", "ERR", "ERR"],
  ["10.0.0.1:+80", "ERR", "ERR", "ERR"],
];

// Go 1.19 reads these; the Go Talos 1.12 to 1.14 are built with (1.25, 1.26) refuses them:
// ParsePrefix takes no sign or leading zero in the length since Go 1.22, and ParseAddr
// takes at most four digits in an IPv6 group (golang/go src/net/netip/netip.go).
const NEWER_GO: Array<[string, string, string, string]> = [
  ["10.0.0.0/024", "ERR", "ERR", "ERR"],
  ["10.0.0.0/+24", "ERR", "ERR", "ERR"],
  ["00001::", "ERR", "ERR", "ERR"],
  ["[00001::]:80", "ERR", "ERR", "ERR"],
];

describe("netip texts as Go reads and writes them", () => {
  for (const [text, addr, prefix, addrPort] of [...GO, ...NEWER_GO]) {
    test(JSON.stringify(text), () => {
      const got = (["addr", "prefix", "addrPort"] as const).map((k) => {
        const c = canonicalNetip(k, text);
        return typeof c === "string" ? c : "ERR";
      });
      assert.deepEqual(got, [addr, prefix, addrPort]);
    });
  }
});

const doc = (kind: string, fields: Record<string, unknown>): ConfigDocument => ({ apiVersion: "v1alpha1", kind, ...fields });
const KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq=";

// Every netip field of every release, written non-canonically: Talos writes each back canonical.
const FIELDS: Array<{ contracts: Contract[]; doc: ConfigDocument; expect: Record<string, unknown> }> = [
  {
    // netip.Prefix (addresses), network.Prefix/Addr in 1.12 and 1.13, meta.Prefix/Addr in 1.14 (routes)
    contracts: ["1.12", "1.13", "1.14"],
    doc: doc("LinkConfig", { name: "eth0", addresses: [{ address: "2001:DB8::0:5/64" }], routes: [{ destination: "FD00:0::/8", gateway: "FE80::1%eth0", source: "2001:db8:0:0::5" }] }),
    expect: { addresses: [{ address: "2001:db8::5/64" }], routes: [{ destination: "fd00::/8", gateway: "fe80::1%eth0", source: "2001:db8::5" }] },
  },
  {
    // []netip.Addr
    contracts: ["1.12", "1.13", "1.14"],
    doc: doc("BondConfig", { name: "bond0", links: ["eth0"], bondMode: "active-backup", arpIpTargets: ["10.0.0.1"], nsIp6Targets: ["FD00:0:0::1"] }),
    expect: { arpIpTargets: ["10.0.0.1"], nsIp6Targets: ["fd00::1"] },
  },
  {
    // network.AddrPort / meta.AddrPort and []network.Prefix / []meta.Prefix
    contracts: ["1.12", "1.13", "1.14"],
    doc: doc("WireguardConfig", { name: "wg0", privateKey: KEY, peers: [{ publicKey: KEY, endpoint: "[FD00::0:1]:051820", allowedIPs: ["::FFFF:10.0.0.0/104", "0:0::0/0"] }] }),
    expect: { peers: [{ publicKey: KEY, endpoint: "[fd00::1]:51820", allowedIPs: ["::ffff:10.0.0.0/104", "::/0"] }] },
  },
  {
    // []netip.AddrPort
    contracts: ["1.12", "1.13", "1.14"],
    doc: doc("KubeSpanEndpointsConfig", { extraAnnouncedEndpoints: ["[2001:DB8::0:1]:51820", "10.0.0.1:00051820"] }),
    expect: { extraAnnouncedEndpoints: ["[2001:db8::1]:51820", "10.0.0.1:51820"] },
  },
  {
    // netip.Prefix and network.Prefix / meta.Prefix
    contracts: ["1.12", "1.13", "1.14"],
    doc: doc("NetworkRuleConfig", { name: "r", portSelector: { ports: [22], protocol: "tcp" }, ingress: [{ subnet: "FD00::0/8", except: "FD00:0:0::1/128" }] }),
    expect: { ingress: [{ subnet: "fd00::/8", except: "fd00::1/128" }] },
  },
  {
    // network.Addr / meta.Addr
    contracts: ["1.12", "1.13", "1.14"],
    doc: doc("ResolverConfig", { nameservers: [{ address: "2001:4860:4860:0:0:0:0:8888" }] }),
    expect: { nameservers: [{ address: "2001:4860:4860::8888" }] },
  },
  {
    contracts: ["1.13", "1.14"],
    doc: doc("RoutingRuleConfig", { name: "1000", src: "FD00::0/8", dst: "::FFFF:0:0/96", table: "main" }),
    expect: { src: "fd00::/8", dst: "::ffff:0.0.0.0/96" },
  },
  {
    contracts: ["1.13", "1.14"],
    doc: doc("KubeSpanConfig", { filters: { excludeAdvertisedNetworks: ["FD00::0/8"] } }),
    expect: { filters: { excludeAdvertisedNetworks: ["fd00::/8"] } },
  },
  {
    // []meta.Prefix, 1.14 only
    contracts: ["1.14"],
    doc: doc("KubeNetworkConfig", { podSubnets: ["10.244.0.0/16", "FD00:10:244::/56"], serviceSubnets: ["FD00:10:96:0::/112"] }),
    expect: { podSubnets: ["10.244.0.0/16", "fd00:10:244::/56"], serviceSubnets: ["fd00:10:96::/112"] },
  },
  {
    // meta.Addr and []meta.Prefix, 1.14 only
    contracts: ["1.14"],
    doc: doc("BGPInstanceConfig", { name: "main", localASN: 65000, routerID: "10.0.0.1", routeSource: "FD00::0:1", neighbors: [{ address: "FD00::2", peerASN: 65001 }], importRoutes: [{ prefixes: ["FD00::0/48"] }] }),
    expect: { routerID: "10.0.0.1", routeSource: "fd00::1", neighbors: [{ address: "fd00::2", peerASN: 65001 }], importRoutes: [{ bgpInstance: "", prefixes: ["fd00::/48"] }] },
  },
];

describe("netip fields are written as Talos writes them", () => {
  for (const { contracts, doc: d, expect } of FIELDS) {
    for (const contract of contracts) {
      test(`${d.kind} (${contract})`, () => {
        const out = normalizeDocument(d, { contract });
        for (const [k, v] of Object.entries(expect)) assert.deepEqual(out[k], v, k);
      });
    }
  }
});

test("every wrapper of a netip type is read and written as the type it wraps", () => {
  for (const contract of ["1.12", "1.13", "1.14"] as const) {
    const sys = typeSystem(contract);
    const wrappers = Object.entries(sys.namedTypes()).filter(([, n]) => n.textOf?.startsWith("netip.") === true);
    assert.ok(wrappers.length >= 3, contract);
    for (const [name, facts] of wrappers) {
      const t = sys.type(name);
      const inner = sys.type(facts.textOf!);
      assert.ok(t.k === "custom" && inner.k === "custom" && t.codec === inner.codec && t.codec !== "text", `${contract} ${name}`);
    }
  }
});

describe("a text netip refuses is refused where it is read, naming the path", () => {
  const cases: Array<[string, ConfigDocument, string, RegExp]> = [
    ["an address too short", doc("BondConfig", { name: "bond0", links: ["eth0"], bondMode: "active-backup", arpIpTargets: ["10.0.0.1", "1.2.3"] }), "arpIpTargets[1]", /^"1\.2\.3" is not valid; expected an IP address such as 192\.168\.1\.1 .*netip\.ParseAddr: IPv4 address too short/],
    ["a zone in a prefix", doc("LinkConfig", { name: "eth0", addresses: [{ address: "fe80::1%eth0/64" }] }), "addresses[0].address", /netip\.ParsePrefix: IPv6 zones cannot be present in a prefix/],
    ["a prefix length with a leading zero (Go 1.22+)", doc("LinkConfig", { name: "eth0", routes: [{ destination: "10.0.0.0/08" }] }), "routes[0].destination", /bad bits after slash/],
    ["an IPv6 endpoint without brackets", doc("WireguardConfig", { name: "wg0", privateKey: KEY, peers: [{ publicKey: KEY, endpoint: "fd00::1:51820" }] }), "peers[0].endpoint", /netip\.ParseAddrPort: IPv6 addresses must be surrounded by square brackets/],
  ];
  for (const [name, d, path, message] of cases) {
    test(name, () =>
      assert.throws(
        () => normalizeDocument(d, { contract: "1.13" }),
        (e: unknown) => e instanceof TalcError && e.path === path && message.test(e.message),
      ),
    );
  }
});

test("a patch writes addresses as Talos does, and a derived patch carries them so", () => {
  const base = [doc("LinkConfig", { name: "eth0", addresses: [{ address: "10.0.0.5/24" }] })];
  const patch = doc("LinkConfig", { name: "eth0", addresses: [{ address: "2001:DB8:0:0::5/64" }], routes: [{ gateway: "FE80::1%eth0" }] });
  const [out] = applyPatches(base, [patch], { contract: "1.13" });
  assert.deepEqual(out.addresses, [{ address: "10.0.0.5/24" }, { address: "2001:db8::5/64" }]);
  assert.deepEqual(out.routes, [{ gateway: "fe80::1%eth0" }]);
  // the patch derived from the base to that config writes the same canonical texts
  assert.deepEqual(derivePatch(base, [out], { contract: "1.13" }), [
    { apiVersion: "v1alpha1", kind: "LinkConfig", name: "eth0", addresses: [{ address: "2001:db8::5/64" }], routes: [{ gateway: "fe80::1%eth0" }] },
  ]);
});

test("a node's non-canonical address reaches its config as Talos writes it", () => {
  const def = validateDefinition(
    {
      name: "netip",
      talosVersion: "v1.14.0-rc.1",
      kubernetesVersion: "1.37.0-rc.0",
      endpoint: "https://10.0.0.10:6443",
      install: { disk: "/dev/sda" },
      patches: [bond({ name: "bond0", links: ["eth0", "eth1"], mode: "active-backup" })],
      nodes: [{ hostname: "cp-1", role: "controlplane", address: "2001:DB8:0:0::B/64", link: "bond0", gateway: "2001:DB8::0:1" }],
    },
    "clusters/netip.ts",
  );
  const compiled = compileCluster(def);
  const node = compiled.files.get("nodes/cp-1.yaml") ?? [...compiled.files].find(([p]) => p.endsWith("nodes/cp-1.yaml"))?.[1];
  assert.ok(node !== undefined);
  assert.match(node, /address: 2001:db8::b\/64/);
  assert.match(node, /gateway: 2001:db8::1\n/);
  assert.doesNotMatch(node, /DB8/);
});

describe("validation refuses a text netip refuses, once per spot", () => {
  const problems = (d: ConfigDocument, contract: Contract = "1.13") => validateDocuments([d], { contract, mode: "container" }).filter((p) => p.document.startsWith(d.kind as string));
  test("fields no check of their own reads", () => {
    const found = problems(doc("BondConfig", { name: "bond0", links: ["eth0"], bondMode: "active-backup", arpIpTargets: ["1.2.3", "10.0.0.1"], nsIp6Targets: ["1::2::3"] }));
    assert.deepEqual(
      found.map((p) => [p.path, p.message]),
      [
        ["arpIpTargets[0]", '"1.2.3" is not valid; expected an IP address such as 192.168.1.1 (an IPv6 one may name its zone, such as fe80::1%eth0); netip.ParseAddr: IPv4 address too short'],
        ["nsIp6Targets[0]", '"1::2::3" is not valid; expected an IP address such as 192.168.1.1 (an IPv6 one may name its zone, such as fe80::1%eth0); netip.ParseAddr: multiple :: in address'],
      ],
    );
    const endpoints = problems(doc("KubeSpanEndpointsConfig", { extraAnnouncedEndpoints: ["10.0.0.1:65536"] }));
    assert.deepEqual(endpoints.map((p) => p.path), ["extraAnnouncedEndpoints[0]"]);
    assert.match(endpoints[0].message, /netip\.ParseAddrPort: invalid port "65536"/);
  });
  test("a check's own message about the same spot takes the place of this one", () => {
    const found = problems(doc("LinkConfig", { name: "eth0", addresses: [{ address: "10.0.0.5/024" }] }));
    assert.deepEqual(
      found.map((p) => [p.path, p.message]),
      [["addresses[0].address", '"10.0.0.5/024" is not valid; expected an address with its prefix length, such as 192.168.1.10/24']],
    );
  });
  test("canonical and non-canonical spellings alike are valid", () => {
    assert.deepEqual(problems(doc("WireguardConfig", { name: "wg0", privateKey: KEY, peers: [{ publicKey: KEY, endpoint: "[FD00::0:1]:051820", allowedIPs: ["::FFFF:10.0.0.0/104"] }] }), "1.14"), []);
  });
});

test("the schema's pattern of each netip type takes every text netip takes", () => {
  const accepted = JSON.parse(readFileSync(new URL("../compiler/talos/fields/accepted.json", import.meta.url), "utf8")) as { types: Record<string, { schema: { pattern: string } }> };
  const kinds = [["netip.Addr", 1], ["netip.Prefix", 2], ["netip.AddrPort", 3]] as const;
  for (const [type, column] of kinds) {
    const re = new RegExp(accepted.types[type].schema.pattern, "u");
    for (const row of [...GO, ...NEWER_GO]) if (row[column] !== "ERR") assert.ok(re.test(row[0]), `${type} ${JSON.stringify(row[0])}`);
  }
});

test("an IPv4 text known by its shape to be canonical is what parsing and writing it gives", () => {
  const octets = ["0", "1", "9", "10", "99", "100", "199", "200", "249", "250", "255", "256", "300", "01", "001", "00"];
  const slow = (kind: "addr" | "prefix" | "addrPort", text: string): string | undefined => {
    const parsed = kind === "addr" ? parseAddr(text) : kind === "prefix" ? parsePrefix(text) : parseAddrPort(text);
    if ("problem" in parsed) return undefined;
    return kind === "addr" ? formatAddr(parsed as NetipAddr) : kind === "prefix" ? formatPrefix(parsed as NetipPrefix) : formatAddrPort(parsed as NetipAddrPort);
  };
  const fast = (kind: "addr" | "prefix" | "addrPort", text: string): string | undefined => {
    const r = canonicalNetip(kind, text);
    return typeof r === "string" ? r : undefined;
  };
  let checked = 0;
  for (const a of octets) {
    for (const b of octets) {
      const addr = `${a}.1.${b}.7`;
      assert.equal(fast("addr", addr), slow("addr", addr), addr);
      for (const bits of ["0", "8", "24", "32", "33", "024", "+8", ""]) {
        assert.equal(fast("prefix", `${addr}/${bits}`), slow("prefix", `${addr}/${bits}`), `${addr}/${bits}`);
      }
      for (const port of ["0", "1", "80", "6443", "51820", "65535", "65536", "051820", "00", "99999"]) {
        assert.equal(fast("addrPort", `${addr}:${port}`), slow("addrPort", `${addr}:${port}`), `${addr}:${port}`);
      }
      checked++;
    }
  }
  assert.equal(checked, octets.length ** 2);
});
