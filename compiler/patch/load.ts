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
import { readGoYamlDocuments, type GoYamlDocument } from "./yaml.ts";

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

function kindOf(value: unknown): string {
  return Array.isArray(value) ? "a list" : typeof value === "string" ? "a string" : "a scalar";
}

// Reads the YAML of a patch as the go-yaml release of the patch's Talos does.
function readPatchYaml(text: string, source: string, contract: PatchOptions["contract"]): GoYamlDocument[] {
  const docs = readGoYamlDocuments(text, source);
  const first = docs[0];
  if (first?.bareEnd && contract !== undefined && !gates(contract).bareDocumentEnd) {
    throw new TalcError(
      `not valid YAML for talos ${contract}: a document end marker (...) with no document before it, which its YAML reader refuses (from talos 1.14 it is read as no document); remove the "..." line or put a document before it`,
      { code: "yaml-syntax", stage: "patch", file: source, line: first.line },
    );
  }
  return docs;
}

// The patch as strategic documents, as Talos's config loader reads it: null documents skipped, every other one a mapping.
function strategicPatch(docs: readonly GoYamlDocument[], source: string, contract: PatchOptions["contract"]): StrategicPatch {
  const present = docs.filter((d) => d.value !== null);
  if (present.length === 0) {
    const what = docs.length === 0 ? "it is empty or only comments" : `its ${plural(docs.length, "one document is", `${docs.length} documents are`)} null`;
    throw new TalcError(`the patch has no documents: ${what}`, { code: "patch-empty", stage: "patch", file: source });
  }
  const bad = present.find((d) => !isObject(d.value));
  if (bad !== undefined) {
    throw new TalcError(
      `document ${bad.number} of the patch is ${kindOf(bad.value)}, not a mapping; a strategic patch is one or more partial Talos documents (mappings), a JSON6902 patch one list of operations`,
      { code: "patch-document", stage: "patch", file: source, path: `document ${bad.number}`, line: bad.line },
    );
  }
  const values = present.map((d) => d.value);
  const uniqueDocuments = contract !== undefined && !gates(contract).duplicatePatchDocuments;
  prepareStrategic(values, typeSystem(contract), source, { uniqueDocuments, numbers: present.map((d) => d.number) });
  return new StrategicPatch(values, source);
}

// JSON6902 operations in YAML, as talosctl reads them: from the first YAML document only, which
// may be null (no operations). Undefined when that document is not a list of operations.
function yamlOperations(docs: readonly GoYamlDocument[], source: string, strategicError: TalcError): JsonPatch | undefined {
  const [first, ...rest] = docs;
  if (first !== undefined && !first.empty && !(Array.isArray(first.value) && first.value.every(isObject))) return undefined;
  const ops = first === undefined || first.empty ? [] : (first.value as JsonPatch["ops"]);
  const later = rest.filter((d) => !d.empty).map((d) => d.number);
  if (later.length === 0) return new JsonPatch(ops, source);
  const others = `${plural(later.length, "document", "documents")} ${later.join(", ")}`;
  // why the text is no strategic patch, unless that is plain: a document is a list or a scalar
  const why = strategicError.code === "patch-document" ? "" : ` (it is no strategic patch: ${strategicError.message})`;
  const unread = first.empty
    ? `talosctl reads this patch as an empty JSON6902 patch${why}: it takes operations from the first YAML document only, which is empty, and ignores ${others}; remove the empty document ${first.number}`
    : `talosctl takes JSON6902 operations from the first YAML document only and ignores ${others}; put every operation in one list`;
  return new JsonPatch(ops, source, undefined, unread);
}

/**
 * Decides what a patch text is and loads it, as Talos's LoadPatch does: the
 * strategic documents when the text loads as a config (null documents
 * skipped), else JSON6902 operations as JSON, else from the text's first
 * YAML document (none, or a null one, is an empty list). Strategic documents
 * are checked (decoded strictly) here, so a bad patch fails when loaded,
 * naming the patch, the document and the path.
 */
export function parsePatch(text: string, source: string, opts: Pick<PatchOptions, "contract"> = {}): Patch {
  let strategicError: TalcError;
  // The YAML is read once: as strategic documents first, else (below) as a list of operations.
  let docs: GoYamlDocument[] | undefined;
  try {
    docs = readPatchYaml(text, source, opts.contract);
    return strategicPatch(docs, source, opts.contract);
  } catch (e) {
    if (!(e instanceof TalcError)) throw e;
    strategicError = e;
  }

  // JSON6902 as JSON
  let jsonError: TalcError | undefined;
  try {
    const ops: unknown = JSON.parse(text);
    if (Array.isArray(ops)) return new JsonPatch(ops as JsonPatch["ops"], source, undefined, undefined, true);
    jsonError = new TalcError("a JSON6902 patch is a JSON list of operations", { code: "json-patch", stage: "patch", file: source });
  } catch (e) {
    jsonError = new TalcError(`not a JSON6902 patch: ${(e as Error).message.toLowerCase()}`, { code: "json-patch", stage: "patch", file: source });
  }

  // JSON6902 as YAML
  const ops = docs === undefined ? undefined : yamlOperations(docs, source, strategicError);
  if (ops !== undefined) return ops;
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
