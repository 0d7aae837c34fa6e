// JSON6902 (RFC 6902) operations on one document, as Talos applies a JSON
// patch to a single-document config: on the config as written, not as
// typed. Operations are checked before anything runs, and a path may never
// reach an object's prototype.

import jsonpatch from "fast-json-patch";
import { TalcError } from "../errors.ts";
import { isObject, plainValue, type Obj } from "../talos/typed.ts";
import { FORBIDDEN_KEYS, pointerSegments } from "../value.ts";
import type { Operation } from "./types.ts";

const OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);

/** The reason Talos gives for a JSON patch on a config of several documents. */
export const MULTI_DOCUMENT_REASON = "JSON6902 patches are not supported for multi-document machine configuration";

/** Talos's refusal of a JSON patch on a config that is not one document, saying what of the patch text it left unread. */
export function multiDocumentError(unread: string | undefined, file: string): TalcError {
  return new TalcError(unread === undefined ? MULTI_DOCUMENT_REASON : `${MULTI_DOCUMENT_REASON} (${unread})`, { code: "json-patch-multidoc", stage: "patch", file });
}

/** Checks the shape of JSON6902 operations; returns them as plain data. */
function checkOperations(ops: readonly unknown[], source: string | undefined): Operation[] {
  return ops.map((raw, i) => {
    const op = plainValue(raw);
    const at = `operation ${i + 1}`;
    const bad = (message: string): TalcError => new TalcError(`${at}: ${message}`, { code: "json-patch", stage: "patch", file: source, path: `[${i}]` });
    if (!isObject(op)) throw bad("a JSON6902 operation is a mapping with op and path");
    if (typeof op.op !== "string" || !OPS.has(op.op)) throw bad(`unknown op ${JSON.stringify(op.op)}; expected one of add, remove, replace, move, copy, test`);
    if (typeof op.path !== "string" || (op.path !== "" && !op.path.startsWith("/"))) throw bad(`path ${JSON.stringify(op.path)} is not a JSON pointer; it starts with /, e.g. /machine/network/hostname`);
    for (const key of ["path", "from"] as const) {
      if (op[key] === undefined) continue;
      if (typeof op[key] !== "string") throw bad(`${key} must be a JSON pointer string`);
      const hit = pointerSegments(op[key] as string).find((s) => FORBIDDEN_KEYS.has(s));
      if (hit !== undefined) throw bad(`${key} ${JSON.stringify(op[key])} has the segment "${hit}", which is never a Talos field`);
    }
    if ((op.op === "move" || op.op === "copy") && typeof op.from !== "string") throw bad(`${op.op} needs from`);
    if ((op.op === "add" || op.op === "replace" || op.op === "test") && !Object.hasOwn(op, "value")) throw bad(`${op.op} needs value`);
    return op as unknown as Operation;
  });
}

// Talos's JSON patch library (evanphx/json-patch, which Talos pins at v5.9.11) reads a negative
// array index as counting from the end; RFC 6902 and fast-json-patch have none, so each operation's
// pointers are rewritten to the index Talos would use, against the document as it is when the
// operation runs.
const NEGATIVE_INDEX = /^-\d+$/;

/** A negative index that reaches before the start of its list. */
class IndexOutOfRange extends Error {
  constructor(
    readonly pointer: string,
    readonly segment: string,
    readonly list: string,
    readonly size: number,
    readonly adding: boolean,
  ) {
    super(segment);
  }
}

/**
 * The pointer with each negative index into a list replaced by the index Talos means: -1 is the
 * last element, -n the first. Where the operation inserts (the last segment of an add's, move's
 * or copy's path) Talos counts the slot after the last element too, so there -1 appends and
 * -(n+1) inserts first. Segments past a missing value are left for the operation to refuse.
 */
function resolveIndices(doc: unknown, pointer: string, inserting: boolean): string {
  if (!pointer.includes("/-")) return pointer;
  const raw = pointer.split("/");
  let cur = doc;
  for (let i = 1; i < raw.length; i++) {
    const segment = raw[i];
    if (Array.isArray(cur) && NEGATIVE_INDEX.test(segment)) {
      const adding = inserting && i === raw.length - 1;
      const size = cur.length + (adding ? 1 : 0);
      const n = Number(segment);
      if (-n > size) throw new IndexOutOfRange(pointer, segment, raw.slice(0, i).join("/") || "/", cur.length, adding);
      // Go reads -0 as 0
      raw[i] = String(n === 0 ? 0 : size + n);
    }
    const key = raw[i].replaceAll("~1", "/").replaceAll("~0", "~");
    cur = (Array.isArray(cur) || isObject(cur)) && Object.hasOwn(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return raw.join("/");
}

// The document with `from` taken out, as a move leaves it before it inserts; the document itself
// when `from` is not there (the move then fails on from).
function withoutValue(doc: unknown, from: string): unknown {
  try {
    return jsonpatch.applyOperation(doc, { op: "remove", path: from }, false, false).newDocument;
  } catch {
    return doc;
  }
}

/** The operation with its negative indices resolved against the document it is about to change. */
function resolveOperation(doc: unknown, op: Operation): Operation {
  const inserts = op.op === "add" || op.op === "move" || op.op === "copy";
  if (op.from === undefined) return { ...op, path: resolveIndices(doc, op.path, inserts) };
  const from = resolveIndices(doc, op.from, false);
  // a move takes the value out before it reads its destination, which counts without it
  const before = op.op === "move" && op.path.includes("/-") ? withoutValue(doc, from) : doc;
  return { ...op, from, path: resolveIndices(before, op.path, inserts) };
}

// The mapping a pointer's last segment is a key of, and that key; undefined when the pointer
// does not lead into an existing mapping (evanphx's findObject fails, or finds a list).
function parentMapping(doc: unknown, pointer: string): { parent: Obj; key: string } | undefined {
  if (pointer === "") return undefined;
  const segments = pointerSegments(pointer);
  let cur = doc;
  for (const segment of segments.slice(0, -1)) {
    if (!(Array.isArray(cur) || isObject(cur)) || !Object.hasOwn(cur, segment)) return undefined;
    cur = (cur as Record<string, unknown>)[segment];
  }
  return isObject(cur) ? { parent: cur, key: segments[segments.length - 1] } : undefined;
}

// Whether a pointer names a null, or a key missing from an existing mapping: what evanphx/json-patch
// holds as no value. A pointer into a list must name an element.
function absentOrNull(doc: unknown, pointer: string): boolean {
  const segments = pointerSegments(pointer);
  let cur = doc;
  for (const segment of segments.slice(0, -1)) {
    if (!(Array.isArray(cur) || isObject(cur)) || !Object.hasOwn(cur, segment)) return false;
    cur = (cur as Record<string, unknown>)[segment];
  }
  const key = segments[segments.length - 1];
  if (Array.isArray(cur)) return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < cur.length && cur[Number(key)] === null;
  return isObject(cur) && (!Object.hasOwn(cur, key) || cur[key] === null);
}

/**
 * The operation as evanphx/json-patch (the root package, v5.9.11, that Talos pins) carries it
 * out where that differs from RFC 6902: it reads a key missing from an existing mapping as a
 * null value rather than as an error, so `replace` of such a key sets it as `add` would, and
 * `copy` from such a key writes null.
 */
function asTalosApplies(doc: unknown, op: Operation): Operation {
  if (op.op === "replace") {
    const at = parentMapping(doc, op.path);
    if (at !== undefined && !Object.hasOwn(at.parent, at.key)) return { op: "add", path: op.path, value: op.value };
  } else if (op.op === "copy") {
    const at = parentMapping(doc, op.from!);
    if (at !== undefined && !Object.hasOwn(at.parent, at.key)) return { op: "add", path: op.path, value: null };
  }
  return op;
}

/**
 * Applies operations to one document (plain data) and returns the result.
 * Never mutates the document or the operations.
 */
export function applyOperations(doc: Obj, ops: readonly Operation[], source: string | undefined, label: string, opts: { json?: boolean } = {}): Obj {
  const checked = checkOperations(ops, source);
  // plainValue copies: the document and the operations (checkOperations made them) are this call's own to change.
  let work: unknown = plainValue(doc);
  checked.forEach((op, i) => {
    const fail = (reason: string, pointer = op.path): TalcError =>
      new TalcError(`failure applying JSON6902 patch to ${label}: ${reason} (operation ${i + 1}, ${op.op} ${op.from === undefined ? "" : `${op.from} to `}${op.path})`, {
        code: "json-patch",
        stage: "patch",
        file: source,
        path: pointer,
      });
    let resolved: Operation;
    try {
      resolved = asTalosApplies(work, resolveOperation(work, op));
    } catch (e) {
      if (!(e instanceof IndexOutOfRange)) throw e;
      const { pointer, segment, list, size, adding } = e;
      const valid = size === 0 && !adding ? "it is empty, so no index is valid" : `a negative index there is -1 to -${adding ? size + 1 : size}${adding ? " (-1 appends)" : ""}`;
      throw fail(`index ${segment} is out of range: ${list} has ${size} ${size === 1 ? "item" : "items"}; ${valid}`, pointer);
    }
    if (resolved.op === "test" && resolved.value === null && resolved.path !== "") {
      // evanphx/json-patch holds a null as no value, like a missing key: a null written as JSON
      // (no value either) matches both; written as YAML it is the text null, which matches neither
      if (opts.json === true && absentOrNull(work, resolved.path)) return;
      throw fail(`test operation failed (Talos's JSON patch matches null ${opts.json === true ? "written as JSON only where a mapping has no such key or a null" : "written as YAML nowhere"})`);
    }
    try {
      work = jsonpatch.applyOperation(work, resolved as jsonpatch.Operation, true, true, true, i).newDocument;
    } catch (e) {
      const first = ((e as Error).message ?? String(e)).split("\n")[0];
      throw fail(first.replace(/\s+$/, "").toLowerCase());
    }
  });
  if (!isObject(work)) {
    throw new TalcError(`the JSON6902 patch turned ${label} into something that is not a mapping`, { code: "json-patch", stage: "patch", file: source });
  }
  return work;
}
