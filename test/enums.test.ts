// Talos's types read and written by name (compiler/talos/fields/enums.json):
// a name in any letter case Talos reads is written the way Talos writes it,
// the name of 0 is what an unset field holds, and the facts cover every such
// type of every release.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { ConfigDocument } from "../compiler/load/config.ts";
import { applyPatches } from "../compiler/patch/index.ts";
import { canonicalName, enumFacts, goLower } from "../compiler/talos/enums.ts";
import { normalizeDocument, typeSystem, YamlScalar } from "../compiler/talos/typed.ts";

const doc = (kind: string, fields: Record<string, unknown>): ConfigDocument => ({ apiVersion: "v1alpha1", kind, ...fields });
const norm = (d: ConfigDocument): Record<string, unknown> => normalizeDocument(d, { contract: "1.14" });

describe("written as Talos writes them", () => {
  const cases: Array<{ name: string; doc: ConfigDocument; field: string; expect: unknown }> = [
    { name: "a name in capitals is written in Talos's spelling", doc: doc("RoutingRuleConfig", { name: "1000", table: "main", action: "Blackhole" }), field: "action", expect: "blackhole" },
    { name: "a name Talos spells with capitals keeps them", doc: doc("ResolverConfig", { nameservers: [{ address: "9.9.9.9", protocol: "dot", tlsServerName: "dns.quad9.net" }] }), field: "nameservers", expect: [{ address: "9.9.9.9", protocol: "DoT", tlsServerName: "dns.quad9.net" }] },
    { name: "Go's lower-casing of the Kelvin sign", doc: doc("NetworkDefaultActionConfig", { ingress: "BLOC\u212a" }), field: "ingress", expect: "block" },
    { name: "an unset field without omitempty is the name of 0", doc: doc("NetworkDefaultActionConfig", {}), field: "ingress", expect: "accept" },
    { name: "an unset routing table is unspec", doc: doc("RoutingRuleConfig", { name: "1000", action: "prohibit" }), field: "table", expect: "unspec" },
    { name: "the name of 0 is left out under omitempty", doc: doc("RoutingRuleConfig", { name: "1000", table: "main", action: "UNSPEC" }), field: "action", expect: undefined },
    { name: "a YAML number is read by its text", doc: doc("RoutingRuleConfig", { name: "1000", table: new YamlScalar("100", 100) }), field: "table", expect: "100" },
    { name: "a text that is no name stays for validation to refuse", doc: doc("RoutingRuleConfig", { name: "1000", table: "main", action: new YamlScalar("6", 6) }), field: "action", expect: "6" },
    { name: "a type Talos reads case-sensitively keeps the text", doc: doc("BondConfig", { name: "bond0", links: ["eth0"], bondMode: "active-backup", failOverMac: "Active" }), field: "failOverMac", expect: "Active" },
    // nethelpers.FailOverMAC's own UnmarshalText: "" and the numbers 0 to 2 of old configs, written back by name
    { name: "an empty fail-over MAC mode is none, and written so", doc: doc("BondConfig", { name: "bond0", links: ["eth0"], bondMode: "active-backup", failOverMac: "" }), field: "failOverMac", expect: "none" },
    { name: "a legacy fail-over MAC number is written by its name", doc: doc("BondConfig", { name: "bond0", links: ["eth0"], bondMode: "active-backup", failOverMac: new YamlScalar("1", 1) }), field: "failOverMac", expect: "active" },
    { name: "a legacy number as text, read as strconv.ParseInt reads it", doc: doc("BondConfig", { name: "bond0", links: ["eth0"], bondMode: "active-backup", failOverMac: "+02" }), field: "failOverMac", expect: "follow" },
    { name: "a number past the last mode stays for validation to refuse", doc: doc("BondConfig", { name: "bond0", links: ["eth0"], bondMode: "active-backup", failOverMac: new YamlScalar("3", 3) }), field: "failOverMac", expect: "3" },
    { name: "a list of names", doc: doc("EthernetConfig", { name: "eth0", wakeOnLan: ["MAGIC", "unicast"] }), field: "wakeOnLan", expect: ["magic", "unicast"] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(norm(c.doc)[c.field], c.expect));
});

test("a patch's name of 0 does not override, as Talos merges zero values", () => {
  const base = [doc("RoutingRuleConfig", { name: "1000", table: "main", action: "blackhole" })];
  const [out] = applyPatches(base, [doc("RoutingRuleConfig", { name: "1000", action: "Unspec" })], { contract: "1.14" });
  assert.equal(out.action, "blackhole");
  const [changed] = applyPatches(base, [doc("RoutingRuleConfig", { name: "1000", action: "Prohibit" })], { contract: "1.14" });
  assert.equal(changed.action, "prohibit");
});

test("names as Talos matches them", () => {
  const table = enumFacts("nethelpers.RoutingTable")!;
  assert.equal(canonicalName(table, "Main"), "main");
  assert.equal(canonicalName(table, "252"), "252");
  for (const refused of ["253", "0", "01", "+1", "mainx", "ma\u0131n"]) assert.equal(canonicalName(table, refused), undefined, refused);
  assert.equal(goLower("\u0130CMP"), "icmp");
  const failOver = enumFacts("nethelpers.FailOverMAC")!;
  for (const [text, name] of [["", "none"], ["active", "active"], ["0", "none"], ["2", "follow"], ["+1", "active"], ["-0", "none"], ["002", "follow"]]) {
    assert.equal(canonicalName(failOver, text), name, JSON.stringify(text));
  }
  for (const refused of ["Active", "FOLLOW", "3", "-1", "1.0", "0x1", " 1"]) assert.equal(canonicalName(failOver, refused), undefined, refused);
});

test("every type Talos reads by an enumer name has facts; the others are read as given", () => {
  // enumer-generated types: an integer underlying type with MarshalText and UnmarshalText
  // (nethelpers.FailOverMAC's parser is hand-written; its facts say how it differs)
  const facts = JSON.parse(readFileSync(new URL("../compiler/talos/fields/enums.json", import.meta.url), "utf8")) as { types: Record<string, unknown> };
  const seen = new Set<string>();
  for (const c of ["1.12", "1.13", "1.14"] as const) {
    for (const [name, named] of Object.entries(typeSystem(c).namedTypes())) {
      const integer = /^u?int(8|16|32|64)?$/.test(named.underlying);
      if (integer && named.methods?.UnmarshalText !== undefined && named.methods.MarshalText !== undefined) seen.add(name);
    }
  }
  assert.deepEqual([...seen].sort(), Object.keys(facts.types).sort());
});
