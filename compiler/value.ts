// Safe reads of parsed data, shared by every stage. Validation checks and
// policy rules run even on documents the schema rejected, so every read
// tolerates a value of the wrong type; the readers of definitions, configs and
// patches refuse the keys that would reach Object.prototype.

import { boundedMemo } from "./memo.ts";

/** A mapping of a parsed document. */
export type Mapping = Record<string, unknown>;

/** Whether a value is a mapping. */
export function isMapping(v: unknown): v is Mapping {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Keys that reach Object.prototype rather than data; never a Talos or definition field, so every reader refuses them. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The unescaped segments of a JSON pointer (RFC 6901): `/a~1b/0` is `["a/b", "0"]`, `""` is `[]`. */
export function pointerSegments(pointer: string): string[] {
  return pointer.split("/").slice(1).map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

// Checks and rules read the same few dotted paths for every node: each is split once.
const SPLIT_LIMIT = 10_000;
const split = boundedMemo(SPLIT_LIMIT, (path: string): readonly string[] => path.split("."));

/** The value at a dotted path of mappings, or undefined. */
export function at(v: unknown, path: string): unknown {
  const keys = split(path);
  let cur = v;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!isMapping(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** A mapping, or undefined for anything else. */
export function mapping(v: unknown): Mapping | undefined {
  return isMapping(v) ? v : undefined;
}

/** A list, or [] for anything else. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A string, or "" for anything else (Go's zero value). */
export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** A number, or 0 for anything else. */
export function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

/** True only for the boolean true. */
export function isTrue(v: unknown): boolean {
  return v === true;
}

/** The string values of a string map; other values are skipped. */
export function stringMap(v: unknown): Array<[string, string]> {
  return isMapping(v) ? Object.entries(v).map(([k, x]): [string, string] => [k, typeof x === "string" ? x : String(x ?? "")]) : [];
}

/** Whether a value is present the way Go sees a pointer or slice: not null and not missing. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** Whether a mapping has no field set to a non-empty value (Go's zero struct). */
export function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isMapping(v)) return Object.values(v).every(isZero);
  return false;
}

/** A config path with one more key or index: `a.b`, `a[0]`, `a["x.y"]`. */
export function child(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const plain = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
  if (!plain) return `${path}[${JSON.stringify(key)}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** Quotes a value for a message: an integer beyond 2^53 (a bigint) as its digits, or inside a value as the nearest number. */
export function quote(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return String(v);
  return JSON.stringify(v, (_key, x: unknown) => (typeof x === "bigint" ? Number(x) : x)) ?? String(v);
}

/**
 * Plain data as JSON text, to key a lookup by; undefined when it holds an integer beyond 2^53 (a
 * bigint, as the YAML readers hold one), which JSON cannot tell from a number or a string, or when
 * JSON cannot write it at all.
 */
export function dataKey(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (e instanceof TypeError) return undefined;
    throw e;
  }
}
