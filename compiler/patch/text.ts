// `talosctl machineconfig patch` on a config's text, byte for byte. Talos
// keeps the config either as bytes or as a typed config between patches
// (configpatcher's Apply): a strategic patch decodes the bytes and leaves a
// typed config; a JSON6902 patch takes the bytes (Talos's encoding of a
// typed config) and leaves the bytes its JSON round trip writes
// (jsonyaml.ts). What is printed is the bytes, or the typed config in
// Talos's encoding. So after a final JSON patch the config is printed as
// go-yaml v2 writes it (sorted keys, two-space indentation), not in Talos's
// encoding; and a config given only JSON patches is never decoded at all.
// The same in Talos 1.12, 1.13 and 1.14.

import { encodeConfig } from "../emit/encode.ts";
import { TalcError } from "../errors.ts";
import type { ConfigDocument } from "../load/config.ts";
import type { Contract } from "../talos/contract.ts";
import { isObject, typeSystem, type Obj, type TypeSystem } from "../talos/typed.ts";
import { applyToDocument, decodeConfig, encodeTyped, toPatch } from "./apply.ts";
import { applyOperations, multiDocumentError } from "./json6902.ts";
import { jsonToYaml, singleDocumentJson, type JsonValue } from "./jsonyaml.ts";
import { mergeStrategic, prepareStrategic, type TypedDocument } from "./strategic.ts";
import { JsonPatch, type Patch, type PatchInput, type PatchOptions } from "./types.ts";
import { parseGoYaml } from "./yaml.ts";

// The config between patches, as Talos holds it.
type State = { text: string } | { typed: TypedDocument[] };

// The config as text: as given, or as the talosctl of the contract's release writes it.
function textOf(state: State, sys: TypeSystem, contract: Contract | undefined): string {
  return "text" in state ? state.text : encodeConfig(encodeTyped(state.typed, sys), contract);
}

// Consecutive JSON patches, which talosctl joins into one before it applies them.
function jsonRun(patches: readonly Patch[], from: number): JsonPatch[] {
  const run: JsonPatch[] = [];
  for (let i = from; i < patches.length; i++) {
    const p = patches[i];
    if (!(p instanceof JsonPatch) || p.target !== undefined) break;
    run.push(p);
  }
  return run;
}

/**
 * Applies patches to a config's text and returns the text `talosctl
 * machineconfig patch` writes (its file; on stdout talosctl adds a newline).
 * Errors are TalcErrors naming the patch, the document and the path.
 */
export function patchConfigText(text: string, inputs: readonly PatchInput[], opts: PatchOptions = {}): string {
  const sys = typeSystem(opts.contract);
  const patches = inputs.map((input) => toPatch(input));
  let state: State = { text };
  const typed = (s: State): TypedDocument[] => ("typed" in s ? s.typed : decodeConfig(parseGoYaml(s.text, opts.file ?? "config") as ConfigDocument[], sys, opts.file));
  for (let i = 0; i < patches.length; ) {
    const run = jsonRun(patches, i);
    if (run.length > 0) {
      state = { text: applyJson(textOf(state, sys, opts.contract), run, i, opts.file) };
      i += run.length;
      continue;
    }
    // a strategic patch, or operations aimed at one document (beyond Talos): on the typed config
    const p = patches[i];
    const source = p.source ?? `patch ${i + 1}`;
    state = { typed: p instanceof JsonPatch ? applyToDocument(typed(state), p, sys, source) : mergeStrategic(typed(state), prepareStrategic(p.documents, sys, source), sys, source) };
    i++;
  }
  return textOf(state, sys, opts.contract);
}

// A run of JSON patches on the config's text, as one pass of Talos's JSON6902.
function applyJson(text: string, run: readonly JsonPatch[], first: number, file: string | undefined): string {
  const label = (p: JsonPatch, i: number): string => p.source ?? `patch ${first + i + 1}`;
  let value = singleDocumentJson(text, file ?? "config");
  if (value === undefined) throw multiDocumentError(run.find((p) => p.unread !== undefined)?.unread, label(run[0], 0));
  if (!isObject(value)) throw new TalcError("the config is not a mapping", { code: "config-document", stage: "patch", file });
  run.forEach((p, i) => {
    value = applyOperations(value as Obj, p.ops, label(p, i), "the config", { json: p.json }) as JsonValue;
  });
  try {
    return jsonToYaml(value);
  } catch (e) {
    // what the patched config holds and cannot be written back: name the patch that left it so
    if (!(e instanceof TalcError) || e.file !== undefined) throw e;
    throw new TalcError(`after this JSON6902 patch, ${e.message}`, { code: e.code, stage: e.stage, file: label(run[run.length - 1], run.length - 1), path: e.path });
  }
}
