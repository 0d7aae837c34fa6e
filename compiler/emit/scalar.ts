// How Talos's YAML library (go-yaml v4 with its v3-compatible defaults, as
// `yaml.Marshal` uses it) chooses to write a scalar: plain, single-quoted,
// double-quoted or literal block. Reproducing its choices exactly is what
// makes our output byte-identical to `talosctl`.

import { boundedMemo } from "../memo.ts";
import { DEFAULT_CONTRACT, type Contract } from "../talos/contract.ts";

/**
 * Where the go-yaml releases Talos encodes with differ. Each Talos release line
 * pins its own pre-release of go.yaml.in/yaml/v4 (pkg/machinery/go.mod):
 * 1.12 has v4.0.0-rc.3, 1.13 rc.4, 1.14 rc.6. A contract's config is what that
 * line's talosctl writes.
 */
export interface YamlDialect {
  /**
   * The quotes around a string that YAML 1.1 would read as something else (a bool
   * such as `yes`, a base-60 float such as `1:20`, the merge key `<<`): double up
   * to rc.4, single from rc.6.
   */
  yaml11Quote: "single" | "double";
  /** Whether a literal block starting with a line break gets an indentation indicator (rc.3 only). */
  hintLeadingBreak: boolean;
}

const DIALECTS: Readonly<Record<Contract, YamlDialect>> = {
  "1.12": Object.freeze({ yaml11Quote: "double", hintLeadingBreak: true }),
  "1.13": Object.freeze({ yaml11Quote: "double", hintLeadingBreak: false }),
  "1.14": Object.freeze({ yaml11Quote: "single", hintLeadingBreak: false }),
};

/** The YAML writer of a contract's Talos release; the newest one when none is given. */
export function yamlDialect(contract: Contract = DEFAULT_CONTRACT): YamlDialect {
  return DIALECTS[contract];
}

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
export function readsAsNonString(s: string): boolean {
  if (NULLS.has(s) || BOOLS.has(s) || SPECIAL_FLOATS.has(s) || s === "<<") return true;
  const c = s[0];
  const digit = c >= "0" && c <= "9";
  // what is left is a number or a timestamp, which starts with a digit, a sign or (a float) a dot
  if (!digit && c !== "+" && c !== "-" && c !== ".") return false;
  if (digit && isTimestamp(s)) return true;
  return goNumber(s) !== undefined;
}

/**
 * The number go-yaml's resolver reads from a plain scalar: an integer as goInt reads it with the
 * underscores removed (a bigint beyond 2^53), else a float as goFloat64 reads it; undefined for any other text.
 */
export function goNumber(s: string): number | bigint | undefined {
  const n = goInt(s.replaceAll("_", ""));
  if (n !== undefined) return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  return goFloat64(s);
}

/**
 * The float go-yaml's resolver reads from a plain scalar that is no integer, or undefined when it
 * stays a string: text from a dot is parsed as Go's strconv.ParseFloat parses it (".5", ".5e3",
 * underscores between digits as in ".5_5"), other text with its underscores removed first. A
 * float too large for a float64 ("1e400") fails to parse, so it stays a string.
 */
export function goFloat64(s: string): number | undefined {
  const ok = s[0] === "." ? /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/.test(s) : YAML_FLOAT.test(s.replaceAll("_", ""));
  if (!ok) return undefined;
  const n = Number(s.replaceAll("_", ""));
  return Number.isFinite(n) ? n : undefined;
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

// A date followed by a time: `T` or `t` with a zone, or a run of spaces without one. Go's
// time.Parse reads each field as one or two digits and a fraction after `.` or `,` of any length.
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|[+-](\d{2}):(\d{2}))| +(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?)?$/;

/** Whether go-yaml's resolver reads a plain scalar as a timestamp: the layouts it tries with time.Parse, a date, optionally with a time (and a zone after `T`). */
export function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && !leap ? 28 : DAYS[month - 1])) return false;
  const h = m[4] ?? m[9];
  const min = m[5] ?? m[10];
  const sec = m[6] ?? m[11];
  if (h === undefined) return true;
  // a zone offset may be 24 hours or 60 minutes
  if (m[7] !== undefined && (Number(m[7]) > 24 || Number(m[8]) > 60)) return false;
  return Number(h) < 24 && Number(min) < 60 && Number(sec) < 60;
}

/** A line break to the emitter: LF, CR, NEL, and the line and paragraph separators. */
export function isBreak(c: number | undefined): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}

function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09;
}

// The emitter's test, made on UTF-8 bytes: NEL (U+0085) is not printable, and
// neither is anything outside the Basic Multilingual Plane (emoji), so both force double quotes.
export function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

/**
 * What go-yaml's emitters (v2 and v4 alike) note of a scalar's characters before choosing
 * how to write it; each release decides from these which written forms may hold it.
 */
interface ScalarScan {
  /** The code points. */
  chars: number[];
  lineBreaks: boolean;
  /** Something that makes a plain scalar read otherwise: `#` after a blank, `: `, a leading indicator, a document marker. */
  indicators: boolean;
  /** A character other than a tab that is not printable. */
  special: boolean;
  tabs: boolean;
  leadingSpace: boolean;
  leadingBreak: boolean;
  trailingSpace: boolean;
  trailingBreak: boolean;
  /** A space right after a line break. */
  breakSpace: boolean;
  /** A line break right after a space. */
  spaceBreak: boolean;
}

/** The emitters' scan of a scalar's characters. */
function scanScalar(s: string): ScalarScan {
  const chars = Array.from(s, (ch) => ch.codePointAt(0)!);
  const scan: ScalarScan = {
    chars,
    lineBreaks: false,
    indicators: s.startsWith("---") || s.startsWith("..."),
    special: false,
    tabs: false,
    leadingSpace: false,
    leadingBreak: false,
    trailingSpace: false,
    trailingBreak: false,
    breakSpace: false,
    spaceBreak: false,
  };
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  const last = chars.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = chars[i];
    const followedByWhitespace = i === last || isBlank(chars[i + 1]);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) scan.indicators = true;
      else if ((ch === "?" || ch === ":" || ch === "-") && followedByWhitespace) scan.indicators = true;
    } else if ((ch === ":" && followedByWhitespace) || (ch === "#" && precededByWhitespace)) {
      scan.indicators = true;
    }
    if (c === 0x09) scan.tabs = true;
    else if (!isPrintable(c)) scan.special = true;
    if (c === 0x20) {
      if (i === 0) scan.leadingSpace = true;
      if (i === last) scan.trailingSpace = true;
      if (previousBreak) scan.breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      scan.lineBreaks = true;
      if (i === 0) scan.leadingBreak = true;
      if (i === last) scan.trailingBreak = true;
      if (previousSpace) scan.spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === 0;
  }
  return scan;
}

/** Which written forms can hold a scalar at block level, as go-yaml's emitters decide from their scan. */
export interface StyleAnalysis {
  /** The code points. */
  chars: number[];
  multiline: boolean;
  plainAllowed: boolean;
  singleAllowed: boolean;
  blockAllowed: boolean;
}

/**
 * Which written forms can hold a scalar. `tabsPrintable`: go-yaml v4 takes a tab as printable, so
 * it rules out only the plain and single-quoted forms; to v2 it is not, so it leaves double quotes only.
 */
export function analyzeScalar(s: string, tabsPrintable: boolean): StyleAnalysis {
  const scan = scanScalar(s);
  const { chars } = scan;
  if (chars.length === 0) return { chars, multiline: false, plainAllowed: true, singleAllowed: true, blockAllowed: false };
  const broken = scan.spaceBreak || scan.special || (scan.tabs && !tabsPrintable);
  return {
    chars,
    multiline: scan.lineBreaks,
    plainAllowed: !(scan.leadingSpace || scan.leadingBreak || scan.trailingSpace || scan.trailingBreak || scan.breakSpace || broken || scan.tabs || scan.lineBreaks || scan.indicators),
    singleAllowed: !(scan.breakSpace || broken || scan.tabs),
    blockAllowed: !(scan.trailingSpace || broken),
  };
}

/** The style go-yaml's emitters (v2 and v4 alike) write a scalar in: the one wanted, unless the analysis or a simple key rules it out. */
export function selectStyle(wanted: ScalarStyle, a: StyleAnalysis, simpleKey: boolean): ScalarStyle {
  let style = wanted;
  if (simpleKey && a.multiline) style = "double";
  if (style === "plain" && (!a.plainAllowed || (a.chars.length === 0 && simpleKey))) style = "single";
  if (style === "single" && !a.singleAllowed) style = "double";
  if (style === "literal" && (!a.blockAllowed || simpleKey)) style = "double";
  return style;
}

// Go's unicode.IsSpace and JavaScript's \s differ only on NEL and the byte-order mark, neither
// printable to the emitter, so a string they would tell apart is double-quoted either way.
function literalCandidate(s: string): boolean {
  return s.includes("\n") && s.length >= 2 && /\S/u.test(s);
}

// Configs repeat the same keys and values across documents and nodes; in a context the choice depends
// only on the text, and on the release only for YAML 1.1 look-alikes, which every release quotes (one
// way or the other) whatever else the text holds: they are remembered as such, for every release at once.
const STYLE_CACHE_LIMIT = 10_000;
type KnownStyle = ScalarStyle | "yaml11";
const styles: Record<ScalarContext, (s: string) => KnownStyle> = {
  key: boundedMemo(STYLE_CACHE_LIMIT, (s: string) => computeStringStyle(s, "key")),
  value: boundedMemo(STYLE_CACHE_LIMIT, (s: string) => computeStringStyle(s, "value")),
};

/** The style go-yaml writes a string in, at block level; `key` is a simple key (see isSimpleKey). */
export function stringStyle(s: string, context: ScalarContext, dialect: YamlDialect = yamlDialect()): ScalarStyle {
  const style = styles[context](s);
  return style === "yaml11" ? dialect.yaml11Quote : style;
}

function computeStringStyle(s: string, context: ScalarContext): KnownStyle {
  let wanted: ScalarStyle;
  if (s.includes("\n")) wanted = literalCandidate(s) ? "literal" : "double";
  // one line of digits, colons, dots and signs, or of letters: nothing in it rules out either quotes
  else if (BASE60_FLOAT.test(s) || OLD_BOOLS.has(s) || s === "<<") return "yaml11";
  else wanted = readsAsNonString(s) ? "double" : "plain";
  return selectStyle(wanted, analyzeScalar(s, true), context === "key");
}

const UTF8 = new TextEncoder();
const LONGEST_SIMPLE_KEY = 128;

/**
 * Whether a mapping key is written as a simple key (`key: value`). One that
 * spans lines or is longer than 128 bytes of UTF-8 is written as a complex key
 * instead: `? key`, then `: value` on the next line.
 */
export function isSimpleKey(s: string): boolean {
  if (/[\n\r\u0085\u2028\u2029]/u.test(s)) return false;
  // a UTF-8 byte is at most one UTF-16 unit, and three bytes at most three units
  return s.length * 3 <= LONGEST_SIMPLE_KEY || UTF8.encode(s).length <= LONGEST_SIMPLE_KEY;
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

/** A character escaped as go-yaml's emitters (v2 and v4 alike) escape it in double quotes: by its name, else by its code. */
export function escapedChar(c: number): string {
  const named = ESCAPES[c];
  if (named !== undefined) return "\\" + named;
  if (c <= 0xff) return "\\x" + c.toString(16).toUpperCase().padStart(2, "0");
  if (c <= 0xffff) return "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
  return "\\U" + c.toString(16).toUpperCase().padStart(8, "0");
}

/** A string in double quotes, escaped as go-yaml escapes it. */
export function doubleQuoted(s: string): string {
  let out = '"';
  // go-yaml's byte-order-mark test looks at the start of the string whatever the
  // position, so after a leading BOM every character is escaped
  const escapeAll = s.startsWith("\ufeff");
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += escapeAll || !isPrintable(c) || isBreak(c) || c === 0x22 || c === 0x5c ? escapedChar(c) : ch;
  }
  return out + '"';
}

/**
 * A string in single quotes. It spans lines only at a line or paragraph
 * separator (U+2028, U+2029), written as it is, the text after it indented by `indent`.
 */
export function singleQuoted(s: string, indent = 0): string {
  const quoted = s.replaceAll("'", "''");
  return "'" + (/[\u2028\u2029]/u.test(quoted) ? indentAfterBreaks(quoted, indent) : quoted) + "'";
}

// After each run of line breaks (kept as they are), the next character starts a line indented by `indent`.
function indentAfterBreaks(s: string, indent: number): string {
  return s.replace(/([\n\u2028\u2029]+)(?=[^\n\u2028\u2029])/gu, "$1" + " ".repeat(indent));
}

/**
 * The header of a literal block scalar: `|`, then an indentation hint and a chomping indicator where needed.
 * `hintLeadingBreak` as YamlDialect says it (go-yaml v2 hints a leading line break too).
 */
export function literalHeader(s: string, bestIndent: number, hintLeadingBreak = yamlDialect().hintLeadingBreak): string {
  let header = "|";
  const first = s.charCodeAt(0);
  if (first === 0x20 || (hintLeadingBreak && isBreak(first))) header += String(bestIndent);
  // a line break is one UTF-16 unit, and no half of a surrogate pair is one
  const last = s.length - 1;
  if (last < 0 || !isBreak(s.charCodeAt(last))) header += "-";
  else if (last === 0 || isBreak(s.charCodeAt(last - 1))) header += "+";
  return header;
}

/**
 * A literal block scalar's body as the emitter writes it after its header line:
 * each line indented by `indent`, empty lines left empty, and the line breaks
 * kept (a line or paragraph separator too, which ends its line without a newline).
 * It ends with the string's last line break, if it has one.
 */
export function literalBody(s: string, indent: number): string {
  return indentAfterBreaks(s.startsWith("\n") || /^[\u2028\u2029]/u.test(s) ? s : " ".repeat(indent) + s, indent);
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
