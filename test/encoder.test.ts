// The encoder writes what Talos writes: every full config Talos produced
// re-encodes to the same bytes, and scalars are quoted as go-yaml quotes them.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseConfig } from "../compiler/load/config.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { compareKeys } from "../compiler/emit/order.ts";
import { goFloat, stringStyle } from "../compiler/emit/scalar.ts";
import { writeDocument, OrderedMap } from "../compiler/emit/yaml.ts";
import { SKIP_UPSTREAM, UPSTREAM, upstreamFile } from "./helpers/upstream.ts";

// Files Talos wrote itself (its generator or its patcher's output): byte-exact.
function talosWrittenFiles(): string[] {
  if (UPSTREAM === undefined) return [];
  const files: string[] = [];
  for (const v of readdirSync(join(UPSTREAM, "talos/stability"), { withFileTypes: true })) {
    if (!v.isDirectory()) continue;
    for (const f of readdirSync(join(UPSTREAM, "talos/stability", v.name))) files.push(`talos/stability/${v.name}/${f}`);
  }
  for (const c of readdirSync(join(UPSTREAM, "talos/configpatcher"), { withFileTypes: true })) {
    if (!c.isDirectory()) continue;
    for (const f of readdirSync(join(UPSTREAM, "talos/configpatcher", c.name))) {
      if (f.includes("expected")) files.push(`talos/configpatcher/${c.name}/${f}`);
    }
  }
  return files.sort();
}

// Hand-written inputs of the patch cases (2-space indented): not Talos's bytes, so
// these must survive a round trip and reach a fixed point.
const HAND_WRITTEN_CONFIGS = [
  "talos/configpatcher/apply/config.yaml",
  "talos/configpatcher/auditpolicy/config.yaml",
  "talos/configpatcher/multidoc/config.yaml",
  "talos/configpatcher/patchdelete/config.yaml",
  "talos/configpatcher/patchdelete/controlplane_orig.yaml",
  "talos/configpatcher/patchdeletemissing/config.yaml",
  "talos/configpatcher/patchlink/base.yaml",
  "talos/configpatcher/patchmixed/base.yaml",
];

describe("re-encoding Talos's own output", { skip: SKIP_UPSTREAM }, () => {
  const files = talosWrittenFiles();
  test("finds the fixtures", () => assert.ok(files.length >= 20, `only ${files.length} files`));
  for (const rel of files) {
    test(rel, () => {
      const text = upstreamFile(rel);
      assert.equal(encodeConfig(parseConfig(text, rel)), text);
    });
  }
  for (const rel of HAND_WRITTEN_CONFIGS) {
    test(`${rel} round-trips`, () => {
      const docs = parseConfig(upstreamFile(rel), rel);
      const once = encodeConfig(docs);
      assert.deepEqual(parseConfig(once, rel), docs);
      assert.equal(encodeConfig(parseConfig(once, rel)), once);
    });
  }
});

describe("key order", () => {
  test("does not depend on insertion order", () => {
    const a = { version: "v1alpha1", persist: true, debug: false, machine: { type: "worker", token: "x", certSANs: [] }, cluster: { token: "y" } };
    const b = { cluster: { token: "y" }, machine: { certSANs: [], token: "x", type: "worker" }, debug: false, persist: true, version: "v1alpha1" };
    assert.equal(encodeConfig([b]), encodeConfig([a]));
    assert.equal(encodeConfig([a]).split("\n")[0], "version: v1alpha1");
  });
  test("struct fields follow Talos's declaration order", () => {
    const out = encodeConfig([{ apiVersion: "v1alpha1", kind: "KubeFlannelCNIConfig", backendPort: 4789, backendType: "vxlan" }]);
    assert.equal(out, "apiVersion: v1alpha1\nkind: KubeFlannelCNIConfig\nbackendType: vxlan\nbackendPort: 4789\n");
  });
  test("keys a struct does not declare come after its fields, in map order; unset fields are left out", () => {
    const out = encodeConfig([{ zeta: 1, backendPort: 4789, a10: 2, kind: "KubeFlannelCNIConfig", extraArgs: undefined, a9: 3, apiVersion: "v1alpha1" }]);
    assert.equal(out, "apiVersion: v1alpha1\nkind: KubeFlannelCNIConfig\nbackendPort: 4789\na9: 3\na10: 2\nzeta: 1\n");
  });
  const cases: Array<[string, string[]]> = [
    ["digits compare as numbers", ["a10", "a2", "a1"]],
    ["letters after a shared digit run", ["a1b", "a1", "a12"]],
    ["non-letters before letters, then character order", ["b", "B", "a", "_x"]],
    ["dotted sysctl names", ["net.ipv4.ip_forward", "net.core.somaxconn", "kernel.pid_max"]],
  ];
  const expected: Record<string, string[]> = {
    "digits compare as numbers": ["a1", "a2", "a10"],
    "letters after a shared digit run": ["a1", "a1b", "a12"],
    "non-letters before letters, then character order": ["_x", "B", "a", "b"],
    "dotted sysctl names": ["kernel.pid_max", "net.core.somaxconn", "net.ipv4.ip_forward"],
  };
  for (const [name, keys] of cases) {
    test(`map keys: ${name}`, () => assert.deepEqual([...keys].sort(compareKeys), expected[name]));
  }
});

describe("scalars", () => {
  const cases: Array<[string, string, string]> = [
    ["a plain word", "hello", "plain"],
    ["empty string", "", "double"],
    ["reads as bool", "true", "double"],
    ["reads as null", "null", "double"],
    ["reads as int", "6443", "double"],
    ["reads as hex int", "0x1F", "double"],
    ["reads as float", "1.5", "double"],
    ["underscored int", "1_000", "double"],
    ["a date", "2024-01-02", "double"],
    ["yaml 1.1 bool", "yes", "single"],
    ["base 60", "1:20", "single"],
    ["leading dash and space", "- x", "single"],
    ["colon space inside", "a: b", "single"],
    ["hash after space", "a #b", "single"],
    ["leading space", " a", "single"],
    ["tab inside", "a\tb", "double"],
    ["a version", "v1.28.0", "plain"],
    ["a CIDR", "10.244.0.0/16", "plain"],
    ["a URL", "https://base:6443", "plain"],
    ["a CEL expression", 'disk.dev_path == "/dev/vda"', "plain"],
    ["multi-line", "a\nb\n", "literal"],
    ["multi-line with trailing space", "a \nb", "double"],
    ["only a newline", "\n", "double"],
  ];
  for (const [name, value, style] of cases) {
    test(`${name}: ${JSON.stringify(value)} is ${style}`, () => assert.equal(stringStyle(value, "value"), style));
  }
  test("a multi-line key is double-quoted", () => assert.equal(stringStyle("a\nb", "key"), "double"));

  const layouts: Array<[string, unknown, string]> = [
    ["literal keeps its final newline", new OrderedMap([["k", "a\nb\n"]]), "k: |\n    a\n    b\n"],
    ["literal strips a missing newline", new OrderedMap([["k", "a\nb"]]), "k: |-\n    a\n    b\n"],
    ["literal keeps extra newlines", new OrderedMap([["k", "a\n\n"]]), "k: |+\n    a\n\n"],
    ["literal with leading space gets a hint", new OrderedMap([["k", " a\nb\n"]]), "k: |4\n     a\n    b\n"],
    ["literal in a list item", [new OrderedMap([["k", ["x\ny\n"]]])], "- k:\n    - |\n      x\n      y\n"],
    ["nested list in list item", [[1, 2]], "- - 1\n  - 2\n"],
    ["quotes escaped", new OrderedMap([["k", 'say "hi"\u0001']]), 'k: "say \\"hi\\"\\x01"\n'],
    ["single quotes doubled", new OrderedMap([["k", "it's: x"]]), "k: 'it''s: x'\n"],
    ["empty collections are flow", new OrderedMap([["a", []], ["b", new OrderedMap([])]]), "a: []\nb: {}\n"],
  ];
  for (const [name, value, text] of layouts) {
    test(`layout: ${name}`, () => assert.equal(writeDocument(value as never), text));
  }

  const floats: Array<[number, string]> = [
    [1.5, "1.5"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1234567.5, "1.2345675e+06"],
    [123456.5, "123456.5"],
    [-2.25, "-2.25"],
  ];
  for (const [f, text] of floats) test(`float ${f} is written ${text}`, () => assert.equal(goFloat(f), text));
});
