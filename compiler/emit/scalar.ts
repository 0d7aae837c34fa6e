// How Talos's YAML library (go-yaml v4 with its v3-compatible defaults, as
// `yaml.Marshal` uses it) chooses to write a scalar: plain, single-quoted,
// double-quoted or literal block. Reproducing its choices exactly is what
// makes our output byte-identical to `talosctl`.

import { boundedMemo } from "../memo.ts";

/** The written form of a scalar chosen by the encoder. */
export type ScalarStyle = "plain" | "single" | "double" | "literal";

/** Where a scalar stands: a mapping key is a "simple key" and may not span lines. */
export type ScalarContext = "key" | "value";

const OLD_BOOLS = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]);
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const BOOLS = new Set(["true", "True", "TRUE", "false", "False", "FALSE"]);
const SPECIAL_FLOATS = new Set([
  ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "-0", "-0.0",
]);
/** A float as go-yaml's resolver reads one. */
export const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** A YAML 1.1 base-60 float, which go-yaml quotes though it no longer reads one. */
export const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Whether a plain scalar with this text would be read back as something other than a string. */
function readsAsNonString(s: string): boolean {
  const first = s.charCodeAt(0);
  if (s === "") return true;
  if (NULLS.has(s) || BOOLS.has(s) || SPECIAL_FLOATS.has(s) || s === "<<") return true;
  const c = s[0];
  if (c === ".") return isGoFloat(s);
  const digit = first >= 48 && first <= 57;
  if (!digit && c !== "+" && c !== "-") return false;
  if (digit && isTimestamp(s)) return true;
  const plain = s.replaceAll("_", "");
  if (goInt(plain) !== undefined) return true;
  return YAML_FLOAT.test(plain);
}

// Go's strconv.ParseFloat, for text that starts with a dot: ".5", ".5e3".
function isGoFloat(s: string): boolean {
  return /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(s);
}

/**
 * The integer go-yaml reads from a plain scalar (underscores already removed):
 * strconv.ParseInt(s, 0, 64), or failing that ParseUint(s, 0, 64), which takes
 * no sign. A base prefix picks hex, octal or binary; a lone leading zero means octal.
 */
export function goInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  let body = m[2];
  if (/^0[oO]/.test(body)) body = "0o" + body.slice(2);
  else if (/^0[0-7]+$/.test(body)) body = "0o" + body.slice(1);
  let n = BigInt(body.toLowerCase());
  if (m[1] === "-") n = -n;
  if (n >= INT64_MIN && n <= INT64_MAX) return n;
  return m[1] === "" && n <= UINT64_MAX ? n : undefined;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether go-yaml's resolver reads a plain scalar as a timestamp: a date, optionally with a time and zone. */
export function isTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/.exec(
      s,
    );
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && !leap ? 28 : DAYS[month - 1])) return false;
  const h = m[4] ?? m[7];
  const min = m[5] ?? m[8];
  const sec = m[6] ?? m[9];
  if (h === undefined) return true;
  return Number(h) < 24 && Number(min) < 60 && Number(sec) < 60;
}

function isBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}

function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09;
}

function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

// The emitter's scan of a scalar's characters: which written forms can hold it.
function analyze(s: string): Analysis {
  if (s.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
  let blockIndicators = s.startsWith("---") || s.startsWith("...");
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    const next = cps[i + 1];
    const followedByWhitespace = i + 1 >= cps.length || isBlank(next);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) blockIndicators = true;
      else if ((ch === "?" || ch === ":" || ch === "-") && followedByWhitespace) blockIndicators = true;
    } else if (ch === ":" && followedByWhitespace) {
      blockIndicators = true;
    } else if (ch === "#" && precededByWhitespace) {
      blockIndicators = true;
    }
    if (c === 0x09) tabs = true;
    else if (!isPrintable(c)) special = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === 0;
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || tabs || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) blockAllowed = false;
  if (lineBreaks || blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

function literalCandidate(s: string): boolean {
  return s.includes("\n") && s.length >= 2 && /\S/u.test(s);
}

// Configs repeat the same keys and values across documents and nodes; in a context the choice depends only on the text.
const STYLE_CACHE_LIMIT = 10_000;
const styles: Record<ScalarContext, (s: string) => ScalarStyle> = {
  key: boundedMemo(STYLE_CACHE_LIMIT, (s: string) => computeStringStyle(s, "key")),
  value: boundedMemo(STYLE_CACHE_LIMIT, (s: string) => computeStringStyle(s, "value")),
};

/** The style go-yaml writes a string value in, at block level. */
export function stringStyle(s: string, context: ScalarContext): ScalarStyle {
  return styles[context](s);
}

function computeStringStyle(s: string, context: ScalarContext): ScalarStyle {
  let style: ScalarStyle;
  if (s.includes("\n")) style = literalCandidate(s) ? "literal" : "double";
  else if (BASE60_FLOAT.test(s) || OLD_BOOLS.has(s) || s === "<<") style = "single";
  else if (readsAsNonString(s)) style = "double";
  else style = "plain";

  const a = analyze(s);
  if (context === "key" && a.multiline) style = "double";
  if (style === "plain" && (!a.blockPlainAllowed || (s.length === 0 && context === "key"))) style = "single";
  if (style === "single" && !a.singleQuotedAllowed) style = "double";
  if (style === "literal" && (!a.blockAllowed || context === "key")) style = "double";
  return style;
}

const ESCAPES: Record<number, string> = {
  0x00: "0",
  0x07: "a",
  0x08: "b",
  0x09: "t",
  0x0a: "n",
  0x0b: "v",
  0x0c: "f",
  0x0d: "r",
  0x1b: "e",
  0x22: '"',
  0x5c: "\\",
  0x85: "N",
  0xa0: "_",
  0x2028: "L",
  0x2029: "P",
};

/** A string in double quotes, escaped as go-yaml escapes it. */
export function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (!isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c) {
      const named = ESCAPES[c];
      if (named !== undefined) out += "\\" + named;
      else if (c <= 0xff) out += "\\x" + c.toString(16).toUpperCase().padStart(2, "0");
      else if (c <= 0xffff) out += "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
      else out += "\\U" + c.toString(16).toUpperCase().padStart(8, "0");
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/** A single-line string in single quotes. */
export function singleQuoted(s: string): string {
  return "'" + s.replaceAll("'", "''") + "'";
}

/** The header of a literal block scalar: `|`, then an indentation hint and a chomping indicator where needed. */
export function literalHeader(s: string, bestIndent: number): string {
  let header = "|";
  if (s.startsWith(" ")) header += String(bestIndent);
  const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
  const last = cps.length - 1;
  if (cps.length === 0 || !isBreak(cps[last])) header += "-";
  else if (last === 0 || isBreak(cps[last - 1])) header += "+";
  return header;
}

/** The lines of a literal block scalar's body, without indentation; empty lines stay empty. */
export function literalLines(s: string): string[] {
  const lines = s.split(/\r\n|[\n\r\u0085\u2028\u2029]/u);
  // A final line break ends the last line rather than starting an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A float written as Go's strconv.FormatFloat(f, 'g', -1, 64) writes it. */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return ".nan";
  if (f === Infinity) return ".inf";
  if (f === -Infinity) return "-.inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa, expText] = Math.abs(f).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  const sign = f < 0 ? "-" : "";
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? "." + digits.slice(1) : "";
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return sign + intPart + (frac ? "." + frac : "");
}
