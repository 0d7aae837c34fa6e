// Builds talc's own JSON Schema of Talos's machine config documents for every
// supported version contract, and the TypeScript types generated from each.
//
// Usage:
//   node_modules/.bin/tsx scripts/schemas.ts [<published schemas>…] [--check]
//   node_modules/.bin/tsx scripts/schemas.ts facts <talos-repo>
//
// <published schemas> are folders holding Talos's published `config.schema.json`
// files (one per release, any file name), single files, or http(s) URLs; the
// default is ../shared/upstream/talos/schemas/ beside the checkout. Each file
// names its release in `$id` (…/v1.13/schemas/…). The result is written to
// schemas/talos/v<contract>.json and compiler/talos/types/v<contract>.ts;
// with --check nothing is written and the exit code is 1 when a file is stale.
//
// `facts` re-records the per-release Go type facts under compiler/talos/fields/
// by running scripts/extract-talos-fields.ts on each release tag of a
// siderolabs/talos git repository.
//
// Why not just ship the published schema: it leaves out fields Talos still
// accepts (deprecated and undocumented ones) and a whole document
// (ImageVerificationConfig), misnames two kinds (UnattendedInstall,
// KubeSpanEndpoints), writes some lists as single values and a URL as an empty
// object. So every struct is rebuilt from the Go type facts of that release:
// the published property where there is one, otherwise the same field from a
// neighbouring release's published schema, otherwise a schema made from the
// field's Go type (compiler/talos/fields/scalars.json for scalars). A field the
// release's published schema leaves out of a struct it does describe is marked
// `deprecated`. Where the published schema refuses what Talos accepts (Talos
// never checks that schema, only its Go decoding and Validate methods), the
// facts of compiler/talos/fields/accepted.json widen it. Only structure is
// kept: no descriptions, titles or examples.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";
import { PACKAGE_ROOT as ROOT } from "../compiler/paths.ts";
import { CONTRACTS, type Contract } from "../compiler/talos/contract.ts";
import { RELEASES } from "../compiler/talos/versions.ts";
import type { EnumFacts } from "../compiler/talos/enums.ts";
import { byCodeUnit } from "../compiler/compare.ts";

/** A JSON Schema object (draft 2020-12), as plain data. */
export type Schema = { [key: string]: unknown };

/** Go type facts of one release, as written by scripts/extract-talos-fields.ts. */
export interface FieldFacts {
  source: string;
  documents: Record<string, string>;
  types: Record<string, { fields: Array<[string, string, ...unknown[]]> }>;
}

/** JSON types of the scalar fields no published schema describes. */
export interface ScalarFacts {
  fields: Record<string, ScalarKind>;
}

/** How a Go scalar is written in YAML. */
export type ScalarKind = "string" | "bool" | "int" | "uint" | "uint8" | "uint16" | "uint32" | "uint64" | "duration" | "size" | "base64";

/**
 * Where Talos accepts more than its published schema says (compiler/talos/fields/accepted.json):
 * keywords that replace a field's published ones (a null drops the keyword) or, for a type Talos
 * reads by name, the names it takes there in place of those published; the schema of every field
 * holding a Go type; and fields that are not required after all.
 */
export interface AcceptedFacts {
  fields: Record<string, { schema?: Schema; names?: string[]; why: string }>;
  types?: Record<string, { schema: Schema; why: string }>;
  optional: Record<string, { fields: string[]; why: string }>;
}

/** Everything a build reads. */
export interface SchemaInputs {
  published: ReadonlyMap<Contract, Schema>;
  facts: ReadonlyMap<Contract, FieldFacts>;
  scalars: ScalarFacts;
  /** None: the published schema stands wherever the Go facts do not contradict it. */
  accepted?: AcceptedFacts;
  /** Go type → its names (compiler/talos/fields/enums.json); a field of such a type gets its schema from them. */
  enums?: Record<string, EnumFacts>;
}

const FIELDS_DIR = join(ROOT, "compiler/talos/fields");

/** Where the generated files go, relative to the repository root. */
export const OUTPUTS = {
  schema: (c: Contract): string => `schemas/talos/v${c}.json`,
  types: (c: Contract): string => `compiler/talos/types/v${c.replace(".", "_")}.ts`,
};

/** The default location of the published schemas: ../shared beside the checkout. */
export const DEFAULT_PUBLISHED = join(ROOT, "../shared/upstream/talos/schemas/");

// Go durations as Talos writes and reads them ("1m30s", "500ms", "0"); Go reads microseconds as
// us, µs (the micro sign) or μs (the Greek letter).
const DURATION_PATTERN = "^[-+]?(((\\d+(\\.\\d*)?|\\d*(\\.\\d+)+)([nuµμm]?s|m|h))|0)+$";

// ---------------------------------------------------------------------------------------------
// Inputs

/** Reads the committed Go type facts of every contract, the scalar and enum facts, and what Talos accepts beyond its published schema. */
export function loadFacts(dir = FIELDS_DIR): { facts: Map<Contract, FieldFacts>; scalars: ScalarFacts; accepted: AcceptedFacts; enums: Record<string, EnumFacts> } {
  const facts = new Map<Contract, FieldFacts>();
  for (const c of CONTRACTS) facts.set(c, JSON.parse(readFileSync(join(dir, `v${c}.json`), "utf8")) as FieldFacts);
  const scalars = JSON.parse(readFileSync(join(dir, "scalars.json"), "utf8")) as ScalarFacts;
  const accepted = JSON.parse(readFileSync(join(dir, "accepted.json"), "utf8")) as AcceptedFacts;
  const enums = (JSON.parse(readFileSync(join(dir, "enums.json"), "utf8")) as { types: Record<string, EnumFacts> }).types;
  return { facts, scalars, accepted, enums };
}

/** The contract a published schema describes, from its `$id` or else its file name. */
export function publishedContract(schema: Schema, name: string): string | undefined {
  const id = typeof schema.$id === "string" ? schema.$id : "";
  const m = /\/v(\d+\.\d+)\//.exec(id) ?? /v(\d+\.\d+)(?:\.|$)/.exec(name.replace(/^.*\//, ""));
  return m?.[1];
}

/** Reads published schemas from folders, files or URLs; keyed by contract. */
export async function loadPublished(sources: readonly string[]): Promise<Map<Contract, Schema>> {
  const texts: Array<[string, string]> = [];
  for (const src of sources) {
    if (/^https?:\/\//.test(src)) {
      const res = await fetch(src);
      if (!res.ok) throw new Error(`${src}: HTTP ${res.status}`);
      texts.push([src, await res.text()]);
    } else if (existsSync(src) && statSync(src).isDirectory()) {
      for (const f of readdirSync(src).filter((n) => n.endsWith(".json")).sort()) texts.push([join(src, f), readFileSync(join(src, f), "utf8")]);
    } else {
      texts.push([src, readFileSync(src, "utf8")]);
    }
  }
  const out = new Map<Contract, Schema>();
  for (const [name, text] of texts) {
    const schema = JSON.parse(text) as Schema;
    const c = publishedContract(schema, name);
    if (c === undefined || !(CONTRACTS as readonly string[]).includes(c)) continue;
    if (out.has(c as Contract)) throw new Error(`two published schemas for Talos ${c} (the second is ${name})`);
    out.set(c as Contract, schema);
  }
  const missing = CONTRACTS.filter((c) => !out.has(c));
  if (missing.length > 0) throw new Error(`no published schema for Talos ${missing.join(", ")} in ${sources.join(", ")}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Schema walking

const TEXT_KEYWORDS = new Set(["description", "markdownDescription", "x-intellij-html-description", "title", "examples"]);
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
const SCHEMA_KEYWORDS = new Set(["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"]);
const SCHEMA_LIST_KEYWORDS = new Set(["oneOf", "anyOf", "allOf", "prefixItems"]);
const OBJECT_KEYWORDS = ["properties", "patternProperties", "additionalProperties", "required"];

function isObject(v: unknown): v is Schema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A deep copy of a schema with the prose left out. */
export function structureOf(schema: unknown): Schema {
  if (!isObject(schema)) return schema as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (TEXT_KEYWORDS.has(k)) continue;
    if (SCHEMA_MAP_KEYWORDS.has(k) && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, structureOf(s)]));
    else if (SCHEMA_KEYWORDS.has(k) && isObject(v)) out[k] = structureOf(v);
    else if (SCHEMA_LIST_KEYWORDS.has(k) && Array.isArray(v)) out[k] = v.map(structureOf);
    else out[k] = structuredClone(v);
  }
  // An object-only keyword beside a scalar type (the published service account key has one) means nothing.
  if (typeof out.type === "string" && out.type !== "object") for (const k of OBJECT_KEYWORDS) delete out[k];
  // A map written as one ".*" pattern is a map of additional properties; say it the plain way.
  if (isObject(out.patternProperties) && Object.keys(out.patternProperties).length === 1 && ".*" in out.patternProperties && out.additionalProperties === undefined) {
    out.additionalProperties = out.patternProperties[".*"];
    delete out.patternProperties;
  }
  return out;
}

/** Names of the `$defs` a schema refers to directly or through its subschemas. */
function refsOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) refsOf(s, out);
  else if (isObject(schema)) {
    for (const [k, v] of Object.entries(schema)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")) out.add(v.slice("#/$defs/".length));
      else refsOf(v, out);
    }
  }
  return out;
}

const KEYWORD_ORDER = [
  "$schema", "$id", "$comment", "$ref", "title", "deprecated", "type", "enum", "const", "format", "pattern",
  "minimum", "maximum", "minItems", "maxItems", "items", "properties", "patternProperties",
  "additionalProperties", "required", "oneOf", "anyOf", "allOf", "$defs",
];

/** The same schema with keywords in a fixed order and `$defs` sorted; property order is kept. */
export function canonical(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(canonical);
  if (!isObject(schema)) return schema;
  const keys = Object.keys(schema).sort((a, b) => {
    const ia = KEYWORD_ORDER.indexOf(a);
    const ib = KEYWORD_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? KEYWORD_ORDER.length : ia) - (ib < 0 ? KEYWORD_ORDER.length : ib);
    return byCodeUnit(a, b);
  });
  const out: Schema = {};
  for (const k of keys) {
    const v = schema[k];
    if ((k === "properties" || k === "patternProperties") && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, canonical(s)]));
    } else if (k === "$defs" && isObject(v)) {
      out[k] = Object.fromEntries(Object.keys(v).sort().map((n) => [n, canonical(v[n])]));
    } else out[k] = canonical(v);
  }
  return out;
}

/** Canonical JSON text: 2-space indentation and a trailing newline. */
export function renderSchema(schema: Schema): string {
  return JSON.stringify(canonical(schema), null, 2) + "\n";
}

// ---------------------------------------------------------------------------------------------
// Building one contract's schema

function scalarSchema(kind: ScalarKind): Schema {
  switch (kind) {
    case "string":
    case "base64":
      return { type: "string" };
    case "bool":
      return { type: "boolean" };
    case "int":
      return { type: "integer" };
    case "uint":
    case "uint64":
      return { type: "integer", minimum: 0 };
    case "uint8":
      return { type: "integer", minimum: 0, maximum: 255 };
    case "uint16":
      return { type: "integer", minimum: 0, maximum: 65535 };
    case "uint32":
      return { type: "integer", minimum: 0, maximum: 4294967295 };
    case "duration":
      return { type: "string", pattern: DURATION_PATTERN };
    case "size":
      return { type: ["integer", "string"] };
  }
}

// Go's strings.ToLower maps only these non-ASCII letters to ASCII ones (İ to i, the Kelvin sign to k).
const GO_LOWER_EXTRA: Readonly<Record<string, string>> = { i: "\u0130", k: "\u212a" };

/** A regular expression matching a name in any letter case, as Go's strings.ToLower reads it. */
export function anyCasePattern(name: string): string {
  let out = "";
  for (const ch of name) {
    if (/^[A-Za-z]$/.test(ch)) out += `[${ch.toUpperCase()}${ch.toLowerCase()}${GO_LOWER_EXTRA[ch.toLowerCase()] ?? ""}]`;
    else out += ch.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  }
  return out;
}

/** Regular expression alternatives for the decimal numbers lo to hi, without leading zeros. */
export function rangePattern(lo: number, hi: number): string[] {
  // numbers written with as many digits as a and b (a <= b), leading zeros allowed
  const sameWidth = (a: string, b: string): string[] => {
    if (a === b) return [a];
    if (a.length === 1) return [`[${a}-${b}]`];
    if (a[0] === b[0]) return sameWidth(a.slice(1), b.slice(1)).map((r) => a[0] + r);
    const rest = a.length - 1;
    const out: string[] = [];
    let first = Number(a[0]);
    let last = Number(b[0]);
    if (!/^0*$/.test(a.slice(1))) {
      out.push(...sameWidth(a.slice(1), "9".repeat(rest)).map((r) => a[0] + r));
      first++;
    }
    const tail = /^9*$/.test(b.slice(1)) ? [] : sameWidth("0".repeat(rest), b.slice(1)).map((r) => b[0] + r);
    if (tail.length > 0) last--;
    if (first <= last) out.push(`${first === last ? first : `[${first}-${last}]`}${"[0-9]".repeat(rest)}`);
    return [...out, ...tail];
  };
  const out: string[] = [];
  for (let width = String(lo).length; width <= String(hi).length; width++) {
    const from = Math.max(lo, width === 1 ? 0 : 10 ** (width - 1));
    const to = Math.min(hi, 10 ** width - 1);
    if (from <= to) out.push(...sameWidth(String(from), String(to)));
  }
  return out;
}

/**
 * The schema of a value of a named type Talos reads by name: the names (those the
 * published schema lists, if it lists any), any letter case where Talos reads it, and
 * a name that is a number also as that YAML number, which Talos reads by its text.
 */
export function enumSchema(e: EnumFacts, publishedNames?: readonly unknown[]): Schema {
  const names = publishedNames === undefined ? e.names : publishedNames.filter((n): n is string => typeof n === "string");
  const unknown = names.filter((n) => !e.names.includes(n));
  if (unknown.length > 0) throw new Error(`the published schema names ${unknown.join(", ")}, which the enum facts do not know`);
  const numeric = names.filter((n) => /^[0-9.]+$/.test(n) && String(Number(n)) === n).map(Number);
  const branches: Schema[] = [{ enum: [...names, ...numeric] }];
  if (e.anyCase && (names.some((n) => /[A-Za-z]/.test(n)) || e.numbers !== undefined)) {
    const alternatives = [...names.map(anyCasePattern), ...(e.numbers === undefined ? [] : rangePattern(e.numbers[0], e.numbers[1]))];
    branches.push({ type: "string", pattern: `^(?:${alternatives.join("|")})$` });
  }
  if (e.numbers !== undefined) branches.push({ type: "integer", minimum: e.numbers[0], maximum: e.numbers[1] });
  // what Talos reads but never writes (an empty text, the numbers of old configs): accepted, not typed
  const legacy: string[] = [];
  if (e.empty !== undefined) legacy.push("");
  if (e.legacyNumbers === true) {
    const last = e.names.length - 1;
    if (last > 9) throw new Error(`legacyNumbers with ${e.names.length} names: the pattern covers single digits only`);
    legacy.push(`\\+?0*[0-${last}]`, "-0+");
  }
  if (legacy.length > 0) branches.push({ type: "string", pattern: `^(?:${legacy.join("|")})$` });
  if (e.legacyNumbers === true) branches.push({ type: "integer", minimum: 0, maximum: e.names.length - 1, deprecated: true });
  return branches.length === 1 ? branches[0] : { anyOf: branches };
}

/** A field's schema with its element (what a list holds, what a pointer points to) replaced. */
function withElement(prop: Schema, go: string, replace: (element: Schema) => Schema): Schema {
  const type = go.replace(/^\*+/, "");
  if (!type.startsWith("[]")) return replace(prop);
  return isObject(prop.items) ? { ...prop, items: withElement(prop.items, type.slice(2), replace) } : prop;
}

/** The Go type a field holds values of, without pointers and lists ("[]*nethelpers.WOLMode" → "nethelpers.WOLMode"). */
function elementType(go: string): string {
  return go.replace(/^(\*|\[\])+/, "");
}

interface Release {
  contract: Contract;
  defs: Record<string, Schema>;
  facts: FieldFacts;
}

/** The other releases, nearest first (the newer one first on a tie). */
function neighbours(contract: Contract, releases: readonly Release[]): Release[] {
  const minor = (c: Contract): number => Number(c.split(".")[1]);
  return releases
    .filter((r) => r.contract !== contract)
    .sort((a, b) => Math.abs(minor(a.contract) - minor(contract)) - Math.abs(minor(b.contract) - minor(contract)) || minor(b.contract) - minor(a.contract));
}

type Shape = "list" | "map" | "struct" | "object" | "union" | "scalar" | "any";

function shapeOf(p: Schema): Shape {
  if (typeof p.$ref === "string") return "struct";
  if (p.type === "array" || p.items !== undefined) return "list";
  if (p.type === "object") {
    if (p.properties !== undefined) return "struct";
    if (p.patternProperties !== undefined || isObject(p.additionalProperties)) return "map";
    return "object";
  }
  if (p.oneOf !== undefined || p.anyOf !== undefined) return "union";
  return "scalar";
}

function shapeOfNotation(n: string): Shape {
  if (n.startsWith("[]")) return "list";
  if (n.startsWith("map[]")) return "map";
  if (n === "scalar") return "scalar";
  if (n === "any") return "any";
  return "struct";
}

function fieldNotation(facts: FieldFacts, type: string, field: string): string | undefined {
  return facts.types[type]?.fields.find((f) => f[0] === field)?.[1];
}

function propertiesOf(def: Schema | undefined): Schema | undefined {
  return def !== undefined && isObject(def.properties) ? def.properties : undefined;
}

// Every release's published defs without their prose, as buildSchema reads them. Nothing writes to them.
function releasesOf(inputs: SchemaInputs): Release[] {
  return CONTRACTS.map((c) => {
    const published = inputs.published.get(c);
    const facts = inputs.facts.get(c);
    if (published === undefined || facts === undefined) throw new Error(`missing inputs for Talos ${c}`);
    const defs = isObject(published.$defs) ? (structureOf({ $defs: published.$defs }).$defs as Record<string, Schema>) : {};
    return { contract: c, defs, facts };
  });
}

/** Builds the schema of one contract from its published schema and Go type facts. */
export function buildSchema(contract: Contract, inputs: SchemaInputs): Schema {
  return buildFrom(contract, inputs, releasesOf(inputs));
}

function buildFrom(contract: Contract, inputs: SchemaInputs, releases: readonly Release[]): Schema {
  const self = releases.find((r) => r.contract === contract)!;
  const others = neighbours(contract, releases);
  const { facts } = self;
  const { accepted, enums } = inputs;
  const defs: Record<string, Schema> = {};
  const kindOf = new Map(Object.entries(facts.documents).map(([kind, type]) => [type, kind]));

  const ensure = (name: string): void => {
    if (Object.hasOwn(defs, name)) return;
    defs[name] = {}; // placeholder against cycles
    defs[name] = Object.hasOwn(facts.types, name) ? structDef(name) : copiedDef(name);
  };

  // A def the facts do not list (an inline helper of the published schema): taken as published.
  const copiedDef = (name: string): Schema => {
    const src = [self, ...others].find((r) => Object.hasOwn(r.defs, name));
    if (src === undefined) throw new Error(`Talos ${contract}: no schema for type ${name}`);
    const def = structuredClone(src.defs[name]);
    for (const ref of refsOf(def)) ensure(ref);
    return def;
  };

  const synthesized = (type: string, field: string, notation: string): Schema => {
    if (notation === "scalar") {
      const kind = inputs.scalars.fields[`${type}.${field}`];
      if (kind === undefined) {
        throw new Error(`Talos ${contract}: no JSON type for scalar field ${type}.${field}; add it to compiler/talos/fields/scalars.json`);
      }
      return scalarSchema(kind);
    }
    if (notation === "any") return {};
    if (notation.startsWith("[]")) return { type: "array", items: synthesized(type, field, notation.slice(2)) };
    if (notation.startsWith("map[]")) return { type: "object", additionalProperties: synthesized(type, field, notation.slice(5)) };
    return { $ref: `#/$defs/${notation}` };
  };

  // The published schema sometimes disagrees with the Go type: a list of enum values written as one value,
  // a list of certificates as one, a URL as an empty object, a typed struct as any object. The Go type wins.
  const reconciled = (type: string, field: string, notation: string, prop: Schema): Schema => {
    const got = shapeOf(prop);
    const want = shapeOfNotation(notation);
    // a struct written out inline rather than by reference can name its fields otherwise than the Go
    // type (RegistryTLSConfig's clientIdentity in 1.12 and 1.13 says crt for cert): the Go type's own def wins
    if (want === "struct" && got === "struct" && prop.$ref === undefined && Object.hasOwn(facts.types, notation)) return synthesized(type, field, notation);
    if (got === want || want === "any" || (got === "union" && want === "scalar")) {
      if (want === "list" && isObject(prop.items)) return { ...prop, items: reconciled(type, field, notation.slice(2), prop.items) };
      return prop;
    }
    if (want === "list" && (got === "scalar" || got === "struct")) return { type: "array", items: reconciled(type, field, notation.slice(2), prop) };
    if (want === "scalar" || ((want === "struct" || want === "map") && got === "object")) return synthesized(type, field, notation);
    throw new Error(`Talos ${contract}: the published schema of ${type}.${field} is a ${got}, the Go type a ${want} (${notation})`);
  };

  const structDef = (type: string): Schema => {
    const fields = facts.types[type].fields;
    const publishedDef = self.defs[type];
    const publishedProps = propertiesOf(publishedDef);
    const names = new Set(fields.map((f) => f[0]));
    for (const p of Object.keys(publishedProps ?? {})) {
      if (!names.has(p)) throw new Error(`Talos ${contract}: the published schema has ${type}.${p}, which the Go type facts do not`);
    }
    const properties: Schema = {};
    const kind = kindOf.get(type);
    for (const [field, notation, meta] of fields) {
      const go = isObject(meta) && typeof meta.go === "string" ? meta.go : "";
      // the published schema misnames some kinds (UnattendedInstall, KubeSpanEndpoints): the registered kind wins
      if (kind !== undefined && kind !== "v1alpha1" && (field === "apiVersion" || field === "kind")) {
        properties[field] = { enum: [field === "kind" ? kind : "v1alpha1"] };
        continue;
      }
      let prop: Schema | undefined = publishedProps?.[field] as Schema | undefined;
      if (prop === undefined) {
        for (const other of others) {
          const otherProp = propertiesOf(other.defs[type])?.[field];
          if (otherProp !== undefined && fieldNotation(other.facts, type, field) === notation) {
            prop = structuredClone(otherProp as Schema);
            break;
          }
        }
      }
      prop = prop === undefined ? synthesized(type, field, notation) : reconciled(type, field, notation, prop);
      const wider = accepted?.fields[`${type}.${field}`];
      const named = enums?.[elementType(go)];
      if (named !== undefined) {
        prop = withElement(prop, go, (p) => {
          try {
            return enumSchema(named, wider?.names ?? (Array.isArray(p.enum) ? p.enum : undefined));
          } catch (e) {
            throw new Error(`Talos ${contract}: ${type}.${field}: ${(e as Error).message}`);
          }
        });
      }
      const held = accepted?.types?.[elementType(go)];
      if (held !== undefined) prop = withElement(prop, go, (p) => ({ ...p, ...structuredClone(held.schema) }));
      if (wider?.schema !== undefined) prop = Object.fromEntries(Object.entries({ ...prop, ...structuredClone(wider.schema) }).filter(([, v]) => v !== null));
      if (publishedDef !== undefined && publishedProps?.[field] === undefined) prop = { ...prop, deprecated: true };
      properties[field] = prop;
    }
    const def: Schema = { type: "object", properties, additionalProperties: false };
    const required = (publishedDef ?? others.map((o) => o.defs[type]).find((d) => d !== undefined))?.required;
    if (Array.isArray(required)) {
      const optional = accepted?.optional[type]?.fields ?? [];
      const kept = required.filter((r) => typeof r === "string" && names.has(r) && !optional.includes(r));
      if (kept.length > 0) def.required = kept;
    }
    for (const ref of refsOf(properties)) ensure(ref);
    return def;
  };

  const roots: string[] = [];
  for (const [kind, type] of Object.entries(facts.documents)) {
    ensure(type);
    const def = defs[type];
    const props = def.properties as Schema;
    if (kind === "v1alpha1") {
      props.version = { enum: ["v1alpha1"] };
    } else {
      if (!("apiVersion" in props) || !("kind" in props)) throw new Error(`Talos ${contract}: document ${kind} has no apiVersion/kind`);
      const required = new Set(Array.isArray(def.required) ? (def.required as string[]) : []);
      def.required = ["apiVersion", "kind", ...[...required].filter((r) => r !== "apiVersion" && r !== "kind")];
    }
    roots.push(type);
  }

  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $comment: `Talos ${contract} machine configuration documents. Generated by scripts/schemas.ts; do not edit.`,
    oneOf: roots.sort().map((t) => ({ $ref: `#/$defs/${t}` })),
    $defs: defs,
  };
}

// ---------------------------------------------------------------------------------------------
// TypeScript types

/** The document kinds of a built schema, mapped to their root `$defs` names ("v1alpha1" for the legacy one). */
export function documentKinds(schema: Schema): Map<string, string> {
  const defs = schema.$defs as Record<string, Schema>;
  const out = new Map<string, string>();
  for (const entry of schema.oneOf as Array<{ $ref: string }>) {
    const name = entry.$ref.slice("#/$defs/".length);
    const props = defs[name].properties as Record<string, { enum?: string[] }>;
    const kind = props.kind?.enum?.[0] ?? "v1alpha1";
    out.set(kind, name);
  }
  return new Map([...out].sort(([a], [b]) => (a === "v1alpha1" ? -1 : b === "v1alpha1" ? 1 : byCodeUnit(a, b))));
}

function pascal(s: string): string {
  return s.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** TypeScript names for every `$defs` entry: document roots by kind, other structs by Go type name (package-qualified on a clash). */
export function typeNames(schema: Schema): Map<string, string> {
  const kinds = documentKinds(schema);
  const names = new Map<string, string>();
  for (const [kind, def] of kinds) names.set(def, kind === "v1alpha1" ? "V1Alpha1Config" : kind);
  const taken = new Set(names.values());
  const rest = Object.keys(schema.$defs as Schema).filter((d) => !names.has(d)).sort();
  const short = (d: string): string => pascal(d.slice(d.indexOf(".") + 1)).replace(/V1Alpha1$/, "");
  const count = new Map<string, number>();
  for (const d of rest) count.set(short(d), (count.get(short(d)) ?? 0) + 1);
  for (const d of rest) {
    const s = short(d);
    const name = count.get(s) === 1 && !taken.has(s) ? s : pascal(d);
    if (taken.has(name)) throw new Error(`two types would be named ${name}`);
    taken.add(name);
    names.set(d, name);
  }
  return names;
}

/** The TypeScript module of a contract's documents. */
export async function renderTypes(contract: Contract, schema: Schema): Promise<string> {
  const names = typeNames(schema);
  const kinds = documentKinds(schema);
  const titled = structuredClone(schema);
  const defs = titled.$defs as Record<string, Schema>;
  for (const [def, name] of names) defs[def] = { title: name, ...wrapRefs(canonicalSpellings(defs[def])) };
  delete titled.$comment;
  const code = await compile(titled as Parameters<typeof compile>[0], "TalosDocument", {
    bannerComment: "",
    declareExternallyReferenced: true,
    unreachableDefinitions: false,
    strictIndexSignatures: true,
    unknownAny: true,
    format: true,
    style: { printWidth: 140, singleQuote: false, trailingComma: "all" },
  });
  const header = [
    `// Talos ${contract} machine configuration documents as TypeScript types: one interface per`,
    `// document kind, the union TalosDocument and the map TalosDocuments. Generated by`,
    `// scripts/schemas.ts from schemas/talos/v${contract}.json; do not edit.`,
    "",
  ];
  const map = [
    "",
    `/** Every document of Talos ${contract}, keyed by kind (the legacy document as "v1alpha1"). */`,
    "export interface TalosDocuments {",
    ...[...kinds].map(([kind, def]) => `  ${kind}: ${names.get(def)};`),
    "}",
    "",
    `/** A document kind of Talos ${contract}. */`,
    "export type TalosDocumentKind = keyof TalosDocuments;",
    "",
  ];
  return header.join("\n") + tidyTypes(code) + map.join("\n");
}

// A name Talos reads in any letter case is typed in the spelling Talos writes: a type cannot
// say "in any case", and a plain string would let every typo through. Forms Talos reads but
// never writes (a deprecated branch: FailOverMAC's numbers) are left out of the types too.
function canonicalSpellings(schema: unknown): Schema {
  if (Array.isArray(schema)) return schema.map(canonicalSpellings) as unknown as Schema;
  if (!isObject(schema)) return schema as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === "enum" || k === "required" ? v : canonicalSpellings(v);
  if (Array.isArray(out.anyOf) && isObject(out.anyOf[0]) && Array.isArray(out.anyOf[0].enum)) {
    const typed = (out.anyOf as Schema[]).filter((b) => !(b.type === "string" && typeof b.pattern === "string") && b.deprecated !== true);
    if (typed.length === 1) {
      const { anyOf: _, ...rest } = out;
      return { ...rest, ...typed[0] };
    }
    out.anyOf = typed;
  }
  return out;
}

// json-schema-to-typescript moves keywords beside a `$ref` (`deprecated`) onto the referenced
// type; behind an `allOf` they stay on the property.
function wrapRefs(schema: unknown): Schema {
  if (Array.isArray(schema)) return schema.map(wrapRefs) as unknown as Schema;
  if (!isObject(schema)) return schema as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === "enum" || k === "required" ? v : wrapRefs(v);
  if (typeof out.$ref === "string" && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }], ...rest };
  }
  return out;
}

// json-schema-to-typescript leaves blank-line and indentation choices to a formatter we do not run.
function tidyTypes(code: string): string {
  return code
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+/, "")
    .replace(/\n*$/, "\n");
}

// ---------------------------------------------------------------------------------------------
// Driver

/** Every generated file, path relative to the repository root → content. */
export async function generateAll(inputs: SchemaInputs): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const releases = releasesOf(inputs);
  for (const c of CONTRACTS) {
    const text = renderSchema(buildFrom(c, inputs, releases));
    out.set(OUTPUTS.schema(c), text);
    out.set(OUTPUTS.types(c), await renderTypes(c, JSON.parse(text) as Schema));
  }
  return out;
}

function recordFacts(repo: string): void {
  const extractor = join(ROOT, "scripts/extract-talos-fields.ts");
  const tsx = join(ROOT, "node_modules/.bin/tsx");
  for (const c of CONTRACTS) {
    const tag = RELEASES[c].talosVersion;
    const res = spawnSync(tsx, [extractor, repo, tag, "--out", join(FIELDS_DIR, `v${c}.json`)], { stdio: "inherit" });
    if (res.status !== 0) throw new Error(`extracting the facts of ${tag} failed`);
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "facts") {
    if (argv.length !== 2) {
      process.stderr.write("usage: schemas.ts facts <talos-repo>\n");
      return 2;
    }
    recordFacts(argv[1]);
    return 0;
  }
  const check = argv.includes("--check");
  const unknown = argv.find((a) => a.startsWith("-") && a !== "--check");
  if (unknown !== undefined) {
    process.stderr.write(`unknown option ${unknown}\nusage: schemas.ts [<published schemas>…] [--check] | facts <talos-repo>\n`);
    return 2;
  }
  const sources = argv.filter((a) => !a.startsWith("-"));
  const published = await loadPublished(sources.length > 0 ? sources : [DEFAULT_PUBLISHED]);
  const files = await generateAll({ published, ...loadFacts() });
  let stale = 0;
  for (const [rel, content] of files) {
    const path = join(ROOT, rel);
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (current === content) continue;
    if (check) {
      process.stderr.write(`stale: ${rel}\n`);
      stale++;
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    process.stderr.write(`wrote ${rel}\n`);
  }
  if (check && stale > 0) {
    process.stderr.write("run 'npm run schemas' to regenerate\n");
    return 1;
  }
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`schemas: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
