// Applying a list of patches to a config, as Talos's configpatcher.Apply
// does: a strategic patch works on the typed config (the config is decoded
// first, strictly), a JSON6902 patch on the config as written (a single
// document only). The result is what Talos would write.

import { TalcError } from "../errors.ts";
import type { ConfigDocument } from "../load/config.ts";
import {
  decodeValue,
  documentId,
  encodeValue,
  idKey,
  idLabel,
  isObject,
  isSealed,
  rootType,
  seal,
  typeSystem,
  type GoType,
  type Obj,
  type TypeSystem,
} from "../talos/typed.ts";
import { applyOperations, multiDocumentError } from "./json6902.ts";
import { legacyFirst, mergeStrategic, prepareStrategic, type TypedDocument } from "./strategic.ts";
import { JsonPatch, StrategicPatch, type Patch, type PatchInput, type PatchOptions } from "./types.ts";
import { isDocumentOperations } from "../define/patch.ts";
import { dataKey } from "../value.ts";

/** Turns what a caller passes into a loaded patch. */
export function toPatch(input: PatchInput, source?: string): Patch {
  if (input instanceof StrategicPatch || input instanceof JsonPatch) return input;
  if (Array.isArray(input)) return new StrategicPatch(input, source);
  if (isDocumentOperations(input)) {
    const name = typeof input.name === "string" ? input.name : undefined;
    return new JsonPatch(input.ops as JsonPatch["ops"], source, name === undefined ? { document: input.document } : { document: input.document, name });
  }
  if (isObject(input)) return new StrategicPatch([input], source);
  throw new TalcError("a patch is a partial Talos document, a list of them, or {document, ops}", { code: "patch-type", stage: "patch", file: source });
}

// Decoding is the costly half of applying a patch, and the compiler decodes the same config
// (a role's config, before each node's own patches) once per node. Inputs are never mutated and
// decoded documents are never changed in place, so a result can be reused for the same array.
const decoded = new WeakMap<readonly unknown[], Map<TypeSystem, TypedDocument[]>>();
// Nodes of a role share most documents (sealed, so unchanging): each is decoded once per type system.
const decodedDocuments = new WeakMap<object, Map<TypeSystem, TypedDocument>>();
// What a sealed decoded value encodes to, per root type: the same documents are written for every node.
const encoded = new WeakMap<object, Map<GoType, ConfigDocument>>();
// The sealed document a decoded value was read from, so that writing it back unchanged gives that same object.
const readFrom = new WeakMap<object, Obj>();

/** Decodes a config's documents strictly, refusing duplicates as Talos does, legacy document first. */
export function decodeConfig(docs: readonly unknown[], sys: TypeSystem, file?: string): TypedDocument[] {
  const cached = decoded.get(docs)?.get(sys);
  if (cached !== undefined) return cached;
  const result = decodeConfigUncached(docs, sys, file);
  let bySys = decoded.get(docs);
  if (bySys === undefined) decoded.set(docs, (bySys = new Map()));
  bySys.set(sys, result);
  return result;
}

function decodeConfigUncached(docs: readonly unknown[], sys: TypeSystem, file: string | undefined): TypedDocument[] {
  const seen = new Set<string>();
  const out = docs.map((raw, i) => {
    if (!isObject(raw)) {
      throw new TalcError(`document ${i + 1} is not a mapping; a Talos config document is a mapping`, { code: "config-document", stage: "patch", file, path: `document ${i + 1}` });
    }
    const doc = decodeDocument(raw, i, sys, file);
    const key = idKey(doc.id);
    if (seen.has(key)) {
      throw new TalcError(`duplicate document ${idLabel(doc.id)}; a config holds each document once`, { code: "duplicate-document", stage: "patch", file, path: idLabel(doc.id) });
    }
    seen.add(key);
    return doc;
  });
  return legacyFirst(out);
}

// One document decoded; the result of a sealed document is kept (a failure is not: its error names the file).
function decodeDocument(raw: Obj, i: number, sys: TypeSystem, file: string | undefined): TypedDocument {
  const cacheable = isSealed(raw);
  const hit = cacheable ? decodedDocuments.get(raw)?.get(sys) : undefined;
  if (hit !== undefined) return hit;
  const id = documentId(raw, sys, { file, stage: "patch", doc: `document ${i + 1}` });
  const value = decodeValue(raw, rootType(id, sys), "", { sys, file, doc: idLabel(id), stage: "patch" }) as Obj;
  seal(value);
  const doc = { id, value };
  if (cacheable) {
    readFrom.set(value, raw);
    let bySys = decodedDocuments.get(raw);
    if (bySys === undefined) decodedDocuments.set(raw, (bySys = new Map()));
    bySys.set(sys, doc);
  }
  return doc;
}

/**
 * Writes decoded documents as Talos encodes them; the documents written are sealed and shared.
 * Unshared (`share` false), a newly written document is left as it is, neither sealed nor kept:
 * for a config that is only compared, never passed on.
 */
export function encodeTyped(docs: readonly TypedDocument[], sys: TypeSystem, share = true): ConfigDocument[] {
  return docs.map((d) => encodeDocument(d, sys, share));
}

function encodeDocument(d: TypedDocument, sys: TypeSystem, share: boolean): ConfigDocument {
  const root = rootType(d.id, sys);
  const cacheable = isSealed(d.value);
  const hit = cacheable ? encoded.get(d.value)?.get(root) : undefined;
  if (hit !== undefined) return hit;
  let doc = encodeValue(d.value, root, sys) as ConfigDocument;
  // A document already in Talos's form reads and writes back as itself: keep the one object, so
  // a node's untouched documents are its role's documents and every later stage sees them as such.
  const source = cacheable ? readFrom.get(d.value) : undefined;
  if (source !== undefined && identical(source, doc)) doc = source;
  else if (!share) return doc;
  else doc = interned(doc);
  if (cacheable) {
    let byType = encoded.get(d.value);
    if (byType === undefined) encoded.set(d.value, (byType = new Map()));
    byType.set(root, doc);
  }
  return doc;
}

// Clusters of one Talos version share most documents word for word (the generator's defaults, common
// patches), and so may nodes of different clusters. Each newly written document is looked up by its
// text among the last ones written and, when an identical one is there, is replaced by it, so every
// cache that keys on a sealed document (decoding, schema checks, encoding, policy) answers it once
// for the fleet rather than once per cluster. Bounded: when full, the table starts again.
const INTERNED_LIMIT = 1_000;
const lastWritten = new Map<string, ConfigDocument>();

/**
 * A config's documents as the sealed objects written last with the same contents (each one itself,
 * sealed, where none was): a generated config shares what other clusters' configs hold alike.
 */
export function shareDocuments(docs: readonly ConfigDocument[]): ConfigDocument[] {
  return docs.map(interned);
}

/** The sealed document identical to `doc` that was written last, or `doc` itself, sealed, from now on. */
function interned(doc: ConfigDocument): ConfigDocument {
  const key = dataKey(doc);
  // (a document holding a bigint has no key, and is simply not shared)
  if (key === undefined) {
    seal(doc);
    return doc;
  }
  const known = lastWritten.get(key);
  if (known !== undefined && identical(known, doc)) return known;
  seal(doc);
  if (lastWritten.size >= INTERNED_LIMIT) lastWritten.clear();
  lastWritten.set(key, doc);
  return doc;
}

// Equal as data and in key order: interchangeable wherever a document is read or written.
function identical(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => identical(x, b[i]));
  if (!isObject(a) || !isObject(b) || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && identical(a[k], b[k]));
}

// The config between patches: typed after a strategic patch, as written after a JSON one.
type State = { typed: TypedDocument[] } | { written: readonly unknown[] };

function typed(state: State, sys: TypeSystem, file?: string): TypedDocument[] {
  return "typed" in state ? state.typed : decodeConfig(state.written, sys, file);
}

function written(state: State, sys: TypeSystem): readonly unknown[] {
  return "typed" in state ? encodeTyped(state.typed, sys) : state.written;
}

function patchLabel(p: Patch, i: number): string {
  return p.source ?? `patch ${i + 1}`;
}

/**
 * Applies patches in order to a config and returns the patched config as
 * Talos writes it. Never mutates its inputs. Errors are TalcErrors naming
 * the patch, the document and the path.
 */
export function applyPatches(docs: readonly ConfigDocument[], patches: readonly PatchInput[], opts: PatchOptions = {}): ConfigDocument[] {
  return patched(docs, patches, opts, true);
}

/**
 * The same, with documents written unshared (see encodeTyped): for checking that patches give a
 * config already at hand, where sharing would only look each new document up to find that config's.
 */
export function applyPatchesUnshared(docs: readonly ConfigDocument[], patches: readonly PatchInput[], opts: PatchOptions = {}): ConfigDocument[] {
  return patched(docs, patches, opts, false);
}

function patched(docs: readonly ConfigDocument[], patches: readonly PatchInput[], opts: PatchOptions, share: boolean): ConfigDocument[] {
  const sys = typeSystem(opts.contract);
  let state: State = { written: docs };
  patches.forEach((input, i) => {
    const p = toPatch(input);
    const source = patchLabel(p, i);
    if (p instanceof StrategicPatch) {
      const steps = prepareStrategic(p.documents, sys, source);
      state = { typed: mergeStrategic(typed(state, sys, opts.file), steps, sys, source) };
      return;
    }
    if (p.target === undefined) {
      const current = written(state, sys);
      if (current.length !== 1) throw multiDocumentError(p.unread, source);
      if (!isObject(current[0])) throw new TalcError("the config is not a mapping", { code: "config-document", stage: "patch", file: opts.file });
      state = { written: [applyOperations(current[0], p.ops, source, "the config", { json: p.json })] };
      return;
    }
    state = { typed: applyToDocument(typed(state, sys, opts.file), p, sys, source) };
  });
  return encodeTyped(typed(state, sys, opts.file), sys, share);
}

/** JSON6902 aimed at one document of a config: beyond Talos, which only patches single-document configs this way. */
export function applyToDocument(docs: TypedDocument[], p: JsonPatch, sys: TypeSystem, source: string): TypedDocument[] {
  const target = p.target!;
  const matches = docs
    .map((d, i) => [d, i] as const)
    .filter(([d]) => d.id.kind === target.document && (target.name === undefined || d.id.name === target.name));
  const want = target.name === undefined ? target.document : `${target.document}/${target.name}`;
  if (matches.length === 0) {
    throw new TalcError(`no document ${want} in the config to apply the operations to; the documents are: ${docs.map((d) => idLabel(d.id)).join(", ") || "(none)"}`, {
      code: "json-patch-target",
      stage: "patch",
      file: source,
      path: "document",
    });
  }
  if (matches.length > 1) {
    throw new TalcError(`${matches.length} ${target.document} documents in the config (${matches.map(([d]) => d.id.name).join(", ")}); name the one to patch with name`, {
      code: "json-patch-target",
      stage: "patch",
      file: source,
      path: "name",
    });
  }
  const [[doc, index]] = matches;
  const label = idLabel(doc.id);
  const patched = applyOperations(encodeValue(doc.value, rootType(doc.id, sys), sys) as Obj, p.ops, source, label);
  const id = documentId(patched, sys, { file: source, stage: "patch", doc: label });
  if (idKey(id) !== idKey(doc.id)) {
    throw new TalcError(`the operations change the identity of ${label} to ${idLabel(id)}; patch its contents, not its apiVersion, kind or name`, {
      code: "json-patch-target",
      stage: "patch",
      file: source,
    });
  }
  const value = decodeValue(patched, rootType(id, sys), "", { sys, file: source, doc: label, stage: "patch" }) as Obj;
  return docs.map((d, i) => (i === index ? { id, value } : d));
}
