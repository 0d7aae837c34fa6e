// A cluster file's default export is whatever its code made: getters that
// throw, proxies, cycles, class instances, functions, bigints. Before anything
// looks at it, it is copied once into plain data (objects, lists, strings,
// numbers, booleans, null), so that a hostile or mistaken value is one error
// with its definition path instead of a crash, and later stages read a value
// that no getter can change between two reads.

import { TalcError } from "../errors.ts";
import { FORBIDDEN_KEYS } from "../value.ts";

/** How deep a definition may nest: Talos documents inside patches inside the definition need about 15 levels. */
export const MAX_DEPTH = 64;
/** How many values a definition may hold, counting shared ones each time they are used. */
export const MAX_VALUES = 1_000_000;

/** A value as an error message may quote it: JSON, cut short when long. */
export function quote(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const name = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return path === "" ? name : `${path}.${name}`;
}

function kindOf(value: object): string {
  try {
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    return tag === "Object" ? "an instance of a class" : `a ${tag}`;
  } catch {
    return "an exotic object";
  }
}

/**
 * Copies a definition into plain data, or throws a TalcError naming the
 * first value that is not data. Keys whose value is `undefined` are left
 * out, as JSON leaves them out; symbol and non-enumerable keys are ignored.
 */
export function plainDefinition(value: unknown, file: string): unknown {
  let count = 0;
  const open = new Set<object>();
  const fail = (path: string, message: string): never => {
    throw new TalcError(message, { code: "bad-definition", stage: "load", file, path: path === "" ? undefined : path });
  };
  // Reading runs the cluster file's code (getters, proxy traps); what it throws is reported at the path read.
  const read = <T>(path: string, get: () => T): T => {
    try {
      return get();
    } catch (e) {
      if (e instanceof TalcError) throw e;
      throw new TalcError(`reading the value failed: ${messageOf(e)}`, { code: "definition-threw", stage: "load", file, path: path === "" ? undefined : path, cause: e });
    }
  };
  const copy = (v: unknown, path: string, depth: number): unknown => {
    if (++count > MAX_VALUES) fail(path, `the definition holds more than ${MAX_VALUES} values; a cluster definition is far smaller`);
    switch (typeof v) {
      case "string":
        if (!v.isWellFormed()) fail(path, "the string has an unpaired UTF-16 surrogate, which no config file can hold");
        return v;
      case "number":
      case "boolean":
        return v;
      case "undefined":
        return fail(path, "is undefined; leave the field out, or give it a value");
      case "bigint":
        return fail(path, `${v}n is a bigint; write a number`);
      case "function":
        return fail(path, "is a function; a definition holds data (strings, numbers, booleans, lists and objects)");
      case "symbol":
        return fail(path, "is a symbol; a definition holds data (strings, numbers, booleans, lists and objects)");
    }
    if (v === null) return null;
    const obj = v as object;
    if (open.has(obj)) fail(path, "refers to an object that contains it (a cycle); a definition is a tree");
    if (depth > MAX_DEPTH) fail(path, `nests deeper than ${MAX_DEPTH} levels; a cluster definition is far shallower`);
    open.add(obj);
    try {
      if (read(path, () => Array.isArray(obj))) {
        const list = obj as unknown[];
        const out: unknown[] = [];
        const length = read(path, () => list.length);
        for (let i = 0; i < length; i++) {
          const at = childPath(path, i);
          if (!read(at, () => Object.hasOwn(list, i))) fail(at, "is a hole in the list; remove the extra comma");
          out.push(copy(read(at, () => list[i]), at, depth + 1));
        }
        return out;
      }
      const proto = read(path, () => Object.getPrototypeOf(obj) as unknown);
      if (proto !== Object.prototype && proto !== null) {
        fail(path, `is ${kindOf(obj)}, not a plain object; write an object literal ({ … }) or a list ([ … ])`);
      }
      const out: Record<string, unknown> = {};
      for (const key of read(path, () => Object.keys(obj))) {
        const at = childPath(path, key);
        if (FORBIDDEN_KEYS.has(key)) fail(at, `key "${key}" is not allowed; it is never a definition or Talos field`);
        const item = read(at, () => (obj as Record<string, unknown>)[key]);
        if (item === undefined) continue;
        out[key] = copy(item, at, depth + 1); // the keys that would reach a prototype were refused above
      }
      return out;
    } finally {
      open.delete(obj);
    }
  };
  return copy(value, "", 0);
}

function messageOf(e: unknown): string {
  try {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
  } catch {
    return "an exception that cannot be shown";
  }
}

// Device names Windows reserves with any extension (nul.yaml included): a checkout there could not hold them.
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Whether a name that becomes a file or folder name is reserved on some file system talc's output is checked out on. */
export function reservedName(name: string): boolean {
  return RESERVED.test(name);
}
