// The one place that decides key order. Talos writes a typed document's
// fields in its Go struct order and every map's keys in go-yaml's natural
// order; list order is meaningful and never changed.

import { fieldsOf, documentRootType, type FieldType } from "../talos/fields.ts";
import { OrderedMap, type Ordered } from "./yaml.ts";
import { boundedMemo } from "../memo.ts";
import { isMapping } from "../value.ts";

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

function isLetter(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return /\p{L}/u.test(ch);
}

/**
 * go-yaml's order for map keys: letters compare as characters, runs of
 * digits compare as numbers, and a letter sorts after a digit run only when
 * the run is shared ("a1" < "a10" < "ab").
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : 1;
}

function keyLess(a: string, b: string): boolean {
  const ar = /^[\x00-\x7f]*$/.test(a) ? a.split("") : Array.from(a);
  const br = /^[\x00-\x7f]*$/.test(b) ? b.split("") : Array.from(b);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]);
      continue;
    }
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return digits ? al : bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

// Maps in configs repeat the same key sets (labels, sysctls); sorting each set once is enough.
const sortCache = boundedMemo(10_000, (_id: string, keys: string[]) => [...keys].sort(compareKeys));

function sortedKeys(keys: string[]): string[] {
  return keys.length < 2 ? keys : sortCache(keys.join("\0"), keys);
}

function sortedEntries(obj: Record<string, unknown>): Array<[string, unknown]> {
  return sortedKeys(Object.keys(obj)).map((k) => [k, obj[k]]);
}

/** Puts a value's keys in Talos's order for the given field type (untyped values: sorted). */
export function orderValue(value: unknown, type: FieldType | undefined): Ordered {
  if (value === undefined) return null;
  if (Array.isArray(value)) {
    const item = type?.startsWith("[]") ? type.slice(2) : type === undefined || type === "any" ? type : undefined;
    return value.map((v) => orderValue(v, item));
  }
  if (!isMapping(value)) return value as Ordered;
  if (type !== undefined && type.startsWith("map[]")) {
    const item = type.slice(5);
    return new OrderedMap(sortedEntries(value).map(([k, v]) => [k, orderValue(v, item)]));
  }
  const fields = type === undefined || type === "any" || type === "scalar" ? undefined : fieldsIndex(type);
  if (fields === undefined) {
    return new OrderedMap(sortedEntries(value).map(([k, v]) => [k, orderValue(v, type === "any" ? "any" : undefined)]));
  }
  // A struct's value sets a few of its fields: those are put in field order, not every field looked for.
  const present: Array<readonly [number, string, FieldType]> = [];
  let unknown: string[] | undefined;
  // (an index loop on the path every node takes: in code not yet optimized, for-of allocates per step)
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (value[k] === undefined) continue;
    const field = fields.get(k);
    if (field === undefined) (unknown ??= []).push(k);
    else present.push([field[0], k, field[1]]);
  }
  present.sort((a, b) => a[0] - b[0]);
  const entries: Array<[string, Ordered]> = present.map(([, k, fieldType]) => [k, orderValue(value[k], fieldType)]);
  // Keys the type does not know (validation reports them) still get a fixed place: after the known ones, sorted.
  if (unknown !== undefined) for (const k of sortedKeys(unknown)) entries.push([k, orderValue(value[k], undefined)]);
  return new OrderedMap(entries);
}

// Each struct type's fields by name: where the field comes in the struct, and its type.
const fieldIndexes = new Map<FieldType, ReadonlyMap<string, readonly [number, FieldType]> | undefined>();

function fieldsIndex(type: FieldType): ReadonlyMap<string, readonly [number, FieldType]> | undefined {
  if (fieldIndexes.has(type)) return fieldIndexes.get(type);
  const fields = fieldsOf(type);
  const index = fields === undefined ? undefined : new Map(fields.map(([name, fieldType], i) => [name, [i, fieldType] as const]));
  fieldIndexes.set(type, index);
  return index;
}

/** A whole Talos document in Talos's key order. */
export function orderDocument(doc: unknown): Ordered {
  return orderValue(doc, isMapping(doc) ? documentRootType(doc) : undefined);
}
