// Schema validation of single documents against talc's per-version Talos
// schemas (schemas/talos/v<contract>.json). Each contract's schema is read and
// handed to ajv on first use, and each document kind is compiled on first use
// and kept: validation runs for every node of every cluster.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Ajv2020, CodeOptions, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { requireIfPresent } from "../../bin/code-cache.js";
import { ajv2020 } from "../lazy.ts";
import { CONTRACTS, type Contract } from "../talos/contract.ts";
import { boundedMemo } from "../memo.ts";
import { NETIP_EXPECTED } from "../talos/netip.ts";
import { integerRangeProblems, parsedFieldProblems } from "./parsed-fields.ts";
import { isSealed, setKey, unknownKindMessage } from "../talos/typed.ts";
import { closest as nearest } from "../suggest.ts";
import { COMPILED_VALIDATORS, packagePath } from "../paths.ts";
import type { Doc, ValidationProblem } from "./types.ts";
import { child, dataKey, isMapping, pointerSegments, quote } from "../value.ts";

type Schema = Record<string, unknown>;

interface ContractSchema {
  schema: Schema;
  /** Document kind ("v1alpha1" for the legacy one) → `$defs` name of its root. */
  kinds: Map<string, string>;
  /** Each `$defs` entry, as JSON text → its name (ajv reports the schema, not its name). */
  defNames?: Map<string, string>;
  ajv?: Ajv2020;
  /** Each kind's validator once loaded (precompiled) or compiled (without). */
  validators: Map<string, ValidateFunction>;
  /** Whether the precompiled validators were made from this schema text (see schemaStamp). */
  precompiled: boolean;
}

/** Document kind ("v1alpha1" for the legacy one) → `$defs` name of its root, for a contract's schema. */
export function schemaKinds(schema: Schema): Map<string, string> {
  const defs = schema.$defs as Record<string, Schema>;
  const kinds = new Map<string, string>();
  for (const { $ref } of schema.oneOf as Array<{ $ref: string }>) {
    const name = $ref.slice("#/$defs/".length);
    const kind = ((defs[name].properties as Record<string, { enum?: string[] }>).kind?.enum ?? ["v1alpha1"])[0];
    kinds.set(kind, name);
  }
  return kinds;
}

/** The ajv instance talc validates with; the same options serve run-time and precompiled validators. */
export function newAjv(code: CodeOptions = {}): Ajv2020 {
  // Unoptimised code compiles in half the time and validates as fast at this size; the schema
  // itself is checked against the meta-schema by the tests, not on every start.
  const ajv = new (ajv2020().Ajv2020)({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, validateSchema: false, code: { optimize: false, ...code } });
  return ajv;
}

// Each kind's precompiled validator is a CommonJS module of plain generated code (scripts/validators.ts),
// so a build loads only the kinds its configs hold: about half of a contract's code for a typical fleet.
// It is run as Node would wrap it, from its V8 code cache (bin/code-cache.js), and past the module
// loader's hooks: under tsx they scan all of it for import syntax before it runs. Undefined when not
// installed (talc then compiles the schema).
/** A kind's precompiled validator, loaded from its module; undefined when that is not installed. */
export function compiledValidator(contract: Contract, kind: string): ValidateFunction | undefined {
  return (requireIfPresent(join(COMPILED_VALIDATORS, `v${contract}`, `${kind}.cjs`)) as Record<string, ValidateFunction> | undefined)?.[kind];
}

/** The text of a contract's schema (schemas/talos/v<contract>.json). */
export function schemaText(contract: Contract): string {
  return readFileSync(packagePath("schemas", "talos", `v${contract}.json`), "utf8");
}

/**
 * What the precompiled validators of a contract record of the schema they were made from: a hash
 * of its text, in `v<contract>.sha256` beside their folder. A schema changed since (a checkout
 * or pull without a new install) is compiled at run time rather than judged by the old code.
 */
export function schemaStamp(schemaText: string): string {
  return createHash("sha256").update(schemaText).digest("hex");
}

/** Where a contract's stamp is. */
export function stampPath(contract: Contract): string {
  return join(COMPILED_VALIDATORS, `v${contract}.sha256`);
}

/** Whether a contract's precompiled validators were made from this schema text. */
export function madeFrom(contract: Contract, schemaText: string): boolean {
  try {
    return readFileSync(stampPath(contract), "utf8").trim() === schemaStamp(schemaText);
  } catch {
    return false;
  }
}

const loaded = new Map<Contract, ContractSchema>();

function load(contract: Contract): ContractSchema {
  let cs = loaded.get(contract);
  if (cs === undefined) {
    const text = schemaText(contract);
    const schema = JSON.parse(text) as Schema;
    cs = { schema, kinds: schemaKinds(schema), validators: new Map(), precompiled: madeFrom(contract, text) };
    loaded.set(contract, cs);
  }
  return cs;
}

function validatorFor(cs: ContractSchema, contract: Contract, kind: string): ValidateFunction {
  let v = cs.validators.get(kind);
  if (v === undefined) {
    v = (cs.precompiled ? compiledValidator(contract, kind) : undefined) ?? compileAtRunTime(cs, kind);
    cs.validators.set(kind, v);
  }
  return v;
}

// Without the precompiled module: the contract's schema handed to ajv, and the kind compiled from it.
function compileAtRunTime(cs: ContractSchema, kind: string): ValidateFunction {
  if (cs.ajv === undefined) {
    cs.ajv = newAjv();
    cs.ajv.addSchema(cs.schema, "talos");
  }
  const v = cs.ajv.getSchema(`talos#/$defs/${cs.kinds.get(kind)}`);
  if (v === undefined) throw new Error(`no schema for ${kind}`);
  return v;
}

/** The document kinds a contract knows ("v1alpha1" for the legacy document). */
export function knownKinds(contract: Contract): string[] {
  return [...load(contract).kinds.keys()];
}

/** The property names a contract's schema allows under a `$defs` entry, for suggestions. */
function fieldsOf(contract: Contract, def: string): string[] | undefined {
  const d = (load(contract).schema.$defs as Record<string, Schema>)[def];
  return d !== undefined && isMapping(d.properties) ? Object.keys(d.properties) : undefined;
}

// What the schema is given: Go's YAML decoder treats `key: null` as an unset key, and so does talc
// before the schema sees it; an integer beyond 2^53 (a bigint, which ajv takes for no number) is
// given as the nearest number, its Go range checked apart (integerRangeProblems). Most documents
// have neither: those are validated as they are (validators only read).
function forSchema(v: unknown): unknown {
  return needsCopy(v) ? copyForSchema(v) : v;
}

function needsCopy(v: unknown): boolean {
  if (typeof v === "bigint") return true;
  if (Array.isArray(v)) return v.some(needsCopy);
  if (!isMapping(v)) return false;
  for (const k of Object.keys(v)) if (v[k] === null || needsCopy(v[k])) return true;
  return false;
}

function copyForSchema(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(copyForSchema);
  if (!isMapping(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    if (v[k] !== null) setKey(out, k, copyForSchema(v[k]));
  }
  return out;
}

// Nodes of a cluster share most documents word for word. Checking a valid document is cheaper than
// a text key for it (JSON.stringify, then hashing that), so a valid one is checked again where it
// is not sealed; the problems of an invalid one, slow to describe, are kept by text.
const MEMO_LIMIT = 2_000;
const memo = boundedMemo(MEMO_LIMIT, (_key: string, { doc, data, contract }: { doc: Doc; data: unknown; contract: Contract }) => schemaProblemsUncached(doc, data, contract));
// The same for sealed (never-changing) documents, which the compiler hands every node of a role: by identity, no text key.
const sealedMemo = new WeakMap<object, { contract: Contract; label: string; problems: ValidationProblem[] }>();

/** Problems of one document against the contract's schema; an unknown kind is one problem. */
export function schemaProblems(doc: Doc, contract: Contract): ValidationProblem[] {
  // (only sealed documents are kept, so a document found there needs no isSealed)
  const kept = sealedMemo.get(doc.data);
  let problems = kept !== undefined && kept.contract === contract && kept.label === doc.label ? kept.problems : undefined;
  if (problems === undefined) {
    // a document the schema takes has only its parsed texts (netip, URLs) to answer for, cheaper to walk than to key
    const data = forSchema(doc.data);
    problems = schemaValid(doc, data, contract) ? parsedFieldProblems(doc.kind, doc.data, doc.label, contract) : invalidProblems(doc, data, contract);
    // (copied for the schema: it may hold a bigint)
    if (data !== doc.data) {
      const ranges = integerRangeProblems(doc.kind, doc.data, doc.label, contract);
      if (ranges.length > 0) problems = [...problems, ...ranges];
    }
    if (isSealed(doc.data)) sealedMemo.set(doc.data, { contract, label: doc.label, problems });
  }
  return problems.length === 0 ? [] : problems.map((p) => ({ ...p }));
}

// The problems of a document the schema refuses (`data` as forSchema gives it), kept by its text (a document
// holding a bigint has none, and is described afresh).
function invalidProblems(doc: Doc, data: unknown, contract: Contract): ValidationProblem[] {
  const key = dataKey(doc.data);
  return key === undefined ? schemaProblemsUncached(doc, data, contract) : memo(`${contract}\0${doc.label}\0${key}`, { doc, data, contract });
}

/** The contract's validator for the document's kind; undefined for a kind the contract does not know. */
function validatorOf(doc: Doc, contract: Contract): ValidateFunction | undefined {
  const cs = load(contract);
  return doc.kind !== "v1alpha1" && !cs.kinds.has(doc.kind) ? undefined : validatorFor(cs, contract, doc.kind);
}

/** Whether a document of a known kind passes the contract's schema (`data`: its data as forSchema gives it). */
function schemaValid(doc: Doc, data: unknown, contract: Contract): boolean {
  return validatorOf(doc, contract)?.(data) ?? false;
}

function schemaProblemsUncached(doc: Doc, data: unknown, contract: Contract): ValidationProblem[] {
  const validate = validatorOf(doc, contract);
  if (validate === undefined) return [unknownKind(doc, contract)];
  const problems = validate(data) ? [] : describeErrors(validate.errors ?? [], data, doc.label, contract);
  // the schema only shapes the texts of netip and URL fields: a text Go refuses, where the schema found nothing
  const spots = new Set(problems.map((p) => p.path));
  for (const p of parsedFieldProblems(doc.kind, data as Record<string, unknown>, doc.label, contract)) if (!spots.has(p.path)) problems.push(p);
  return problems;
}

function unknownKind(doc: Doc, contract: Contract): ValidationProblem {
  const kind = doc.data.kind;
  if (typeof kind !== "string" || kind === "") {
    return { document: doc.label, path: "kind", message: `must be a document kind such as LinkConfig; got ${quote(kind)}` };
  }
  return { document: doc.label, path: "kind", message: unknownKindMessage(kind, contract, (c) => knownKinds(c ?? contract)) };
}

// ---------------------------------------------------------------------------------------------
// Turning ajv errors into problems

function pathOf(instancePath: string, data: unknown): string {
  let path = "";
  let cur = data;
  for (const seg of pointerSegments(instancePath)) {
    if (Array.isArray(cur)) {
      path = child(path, Number(seg));
      cur = cur[Number(seg)];
    } else {
      path = child(path, seg);
      cur = isMapping(cur) ? cur[seg] : undefined;
    }
  }
  return path;
}

const NOUNS: Record<string, string> = {
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "null",
};

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "number") return `the number ${v}`;
  if (typeof v === "boolean") return `${v}`;
  return `the string ${quote(v)}`;
}

function describeSchema(s: unknown): string {
  if (!isMapping(s)) return "a value";
  if (Array.isArray(s.enum)) return `one of ${s.enum.map(quote).join(", ")}`;
  if (s.type === "string" && typeof s.pattern === "string") return patternHint(s.pattern);
  if (s.type === "integer" && typeof s.minimum === "number" && typeof s.maximum === "number") return `a whole number from ${s.minimum} to ${s.maximum}`;
  if (typeof s.type === "string") {
    if (s.type === "array" && isMapping(s.items) && typeof s.items.type === "string") return `a list of ${(NOUNS[s.items.type] ?? s.items.type).replace(/^an? /, "")}s`;
    return NOUNS[s.type] ?? s.type;
  }
  if (Array.isArray(s.type)) return s.type.map((t) => NOUNS[t as string] ?? String(t)).join(" or ");
  if (typeof s.$ref === "string") return "a mapping";
  return "a value";
}

// What a pattern from the schema asks for, in words.
const PATTERN_HINTS: Array<[RegExp, string]> = [
  // hardware addresses and DUIDs (compiler/talos/fields/accepted.json)
  [/^\^:\*\(\[0-9a-fA-F\]:\*/, "hex bytes, colons between them optional, such as 00:11:22:33:44:55"],
  // addresses, prefixes and address:port pairs (compiler/talos/fields/accepted.json)
  [/^\^\(\[0-9a-fA-F\.:\]\+\/\\d\{1,3\}\)\?\$$/, NETIP_EXPECTED.prefix],
  [/^\^\(\[0-9a-fA-F\.:\]\+\(%/, NETIP_EXPECTED.addr],
  [/^\^\(\(\[0-9a-fA-F\.:\]\+\|/, NETIP_EXPECTED.addrPort],
  [/^\^\[-\+\]\?/, "a duration such as 30s, 5m or 1h30m"],
  // URL schemes, in any letter case: Go's url.Parse lowers them (compiler/talos/fields/accepted.json)
  [/^\^\[A-Za-z\]\[A-Za-z0-9\+\.-\]\*:\/\/$/, "a URL such as https://192.168.1.10:6443"],
  [/^\^\[Hh\]\[Tt\]\[Tt\]\[Pp\]\[Ss\]\?:\/\/$/, "an http or https URL"],
  [/^\^\(\[Hh\]\[Tt\]\[Tt\]\[Pp\]\[Ss\]\|\[Gg\]\[Rr\]\[Pp\]\[Cc\]\):\/\/$/, "an https or grpc URL"],
  [/^\^\(\[Hh\]\[Tt\]\[Tt\]\[Pp\]\[Ss\]\?\|\[Gg\]\[Rr\]\[Pp\]\[Cc\]\):\/\/$/, "an http, https or grpc URL"],
  [/^\^\(\[Tt\]\[Cc\]\[Pp\]\|\[Uu\]\[Dd\]\[Pp\]\):\/\/$/, "a tcp or udp URL"],
  [/^\^\[\\s\\S\]$/, "a non-empty URL, such as https://kubernetes.default.svc"],
  // what Talos reads but never writes, beside the names (scripts/schemas.ts): an empty text, old numbers
  [/^\^\(\?:\|/, "an empty text"],
  // names Talos reads in any letter case (scripts/schemas.ts), beside the list of them
  [/^\^\(\?:/, "the same in another letter case"],
];

function patternHint(pattern: string): string {
  return PATTERN_HINTS.find(([re]) => re.test(pattern))?.[1] ?? `a value matching ${pattern}`;
}

// Field and kind names are long and alike: a stricter bound than the default.
function closest(word: string, candidates: readonly string[]): string | undefined {
  return nearest(word, candidates, 4);
}

// The `$defs` name of a schema node an error reports; compared as JSON because precompiled
// validators carry their own copies of the schema.
function defName(contract: Contract, node: Schema | undefined): string | undefined {
  if (node === undefined) return undefined;
  const cs = load(contract);
  cs.defNames ??= new Map(Object.entries(cs.schema.$defs as Record<string, Schema>).map(([n, d]) => [JSON.stringify(d), n]));
  return cs.defNames.get(JSON.stringify(node));
}

function unknownField(err: ErrorObject, data: unknown, label: string, contract: Contract): ValidationProblem {
  const field = String((err.params as { additionalProperty: string }).additionalProperty);
  const path = child(pathOf(err.instancePath, data), field);
  const parent = err.parentSchema as Schema | undefined;
  const allowed = isMapping(parent?.properties) ? Object.keys(parent.properties) : [];
  const def = defName(contract, parent);
  const elsewhere = def === undefined ? [] : CONTRACTS.filter((c) => c !== contract && (fieldsOf(c, def) ?? []).includes(field));
  let message: string;
  if (elsewhere.length > 0) message = `unknown field ${quote(field)} in talos ${contract}; it exists in talos ${elsewhere.join(", ")}`;
  else {
    const near = closest(field, allowed);
    message =
      near !== undefined
        ? `unknown field ${quote(field)}; did you mean ${quote(near)}?`
        : allowed.length > 0
          ? `unknown field ${quote(field)}; expected one of ${allowed.join(", ")}`
          : `unknown field ${quote(field)}; nothing can be set here`;
  }
  return { document: label, path, message };
}

function describeError(err: ErrorObject, data: unknown, label: string, contract: Contract): ValidationProblem {
  const path = pathOf(err.instancePath, data);
  const got = (): string => typeOf(err.data);
  const params = err.params as Record<string, unknown>;
  let message: string;
  switch (err.keyword) {
    case "additionalProperties":
      return unknownField(err, data, label, contract);
    case "required":
      return { document: label, path: child(path, String(params.missingProperty)), message: "is required" };
    case "type":
      message = `expected ${String(params.type).split(",").map((t) => NOUNS[t] ?? t).join(" or ")}, got ${got()}`;
      break;
    case "enum": {
      const allowed = params.allowedValues as unknown[];
      message = `${quote(err.data)} is not valid; expected ${allowed.length === 1 ? "" : "one of "}${allowed.map(quote).join(", ")}`;
      break;
    }
    case "pattern":
      message = `${quote(err.data)} is not valid; expected ${patternHint(String(params.pattern))}`;
      break;
    case "minimum":
      message = `${quote(err.data)} is too small; expected at least ${String(params.limit)}`;
      break;
    case "maximum":
      message = `${quote(err.data)} is too large; expected at most ${String(params.limit)}`;
      break;
    case "minItems":
      message = `expected at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}`;
      break;
    case "oneOf":
    case "anyOf": {
      const branches = [...new Set((err.schema as unknown[]).map(describeSchema))];
      const last = branches.pop()!;
      message = `expected ${branches.length === 0 ? last : `${branches.join(", ")} or ${last}`}, got ${got()}`;
      break;
    }
    default:
      message = (err.message ?? "is not valid").toLowerCase();
  }
  return { document: label, path, message };
}

function describeErrors(errors: readonly ErrorObject[], data: unknown, label: string, contract: Contract): ValidationProblem[] {
  // The branches of a failed oneOf each explain why they failed; the oneOf's own error says it once.
  const unions = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
  const kept = errors.filter(
    (e) => !unions.some((u) => u !== e && e.schemaPath.startsWith(u.schemaPath + "/") && e.instancePath.startsWith(u.instancePath)),
  );
  const seen = new Set<string>();
  const out: ValidationProblem[] = [];
  for (const e of kept) {
    const p = describeError(e, data, label, contract);
    const key = `${p.path}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
