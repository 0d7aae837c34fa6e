// The per-version Talos schemas and types: how they are built (on small
// made-up inputs), what the committed ones contain, and that they are current.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { CONTRACTS, type Contract } from "../compiler/talos/contract.ts";
import {
  anyCasePattern,
  buildSchema,
  DEFAULT_PUBLISHED,
  documentKinds,
  enumSchema,
  generateAll,
  loadFacts,
  loadPublished,
  OUTPUTS,
  rangePattern,
  renderSchema,
  renderTypes,
  type FieldFacts,
  type Schema,
  type SchemaInputs,
} from "../scripts/schemas.ts";
import { SKIP_UPSTREAM } from "./helpers/upstream.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const committed = (rel: string): string => readFileSync(ROOT + rel, "utf8");
const schemaOf = (c: Contract): Schema => JSON.parse(committed(OUTPUTS.schema(c))) as Schema;
const defsOf = (s: Schema): Record<string, Schema> => s.$defs as Record<string, Schema>;
const prop = (s: Schema, def: string, field: string): Schema | undefined =>
  (defsOf(s)[def]?.properties as Record<string, Schema> | undefined)?.[field];

// ---------------------------------------------------------------------------------------------
// Building, on made-up inputs

function published(contract: Contract, defs: Record<string, Schema>): Schema {
  const roots = Object.keys(defs).filter((d) => d === "v1alpha1.Config" || d.endsWith("V1Alpha1"));
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `https://talos.dev/v${contract}/schemas/config.schema.json`,
    oneOf: roots.map((r) => ({ $ref: `#/$defs/${r}` })),
    $defs: defs,
  };
}

const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({ type: "object", properties, additionalProperties: false, ...extra });

function baseDefs(): Record<string, Schema> {
  return {
    "v1alpha1.Config": obj({ version: { enum: ["v1alpha1"], description: "prose" }, machine: { $ref: "#/$defs/v1alpha1.MachineConfig", title: "machine" } }),
    "v1alpha1.MachineConfig": obj({ type: { enum: ["controlplane", "worker"] }, install: { $ref: "#/$defs/v1alpha1.InstallConfig" } }),
    "v1alpha1.InstallConfig": obj({ disk: { type: "string", markdownDescription: "prose" } }),
    "network.DemoConfigV1Alpha1": obj(
      { apiVersion: { enum: ["v1alpha1"] }, kind: { enum: ["DemoConfig"] }, modes: { enum: ["a", "b"] } },
      { required: ["apiVersion", "kind"] },
    ),
  };
}

function baseFacts(): FieldFacts {
  return {
    source: "made up",
    documents: { v1alpha1: "v1alpha1.Config", DemoConfig: "network.DemoConfigV1Alpha1" },
    types: {
      "v1alpha1.Config": { fields: [["version", "scalar"], ["persist", "scalar"], ["machine", "v1alpha1.MachineConfig"]] },
      "v1alpha1.MachineConfig": { fields: [["type", "scalar"], ["install", "v1alpha1.InstallConfig"], ["time", "v1alpha1.TimeConfig"]] },
      "v1alpha1.InstallConfig": { fields: [["disk", "scalar"], ["extraKernelArgs", "[]scalar"]] },
      "v1alpha1.TimeConfig": { fields: [["servers", "[]scalar"], ["bootTimeout", "scalar"]] },
      "network.DemoConfigV1Alpha1": { fields: [["apiVersion", "scalar"], ["kind", "scalar"], ["modes", "[]scalar"]] },
    },
  };
}

/** Inputs where 1.13 documents extraKernelArgs, and 1.14 adds NewConfig (published under a wrong kind). */
function madeUpInputs(): SchemaInputs {
  const defs13 = baseDefs();
  (defs13["v1alpha1.InstallConfig"].properties as Schema).extraKernelArgs = { type: "array", items: { type: "string", pattern: "^\\S+$" } };
  const defs14 = baseDefs();
  defs14["runtime.NewConfigV1Alpha1"] = obj({ apiVersion: { enum: ["v1alpha1"] }, kind: { enum: ["New"] }, size: { type: "integer" } });
  const facts14 = baseFacts();
  facts14.documents.NewConfig = "runtime.NewConfigV1Alpha1";
  facts14.types["runtime.NewConfigV1Alpha1"] = { fields: [["apiVersion", "scalar"], ["kind", "scalar"], ["size", "scalar"]] };
  return {
    published: new Map([
      ["1.12", published("1.12", baseDefs())],
      ["1.13", published("1.13", defs13)],
      ["1.14", published("1.14", defs14)],
    ]),
    facts: new Map([
      ["1.12", baseFacts()],
      ["1.13", baseFacts()],
      ["1.14", facts14],
    ]),
    scalars: {
      fields: {
        "v1alpha1.Config.persist": "bool",
        "v1alpha1.InstallConfig.extraKernelArgs": "string",
        "v1alpha1.TimeConfig.servers": "string",
        "v1alpha1.TimeConfig.bootTimeout": "duration",
      },
    },
  };
}

describe("buildSchema on made-up inputs", () => {
  const cases: Array<{ name: string; contract: Contract; def: string; field: string; expect: Schema | undefined }> = [
    { name: "a field the published schema leaves out is added and marked deprecated", contract: "1.12", def: "v1alpha1.Config", field: "persist", expect: { type: "boolean", deprecated: true } },
    { name: "prose is dropped", contract: "1.12", def: "v1alpha1.Config", field: "version", expect: { enum: ["v1alpha1"] } },
    { name: "prose beside a $ref is dropped", contract: "1.12", def: "v1alpha1.Config", field: "machine", expect: { $ref: "#/$defs/v1alpha1.MachineConfig" } },
    {
      name: "a left-out field takes its schema from a neighbouring release that documents it",
      contract: "1.12",
      def: "v1alpha1.InstallConfig",
      field: "extraKernelArgs",
      expect: { type: "array", items: { type: "string", pattern: "^\\S+$" }, deprecated: true },
    },
    { name: "a field of the release's own published schema is kept as published", contract: "1.13", def: "v1alpha1.InstallConfig", field: "extraKernelArgs", expect: { type: "array", items: { type: "string", pattern: "^\\S+$" } } },
    {
      name: "a struct no published schema describes is built from the Go facts, not deprecated field by field",
      contract: "1.12",
      def: "v1alpha1.TimeConfig",
      field: "bootTimeout",
      expect: { type: "string", pattern: "^[-+]?(((\\d+(\\.\\d*)?|\\d*(\\.\\d+)+)([nuµμm]?s|m|h))|0)+$" },
    },
    { name: "the field pointing at it is deprecated", contract: "1.12", def: "v1alpha1.MachineConfig", field: "time", expect: { $ref: "#/$defs/v1alpha1.TimeConfig", deprecated: true } },
    { name: "a list published as one enum value becomes a list of them", contract: "1.12", def: "network.DemoConfigV1Alpha1", field: "modes", expect: { type: "array", items: { enum: ["a", "b"] } } },
    { name: "a misnamed kind is the registered one", contract: "1.14", def: "runtime.NewConfigV1Alpha1", field: "kind", expect: { enum: ["NewConfig"] } },
    { name: "a document added in a later release is not in an earlier one", contract: "1.13", def: "runtime.NewConfigV1Alpha1", field: "kind", expect: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const schema = JSON.parse(renderSchema(buildSchema(c.contract, madeUpInputs()))) as Schema;
      assert.deepEqual(prop(schema, c.def, c.field), c.expect);
    });
  }

  test("roots are listed in oneOf, and kinds map to them", () => {
    const schema = buildSchema("1.14", madeUpInputs());
    assert.deepEqual([...documentKinds(schema)], [
      ["v1alpha1", "v1alpha1.Config"],
      ["DemoConfig", "network.DemoConfigV1Alpha1"],
      ["NewConfig", "runtime.NewConfigV1Alpha1"],
    ]);
    assert.deepEqual(defsOf(schema)["runtime.NewConfigV1Alpha1"].required, ["apiVersion", "kind"]);
  });

  test("what Talos accepts beyond the published schema replaces the published keywords", () => {
    const inputs = madeUpInputs();
    (defsOf(inputs.published.get("1.14")!)["runtime.NewConfigV1Alpha1"].properties as Schema).size = { type: "integer", minimum: 1, maximum: 32 };
    inputs.accepted = { fields: { "runtime.NewConfigV1Alpha1.size": { schema: { minimum: 0 }, why: "0 is the default" } }, optional: {} };
    const schema = JSON.parse(renderSchema(buildSchema("1.14", inputs))) as Schema;
    assert.deepEqual(prop(schema, "runtime.NewConfigV1Alpha1", "size"), { type: "integer", minimum: 0, maximum: 32 });
  });

  test("a null among the accepted keywords drops the published one", () => {
    const inputs = madeUpInputs();
    (defsOf(inputs.published.get("1.14")!)["runtime.NewConfigV1Alpha1"].properties as Schema).size = { type: "integer", enum: [1, 2] };
    inputs.accepted = { fields: { "runtime.NewConfigV1Alpha1.size": { schema: { enum: null }, why: "checked only on control planes" } }, optional: {} };
    const schema = JSON.parse(renderSchema(buildSchema("1.14", inputs))) as Schema;
    assert.deepEqual(prop(schema, "runtime.NewConfigV1Alpha1", "size"), { type: "integer" });
  });

  test("every field holding a Go type takes that type's schema, a list in its elements", () => {
    const inputs = madeUpInputs();
    const def = defsOf(inputs.published.get("1.14")!)["runtime.NewConfigV1Alpha1"];
    Object.assign(def.properties as Schema, { gateway: { type: "string", pattern: "^[0-9a-f.:]+$" }, targets: { type: "array", items: { type: "string" } } });
    inputs.facts.get("1.14")!.types["runtime.NewConfigV1Alpha1"].fields.push(["gateway", "scalar", { go: "meta.Addr" }], ["targets", "[]scalar", { go: "[]meta.Addr" }]);
    const addr = { type: "string", pattern: "^([0-9a-fA-F.:]+(%[\\s\\S]+)?)?$" };
    inputs.accepted = { fields: {}, types: { "meta.Addr": { schema: addr, why: "netip.ParseAddr" } }, optional: {} };
    const schema = JSON.parse(renderSchema(buildSchema("1.14", inputs))) as Schema;
    assert.deepEqual(prop(schema, "runtime.NewConfigV1Alpha1", "gateway"), addr);
    assert.deepEqual(prop(schema, "runtime.NewConfigV1Alpha1", "targets"), { type: "array", items: addr });
  });

  test("a field of a type Talos reads by name takes the names accepted there in place of those published", () => {
    const inputs = madeUpInputs();
    (defsOf(inputs.published.get("1.14")!)["network.DemoConfigV1Alpha1"].properties as Schema).mode = { enum: ["Bi"] };
    inputs.facts.get("1.14")!.types["network.DemoConfigV1Alpha1"].fields.push(["mode", "scalar", { go: "demo.Mode" }]);
    inputs.enums = { "demo.Mode": { names: ["a", "Bi", "c"], zero: "a", anyCase: false } };
    inputs.accepted = { fields: { "network.DemoConfigV1Alpha1.mode": { names: ["a", "Bi"], why: "a is the zero mode, which Validate skips" } }, optional: {} };
    const schema = JSON.parse(renderSchema(buildSchema("1.14", inputs))) as Schema;
    assert.deepEqual(prop(schema, "network.DemoConfigV1Alpha1", "mode"), { enum: ["a", "Bi"] });
  });

  test("a field Talos does not require is left out of the published required list", () => {
    const inputs = madeUpInputs();
    defsOf(inputs.published.get("1.14")!)["runtime.NewConfigV1Alpha1"].required = ["apiVersion", "kind", "size"];
    assert.deepEqual(defsOf(buildSchema("1.14", inputs))["runtime.NewConfigV1Alpha1"].required, ["apiVersion", "kind", "size"]);
    inputs.accepted = { fields: {}, optional: { "runtime.NewConfigV1Alpha1": { fields: ["size"], why: "only needed while enabled" } } };
    assert.deepEqual(defsOf(buildSchema("1.14", inputs))["runtime.NewConfigV1Alpha1"].required, ["apiVersion", "kind"]);
  });

  test("a field of a type Talos reads by name takes the published names, in any letter case Talos reads", async () => {
    const inputs = madeUpInputs();
    const def = defsOf(inputs.published.get("1.14")!)["network.DemoConfigV1Alpha1"];
    (def.properties as Schema).mode = { enum: ["a", "Bi"] };
    inputs.facts.get("1.14")!.types["network.DemoConfigV1Alpha1"].fields.push(["mode", "scalar", { go: "*demo.Mode", omitempty: true }]);
    inputs.enums = { "demo.Mode": { names: ["a", "Bi", "c"], zero: "a", anyCase: true } };
    const schema = JSON.parse(renderSchema(buildSchema("1.14", inputs))) as Schema;
    assert.deepEqual(prop(schema, "network.DemoConfigV1Alpha1", "mode"), { anyOf: [{ enum: ["a", "Bi"] }, { type: "string", pattern: "^(?:[Aa]|[Bb][Ii\u0130])$" }] });
    // the types take the spelling Talos writes
    assert.match(await renderTypes("1.14", schema), /\n  mode\?: "a" \| "Bi";\n/);
    // a name the facts do not know is a build error
    (def.properties as Schema).mode = { enum: ["a", "d"] };
    assert.throws(() => buildSchema("1.14", inputs), /network\.DemoConfigV1Alpha1\.mode: the published schema names d, which the enum facts do not know/);
  });

  test("enum schemas: case-sensitive names, numeric names, number ranges", () => {
    assert.deepEqual(enumSchema({ names: ["none", "active"], zero: "none", anyCase: false }), { enum: ["none", "active"] });
    assert.deepEqual(enumSchema({ names: ["1.0", "1.2"], zero: "1.0", anyCase: true }), { enum: ["1.0", "1.2", 1.2] });
    assert.deepEqual(enumSchema({ names: ["main"], numbers: [1, 9], zero: null, anyCase: true }), {
      anyOf: [{ enum: ["main"] }, { type: "string", pattern: "^(?:[Mm][Aa][Ii\u0130][Nn]|[1-9])$" }, { type: "integer", minimum: 1, maximum: 9 }],
    });
  });

  test("enum schemas: an empty text and the numbers of old configs, read as strconv.ParseInt reads them (FailOverMAC)", () => {
    const schema = enumSchema({ names: ["none", "active", "follow"], zero: "none", anyCase: false, empty: "none", legacyNumbers: true }, ["none", "active", "follow"]);
    assert.deepEqual(schema, {
      anyOf: [{ enum: ["none", "active", "follow"] }, { type: "string", pattern: "^(?:|\\+?0*[0-2]|-0+)$" }, { type: "integer", minimum: 0, maximum: 2, deprecated: true }],
    });
    const re = new RegExp(((schema.anyOf as Schema[])[1] as { pattern: string }).pattern);
    for (const s of ["", "0", "2", "+1", "02", "0002", "-0", "-00"]) assert.ok(re.test(s), s);
    for (const s of ["3", "-1", "-2", "1.0", "0x1", " 1", "Active", "+-1"]) assert.ok(!re.test(s), s);
  });

  test("any letter case is what Go's strings.ToLower folds, no more", () => {
    const re = new RegExp(`^(?:${anyCasePattern("block+icmp.1")})$`, "u");
    for (const s of ["block+icmp.1", "BLOCK+ICMP.1", "Bloc\u212a+\u0130cmp.1"]) assert.ok(re.test(s), s);
    for (const s of ["block+icmpx1", "bloc+icmp.1", "block+\u0131cmp.1", "block icmp.1"]) assert.ok(!re.test(s), s);
  });

  test("number ranges match exactly the decimal numbers in them", () => {
    for (const [lo, hi] of [[1, 252], [0, 0], [0, 9], [5, 123], [10, 99], [99, 1000], [37, 4321], [100, 199]]) {
      const re = new RegExp(`^(?:${rangePattern(lo, hi).join("|")})$`);
      for (let n = 0; n <= 5000; n++) assert.equal(re.test(String(n)), n >= lo && n <= hi, `${n} in ${lo}..${hi}`);
      for (const s of ["01", "001", "+1", "1.0", "", "-1"]) assert.ok(!re.test(s), `${s} in ${lo}..${hi}`);
    }
  });

  test("a scalar without a known JSON type stops the build, naming the facts file", () => {
    const inputs = madeUpInputs();
    delete inputs.scalars.fields["v1alpha1.TimeConfig.bootTimeout"];
    assert.throws(() => buildSchema("1.12", inputs), /v1alpha1\.TimeConfig\.bootTimeout; add it to compiler\/talos\/fields\/scalars\.json/);
  });

  test("a published field the Go facts do not have stops the build", () => {
    const inputs = madeUpInputs();
    const pub = inputs.published.get("1.12")!;
    (defsOf(pub)["v1alpha1.InstallConfig"].properties as Schema).bogus = { type: "string" };
    assert.throws(() => buildSchema("1.12", inputs), /v1alpha1\.InstallConfig\.bogus, which the Go type facts do not/);
  });

  test("output is canonical: stable key order, 2-space JSON, trailing newline", () => {
    const a = renderSchema(buildSchema("1.12", madeUpInputs()));
    const b = renderSchema(JSON.parse(a) as Schema);
    assert.equal(a, b);
    assert.ok(a.endsWith("}\n") && a.startsWith('{\n  "$schema"'));
  });

  test("types: one interface per kind, the union and the kind map", async () => {
    const ts = await renderTypes("1.14", JSON.parse(renderSchema(buildSchema("1.14", madeUpInputs()))) as Schema);
    assert.match(ts, /export type TalosDocument =\s*\|?\s*DemoConfig\s*\|\s*NewConfig\s*\|\s*V1Alpha1Config;/);
    assert.match(ts, /export interface NewConfig \{\n  apiVersion: "v1alpha1";\n  kind: "NewConfig";\n  size\?: number;\n\}/);
    assert.match(ts, /export interface TalosDocuments \{\n  v1alpha1: V1Alpha1Config;\n  DemoConfig: DemoConfig;\n  NewConfig: NewConfig;\n\}/);
    assert.match(ts, /\/\*\*\n   \* @deprecated\n   \*\/\n  time\?: TimeConfig;/);
  });
});

// ---------------------------------------------------------------------------------------------
// The committed schemas

describe("the committed schemas", () => {
  for (const c of CONTRACTS) {
    test(`v${c}: valid draft 2020-12, compiles strictly, structure only`, () => {
      const text = committed(OUTPUTS.schema(c));
      const schema = JSON.parse(text) as Schema;
      assert.equal(renderSchema(schema), text, "not in canonical form");
      const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateSchema: true, code: { optimize: false } });
      ajv.addFormat("uri", { type: "string", validate: () => true });
      ajv.compile(schema);
      const prose = /"(description|markdownDescription|x-intellij-html-description|examples|title)": "/;
      assert.doesNotMatch(text.replace(/"properties": \{[^]*?\}/g, ""), prose);
      for (const [name, def] of Object.entries(defsOf(schema))) {
        if (def.properties !== undefined) assert.equal(def.additionalProperties, false, `${name} allows unknown fields`);
      }
    });
  }

  test("every Go document kind is a root, under its registered kind", () => {
    const { facts } = loadFacts();
    for (const c of CONTRACTS) {
      assert.deepEqual([...documentKinds(schemaOf(c)).keys()].sort(), Object.keys(facts.get(c)!.documents).sort(), `v${c}`);
    }
  });

  // Walks a dotted path from the v1alpha1 root: undefined when the path does not exist, else whether any step is deprecated.
  const deprecatedOnPath = (c: Contract, path: string): boolean | undefined => {
    const schema = schemaOf(c);
    let def = "v1alpha1.Config";
    let deprecated = false;
    for (const field of path.split(".")) {
      let p = prop(schema, def, field);
      if (p === undefined) return undefined;
      deprecated ||= p.deprecated === true;
      if (p.type === "array") p = p.items as Schema;
      if (typeof p.$ref === "string") def = p.$ref.slice("#/$defs/".length);
    }
    return deprecated;
  };

  const facts: Array<[string, (c: Contract) => boolean]> = [
    ["1.14 names UnattendedInstallConfig correctly", (c) => c !== "1.14" || documentKinds(schemaOf(c)).has("UnattendedInstallConfig")],
    ["KubeSpanEndpointsConfig is named correctly", (c) => documentKinds(schemaOf(c)).get("KubeSpanEndpointsConfig") === "network.KubespanEndpointsConfigV1Alpha1"],
    ["UnattendedInstallConfig is not a 1.12 or 1.13 document", (c) => c === "1.14" || !documentKinds(schemaOf(c)).has("UnattendedInstallConfig")],
    ["persist is accepted and deprecated", (c) => prop(schemaOf(c), "v1alpha1.Config", "persist")?.deprecated === true],
    ["debug is accepted", (c) => prop(schemaOf(c), "v1alpha1.Config", "debug")?.type === "boolean"],
    ["machine.install.extraKernelArgs is accepted and deprecated", (c) => deprecatedOnPath(c, "machine.install.extraKernelArgs") === true],
    ["machine.time.servers is accepted and deprecated", (c) => deprecatedOnPath(c, "machine.time.servers") === true],
    ["machine.registries.mirrors is accepted and deprecated", (c) => deprecatedOnPath(c, "machine.registries.mirrors") === true],
    ["machine.network.interfaces.bond.mode is accepted and deprecated", (c) => deprecatedOnPath(c, "machine.network.interfaces.bond.mode") === true],
    ["machine.install.disk is deprecated in 1.14 only", (c) => deprecatedOnPath(c, "machine.install.disk") === (c === "1.14")],
    ["machine.network is deprecated from 1.13", (c) => (prop(schemaOf(c), "v1alpha1.MachineConfig", "network")?.deprecated === true) === (c !== "1.12")],
    ["machine.kubelet is deprecated in 1.14 only", (c) => (prop(schemaOf(c), "v1alpha1.MachineConfig", "kubelet")?.deprecated === true) === (c === "1.14")],
    ["machine.acceptedCAs is a list", (c) => prop(schemaOf(c), "v1alpha1.MachineConfig", "acceptedCAs")?.type === "array"],
    // the published schema requires them; Talos's Validate does not ask for them
    ["bridge and VRF links, trusted roots and PCI rebind names, an inline manifest's text are optional", (c) => {
      const required = (def: string): unknown[] | undefined => defsOf(schemaOf(c))[def]?.required as unknown[] | undefined;
      const optional: Array<[string, string]> = [
        ["network.BridgeConfigV1Alpha1", "links"], ["network.VRFConfigV1Alpha1", "links"],
        ["security.TrustedRootsConfigV1Alpha1", "name"], ["hardware.PCIDriverRebindConfigV1Alpha1", "name"],
        ["hardware.PCIDriverRebindConfigV1Alpha1", "targetDriver"], ["k8s.KubeInlineManifestConfigV1Alpha1", "manifest"],
      ];
      const defs = defsOf(schemaOf(c));
      // each is a field of its document wherever the release has the document, and every document is in 1.14
      const named = optional.every(([def, field]) => (defs[def] === undefined ? c !== "1.14" : Object.hasOwn((defs[def].properties ?? {}) as object, field)));
      const vrfTable = defs["network.VRFConfigV1Alpha1"] === undefined || required("network.VRFConfigV1Alpha1")?.includes("table") === true;
      return named && vrfTable && optional.every(([def, field]) => !(required(def) ?? []).includes(field));
    }],
    ["hardware addresses are hex bytes in either case, colons optional", (c) => {
      const re = new RegExp(String(prop(schemaOf(c), "network.BondConfigV1Alpha1", "hardwareAddr")?.pattern), "u");
      const duid = new RegExp(String(prop(schemaOf(c), "network.DHCPv6ConfigV1Alpha1", "duidRaw")?.pattern), "u");
      return ["", "AA:BB:CC:dd:ee:ff", "aabbccddeeff", "0:011", ":00:"].every((s) => re.test(s) && duid.test(s)) && ["0:11:22", "zz", "00-11"].every((s) => !re.test(s) && !duid.test(s));
    }],
  ];
  for (const [name, holds] of facts) {
    test(name, () => {
      for (const c of CONTRACTS) assert.ok(holds(c), `v${c}`);
    });
  }
});

test("generated schemas and types are current", { skip: SKIP_UPSTREAM }, async () => {
  const files = await generateAll({ published: await loadPublished([DEFAULT_PUBLISHED]), ...loadFacts() });
  for (const [rel, content] of files) assert.equal(content, committed(rel), `${rel} is stale; run 'npm run schemas'`);
});
