// Checks compiler/talos/fields.json against Talos's own YAML output and published JSON schemas.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { isMap, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from "yaml";

interface Fields {
  source: string;
  documents: Record<string, string>;
  types: Record<string, { fields: [string, string][] }>;
}

const fields = JSON.parse(
  readFileSync(fileURLToPath(new URL("../compiler/talos/fields.json", import.meta.url)), "utf8"),
) as Fields;

const upstream = fileURLToPath(new URL("../../shared/upstream/", import.meta.url));
const talos = join(upstream, "talos");
const skip = existsSync(talos) ? false : `reference data not found at ${talos}`;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (e.name.endsWith(".yaml")) out.push(p);
  }
  return out.sort();
}

interface Problems {
  unknown: string[];
  order: string[];
}

/** Checks one value against a field type notation, collecting the problems found. */
function check(node: unknown, notation: string, path: string, problems: Problems): void {
  if (node === null || node === undefined || notation === "any" || notation === "scalar") return;
  if (isScalar(node) && node.value === null) return;
  // a strategic merge patch directive in place of a value, e.g. `endpoints: {$patch: delete}`
  if (isMap(node) && node.items.some((p) => isScalar(p.key) && p.key.value === "$patch") && !fields.types[notation]) return;
  if (notation.startsWith("[]")) {
    if (!isSeq(node)) return void problems.unknown.push(`${path}: expected a sequence`);
    node.items.forEach((item, i) => check(item, notation.slice(2), `${path}[${i}]`, problems));
    return;
  }
  if (notation.startsWith("map[]")) {
    if (!isMap(node)) return void problems.unknown.push(`${path}: expected a mapping`);
    for (const pair of node.items) check(pair.value, notation.slice(5), `${path}.${String((pair.key as YamlNode & { value?: unknown })?.toString())}`, problems);
    return;
  }
  const type = fields.types[notation];
  if (!type) return void problems.unknown.push(`${path}: unknown type ${notation}`);
  if (!isMap(node)) return void problems.unknown.push(`${path}: expected a mapping for ${notation}`);
  const names = type.fields.map(([n]) => n);
  let last = -1;
  let lastKey = "";
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    // strategic merge patch directive
    if (key === "$patch") continue;
    const idx = names.indexOf(key);
    if (idx < 0) {
      problems.unknown.push(`${path}: unknown key ${JSON.stringify(key)} for ${notation}`);
      continue;
    }
    if (idx < last) problems.order.push(`${path}: key ${JSON.stringify(key)} comes after ${JSON.stringify(lastKey)} in ${notation}`);
    else {
      last = idx;
      lastKey = key;
    }
    check(pair.value, type.fields[idx][1], `${path}.${key}`, problems);
  }
}

/** Root type of a document: Talos takes a document without `kind` for the v1alpha1 config. */
function rootType(doc: { get(key: string): unknown; has(key: string): boolean }): string | undefined {
  if (!doc.has("kind")) return fields.documents.v1alpha1;
  const kind = doc.get("kind");
  return typeof kind === "string" ? fields.documents[kind] : undefined;
}

/** Files written by Talos's encoder (the others are hand-written inputs and patches). */
function talosEncoded(rel: string): boolean {
  return /^stability\/v[0-9.]+\//.test(rel) || /^configpatcher\/.*\/expected[^/]*\.yaml$/.test(rel);
}

test("fields.json is well formed", () => {
  assert.match(fields.source, /^siderolabs\/talos [0-9a-f]{40}/);
  const seen = new Set<string>();
  const visit = (notation: string): void => {
    if (notation === "scalar" || notation === "any") return;
    if (notation.startsWith("[]")) return visit(notation.slice(2));
    if (notation.startsWith("map[]")) return visit(notation.slice(5));
    assert.ok(fields.types[notation], `unknown type ${notation}`);
    if (seen.has(notation)) return;
    seen.add(notation);
    const names = new Set<string>();
    for (const [name, t] of fields.types[notation].fields) {
      assert.ok(!names.has(name), `${notation}: duplicate field ${name}`);
      names.add(name);
      visit(t);
    }
  };
  for (const root of Object.values(fields.documents)) visit(root);
  assert.deepEqual([...seen].sort(), Object.keys(fields.types).sort(), "types not reachable from a document");
  // deprecated fields that must be present
  const has = (type: string, name: string): boolean => fields.types[type]?.fields.some(([n]) => n === name) ?? false;
  assert.ok(has("v1alpha1.Config", "persist"));
  assert.ok(has("v1alpha1.MachineConfig", "network"));
  assert.ok(has("v1alpha1.MachineConfig", "time"));
  assert.ok(has("v1alpha1.MachineConfig", "registries"));
  assert.ok(has("v1alpha1.InstallConfig", "extraKernelArgs"));
});

test("upstream YAML keys are known and in field order", { skip }, (t) => {
  const files = [...yamlFiles(join(talos, "stability")), ...yamlFiles(join(talos, "configpatcher"))]
    // the secrets bundle is not a machine config document
    .filter((f) => !f.endsWith("/secrets.yaml"));
  assert.ok(files.length > 0);
  const unknown: string[] = [];
  const order: string[] = [];
  let checked = 0;
  for (const file of files) {
    const rel = file.slice(talos.length + 1);
    for (const [i, doc] of parseAllDocuments(readFileSync(file, "utf8")).entries()) {
      if (doc.errors.length) {
        unknown.push(`${rel}#${i}: ${doc.errors[0].message}`);
        continue;
      }
      // JSON6902 patches (sequences) and empty documents are not config documents
      if (!isMap(doc.contents)) continue;
      const root = rootType(doc);
      if (!root) {
        unknown.push(`${rel}#${i}: unknown document (kind ${String(doc.get("kind"))})`);
        continue;
      }
      const problems: Problems = { unknown, order: [] };
      check(doc.contents, root, `${rel}#${i}`, problems);
      if (talosEncoded(rel)) order.push(...problems.order);
      // hand-written inputs need not follow the encoder's order
      else for (const p of problems.order) t.diagnostic(`hand-written, not in encoder order: ${p}`);
      checked++;
    }
  }
  t.diagnostic(`${checked} documents checked`);
  assert.ok(checked > 50, `only ${checked} documents checked`);
  assert.deepEqual(unknown, []);
  assert.deepEqual(order, []);
});

// Schema definitions whose name meant a different struct in that release.
const SCHEMA_RENAMED: Record<string, string> = {
  // in 1.12 ExistingVolumeConfig mounted with block.MountSpec {readOnly}; it got block.ExistingMountSpec in 1.13
  "v1.12.11.json: block.MountSpec": "renamed since",
};

test("published schema property order is a subsequence of the field order", { skip }, () => {
  const dir = join(talos, "schemas");
  const problems: string[] = [];
  // types by their Go name (without package), as the schema names its definitions
  const byName = new Map<string, string[]>();
  for (const key of Object.keys(fields.types)) {
    const name = key.slice(key.indexOf(".") + 1);
    byName.set(name, [...(byName.get(name) ?? []), key]);
  }
  let compared = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const schema = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
      $defs?: Record<string, { properties?: Record<string, unknown> }>;
      definitions?: Record<string, { properties?: Record<string, unknown> }>;
    };
    const defs = schema.$defs ?? schema.definitions ?? {};
    for (const [defName, def] of Object.entries(defs)) {
      if (!def.properties) continue;
      // definitions are named either "<pkg>.<Type>" or "<Type>"
      const candidates = fields.types[defName] ? [defName] : (byName.get(defName) ?? []);
      if (candidates.length === 0) continue;
      const props = Object.keys(def.properties);
      const ok = candidates.some((key) => {
        const names = fields.types[key].fields.map(([n]) => n);
        let pos = 0;
        for (const p of props) {
          const idx = names.indexOf(p, pos);
          if (idx < 0) return false;
          pos = idx + 1;
        }
        return true;
      });
      compared++;
      if (!ok && !SCHEMA_RENAMED[`${file}: ${defName}`]) problems.push(`${file}: ${defName}: [${props.join(", ")}] vs ${candidates.map((k) => `${k} [${fields.types[k].fields.map(([n]) => n).join(", ")}]`).join(" | ")}`);
    }
  }
  assert.ok(compared > 50, `only ${compared} schema definitions compared`);
  assert.deepEqual(problems, []);
});

// The decode and merge facts the patch engine reads (third element of each field, "named", "releases").
interface FieldFacts {
  go: string;
  omitempty?: boolean;
  replace?: boolean;
  inline?: boolean;
}
interface FactsFile {
  types: Record<string, { fields: [string, string, FieldFacts][] }>;
  named: Record<string, { underlying: string; inlineMap?: string; methods?: Record<string, string> }>;
  releases: Record<string, { source: string; documents: Record<string, string>; types: FactsFile["types"]; named: FactsFile["named"] }>;
}
const facts = fields as unknown as FactsFile;

test("every field carries its Go type and tags", () => {
  const bad: string[] = [];
  for (const [type, { fields: list }] of Object.entries(facts.types)) {
    for (const f of list) if (f.length !== 3 || typeof f[2]?.go !== "string" || f[2].go === "") bad.push(`${type}.${f[0]}`);
  }
  assert.deepEqual(bad, []);
});

test('merge:"replace" tags are recorded where Talos has them', () => {
  const replaced = new Set<string>();
  for (const [type, { fields: list }] of Object.entries(facts.types)) for (const [name, , f] of list) if (f.replace) replaced.add(`${type}.${name}`);
  for (const want of [
    "v1alpha1.ClusterNetworkConfig.podSubnets",
    "v1alpha1.ClusterNetworkConfig.serviceSubnets",
    "v1alpha1.APIServerConfig.auditPolicy",
    "k8s.KubeNetworkConfigV1Alpha1.podSubnets",
    "k8s.KubeAuditPolicyConfigV1Alpha1.configuration",
    "network.RuleConfigV1Alpha1.ingress",
  ]) {
    assert.ok(replaced.has(want), `${want} is not recorded as merge:"replace"`);
  }
  assert.ok(!replaced.has("v1alpha1.MachineConfig.certSANs"));
});

test("named types: keyed lists and scalar kinds", () => {
  assert.equal(facts.named["v1alpha1.NetworkDeviceList"].underlying, "[]*v1alpha1.Device");
  assert.equal(facts.named["v1alpha1.NetworkDeviceList"].methods?.Merge, "pointer");
  assert.equal(facts.named["nethelpers.BondMode"].underlying, "uint8");
  assert.equal(facts.named["meta.Unstructured"].inlineMap, "map[string]any");
  const device = facts.types["v1alpha1.Device"].fields;
  assert.deepEqual(device.find(([n]) => n === "dhcp")?.[2], { go: "*bool", omitempty: true });
  assert.deepEqual(device.find(([n]) => n === "vlans")?.[2], { go: "v1alpha1.VlanList", omitempty: true });
});

test("releases record what differs per supported contract", () => {
  assert.deepEqual(Object.keys(facts.releases).sort(), ["1.12", "1.13", "1.14"]);
  assert.match(facts.releases["1.12"].source, /\(v1\.12\.\d+\)$/);
  // extraArgs were a plain string map before 1.13
  const apiServer12 = facts.releases["1.12"].types["v1alpha1.APIServerConfig"].fields;
  assert.equal(apiServer12.find(([n]) => n === "extraArgs")?.[2].go, "map[string]string");
  const apiServerMain = facts.types["v1alpha1.APIServerConfig"].fields;
  assert.equal(apiServerMain.find(([n]) => n === "extraArgs")?.[2].go, "meta.Args");
  for (const [contract, r] of Object.entries(facts.releases)) {
    for (const [kind, root] of Object.entries(r.documents)) {
      assert.ok(r.types[root] ?? facts.types[root], `${contract}: ${kind} has no type ${root}`);
    }
  }
  assert.equal(facts.releases["1.12"].documents.KubeletConfig, undefined, "1.12 has no KubeletConfig document");
});
