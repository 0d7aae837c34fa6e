// Where a finding is: the line and column of a config path in a YAML text
// (for talc's own output, from how the encoder laid it out; for any other
// text, from the `yaml` package's node ranges), and the line of a definition
// path in a cluster file (from a small scan of the object literal it exports).

import type { Document, LineCounter, Node as YamlNode } from "yaml";
import { yaml } from "../lazy.ts";
import { documentLayout, documentText, encodeConfig } from "../emit/encode.ts";
import type { Layout } from "../emit/yaml.ts";
import type { ConfigDocument } from "../load/config.ts";
import type { Contract } from "../talos/contract.ts";
import { isSealed, oncePerSealedAndContract } from "../talos/typed.ts";
import { runMap } from "./provenance.ts";
import { child, parsePath } from "./util.ts";

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Finds config paths in one YAML text of one or more documents. */
export interface YamlLocator {
  /**
   * The position of `path` in the document at `index` (counting only
   * non-empty documents, as the config reader does): the key of the deepest
   * part of the path that exists, so a missing setting points at its parent.
   */
  find(index: number, path: string): Position | undefined;
}

// A parsed document with its line counter; documents repeat word for word across the nodes of a
// cluster (everything but the node's own settings), so each distinct text is parsed once per lint run.
interface ParsedDocument {
  doc: Document.Parsed;
  lines: LineCounter;
}

// Only the nodes of one cluster share texts: the parses last for its lint run and go with it.
function parsed(text: string): ParsedDocument {
  const parsedDocuments = runMap<string, ParsedDocument>(parsed);
  let hit = parsedDocuments.get(text);
  if (hit === undefined) {
    const { LineCounter, parseDocument } = yaml();
    const lines = new LineCounter();
    hit = { doc: parseDocument(text, { lineCounter: lines, uniqueKeys: false }), lines };
    parsedDocuments.set(text, hit);
  }
  return hit;
}

// A line that separates documents: "---" alone or before a space; elsewhere such text would be indented or quoted.
const DOCUMENT_SEPARATOR = /^---(\s.*)?$/;
// A document of nothing but comments and blank space, which the config reader skips.
const COMMENTS_ONLY = /^(\s*#.*\n?)*\s*$/;

// The text between separators is a document unless it is blank or only comments.
function hasContent(body: string): boolean {
  return body.trim() !== "" && !COMMENTS_ONLY.test(body);
}

// A document of a text, parsed on its first look-up.
interface DocumentPart {
  text: string;
  firstLine: number;
  parsed?: ParsedDocument;
}

// The documents of a text with the line each starts on (see DOCUMENT_SEPARATOR). What follows a
// separator on its line ("--- {a: 1}") is the next document's: that line starts it, the marker blanked,
// so lines and columns stay where they are in the text.
function splitDocuments(text: string): DocumentPart[] {
  const out: DocumentPart[] = [];
  const lines = text.split("\n");
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || DOCUMENT_SEPARATOR.test(lines[i])) {
      const body = lines.slice(start, i).join("\n");
      if (hasContent(body)) out.push({ text: body + "\n", firstLine: start + 1 });
      if (i < lines.length) lines[i] = "   " + lines[i].slice(3);
      start = i;
    }
  }
  return out;
}

/** Parses a text lazily, a document at a time, for any number of look-ups. */
export function yamlLocator(text: string): YamlLocator {
  let documents: ReturnType<typeof splitDocuments> | undefined;
  return {
    find(index, path) {
      documents ??= splitDocuments(text);
      const part = documents[index];
      if (part === undefined) return undefined;
      const { doc, lines } = (part.parsed ??= parsed(part.text));
      const { isMap, isScalar, isSeq } = yaml();
      const pos = (offset: number): Position => {
        const p = lines.linePos(offset);
        return { line: p.line + part.firstLine - 1, column: p.col };
      };
      let node = doc.contents as YamlNode | null;
      // a document is located at its first line
      let best: Position | undefined = node?.range ? pos(node.range[0]) : undefined;
      for (const seg of parsePath(path)) {
        if (node === null) break;
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
          if (pair === undefined) break;
          const key = pair.key as YamlNode;
          if (key.range) best = pos(key.range[0]);
          node = (pair.value as YamlNode | null) ?? null;
        } else if (isSeq(node) && typeof seg === "number") {
          const item = node.items[seg] as YamlNode | undefined;
          if (item === undefined) break;
          if (item.range) best = pos(item.range[0]);
          node = item;
        } else {
          break;
        }
      }
      return best;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Locating in talc's own encoding without reading it back

// A key the `yaml` package reads back as the very string written (plain, or quoted without escapes).
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const CORE_NON_STRINGS = new Set(["true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"]);
const PRINTABLE = /^[\x20-\x7e]*$/;

function readsBackAsItself(key: string, text: string): boolean {
  if (text === key) return PLAIN_KEY.test(key) && !CORE_NON_STRINGS.has(key);
  if (!PRINTABLE.test(key)) return false;
  if (text === `'${key}'`) return !key.includes("'");
  if (text === `"${key}"`) return !key.includes('"') && !key.includes("\\");
  return false;
}

function keysReadBack(layout: Layout): boolean {
  if (layout === undefined) return true;
  if ("seq" in layout) return layout.seq.every((item) => keysReadBack(item.value));
  return layout.map.every((e) => readsBackAsItself(e.key!, e.text!) && keysReadBack(e.value));
}

// What the locator needs of one sealed document: how many lines its text has, whether splitDocuments
// sees it as exactly one document, and (on first use) its layout, unless a key would not read back as written.
interface DocumentLines {
  lines: number;
  whole: boolean;
  layout?: { layout: Layout } | null;
}

// Sealed documents never change, and a role's nodes share most of theirs: each is measured (and laid out)
// once for the contract whose release writes it (a few strings are written differently per release).
const linesOf = oncePerSealedAndContract((doc: ConfigDocument, contract: Contract): DocumentLines => {
  const text = documentText(doc, contract);
  const lines = text.split("\n");
  // the same tests splitDocuments makes: no line of the text separates documents, and the text has content
  const whole = text.endsWith("\n") && !lines.some((l) => DOCUMENT_SEPARATOR.test(l)) && hasContent(text.slice(0, -1));
  return { lines: lines.length - 1, whole };
});

// Layouts are also shared by text, for documents alike in content but not the same object (nodes
// given the same patch): with every key reading back as written, the text decides where everything
// is. Such documents are a cluster's own, so the layouts last for its lint run and go with it.
function layoutOf(doc: ConfigDocument, info: DocumentLines, contract: Contract): Layout | null {
  if (info.layout === undefined) {
    const text = documentText(doc, contract);
    const layoutsByText = runMap<string, { layout: Layout } | null>(layoutOf);
    let laid = layoutsByText.get(text);
    if (laid === undefined) {
      const layout = documentLayout(doc, contract);
      laid = keysReadBack(layout) ? { layout } : null;
      layoutsByText.set(text, laid);
    }
    info.layout = laid;
  }
  return info.layout === null ? null : info.layout.layout;
}

/**
 * A locator for a text that is exactly talc's encoding of sealed documents:
 * positions come from where the encoder put each key and list item, the same
 * ones reading the text back gives, as the contract's release writes it. Undefined for any other text; a document
 * whose keys would not read back as written is read back after all.
 */
export function encodedLocator(text: string, docs: readonly ConfigDocument[], contract: Contract): YamlLocator | undefined {
  if (docs.length === 0 || !docs.every(isSealed) || encodeConfig(docs, contract) !== text) return undefined;
  let parsed: YamlLocator | undefined;
  return {
    find(index, path) {
      const doc = docs[index];
      if (doc === undefined) return undefined;
      // where a document starts depends only on the documents before it (and each must be one document to the reader)
      let firstLine = 1;
      for (let i = 0; i < index; i++) {
        const before = linesOf(docs[i], contract);
        if (!before.whole) return (parsed ??= yamlLocator(text)).find(index, path);
        firstLine += before.lines + 1;
      }
      const info = linesOf(doc, contract);
      const layout = info.whole ? layoutOf(doc, info, contract) : null;
      if (layout === null) return (parsed ??= yamlLocator(text)).find(index, path);
      // a document is located at its first line
      let best: Position = { line: firstLine, column: 1 };
      let node = layout;
      for (const seg of parsePath(path)) {
        if (node === undefined) break;
        const at = "map" in node ? node.map.find((e) => e.key === String(seg)) : typeof seg === "number" ? node.seq[seg] : undefined;
        if (at === undefined) break;
        best = { line: firstLine + at.line, column: at.column + 1 };
        node = at.value;
      }
      return best;
    },
  };
}

type Token = { t: "punct"; v: string; at: number } | { t: "key"; v: string; at: number } | { t: "other"; at: number };

// Splits TypeScript source into the tokens the definition scan needs: brackets,
// colons, commas, and names or string literals (with their offset). Comments,
// template literals and regular expressions are skipped well enough for cluster files.
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === "/" && src[i + 1] === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (ch === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (ch === '"' || ch === "'") {
      const start = i;
      let v = "";
      i++;
      while (i < src.length && src[i] !== ch) {
        if (src[i] === "\\") {
          v += src[i + 1] ?? "";
          i += 2;
        } else v += src[i++];
      }
      i++;
      out.push({ t: "key", v, at: start });
    } else if (ch === "`") {
      const start = i;
      i++;
      let depth = 0;
      while (i < src.length && !(src[i] === "`" && depth === 0)) {
        if (src[i] === "\\") i++;
        else if (src[i] === "$" && src[i + 1] === "{") {
          depth++;
          i++;
        } else if (src[i] === "}" && depth > 0) depth--;
        i++;
      }
      i++;
      out.push({ t: "other", at: start });
    } else if ("{}[](),:".includes(ch)) {
      out.push({ t: "punct", v: ch, at: i });
      i++;
    } else if (/[A-Za-z0-9_$]/.test(ch)) {
      const start = i;
      while (i < src.length && /[A-Za-z0-9_$.]/.test(src[i])) i++;
      out.push({ t: "key", v: src.slice(start, i), at: start });
    } else if (/\s/.test(ch)) {
      i++;
    } else {
      out.push({ t: "other", at: i });
      i++;
    }
  }
  return out;
}

/** Finds definition paths (`nodes[2].install.disk`) in a cluster file. */
export interface DefinitionLocator {
  /** The 1-based line of the deepest part of `path` written literally in the file. */
  line(path: string): number | undefined;
}

/**
 * Scans the object literal passed to `defineCluster(...)` (else the first
 * `export default {`): object keys and array elements are mapped to the line
 * they start on. Values computed by code (a helper call, a variable) are
 * located where they are written, not where they are computed.
 */
export function definitionLocator(source: string): DefinitionLocator {
  const tokens = tokenize(source);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const lines = new Map<string, number>();
  let start = tokens.findIndex((t, i) => t.t === "key" && t.v === "defineCluster" && tokens[i + 1]?.t === "punct" && (tokens[i + 1] as { v: string }).v === "(");
  start = start < 0 ? tokens.findIndex((t) => t.t === "punct" && t.v === "{") : start + 2;
  if (start >= 0 && tokens[start]?.t === "punct" && (tokens[start] as { v: string }).v === "{") {
    let i = start;
    // walks one value starting at tokens[i], recording paths; returns the index after it
    const value = (path: string): void => {
      const tok = tokens[i];
      if (tok === undefined) return;
      if (path !== "" && !lines.has(path)) lines.set(path, lineOf(tok.at));
      if (tok.t === "punct" && tok.v === "{") {
        i++;
        while (i < tokens.length) {
          const t = tokens[i];
          if (t.t === "punct" && t.v === "}") {
            i++;
            return;
          }
          if (t.t === "punct" && t.v === ",") {
            i++;
            continue;
          }
          if (t.t === "key" && tokens[i + 1]?.t === "punct" && (tokens[i + 1] as { v: string }).v === ":") {
            const key = t.v;
            // a top-level key is written as it is, even one child() would quote
            const keyPath = path === "" ? key : child(path, key);
            lines.set(keyPath, lineOf(t.at));
            i += 2;
            const before = lines.get(keyPath);
            value(keyPath);
            lines.set(keyPath, before!);
            continue;
          }
          skip();
        }
        return;
      }
      if (tok.t === "punct" && tok.v === "[") {
        i++;
        let n = 0;
        while (i < tokens.length) {
          const t = tokens[i];
          if (t.t === "punct" && t.v === "]") {
            i++;
            return;
          }
          if (t.t === "punct" && t.v === ",") {
            i++;
            continue;
          }
          value(child(path, n++));
        }
        return;
      }
      skip();
    };
    // skips one expression up to the next comma or closing bracket at this depth
    const skip = (): void => {
      let depth = 0;
      while (i < tokens.length) {
        const t = tokens[i];
        if (t.t === "punct") {
          if (t.v === "{" || t.v === "[" || t.v === "(") depth++;
          else if (t.v === "}" || t.v === "]" || t.v === ")") {
            if (depth === 0) return;
            depth--;
          } else if (t.v === "," && depth === 0) return;
        }
        i++;
      }
    };
    value("");
  }
  return {
    line(path) {
      let p = path;
      for (;;) {
        const found = lines.get(p);
        if (found !== undefined) return found;
        const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
        if (cut <= 0) return undefined;
        p = p.slice(0, cut);
      }
    },
  };
}
