// Talos's document types as data: for every struct, its fields in Go
// declaration order with their types. Produced from Talos's sources by
// `scripts/extract-talos-fields.ts`; the encoder orders keys by it.

import { TALOS_FACTS } from "./facts.ts";

/**
 * A field's type: "scalar", "any" (untyped, keys sorted), "<pkg>.<Type>" (a
 * struct), "[]<T>" (a list of T) or "map[]<T>" (a map with values of T).
 */
export type FieldType = string;

interface FieldFacts {
  source: string;
  documents: Record<string, string>;
  types: Record<string, { fields: Array<[string, FieldType]> }>;
}

const data = TALOS_FACTS as FieldFacts;

/** The fields of a struct type in declaration order, or undefined for a type that is not a struct. */
export function fieldsOf(type: FieldType): ReadonlyArray<readonly [string, FieldType]> | undefined {
  return Object.hasOwn(data.types, type) ? data.types[type].fields : undefined;
}

/** The document kinds Talos knows, keyed as in `kind` (the legacy document as "v1alpha1"). */
export function documentKinds(): string[] {
  return Object.keys(data.documents);
}

/** The root struct type of a document: the legacy `v1alpha1` config, or the type registered for its `kind`. */
export function documentRootType(doc: Record<string, unknown>): FieldType | undefined {
  if (doc.kind === undefined && doc.version === "v1alpha1") return data.documents.v1alpha1;
  return typeof doc.kind === "string" && Object.hasOwn(data.documents, doc.kind) ? data.documents[doc.kind] : undefined;
}
