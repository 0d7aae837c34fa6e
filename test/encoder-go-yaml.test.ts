// Strings written as the go-yaml release of each Talos line writes them. Talos
// 1.12 encodes with go.yaml.in/yaml/v4 v4.0.0-rc.3, 1.13 with rc.4 and 1.14 with
// rc.6 (pkg/machinery/go.mod of v1.12.11, v1.13.9, v1.14.0-rc.1). Every expected
// text below is what that release's yaml.Marshal wrote for the same value.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { stringStyle, yamlDialect } from "../compiler/emit/scalar.ts";
import { OrderedMap, writeDocument, type Ordered } from "../compiler/emit/yaml.ts";
import type { Contract } from "../compiler/talos/contract.ts";

const RELEASES: Array<[Contract, string]> = [
  ["1.12", "v4.0.0-rc.3"],
  ["1.13", "v4.0.0-rc.4"],
  ["1.14", "v4.0.0-rc.6"],
];

const map = (...entries: Array<[string, Ordered]>): OrderedMap => new OrderedMap(entries);
const written = (value: Ordered, contract: Contract = "1.14"): string => writeDocument(value, yamlDialect(contract));

describe("YAML 1.1 values in strings: double quotes up to rc.4, single from rc.6", () => {
  const bools = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"];
  const base60 = ["1:20", "190:20:30.15", "-1:20", "+1:20", "1_0:20", "01:02", "1:2.", "12:30:45.5_0"];
  for (const s of [...bools, ...base60, "<<"]) {
    test(`${JSON.stringify(s)}: rc.3 and rc.4 (Talos 1.12, 1.13) write "…", rc.6 (Talos 1.14) writes '…'`, () => {
      assert.equal(written(map(["k", s]), "1.12"), `k: "${s}"\n`);
      assert.equal(written(map(["k", s]), "1.13"), `k: "${s}"\n`);
      assert.equal(written(map(["k", s]), "1.14"), `k: '${s}'\n`);
      // a key is quoted the same way
      assert.equal(written(map([s, 1]), "1.12"), `"${s}": 1\n`);
      assert.equal(written(map([s, 1]), "1.13"), `"${s}": 1\n`);
      assert.equal(written(map([s, 1]), "1.14"), `'${s}': 1\n`);
    });
  }

  test("HostnameConfig auto off: v1.13.9 writes \"off\", v1.14.0-rc.1 writes 'off'", () => {
    const doc = { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: "w-1" };
    const text = (auto: string) => `apiVersion: v1alpha1\nkind: HostnameConfig\nauto: ${auto}\nhostname: w-1\n`;
    assert.equal(encodeConfig([doc], "1.12"), text('"off"'));
    assert.equal(encodeConfig([doc], "1.13"), text('"off"'));
    assert.equal(encodeConfig([doc], "1.14"), text("'off'"));
    // the newest release when none is named
    assert.equal(encodeConfig([doc]), text("'off'"));
  });

  // Near misses stay what the resolver makes of them, in every release.
  const others: Array<[string, string]> = [
    ["yES", "yES"],
    ["oN", "oN"],
    ["Yes!", "Yes!"],
    ["yess", "yess"],
    ["t", "t"],
    ["F", "F"],
    ["true", '"true"'],
    ["False", '"False"'],
    ["1:60", "1:60"],
    ["1::2", "1::2"],
    ["1:2:3a", "1:2:3a"],
    [":1", ":1"],
    ["<<<", "<<<"],
  ];
  for (const [s, text] of others) {
    for (const [contract, release] of RELEASES) {
      test(`${JSON.stringify(s)} is ${text} in ${release} (Talos ${contract})`, () => assert.equal(written(map(["k", s]), contract), `k: ${text}\n`));
    }
  }
});

describe("literal blocks starting with a line break: an indentation indicator in rc.3 only", () => {
  for (const [contract, release] of RELEASES) {
    const header = contract === "1.12" ? "|4-" : "|-";
    test(`${release} (Talos ${contract}) writes ${header}`, () => {
      assert.equal(written(map(["k", "\nlead"]), contract), `k: ${header}\n\n    lead\n`);
      assert.equal(written(map(["k", ["\nx\n"]]), contract), `k:\n    - ${contract === "1.12" ? "|4" : "|"}\n\n      x\n`);
    });
  }
  test("a leading space gets the indicator in every release", () => {
    for (const [contract] of RELEASES) assert.equal(written(map(["k", " sp\nx"]), contract), "k: |4-\n     sp\n    x\n");
  });
});

describe("go-yaml's resolver (same in rc.3, rc.4 and rc.6)", () => {
  const cases: Array<[string, string, string]> = [
    ["a float too large for a float64 does not parse, so it stays a plain string", "1e400", "plain"],
    ["the same, negative", "-1e400", "plain"],
    ["the same, starting with a dot", ".5e400", "plain"],
    ["a float too small underflows to zero and still parses", "1e-400", "double"],
    ["ParseFloat takes underscores between digits after a leading dot", ".9_9", "double"],
    ["and in the exponent", ".5e1_0", "double"],
    ["but not after the dot", "._9", "plain"],
    ["nor at the end", ".9_", "plain"],
    ["time.Parse takes a run of spaces between date and time", "2001-12-14  21:59:43", "double"],
    ["and a comma before the fraction", "2001-12-14 21:59:43,5", "double"],
    ["and any number of fraction digits (Go 1.20 and later)", "2001-12-14T21:59:43.1234567890Z", "double"],
    ["a zone offset of 24 hours", "2001-12-14T21:59:43+24:00", "double"],
    ["a zone offset of 60 minutes", "2001-12-14T21:59:43-05:60", "double"],
    ["but not 25 hours", "2001-12-14T21:59:43+25:00", "plain"],
    ["nor 61 minutes", "2001-12-14T21:59:43+05:61", "plain"],
    ["a date that does not exist is no timestamp", "2001-02-29", "plain"],
    ["a leap day is", "2000-02-29", "double"],
  ];
  for (const [name, value, style] of cases) {
    test(`${name}: ${JSON.stringify(value)} is ${style}`, () => {
      for (const [contract] of RELEASES) assert.equal(stringStyle(value, "value", yamlDialect(contract)), style);
    });
  }
});

describe("go-yaml's emitter (same in rc.3, rc.4 and rc.6)", () => {
  const each = (name: string, value: Ordered, text: string) =>
    test(name, () => {
      for (const [contract] of RELEASES) assert.equal(written(value, contract), text, contract);
    });

  each("NEL is not printable: double quotes, escaped \\N", map(["k", "a\u0085b"]), 'k: "a\\Nb"\n');
  each("NEL with a newline is double-quoted, not a literal block", map(["k", "a\u0085b\n"]), 'k: "a\\Nb\\n"\n');
  each("a character outside the Basic Multilingual Plane is escaped \\U", map(["k", "a\u{1F600}b"]), 'k: "a\\U0001F600b"\n');
  each("after a leading byte-order mark every character is escaped", map(["k", "\ufeffa b\u00a0"]), 'k: "\\uFEFF\\x61\\x20\\x62\\_"\n');
  each("a byte-order mark further on is the only one escaped", map(["k", "a\ufeffb"]), 'k: "a\\uFEFFb"\n');
  each("a line separator in single quotes is kept, the rest indented", map(["k", "a\u2028b"]), "k: 'a\u2028    b'\n");
  each("a paragraph separator too, at the value's indentation", map(["a", map(["k", "x\u2029y"])]), "a:\n    k: 'x\u2029        y'\n");
  each("a line separator in a list item's single quotes", map(["a", ["x\u2028y"]]), "a:\n    - 'x\u2028      y'\n");
  each("a line separator in a literal block", map(["k", "a\u2028b\n"]), "k: |\n    a\u2028    b\n");
  each("a literal block ending in a line separator ends without a newline", map(["a", "x\n\u2028"], ["b", 1]), "a: |+\n    x\n\u2028b: 1\n");

  const long = "k".repeat(129);
  each("a key of 128 bytes is simple", map(["k".repeat(128), 1]), `${"k".repeat(128)}: 1\n`);
  each("so is one of 64 two-byte characters", map(["é".repeat(64), 1]), `${"é".repeat(64)}: 1\n`);
  each("a longer key is complex", map(["é".repeat(65), 1], ["b", 2]), `? ${"é".repeat(65)}\n: 1\nb: 2\n`);
  each("a complex key's mapping starts on the colon's line", map([long, map(["x", 1], ["w", 2])]), `? ${long}\n:   x: 1\n    w: 2\n`);
  each("and its list", map([long, [1, [2]]]), `? ${long}\n:   - 1\n    - - 2\n`);
  each("an empty collection after a complex key", map([long, map()], ["e", []]), `? ${long}\n: {}\ne: []\n`);
  each("a literal block after a complex key", map([long, "a\nb\n"]), `? ${long}\n: |\n    a\n    b\n`);
  each("complex keys nested and in list items", map(["a", [map(["b", 1], [long, map(["x", 1])]), map([long, [1]])]]), `a:\n    - b: 1\n      ? ${long}\n      : x: 1\n    - ? ${long}\n      : - 1\n`);
  each("a multi-line key is complex, written as a literal block", map(["a\nb", "v"], ["x\ny\n", map(["z", 1])]), "? |-\n    a\n    b\n: v\n? |\n    x\n    y\n:   z: 1\n");
  each("a key with NEL is complex and double-quoted", map(["c\u0085d", 2]), '? "c\\Nd"\n: 2\n');
  each("a key with a line separator is complex and single-quoted", map(["p\u2028q", 1]), "? 'p\u2028    q'\n: 1\n");
});
