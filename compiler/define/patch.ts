// The shape of a patch in a cluster definition, before the per-version types
// narrow it: a strategic merge patch (a partial Talos document) or JSON6902
// operations aimed at one document.

/** One JSON6902 operation. */
export interface JsonPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

/** JSON6902 operations applied to one document of the config, named by kind (and name). */
export interface DocumentOperations {
  document: string;
  name?: string;
  ops: JsonPatchOperation[];
}

/** A strategic merge patch: a partial Talos document, `$patch: delete` markers allowed. */
export type StrategicPatch = { [key: string]: unknown };

/** A patch as a definition holds it. */
export type TalosPatch = StrategicPatch | DocumentOperations;

/** Whether a patch is JSON6902 operations aimed at one document (`{document, ops}`) rather than a strategic patch. */
export function isDocumentOperations(patch: unknown): patch is DocumentOperations {
  return typeof patch === "object" && patch !== null && !Array.isArray(patch) && typeof (patch as { document?: unknown }).document === "string" && Array.isArray((patch as { ops?: unknown }).ops);
}
