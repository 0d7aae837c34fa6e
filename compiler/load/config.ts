// Reads Talos machine config files: one or more YAML documents. Reading is
// strict (duplicate keys, bad syntax and alias bombs are errors with a line)
// and never lets a document key touch an object's prototype.

import { LineCounter, parseAllDocuments } from "yaml";
import { TalcError } from "../errors.ts";

/** One document of a machine config, as plain data. */
export type ConfigDocument = Record<string, unknown>;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

// Rebuilds parsed data on null-prototype-free plain objects, refusing keys that
// could reach a prototype when later code merges or indexes by them.
function sanitize(value: unknown, file: string, path: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => sanitize(v, file, `${path}[${i}]`));
  if (value instanceof Map) {
    throw new TalcError(`a mapping key that is not a string, at ${path || "the document root"}; Talos keys are strings`, {
      code: "yaml-key",
      stage: "load",
      file,
      path,
    });
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const childPath = path === "" ? k : `${path}.${k}`;
      if (FORBIDDEN_KEYS.has(k)) {
        throw new TalcError(`key "${k}" is not allowed; it is never a Talos field`, { code: "yaml-key", stage: "load", file, path: childPath });
      }
      Object.defineProperty(out, k, { value: sanitize(v, file, childPath), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/**
 * Parses a multi-document YAML text. Empty documents (a lone `---`) are
 * dropped, as Talos drops them.
 */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: unknown[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err !== undefined) {
      const line = lineCounter.linePos(err.pos[0]).line;
      throw new TalcError(`not valid YAML: ${err.message.split("\n")[0].toLowerCase()}`, { code: "yaml-syntax", stage: "load", file, line });
    }
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100, mapAsMap: true });
    } catch (e) {
      throw new TalcError(`not valid YAML: ${(e as Error).message.toLowerCase()}`, { code: "yaml-syntax", stage: "load", file });
    }
    out.push(sanitize(mapsToObjects(value), file, ""));
  }
  return out;
}

// `mapAsMap` keeps non-string keys visible as Maps; string-keyed maps become objects.
function mapsToObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mapsToObjects);
  if (value instanceof Map) {
    if (![...value.keys()].every((k) => typeof k === "string")) return value;
    const entries: Array<[string, unknown]> = [...value.entries()].map(([k, v]) => [k as string, mapsToObjects(v)]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Parses a machine config: every document must be a mapping. */
export function parseConfig(text: string, file: string): ConfigDocument[] {
  return parseYamlDocuments(text, file).map((doc, i) => {
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new TalcError(`document ${i + 1} is not a mapping; a Talos config document is a mapping with apiVersion and kind, or version: v1alpha1`, {
        code: "config-document",
        stage: "load",
        file,
      });
    }
    return doc as ConfigDocument;
  });
}
