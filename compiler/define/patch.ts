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
