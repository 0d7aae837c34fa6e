// `$patch: delete`, as Talos reads and applies it. When a patch is loaded,
// every `$patch: delete` marker is cut out of its document and becomes a
// selector: a whole document (marker at the root), a key (marker as the
// value of a key), or the first list element whose field has a value
// (marker inside a list element, next to that field). Selectors of a patch
// document run before the document itself is merged.

import { TalcError } from "../errors.ts";
import { formatGoDuration, idLabel, isObject, parseGoDuration, setKey, YamlScalar, type GoType, type Obj, type TypeSystem } from "../talos/typed.ts";

/** A delete selector cut out of a patch document. */
export interface Selector {
  /** The path from the document root; list elements appear as "[i]". */
  path: string[];
  apiVersion: string;
  /** "v1alpha1" for the legacy document. */
  kind: string;
  name?: string;
  /** For a list element: the field and value that pick the element. */
  key?: string;
  value?: string;
}

/** A patch document split into its delete selectors and what remains to merge (undefined when nothing does). */
export interface SplitDocument {
  selectors: Selector[];
  remainder?: Obj;
}

function scalarText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof YamlScalar) return v.text;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return "";
}

function isDeleteMarker(key: string, value: unknown): boolean {
  return key === "$patch" && scalarText(value) === "delete" && (typeof value === "string" || value instanceof YamlScalar);
}

/** The value Talos reads from a document root key (the raw scalar text, "" when absent or not a scalar). */
function rootValue(root: Obj, key: string): string | undefined {
  return Object.hasOwn(root, key) ? scalarText(root[key]) : undefined;
}

interface Ctx {
  root: Obj;
  selectors: Selector[];
  where: string;
}

function loadError(ctx: Ctx, message: string, path?: string): TalcError {
  const kind = rootValue(ctx.root, "kind") || "v1alpha1";
  const name = rootValue(ctx.root, "name");
  return new TalcError(`${message} (in ${name ? `${kind}/${name}` : kind})`, { code: "patch-delete", stage: "patch", file: ctx.where, path });
}

function makeSelector(ctx: Ctx, path: string[], key?: string, value?: string): Selector {
  const required = path.length === 0;
  let apiVersion = rootValue(ctx.root, "apiVersion");
  let kind = rootValue(ctx.root, "kind");
  if (required && (apiVersion === undefined || kind === undefined)) {
    throw loadError(ctx, `missing ${apiVersion === undefined ? "apiVersion" : "kind"} in a document deleted with $patch: delete; name the document by apiVersion, kind (and name)`);
  }
  apiVersion ??= "";
  kind ??= "";
  if (kind === "" && apiVersion === "") kind = "v1alpha1";
  else if (kind === "" || apiVersion === "") {
    throw loadError(ctx, `kind and apiVersion must be both set for a $patch: delete at ${path.join(".")}`, path.join("."));
  }
  const name = rootValue(ctx.root, "name") ?? "";
  const sel: Selector = { path: [...path], apiVersion, kind };
  if (name !== "") sel.name = name;
  if (key !== undefined) {
    sel.key = key;
    sel.value = value;
  }
  return sel;
}

// Returns [delete-this-node, the node with markers cut out].
function processNode(ctx: Ctx, parent: "doc" | "map" | "seq", v: unknown, path: string[]): [boolean, unknown] {
  if (Array.isArray(v)) {
    const items: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const [del, out] = processNode(ctx, "seq", v[i], [...path, `[${items.length}]`]);
      if (!del) items.push(out);
    }
    return [v.length > 0 && items.length === 0, items];
  }
  if (!isObject(v)) return [false, v];
  const out: Obj = {};
  const entries = Object.entries(v);
  for (const [k, child] of entries) {
    if (isDeleteMarker(k, child)) {
      if (parent === "seq") {
        // the first other field of the element picks it
        const pick = entries.find(([k2, c2]) => !isDeleteMarker(k2, c2));
        if (pick === undefined) throw loadError(ctx, `a list element with $patch: delete needs a field to pick the element by, at ${path.join(".")}`, path.join("."));
        ctx.selectors.push(makeSelector(ctx, path, pick[0], isObject(pick[1]) || Array.isArray(pick[1]) ? "" : scalarText(pick[1])));
      } else {
        if (path.some((p) => p.startsWith("["))) {
          throw loadError(ctx, `cannot delete an inner key in '${path.join(".")}': inside a list, $patch: delete can only remove whole elements`, path.join("."));
        }
        ctx.selectors.push(makeSelector(ctx, path));
      }
      return [true, undefined];
    }
    const [del, c] = processNode(ctx, "map", child, [...path, k]);
    if (!del) setKey(out, k, c);
  }
  return [entries.length > 0 && Object.keys(out).length === 0, out];
}

const IDENTITY_KEYS: ReadonlySet<string> = new Set(["version", "kind", "name"]);

// A document left with nothing but its identity is not merged.
function isEmptyDocument(root: Obj): boolean {
  for (const k of Object.keys(root)) {
    const v = root[k];
    if (!IDENTITY_KEYS.has(k) || isObject(v) || Array.isArray(v)) return false;
  }
  return true;
}

// Whether a value holds a `$patch: delete` marker anywhere (most patches hold none). Every node's
// patches are read through here, so it walks keys rather than building entry pairs.
function hasDeleteMarker(v: unknown): boolean {
  // (index loops: every patch document of every node is searched, mostly before V8 optimizes this)
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasDeleteMarker(v[i])) return true;
    return false;
  }
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) if (isDeleteMarker(keys[i], v[keys[i]]) || hasDeleteMarker(v[keys[i]])) return true;
  return false;
}

/** Cuts the `$patch: delete` markers out of one patch document. */
export function splitDeletes(doc: unknown, where: string): SplitDocument {
  if (!isObject(doc)) return { selectors: [], remainder: undefined };
  // without markers there is nothing to cut: the document itself remains (it is only read)
  if (!hasDeleteMarker(doc)) return isEmptyDocument(doc) ? { selectors: [] } : { selectors: [], remainder: doc };
  const ctx: Ctx = { root: doc, selectors: [], where };
  const [del, out] = processNode(ctx, "doc", doc, []);
  if (del || !isObject(out) || isEmptyDocument(out)) return { selectors: ctx.selectors };
  return { selectors: ctx.selectors, remainder: out };
}

class LookupFailed extends Error {}

/** What applying a selector did to a document. */
export type DeleteResult = { removed: true } | { removed: false; doc: Obj };

/**
 * Applies a selector to the matching document (decoded form). Deleting a
 * path that does not exist is an error naming the path.
 */
export function applySelector(sel: Selector, doc: Obj, root: GoType, sys: TypeSystem, file?: string): DeleteResult {
  const pathText = sel.path.join(".");
  const label = idLabel(sel);
  if (sel.path.length === 0) {
    if (sel.kind === "v1alpha1") {
      throw new TalcError("the v1alpha1 document cannot be deleted as a whole; delete its keys instead", { code: "patch-delete", stage: "patch", file, path: label });
    }
    return { removed: true };
  }
  try {
    return { removed: false, doc: deleteAt(doc, root, sel.path, sel, sys) as Obj };
  } catch (e) {
    if (e instanceof LookupFailed) {
      throw new TalcError(`nothing to delete at ${pathText} in document ${label}: the path does not exist`, { code: "patch-delete-missing", stage: "patch", file, path: pathText });
    }
    if (e instanceof DeleteRefused) {
      throw new TalcError(`cannot delete ${pathText} in document ${label}: ${e.message}`, { code: "patch-delete", stage: "patch", file, path: pathText });
    }
    throw e;
  }
}

class DeleteRefused extends Error {}

// Returns the value with the path removed; throws LookupFailed when the path is not there.
function deleteAt(val: unknown, t: GoType, path: string[], sel: Selector, sys: TypeSystem): unknown {
  if (t.k === "ptr") {
    if (val === undefined || val === null) throw new LookupFailed();
    return deleteAt(val, t.elem, path, sel, sys);
  }
  const [head, ...rest] = path;
  switch (t.k) {
    case "struct": {
      const f = t.byKey.get(head);
      if (f === undefined) throw new LookupFailed();
      const obj = isObject(val) ? val : {};
      const out = { ...obj };
      if (rest.length === 0) {
        delete out[head];
        return out;
      }
      const ft = sys.fieldType(f);
      // a struct held by value is always there, even when nothing in it is set
      const childVal = obj[head] === undefined && ft.k === "struct" ? {} : obj[head];
      setKey(out, head, deleteAt(childVal, ft, rest, sel, sys));
      return out;
    }
    case "map":
      return deleteInMap(val, path, sel, sys, t.val);
    case "any":
      if (isObject(val)) return deleteInMap(val, path, sel, sys, t);
      if (Array.isArray(val)) return deleteInList(val, t, path, sel, sys);
      throw new LookupFailed();
    case "slice":
      return deleteInList(val, t.elem, path, sel, sys);
    default:
      throw new LookupFailed();
  }
}

function deleteInMap(val: unknown, path: string[], sel: Selector, sys: TypeSystem, valType: GoType): unknown {
  const [head, ...rest] = path;
  if (!isObject(val) || !Object.hasOwn(val, head)) throw new LookupFailed();
  const out = { ...val };
  if (rest.length === 0) delete out[head];
  else setKey(out, head, deleteAt(val[head], valType, rest, sel, sys));
  return out;
}

function deleteInList(val: unknown, elemType: GoType, path: string[], sel: Selector, sys: TypeSystem): unknown {
  const [head, ...rest] = path;
  if (rest.length !== 0) throw new DeleteRefused("searching for complex paths in lists is not supported");
  if (head === "") throw new DeleteRefused("searching for '' in a list is not supported");
  if (!head.startsWith("[")) throw new DeleteRefused("a list can only be searched by element ($patch: delete inside a list element)");
  const list = Array.isArray(val) ? val : [];
  let et = elemType;
  while (et.k === "ptr") et = et.elem;
  if (et.k !== "struct") throw new LookupFailed();
  const field = et.fields.find((f) => f.key === sel.key && !f.inline);
  if (field === undefined) throw new LookupFailed();
  const ft = sys.fieldType(field);
  const index = list.findIndex((item) => isObject(item) && stringForm(item[field.key], ft, sys) === sel.value);
  if (index < 0) throw new LookupFailed();
  return [...list.slice(0, index), ...list.slice(index + 1)];
}

/**
 * The text Go compares a list element's field with: a string field's value,
 * or the String() of a type that has one; undefined for other fields, which
 * never match.
 */
function stringForm(v: unknown, t: GoType, sys: TypeSystem): string | undefined {
  let viaPointer = false;
  let type = t;
  if (type.k === "ptr") {
    if (v === undefined || v === null) return undefined;
    viaPointer = true;
    type = type.elem;
  }
  if (type.k === "basic") {
    if (type.kind === "string" && !viaPointer) return typeof v === "string" ? v : "";
    return hasString(type.name, viaPointer, sys) ? scalarString(v, type.kind) : undefined;
  }
  if (type.k === "custom") {
    if (!hasString(type.name, viaPointer, sys)) return undefined;
    switch (type.codec) {
      case "fileMode":
        return `0o${(typeof v === "number" ? v : 0).toString(8)}`;
      case "portRange": {
        const [lo, hi] = typeof v === "number" ? [v, v] : typeof v === "string" ? v.split("-") : [0, 0];
        return `${lo}-${hi}`;
      }
      case "duration":
        return typeof v === "string" ? formatGoDuration(parseGoDuration(v) ?? 0n) : "0s";
      default:
        return typeof v === "string" && v !== "" ? v : zeroString(type);
    }
  }
  return undefined;
}

// What Go's String() says of a zero value: netip's "invalid …", an enum's name for 0 (or its
// type and number when 0 has no name), else the empty text.
function zeroString(type: Extract<GoType, { k: "custom" }>): string {
  switch (type.codec) {
    case "addr":
      return "invalid IP";
    case "prefix":
      return "invalid Prefix";
    case "addrPort":
      return "invalid AddrPort";
  }
  if (type.enum !== undefined) return type.enum.zero ?? `${type.name.slice(type.name.lastIndexOf(".") + 1)}(0)`;
  return "";
}

function hasString(name: string | undefined, viaPointer: boolean, sys: TypeSystem): boolean {
  if (name === undefined) return false;
  const recv = sys.methods(name).String;
  return recv === "value" || (viaPointer && recv === "pointer");
}

function scalarString(v: unknown, kind: string): string {
  if (v === undefined || v === null) return kind === "bool" ? "false" : kind === "string" ? "" : "0";
  return String(v);
}
