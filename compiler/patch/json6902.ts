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

/**
 * Applies operations to one document (plain data) and returns the result.
 * Never mutates the document or the operations.
 */
export function applyOperations(doc: Obj, ops: readonly Operation[], source: string | undefined, label: string): Obj {
  const checked = checkOperations(ops, source);
  // plainValue copies: the document and the operations (checkOperations made them) are this call's own to change.
  const work = plainValue(doc) as Obj;
  let result: unknown;
  try {
    result = jsonpatch.applyPatch(work, checked as jsonpatch.Operation[], true, true, true).newDocument;
  } catch (e) {
    const err = e as { message?: string; index?: number; operation?: { path?: string } };
    const index = typeof err.index === "number" ? err.index : undefined;
    const first = (err.message ?? String(e)).split("\n")[0];
    const reason = first.replace(/\s+$/, "").toLowerCase();
    throw new TalcError(
      `failure applying JSON6902 patch to ${label}: ${reason}${index === undefined ? "" : ` (operation ${index + 1}, ${checked[index]?.op} ${checked[index]?.path})`}`,
      { code: "json-patch", stage: "patch", file: source, path: index === undefined ? undefined : checked[index]?.path },
    );
  }
  if (!isObject(result)) {
    throw new TalcError(`the JSON6902 patch turned ${label} into something that is not a mapping`, { code: "json-patch", stage: "patch", file: source });
  }
  return result;
}
