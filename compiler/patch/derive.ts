// Deriving the strategic patch between two configs: the patch documents
// that, applied by Talos's rules to the first config, give the second one
// exactly. The rules make this less simple than a diff: a patch cannot
// blank a string (zero values do not override), lists append, a plain
// boolean the patch leaves unset becomes false. So a change is written as
// the smallest thing the rules turn into it, and where no patch value can
// (a list that lost elements, a string emptied), the key is deleted with
// `$patch: delete` and, when needed, set again in a second document for
// the same document. The result is checked by applying it.

import { encodeConfig } from "../emit/encode.ts";
import { TalcError } from "../errors.ts";
import { gates } from "../talos/contract.ts";
import type { ConfigDocument } from "../load/config.ts";
import { ANY_TYPE, encodesEqual, encodeValue, goIsZero, idKey, idLabel, isObject, rootType, sameData, setKey, typeSystem, type GoType, type Obj, type TypeSystem } from "../talos/typed.ts";
import { applyPatches, applyPatchesUnshared, decodeConfig, encodeTyped } from "./apply.ts";
import { isBytes, isNil, mergeValue, ruleOf } from "./merge.ts";
import type { TypedDocument } from "./strategic.ts";
import type { PatchOptions } from "./types.ts";

// A subtree of a patch built key by key (as opposed to a value set whole).
class Part {
  constructor(readonly entries: Map<string, unknown>) {}
}

// What a patch must do at one place: set (in the first document), delete
// (in the first document, before its merge), set again after deleting (in a
// second document).
type Deletes = true | Map<string, Deletes>;

interface Plan {
  set?: unknown;
  del?: Deletes;
  later?: unknown;
}

interface Ctx {
  sys: TypeSystem;
  doc: string;
}

const NOTHING: Plan = {};

// Would merging `candidate` into `from` give `to`?
function mergesTo(from: unknown, candidate: unknown, to: unknown, t: GoType, replace: boolean, ctx: Ctx): boolean {
  try {
    return encodesEqual(mergeValue(from, candidate, t, replace, false, "", { sys: ctx.sys, doc: ctx.doc }), to, t, ctx.sys);
  } catch (e) {
    if (e instanceof TalcError) return false;
    throw e;
  }
}

function replaceWhole(to: unknown, t: GoType, sys: TypeSystem): Plan {
  return isNil(to) ? { del: true } : { del: true, later: encodeValue(to, t, sys) };
}

function plan(from: unknown, to: unknown, t: GoType, replace: boolean, ctx: Ctx): Plan {
  const { sys } = ctx;
  if (encodesEqual(from, to, t, sys)) return NOTHING;
  const rule = ruleOf(t);
  if (rule?.rule === "perKey") return planPerKey(from, to, t, ctx);
  if (rule !== undefined && rule.rule !== "keyed") return planLeaf(from, to, t, replace, ctx);
  switch (t.k) {
    case "ptr":
      if (isNil(to)) return { del: true };
      if (isNil(from)) return { set: encodeValue(to, t, sys) };
      // behind a pointer even a zero scalar overrides (types with merge rules of their own aside)
      if ((t.elem.k === "basic" || t.elem.k === "custom") && ruleOf(t.elem) === undefined) return { set: encodeValue(to, t, sys) };
      return plan(from, to, t.elem, replace, ctx);
    case "basic":
      if (t.kind === "bool") return { set: to ?? false };
      return goIsZero(to, t, sys) ? { del: true } : { set: to };
    case "custom":
      return planLeaf(from, to, t, replace, ctx);
    case "slice":
      return planList(from, to, t, replace, ctx);
    case "map":
      if (replace) return isNil(to) ? { del: true } : { set: encodeValue(to, t, sys) };
      if (isNil(to)) return { del: true };
      if (isNil(from)) return { set: encodeValue(to, t, sys) };
      return planMap(from as Obj, to as Obj, t.val, ctx);
    case "struct":
      if (replace) return goIsZero(to, t, sys) ? { del: true } : { set: encodeValue(to, t, sys) };
      return planStruct(from, to, t, ctx);
    case "any":
      if (isNil(to)) return { del: true };
      if (isNil(from)) return { set: to };
      return planUntyped(from, to, ctx);
  }
}

function planLeaf(from: unknown, to: unknown, t: GoType, replace: boolean, ctx: Ctx): Plan {
  if (isNil(to) || goIsZero(to, t, ctx.sys)) {
    // deleting leaves the Go zero value; check that is what the target holds
    return { del: true };
  }
  const value = encodeValue(to, t, ctx.sys);
  if (isNil(from) || mergesTo(from, to, to, t, replace, ctx)) return { set: value };
  return { del: true, later: value };
}

function planPerKey(from: unknown, to: unknown, t: GoType, ctx: Ctx): Plan {
  if (isNil(to)) return { del: true };
  const f = isObject(from) ? from : {};
  const tt = to as Obj;
  const val = t.k === "map" ? t.val : t;
  const del = new Map<string, Deletes>();
  const set = new Map<string, unknown>();
  // (index loops on the paths every node takes: in code not yet optimized, for-of allocates per step)
  const fromKeys = Object.keys(f);
  for (let i = 0; i < fromKeys.length; i++) if (!Object.hasOwn(tt, fromKeys[i])) del.set(fromKeys[i], true);
  const toKeys = Object.keys(tt);
  for (let i = 0; i < toKeys.length; i++) {
    const k = toKeys[i];
    if (!Object.hasOwn(f, k) || !encodesEqual(f[k], tt[k], val, ctx.sys)) set.set(k, encodeValue(tt[k], val, ctx.sys));
  }
  return { ...(set.size > 0 ? { set: new Part(set) } : {}), ...(del.size > 0 ? { del } : {}) };
}

function planList(from: unknown, to: unknown, t: Extract<GoType, { k: "slice" }>, replace: boolean, ctx: Ctx): Plan {
  const { sys } = ctx;
  if (replace || isBytes(t)) return isNil(to) ? { del: true } : { set: encodeValue(to, t, sys) };
  const f = Array.isArray(from) ? from : [];
  const tt = Array.isArray(to) ? to : [];
  const prefix = f.length <= tt.length && f.every((x, i) => encodesEqual(x, tt[i], t.elem, sys));
  const candidates = prefix ? [tt.slice(f.length), tt] : [tt];
  const rule = ruleOf(t);
  for (const cand of rule?.rule === "keyed" ? candidates : candidates.slice(0, 1)) {
    if (cand.length > 0 && mergesTo(from, cand, to, t, false, ctx)) return { set: encodeValue(cand, t, sys) };
  }
  return tt.length === 0 ? { del: true } : replaceWhole(to, t, sys);
}

function planMap(from: Obj, to: Obj, valType: GoType, ctx: Ctx): Plan {
  const set = new Map<string, unknown>();
  const later = new Map<string, unknown>();
  const del = new Map<string, Deletes>();
  const fromKeys = Object.keys(from);
  for (let i = 0; i < fromKeys.length; i++) if (!Object.hasOwn(to, fromKeys[i])) del.set(fromKeys[i], true);
  const toKeys = Object.keys(to);
  for (let i = 0; i < toKeys.length; i++) {
    const k = toKeys[i];
    const tv = to[k];
    const fv = from[k];
    if (!Object.hasOwn(from, k) || isNil(fv)) {
      // a new entry is taken as it is
      set.set(k, valType.k === "any" ? tv : encodeValue(tv, valType, ctx.sys));
      continue;
    }
    let p = valType.k === "any" ? planUntyped(fv, tv, ctx) : plan(fv, tv, valType, false, ctx);
    // deleting an entry removes it: an entry that stays must be set again
    if (p.del === true && p.later === undefined) p = { del: true, later: valType.k === "any" ? tv : encodeValue(tv, valType, ctx.sys) };
    addPlan(k, p, set, del, later);
  }
  return collect(set, del, later);
}

function planStruct(from: unknown, to: unknown, t: Extract<GoType, { k: "struct" }>, ctx: Ctx): Plan {
  const f = isObject(from) ? from : {};
  const tt = isObject(to) ? to : {};
  const set = new Map<string, unknown>();
  const later = new Map<string, unknown>();
  const del = new Map<string, Deletes>();
  for (let i = 0; i < t.fields.length; i++) {
    const field = t.fields[i];
    addPlan(field.key, plan(f[field.key], tt[field.key], ctx.sys.fieldType(field), field.replace, ctx), set, del, later);
  }
  return collect(set, del, later);
}

function planUntyped(from: unknown, to: unknown, ctx: Ctx): Plan {
  const kind = (v: unknown): string => (Array.isArray(v) ? "list" : isObject(v) ? "mapping" : typeof v === "number" ? (Number.isInteger(v) ? "int" : "float") : typeof v);
  if (sameData(from, to)) return NOTHING;
  if (isNil(to)) return { del: true };
  if (isNil(from)) return { set: to };
  if (kind(from) !== kind(to)) return { del: true, later: to };
  if (isObject(from) && isObject(to)) return planMap(from, to, ANY_TYPE, ctx);
  if (Array.isArray(from) && Array.isArray(to)) {
    const prefix = from.length <= to.length && from.every((x, i) => sameData(x, to[i]));
    return prefix ? { set: to.slice(from.length) } : { del: true, later: to };
  }
  if (typeof to === "boolean") return { set: to };
  return to === "" || to === 0 ? { del: true, later: to } : { set: to };
}

function addPlan(key: string, p: Plan, set: Map<string, unknown>, del: Map<string, Deletes>, later: Map<string, unknown>): void {
  if (p.set !== undefined) set.set(key, p.set);
  if (p.del !== undefined) del.set(key, p.del);
  if (p.later !== undefined) later.set(key, p.later);
}

function collect(set: Map<string, unknown>, del: Map<string, Deletes>, later: Map<string, unknown>): Plan {
  return {
    ...(set.size > 0 ? { set: new Part(set) } : {}),
    ...(del.size > 0 ? { del } : {}),
    ...(later.size > 0 ? { later: new Part(later) } : {}),
  };
}

/** Fields a merge resets when the patch visits their struct without them: plain booleans and always-replaced types. */
function resetOnVisit(t: GoType): boolean {
  if (t.k === "basic") return t.kind === "bool";
  return ruleOf(t)?.rule === "always";
}

/**
 * Turns a patch subtree into plain data. Wherever the patch visits a
 * struct, the fields a visit would reset are written with the target's
 * values, including in structs held by value, which are always visited.
 */
function finalize(part: unknown, to: unknown, t: GoType, sys: TypeSystem): unknown {
  if (!(part instanceof Part)) return part;
  let type = t;
  while (type.k === "ptr") type = type.elem;
  const target = isObject(to) ? to : {};
  const out: Obj = {};
  if (type.k === "struct") {
    for (let i = 0; i < type.fields.length; i++) {
      const f = type.fields[i];
      const ft = sys.fieldType(f);
      if (part.entries.has(f.key)) {
        setKey(out, f.key, finalize(part.entries.get(f.key), target[f.key], ft, sys));
      } else if (resetOnVisit(ft) && !goIsZero(target[f.key], ft, sys)) {
        setKey(out, f.key, encodeValue(target[f.key], ft, sys));
      } else if (ft.k === "struct" && !f.replace) {
        const inner = finalize(new Part(new Map()), target[f.key], ft, sys) as Obj;
        if (Object.keys(inner).length > 0) setKey(out, f.key, inner);
      }
    }
    return out;
  }
  const valType = type.k === "map" ? type.val : ANY_TYPE;
  for (const [k, v] of part.entries) setKey(out, k, finalize(v, target[k], valType, sys));
  return out;
}

function withDeletes(base: unknown, del: Deletes | undefined): unknown {
  if (del === undefined) return base;
  if (del === true) return { $patch: "delete" };
  const out: Obj = isObject(base) ? { ...base } : {};
  for (const [k, d] of del) setKey(out, k, withDeletes(out[k], d));
  return out;
}

function identity(d: TypedDocument): Obj {
  if (d.id.kind === "v1alpha1") return { version: "v1alpha1" };
  return d.id.name === undefined ? { apiVersion: d.id.apiVersion, kind: d.id.kind } : { apiVersion: d.id.apiVersion, kind: d.id.kind, name: d.id.name };
}

// Two patch subtrees as one, where they set different places; undefined where both set the same one.
function joinParts(a: unknown, b: unknown): Part | undefined {
  if (a === undefined) return b instanceof Part ? b : undefined;
  if (!(a instanceof Part) || !(b instanceof Part)) return undefined;
  const entries = new Map(a.entries);
  for (const [k, v] of b.entries) {
    const joined = entries.has(k) ? joinParts(entries.get(k), v) : v;
    if (joined === undefined) return undefined;
    entries.set(k, joined);
  }
  return new Part(entries);
}

/**
 * The patch documents for a document both configs have. Where a value must be deleted and set again,
 * the setting goes in a second document for the same document; with `once` (Talos before 1.14 refuses a
 * document given twice in one patch, counting every one that sets something), the deletes go in a
 * document of their own, which Talos does not count, and everything set in one after it, where the two
 * can be joined.
 */
function documentPatch(from: TypedDocument, to: TypedDocument, sys: TypeSystem, once: boolean): ConfigDocument[] {
  // a document both configs share unchanged (one object) needs nothing
  if (from.value === to.value) return [];
  const root = rootType(to.id, sys);
  const p = plan(from.value, to.value, root, false, { sys, doc: idLabel(to.id) });
  if (p.set === undefined && p.del === undefined && p.later === undefined) return [];
  const joined = once && p.later !== undefined && p.del !== undefined ? joinParts(p.set, p.later) : undefined;
  if (joined !== undefined) {
    return [
      { ...identity(to), ...(withDeletes({}, p.del) as Obj) },
      { ...identity(to), ...(finalize(joined, to.value, root, sys) as Obj) },
    ];
  }
  const out: ConfigDocument[] = [];
  const first = withDeletes(finalize(p.set ?? new Part(new Map()), to.value, root, sys), p.del) as Obj;
  if (p.set !== undefined || p.del !== undefined) out.push({ ...identity(to), ...first });
  if (p.later !== undefined) out.push({ ...identity(to), ...(finalize(p.later, to.value, root, sys) as Obj) });
  return out;
}

// Order-insensitive for mappings, as the encoder sorts them; lists keep their order.
// (index loops: every node's derived patch is checked through here, mostly before V8 optimizes it)
function sameWritten(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameWritten(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null || Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // keys holding undefined are not written: count the others on both sides, and compare a's with b's
  const ka = Object.keys(x);
  let written = 0;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    if (x[k] === undefined) continue;
    written++;
    if (!Object.hasOwn(y, k) || !sameWritten(x[k], y[k])) return false;
  }
  const kb = Object.keys(y);
  for (let i = 0; i < kb.length; i++) if (y[kb[i]] !== undefined) written--;
  return written === 0;
}

// A config as Talos would write it, decoded again (configs said to be canonical already are just decoded).
function canonicalForm(docs: readonly ConfigDocument[], sys: TypeSystem, opts: PatchOptions): TypedDocument[] {
  return opts.canonical ? decodeConfig(docs, sys, opts.file) : decodeConfig(encodeTyped(decodeConfig(docs, sys, opts.file), sys), sys, opts.file);
}

/**
 * The strategic patch that turns config `from` into config `to`: a list of
 * patch documents (empty when they are the same). Applying it to `from`
 * gives `to` as Talos writes it, byte for byte; a change no strategic patch
 * can make (removing the v1alpha1 document) is a TalcError.
 */
export function derivePatch(from: readonly ConfigDocument[], to: readonly ConfigDocument[], opts: PatchOptions = {}): ConfigDocument[] {
  // Talos before 1.14 refuses a patch that sets one document twice (see documentPatch); without a contract, the newest rules.
  const once = opts.contract !== undefined && !gates(opts.contract).duplicatePatchDocuments;
  try {
    return derivePatchOnce(from, to, opts, once);
  } catch (e) {
    // joining what is set into one document changed what the patch gives: the patch as two documents, as later releases take it
    if (!once || !(e instanceof TalcError) || e.code !== "underivable") throw e;
    return derivePatchOnce(from, to, opts, false);
  }
}

function derivePatchOnce(from: readonly ConfigDocument[], to: readonly ConfigDocument[], opts: PatchOptions, once: boolean): ConfigDocument[] {
  const sys = typeSystem(opts.contract);
  const f = canonicalForm(from, sys, opts);
  const t = canonicalForm(to, sys, opts);
  const fKeys = f.map((d) => idKey(d.id));
  const tKeys = t.map((d) => idKey(d.id));
  const fromKeys = new Map(fKeys.map((k, i) => [k, i]));
  const toKeys = new Set(tKeys);

  const legacyFrom = f.find((d) => d.id.kind === "v1alpha1");
  const legacyTo = t.find((d) => d.id.kind === "v1alpha1");
  if (legacyFrom !== undefined && legacyTo === undefined) {
    throw new TalcError("the second config has no v1alpha1 document; no patch can remove it from the first", { code: "underivable", stage: "patch", path: "v1alpha1" });
  }

  const deletes: ConfigDocument[] = [];
  const merges: ConfigDocument[] = [];
  const appends: ConfigDocument[] = [];
  for (let i = 0; i < f.length; i++) if (!toKeys.has(fKeys[i])) deletes.push({ ...identity(f[i]), $patch: "delete" });

  if (legacyTo !== undefined) {
    if (legacyFrom === undefined) appends.push(encodeTyped([legacyTo], sys)[0]);
    else merges.push(...documentPatch(legacyFrom, legacyTo, sys, once));
  }
  // documents keep their order, new ones are appended: a document that must move is deleted and appended again
  let lastKept = -1;
  let appending = false;
  for (let i = 0; i < t.length; i++) {
    const d = t[i];
    if (d.id.kind === "v1alpha1") continue;
    const at = fromKeys.get(tKeys[i]);
    if (!appending && at !== undefined && at > lastKept) {
      lastKept = at;
      merges.push(...documentPatch(f[at], d, sys, once));
      continue;
    }
    appending = true;
    if (at !== undefined) deletes.push({ ...identity(d), $patch: "delete" });
    appends.push(encodeTyped([d], sys)[0]);
  }
  const patch = [...deletes, ...merges, ...appends];

  // Compared as data, the result need not be shared; through the encoder, shared documents are written once.
  const applied = opts.canonical ? applyPatchesUnshared(from, [patch], opts) : applyPatches(from, [patch], opts);
  // Configs already in Talos's form compare as data; others through the encoder, which settles every difference of form.
  const reproduced = opts.canonical ? sameWritten(applied, to) : encodeConfig(applied) === encodeConfig(encodeTyped(t, sys));
  if (!reproduced) {
    const want = encodeConfig(opts.canonical ? to : encodeTyped(t, sys));
    const got = encodeConfig(applied);
    const a = got.split("\n");
    const b = want.split("\n");
    const line = a.findIndex((l, i) => l !== b[i]);
    throw new TalcError(`no strategic patch reproduces the second config exactly (first difference at output line ${line + 1}: ${JSON.stringify(b[line] ?? "")})`, {
      code: "underivable",
      stage: "patch",
    });
  }
  return patch;
}
