// The patch stage: Talos's strategic merge, `$patch: delete`, JSON6902 and
// patch derivation, one entry function per concern. Types, merge rules and
// encodings come from compiler/talos (typed.ts, merge.ts, fields.json).

export { applyPatches, shareDocuments, toPatch } from "./apply.ts";
export { derivePatch } from "./derive.ts";
export { loadPatch, loadPatches, parsePatch, type LoadOptions } from "./load.ts";
export { MULTI_DOCUMENT_REASON } from "./json6902.ts";
export { patchConfigText } from "./text.ts";
export { parseGoYaml } from "./yaml.ts";
export { JsonPatch, StrategicPatch, type DocumentOperations, type Operation, type Patch, type PatchInput, type PatchOptions } from "./types.ts";
