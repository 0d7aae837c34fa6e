// Talos documents as Go sees them. Talos never merges or writes the YAML a
// user gave: it decodes every document into Go structs first (strictly:
// unknown keys are errors), merges those, and encodes them again. Decoding
// changes data (a YAML int given for a string field becomes its text, null
// becomes the zero value, `yes` becomes true for a bool), and encoding
// writes every field without omitempty, zero or not. This module replays
// that round trip on plain data, driven by the per-release facts of
// fields.json, so that the patch engine can merge what Talos merges and the
// encoder can write what Talos writes.
//
// Two forms of a document appear here:
//   decoded  what Go holds after decoding: a key is present when the YAML
//            set it; an absent key is Go's zero value (nil for pointers,
//            slices and maps). Merging works on this form.
//   encoded  what Talos writes: omitempty zero fields dropped, the other
//            zero fields written out. normalizeDocument returns this form.

import { closest as nearest } from "../suggest.ts";
import { TALOS_FACTS } from "./facts.ts";
import { TalcError } from "../errors.ts";
import { CONTRACTS, goURLOptions, type Contract } from "./contract.ts";
import { canonicalName, enumFacts, type EnumFacts } from "./enums.ts";
import { quote } from "../value.ts";
import { boundedMemo } from "../memo.ts";
import { canonicalNetip, netipMessage, parseAddr, type NetipKind } from "./netip.ts";

// ---------------------------------------------------------------------------
// Facts

interface FieldFactsJson {
  go: string;
  omitempty?: boolean;
  replace?: boolean;
  inline?: boolean;
}

interface NamedJson {
  underlying: string;
  inlineMap?: string;
  methods?: Record<string, "value" | "pointer">;
  /** The type whose MarshalText this one has through an embedded field. */
  textOf?: string;
}

interface FactsJson {
  source: string;
  documents: Record<string, string>;
  types: Record<string, { fields: Array<[string, string, FieldFactsJson?]> }>;
  named: Record<string, NamedJson>;
  releases?: Record<string, { source: string; documents: Record<string, string>; types: FactsJson["types"]; named: FactsJson["named"] }>;
}

const FACTS = TALOS_FACTS as FactsJson;

/** One field of a Talos struct, with what decoding, encoding and merging need to know. */
export interface FieldInfo {
  /** The YAML key. */
  key: string;
  /** The Go type, in fields.json's "go" notation. */
  go: string;
  omitempty: boolean;
  /** Tagged `merge:"replace"`: a patch replaces the value instead of merging into it. */
  replace: boolean;
  /** Comes from an inline embedded struct (it is not a field of the struct itself in Go). */
  inline: boolean;
  /** The resolved type of `go`, kept by TypeSystem.fieldType (not enumerable). */
  resolved?: GoType;
}

/** Go's basic kinds, as they appear in fields.json. */
export type BasicKind =
  | "bool"
  | "string"
  | "int"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "uintptr"
  | "float32"
  | "float64";

/** Go's basic kinds, as type expressions spell them. */
export const BASIC_KINDS: ReadonlySet<string> = new Set([
  "bool", "string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64",
]);

/**
 * How a named type with its own YAML or text marshalling reads and writes
 * its value. "text" is the common case (MarshalText/UnmarshalText): the
 * value is the scalar's text.
 */
export type Codec =
  | "text"
  | "trimmedText"
  | "url"
  | "duration"
  | "base64"
  | "diskSize"
  | "fileMode"
  | "portRange"
  | "argValue"
  | "pem"
  | NetipKind;

// Named types whose Go (un)marshalling is not plain text, by Go type name.
// A test checks that every named type with a custom marshaller is either
// plain text or listed here.
const CODECS: Readonly<Record<string, Codec>> = {
  "time.Duration": "duration",
  "v1alpha1.Endpoint": "url",
  "meta.URL": "url",
  "v1alpha1.Base64Bytes": "base64",
  "v1alpha1.DiskSize": "diskSize",
  // UnmarshalYAML keeps the condition trimmed; MarshalYAML writes it back
  "v1alpha1.InstallDiskSizeMatcher": "trimmedText",
  // os.FileMode written as an octal YAML int
  "v1alpha1.FileMode": "fileMode",
  "runtime.EtcFileMode": "fileMode",
  "network.PortRange": "portRange",
  "meta.ArgValue": "argValue",
  "v1alpha1.ArgValue": "argValue",
  "x509.PEMEncodedCertificateAndKey": "pem",
  "x509.PEMEncodedCertificate": "pem",
  "x509.PEMEncodedKey": "pem",
  // net/netip: read with ParseAddr/ParsePrefix/ParseAddrPort, written in Go's canonical form
  // (a wrapper embedding one of them is read and written the same: its facts name it as textOf)
  "netip.Addr": "addr",
  "netip.Prefix": "prefix",
  "netip.AddrPort": "addrPort",
};

/** A named type's codec: its own, else that of the type its MarshalText comes from. */
function codecOf(expr: string, named: NamedJson | undefined): Codec | undefined {
  if (Object.hasOwn(CODECS, expr)) return CODECS[expr];
  const from = named?.textOf;
  if (from !== undefined && Object.hasOwn(CODECS, from)) return CODECS[from];
  const methods = named?.methods ?? {};
  return methods.MarshalText !== undefined || methods.UnmarshalText !== undefined ? "text" : undefined;
}

/**
 * Named list types whose UnmarshalYAML reshapes the decoded elements: the
 * element field whose leading whitespace Talos trims away.
 */
const TRIM_LEFT_ON_DECODE: Readonly<Record<string, { field: string; chars: string }>> = {
  // inline manifests lose leading blank lines, so `contents: |` with an empty first line round-trips without it
  "v1alpha1.ClusterInlineManifests": { field: "contents", chars: "\t\n\v\f\r" },
};

/** The codec names a type table may use, for completeness checks. */
export function codecTable(): Readonly<Record<string, Codec>> {
  return CODECS;
}

/** A Go type as the decoder, encoder and merger see it. */
export type GoType =
  | { k: "ptr"; elem: GoType; expr: string }
  | { k: "slice"; elem: GoType; name?: string; expr: string }
  | { k: "map"; key: GoType; val: GoType; name?: string; expr: string; inlineStruct: boolean }
  | { k: "struct"; name: string; fields: FieldInfo[]; byKey: ReadonlyMap<string, FieldInfo>; expr: string }
  | { k: "basic"; kind: BasicKind; name?: string; expr: string }
  | { k: "any"; expr: string }
  | { k: "custom"; name: string; codec: Codec; underlying: string; fields?: FieldInfo[]; expr: string; enum?: EnumFacts };

/** The type of an untyped value (`any`, a map[string]any entry). */
export const ANY_TYPE: GoType = Object.freeze({ k: "any", expr: "any" });

/** The type facts of one Talos release: documents, structs, named types. */
export class TypeSystem {
  /** Where the facts come from. */
  readonly source: string;
  /** The contract the facts stand for; none for the newest facts (typeSystem() without one). */
  readonly contract?: Contract;
  private readonly documents: Record<string, string>;
  private readonly structs: FactsJson["types"];
  private readonly named: FactsJson["named"];
  private readonly cache = new Map<string, GoType>();

  constructor(source: string, documents: Record<string, string>, structs: FactsJson["types"], named: FactsJson["named"], contract?: Contract) {
    this.source = source;
    this.contract = contract;
    this.documents = documents;
    this.structs = structs;
    this.named = named;
  }

  /** The document kinds of this release ("v1alpha1" for the legacy document). */
  kinds(): string[] {
    return Object.keys(this.documents);
  }

  /** The root Go type name of a kind, or undefined when the release has no such document. */
  rootOf(kind: string): string | undefined {
    return Object.hasOwn(this.documents, kind) ? this.documents[kind] : undefined;
  }

  /** Whether documents of a kind carry a name that is part of their identity. */
  isNamedKind(kind: string): boolean {
    const root = this.rootOf(kind);
    return root !== undefined && this.methods(root).Name !== undefined;
  }

  /** The interesting methods of a named type (see fields.json). */
  methods(name: string): Readonly<Record<string, "value" | "pointer">> {
    return (Object.hasOwn(this.named, name) ? this.named[name].methods : undefined) ?? {};
  }

  /** Every named type this release knows with its facts. */
  namedTypes(): Readonly<Record<string, NamedJson>> {
    return this.named;
  }

  /** Every struct type of this release. */
  structNames(): string[] {
    return Object.keys(this.structs);
  }

  /** Resolves a type expression of the "go" notation. */
  type(expr: string): GoType {
    const hit = this.cache.get(expr);
    if (hit !== undefined) return hit;
    const t = this.build(expr);
    this.cache.set(expr, t);
    return t;
  }

  /** The type of a field of one of this release's types (resolved once per field: decoding, encoding and merging ask for it all the time). */
  fieldType(f: FieldInfo): GoType {
    let t = f.resolved;
    if (t === undefined) f.resolved = t = this.type(f.go);
    return t;
  }

  private fieldsOf(name: string): FieldInfo[] {
    return this.structs[name].fields.map(([key, , f]) => {
      const info: FieldInfo = { key, go: f?.go ?? "any", omitempty: f?.omitempty === true, replace: f?.replace === true, inline: f?.inline === true };
      Object.defineProperty(info, "resolved", { value: undefined, writable: true, enumerable: false });
      return info;
    });
  }

  private build(expr: string): GoType {
    if (expr.startsWith("*")) return { k: "ptr", elem: this.type(expr.slice(1)), expr };
    if (expr.startsWith("[]")) return { k: "slice", elem: this.type(expr.slice(2)), expr };
    if (expr.startsWith("map[")) {
      const close = matchingBracket(expr, 3);
      return { k: "map", key: this.type(expr.slice(4, close)), val: this.type(expr.slice(close + 1)), expr, inlineStruct: false };
    }
    if (expr === "any" || expr === "struct") return { k: "any", expr };
    if (BASIC_KINDS.has(expr)) return { k: "basic", kind: expr as BasicKind, expr };
    const named = Object.hasOwn(this.named, expr) ? this.named[expr] : undefined;
    const methods = named?.methods ?? {};
    const custom = codecOf(expr, named);
    if (custom !== undefined) {
      const fields = Object.hasOwn(this.structs, expr) ? this.fieldsOf(expr) : undefined;
      // a type read and written by name: Talos writes the name as spelled in its list, and 0 by its own name
      const names = custom === "text" ? enumFacts(expr) : undefined;
      return { k: "custom", name: expr, codec: custom, underlying: named?.underlying ?? "struct", fields, expr, ...(names === undefined ? {} : { enum: names }) };
    }
    if (Object.hasOwn(this.structs, expr)) {
      const fields = this.fieldsOf(expr);
      return { k: "struct", name: expr, fields, byKey: new Map(fields.map((f) => [f.key, f])), expr };
    }
    if (named !== undefined) {
      if (methods.MarshalYAML !== undefined || methods.UnmarshalYAML !== undefined) {
        if (!Object.hasOwn(TRIM_LEFT_ON_DECODE, expr)) throw new Error(`typed: ${expr} has a YAML marshaller but no codec; add it to CODECS`);
      }
      if (named.inlineMap !== undefined) {
        const under = this.type(named.inlineMap);
        if (under.k === "map") return { ...under, name: expr, inlineStruct: true };
      }
      const under = this.type(named.underlying);
      if (under.k === "slice" || under.k === "map" || under.k === "basic") return { ...under, name: expr };
      if (under.k === "any" && named.underlying === "struct") throw new Error(`typed: ${expr} is a struct without fields or codec`);
      return under;
    }
    throw new Error(`typed: unknown Go type ${expr}`);
  }
}

function matchingBracket(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === "[") depth++;
    else if (s[i] === "]" && --depth === 0) return i;
  }
  throw new Error(`typed: unbalanced brackets in ${s}`);
}

const SYSTEMS = new Map<string, TypeSystem>();

/**
 * The type facts of a contract's release, or of the newest Talos the facts
 * were read from when no contract is given.
 */
export function typeSystem(contract?: Contract): TypeSystem {
  const key = contract ?? "main";
  const hit = SYSTEMS.get(key);
  if (hit !== undefined) return hit;
  let sys: TypeSystem;
  const release = contract !== undefined && FACTS.releases !== undefined && Object.hasOwn(FACTS.releases, contract) ? FACTS.releases[contract] : undefined;
  if (release === undefined) {
    sys = new TypeSystem(FACTS.source, FACTS.documents, FACTS.types, FACTS.named, contract);
  } else {
    sys = new TypeSystem(release.source, release.documents, { ...FACTS.types, ...release.types }, { ...FACTS.named, ...release.named }, contract);
  }
  SYSTEMS.set(key, sys);
  return sys;
}

// ---------------------------------------------------------------------------
// YAML scalars as go-yaml reads them

/**
 * A plain YAML scalar that go-yaml reads as a number or a boolean, with its
 * source text: a Go string field takes the text (`1.10` stays "1.10"), other
 * fields take the value. The patch loader produces these; decoding removes them.
 */
export class YamlScalar {
  constructor(
    /** The scalar as written. */
    readonly text: string,
    /** What go-yaml resolves it to. */
    readonly value: number | bigint | boolean,
  ) {}
}

// Mappings read from YAML with a key go-yaml does not resolve to a string (`1:`, `true:`, `~:`, a
// date): decoded into an untyped field, go-yaml makes such a mapping a map[interface{}]interface{},
// which encoding/json cannot write. The reader keeps their keys as text and marks them here.
const NON_STRING_KEYED = new WeakSet<object>();

/** Marks a mapping read from YAML as having a key go-yaml does not resolve to a string. */
export function markNonStringKeys(mapping: Obj): void {
  NON_STRING_KEYED.add(mapping);
}

/** Whether a mapping was read from YAML with a key go-yaml does not resolve to a string. */
export function hasNonStringKeys(v: unknown): boolean {
  // (a WeakSet answers false for anything that is no object)
  return NON_STRING_KEYED.has(v as object);
}

/** Replaces every YamlScalar in a value by the value go-yaml resolves it to (the marks of markNonStringKeys carried over). */
export function plainValue(v: unknown): unknown {
  if (v instanceof YamlScalar) return v.value;
  if (Array.isArray(v)) return v.map(plainValue);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setKey(out, k, plainValue(x));
    if (NON_STRING_KEYED.has(v)) NON_STRING_KEYED.add(out);
    return out;
  }
  return v;
}

/** A mapping of a document, as plain data. */
export type Obj = Record<string, unknown>;

/** Whether a value is a mapping (not null, not a list, not a YamlScalar). */
export function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof YamlScalar);
}

/** Sets a key without ever touching a prototype. */
export function setKey(obj: Obj, key: string, value: unknown): void {
  // Plain assignment is several times faster; only "__proto__" would reach the prototype through it.
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

// ---------------------------------------------------------------------------
// Sealed values
//
// The nodes of a role share almost every document; the compiler passes those
// documents from stage to stage unchanged, and each stage can do its work on
// a document once if it may key a cache on the document's identity. That is
// only sound for a value that can never change: `seal` deep-freezes a value
// talc built itself and records it, and caches key on sealed values only.

// The values sealed, by their root only: a root is recorded once everything under it is frozen.
const SEALED = new WeakSet<object>();

/**
 * Deep-freezes a value made of plain mappings, lists and scalars, and marks
 * it sealed; returns whether it is (a value holding anything else, such as a
 * class instance, is left unsealed).
 */
export function seal(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return true;
  if (SEALED.has(v)) return true;
  if (!freezeDeep(v)) return false;
  SEALED.add(v);
  return true;
}

// Freezing is cheap and recording in a WeakSet is not, so the parts under a root are frozen (again, if shared) but not recorded.
function freezeDeep(v: object): boolean {
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (typeof item === "object" && item !== null && !freezeDeep(item)) return false;
    }
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      const item = (v as Obj)[key];
      if (typeof item === "object" && item !== null && !freezeDeep(item)) return false;
    }
  }
  Object.freeze(v);
  return true;
}

/** Whether a list or mapping was sealed by `seal`: it never changes, so a cache may key on it. */
export function isSealed(v: unknown): v is object {
  return typeof v === "object" && v !== null && SEALED.has(v);
}

/**
 * `compute`, run once per sealed value (they never change, so the answer
 * holds) and every time for any other value.
 */
export function oncePerSealed<T extends object, R>(compute: (value: T) => R): (value: T) => R {
  const results = new WeakMap<T, R>();
  return (value) => {
    if (!isSealed(value)) return compute(value);
    if (results.has(value)) return results.get(value)!;
    const result = compute(value);
    results.set(value, result);
    return result;
  };
}

/** `compute` for a value and the contract it is read in, run once per sealed value and contract. */
export function oncePerSealedAndContract<T extends object, R>(compute: (value: T, contract: Contract) => R): (value: T, contract: Contract) => R {
  const byContract = new Map<Contract, (value: T) => R>();
  return (value, contract) => {
    let once = byContract.get(contract);
    if (once === undefined) byContract.set(contract, (once = oncePerSealed((v: T) => compute(v, contract))));
    return once(value);
  };
}

// ---------------------------------------------------------------------------
// Documents

/** Where a value is, for error messages. */
export interface Where {
  /** The file the document comes from, when known. */
  file?: string;
  /** The document, as "kind" or "kind/name" ("v1alpha1" for the legacy document). */
  doc: string;
  /** The compiler stage reporting (default "talos"). */
  stage?: string;
}

/** A document's identity, as Talos matches documents: `apiVersion/kind[/name]`. */
export interface DocumentId {
  apiVersion: string;
  /** "v1alpha1" for the legacy document. */
  kind: string;
  name?: string;
  /**
   * The match key (see idKey), made with the identity by documentId: a decoded document keeps its
   * identity, which every node's patch and derive match documents by, so its key is made once.
   */
  matchKey?: string;
}

/** The top-level keys that make a document the v1alpha1 config, as Talos's loader reads them. */
export const LEGACY_KEYS: readonly string[] = ["machine", "cluster", "debug", "persist"];

/** A document's kind and apiVersion as its own keys give them: v1alpha1 for a document with a legacy key. */
export function ownKindAndVersion(doc: Obj): { kind: string; apiVersion: string } {
  return { kind: scalarText(doc.kind) ?? "", apiVersion: LEGACY_KEYS.some((k) => Object.hasOwn(doc, k)) ? "v1alpha1" : (scalarText(doc.apiVersion) ?? "") };
}

/** A scalar's text as go-yaml hands it to a string (a number or boolean as written), undefined for anything else. */
export function scalarText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (v instanceof YamlScalar) return v.text;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return formatScalar(v);
  return undefined;
}

/**
 * How Talos classifies a document: the legacy `v1alpha1` config when it has
 * no kind and has `apiVersion: v1alpha1` or one of its top-level keys;
 * otherwise by `apiVersion` and `kind`. Errors as Talos does for a missing
 * kind or apiVersion or an unknown kind.
 */
export function documentId(doc: Obj, sys: TypeSystem, where: Omit<Where, "doc"> & { doc?: string } = {}): DocumentId {
  const at = where.doc ?? "document";
  const { kind, apiVersion } = ownKindAndVersion(doc);
  if (kind === "") {
    if (apiVersion === "v1alpha1") return { apiVersion: "", kind: "v1alpha1", matchKey: keyOf("", "v1alpha1", undefined) };
    throw documentError(where, at, "missing kind: a Talos document has `kind` and `apiVersion`, or is the v1alpha1 config (`version: v1alpha1` with machine/cluster)", "missing-kind");
  }
  if (apiVersion === "") throw documentError(where, at, `missing apiVersion for kind "${kind}"; Talos documents use apiVersion: v1alpha1`, "missing-api-version");
  if (kind === "v1alpha1" || sys.rootOf(kind) === undefined) {
    throw documentError(where, at, unknownKindMessage(kind, sys.contract, (c) => (c === sys.contract ? sys : typeSystem(c)).kinds()), "unknown-kind");
  }
  if (apiVersion !== "v1alpha1") throw documentError(where, at, `unknown apiVersion "${apiVersion}" for kind "${kind}"; expected v1alpha1`, "unknown-api-version");
  const name = sys.isNamedKind(kind) ? (scalarText(doc.name) ?? "") : undefined;
  return name === undefined ? { apiVersion, kind, matchKey: keyOf(apiVersion, kind, undefined) } : { apiVersion, kind, name, matchKey: keyOf(apiVersion, kind, name) };
}

// (a module function, not a closure per call: tsx names each closure it creates, which costs on this path)
function documentError(where: Omit<Where, "doc">, at: string, message: string, code: string): TalcError {
  return new TalcError(message, { code, stage: where.stage ?? "talos", file: where.file, path: at });
}

/**
 * What to say of a document kind a contract lacks, from the kinds each contract has (facts or
 * schema): the contracts that have it, else the nearest kind it has, else every kind it has.
 * A suggestion is always a kind of `contract` itself, never one only another release has.
 */
export function unknownKindMessage(kind: string, contract: Contract | undefined, kindsOf: (contract: Contract | undefined) => readonly string[]): string {
  // "v1alpha1" is the legacy document's marker, never a kind to write
  const documentKinds = (c: Contract | undefined): string[] => kindsOf(c).filter((k) => k !== "v1alpha1");
  const elsewhere = contract === undefined ? [] : CONTRACTS.filter((c) => c !== contract && documentKinds(c).includes(kind));
  if (elsewhere.length > 0) return `document kind ${quote(kind)} does not exist in talos ${contract}; it exists in talos ${elsewhere.join(", ")}`;
  const kinds = documentKinds(contract);
  const near = closest(kind, kinds);
  if (near !== undefined) return `unknown document kind ${quote(kind)}; did you mean ${quote(near)}?`;
  return `unknown document kind ${quote(kind)}; ${contract === undefined ? "the newest talos" : `talos ${contract}`} knows ${kinds.join(", ")}`;
}

// The known name nearest to a misspelt one, when it is near enough to be a typo.
function closest(word: string, names: readonly string[]): string | undefined {
  return nearest(word, names, 4);
}

/** The key Talos matches documents by. */
export function idKey(id: DocumentId): string {
  return id.matchKey ?? keyOf(id.apiVersion, id.kind, id.name);
}

function keyOf(apiVersion: string, kind: string, name: string | undefined): string {
  return name === undefined ? `${apiVersion}/${kind}` : `${apiVersion}/${kind}/${name}`;
}

/** A readable label of a document for messages: "v1alpha1", "KubeletConfig", "LinkConfig/eth0". */
export function idLabel(id: DocumentId): string {
  return id.name === undefined ? id.kind : `${id.kind}/${id.name}`;
}

/** The root type of a document. */
export function rootType(id: DocumentId, sys: TypeSystem): GoType {
  return sys.type(sys.rootOf(id.kind)!);
}

/** Options of the document functions. */
export interface TypedOptions {
  /** The contract whose Talos release decides the types (default: the newest facts). */
  contract?: Contract;
  /** The file the document comes from, for errors. */
  file?: string;
  /** The stage reporting errors (default "talos"). */
  stage?: string;
}

/** Decodes a document as Talos does (strictly), into the decoded form. */
export function decodeDocument(doc: Obj, opts: TypedOptions = {}): Obj {
  const sys = typeSystem(opts.contract);
  const id = documentId(doc, sys, { file: opts.file, stage: opts.stage });
  return decodeValue(doc, rootType(id, sys), "", { sys, file: opts.file, doc: idLabel(id), stage: opts.stage }) as Obj;
}

/** Encodes a decoded document as Talos writes it. */
export function encodeDocument(doc: Obj, opts: TypedOptions = {}): Obj {
  const sys = typeSystem(opts.contract);
  const id = documentId(doc, sys, { file: opts.file, stage: opts.stage });
  return encodeValue(doc, rootType(id, sys), sys) as Obj;
}

/**
 * A document as Talos would write it after reading it: values coerced to
 * their Go types, unknown keys refused, omitempty zero values dropped and
 * the other zero values written out. Never mutates its input.
 */
export function normalizeDocument(doc: Obj, opts: TypedOptions = {}): Obj {
  return encodeDocument(decodeDocument(doc, opts), opts);
}

// ---------------------------------------------------------------------------
// Decoding

interface DecodeContext extends Where {
  sys: TypeSystem;
}

function decodeError(ctx: DecodeContext, path: string, message: string): TalcError {
  return new TalcError(`${message} (in ${ctx.doc})`, { code: "config-decode", stage: ctx.stage ?? "talos", file: ctx.file, path: path === "" ? ctx.doc : path });
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (isObject(v)) return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `the value ${scalarText(v)}`;
}

function child(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** Decodes a value into its Go type: the decoded form (undefined for Go's nil or an unset value). */
export function decodeValue(raw: unknown, t: GoType, path: string, ctx: DecodeContext): unknown {
  if (raw === undefined || raw === null) return undefined;
  switch (t.k) {
    case "ptr":
      return decodeValue(raw, t.elem, path, ctx);
    case "any":
      return plainValue(raw);
    case "basic":
      return decodeBasic(raw, t.kind, path, ctx);
    case "custom":
      return decodeCustom(raw, t, path, ctx);
    case "slice": {
      if (!Array.isArray(raw)) throw decodeError(ctx, path, `expected a list, found ${describe(raw)}`);
      const items = raw.map((item, i) => {
        const v = decodeValue(item, t.elem, `${path}[${i}]`, ctx);
        // a null element of a list of pointers stays nil; of values, it is the zero value
        return v === undefined ? (t.elem.k === "ptr" || t.elem.k === "any" ? null : zeroDecoded(t.elem)) : v;
      });
      const trim = t.name !== undefined && Object.hasOwn(TRIM_LEFT_ON_DECODE, t.name) ? TRIM_LEFT_ON_DECODE[t.name] : undefined;
      if (trim === undefined) return items;
      return items.map((item) => {
        if (!isObject(item) || typeof item[trim.field] !== "string") return item;
        const out = { ...item };
        setKey(out, trim.field, trimLeft(item[trim.field] as string, trim.chars));
        return out;
      });
    }
    case "map": {
      if (!isObject(raw)) throw decodeError(ctx, path, `expected a mapping, found ${describe(raw)}`);
      const out: Obj = {};
      // (index loops on the paths every node takes: in code not yet optimized, for-of allocates per step)
      const keys = Object.keys(raw);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const d = decodeValue(raw[k], t.val, child(path, k), ctx);
        // map values keep an explicit nil: a map entry exists even when its value is null
        setKey(out, k, d === undefined ? (t.val.k === "ptr" || t.val.k === "any" || t.val.k === "slice" || t.val.k === "map" ? null : zeroDecoded(t.val)) : d);
      }
      // go-yaml leaves an inline map nil when no key was given
      if (t.inlineStruct && Object.keys(out).length === 0) return undefined;
      return out;
    }
    case "struct": {
      if (!isObject(raw)) throw decodeError(ctx, path, `expected a mapping for ${t.name}, found ${describe(raw)}`);
      const out: Obj = {};
      const keys = Object.keys(raw);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const f = t.byKey.get(k);
        if (f === undefined) {
          const known = t.fields.map((x) => x.key).join(", ");
          throw decodeError(ctx, child(path, k), `unknown field "${k}" in ${t.name}; known fields: ${known}`);
        }
        const d = decodeValue(raw[k], ctx.sys.fieldType(f), child(path, k), ctx);
        if (d !== undefined) setKey(out, k, d);
      }
      return out;
    }
  }
}

function trimLeft(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i])) i++;
  return s.slice(i);
}

/** The decoded form of a zero value (used where Go stores one explicitly, e.g. a list element). */
function zeroDecoded(t: GoType): unknown {
  switch (t.k) {
    case "basic":
      return t.kind === "bool" ? false : t.kind === "string" ? "" : 0;
    case "struct":
      return {};
    case "custom":
      return customZero(t);
    default:
      return null;
  }
}

const OLD_TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]);
const OLD_FALSE = new Set(["n", "N", "no", "No", "NO", "off", "Off", "OFF"]);

// What a YAML 1.1 word (yes, off…) is to a bool field, as go-yaml reads it; undefined for any other text.
function oldBool(s: string): boolean | undefined {
  return OLD_TRUE.has(s) ? true : OLD_FALSE.has(s) ? false : undefined;
}

/** The range of each Go integer kind. */
export const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int: [-(2n ** 63n), 2n ** 63n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int8: [-128n, 127n],
  uint: [0n, 2n ** 64n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  uintptr: [0n, 2n ** 64n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint16: [0n, 65535n],
  uint8: [0n, 255n],
};

function decodeBasic(raw: unknown, kind: BasicKind, path: string, ctx: DecodeContext): unknown {
  if (Array.isArray(raw) || isObject(raw)) throw decodeError(ctx, path, `expected a ${kind} value, found ${describe(raw)}`);
  const value = raw instanceof YamlScalar ? raw.value : raw;
  if (kind === "string") {
    // a string field takes any scalar as written
    return scalarText(raw);
  }
  if (kind === "bool") {
    if (typeof value === "boolean") return value;
    const word = typeof value === "string" ? oldBool(value) : undefined;
    if (word !== undefined) return word;
    throw decodeError(ctx, path, `expected true or false, found ${describe(raw)}`);
  }
  if (kind === "float32" || kind === "float64") {
    if (typeof value === "number") return value;
    if (typeof value === "bigint") return Number(value);
    throw decodeError(ctx, path, `expected a number, found ${describe(raw)}`);
  }
  let n: bigint | undefined;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number" && Number.isInteger(value)) n = BigInt(value);
  if (n === undefined) throw decodeError(ctx, path, `expected an integer (${kind}), found ${describe(raw)}`);
  const [lo, hi] = INT_RANGES[kind];
  if (n < lo || n > hi) throw decodeError(ctx, path, `${n} is out of range for ${kind} (${lo} to ${hi})`);
  return Number.isSafeInteger(Number(n)) ? Number(n) : n;
}

// Custom types whose decoding reads a scalar's text (UnmarshalText or a string), whatever it resolves to.
const TEXT_CODECS: ReadonlySet<Codec> = new Set<Codec>(["text", "base64", "trimmedText", "url", "diskSize", "argValue", "addr", "prefix", "addrPort"]);

// A value as Talos's decoder hands its scalars to a field of type t: the text as written for a string or
// a text-reading custom type, true or false for a bool field given a YAML 1.1 word, the resolved value
// elsewhere. Nothing else changes, and a value of the wrong shape is left for validation to name.
function asDecodedValue(v: unknown, t: GoType, sys: TypeSystem): unknown {
  switch (t.k) {
    case "ptr":
      return asDecodedValue(v, t.elem, sys);
    case "basic":
      if (v instanceof YamlScalar) return t.kind === "string" ? v.text : v.value;
      if (t.kind === "bool" && typeof v === "string") return oldBool(v) ?? v;
      return plainValue(v);
    case "custom":
      if (v instanceof YamlScalar) return TEXT_CODECS.has(t.codec) ? v.text : v.value;
      if (t.codec === "pem" && isObject(v)) return asDecodedEntries(v, () => sys.type("string"), sys);
      // an argument given as a list is decoded into []string: each item's text
      if (t.codec === "argValue" && Array.isArray(v)) return v.map((item) => asDecodedValue(item, sys.type("string"), sys));
      return plainValue(v);
    case "slice":
      return Array.isArray(v) && !(t.elem.k === "basic" && t.elem.kind === "uint8") ? v.map((item) => asDecodedValue(item, t.elem, sys)) : plainValue(v);
    case "map":
      return isObject(v) ? asDecodedEntries(v, () => t.val, sys) : plainValue(v);
    case "struct":
      return isObject(v) ? asDecodedEntries(v, (k) => { const f = t.byKey.get(k); return f === undefined ? ANY_TYPE : sys.fieldType(f); }, sys) : plainValue(v);
    case "any":
      return plainValue(v);
  }
}

function asDecodedEntries(v: Obj, typeOf: (key: string) => GoType, sys: TypeSystem): Obj {
  const out: Obj = {};
  for (const k of Object.keys(v)) setKey(out, k, asDecodedValue(v[k], typeOf(k), sys));
  return out;
}

/**
 * A config document as read by parseGoYaml, with each scalar as Talos's decoder hands it to its field
 * (see asDecodedValue): `net.ipv4.ip_forward: 1` is the text "1" in a map of strings, `maxSize: 1000000000`
 * the text a ByteSize reads, `debug: yes` true. Validating that form judges what Talos judges. A document
 * of no kind the release knows has its scalars resolved as they are.
 */
export function asDecoded(doc: Obj, sys: TypeSystem): Obj {
  let root: GoType;
  try {
    root = rootType(documentId(doc, sys), sys);
  } catch (e) {
    if (e instanceof TalcError) return plainValue(doc) as Obj;
    throw e;
  }
  return asDecodedValue(doc, root, sys) as Obj;
}

// The scalar text of a custom-typed value, or a decode error. (A module function, not a closure per
// value: tsx names each closure it creates, which costs on this path.)
function scalarOf(raw: unknown, text: string | undefined, t: Extract<GoType, { k: "custom" }>, path: string, ctx: DecodeContext): string {
  if (text === undefined) throw decodeError(ctx, path, `expected a scalar for ${t.name}, found ${describe(raw)}`);
  return text;
}

function decodeCustom(raw: unknown, t: Extract<GoType, { k: "custom" }>, path: string, ctx: DecodeContext): unknown {
  const text = scalarText(raw);
  switch (t.codec) {
    case "text": {
      const s = scalarOf(raw, text, t, path, ctx);
      // a text that is no name is left as it is: validation names what is valid
      return t.enum === undefined ? s : (canonicalName(t.enum, s) ?? s);
    }
    case "base64":
      return scalarOf(raw, text, t, path, ctx);
    case "trimmedText":
      return goTrimSpace(scalarOf(raw, text, t, path, ctx));
    case "url": {
      const s = scalarOf(raw, text, t, path, ctx);
      // meta.URL ignores an empty string (stays nil); Endpoint parses it into an empty URL
      if (s === "" && t.name === "meta.URL") return undefined;
      const u = parseGoURL(s, goURLOptions(ctx.sys.contract));
      if (typeof u === "string") throw decodeError(ctx, path, goURLMessage(s, u));
      return formatGoURL(u);
    }
    case "duration": {
      const value = raw instanceof YamlScalar ? raw.value : raw;
      if (value === 0) return "0s";
      if (typeof value !== "string") throw decodeError(ctx, path, `expected a duration such as "30s" or "1m30s", found ${describe(raw)}`);
      const ns = parseGoDuration(value);
      if (ns === undefined) throw decodeError(ctx, path, `${JSON.stringify(value)} is not a duration; expected e.g. "30s", "5m", "1h30m"`);
      return formatGoDuration(ns);
    }
    case "diskSize": {
      const n = parseByteSize(scalarOf(raw, text, t, path, ctx));
      if (n === undefined) throw decodeError(ctx, path, `${JSON.stringify(text)} is not a size; expected bytes or e.g. "10 GB", "4GiB"`);
      return n;
    }
    case "fileMode": {
      const value = raw instanceof YamlScalar ? raw.value : raw;
      if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
      throw decodeError(ctx, path, `expected a file mode such as 0o644, found ${describe(raw)}`);
    }
    case "portRange": {
      const value = raw instanceof YamlScalar ? raw.value : raw;
      if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 65535) return value;
      const m = typeof value === "string" ? /^(\d+)-(\d+)$/.exec(value) : null;
      if (m === null || Number(m[1]) > 65535 || Number(m[2]) > 65535) throw decodeError(ctx, path, `invalid port range ${describe(raw)}; expected a port or "low-high"`);
      return m[1] === m[2] ? Number(m[1]) : `${Number(m[1])}-${Number(m[2])}`;
    }
    case "argValue": {
      if (Array.isArray(raw)) {
        return raw.map((item, i) => {
          const s = scalarText(item);
          if (s === undefined && item !== null) throw decodeError(ctx, `${path}[${i}]`, `an argument list holds strings, found ${describe(item)}`);
          return s ?? "";
        });
      }
      if (text === undefined) throw decodeError(ctx, path, `arg value must be a string or list of strings, found ${describe(raw)}`);
      return text;
    }
    case "addr":
    case "prefix":
    case "addrPort": {
      // UnmarshalText parses the text (an empty one is the zero value); MarshalText writes it back canonical
      const s = scalarOf(raw, text, t, path, ctx);
      const canonical = canonicalNetip(t.codec, s);
      if (typeof canonical !== "string") throw decodeError(ctx, path, netipMessage(t.codec, s, canonical));
      return canonical;
    }
    case "pem": {
      if (!isObject(raw)) throw decodeError(ctx, path, `expected a mapping for ${t.name}, found ${describe(raw)}`);
      const out: Obj = {};
      const fields = t.fields ?? [];
      for (const k of Object.keys(raw)) {
        if (!fields.some((f) => f.key === k)) throw decodeError(ctx, child(path, k), `unknown field "${k}" in ${t.name}; known fields: ${fields.map((f) => f.key).join(", ")}`);
      }
      // every part is set after decoding, empty when absent
      for (const f of fields) setKey(out, f.key, scalarText(raw[f.key]) ?? "");
      return out;
    }
  }
}

function customZero(t: Extract<GoType, { k: "custom" }>): unknown {
  switch (t.codec) {
    case "duration":
      return "0s";
    case "diskSize":
    case "fileMode":
    case "portRange":
      return 0;
    case "pem":
      return Object.fromEntries((t.fields ?? []).map((f) => [f.key, ""]));
    case "argValue":
    case "url":
      return undefined;
    default:
      return t.enum?.zero ?? "";
  }
}

// ---------------------------------------------------------------------------
// Zero values

/**
 * Go's reflect.Value.IsZero on the decoded form: what the merge treats as
 * "not set". Note that an empty list or map that was given is not zero.
 */
export function goIsZero(v: unknown, t: GoType, sys: TypeSystem): boolean {
  if (v === undefined || v === null) return true;
  switch (t.k) {
    case "basic":
      return v === "" || v === 0 || v === 0n || v === false;
    case "struct":
      return isObject(v) && t.fields.every((f) => goIsZero(v[f.key], sys.fieldType(f), sys));
    case "custom":
      switch (t.codec) {
        case "duration":
          return v === "0s";
        case "diskSize":
        case "fileMode":
        case "portRange":
          return v === 0;
        case "pem":
          // decoding always sets every part (to an empty, non-nil byte slice)
          return false;
        case "text":
          // a name is zero when it names 0; an empty text names nothing (Talos refuses it)
          return t.enum === undefined ? v === "" : v === t.enum.zero;
        default:
          return v === "";
      }
    default:
      return false;
  }
}

/** go-yaml's omitempty test on the decoded form: IsZero methods, empty lists and maps, zero scalars. */
function yamlIsZero(v: unknown, t: GoType, sys: TypeSystem): boolean {
  if (v === undefined || v === null) return true;
  switch (t.k) {
    case "ptr":
      return false;
    case "slice":
      return Array.isArray(v) && v.length === 0;
    case "map":
      return isObject(v) && Object.keys(v).length === 0;
    case "struct":
      // IsZero methods of Talos structs test every field the same way
      return isObject(v) && t.fields.every((f) => yamlIsZero(v[f.key], sys.fieldType(f), sys));
    case "custom":
      if (t.codec === "pem") return false;
      if (t.codec === "argValue") return true;
      return goIsZero(v, t, sys);
    default:
      return goIsZero(v, t, sys);
  }
}

// ---------------------------------------------------------------------------
// Encoding

/** Encodes a decoded value as Talos writes it; undefined when the field is left out. */
export function encodeValue(v: unknown, t: GoType, sys: TypeSystem): unknown {
  switch (t.k) {
    case "ptr":
      return v === undefined || v === null ? null : encodeValue(v, t.elem, sys);
    case "any":
      return v === undefined ? null : v;
    case "basic":
      return v === undefined || v === null ? zeroDecoded(t) : v;
    case "custom":
      return encodeCustom(v, t);
    case "slice":
      return Array.isArray(v) ? v.map((item) => encodeValue(item, t.elem, sys)) : [];
    case "map": {
      if (!isObject(v)) return {};
      const out: Obj = {};
      const keys = Object.keys(v);
      for (let i = 0; i < keys.length; i++) setKey(out, keys[i], encodeValue(v[keys[i]], t.val, sys));
      return out;
    }
    case "struct": {
      const obj = isObject(v) ? v : {};
      const out: Obj = {};
      for (let i = 0; i < t.fields.length; i++) {
        const f = t.fields[i];
        const ft = sys.fieldType(f);
        const fv = obj[f.key];
        if (f.omitempty && yamlIsZero(fv, ft, sys)) continue;
        const e = encodeValue(fv, ft, sys);
        if (e !== undefined) setKey(out, f.key, e);
      }
      return out;
    }
  }
}

/** Equal as plain data, as encoded values are compared: mappings regardless of key order. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameData(a[k], b[k]));
  }
  return false;
}

/**
 * Whether two decoded values of a type are written the same: the same as
 * comparing encodeValue of each as data, without building either.
 */
export function encodesEqual(a: unknown, b: unknown, t: GoType, sys: TypeSystem): boolean {
  if (a === b) return true;
  switch (t.k) {
    case "ptr": {
      const aNil = a === undefined || a === null;
      const bNil = b === undefined || b === null;
      if (aNil && bNil) return true;
      // nil against a value: some values are written as null too
      if (aNil || bNil) return sameData(encodeValue(a, t, sys), encodeValue(b, t, sys));
      return encodesEqual(a, b, t.elem, sys);
    }
    case "any":
      return sameData(a === undefined ? null : a, b === undefined ? null : b);
    case "basic":
      return sameData(a === undefined || a === null ? zeroDecoded(t) : a, b === undefined || b === null ? zeroDecoded(t) : b);
    case "custom":
      return sameData(encodeCustom(a, t), encodeCustom(b, t));
    case "slice": {
      const x = Array.isArray(a) ? a : [];
      const y = Array.isArray(b) ? b : [];
      return x.length === y.length && x.every((item, i) => encodesEqual(item, y[i], t.elem, sys));
    }
    case "map": {
      const x = isObject(a) ? a : {};
      const y = isObject(b) ? b : {};
      const keys = Object.keys(x);
      return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && encodesEqual(x[k], y[k], t.val, sys));
    }
    case "struct": {
      // a struct whose fields repeat a key is written last field first: compare what is written
      if (t.byKey.size !== t.fields.length) return sameData(encodeValue(a, t, sys), encodeValue(b, t, sys));
      const x = isObject(a) ? a : {};
      const y = isObject(b) ? b : {};
      for (let i = 0; i < t.fields.length; i++) {
        const f = t.fields[i];
        const ft = sys.fieldType(f);
        const xv = x[f.key];
        const yv = y[f.key];
        if (xv === yv) continue;
        const xOut = f.omitempty && yamlIsZero(xv, ft, sys);
        const yOut = f.omitempty && yamlIsZero(yv, ft, sys);
        if (xOut !== yOut) return false;
        if (!xOut && !encodesEqual(xv, yv, ft, sys)) return false;
      }
      return true;
    }
  }
}

function encodeCustom(v: unknown, t: Extract<GoType, { k: "custom" }>): unknown {
  switch (t.codec) {
    case "diskSize":
      return formatDiskSize(typeof v === "number" ? v : 0);
    case "argValue":
      // an empty string argument is written as null (MarshalYAML returns nil)
      return v === undefined || v === "" ? null : v;
    case "pem": {
      const obj = isObject(v) ? v : {};
      return Object.fromEntries((t.fields ?? []).map((f) => [f.key, typeof obj[f.key] === "string" ? obj[f.key] : ""]));
    }
    default:
      return v === undefined || v === null ? customZero(t) ?? "" : v;
  }
}

// ---------------------------------------------------------------------------
// Scalars

/** A JS scalar in Go's text form, as a string field would hold it. */
function formatScalar(v: number | bigint | boolean): string {
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
  if (Number.isNaN(v)) return ".nan";
  if (!Number.isFinite(v)) return v > 0 ? "+.inf" : "-.inf";
  return String(v).replace(/e\+?/, "e+").replace("e+-", "e-");
}

// time.Duration: the units Go's ParseDuration accepts, in nanoseconds.
const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  "µs": 1000n,
  "μs": 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration, in nanoseconds; undefined when the text is not a duration. */
export function parseGoDuration(s: string): bigint | undefined {
  let rest = s;
  let neg = false;
  if (rest[0] === "-" || rest[0] === "+") {
    neg = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") return undefined;
  let total = 0;
  let exact = 0n;
  while (rest !== "") {
    const m = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (m === null || (m[1] === "" && (m[2] === undefined || m[2] === ""))) return undefined;
    const unit = DURATION_UNITS[m[3]];
    const whole = BigInt(m[1] === "" ? "0" : m[1]);
    exact += whole * unit;
    if (m[2] !== undefined && m[2] !== "") {
      // fractional part, truncated to whole nanoseconds as Go does
      const frac = m[2];
      exact += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    }
    total++;
    rest = rest.slice(m[0].length);
  }
  if (total === 0 || exact > 2n ** 63n - 1n) return undefined;
  return neg ? -exact : exact;
}

/** Go's time.Duration.String. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    // sub-second: the largest unit that keeps a non-zero integer part
    const [unit, scale] = u < 1000n ? ["ns", 1n] : u < 1_000_000n ? ["µs", 1000n] : ["ms", 1_000_000n];
    out = fraction(u, scale) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    out = `${fraction(u, 1_000_000_000n)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}

function fraction(v: bigint, scale: bigint): string {
  const whole = v / scale;
  const rem = v % scale;
  if (rem === 0n) return whole.toString();
  const digits = scale.toString().length - 1;
  return `${whole}.${rem.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}

const SI = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
const BYTE_UNITS: Record<string, number> = {
  "": 1, b: 1,
  k: 1e3, kb: 1e3, kib: 1024, ki: 1024,
  m: 1e6, mb: 1e6, mib: 1024 ** 2, mi: 1024 ** 2,
  g: 1e9, gb: 1e9, gib: 1024 ** 3, gi: 1024 ** 3,
  t: 1e12, tb: 1e12, tib: 1024 ** 4, ti: 1024 ** 4,
  p: 1e15, pb: 1e15, pib: 1024 ** 5, pi: 1024 ** 5,
  e: 1e18, eb: 1e18, eib: 1024 ** 6, ei: 1024 ** 6,
};

// Go's strings.TrimSpace: unicode.IsSpace runes at either end. Unlike String.prototype.trim, it trims
// U+0085 (next line) and keeps U+FEFF (the byte order mark).
const GO_SPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, "g");

/** Go's strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  return s.replace(GO_TRIM, "");
}

/**
 * A byte size as go-humanize's ParseBytes reads it, as Talos's size fields do: digits with commas
 * (dropped) and at most one point ("1,024", ".5"), then a unit of BYTE_UNITS in any letter case,
 * space around it trimmed ("4 GiB", "10gb", "" for bytes). The whole bytes, or undefined when it
 * is not a size.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^([0-9.,]*)(.*)$/s.exec(text)!;
  const digits = m[1].replaceAll(",", "");
  const unit = goTrimSpace(m[2]).toLowerCase();
  // only the table's own units: not "constructor" or "__proto__", which every object answers to
  if (!/^(\d+\.?\d*|\.\d+)$/.test(digits) || !Object.hasOwn(BYTE_UNITS, unit)) return undefined;
  const bytes = Number(digits) * BYTE_UNITS[unit];
  // ParseBytes refuses a float64 of at least 2^64 as too large for a uint64
  return bytes < 2 ** 64 ? Math.trunc(bytes) : undefined;
}

// DiskSize.MarshalYAML: a human-readable SI size when that reads back exactly, else the number.
function formatDiskSize(n: number): string | number {
  if (n % 1000 !== 0) return n;
  let text: string;
  if (n < 10) text = `${n} B`;
  else {
    const e = Math.floor(Math.log(n) / Math.log(1000));
    const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
    text = `${val < 10 ? val.toFixed(1) : val.toFixed(0)} ${SI[e]}`;
  }
  return parseByteSize(text) === n ? text : n;
}

// ---------------------------------------------------------------------------
// URLs as Go's net/url parses and prints them

/** The parts of a URL as Go's url.URL holds them (escaped forms kept as written). */
export interface GoURL {
  scheme: string;
  opaque: string;
  /** The userinfo as written, undefined when the URL has none. */
  user?: string;
  host: string;
  path: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
}

// Go's escaping rules, by the part of a URL being read or written (a zone is that of an IPv6 literal).
type UrlPart = "path" | "host" | "zone" | "userinfo" | "fragment";

const HEX = "0123456789ABCDEF";

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

// Whether Go writes a byte of that part %-escaped.
function shouldEscape(c: number, part: UrlPart): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((part === "host" || part === "zone") && "!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  if ("-_.~".includes(ch)) return false;
  if ("$&+,/:;=?@".includes(ch)) {
    if (part === "path") return ch === "?";
    if (part === "userinfo") return "@/?:".includes(ch);
    if (part === "fragment") return false;
  }
  if (part === "fragment" && "!()*".includes(ch)) return false;
  return true;
}

function escapeBytes(bytes: Uint8Array, part: UrlPart): string {
  let out = "";
  for (const c of bytes) out += shouldEscape(c, part) ? `%${HEX[c >> 4]}${HEX[c & 15]}` : String.fromCharCode(c);
  return out;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

// Go's unescape: the bytes a part holds, or why it cannot be read (a bad %-escape, a character no host has).
function unescapeBytes(s: string, part: UrlPart): Uint8Array | string {
  const raw = Buffer.from(s, "utf8");
  const out: number[] = [];
  for (let i = 0; i < raw.length; ) {
    const c = raw[i];
    if (c === 0x25) {
      const a = String.fromCharCode(raw[i + 1] ?? 0);
      const b = String.fromCharCode(raw[i + 2] ?? 0);
      if (i + 2 >= raw.length || !isHex(a) || !isHex(b)) return `invalid URL escape ${JSON.stringify(raw.subarray(i, i + 3).toString("latin1"))}`;
      const byte = parseInt(a + b, 16);
      // a host %-escapes only bytes beyond ASCII, and "%25" (the percent sign of an IPv6 zone);
      // a zone only bytes a host may hold as they are, and the space
      if (part === "host" && byte < 0x80 && `%${a}${b}` !== "%25") return `invalid URL escape ${JSON.stringify(`%${a}${b}`)}`;
      if (part === "zone" && `%${a}${b}` !== "%25" && byte !== 0x20 && shouldEscape(byte, "host")) return `invalid URL escape ${JSON.stringify(`%${a}${b}`)}`;
      out.push(byte);
      i += 3;
      continue;
    }
    if ((part === "host" || part === "zone") && c < 0x80 && shouldEscape(c, "host")) return `invalid character ${JSON.stringify(String.fromCharCode(c))} in host name`;
    out.push(c);
    i++;
  }
  return Uint8Array.from(out);
}

// Whether Go keeps a part as written when it prints the URL: only characters it need not escape, and
// %-escapes. Go escapes every byte beyond ASCII, so a character beyond it is refused whatever its UTF-8.
function validEncoded(s: string, part: UrlPart): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!"!$&'()*+,;=:@[]%".includes(s[i]) && shouldEscape(c, part)) return false;
  }
  return true;
}

// A path or fragment as Go prints it: as written where that is valid, else escaped afresh from what it holds.
function printedPart(s: string, part: "path" | "fragment"): string {
  return validEncoded(s, part) ? s : reescaped(s, part);
}

// A port after a host: nothing, or a colon and digits only.
function validOptionalPort(port: string): boolean {
  return port === "" || /^:[0-9]*$/.test(port);
}

// Go's parseHost: the bytes a host holds, or why it cannot be read. Brackets hold an IPv6 address
// only, and only at the start of the host: Go refuses anything else in them since 1.25.2, and a
// bracket after the start since 1.25.8 and 1.26.1 (Talos 1.12.11, 1.13.9 and 1.14 are built with
// Go 1.25.12 and 1.26.6). Outside brackets the last colon starts the port, unless colons are
// strict: then the first one does, so a second colon is refused.
function readHost(host: string, strictColons: boolean): Uint8Array | string {
  const open = host.lastIndexOf("[");
  if (open > 0) return "invalid IP-literal";
  if (open < 0) {
    const colon = strictColons ? host.indexOf(":") : host.lastIndexOf(":");
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) return `invalid port ${JSON.stringify(host.slice(colon))} after host`;
    return unescapeBytes(host, "host");
  }
  const close = host.lastIndexOf("]");
  if (close < 0) return "missing ']' in host";
  const port = host.slice(close + 1);
  if (!validOptionalPort(port)) return `invalid port ${JSON.stringify(port)} after host`;
  // from its "%25" on, the literal is a zone (RFC 6874), read by a zone's escaping rules
  const literal = host.slice(1, close);
  const zone = literal.indexOf("%25");
  const address = unescapeBytes(zone < 0 ? literal : literal.slice(0, zone), "host");
  if (typeof address === "string") return address;
  const zoneBytes = zone < 0 ? new Uint8Array() : unescapeBytes(literal.slice(zone), "zone");
  if (typeof zoneBytes === "string") return zoneBytes;
  const text = Buffer.concat([address, zoneBytes]).toString("utf8");
  const addr = parseAddr(text);
  if ("problem" in addr) return `invalid host: ParseAddr(${JSON.stringify(text)}): ${addr.problem}`;
  if (addr.family === 4) return "invalid IP-literal";
  return Buffer.concat([Buffer.from("["), address, zoneBytes, Buffer.from(`]${port}`)]);
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

// Go's reading of userinfo: why it cannot be read, if it cannot.
function userinfoProblem(user: string): string | undefined {
  if (!USERINFO.test(user)) return "net/url: invalid userinfo";
  for (const piece of user.split(":", 2)) {
    const bytes = unescapeBytes(piece, "userinfo");
    if (typeof bytes === "string") return bytes;
  }
  return undefined;
}

/**
 * How url.Parse reads a URL in the Go a Talos release is built with (goURLOptions gives them for a
 * contract). strictColons: Go 1.26's urlstrictcolons, on by default, with which an http or https
 * host may hold one colon outside brackets, the one before its port; Go 1.25 reads any host as it
 * reads one of another scheme, the last colon starting the port.
 */
export interface GoURLOptions {
  readonly strictColons: boolean;
}

/** Go's url.Parse, or the reason it fails. */
export function parseGoURL(raw: string, opts: GoURLOptions): GoURL | string {
  return readURL(`u${opts.strictColons ? 1 : 0}${raw}`, [raw, opts, false]);
}

/** Go's url.ParseRequestURI, or the reason it fails: no fragment is cut off, and the URL is absolute or an absolute path. */
export function parseGoRequestURI(raw: string, opts: GoURLOptions): GoURL | string {
  return readURL(`r${opts.strictColons ? 1 : 0}${raw}`, [raw, opts, true]);
}

// Every node's config names the cluster's endpoints again, and decoding, validation and the checks each
// read them: a text is parsed once per way of reading it (bounded), and the URL handed out frozen.
const readURL = boundedMemo(1_000, (_key: string, [raw, opts, viaRequest]: [string, GoURLOptions, boolean]): GoURL | string => {
  const url = parseURL(raw, opts, viaRequest);
  return typeof url === "string" ? url : Object.freeze(url);
});

function parseURL(raw: string, opts: GoURLOptions, viaRequest: boolean): GoURL | string {
  if (/[\x00-\x1f\x7f]/.test(raw)) return "net/url: invalid control character in URL";
  if (viaRequest && raw === "") return "empty url";
  const u: GoURL = { scheme: "", opaque: "", host: "", path: "", omitHost: false, forceQuery: false, rawQuery: "", fragment: "" };
  let rest = raw;
  const hash = viaRequest ? -1 : rest.indexOf("#");
  if (hash >= 0) {
    u.fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  if (rest === "") return u;
  if (rest === "*") {
    u.path = "*";
    return u;
  }
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (sm !== null) {
    u.scheme = sm[1].toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (rest.startsWith(":")) return "missing protocol scheme";
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (u.scheme !== "") {
      u.opaque = rest;
      return u;
    }
    if (viaRequest) return "invalid URI for request";
    const slash = rest.indexOf("/");
    if (rest.slice(0, slash < 0 ? undefined : slash).includes(":")) return "first path segment in URL cannot contain colon";
  }
  if ((u.scheme !== "" || (!viaRequest && !rest.startsWith("///"))) && rest.startsWith("//")) {
    const end = rest.indexOf("/", 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? "" : rest.slice(end);
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      u.user = authority.slice(0, at);
      u.host = authority.slice(at + 1);
    } else u.host = authority;
    // the scheme as Go compares it: already lowered
    const host = readHost(u.host, opts.strictColons && (u.scheme === "http" || u.scheme === "https"));
    const problem = typeof host === "string" ? host : u.user === undefined ? undefined : userinfoProblem(u.user);
    if (problem !== undefined) return problem;
  } else if (u.scheme !== "" && rest.startsWith("/")) u.omitHost = true;
  u.path = rest;
  for (const [text, part] of [[u.path, "path"], [u.fragment, "fragment"]] as const) {
    const bytes = unescapeBytes(text, part);
    if (typeof bytes === "string") return bytes;
  }
  return u;
}

/** A parsed URL's path as Go's url.URL.Path holds it: unescaped (parseGoURL has checked its escapes). */
export function goURLPath(u: GoURL): string {
  const bytes = unescapeBytes(u.path, "path");
  return typeof bytes === "string" ? u.path : Buffer.from(bytes).toString("utf8");
}

/**
 * The pairs of a raw query as Go's url.URL.Query reads them: split at "&" (or at `separator`), a "+"
 * read as a space, and a pair with a semicolon or a bad %-escape left out (ParseQuery's errors, which
 * Query drops).
 */
export function goQueryPairs(rawQuery: string, separator: RegExp | string = "&"): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const pair of rawQuery.split(separator)) {
    if (pair === "" || pair.includes(";")) continue;
    const eq = pair.indexOf("=");
    const key = unescapeBytes((eq < 0 ? pair : pair.slice(0, eq)).replaceAll("+", " "), "path");
    const value = unescapeBytes(eq < 0 ? "" : pair.slice(eq + 1).replaceAll("+", " "), "path");
    if (typeof key === "string" || typeof value === "string") continue;
    pairs.push([Buffer.from(key).toString("utf8"), Buffer.from(value).toString("utf8")]);
  }
  return pairs;
}

/** The message for a text Go's url.Parse refuses, with Go's reason and, where given, what would do. */
export function goURLMessage(text: string, problem: string, expected?: string): string {
  return `${JSON.stringify(text)} is not a valid URL (${problem})${expected === undefined ? "" : `; expected ${expected}`}`;
}

/** Go's url.URL.Hostname: a URL's host without its port and brackets. */
export function goURLHostname(host: string): string {
  const colon = host.lastIndexOf(":");
  const name = colon >= 0 && validOptionalPort(host.slice(colon)) ? host.slice(0, colon) : host;
  return name.startsWith("[") && name.endsWith("]") ? name.slice(1, -1) : name;
}

/** Go's url.URL.Port: the digits after a host's last colon, "" when there are none or they are not all digits. */
export function goURLPort(host: string): string {
  const colon = host.lastIndexOf(":");
  return colon >= 0 && validOptionalPort(host.slice(colon)) ? host.slice(colon + 1) : "";
}

// What a URL parseGoURL handed out prints as: each is read once and then printed for every node alike.
const printedURLs = new WeakMap<GoURL, string>();

/** Go's url.URL.String. */
export function formatGoURL(u: GoURL): string {
  if (!Object.isFrozen(u)) return printURL(u);
  let text = printedURLs.get(u);
  if (text === undefined) printedURLs.set(u, (text = printURL(u)));
  return text;
}

function printURL(u: GoURL): string {
  let out = "";
  if (u.scheme !== "") out += `${u.scheme}:`;
  if (u.opaque !== "") out += u.opaque;
  else {
    if (u.scheme !== "" || u.host !== "" || u.user !== undefined) {
      if (!(u.omitHost && u.host === "" && u.user === undefined)) {
        if (u.host !== "" || u.path !== "" || u.user !== undefined) out += "//";
        if (u.user !== undefined) out += `${printedUserinfo(u.user)}@`;
        out += printedHost(u.host);
      }
    }
    const path = printedPart(u.path, "path");
    if (path !== "" && !path.startsWith("/") && u.host !== "") out += "/";
    if (out === "") {
      const slash = path.indexOf("/");
      if (path.slice(0, slash < 0 ? undefined : slash).includes(":")) out += "./";
    }
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== "") out += `?${u.rawQuery}`;
  if (u.fragment !== "") out += `#${printedPart(u.fragment, "fragment")}`;
  return out;
}

// A part escaped afresh from what it holds, as Go prints userinfo, a path or a fragment (as written when it cannot be read).
function reescaped(s: string, part: UrlPart): string {
  const bytes = unescapeBytes(s, part);
  return typeof bytes === "string" ? s : escapeBytes(bytes, part);
}

// A host as Go prints it: escaped afresh from the bytes it holds (as written when it cannot be read).
function printedHost(host: string): string {
  // (printing checks nothing: a host is printed whatever its colons)
  const bytes = readHost(host, false);
  return typeof bytes === "string" ? host : escapeBytes(bytes, "host");
}

// Userinfo as Go prints it: the name, and after the first colon the password, each escaped afresh.
function printedUserinfo(user: string): string {
  const colon = user.indexOf(":");
  return colon < 0 ? reescaped(user, "userinfo") : `${reescaped(user.slice(0, colon), "userinfo")}:${reescaped(user.slice(colon + 1), "userinfo")}`;
}
