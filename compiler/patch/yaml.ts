// Reads YAML the way Talos's go-yaml does, for patches and configs given to
// the patch engine. The difference from a YAML 1.2 reader matters because
// Talos decodes into typed fields: a plain scalar keeps its source text
// (a string field gets `1.10`, not 1.1), and numbers follow Go's rules
// (`0777` is octal, `1_000` is a thousand). Plain scalars that go-yaml reads
// as numbers or booleans become YamlScalar; decoding resolves them.

import type { Alias, Document, LineCounter, Node } from "yaml";
import { yaml } from "../lazy.ts";
import { TalcError } from "../errors.ts";
import { goNumber, readsAsNonString } from "../emit/scalar.ts";
import { assertUtf8, isNullDocument } from "../load/config.ts";
import { YamlScalar, isObject, markNonStringKeys, setKey, type Obj } from "../talos/typed.ts";
import { FORBIDDEN_KEYS } from "../value.ts";
import { decodeStdBase64 } from "../secrets/pem.ts";

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["true", "True", "TRUE"]);
const FALSES = new Set(["false", "False", "FALSE"]);
const SPECIAL_FLOATS: Record<string, number> = {
  ".nan": NaN, ".NaN": NaN, ".NAN": NaN,
  ".inf": Infinity, ".Inf": Infinity, ".INF": Infinity,
  "+.inf": Infinity, "+.Inf": Infinity, "+.INF": Infinity,
  "-.inf": -Infinity, "-.Inf": -Infinity, "-.INF": -Infinity,
  "-0": -0, "-0.0": -0,
};
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ].*)?$/;
// Expansion limits against alias bombs (go-yaml refuses them too), for this reader and jsonyaml.ts's.
const MAX_ALIASES = 1000;
const MAX_NODES = 1_000_000;

/** What go-yaml resolves an untagged plain scalar to: null, a YamlScalar, or the text itself. */
function resolvePlain(text: string): null | string | YamlScalar {
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return new YamlScalar(text, true);
  if (FALSES.has(text)) return new YamlScalar(text, false);
  if (Object.hasOwn(SPECIAL_FLOATS, text)) return new YamlScalar(text, SPECIAL_FLOATS[text]);
  // what is left is a number, which starts with a digit, a sign or (a float) a dot
  if (!/[-+.0-9]/.test(text[0])) return text;
  // a date or time stays text here: every Talos field that takes one is a string
  if (TIMESTAMP.test(text)) return text;
  const n = goNumber(text);
  return n === undefined ? text : new YamlScalar(text, n);
}

// The text of a !!binary scalar, as go-yaml decodes it (base64.StdEncoding of the scalar's value:
// line breaks skipped, any other space refused); undefined when it is not base64 of UTF-8 text.
function binaryText(text: string): string | undefined {
  const bytes = decodeStdBase64(text);
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function scalarFromTag(tag: string, text: string): null | string | YamlScalar | undefined {
  switch (tag) {
    case "tag:yaml.org,2002:str":
      return text;
    case "tag:yaml.org,2002:binary":
      // go-yaml decodes !!binary into the bytes' text
      return binaryText(text);
    case "tag:yaml.org,2002:null":
      return null;
    case "tag:yaml.org,2002:bool":
    case "tag:yaml.org,2002:int":
    case "tag:yaml.org,2002:float":
      return resolvePlain(text);
    default:
      // go-yaml keeps the text of a scalar with a tag it does not resolve
      return text;
  }
}

/** A walk over one parsed YAML document, turning its nodes into values. */
export interface Walk {
  doc: Document;
  /** The anchored nodes being expanded, to catch an alias inside its own anchor. */
  expanding: Set<unknown>;
  file: string;
  lines: LineCounter;
  aliases: number;
  nodes: number;
  /** The yaml library, loaded once per parse. */
  lib: typeof import("yaml");
}

/** A yaml-syntax TalcError at a node's line. */
export function fail(w: Walk, node: Node | null | undefined, message: string): never {
  const pos = node?.range?.[0];
  throw new TalcError(message, { code: "yaml-syntax", stage: "patch", file: w.file, line: pos === undefined ? undefined : w.lines.linePos(pos).line });
}

/** Counts a node the walk is about to convert, against the expansion limit. */
export function countNode(w: Walk, node: unknown): void {
  if (++w.nodes > MAX_NODES) fail(w, node as Node, "the YAML expands to too many values (alias bomb?)");
}

/**
 * The value an alias stands for, as `convert` makes it of the anchored node, within the
 * expansion limits; `note` ends the message for an alias inside its own anchor.
 */
export function expandAlias<T>(w: Walk, node: Alias, convert: (target: unknown) => T, note = ""): T {
  if (++w.aliases > MAX_ALIASES) fail(w, node, "too many alias expansions");
  const target = node.resolve(w.doc);
  if (target === undefined) fail(w, node, `unknown anchor *${node.source}`);
  if (w.expanding.has(target)) fail(w, node, `anchor &${node.source}'s value contains itself (a recursive alias)${note}`);
  w.expanding.add(target);
  try {
    return convert(target);
  } finally {
    w.expanding.delete(target);
  }
}

// Whether go-yaml resolves a mapping key to a string (isStringMap): a quoted key, a !!str one, or a
// plain one that reads back as a string. `plain` is a plain key's text.
function isStringKey(tag: string | undefined, plain: string | undefined): boolean {
  if (tag !== undefined) return tag === "tag:yaml.org,2002:str";
  return plain === undefined || !readsAsNonString(plain);
}

function convert(node: unknown, w: Walk): unknown {
  countNode(w, node);
  if (node === null || node === undefined) return null;
  const { isAlias, isMap, isPair, isScalar, isSeq } = w.lib;
  if (isAlias(node)) return expandAlias(w, node, (target) => convert(target, w), "; Talos refuses it too");
  if (isScalar(node)) {
    const text = typeof node.value === "string" ? node.value : String(node.source ?? node.value);
    if (node.tag !== undefined) {
      const value = scalarFromTag(node.tag, node.type === "PLAIN" ? String(node.source ?? text) : text);
      if (value === undefined) fail(w, node, "a !!binary value that is not base64 of UTF-8 text; Talos config fields hold text");
      return value;
    }
    if (node.type === "PLAIN") return resolvePlain(String(node.source ?? text));
    return text;
  }
  if (isSeq(node)) return node.items.map((item) => convert(item, w));
  if (isMap(node)) {
    const out: Obj = {};
    const merged: Obj = {};
    let nonStringKey = false;
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (isScalar(key) && (typeof key.value === "symbol" || (key.type === "PLAIN" && key.source === "<<"))) {
        // YAML merge keys: the merged mapping's entries, unless the mapping sets them itself
        const value = convert(pair.value, w);
        const sources = Array.isArray(value) ? value : [value];
        for (const src of sources) {
          // a YamlScalar is an object too, but no mapping
          if (!isObject(src)) fail(w, pair.value as Node, "a merge key (<<) takes a mapping or a list of mappings");
          for (const [k, v] of Object.entries(src as Obj)) if (!Object.hasOwn(merged, k)) setKey(merged, k, v);
        }
        continue;
      }
      if (!isScalar(key)) fail(w, key as Node, "a mapping key that is not a scalar; Talos keys are strings");
      const name = typeof key.value === "string" ? key.value : String(key.source ?? key.value);
      if (!isStringKey(key.tag, key.type === "PLAIN" ? String(key.source ?? name) : undefined)) nonStringKey = true;
      if (FORBIDDEN_KEYS.has(name)) fail(w, key, `key "${name}" is not allowed; it is never a Talos field`);
      setKey(out, name, convert(pair.value, w));
    }
    for (const [k, v] of Object.entries(merged)) if (!Object.hasOwn(out, k)) setKey(out, k, v);
    if (nonStringKey) markNonStringKeys(out);
    return out;
  }
  fail(w, node as Node, "unsupported YAML node");
}

/** Throws a parsed document's first syntax error as a TalcError at its line. */
export function assertParsed(doc: Document, lines: LineCounter, file: string): void {
  const err = doc.errors[0];
  if (err === undefined) return;
  throw new TalcError(`not valid YAML: ${err.message.split("\n")[0].toLowerCase()}`, { code: "yaml-syntax", stage: "patch", file, line: lines.linePos(err.pos[0]).line });
}

/** One YAML document of a text, as go-yaml reads it. */
export interface GoYamlDocument {
  /** The document's value; null for a null document. */
  value: unknown;
  /** 1-based number among the text's documents, null ones included. */
  number: number;
  /** 1-based line of the document's value (of its start, for a null document without one). */
  line: number;
  /** Nothing but null: a lone `---`, `--- ~`, only comments (what go-yaml decodes to nil). */
  empty: boolean;
  /**
   * A bare document end marker (`...`) before any document: go-yaml up to
   * v4.0.0-rc.4 (Talos 1.12 and 1.13) refuses it, rc.6 (Talos 1.14) reads no document.
   */
  bareEnd: boolean;
}

/**
 * Reads every document of a multi-document YAML text as go-yaml does, null
 * documents included. Syntax errors and duplicate keys are TalcErrors with
 * a line.
 */
export function readGoYamlDocuments(text: string, file: string): GoYamlDocument[] {
  assertUtf8(text, file, "patch");
  const lib = yaml();
  const { LineCounter, isScalar, parseAllDocuments } = lib;
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, merge: true, prettyErrors: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc, i) => {
    assertParsed(doc, lines, file);
    const line = lines.linePos((doc.contents?.range ?? doc.range)[0]).line;
    if (isNullDocument(doc)) {
      const c = doc.contents;
      const bareEnd = i === 0 && doc.directives.docStart === null && (c === null || (isScalar(c) && c.source === "" && c.tag === undefined && c.anchor === undefined));
      return { value: null, number: i + 1, line, empty: true, bareEnd };
    }
    // a null-tagged value that is no null (`!!null x`) is null here as well: Talos's loader skips it by its tag
    const value = convert(doc.contents, { doc, file, lines, aliases: 0, nodes: 0, expanding: new Set(), lib });
    return { value, number: i + 1, line, empty: false, bareEnd: false };
  });
}

/**
 * Parses a multi-document YAML text as go-yaml reads it. Null documents are
 * dropped. Syntax errors and duplicate keys are TalcErrors with a line.
 */
export function parseGoYaml(text: string, file: string): unknown[] {
  return readGoYamlDocuments(text, file)
    .map((d) => d.value)
    .filter((v) => v !== null);
}
