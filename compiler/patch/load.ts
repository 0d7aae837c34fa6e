// Loading patches the way talosctl's LoadPatches does: `@file`, a bare file
// name, or inline YAML/JSON; and deciding, as Talos's LoadPatch does, what a
// text is: a strategic merge patch if it loads as config documents,
// otherwise JSON6902 operations written as JSON or as a YAML list.

import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { TalcError } from "../errors.ts";
import { gates } from "../talos/contract.ts";
import { isObject, typeSystem } from "../talos/typed.ts";
import { prepareStrategic } from "./strategic.ts";
import { JsonPatch, StrategicPatch, type Patch, type PatchOptions } from "./types.ts";
import { parseGoYaml } from "./yaml.ts";

/**
 * Decides what a patch text is and loads it. Strategic documents are
 * checked (decoded strictly) here, so a bad patch fails when loaded, naming
 * the patch, the document and the path.
 */
export function parsePatch(text: string, source: string, opts: Pick<PatchOptions, "contract"> = {}): Patch {
  let strategicError: unknown;
  // The YAML is read once: as strategic documents first, else (below) as a list of operations.
  let docs: unknown[] | undefined;
  try {
    docs = parseGoYaml(text, source);
    if (docs.length === 0) throw new TalcError("the patch has no documents", { code: "patch-empty", stage: "patch", file: source });
    if (docs.every(isObject)) {
      const uniqueDocuments = opts.contract !== undefined && !gates(opts.contract).duplicatePatchDocuments;
      prepareStrategic(docs, typeSystem(opts.contract), source, { uniqueDocuments });
      return new StrategicPatch(docs, source);
    }
    throw new TalcError("the patch is not one or more Talos documents (mappings)", { code: "patch-document", stage: "patch", file: source });
  } catch (e) {
    if (!(e instanceof TalcError)) throw e;
    strategicError = e;
  }

  // JSON6902 as JSON
  let jsonError: TalcError | undefined;
  try {
    const ops: unknown = JSON.parse(text);
    if (Array.isArray(ops)) return new JsonPatch(ops as JsonPatch["ops"], source);
    jsonError = new TalcError("a JSON6902 patch is a JSON list of operations", { code: "json-patch", stage: "patch", file: source });
  } catch (e) {
    jsonError = new TalcError(`not a JSON6902 patch: ${(e as Error).message.toLowerCase()}`, { code: "json-patch", stage: "patch", file: source });
  }

  // JSON6902 as a YAML list (an empty text is an empty list, as in Talos)
  if (docs !== undefined) {
    const first = docs[0];
    if (first === undefined) return new JsonPatch([], source);
    if (Array.isArray(first) && first.every(isObject)) return new JsonPatch(first as unknown as JsonPatch["ops"], source);
  }
  if (text.trimStart().startsWith("[")) throw jsonError;
  throw strategicError;
}

/** How to reach patch files. */
export interface LoadOptions extends Pick<PatchOptions, "contract"> {
  /** The folder relative file names are read from. */
  cwd: string;
}

/**
 * Loads one patch given as talosctl takes it: `@file`, inline YAML or JSON,
 * or a bare file name (a value without spaces or newlines that does not
 * start with `[` or `{`).
 */
export async function loadPatch(spec: string, opts: LoadOptions): Promise<Patch> {
  const inline = spec.startsWith("@") ? false : /[\n ]/.test(spec) || spec.startsWith("[") || spec.startsWith("{");
  if (inline) return parsePatch(spec, "inline patch", opts);
  const file = spec.startsWith("@") ? spec.slice(1) : spec;
  const path = isAbsolute(file) ? file : join(opts.cwd, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TalcError(
      code === "ENOENT" ? `patch file not found${spec.startsWith("@") ? "" : "; inline patches contain a space or newline, or start with [ or {"}` : `cannot read the patch file: ${(e as Error).message}`,
      { code: "patch-file", stage: "patch", file },
    );
  }
  return parsePatch(text, file, opts);
}

/** Loads patches in order (see loadPatch). */
export async function loadPatches(specs: readonly string[], opts: LoadOptions): Promise<Patch[]> {
  const out: Patch[] = [];
  for (const spec of specs) out.push(await loadPatch(spec, opts));
  return out;
}
