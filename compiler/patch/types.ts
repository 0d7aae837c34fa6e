// The patches the engine applies. A patch is loaded once (from a file, an
// inline string or a definition) into one of two classes, so the engine
// never guesses what a value is at apply time.

import type { Contract } from "../talos/contract.ts";

/** One JSON6902 operation. */
export interface Operation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

/** A strategic merge patch: one or more partial Talos documents, `$patch: delete` markers allowed. */
export class StrategicPatch {
  readonly kind = "strategic";
  constructor(
    /** The documents as given (plain data; YAML numbers may be YamlScalar). */
    readonly documents: readonly unknown[],
    /** Where the patch comes from (a file, or a definition path), for errors. */
    readonly source?: string,
  ) {}
}

/**
 * JSON6902 operations: on a single-document config as Talos applies them,
 * or, beyond Talos, on one document of any config (`target`).
 */
export class JsonPatch {
  readonly kind = "json6902";
  constructor(
    readonly ops: readonly Operation[],
    readonly source?: string,
    /** The document the operations apply to: its kind ("v1alpha1" for the legacy document) and name. */
    readonly target?: { document: string; name?: string },
    /**
     * What of the patch text Talos leaves unread, when it reads the text as these
     * operations (it reads only the first YAML document): said in warnings and errors.
     */
    readonly unread?: string,
    /**
     * Written as JSON text: Talos reads a `"value": null` there as no value, which a `test`
     * finds where a key is missing or null (written as YAML, null is the text null, which
     * a `test` never finds).
     */
    readonly json = false,
  ) {}
}

/** A loaded patch. */
export type Patch = StrategicPatch | JsonPatch;

/** JSON6902 operations aimed at one document, as a definition writes them. */
export interface DocumentOperations {
  document: string;
  name?: string;
  ops: readonly Operation[];
}

/**
 * What applyPatches takes: a loaded patch, a strategic patch document as a
 * definition writes it, `{document, ops}`, or a list of strategic patch
 * documents (what derivePatch returns).
 */
export type PatchInput = Patch | DocumentOperations | Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[];

/** Options of the patch functions. */
export interface PatchOptions {
  /** The contract whose Talos release decides types and merge rules (default: the newest facts). */
  contract?: Contract;
  /** The config file, for errors about the config itself. */
  file?: string;
  /**
   * The configs given are already as Talos writes them (results of
   * applyPatches), so derivePatch need not normalise them first.
   */
  canonical?: boolean;
}
