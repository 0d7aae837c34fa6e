// Strategic merge of a patch into a config, document by document, as
// Talos's configpatcher does: documents are matched by apiVersion/kind and
// name (the legacy document is "/v1alpha1"); a patch document with no match
// is appended; `$patch: delete` selectors run in the patch's order, those
// for the legacy document first, each before its own document is merged.

import { TalcError } from "../errors.ts";
import {
  decodeValue,
  documentId,
  idKey,
  idLabel,
  isObject,
  rootType,
  type DocumentId,
  type Obj,
  type TypeSystem,
} from "../talos/typed.ts";
import { applySelector, splitDeletes, type Selector } from "./delete.ts";
import { mergeValue } from "./merge.ts";

/** A decoded document with its identity. */
export interface TypedDocument {
  id: DocumentId;
  value: Obj;
}

/** One step of a strategic patch: a delete selector, or a document to merge. */
export type PatchStep = { selector: Selector } | { document: TypedDocument };

/**
 * What Talos's loader refuses in a patch it reads (talosctl --patch, a patch file), beyond the
 * documents themselves. Patches a definition gives are only applied by talc, never loaded by Talos.
 */
export interface LoadRules {
  /** Refuse a document given twice, as Talos before 1.14 does: it loaded a patch as a config, which holds each document once. */
  uniqueDocuments: boolean;
  /** Each document's number in the patch text, when null documents skipped before it make that differ from its place. */
  numbers?: readonly number[];
}

// Talos's loader skips a document left with only its identity; with nothing else in the patch it
// finds no config at all, so the patch fails rather than doing nothing.
function nothingToApply(documents: readonly unknown[], source: string | undefined, numbers: readonly number[] | undefined): TalcError {
  const which = documents.map((_, i) => numbers?.[i] ?? i + 1);
  const [where, holds] = which.length === 1 ? [`document ${which[0]}`, "its one document holds"] : [`documents ${which.join(", ")}`, "each of its documents holds"];
  return new TalcError(
    `the patch has nothing to apply: ${holds} nothing but version, kind or name, which Talos skips in a patch, so it fails with "config not found"; a strategic patch sets fields or deletes with $patch: delete`,
    { code: "patch-empty", stage: "patch", file: source, path: where },
  );
}

/**
 * Reads a strategic patch's documents as Talos loads them: cuts out the
 * delete selectors and decodes what remains strictly. With `loading`, also
 * refuses what Talos's loader refuses in a patch text. Errors name the
 * patch, the document and the path.
 */
export function prepareStrategic(documents: readonly unknown[], sys: TypeSystem, source: string | undefined, loading?: LoadRules): PatchStep[] {
  const legacySelectors: PatchStep[] = [];
  const rest: PatchStep[] = [];
  // the document number each identity was first given at, when a document may only be given once
  const first = loading?.uniqueDocuments ? new Map<string, number>() : undefined;
  documents.forEach((raw, i) => {
    const n = loading?.numbers?.[i] ?? i + 1;
    if (!isObject(raw)) {
      throw new TalcError(`document ${n} of the patch is not a mapping; a strategic patch is one or more partial Talos documents`, {
        code: "patch-document",
        stage: "patch",
        file: source,
        path: `document ${n}`,
      });
    }
    const { selectors, remainder } = splitDeletes(raw, source ?? "patch");
    for (const selector of selectors) (selector.kind === "v1alpha1" ? legacySelectors : rest).push({ selector });
    if (remainder === undefined) return;
    const id = documentId(remainder, sys, { file: source, stage: "patch", doc: `document ${n}` });
    // Talos checks identities before it decodes (a delete-only document is not counted)
    const seen = first?.get(idKey(id));
    if (seen !== undefined) {
      throw new TalcError(
        `duplicate document ${idLabel(id)}, given first as document ${seen}; Talos before 1.14 refuses a document given twice in one patch: merge them into one document, or give them as two patches`,
        { code: "duplicate-document", stage: "patch", file: source, path: `document ${n}` },
      );
    }
    first?.set(idKey(id), n);
    const value = decodeValue(remainder, rootType(id, sys), "", { sys, file: source, doc: idLabel(id), stage: "patch" }) as Obj;
    rest.push({ document: { id, value } });
  });
  if (loading !== undefined && documents.length > 0 && legacySelectors.length === 0 && rest.length === 0) throw nothingToApply(documents, source, loading.numbers);
  // Talos hands the selectors of the legacy document out before everything else
  return [...legacySelectors, ...rest];
}

/**
 * Applies prepared steps to decoded documents. Returns new documents, the
 * legacy document first as Talos writes it.
 */
export function mergeStrategic(docs: readonly TypedDocument[], steps: readonly PatchStep[], sys: TypeSystem, source: string | undefined): TypedDocument[] {
  // the documents so far (a copy of our own), with their keys
  const left = [...docs];
  const keys = left.map((d) => idKey(d.id));
  for (const step of steps) {
    if ("selector" in step) {
      const at = keys.lastIndexOf(idKey(step.selector));
      // a selector for a document the config does not have does nothing
      if (at < 0) continue;
      const res = applySelector(step.selector, left[at].value, rootType(left[at].id, sys), sys, source);
      if (res.removed) {
        left.splice(at, 1);
        keys.splice(at, 1);
      } else left[at] = { id: left[at].id, value: res.doc };
      continue;
    }
    const { id, value } = step.document;
    const key = idKey(id);
    const at = keys.lastIndexOf(key);
    if (at < 0) {
      left.push({ id, value });
      keys.push(key);
      continue;
    }
    const merged = mergeValue(left[at].value, value, rootType(id, sys), false, false, "", { sys, doc: idLabel(id), file: source }) as Obj;
    left[at] = { id: left[at].id, value: merged };
  }
  return legacyFirst(left);
}

/** Puts the legacy document first, keeping the order of the others. */
export function legacyFirst(docs: readonly TypedDocument[]): TypedDocument[] {
  // usually it is first already (or absent)
  if (!docs.some((d, i) => i > 0 && d.id.kind === "v1alpha1")) return [...docs];
  return [...docs.filter((d) => d.id.kind === "v1alpha1"), ...docs.filter((d) => d.id.kind !== "v1alpha1")];
}
