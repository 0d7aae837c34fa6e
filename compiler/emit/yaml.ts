// A block-style YAML writer with go-yaml's layout at indent 4: nested
// mappings and sequences under a key go to the next multiple of four, the
// content of a sequence item sits two columns after its dash, and empty
// collections are written in flow style. Key order is the caller's: this
// writer takes mappings as ordered entry lists and never reorders them.

import { doubleQuoted, goFloat, literalHeader, literalLines, singleQuoted, stringStyle, type ScalarContext } from "./scalar.ts";

/** A mapping whose key order is already decided. */
export class OrderedMap {
  /** The entries in the order they are written. */
  readonly entries: ReadonlyArray<readonly [string, Ordered]>;
  constructor(entries: ReadonlyArray<readonly [string, Ordered]>) {
    this.entries = entries;
  }
}

/** A value ready to be written: scalars, lists and ordered mappings. */
export type Ordered = null | boolean | number | bigint | string | Ordered[] | OrderedMap;

const BEST_INDENT = 4;

// Where a nested block starts when it hangs off a mapping key at `indent`.
function nextIndent(indent: number): number {
  return BEST_INDENT * Math.floor((indent + BEST_INDENT) / BEST_INDENT);
}

function isEmptyCollection(v: Ordered): string | undefined {
  if (Array.isArray(v) && v.length === 0) return "[]";
  if (v instanceof OrderedMap && v.entries.length === 0) return "{}";
  return undefined;
}

function isScalar(v: Ordered): v is null | boolean | number | bigint | string {
  return v === null || typeof v !== "object";
}

/** The text of a scalar; literal blocks span lines, their body indented by `indent`. */
function scalarText(v: null | boolean | number | bigint | string, context: ScalarContext, indent: number): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : goFloat(v);
  switch (stringStyle(v, context)) {
    case "plain":
      return v;
    case "single":
      return singleQuoted(v);
    case "double":
      return doubleQuoted(v);
    case "literal": {
      const pad = " ".repeat(indent);
      const body = literalLines(v).map((line) => (line === "" ? "" : pad + line));
      return literalHeader(v, BEST_INDENT) + "\n" + body.join("\n");
    }
  }
}

/**
 * Where the keys and list items of a written value are, for locating a config
 * path in the text without reading it back: each entry's 0-based line in the
 * document and 0-based column, a key with its written text. Scalars and empty
 * collections have none (undefined).
 */
export type Layout = { map: LaidOut[] } | { seq: LaidOut[] } | undefined;

/** One key (with `key` and `text`) or list item of a laid-out collection. */
export interface LaidOut {
  key?: string;
  /** The key as written (quoted or not). */
  text?: string;
  line: number;
  column: number;
  value: Layout;
}

// While writing: which output piece each key or item starts its line in; lines are counted once the text is complete.
type Marks = Array<{ piece: number; at: LaidOut }>;

function layoutOf(value: Ordered): Layout {
  if (isEmptyCollection(value) !== undefined || isScalar(value)) return undefined;
  return Array.isArray(value) ? { seq: [] } : { map: [] };
}

function writeMapping(map: OrderedMap, indent: number, inline: boolean, out: string[], marks?: Marks, layout?: LaidOut[]): void {
  const pad = " ".repeat(indent);
  map.entries.forEach(([key, value], i) => {
    out.push(i === 0 && inline ? "" : pad, scalarText(key, "key", indent), ":");
    let inner: Layout;
    if (marks !== undefined) {
      inner = layoutOf(value);
      const at: LaidOut = { key, text: out[out.length - 2], line: 0, column: indent, value: inner };
      layout!.push(at);
      marks.push({ piece: out.length - 2, at });
    }
    writeValue(value, nextIndent(indent), out, false, marks, inner);
  });
}

function writeSequence(items: Ordered[], indent: number, inline: boolean, out: string[], marks?: Marks, layout?: LaidOut[]): void {
  const pad = " ".repeat(indent);
  items.forEach((item, i) => {
    out.push(i === 0 && inline ? "" : pad, "-");
    let inner: Layout;
    if (marks !== undefined) {
      inner = layoutOf(item);
      // an item starts after its dash and one space, whatever it is
      const at: LaidOut = { line: 0, column: indent + 2, value: inner };
      layout!.push(at);
      marks.push({ piece: out.length - 1, at });
    }
    writeValue(item, indent + 2, out, true, marks, inner);
  });
}

// Writes what follows a key's colon or an item's dash.
function writeValue(value: Ordered, blockIndent: number, out: string[], inItem: boolean, marks?: Marks, layout?: Layout): void {
  const flow = isEmptyCollection(value);
  const entries = layout === undefined ? undefined : "map" in layout ? layout.map : layout.seq;
  if (flow !== undefined) {
    out.push(" ", flow, "\n");
  } else if (isScalar(value)) {
    out.push(" ", scalarText(value, "value", blockIndent), "\n");
  } else if (inItem) {
    out.push(" ");
    if (Array.isArray(value)) writeSequence(value, blockIndent, true, out, marks, entries);
    else writeMapping(value, blockIndent, true, out, marks, entries);
  } else {
    out.push("\n");
    if (Array.isArray(value)) writeSequence(value, blockIndent, false, out, marks, entries);
    else writeMapping(value, blockIndent, false, out, marks, entries);
  }
}

/** One YAML document, ending with a newline. */
export function writeDocument(root: Ordered): string {
  const out: string[] = [];
  const flow = isEmptyCollection(root);
  if (flow !== undefined) return flow + "\n";
  if (isScalar(root)) return scalarText(root, "value", 0) + "\n";
  if (Array.isArray(root)) writeSequence(root, 0, false, out);
  else writeMapping(root, 0, false, out);
  return out.join("");
}

/** Where each key and list item is in a YAML document as writeDocument writes it. */
export function writeDocumentLayout(root: Ordered): Layout {
  const layout = layoutOf(root);
  if (layout === undefined) return layout;
  const out: string[] = [];
  const marks: Marks = [];
  if ("seq" in layout) writeSequence(root as Ordered[], 0, false, out, marks, layout.seq);
  else writeMapping(root as OrderedMap, 0, false, out, marks, layout.map);
  // a mark's line is the number of line breaks written before its piece
  let line = 0;
  let piece = 0;
  for (const { piece: at, at: laid } of marks) {
    for (; piece < at; piece++) for (let i = out[piece].indexOf("\n"); i >= 0; i = out[piece].indexOf("\n", i + 1)) line++;
    laid.line = line;
  }
  return layout;
}

/** Documents joined the way Talos joins them: `---` between, none before the first. */
export function writeDocuments(roots: Ordered[]): string {
  return roots.map(writeDocument).join("---\n");
}
