// Libraries that most runs never call, required on first use instead of
// imported: a build finds every validator precompiled and parses no YAML,
// yet reading and evaluating yaml and ajv cost it about 40 ms of start-up.
// They are CommonJS, so requiring them also spares Node lexing each one for
// its export names, as an import would.

import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

// A getter that requires the module the first time it is called.
function onFirstUse<T>(id: string): () => T {
  let module: T | undefined;
  return () => (module ??= load(id) as T);
}

/** The yaml library. */
export const yaml = onFirstUse<typeof import("yaml")>("yaml");

/** ajv, for the cluster definition schema (draft-07). */
export const ajv = onFirstUse<typeof import("ajv")>("ajv");

/** ajv's draft 2020-12 build, for Talos's config schemas. */
export const ajv2020 = onFirstUse<typeof import("ajv/dist/2020.js")>("ajv/dist/2020.js");

/** esbuild, which bundles cluster files. */
export const esbuild = onFirstUse<typeof import("esbuild")>("esbuild");

/** The diff library, for showing drift in out/. */
export const diff = onFirstUse<typeof import("diff")>("diff");
