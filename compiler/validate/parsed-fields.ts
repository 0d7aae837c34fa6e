// Texts of fields Talos parses as it decodes a config: netip-typed fields
// (read with netip's UnmarshalText) and URL-typed ones (v1alpha1.Endpoint and
// meta.URL, whose UnmarshalYAML runs url.Parse). A text Go refuses there makes
// the whole config unreadable; the schema only shapes these texts (its
// patterns take "1.2.3" or "1::2::3", and ask a URL for a scheme), so each
// such field is parsed here as Go parses it. Likewise an integer beyond 2^53,
// which the schema sees only as the nearest number, is held to its Go kind's
// range. Which fields those are comes from the Go type facts of the release,
// found once per document kind.

import { goURLOptions, type Contract } from "../talos/contract.ts";
import { canonicalNetip, isNetipKind, netipMessage, type NetipKind } from "../talos/netip.ts";
import { goURLMessage, INT_RANGES, isObject, parseGoURL, typeSystem, type GoType, type TypeSystem } from "../talos/typed.ts";
import { child } from "../value.ts";
import type { ValidationProblem } from "./types.ts";

/** How Go parses a field's text as it decodes it: one of the netip kinds, or url.Parse. */
type Parsed = NetipKind | "url";

/** A leaf of a plan: how Go reads a field's text, or the Go integer kind whose range a bigint there must fit. */
type Leaf = Parsed | { int: string };

// Where parsed values are inside a value of one type: a leaf names how it is parsed; a struct, the
// fields that lead to one; a list or map, what its elements hold. Undefined: nothing parsed below.
type Plan = { parsed: Leaf } | { fields: ReadonlyArray<[string, Plan]> } | { each: Plan };

// The leaves of the two plans: fields parsed as they are decoded, and integer fields.
const PARSED = (t: GoType): Leaf | undefined => (t.k === "custom" && (isNetipKind(t.codec) || t.codec === "url") ? (t.codec as Parsed) : undefined);
const INTEGERS = (t: GoType): Leaf | undefined => (t.k === "basic" && Object.hasOwn(INT_RANGES, t.kind) ? { int: t.kind } : undefined);

function planOf(t: GoType, sys: TypeSystem, seen: Map<string, Plan | undefined>, leaf: (t: GoType) => Leaf | undefined): Plan | undefined {
  const found = leaf(t);
  if (found !== undefined) return { parsed: found };
  switch (t.k) {
    case "ptr":
      return planOf(t.elem, sys, seen, leaf);
    case "slice": {
      const inner = planOf(t.elem, sys, seen, leaf);
      return inner === undefined ? undefined : { each: inner };
    }
    case "map": {
      const inner = planOf(t.val, sys, seen, leaf);
      return inner === undefined ? undefined : { each: inner };
    }
    case "struct": {
      // a type met again on its own path holds nothing new (config types are not recursive through a parsed field)
      if (seen.has(t.name)) return seen.get(t.name);
      seen.set(t.name, undefined);
      const fields: Array<[string, Plan]> = [];
      for (const f of t.fields) {
        const p = planOf(sys.fieldType(f), sys, seen, leaf);
        if (p !== undefined) fields.push([f.key, p]);
      }
      const plan = fields.length === 0 ? undefined : { fields };
      seen.set(t.name, plan);
      return plan;
    }
    default:
      return undefined;
  }
}

// The plans of each kind of leaf, by contract and document kind.
const PLANS = new Map<typeof PARSED, Map<string, Plan | undefined>>([
  [PARSED, new Map()],
  [INTEGERS, new Map()],
]);

function planFor(kind: string, contract: Contract, leaf: typeof PARSED): Plan | undefined {
  const plans = PLANS.get(leaf)!;
  const key = `${contract}\0${kind}`;
  if (plans.has(key)) return plans.get(key);
  const sys = typeSystem(contract);
  const root = sys.rootOf(kind);
  const plan = root === undefined ? undefined : planOf(sys.type(root), sys, new Map(), leaf);
  plans.set(key, plan);
  return plan;
}

// Why Go refuses a text as it parses it, undefined when it reads it (meta.URL skips an empty text;
// url.Parse reads one anyway).
function problemOf(parsed: Parsed, text: string, contract: Contract): string | undefined {
  if (parsed === "url") {
    const url = parseGoURL(text, goURLOptions(contract));
    return typeof url === "string" ? goURLMessage(text, url) : undefined;
  }
  const canonical = canonicalNetip(parsed, text);
  return typeof canonical === "string" ? undefined : netipMessage(parsed, text, canonical);
}

function walk(v: unknown, plan: Plan, path: string, out: ValidationProblem[], label: string, contract: Contract): void {
  if ("parsed" in plan) {
    const leaf = plan.parsed;
    if (typeof leaf === "object") {
      // (the schema checks numbers JavaScript holds exactly; only a bigint can pass a 64-bit bound)
      const [lo, hi] = INT_RANGES[leaf.int];
      if (typeof v === "bigint" && (v < lo || v > hi)) out.push({ document: label, path, message: `${v} is out of range for ${leaf.int} (${lo} to ${hi})` });
      return;
    }
    if (typeof v !== "string") return; // a value of another type: the schema names it
    const message = problemOf(leaf, v, contract);
    if (message !== undefined) out.push({ document: label, path, message });
  } else if ("each" in plan) {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, plan.each, child(path, i), out, label, contract));
    else if (isObject(v)) for (const [k, item] of Object.entries(v)) walk(item, plan.each, child(path, k), out, label, contract);
  } else if (isObject(v)) {
    for (const [k, p] of plan.fields) if (Object.hasOwn(v, k)) walk(v[k], p, child(path, k), out, label, contract);
  }
}

// The problems a document's plan of one kind of leaf finds.
function problemsBy(leaf: typeof PARSED, kind: string, data: Record<string, unknown>, label: string, contract: Contract): ValidationProblem[] {
  const plan = planFor(kind, contract, leaf);
  if (plan === undefined) return [];
  const out: ValidationProblem[] = [];
  walk(data, plan, "", out, label, contract);
  return out;
}

/** The integers beyond 2^53 (bigints) of a document that do not fit their field's Go kind, each at its path. */
export function integerRangeProblems(kind: string, data: Record<string, unknown>, label: string, contract: Contract): ValidationProblem[] {
  return problemsBy(INTEGERS, kind, data, label, contract);
}

/** The texts of a document's netip and URL fields that Go refuses as it decodes them, each at its path. */
export function parsedFieldProblems(kind: string, data: Record<string, unknown>, label: string, contract: Contract): ValidationProblem[] {
  return problemsBy(PARSED, kind, data, label, contract);
}
