// Strings written as go-yaml writes them. Talos 1.12 encodes with go.yaml.in/yaml/v4
// v4.0.0-rc.3, 1.13 with rc.4 and 1.14 with rc.6 (pkg/machinery/go.mod of v1.12.11,
// v1.13.9, v1.14.0-rc.1). Every expected text below is what those releases' yaml.Marshal
// wrote for the same value.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stringStyle } from "../compiler/emit/scalar.ts";
import { OrderedMap, writeDocument } from "../compiler/emit/yaml.ts";

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
    test(`${name}: ${JSON.stringify(value)} is ${style}`, () => assert.equal(stringStyle(value, "value"), style));
  }
});

describe("go-yaml's emitter (same in rc.3, rc.4 and rc.6)", () => {
  const each = (name: string, value: string, text: string) =>
    test(name, () => assert.equal(writeDocument(new OrderedMap([["k", value]])), text));

  each("NEL is not printable: double quotes, escaped \\N", "a\u0085b", 'k: "a\\Nb"\n');
  each("NEL with a newline is double-quoted, not a literal block", "a\u0085b\n", 'k: "a\\Nb\\n"\n');
  each("a character outside the Basic Multilingual Plane is escaped \\U", "a\u{1F600}b", 'k: "a\\U0001F600b"\n');
  each("after a leading byte-order mark every character is escaped", "\ufeffa b\u00a0", 'k: "\\uFEFF\\x61\\x20\\x62\\_"\n');
  each("a byte-order mark further on is the only one escaped", "a\ufeffb", 'k: "a\\uFEFFb"\n');
});
