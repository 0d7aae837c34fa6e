// Texts of netip-typed fields that Go's netip refuses. Talos reads these
// fields with netip's UnmarshalText, so a text it refuses makes the whole
// config unreadable; the schema's patterns only shape the text (they take
// "1.2.3" or "1::2::3"), so each such field is parsed here as netip parses
// it. Which fields those are comes from the Go type facts of the release,
// found once per document kind.

import type { Contract } from "../talos/contract.ts";
import { canonicalNetip, isNetipKind, netipMessage, type NetipKind } from "../talos/netip.ts";
import { isObject, typeSystem, type GoType, type TypeSystem } from "../talos/typed.ts";
import { child } from "../value.ts";
import type { ValidationProblem } from "./types.ts";

// Where netip values are inside a value of one type: a leaf names its kind; a struct, the fields
// that lead to one; a list or map, what its elements hold. Undefined: nothing netip below.
type Plan = { netip: NetipKind } | { fields: ReadonlyArray<[string, Plan]> } | { each: Plan };

function planOf(t: GoType, sys: TypeSystem, seen: Map<string, Plan | undefined>): Plan | undefined {
  switch (t.k) {
    case "ptr":
      return planOf(t.elem, sys, seen);
    case "custom":
      return isNetipKind(t.codec) ? { netip: t.codec } : undefined;
    case "slice": {
      const inner = planOf(t.elem, sys, seen);
      return inner === undefined ? undefined : { each: inner };
    }
    case "map": {
      const inner = planOf(t.val, sys, seen);
      return inner === undefined ? undefined : { each: inner };
    }
    case "struct": {
      // a type met again on its own path holds nothing new (config types are not recursive through netip)
      if (seen.has(t.name)) return seen.get(t.name);
      seen.set(t.name, undefined);
      const fields: Array<[string, Plan]> = [];
      for (const f of t.fields) {
        const p = planOf(sys.fieldType(f), sys, seen);
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

const PLANS = new Map<string, Plan | undefined>();

function planFor(kind: string, contract: Contract): Plan | undefined {
  const key = `${contract}\0${kind}`;
  if (PLANS.has(key)) return PLANS.get(key);
  const sys = typeSystem(contract);
  const root = sys.rootOf(kind);
  const plan = root === undefined ? undefined : planOf(sys.type(root), sys, new Map());
  PLANS.set(key, plan);
  return plan;
}

function walk(v: unknown, plan: Plan, path: string, out: ValidationProblem[], label: string): void {
  if ("netip" in plan) {
    if (typeof v !== "string") return; // a value of another type: the schema names it
    const canonical = canonicalNetip(plan.netip, v);
    if (typeof canonical !== "string") out.push({ document: label, path, message: netipMessage(plan.netip, v, canonical) });
  } else if ("each" in plan) {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, plan.each, child(path, i), out, label));
    else if (isObject(v)) for (const [k, item] of Object.entries(v)) walk(item, plan.each, child(path, k), out, label);
  } else if (isObject(v)) {
    for (const [k, p] of plan.fields) if (Object.hasOwn(v, k)) walk(v[k], p, child(path, k), out, label);
  }
}

/** The texts of a document's netip fields that Go's netip refuses, each at its path. */
export function netipFieldProblems(kind: string, data: Record<string, unknown>, label: string, contract: Contract): ValidationProblem[] {
  const plan = planFor(kind, contract);
  if (plan === undefined) return [];
  const out: ValidationProblem[] = [];
  walk(data, plan, "", out, label);
  return out;
}
