// The conversions around a JSON6902 patch in Talos. Talos does not apply
// JSON patch operations to its typed config: it converts the config's bytes
// to JSON, applies the operations to the JSON, and converts the result back
// to YAML, with ghodss/yaml v1.0.0 over gopkg.in/yaml.v2 v2.4.0 (the same in
// Talos 1.12, 1.13 and 1.14). Those bytes are the patched config until a
// strategic patch decodes them again, and they are what `talosctl
// machineconfig patch` prints when the last patch is a JSON patch. So:
//
// - reading (`yamlToJson`) follows go-yaml v2, a YAML 1.1 reader: `yes`,
//   `on`, `n` are booleans, comments are dropped, only the first document
//   is read, a later duplicate key wins;
// - writing (`jsonToYaml`) follows go-yaml v2's Marshal of the JSON read
//   back: keys sorted in go-yaml v2's order (runs of digits compare as
//   numbers), two-space indentation, lists not indented under their key,
//   strings folded at 80 columns, YAML 1.1 words quoted, a number written as
//   an integer when its JSON text is one.

import type { Document, LineCounter, Node } from "yaml";
import { TalcError } from "../errors.ts";
import {
  analyzeScalar,
  BASE60_FLOAT,
  escapedChar,
  goFloat,
  goInt,
  goNumber,
  isBreak,
  isPrintable,
  isSimpleKey,
  isTimestamp,
  literalHeader,
  selectStyle,
  type ScalarStyle,
} from "../emit/scalar.ts";
import { yaml } from "../lazy.ts";
import { assertUtf8 } from "../load/config.ts";
import { decodeStdBase64 } from "../secrets/pem.ts";
import { isObject, setKey, type Obj } from "../talos/typed.ts";
import { FORBIDDEN_KEYS } from "../value.ts";
import { assertParsed, countNode, expandAlias, fail, type Walk } from "./yaml.ts";

/** A value as JSON holds it; integers beyond 2^53 are bigints. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------------------
// go-yaml v2's resolver

const V2_WORDS: ReadonlyMap<string, null | boolean | number> = new Map<string, null | boolean | number>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((w) => [w, true] as const),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map((w) => [w, false] as const),
  ...["", "~", "null", "Null", "NULL"].map((w) => [w, null] as const),
  ...[".nan", ".NaN", ".NAN"].map((w) => [w, NaN] as const),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((w) => [w, Infinity] as const),
  ...["-.inf", "-.Inf", "-.INF"].map((w) => [w, -Infinity] as const),
]);

/**
 * What go-yaml v2 resolves an untagged plain scalar to; a string when it is
 * none of null, a boolean or a number. A timestamp stays its text, as v2
 * decodes one into an interface.
 */
function resolveV2(text: string): null | boolean | number | bigint | string {
  const c = text[0];
  // the first character decides what the text may be; most words start with another one
  const signOrDigit = c === "+" || c === "-" || (c >= "0" && c <= "9");
  if (text !== "" && !signOrDigit && c !== "." && !"yYnNtTfFoO~".includes(c)) return text;
  const word = V2_WORDS.get(text);
  if (word !== undefined) return word;
  if ((!signOrDigit && c !== ".") || isTimestamp(text)) return text;
  return goNumber(text) ?? text;
}

/** Whether go-yaml v2 writes a string without quotes, as far as its resolver goes: it reads back as the same string. */
function plainWritable(s: string): boolean {
  return typeof resolveV2(s) === "string" && !(isTimestamp(s) || BASE60_FLOAT.test(s));
}

// ---------------------------------------------------------------------------
// YAML to JSON

// Go's strconv.FormatFloat(f, 'g', -1, 32): the shortest text that reads back as the same float32.
function float32Text(f: number): string {
  const f32 = Math.fround(f);
  if (Number.isNaN(f32) || !Number.isFinite(f32) || f32 === 0) return goFloat(f32);
  for (let p = 1; p <= 9; p++) {
    const shortest = Number(f32.toPrecision(p));
    if (Math.fround(shortest) === f32) return goFloat(shortest);
  }
  return goFloat(f32);
}

// A mapping key as ghodss/yaml makes it a JSON key: go-yaml v2 resolves it, then an
// integer or a boolean becomes its text and a float its text as a float32.
function jsonKey(r: Walk, key: Node | null): string {
  const value = toJson(r, key);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  const scalar = r.lib.isAlias(key) ? key.resolve(r.doc) : key;
  const source = r.lib.isScalar(scalar) ? String(scalar.source ?? scalar.value) : "";
  if (typeof value === "number" && goInt(source.replaceAll("_", "")) === undefined) return float32Text(value);
  if (typeof value === "number" || (typeof value === "bigint" && value <= 2n ** 63n - 1n)) return String(value);
  const what = value === null ? "null" : typeof value === "bigint" ? "an integer beyond int64" : "not a scalar";
  fail(r, key, `a mapping key that is ${what}, which Talos's JSON patch cannot turn into JSON`);
}

function toJson(r: Walk, node: unknown): JsonValue {
  const { isAlias, isMap, isPair, isScalar, isSeq } = r.lib;
  countNode(r, node);
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return expandAlias(r, node, (target) => toJson(r, target));
  if (isScalar(node)) {
    const text = typeof node.value === "string" ? node.value : String(node.source ?? node.value);
    const source = node.type === "PLAIN" ? String(node.source ?? text) : text;
    let value: JsonValue;
    switch (node.tag) {
      case undefined:
        value = node.type === "PLAIN" ? resolveV2(source) : text;
        break;
      case "tag:yaml.org,2002:str":
        return text;
      case "tag:yaml.org,2002:binary": {
        // base64.StdEncoding of the scalar's value, as in yaml.ts
        const bytes = decodeStdBase64(text);
        if (bytes === undefined) fail(r, node, "!!binary value contains invalid base64 data");
        return new TextDecoder("utf-8").decode(bytes);
      }
      case "tag:yaml.org,2002:null":
      case "tag:yaml.org,2002:bool":
      case "tag:yaml.org,2002:int":
      case "tag:yaml.org,2002:float": {
        value = resolveV2(source);
        const tag = node.tag.slice("tag:yaml.org,2002:".length);
        const integer = goInt(source.replaceAll("_", "")) !== undefined;
        const kind = value === null ? "null" : typeof value === "boolean" ? "bool" : typeof value === "string" ? "str" : integer ? "int" : "float";
        // go-yaml v2 takes an integer as a float, and nothing else as another tag
        if (kind !== tag && !(tag === "float" && kind === "int")) fail(r, node, `cannot decode !!${kind} \`${source}\` as a !!${tag}`);
        break;
      }
      default:
        // a tag go-yaml v2 does not resolve leaves the text
        return text;
    }
    return value;
  }
  if (isSeq(node)) return node.items.map((item) => toJson(r, item));
  if (isMap(node)) {
    const out: Obj = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (isScalar(key) && key.type === "PLAIN" && key.source === "<<" && key.tag === undefined) {
        // a merge key: the merged mappings' entries, overwriting those before it; of a list, the first wins
        const merged = pair.value;
        const sources = isSeq(merged) ? [...merged.items].reverse() : [merged];
        for (const src of sources) {
          const value = toJson(r, src);
          if (!isObject(value)) fail(r, src as Node, "a merge key (<<) takes a mapping or a list of mappings");
          for (const [k, v] of Object.entries(value)) setKey(out, k, v as JsonValue);
        }
        continue;
      }
      if (!isScalar(key) && !isAlias(key) && key !== null) fail(r, key as Node, "a mapping key that is not a scalar; Talos keys are strings");
      const name = jsonKey(r, key as Node | null);
      if (FORBIDDEN_KEYS.has(name)) fail(r, key as Node, `key "${name}" is not allowed; it is never a Talos field`);
      // go-yaml v2 lets a later duplicate key win
      setKey(out, name, toJson(r, pair.value));
    }
    return out as JsonValue;
  }
  fail(r, node as Node, "unsupported YAML node");
}

// A text's YAML documents as go-yaml v2 parses them, their syntax errors not yet thrown.
function parseV2(text: string): { lib: typeof import("yaml"); lines: LineCounter; docs: Document.Parsed[] } {
  const lib = yaml();
  const lines = new lib.LineCounter();
  const docs = lib.parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, merge: false, prettyErrors: false, strict: false });
  return { lib, lines, docs: Array.isArray(docs) ? docs : [] };
}

// The first document of a parsed text as JSON data; null when there is none.
function firstDocumentJson({ lib, lines, docs }: ReturnType<typeof parseV2>, file: string): JsonValue {
  const doc = docs[0];
  if (doc === undefined) return null;
  assertParsed(doc, lines, file);
  const value = toJson({ doc, file, lines, lib, expanding: new Set(), aliases: 0, nodes: 0 }, doc.contents);
  const bad = nonFinite(value, "");
  if (bad !== undefined) {
    throw new TalcError(`${bad.path || "the config"} is ${goFloat(bad.value)}, which JSON cannot hold, so Talos's JSON patch cannot convert the config (json: unsupported value)`, {
      code: "json-patch",
      stage: "patch",
      file,
      path: bad.path || undefined,
    });
  }
  return value;
}

/**
 * The first YAML document of a text as Talos's JSON patch reads it (ghodss/yaml's
 * YAMLToJSON over go-yaml v2), as JSON data. Syntax errors are TalcErrors.
 */
export function yamlToJson(text: string, file: string): JsonValue {
  assertUtf8(text, file, "patch");
  return firstDocumentJson(parseV2(text), file);
}

/**
 * A config's text as Talos's JSON patch takes it, parsed once: its one YAML document as
 * yamlToJson reads it, or undefined when the text holds another number of documents (an
 * empty one counts), which Talos refuses. A syntax error in any document is a TalcError first.
 */
export function singleDocumentJson(text: string, file: string): JsonValue | undefined {
  const parsed = parseV2(text);
  for (const doc of parsed.docs) assertParsed(doc, parsed.lines, file);
  if (parsed.docs.length !== 1) return undefined;
  assertUtf8(text, file, "patch");
  return firstDocumentJson(parsed, file);
}

// The first NaN or infinity in a value (what Go's JSON encoder refuses), with its path.
function nonFinite(v: JsonValue, path: string): { path: string; value: number } | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? undefined : { path, value: v };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = nonFinite(v[i], `${path}[${i}]`);
      if (hit !== undefined) return hit;
    }
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const hit = nonFinite(x as JsonValue, path === "" ? k : `${path}.${k}`);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// JSON to YAML

// What the patched config holds that Talos's JSON patch cannot write back; without a file,
// which the caller gives it: the patch that left it (text.ts).
function unwritable(message: string): TalcError {
  return new TalcError(message, { code: "json-patch", stage: "patch" });
}

/**
 * A number as go-yaml v2 writes it after reading Go's JSON text of it: an
 * integer when that text is one that fits 64 bits, else as Go's
 * FormatFloat(f, 'g', -1, 64) writes the float.
 */
function numberText(n: number | bigint): string {
  if (typeof n === "bigint") return n >= -(2n ** 63n) && n < 2n ** 64n ? n.toString() : goFloat(Number(n));
  if (!Number.isFinite(n)) throw unwritable(`the patched config holds ${n}, which JSON cannot hold`);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    // Go writes such a float as its shortest digits, as JavaScript does
    const digits = n.toString();
    const big = BigInt(digits);
    if (big >= -(2n ** 63n) && big < 2n ** 64n) return digits;
  }
  return goFloat(n);
}

// go-yaml v2's order of mapping keys: by character, but a run of digits against a run of digits by their value.
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function keyLess(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] === b[i]) continue;
    const al = LETTER.test(a[i]);
    const bl = LETTER.test(b[i]);
    if (al && bl) return a[i].codePointAt(0)! < b[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (a[i] === "0" || b[i] === "0") {
      // a zero inside a number that has started counts as a digit, not as leading
      for (let j = i - 1; j >= 0 && DIGIT.test(a[j]); j--) {
        if (a[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < a.length && DIGIT.test(a[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(a[ai].codePointAt(0)! - 48));
    let bi = i;
    for (; bi < b.length && DIGIT.test(b[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(b[bi].codePointAt(0)! - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return a[i].codePointAt(0)! < b[i].codePointAt(0)!;
  }
  return a.length < b.length;
}

/**
 * Keys in the order go-yaml v2 writes them. Its order is not always transitive (a1a < a9 < a10 <
 * a1a), and it sorts Go's map keys, which come in random order: for such keys talosctl itself
 * writes one order or another from run to run, and this is one of them.
 */
function sortKeysV2(keys: readonly string[]): string[] {
  const chars = new Map(keys.map((k) => [k, Array.from(k)]));
  return [...keys].sort((x, y) => {
    const a = chars.get(x)!;
    const b = chars.get(y)!;
    return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0;
  });
}

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

/** go-yaml v2's emitter in block style, for the values JSON holds. */
class Emitter {
  out = "";
  column = 0;
  indent = -1;
  private readonly indents: number[] = [];
  whitespace = true;
  indention = true;

  private put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  private putBreak(): void {
    this.out += "\n";
    this.column = 0;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  /** Ends the document on a line of its own. */
  endDocument(): void {
    this.writeIndent();
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }

  private indicator(text: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    for (const ch of text) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** A value; `mapping` when it is a mapping's value, under which a list is not indented (keys are written by the mapping). */
  node(value: JsonValue, mapping: boolean): void {
    if (Array.isArray(value)) {
      if (value.length === 0) return this.emptyCollection("[", "]");
      this.increaseIndent(false, mapping && !this.indention);
      for (const item of value) {
        this.writeIndent();
        this.indicator("-", true, false, true);
        this.node(item, false);
      }
      return this.popIndent();
    }
    if (isObject(value)) {
      const keys = sortKeysV2(Object.keys(value));
      if (keys.length === 0) return this.emptyCollection("{", "}");
      this.increaseIndent(false, false);
      for (const key of keys) {
        this.writeIndent();
        if (isSimpleKey(key)) {
          this.scalar(key, true);
          this.indicator(":", false, false, false);
        } else {
          this.indicator("?", true, false, true);
          this.scalar(key, false);
          this.writeIndent();
          this.indicator(":", true, false, true);
        }
        this.node((value as Record<string, JsonValue>)[key], true);
      }
      return this.popIndent();
    }
    if (typeof value === "string") return this.scalar(value, false);
    this.scalar(value === null ? "null" : typeof value === "boolean" ? String(value) : numberText(value), false, "plain");
  }

  private emptyCollection(open: string, close: string): void {
    this.indicator(open, true, true, false);
    this.indicator(close, false, false, false);
  }

  private scalar(s: string, simpleKey: boolean, wanted?: ScalarStyle): void {
    // a tab is not printable to go-yaml v2: it leaves double quotes only
    const a = analyzeScalar(s, false);
    const style = selectStyle(wanted ?? (s.includes("\n") ? "literal" : plainWritable(s) ? "plain" : "double"), a, simpleKey);
    this.increaseIndent(true, false);
    const breaksAllowed = !simpleKey;
    if (style === "plain") this.plain(a.chars, breaksAllowed);
    else if (style === "single") this.singleQuoted(a.chars, breaksAllowed);
    else if (style === "double") this.doubleQuoted(a.chars, breaksAllowed);
    else this.literal(s, a.chars);
    this.popIndent();
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.out += String.fromCodePoint(c);
      this.column = 0;
    }
  }

  // A plain scalar never holds a line break (analyze rules the style out), so only spaces fold.
  private plain(chars: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== 0x20) this.writeIndent();
        else this.put(" ");
        spaces = true;
      } else {
        this.put(String.fromCodePoint(c));
        this.indention = false;
        spaces = false;
      }
    });
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(chars: number[], allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const last = chars.length - 1;
    chars.forEach((c, i) => {
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < last && chars[i + 1] !== 0x20) this.writeIndent();
        else this.put(" ");
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.put(String.fromCodePoint(c));
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    });
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(chars: number[], allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    // go-yaml v2 escapes every character of a string that starts with a byte order mark
    const bom = chars[0] === 0xfeff;
    let spaces = false;
    const last = chars.length - 1;
    chars.forEach((c, i) => {
      if (!isPrintable(c) || bom || isBreak(c) || c === 0x22 || c === 0x5c) {
        for (const e of escapedChar(c)) this.put(e);
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < last) {
          this.writeIndent();
          if (chars[i + 1] === 0x20) this.put("\\");
        } else {
          this.put(" ");
        }
        spaces = true;
      } else {
        this.put(String.fromCodePoint(c));
        spaces = false;
      }
    });
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(s: string, chars: number[]): void {
    // go-yaml v2 gives a leading line break the indentation hint, as v4.0.0-rc.3 does
    this.indicator(literalHeader(s, BEST_INDENT, true), true, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(String.fromCodePoint(c));
        this.indention = false;
        breaks = false;
      }
    }
  }
}

// Go's JSON encoder writes these characters as they are, and go-yaml v2 refuses them in its input.
const UNREADABLE = /[\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/u;
const NEL = "\u0085";

function unreadable(what: string, ch: string): TalcError {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return unwritable(`${what} holds the control character ${code}, which Talos's JSON patch cannot write back as YAML (go-yaml v2: control characters are not allowed)`);
}

/**
 * A string as go-yaml v2 reads it back from Go's JSON text, where a line
 * break can only be a raw NEL (U+0085): it folds as a line break in a
 * double-quoted scalar does (a lone one, with the spaces around it, becomes
 * one space; each further one a newline).
 */
function readBack(s: string, what: string): string {
  const bad = UNREADABLE.exec(s);
  if (bad !== null) throw unreadable(what, bad[0]);
  if (!s.includes(NEL)) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    while (i < s.length && s[i] !== " " && s[i] !== NEL) out += s[i++];
    let whitespace = "";
    let folded = false;
    let breaks = "";
    while (i < s.length && (s[i] === " " || s[i] === NEL)) {
      if (s[i] === " ") {
        if (!folded) whitespace += " ";
      } else if (!folded) {
        folded = true;
      } else {
        breaks += "\n";
      }
      i++;
      const atLineStart = s[i - 1] === NEL;
      if (atLineStart && (s.startsWith("---", i) || s.startsWith("...", i)) && (s[i + 3] === " " || s[i + 3] === NEL)) {
        throw unwritable(`${what} has a line starting with ${s.slice(i, i + 3)} after a NEL (U+0085), which Talos's JSON patch cannot read back (go-yaml v2: found unexpected document indicator)`);
      }
    }
    out += folded ? breaks || " " : whitespace;
  }
  return out;
}

// The length of a key in Go's JSON text, quotes included: Go escapes quotes, backslashes, control
// characters, the HTML characters <, > and & and the line and paragraph separators.
function jsonKeyLength(key: string): number {
  let n = 2;
  for (const ch of key) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\" || "\b\f\n\r\t".includes(ch)) n += 2;
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) n += 6;
    else n += 1;
  }
  return n;
}

// The data as go-yaml v2 reads it from Go's JSON text of it.
function normalized(v: JsonValue): JsonValue {
  if (typeof v === "string") return readBack(v.toWellFormed(), "a string of the patched config");
  if (Array.isArray(v)) return v.map(normalized);
  if (isObject(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      const key = k.toWellFormed();
      const bad = UNREADABLE.exec(key);
      if (bad !== null) throw unreadable(`key ${JSON.stringify(key)}`, bad[0]);
      // a JSON key is a one-line implicit key, which a line break ends
      if (key.includes(NEL)) throw unwritable(`key ${JSON.stringify(key)} holds a NEL (U+0085), which Talos's JSON patch cannot read back as a key (go-yaml v2: did not find expected ',' or '}')`);
      // go-yaml v2 takes no implicit key that spans more than 1024 characters of its input
      if (jsonKeyLength(key) > 1024) throw unwritable(`key ${JSON.stringify(key.slice(0, 40) + "…")} is too long for Talos's JSON patch to read back (go-yaml v2: did not find expected ',' or '}')`);
      setKey(out, key, normalized(x as JsonValue));
    }
    return out as JsonValue;
  }
  return v;
}

/**
 * JSON data as Talos writes it after a JSON patch (ghodss/yaml's JSONToYAML:
 * go-yaml v2 reads the JSON text, then marshals it), ending with a newline.
 */
export function jsonToYaml(value: JsonValue): string {
  const e = new Emitter();
  e.node(normalized(value), false);
  e.endDocument();
  return e.out;
}
