// Talos's strategic merge of one decoded value into another. The general
// rules follow Go's reflection walk (pkg/machinery/config/merge): a struct
// merges every field of its type (so a plain boolean the patch leaves unset
// becomes false), a pointer or an interface is taken whole when the
// existing one is nil, maps merge key by key, lists append, and a scalar is
// overridden unless the patch's value is zero (booleans always, and any
// scalar behind a pointer). Types with rules of their own are looked up in
// compiler/talos/merge.ts by name; nothing here knows a field by name.

import { TalcError } from "../errors.ts";
import { goURLOptions } from "../talos/contract.ts";
import { mergeRule, type KeyCriterion, type MergeRule } from "../talos/merge.ts";
import { ANY_TYPE, formatGoURL, goIsZero, isObject, parseGoURL, setKey, type GoType, type GoURL, type Obj, type TypeSystem } from "../talos/typed.ts";

/** Where the merge is, for errors. */
export interface MergeContext {
  sys: TypeSystem;
  doc: string;
  file?: string;
}

function mergeError(ctx: MergeContext, path: string, message: string): TalcError {
  return new TalcError(`${message} (in ${ctx.doc})`, { code: "patch-merge", stage: "patch", file: ctx.file, path: path === "" ? ctx.doc : path });
}

function child(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** The rule of a named type: its own, or the general one its Go kind implies. */
export function ruleOf(t: GoType): MergeRule | undefined {
  if (t.k === "slice" || t.k === "map" || t.k === "basic" || t.k === "custom") return mergeRule(t.name);
  return undefined;
}

/**
 * Merges `right` (the patch) into `left` (the config), both decoded, as
 * Talos does for a value of type `t`. `replace` is the field's
 * `merge:"replace"` tag; `overwrite` is set behind a pointer, where even a
 * zero scalar overrides. Returns the merged value; never mutates either side.
 */
export function mergeValue(left: unknown, right: unknown, t: GoType, replace: boolean, overwrite: boolean, path: string, ctx: MergeContext): unknown {
  // A type's own Merge method runs whatever the values are, even an unset one.
  const own = ruleOf(t);
  if (own !== undefined) return applyRule(own, left, right, t, overwrite, path, ctx);
  switch (t.k) {
    case "ptr":
      if (isNil(right)) return left;
      if (isNil(left)) return right;
      return mergeValue(left, right, t.elem, replace, true, path, ctx);
    case "any":
      if (isNil(right)) return left;
      if (isNil(left)) return right;
      if (isObject(left) && isObject(right)) return mergeMap(left, right, ANY_TYPE, path, ctx);
      throw mergeError(ctx, path, "merge not possible: Go cannot merge two values of an untyped field that are not both mappings");
    case "slice":
      if (right === undefined || right === null) return left;
      if (!Array.isArray(right)) throw mergeError(ctx, path, "expected a list");
      if (replace || isBytes(t)) return right;
      if (isNil(left) && right.length === 0) return [];
      return [...(Array.isArray(left) ? left : []), ...right];
    case "map":
      if (right === undefined || right === null) return left;
      if (replace) return right;
      return mergeMap(isObject(left) ? left : {}, right as Obj, t.val, path, ctx);
    case "struct": {
      if (replace) return goIsZero(right, t, ctx.sys) ? left : right;
      const l = isObject(left) ? left : {};
      const r = isObject(right) ? right : {};
      const out: Obj = {};
      // (index loops on the paths every node takes: in code not yet optimized, for-of allocates per step)
      for (let i = 0; i < t.fields.length; i++) {
        const f = t.fields[i];
        const m = mergeValue(l[f.key], r[f.key], ctx.sys.fieldType(f), f.replace, false, child(path, f.key), ctx);
        if (m !== undefined) setKey(out, f.key, m);
      }
      return out;
    }
    case "basic":
      if (t.kind === "bool") return right === undefined || right === null ? false : right;
      return goIsZero(right, t, ctx.sys) && !overwrite ? left : right;
    case "custom":
      return mergeCustom(left, right, t, overwrite, path, ctx);
  }
}

/** Whether a value is absent: undefined or null, which patches and configs treat alike. */
export function isNil(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Whether a slice is Go's []byte, which merges and patches as one value. */
export function isBytes(t: Extract<GoType, { k: "slice" }>): boolean {
  return t.elem.k === "basic" && t.elem.kind === "uint8";
}

function mergeMap(left: Obj, right: Obj, valType: GoType, path: string, ctx: MergeContext): Obj {
  const out: Obj = { ...left };
  const keys = Object.keys(right);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const rv = right[k];
    const lv = left[k];
    // an existing entry merges with the patch's; a missing (or nil) one takes it as it is
    if (Object.hasOwn(left, k) && !nilOrZeroEntry(lv, valType)) {
      setKey(out, k, valType.k === "any" ? mergeUntyped(lv, rv, child(path, k), ctx) : mergeValue(lv, rv, valType, false, false, child(path, k), ctx));
    } else setKey(out, k, rv);
  }
  return out;
}

// Go's check for "no usable value" in a map entry: nil for the kinds that can be nil.
function nilOrZeroEntry(v: unknown, t: GoType): boolean {
  if (v !== undefined && v !== null) return false;
  return t.k === "ptr" || t.k === "slice" || t.k === "map" || t.k === "any" || v === undefined;
}

function untypedKind(v: unknown): string {
  if (v === undefined || v === null) return "nil";
  if (Array.isArray(v)) return "list";
  if (isObject(v)) return "mapping";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  return typeof v;
}

// Values of map[string]any: both sides must hold the same Go type.
function mergeUntyped(left: unknown, right: unknown, path: string, ctx: MergeContext): unknown {
  const lk = untypedKind(left);
  const rk = untypedKind(right);
  if (lk !== rk) throw mergeError(ctx, path, `merge type mismatch: the config has a ${lk} and the patch a ${rk}`);
  switch (lk) {
    case "mapping":
      return mergeMap(left as Obj, right as Obj, ANY_TYPE, path, ctx);
    case "list":
      return [...(left as unknown[]), ...(right as unknown[])];
    case "boolean":
      return right;
    default:
      return right === "" || right === 0 || right === 0n ? left : right;
  }
}

function mergeCustom(left: unknown, right: unknown, t: Extract<GoType, { k: "custom" }>, overwrite: boolean, path: string, ctx: MergeContext): unknown {
  // no rule of its own: the Go kind underneath decides
  const underlying = t.underlying;
  if (underlying === "[]uint8" || ctx.sys.namedTypes()[underlying]?.underlying === "[]uint8") return isNil(right) ? left : right;
  if (underlying === "struct") throw new Error(`merge: no merge rule for struct type ${t.name}; add one to compiler/talos/merge.ts`);
  return goIsZero(right, t, ctx.sys) && !overwrite ? left : right;
}

function applyRule(rule: MergeRule, left: unknown, right: unknown, t: GoType, overwrite: boolean, path: string, ctx: MergeContext): unknown {
  switch (rule.rule) {
    case "always":
      return right;
    case "nonzero":
      return goIsZero(right, t, ctx.sys) && !overwrite ? left : right;
    case "whole":
      return isNil(right) ? left : right;
    case "fails":
      if (!isNil(left) && !isNil(right)) throw mergeError(ctx, path, `merge not possible: ${rule.reason}`);
      return isNil(right) ? left : right;
    case "url":
      return mergeURL(left, right, path, ctx);
    case "size":
      return mergeSize(left, right);
    case "perKey": {
      if (!isObject(right) || Object.keys(right).length === 0) return left;
      return { ...(isObject(left) ? left : {}), ...right };
    }
    case "keyed": {
      if (t.k !== "slice") throw new Error(`merge: keyed rule on a non-list type ${t.expr}`);
      if (isNil(right)) return left;
      return mergeKeyed(Array.isArray(left) ? left : [], right as unknown[], t.elem, rule, path, ctx);
    }
  }
}

function mergeURL(left: unknown, right: unknown, path: string, ctx: MergeContext): unknown {
  if (typeof right !== "string") return left;
  if (typeof left !== "string") return right;
  const opts = goURLOptions(ctx.sys.contract);
  const l = parseGoURL(left, opts);
  const r = parseGoURL(right, opts);
  if (typeof l === "string" || typeof r === "string") return right;
  if (l.user !== undefined && r.user !== undefined) throw mergeError(ctx, path, "merge not possible: both URLs carry user information; delete the old URL first");
  const pick = (a: string, b: string): string => (b !== "" ? b : a);
  const merged: GoURL = {
    scheme: pick(l.scheme, r.scheme),
    opaque: pick(l.opaque, r.opaque),
    user: r.user ?? l.user,
    host: pick(l.host, r.host),
    path: pick(l.path, r.path),
    // booleans always come from the patch
    omitHost: r.omitHost,
    forceQuery: r.forceQuery,
    rawQuery: pick(l.rawQuery, r.rawQuery),
    fragment: pick(l.fragment, r.fragment),
  };
  return formatGoURL(merged);
}

// block.Size holds a byte size and a percentage in two pointers, merged one by one,
// and writes the byte size when it has one.
function mergeSize(left: unknown, right: unknown): unknown {
  const isPercent = (v: unknown): boolean => typeof v === "string" && v.includes("%");
  if (typeof right !== "string" || right === "") return left;
  if (typeof left !== "string" || left === "") return right;
  if (isPercent(right) && !isPercent(left)) return left;
  return right;
}

function mergeKeyed(left: unknown[], right: unknown[], elemType: GoType, rule: Extract<MergeRule, { rule: "keyed" }>, path: string, ctx: MergeContext): unknown[] {
  const out = [...left];
  let struct = elemType;
  while (struct.k === "ptr") struct = struct.elem;
  if (struct.k !== "struct") throw new Error(`merge: keyed list of non-structs ${elemType.expr}`);
  const st = struct;
  // With lookup "original", a patch element is matched against the config's own elements only, never its siblings.
  const original: Array<[number, unknown]> | undefined = rule.lookup === "original" ? left.map((v, i) => [i, v]) : undefined;
  for (const [n, el] of right.entries()) {
    if (!isObject(el)) throw mergeError(ctx, `${path}[${n}]`, "a list element of this list must be a mapping");
    const candidates: Array<[number, unknown]> = original ?? out.map((v, i) => [i, v]);
    const found = findMatch(candidates, el, rule.keys, st, ctx.sys, rule.lookup === "original");
    if (found === undefined) out.push(el);
    else if (rule.onMatch === "replace") out[found] = el;
    else out[found] = mergeValue(out[found], el, st, false, true, `${path}[${found}]`, ctx);
  }
  return out;
}

function findMatch(
  candidates: Array<[number, unknown]>,
  el: Obj,
  keys: readonly KeyCriterion[],
  st: Extract<GoType, { k: "struct" }>,
  sys: TypeSystem,
  last: boolean,
): number | undefined {
  for (const key of keys) {
    const f = st.byKey.get(key.field);
    if (f === undefined) throw new Error(`merge: keyed list field ${key.field} is not in ${st.name}`);
    // a key held by pointer is compared by what it points to (both must be set)
    let ft = sys.fieldType(f);
    while (ft.k === "ptr") ft = ft.elem;
    if (key.when === "set" && goIsZero(el[key.field], ft, sys)) continue;
    const matches = candidates.filter(([, c]) => {
      if (!isObject(c)) return false;
      if (key.when === "set" && goIsZero(c[key.field], ft, sys)) return false;
      return goEqual(c[key.field], el[key.field], ft, sys);
    });
    if (matches.length === 0) return undefined;
    return (last ? matches[matches.length - 1] : matches[0])[0];
  }
  return undefined;
}

/** Go's == on two decoded values of a comparable type: pointers are equal only when both are nil. */
function goEqual(a: unknown, b: unknown, t: GoType, sys: TypeSystem): boolean {
  switch (t.k) {
    case "ptr":
      return isNil(a) && isNil(b);
    case "struct": {
      const x = isObject(a) ? a : {};
      const y = isObject(b) ? b : {};
      return t.fields.every((f) => goEqual(x[f.key], y[f.key], sys.fieldType(f), sys));
    }
    case "basic":
    case "custom": {
      const za = goIsZero(a, t, sys);
      const zb = goIsZero(b, t, sys);
      if (za || zb) return za && zb;
      return a === b;
    }
    default:
      return false;
  }
}
