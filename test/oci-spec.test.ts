// The OCI runtime spec facts base runtime spec overrides are read against: how the extractor reads
// Go declarations as encoding/json sees them, and that the committed facts are whole.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { OciSpecFacts } from "../compiler/validate/checks/base-runtime-spec.ts";
import { declsOf, extractSpec, render } from "../scripts/extract-oci-spec.ts";

const GO = `package specs

import "os"

type Spec struct {
	Version string \`json:"ociVersion"\`
	Process *Process \`json:"process,omitempty"\`
	Devices []Device \`json:"devices,omitempty"\`
	Annotations map[string]string \`json:"annotations,omitempty"\`
	Extra interface{} \`json:"extra,omitempty"\`
	Skipped string \`json:"-"\`
	hidden string
	Untagged bool
}

type Process struct {
	Class IOPriorityClass \`json:"class"\`
	Limit *uint64 \`json:"limit,omitempty"\`
}

// IOPriorityClass is read as its underlying string.
type IOPriorityClass string

type BlockDevice struct {
	Major int64 \`json:"major"\`
	Minor int64 \`json:"minor"\`
}

type Device struct {
	BlockDevice
	Minor uint8 \`json:"minor"\`
	Mode *os.FileMode \`json:"mode,omitempty"\`
}
`;

describe("the OCI runtime spec extractor", () => {
  const facts = extractSpec(declsOf(GO), "test");

  test("fields by JSON name, exported and not tagged \"-\", types spelled as Go's errors spell them", () => {
    assert.equal(facts.root, "specs.Spec");
    assert.deepEqual(facts.types["specs.Spec"], [
      ["ociVersion", "string"],
      ["process", "*specs.Process"],
      ["devices", "[]specs.Device"],
      ["annotations", "map[string]string"],
      ["extra", "interface {}"],
      ["Untagged", "bool"],
    ]);
    assert.deepEqual(facts.types["specs.Process"], [["class", "specs.IOPriorityClass"], ["limit", "*uint64"]]);
    // named types that are no struct, with what encoding/json reads them as; os.FileMode is fs.FileMode
    assert.deepEqual(facts.named, { "fs.FileMode": "uint32", "specs.IOPriorityClass": "string" });
  });

  test("an embedded struct's fields are promoted through it, and give way to the struct's own", () => {
    assert.deepEqual(facts.types["specs.Device"], [["minor", "uint8"], ["mode", "*fs.FileMode"], ["major", "int64", "BlockDevice"]]);
    assert.equal(facts.types["specs.BlockDevice"], undefined, "only what Spec reaches is listed");
  });

  test("renders one struct a line, and reads back", () => {
    assert.deepEqual(JSON.parse(render(facts)), facts);
    assert.equal(render(facts).split("\n").filter((l) => /^ {4}"/.test(l)).length, Object.keys(facts.types).length);
  });

  test("a type of another package it does not know is refused", () => {
    assert.throws(() => extractSpec(declsOf(GO.replace("*os.FileMode", "*time.Duration")), "test"), /time\.Duration is not known/);
  });
});

describe("the committed OCI runtime spec facts", () => {
  const facts = JSON.parse(readFileSync(new URL("../compiler/talos/fields/oci-spec.json", import.meta.url), "utf8")) as OciSpecFacts;

  test("name every struct a field holds, and only Go types encoding/json reads", () => {
    const basic = /^(string|bool|u?int(8|16|32|64)?|uintptr|float(32|64)|interface \{\})$/;
    const known = (type: string): boolean => {
      const t = type.replace(/^(\*|\[\]|map\[string\])+/, "");
      return basic.test(t) || Object.hasOwn(facts.types, t) || (Object.hasOwn(facts.named, t) && basic.test(facts.named[t]));
    };
    assert.ok(Object.hasOwn(facts.types, facts.root));
    for (const [name, fields] of Object.entries(facts.types)) {
      for (const [key, type] of fields) assert.ok(known(type), `${name}.${key}: ${type}`);
    }
    assert.match(facts.source, /runtime-spec v1\.3\.0 /);
    assert.deepEqual(facts.types["specs.POSIXRlimit"], [["type", "string"], ["hard", "uint64"], ["soft", "uint64"]]);
  });
});
