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

function writeMapping(map: OrderedMap, indent: number, inline: boolean, out: string[]): void {
  const pad = " ".repeat(indent);
  map.entries.forEach(([key, value], i) => {
    out.push(i === 0 && inline ? "" : pad, scalarText(key, "key", indent), ":");
    writeValue(value, nextIndent(indent), nextIndent(indent), out);
  });
}

function writeSequence(items: Ordered[], indent: number, inline: boolean, out: string[]): void {
  const pad = " ".repeat(indent);
  items.forEach((item, i) => {
    out.push(i === 0 && inline ? "" : pad, "-");
    writeValue(item, indent + 2, indent + 2, out, true);
  });
}

// Writes what follows a key's colon or an item's dash.
function writeValue(value: Ordered, blockIndent: number, scalarIndent: number, out: string[], inItem = false): void {
  const flow = isEmptyCollection(value);
  if (flow !== undefined) {
    out.push(" ", flow, "\n");
  } else if (isScalar(value)) {
    out.push(" ", scalarText(value, "value", scalarIndent), "\n");
  } else if (inItem) {
    out.push(" ");
    if (Array.isArray(value)) writeSequence(value, blockIndent, true, out);
    else writeMapping(value, blockIndent, true, out);
  } else {
    out.push("\n");
    if (Array.isArray(value)) writeSequence(value, blockIndent, false, out);
    else writeMapping(value, blockIndent, false, out);
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

/** Documents joined the way Talos joins them: `---` between, none before the first. */
export function writeDocuments(roots: Ordered[]): string {
  return roots.map(writeDocument).join("---\n");
}
