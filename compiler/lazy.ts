// Libraries that most runs never call, required on first use instead of
// imported: a build finds every validator precompiled and parses no YAML,
// yet reading and evaluating yaml and ajv cost it about 40 ms of start-up.

import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

let yamlModule: typeof import("yaml") | undefined;
let ajvModule: typeof import("ajv") | undefined;
let ajv2020Module: typeof import("ajv/dist/2020.js") | undefined;

/** The yaml library. */
export function yaml(): typeof import("yaml") {
  return (yamlModule ??= load("yaml") as typeof import("yaml"));
}

/** ajv, for the cluster definition schema (draft-07). */
export function ajv(): typeof import("ajv") {
  return (ajvModule ??= load("ajv") as typeof import("ajv"));
}

/** ajv's draft 2020-12 build, for Talos's config schemas. */
export function ajv2020(): typeof import("ajv/dist/2020.js") {
  return (ajv2020Module ??= load("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js"));
}
