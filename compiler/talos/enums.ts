// Talos's named integer types that YAML reads and writes by name (bond modes,
// protocols, routing tables…): their names, the name of the zero value, and
// how a name is matched. The facts are compiler/talos/fields/enums.json; the
// schema generator reads the same file.

import { readFileSync } from "node:fs";
import { packagePath } from "../paths.ts";

/** One named type: what its values are called and how Talos reads them. */
export interface EnumFacts {
  /** Every name, in value order. */
  names: readonly string[];
  /** The name of the value 0, or null when 0 has none. */
  zero: string | null;
  /** Talos also reads a name in any letter case. */
  anyCase: boolean;
  /** Decimal numbers that are names too (inclusive range). */
  numbers?: readonly [number, number];
  /** The name an empty text reads as, when Talos reads one. */
  empty?: string;
  /**
   * Talos also reads a value by its number, as strconv.ParseInt does (base 10, a sign and
   * leading zeros allowed), and writes it by its name: the value of a name is its index.
   */
  legacyNumbers?: boolean;
}

let facts: Readonly<Record<string, EnumFacts>> | undefined;

/** The facts of a Go type ("nethelpers.BondMode"), or undefined when Talos reads it otherwise. */
export function enumFacts(goType: string): EnumFacts | undefined {
  facts ??= (JSON.parse(readFileSync(packagePath("compiler", "talos", "fields", "enums.json"), "utf8")) as { types: Record<string, EnumFacts> }).types;
  return Object.hasOwn(facts, goType) ? facts[goType] : undefined;
}

/**
 * A text lower-cased as Go's strings.ToLower does it, as far as comparing it
 * with an ASCII name goes: besides A to Z, Go maps only İ (U+0130) to i and
 * the Kelvin sign (U+212A) to k into ASCII; every other character stays
 * outside ASCII, so it can never match either way.
 */
export function goLower(s: string): string {
  return s.replace(/[A-Z\u0130\u212a]/g, (c) => (c === "\u0130" ? "i" : c === "\u212a" ? "k" : c.toLowerCase()));
}

/** The name Talos writes for a text it reads as one of a type's names, or undefined when it refuses the text. */
export function canonicalName(e: EnumFacts, text: string): string | undefined {
  if (e.names.includes(text)) return text;
  if (text === "" && e.empty !== undefined) return e.empty;
  if (e.legacyNumbers === true && /^[+-]?[0-9]+$/.test(text)) {
    const n = Number(text);
    return n >= 0 && n < e.names.length ? e.names[n] : undefined;
  }
  if (e.numbers !== undefined && /^[1-9][0-9]*$/.test(text) && Number(text) >= e.numbers[0] && Number(text) <= e.numbers[1]) return text;
  if (!e.anyCase) return undefined;
  const lower = goLower(text);
  return e.names.find((n) => goLower(n) === lower);
}
