// Reads Talos machine config files: one or more YAML documents. Reading is
// strict (duplicate keys, bad syntax and alias bombs are errors with a line)
// and never lets a document key touch an object's prototype.

import { yaml } from "../lazy.ts";
import { TalcError } from "../errors.ts";
import { FORBIDDEN_KEYS } from "../value.ts";
import { decodeStdBase64 } from "../secrets/pem.ts";

// go-yaml decodes !!binary with base64.StdEncoding (padding required, only line breaks skipped); the
// library's own decoder also takes spaces and missing padding, which Talos refuses.
const BINARY = {
  tag: "tag:yaml.org,2002:binary",
  default: false,
  resolve: (text: string, onError: (message: string) => void): Uint8Array | string => {
    const bytes = decodeStdBase64(text);
    if (bytes === undefined) onError("a !!binary value that is not base64; Talos reads it as padded standard base64");
    return bytes ?? text;
  },
} as const;

/** One document of a machine config, as plain data. */
export type ConfigDocument = Record<string, unknown>;

// Rebuilds parsed data as plain objects, refusing keys that could reach a
// prototype when later code merges or indexes by them. Values the YAML library
// makes of explicit tags become what go-yaml makes of them (!!binary is its
// decoded text, !!set a mapping of nulls); a recursive alias, which go-yaml
// refuses too, is an error instead of endless recursion.
function sanitize(value: unknown, file: string, path: string, open: Set<object>): unknown {
  const fail = (message: string): never => {
    throw new TalcError(path === "" ? `${message} (at the document root)` : message, { code: "yaml-value", stage: "load", file, path });
  };
  if (typeof value !== "object" || value === null) return value;
  if (open.has(value)) fail("an alias refers to a value that contains it (a recursive alias); Talos refuses it too");
  if (value instanceof Uint8Array) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(value);
    } catch {
      return fail("the !!binary value is not UTF-8 text; Talos config fields hold text");
    }
  }
  if (value instanceof Date) return fail("an explicit !!timestamp; Talos fields that take a time are strings, remove the tag");
  open.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => sanitize(v, file, `${path}[${i}]`, open));
    const entries: Array<[unknown, unknown]> =
      value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value].map((k) => [k, null]) : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      if (typeof k !== "string") fail("a mapping key that is not a string; Talos keys are strings");
      const key = k as string;
      const childPath = path === "" ? key : `${path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) {
        throw new TalcError(`key "${key}" is not allowed; it is never a Talos field`, { code: "yaml-key", stage: "load", file, path: childPath });
      }
      out[key] = sanitize(v, file, childPath, open); // the keys that would reach a prototype were refused above
    }
    return out;
  } finally {
    open.delete(value);
  }
}

/** Refuses text that was not valid UTF-8: decoding turned the bad bytes into U+FFFD, which no config holds on purpose. */
export function assertUtf8(text: string, file: string, stage: string): void {
  const at = text.indexOf("\uFFFD");
  if (at < 0) return;
  const line = text.slice(0, at).split("\n").length;
  throw new TalcError("not valid UTF-8 (or holds the replacement character U+FFFD); save the file as UTF-8", { code: "bad-encoding", stage, file, line });
}

/** Whether a parsed YAML document holds nothing but null (a lone `---`, `--- ~`): Talos's decoder skips those. */
export function isNullDocument(doc: { contents: unknown }): boolean {
  const { isScalar } = yaml();
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
}

/**
 * Parses a multi-document YAML text. Null documents (a lone `---`, `--- ~`)
 * are dropped, as Talos drops them.
 */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  assertUtf8(text, file, "load");
  const { LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false, customTags: [BINARY] });
  const list = Array.isArray(docs) ? docs : [];
  const out: unknown[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err !== undefined) {
      const line = lineCounter.linePos(err.pos[0]).line;
      throw new TalcError(`not valid YAML: ${err.message.split("\n")[0].toLowerCase()}`, { code: "yaml-syntax", stage: "load", file, line });
    }
    if (doc.contents === null || isNullDocument(doc)) continue;
    const line = doc.contents.range === undefined ? undefined : lineCounter.linePos(doc.contents.range[0]).line;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100, mapAsMap: true });
    } catch (e) {
      throw new TalcError(`not valid YAML: ${(e as Error).message.toLowerCase()}`, { code: "yaml-syntax", stage: "load", file, line });
    }
    out.push(sanitize(value, file, "", new Set()));
  }
  return out;
}

/** Parses a machine config: every document must be a mapping. */
export function parseConfig(text: string, file: string): ConfigDocument[] {
  return configDocuments(parseYamlDocuments(text, file), file);
}

/**
 * The documents a YAML reader read from a config file, each of which must be a mapping (a plain
 * object: not a list, nor a scalar the go-yaml reader keeps with its text).
 */
export function configDocuments(docs: readonly unknown[], file: string): ConfigDocument[] {
  docs.forEach((doc, i) => {
    if (typeof doc !== "object" || doc === null || Object.getPrototypeOf(doc) !== Object.prototype) {
      throw new TalcError(`document ${i + 1} is not a mapping; a Talos config document is a mapping with apiVersion and kind, or version: v1alpha1`, {
        code: "config-document",
        stage: "load",
        file,
      });
    }
  });
  return docs as ConfigDocument[];
}
