// A block-style YAML writer with go-yaml's layout at indent 4: nested
// mappings and sequences under a key go to the next multiple of four, the
// content of a sequence item sits two columns after its dash, and empty
// collections are written in flow style. Key order is the caller's: this
// writer takes mappings as ordered entry lists and never reorders them.

import {
  doubleQuoted,
  goFloat,
  isSimpleKey,
  literalBody,
  literalHeader,
  singleQuoted,
  stringStyle,
  yamlDialect,
  type ScalarContext,
  type YamlDialect,
} from "./scalar.ts";

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
function scalarText(v: null | boolean | number | bigint | string, context: ScalarContext, indent: number, dialect: YamlDialect): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : goFloat(v);
  switch (stringStyle(v, context, dialect)) {
    case "plain":
      return v;
    case "single":
      return singleQuoted(v, indent);
    case "double":
      return doubleQuoted(v);
    case "literal":
      return literalHeader(v, BEST_INDENT, dialect.hintLeadingBreak) + "\n" + literalBody(v, indent);
  }
}

// A scalar that ends with a line break (a literal block keeping its last one) leaves the next line already begun.
function lineEnd(text: string): string {
  return /[\n\u2028\u2029]$/u.test(text) ? "" : "\n";
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
  /** The key as written (quoted or not; a complex key with its `? `). */
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

function writeMapping(map: OrderedMap, indent: number, inline: boolean, w: Writer, layout?: LaidOut[]): void {
  const { out, marks } = w;
  const pad = " ".repeat(indent);
  // (an index loop: every node's documents are written here, mostly before V8 optimizes it, and a
  // callback per entry with its pair taken apart allocates at every step)
  for (let i = 0; i < map.entries.length; i++) {
    const key = map.entries[i][0];
    const value = map.entries[i][1];
    const lead = i === 0 && inline ? "" : pad;
    const simple = isSimpleKey(key);
    // a complex key: `? key`, then the value after `:` on a line of its own
    const text = simple ? scalarText(key, "key", indent, w.dialect) : "? " + scalarText(key, "value", nextIndent(indent), w.dialect);
    out.push(lead, text);
    const keyPiece = out.length - 1;
    out.push(simple ? ":" : lineEnd(text) + pad + ":");
    let inner: Layout;
    if (marks !== undefined) {
      inner = layoutOf(value);
      const at: LaidOut = { key, text, line: 0, column: indent, value: inner };
      layout!.push(at);
      marks.push({ piece: keyPiece, at });
    }
    if (simple || isScalar(value) || isEmptyCollection(value) !== undefined) writeValue(value, nextIndent(indent), w, false, inner);
    else {
      // a collection starts on the `:` line, at its own indentation
      out.push(" ".repeat(nextIndent(indent) - indent - 2));
      writeValue(value, nextIndent(indent), w, true, inner);
    }
  }
}

function writeSequence(items: Ordered[], indent: number, inline: boolean, w: Writer, layout?: LaidOut[]): void {
  const { out, marks } = w;
  const pad = " ".repeat(indent);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    out.push(i === 0 && inline ? "" : pad, "-");
    let inner: Layout;
    if (marks !== undefined) {
      inner = layoutOf(item);
      // an item starts after its dash and one space, whatever it is
      const at: LaidOut = { line: 0, column: indent + 2, value: inner };
      layout!.push(at);
      marks.push({ piece: out.length - 1, at });
    }
    writeValue(item, indent + 2, w, true, inner);
  }
}

// Writes what follows a key's colon or an item's dash; `inline`: a collection starts on that line, after one space.
function writeValue(value: Ordered, blockIndent: number, w: Writer, inline: boolean, layout?: Layout): void {
  const { out } = w;
  const flow = isEmptyCollection(value);
  const entries = layout === undefined ? undefined : "map" in layout ? layout.map : layout.seq;
  if (flow !== undefined) {
    out.push(" ", flow, "\n");
  } else if (isScalar(value)) {
    const text = scalarText(value, "value", blockIndent, w.dialect);
    out.push(" ", text, lineEnd(text));
  } else if (inline) {
    out.push(" ");
    if (Array.isArray(value)) writeSequence(value, blockIndent, true, w, entries);
    else writeMapping(value, blockIndent, true, w, entries);
  } else {
    out.push("\n");
    if (Array.isArray(value)) writeSequence(value, blockIndent, false, w, entries);
    else writeMapping(value, blockIndent, false, w, entries);
  }
}

// The output pieces, where keys and items start (when laying out), and the go-yaml release written for.
interface Writer {
  out: string[];
  marks?: Marks;
  dialect: YamlDialect;
}

/** One YAML document, ending with a newline, as the go-yaml release of `dialect` writes it. */
export function writeDocument(root: Ordered, dialect: YamlDialect = yamlDialect()): string {
  const w: Writer = { out: [], dialect };
  const flow = isEmptyCollection(root);
  if (flow !== undefined) return flow + "\n";
  if (isScalar(root)) {
    const text = scalarText(root, "value", 0, dialect);
    return text + lineEnd(text);
  }
  if (Array.isArray(root)) writeSequence(root, 0, false, w);
  else writeMapping(root, 0, false, w);
  return w.out.join("");
}

/** Where each key and list item is in a YAML document as writeDocument writes it. */
export function writeDocumentLayout(root: Ordered, dialect: YamlDialect = yamlDialect()): Layout {
  const layout = layoutOf(root);
  if (layout === undefined) return layout;
  const w: Writer = { out: [], marks: [], dialect };
  const { out, marks } = w;
  if ("seq" in layout) writeSequence(root as Ordered[], 0, false, w, layout.seq);
  else writeMapping(root as OrderedMap, 0, false, w, layout.map);
  // a mark's line is the number of line breaks written before its piece
  let line = 0;
  let piece = 0;
  for (const { piece: at, at: laid } of marks!) {
    for (; piece < at; piece++) for (let i = out[piece].indexOf("\n"); i >= 0; i = out[piece].indexOf("\n", i + 1)) line++;
    laid.line = line;
  }
  return layout;
}

/** Documents joined the way Talos joins them: `---` between, none before the first. */
export function writeDocuments(roots: Ordered[], dialect: YamlDialect = yamlDialect()): string {
  return roots.map((root) => writeDocument(root, dialect)).join("---\n");
}
