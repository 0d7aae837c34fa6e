// What `talc patch` writes when the last patch is a JSON6902 patch: what
// talosctl writes, which is not Talos's encoding. Talos 1.12, 1.13 and 1.14
// apply a JSON patch to the config's bytes (configpatcher/json6902.go): YAML
// to JSON and back with ghodss/yaml over go-yaml v2 (apply.go keeps those
// bytes, and `machineconfig patch` prints them: patch.go calls Bytes(), which
// re-encodes only a typed config). So the result has its keys sorted, two-space
// indentation, strings folded at 80 columns, YAML 1.1 quoting, and no comments.
// The expected texts below and in test/fixtures/json6902/ were written by
// Talos's libraries (ghodss/yaml v1.0.0, gopkg.in/yaml.v2 v2.4.0,
// evanphx/json-patch v5.9.11), not by talc.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { patchCommand } from "../compiler/cli/patch.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { TalcError } from "../compiler/errors.ts";
import type { ConfigDocument } from "../compiler/load/config.ts";
import { applyPatches, parseGoYaml, parsePatch, patchConfigText } from "../compiler/patch/index.ts";
import { jsonToYaml, yamlToJson, type JsonValue } from "../compiler/patch/jsonyaml.ts";
import { runCommand } from "./helpers/cli.ts";

const FIXTURES = new URL("./fixtures/json6902/", import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const FIXTURE_DIR = decodeURIComponent(FIXTURES.pathname);

// talosctl prints the config and a newline (patch.go: Printf("%s\n")); --output gets the config alone.
const cli = (argv: string[]) => runCommand(patchCommand, argv, FIXTURE_DIR);

function patchText(config: string, patches: string[]): string {
  return patchConfigText(config, patches.map((p, i) => parsePatch(p, `patch${i + 1}`)), { file: "config.yaml" });
}

describe("talc patch after a JSON6902 patch writes what talosctl writes", () => {
  for (const version of ["v1.12.11", "v1.13.9", "v1.14.0-rc.1"]) {
    test(`Talos ${version}: the JSON round trip's bytes, not Talos's encoding`, async () => {
      const r = await cli(["-c", "config.yaml", "-p", "@ops.json", "--talos-version", version]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${fixture("expected-ops.yaml")}\n`);
    });
    test(`Talos ${version}: after a strategic patch, the JSON patch reads Talos's encoding of the merged config`, async () => {
      const r = await cli(["-c", "config.yaml", "-p", "@strategic.yaml", "-p", "@ops.json", "--talos-version", version]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${fixture("expected-strategic-ops.yaml")}\n`);
    });
  }
  test("a config given only JSON patches is never decoded: comments go, YAML 1.1 words become booleans", async () => {
    const r = await cli(["-c", "raw.yaml", "-p", "[]"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${fixture("expected-raw.yaml")}\n`);
  });
  test("a strategic patch after a JSON patch decodes its bytes, and the result is in Talos's encoding again", async () => {
    const r = await cli(["-c", "config.yaml", "-p", "@ops.json", "-p", "@strategic.yaml"]);
    assert.equal(r.code, 0, r.stderr);
    const afterJson = parseGoYaml(fixture("expected-ops.yaml"), "expected-ops.yaml") as ConfigDocument[];
    assert.equal(r.stdout, `${encodeConfig(applyPatches(afterJson, [parsePatch(fixture("strategic.yaml"), "strategic.yaml")]))}\n`);
    assert.match(r.stdout, /^version: v1alpha1\n/);
  });
  test("--output writes the same bytes", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const out = join(mkdtempSync(join(tmpdir(), "talc-json6902-")), "cp.yaml");
    const r = await cli(["-c", "config.yaml", "-p", "@ops.json", "-o", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(out, "utf8"), fixture("expected-ops.yaml"));
  });
  test("Talos's own case (configpatcher_test.go, TestJSON6902)", () => {
    const out = patchText("machine:\n  kubelet: {}\n", ['[{"op": "add", "path": "/machine/kubelet/extraArgs", "value": {"cloud-provider": "external"}}]']);
    assert.equal(out, "machine:\n  kubelet:\n    extraArgs:\n      cloud-provider: external\n");
  });
  test("a JSON patch written as YAML is the same", () => {
    const ops = "- op: add\n  path: /machine/kubelet/extraArgs\n  value:\n    cloud-provider: external\n";
    assert.equal(patchText("machine:\n  kubelet: {}\n", [ops]), "machine:\n  kubelet:\n    extraArgs:\n      cloud-provider: external\n");
  });
  test("duplicate keys in a config given only JSON patches: the later wins, as go-yaml v2 reads them", () => {
    assert.equal(patchText("machine: {type: worker}\nmachine: {type: controlplane}\n", ["[]"]), "machine:\n  type: controlplane\n");
  });
  test("a JSON patch still needs a single-document config", () => {
    assert.throws(() => patchText("version: v1alpha1\n---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n", ["[]"]), /JSON6902 patches are not supported for multi-document machine configuration/);
    // an empty document counts, as Talos's document count does
    assert.throws(() => patchText("version: v1alpha1\n---\n", ["[]"]), /multi-document/);
  });
  test("a config given without a file name is named config in its syntax errors, before a JSON patch as before a strategic one", () => {
    for (const patch of ["[]", "machine: {type: worker}\n"]) {
      assert.throws(
        () => patchConfigText("a: [\n", [parsePatch(patch, "p")]),
        (e: unknown) => e instanceof TalcError && e.code === "yaml-syntax" && e.file === "config",
      );
    }
  });
  test("a value JSON cannot hold is refused, naming the config", () => {
    assert.throws(
      () => patchText("machine: {x: .nan}\n", ["[]"]),
      (e: unknown) => e instanceof TalcError && e.file === "config.yaml" && /machine\.x is \.nan.*json: unsupported value/.test(e.message),
    );
  });
  test("a control character go-yaml v2 will not read back is refused, naming the patch", () => {
    assert.throws(
      () => patchText("machine: {}\n", ['[{"op": "add", "path": "/machine/x", "value": "a\\u007fb"}]']),
      (e: unknown) => e instanceof TalcError && e.file === "patch1" && /U\+007F.*control characters are not allowed/.test(e.message),
    );
  });
});

// JSONToYAML: go-yaml v2 reads Go's JSON text of the value, then writes it.
const WRITTEN: Array<[string, JsonValue, string]> = [
  ["keys sorted with runs of digits compared as numbers", { "9": 1, "10": 1, b: 1, a10: 1, a9: 1, A: 1, _x: 1, a: 1 }, '_x: 1\n"9": 1\n"10": 1\nA: 1\na: 1\na9: 1\na10: 1\nb: 1\n'],
  [
    "two-space indentation, lists not indented under their key",
    { machine: { certSANs: ["a", "b"], network: { interfaces: [{ interface: "eth0", addresses: ["10.0.0.2/24"], routes: [] }] } } },
    "machine:\n  certSANs:\n  - a\n  - b\n  network:\n    interfaces:\n    - addresses:\n      - 10.0.0.2/24\n      interface: eth0\n      routes: []\n",
  ],
  ["empty collections in flow style", { a: {}, b: [], c: [[], {}], d: [[1, 2], [3]] }, "a: {}\nb: []\nc:\n- []\n- {}\nd:\n- - 1\n  - 2\n- - 3\n"],
  [
    "strings that read as something else are double-quoted, YAML 1.1 words too",
    { s: ["yes", "No", "on", "OFF", "y", "n", "true", "~", "null", "", "1", "0x1F", "1.5", "1e3", "2001-12-14", "1:20", ".inf", "<<", "1.28.0", "v1.28.0"] },
    's:\n- "yes"\n- "No"\n- "on"\n- "OFF"\n- "y"\n- "n"\n- "true"\n- "~"\n- "null"\n- ""\n- "1"\n- "0x1F"\n- "1.5"\n- "1e3"\n- "2001-12-14"\n- "1:20"\n- ".inf"\n- <<\n- 1.28.0\n- v1.28.0\n',
  ],
  [
    "strings the emitter cannot write plain are single-quoted",
    { s: ["- a", "a: b", "#x", "a #b", "*a", "&a", "!x", "'q'", "@x", "`x", "%x", "[x", "{x", "|x", ">x", "---", "? x", " lead", "trail "] },
    "s:\n- '- a'\n- 'a: b'\n- '#x'\n- 'a #b'\n- '*a'\n- '&a'\n- '!x'\n- '''q'''\n- '@x'\n- '`x'\n- '%x'\n- '[x'\n- '{x'\n- '|x'\n- '>x'\n- '---'\n- '? x'\n- ' lead'\n- 'trail '\n",
  ],
  [
    "numbers: an integer when Go's JSON text is one, else Go's %g of the float; the key n is a YAML 1.1 word",
    { n: [0, -1, 1.5, 1000000, 1000000.5, 1234567.5, 1e21, 1e-7, 0.0001, 123456789012345, 9007199254740992] },
    '"n":\n- 0\n- -1\n- 1.5\n- 1000000\n- 1.0000005e+06\n- 1.2345675e+06\n- 1e+21\n- 1e-07\n- 0.0001\n- 123456789012345\n- 9007199254740992\n',
  ],
  [
    "long strings folded at 80 columns",
    {
      description: "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word",
      quoted: "yes word word word word word word word word word word word word word word word word word word word word word word word word word",
      nested: { deeper: { value: "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z" } },
    },
    "description: word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word word word\nnested:\n  deeper:\n    value: a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j\n      k l m n o p q r s t u v w x y z\nquoted: yes word word word word word word word word word word word word word word\n  word word word word word word word word word word word\n",
  ],
  ["a string without spaces is never folded", { token: "x".repeat(120) }, `token: ${"x".repeat(120)}\n`],
  [
    "multi-line strings as literal blocks",
    { a: "one\ntwo\n", b: "one\ntwo", c: "one\n\n", d: " indented\nline\n", e: "\nleading\n", f: ["x\ny\n"], g: { h: "p\n\nq\n" } },
    "a: |\n  one\n  two\nb: |-\n  one\n  two\nc: |+\n  one\n\nd: |2\n   indented\n  line\ne: |2\n\n  leading\nf:\n- |\n  x\n  y\ng:\n  h: |\n    p\n\n    q\n",
  ],
  ["multi-line strings with trailing spaces, tabs or CRs are double-quoted", { a: "one \ntwo\n", b: "tab\there\n", c: "cr\r\nlf\n" }, 'a: "one \\ntwo\\n"\nb: "tab\\there\\n"\nc: "cr\\r\\nlf\\n"\n'],
  [
    "characters beyond the BMP and control characters are escaped; after a BOM, every character",
    { a: "smile 😀", b: "tab\tx", c: "bell\u0007", d: "nbsp\u00a0x", e: "\ufeffbom" },
    'a: "smile \\U0001F600"\nb: "tab\\tx"\nc: "bell\\a"\nd: nbsp\u00a0x\ne: "\\uFEFF\\x62\\x6F\\x6D"\n',
  ],
  ["a key longer than 128 bytes is a complex key", { ["k".repeat(129)]: "v", short: "v" }, `? ${"k".repeat(129)}\n: v\nshort: v\n`],
  ["a multi-line key is a complex key", { "a\nb": 1 }, "? |-\n  a\n  b\n: 1\n"],
  ["a lone NEL folds to a space, as go-yaml v2 reads a raw line break in a quoted string", { a: "x \u0085 y", b: "x\u0085\u0085y" }, "a: x y\nb: |-\n  x\n  y\n"],
];

describe("jsonToYaml: ghodss/yaml's JSONToYAML", () => {
  for (const [name, value, want] of WRITTEN) test(name, () => assert.equal(jsonToYaml(value), want));
  test("a key Go's JSON text makes longer than 1024 characters cannot be read back", () => {
    assert.equal(jsonToYaml({ ["k".repeat(1022)]: 1 }), `? ${"k".repeat(1022)}\n: 1\n`);
    assert.throws(() => jsonToYaml({ ["k".repeat(1023)]: 1 }), /too long.*did not find expected ','/);
    // < is written \u003c: six characters
    assert.throws(() => jsonToYaml({ ["<".repeat(171)]: 1 }), /too long/);
  });
});

// YAMLToJSON then JSONToYAML, as an empty JSON patch leaves a config.
const READ: Array<[string, string, string]> = [
  ["comments are dropped and keys sorted", "# head\nversion: v1alpha1 # trailing\nmachine:\n  type: worker # role\n  # about the token\n  token: abc\n", "machine:\n  token: abc\n  type: worker\nversion: v1alpha1\n"],
  ["YAML 1.1: yes, on, n, Off are booleans", "machine:\n  a: yes\n  b: on\n  c: n\n  d: Off\n  e: 'yes'\n  f: true\n", 'machine:\n  a: true\n  b: true\n  c: false\n  d: false\n  e: "yes"\n  f: true\n'],
  [
    "numbers as go-yaml v2 reads them (and the key n is false)",
    "n:\n  - 0777\n  - 0o17\n  - 0x1F\n  - 1_000\n  - 1.10\n  - 1e3\n  - 1000000.0\n  - +5\n  - 9223372036854775807\n  - 18446744073709551615\n  - 12345678901234567890123\n  - 1e400\n  - 08\n",
    '"false":\n- 511\n- 15\n- 31\n- 1000\n- 1.1\n- 1000\n- 1000000\n- 5\n- 9223372036854775807\n- 18446744073709551615\n- 1.2345678901234568e+22\n- 1e400\n- 8\n',
  ],
  [
    "strings stay strings",
    "s:\n  - 1.28.0\n  - v1alpha1\n  - 2001-12-14\n  - '0777'\n  - \"1\"\n  - 1:20\n  - https://10.0.0.1:6443\n",
    's:\n- 1.28.0\n- v1alpha1\n- "2001-12-14"\n- "0777"\n- "1"\n- "1:20"\n- https://10.0.0.1:6443\n',
  ],
  ["block scalars", "a: |\n  x\n  y\nb: >\n  folded\n  text\nc: |-\n  z\n", "a: |\n  x\n  y\nb: |\n  folded text\nc: z\n"],
  [
    "anchors, aliases and merge keys (y is a YAML 1.1 word too)",
    "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist:\n  <<: [{p: 1}, {p: 2, q: 2}]\nref: *b\n",
    'base:\n  "true": 2\n  x: 1\nlist:\n  p: 1\n  q: 2\nref:\n  "true": 2\n  x: 1\nuse:\n  "true": 3\n  x: 1\n',
  ],
  ["a later duplicate key wins", "a: 1\nb: 2\na: 3\n", "a: 3\nb: 2\n"],
  ["keys that are not strings become their text (a float's as a float32)", "k:\n  1: a\n  1.5: b\n  yes: c\n  0x10: d\n  1e3: e\n  1.10: f\n", 'k:\n  "1": a\n  "1.1": f\n  "1.5": b\n  "16": d\n  "1000": e\n  "true": c\n'],
  ["tags", 'a: !!str 1\nb: !!binary aGVsbG8=\nc: !custom x\nd: !!int "5"\ne: !!float 1\n', 'a: "1"\nb: hello\nc: x\nd: 5\ne: 1\n'],
];

describe("yamlToJson: ghodss/yaml's YAMLToJSON over go-yaml v2", () => {
  for (const [name, text, want] of READ) test(name, () => assert.equal(jsonToYaml(yamlToJson(text, "c.yaml")), want));
  test("only the first document is read", () => assert.deepEqual(yamlToJson("a: 1\n---\nb: 2\n", "c.yaml"), { a: 1 }));
  test("NaN and infinities are refused, as Go's JSON encoder refuses them", () => {
    assert.throws(() => yamlToJson("a: [1, -.inf]\n", "c.yaml"), /a\[1\] is -\.inf.*json: unsupported value/);
    // unless a later duplicate key replaces the value first
    assert.deepEqual(yamlToJson("a: .nan\na: 1\n", "c.yaml"), { a: 1 });
  });
  test("text from a dot is a float when Go's ParseFloat reads it, underscores between digits too", () => {
    // go-yaml v2's resolver hands such text to strconv.ParseFloat whole, as v4's does (test/encoder-go-yaml.test.ts)
    assert.deepEqual(yamlToJson("a: .9_9\nb: .5e1_0\nc: ._9\nd: .9_\n", "c.yaml"), { a: 0.99, b: 5e9, c: "._9", d: ".9_" });
    assert.equal(jsonToYaml({ a: ".9_9", b: "._9" }), 'a: ".9_9"\nb: ._9\n');
  });
  test("!!binary is base64 as Go's decoder reads it: line breaks skipped, spaces and tabs refused", () => {
    assert.deepEqual(yamlToJson("a: !!binary |\n  aGVs\n  bG8=\n", "c.yaml"), { a: "hello" });
    // a plain scalar folded over two lines holds a space
    assert.throws(() => yamlToJson("a: !!binary aGVs\n  bG8=\n", "c.yaml"), /!!binary value contains invalid base64 data/);
    assert.throws(() => yamlToJson('a: !!binary "aGVs\\tbG8="\n', "c.yaml"), /!!binary value contains invalid base64 data/);
  });
});
