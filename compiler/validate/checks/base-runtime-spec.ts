// Base runtime spec overrides: machine.baseRuntimeSpecOverrides and, from 1.14, the overrides of a
// CRIBaseRuntimeSpecConfig. Talos's Validate marshals them to JSON and unmarshals that into the
// OCI runtime spec's Go types (specs.Spec) with encoding/json, refusing the config when either
// fails. So an override is read as encoding/json reads it: keys match a field's JSON name exactly
// or, failing that, case-insensitively, and unknown keys are ignored; a value must be of its
// field's JSON type, and a number must fit an integer field exactly. The spec's types are
// compiler/talos/fields/oci-spec.json (scripts/extract-oci-spec.ts).

import { readFileSync } from "node:fs";
import { packagePath } from "../../paths.ts";
import { hasNonStringKeys, INT_RANGES } from "../../talos/typed.ts";
import { child, isMapping, type Mapping } from "../../value.ts";
import { documentCheck, type Found } from "./judged.ts";

/**
 * The facts file (scripts/extract-oci-spec.ts writes it): the root type, each struct's fields, and the
 * underlying type of each named type that is not a struct. Types are spelled as Go's errors spell them
 * (reflect's String: "*specs.Process", "[]specs.Mount", "fs.FileMode", "interface {}").
 */
export interface OciSpecFacts {
  about: string;
  source: string;
  root: string;
  types: Record<string, SpecField[]>;
  named: Record<string, string>;
}

/** A field in the facts: its JSON key, its Go type and, for a field promoted from an embedded struct, that struct's name. */
export type SpecField = [key: string, type: string] | [key: string, type: string, via: string];

/** A field's Go type, its JSON name and, for a promoted field, the embedded structs Go's errors name on the way. */
interface Field {
  type: string;
  name: string;
  via: string[];
}

// A struct's fields by JSON key, and by key folded as encoding/json folds it (foldName). `goName` is
// how Go's errors name it: by its Name, unqualified (POSIXRlimit).
interface Struct {
  goName: string;
  exact: Map<string, Field>;
  folded: Map<string, Field>;
}

/** The spec as the check reads it: its structs, the underlying type of each named type, and the root struct. */
interface Spec {
  structs: Map<string, Struct>;
  named: Readonly<Record<string, string>>;
  root: Struct;
}

let spec: Spec | undefined;

function loadSpec(): Spec {
  if (spec === undefined) {
    const facts = JSON.parse(readFileSync(packagePath("compiler", "talos", "fields", "oci-spec.json"), "utf8")) as OciSpecFacts;
    const structs = new Map(
      Object.entries(facts.types).map(([name, list]): [string, Struct] => {
        const fields = list.map(([key, type, via]): Field => ({ type, name: key, via: via === undefined ? [] : via.split(".") }));
        const folded = new Map<string, Field>();
        // the first field of a fold wins, as encoding/json keeps fields in order
        for (const f of fields) if (!folded.has(fold(f.name))) folded.set(fold(f.name), f);
        return [name, { goName: name.slice(name.lastIndexOf(".") + 1), exact: new Map(fields.map((f) => [f.name, f])), folded }];
      }),
    );
    spec = { structs, named: facts.named, root: structs.get(facts.root)! };
  }
  return spec;
}

// encoding/json's foldName: ASCII letters upper-cased, and the two characters outside ASCII whose
// fold set holds an ASCII letter (the long s and the Kelvin sign) as that letter.
function fold(key: string): string {
  return key.replace(/[a-z\u017f\u212a]/g, (c) => (c === "\u017f" ? "S" : c === "\u212a" ? "K" : c.toUpperCase()));
}

// What a value is in the JSON Talos makes of it, as encoding/json names it in an error.
function jsonKind(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number" || typeof v === "bigint") return "number";
  return Array.isArray(v) ? "array" : "object";
}

// A number as json.Marshal writes it (for a float64, the shortest text that reads back; JavaScript's
// String picks the same digits and switches to an exponent at the same magnitudes).
function jsonNumber(v: number | bigint): string {
  return typeof v === "bigint" ? String(v) : Object.is(v, -0) ? "-0" : String(v);
}

// Whether encoding/json reads the number's JSON text into an integer of that kind (strconv.ParseInt
// or ParseUint of the literal: "1.5", "1e+21" and, for an unsigned kind, "-0" are refused).
function fitsInteger(v: number | bigint, kind: string): boolean {
  const text = jsonNumber(v);
  if (!/^-?\d+$/.test(text)) return false;
  if (kind.startsWith("u") && text.startsWith("-")) return false;
  const n = BigInt(text);
  const [lo, hi] = INT_RANGES[kind];
  return n >= lo && n <= hi;
}

// A JSON value of each kind, as a message names it.
const NOUNS: Readonly<Record<string, string>> = { string: "a string", bool: "a boolean", array: "a list", object: "a mapping" };

interface Walk {
  found: Array<[string, string]>;
  spec: Spec;
}

// Records a value read into type `spelled` that encoding/json refuses, `what` being its JSON kind. Go's error
// says "number 1.5" for a number an integer field cannot take (`tooLarge`), "number" for one of another type.
function refuse(v: unknown, what: string, spelled: string, at: string, field: { struct: string; keys: string[] }, w: Walk, tooLarge = false): void {
  const number = what === "number" ? jsonNumber(v as number | bigint) : "";
  const value = tooLarge ? `number ${number}` : what;
  const found = what === "number" ? number : NOUNS[what];
  w.found.push([at, `is ${found}, where the OCI runtime spec holds type ${spelled} (json: cannot unmarshal ${value} into Go struct field ${field.struct}.${field.keys.join(".")} of type ${spelled})`]);
}

// Reads a value into a Go type as encoding/json does, recording each value it refuses. `at` is the
// config path; `field` the field it goes to as Go's error names it (struct type, then the JSON keys
// from the spec's root).
function read(v: unknown, type: string, at: string, field: { struct: string; keys: string[] }, w: Walk): void {
  // null leaves a field as it is, whatever its type
  if (v === null || v === undefined) return;
  if (typeof v === "number" && !Number.isFinite(v)) return unmarshalable(v, at, w);
  // (Go's error names the type a pointer points to)
  if (type.startsWith("*")) return read(v, type.slice(1), at, field, w);
  if (type === "interface {}") return checkFinite(v, at, w);
  const spelled = type;
  if (Object.hasOwn(w.spec.named, type)) type = w.spec.named[type];
  if (nonStringKeys(v, at, w)) return;
  const kind = jsonKind(v);
  if (type.startsWith("[]")) {
    if (!Array.isArray(v)) return refuse(v, kind, spelled, at, field, w);
    v.forEach((item, i) => read(item, type.slice(2), child(at, i), field, w));
    return;
  }
  if (type.startsWith("map[")) {
    if (!isMapping(v)) return refuse(v, kind, spelled, at, field, w);
    const val = type.slice(type.indexOf("]") + 1);
    // (Go's errors name no map key)
    for (const k of Object.keys(v)) read(v[k], val, child(at, k), field, w);
    return;
  }
  const struct = w.spec.structs.get(type);
  if (struct !== undefined) {
    if (!isMapping(v)) return refuse(v, kind, spelled, at, field, w);
    readStruct(v, struct, at, field.keys, w);
    return;
  }
  if (type === "string" || type === "bool") {
    if (kind !== (type === "bool" ? "bool" : "string")) refuse(v, kind, spelled, at, field, w);
    return;
  }
  if (type === "float32" || type === "float64") {
    if (kind !== "number") refuse(v, kind, spelled, at, field, w);
    return;
  }
  if (Object.hasOwn(INT_RANGES, type)) {
    if (kind !== "number") return refuse(v, kind, spelled, at, field, w);
    if (!fitsInteger(v as number | bigint, type)) refuse(v, "number", spelled, at, field, w, true);
    return;
  }
  throw new Error(`oci-spec.json: unknown Go type ${type}`);
}

// A number JSON has no form for: json.Marshal fails, naming it as strconv writes it (NaN, +Inf, -Inf).
function unmarshalable(v: number, at: string, w: Walk): void {
  const go = Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
  w.found.push([at, `is ${go}, which JSON cannot hold (json: unsupported value: ${go}); Talos cannot marshal the overrides`]);
}

// A mapping below the overrides' own with a key that is no string (`1:`, `true:`): Talos's decoder makes
// it a map[interface{}]interface{}, which json.Marshal cannot write.
function nonStringKeys(v: unknown, at: string, w: Walk): boolean {
  if (!hasNonStringKeys(v)) return false;
  w.found.push([at, "has a key YAML reads as no string (a number, true or false, null or a date), so Talos holds it in a map[interface {}]interface {}, which JSON cannot hold (json: unsupported type: map[interface {}]interface {}); quote the key"]);
  return true;
}

// An override of a field the spec leaves open (interface{}), or of no field at all: json.Marshal must still write it.
function checkFinite(v: unknown, at: string, w: Walk): void {
  if (typeof v === "number" && !Number.isFinite(v)) unmarshalable(v, at, w);
  else if (nonStringKeys(v, at, w)) return;
  else if (Array.isArray(v)) v.forEach((item, i) => checkFinite(item, child(at, i), w));
  else if (isMapping(v)) for (const k of Object.keys(v)) checkFinite(v[k], child(at, k), w);
}

function readStruct(v: Mapping, struct: Struct, at: string, keys: readonly string[], w: Walk): void {
  for (const k of Object.keys(v)) {
    const field = struct.exact.get(k) ?? struct.folded.get(fold(k));
    if (field === undefined) {
      checkFinite(v[k], child(at, k), w);
      continue;
    }
    read(v[k], field.type, child(at, k), { struct: struct.goName, keys: [...keys, ...field.via, field.name] }, w);
  }
}

/** The values of base runtime spec overrides that Talos's encoding/json refuses, each at its path under `base`. */
function overridesProblems(overrides: unknown, base: string): Found {
  if (!isMapping(overrides)) return [];
  const w: Walk = { found: [], spec: loadSpec() };
  readStruct(overrides, w.spec.root, base, [], w);
  return w.found;
}

/** Base runtime spec overrides read into the OCI runtime spec as Talos reads them. */
export const baseRuntimeSpec = documentCheck({
  id: "base-runtime-spec",
  summary: "base runtime spec overrides read into the OCI runtime spec's Go types (machine.baseRuntimeSpecOverrides, CRIBaseRuntimeSpecConfig)",
  judges: [
    ["v1alpha1", (data) => overridesProblems(isMapping(data.machine) ? data.machine.baseRuntimeSpecOverrides : undefined, "machine.baseRuntimeSpecOverrides")],
    ["CRIBaseRuntimeSpecConfig", (data) => overridesProblems(data.overrides, "overrides")],
  ],
});
