// Texts of fields Talos parses as it decodes a config: netip-typed fields
// (read with netip's UnmarshalText) and URL-typed ones (v1alpha1.Endpoint and
// meta.URL, whose UnmarshalYAML runs url.Parse). A text Go refuses there makes
// the whole config unreadable; the schema only shapes these texts (its
// patterns take "1.2.3" or "1::2::3", and ask a URL for a scheme), so each
// such field is parsed here as Go parses it. Which fields those are comes from
// the Go type facts of the release, found once per document kind.

import { goURLOptions, type Contract } from "../talos/contract.ts";
import { canonicalNetip, isNetipKind, netipMessage, type NetipKind } from "../talos/netip.ts";
import { goURLMessage, isObject, parseGoURL, typeSystem, type GoType, type TypeSystem } from "../talos/typed.ts";
import { child } from "../value.ts";
import type { ValidationProblem } from "./types.ts";

/** How Go parses a field's text as it decodes it: one of the netip kinds, or url.Parse. */
type Parsed = NetipKind | "url";

// Where parsed values are inside a value of one type: a leaf names how it is parsed; a struct, the
// fields that lead to one; a list or map, what its elements hold. Undefined: nothing parsed below.
type Plan = { parsed: Parsed } | { fields: ReadonlyArray<[string, Plan]> } | { each: Plan };

function planOf(t: GoType, sys: TypeSystem, seen: Map<string, Plan | undefined>): Plan | undefined {
  switch (t.k) {
    case "ptr":
      return planOf(t.elem, sys, seen);
    case "custom":
      return isNetipKind(t.codec) || t.codec === "url" ? { parsed: t.codec } : undefined;
    case "slice": {
      const inner = planOf(t.elem, sys, seen);
      return inner === undefined ? undefined : { each: inner };
    }
    case "map": {
      const inner = planOf(t.val, sys, seen);
      return inner === undefined ? undefined : { each: inner };
    }
    case "struct": {
      // a type met again on its own path holds nothing new (config types are not recursive through a parsed field)
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
    if (typeof v !== "string") return; // a value of another type: the schema names it
    const message = problemOf(plan.parsed, v, contract);
    if (message !== undefined) out.push({ document: label, path, message });
  } else if ("each" in plan) {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, plan.each, child(path, i), out, label, contract));
    else if (isObject(v)) for (const [k, item] of Object.entries(v)) walk(item, plan.each, child(path, k), out, label, contract);
  } else if (isObject(v)) {
    for (const [k, p] of plan.fields) if (Object.hasOwn(v, k)) walk(v[k], p, child(path, k), out, label, contract);
  }
}

/** The texts of a document's netip and URL fields that Go refuses as it decodes them, each at its path. */
export function parsedFieldProblems(kind: string, data: Record<string, unknown>, label: string, contract: Contract): ValidationProblem[] {
  const plan = planFor(kind, contract);
  if (plan === undefined) return [];
  const out: ValidationProblem[] = [];
  walk(data, plan, "", out, label, contract);
  return out;
}
