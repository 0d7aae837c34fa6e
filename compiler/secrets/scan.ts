// A last line of defence for "no secrets in git": looks through text talc is
// about to commit (everything under out/) for what a secret looks like. It
// knows the shapes Talos secrets take (PEM blocks, bundles' base64 of PEM,
// bootstrap and trustd tokens, age identities) and, in config documents, the
// fields that hold secrets, whatever their value looks like. Findings never
// quote the secret: they end up in CI logs.

import { yaml } from "../lazy.ts";
import { REDACTED, SECRET_PATHS } from "../talos/secrets.ts";
import { byCodeUnit } from "../compare.ts";

/** What kind of secret a finding looks like. */
export type SecretKind = "pem-block" | "pem-base64" | "talos-token" | "age-secret-key" | "secret-field" | "high-entropy";

/** One suspected secret. */
interface SecretFinding {
  file: string;
  /** 1-based line of the finding. */
  line: number;
  kind: SecretKind;
  /** The config path, for findings in a config document. */
  path?: string;
  /** What was found, without the secret. */
  message: string;
}

const PEM = /-----BEGIN ([A-Z0-9 ]{1,40})-----/g;
const TOKEN = /(?<![0-9a-z])[0-9a-z]{6}\.[0-9a-z]{16}(?![0-9a-z])/g;
const AGE_KEY = /AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}/gi;
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;
// Keys whose values are credentials in any document, Talos's or not.
const SECRET_KEY = /(secret|token|passw(or)?d|passphrase|private.?key|api.?key|credential|^key$|^auth$)/i;
const MIN_ENTROPY_LENGTH = 16;
/** Bits per character above which a value under a secret-like key looks random (base64 of random bytes is near 6). */
const ENTROPY_THRESHOLD = 3.5;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Shannon entropy of a string, in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  const n = [...value].length;
  let bits = 0;
  for (const k of counts.values()) bits -= (k / n) * Math.log2(k / n);
  return bits;
}

// Whether a run of base64 decodes, at some alignment, to text holding a PEM armour line.
function hidesPem(run: string): boolean {
  for (let offset = 0; offset < 4; offset++) {
    const body = run.slice(offset).replace(/=+$/, "");
    const usable = body.slice(0, body.length - (body.length % 4));
    if (usable.length < 16) continue;
    const text = Buffer.from(usable, "base64").toString("latin1");
    if (text.includes("-----BEGIN") || text.includes("PRIVATE KEY")) return true;
  }
  return false;
}

function patternFindings(file: string, text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  for (const m of text.matchAll(PEM)) {
    found.push({ file, line: lineAt(text, m.index), kind: "pem-block", message: `a PEM block (${m[1]})` });
  }
  for (const m of text.matchAll(BASE64_RUN)) {
    if (hidesPem(m[0])) found.push({ file, line: lineAt(text, m.index), kind: "pem-base64", message: "base64 of a PEM block" });
  }
  for (const m of text.matchAll(TOKEN)) {
    found.push({ file, line: lineAt(text, m.index), kind: "talos-token", message: "a value shaped like a Talos token ([0-9a-z]{6}.[0-9a-z]{16})" });
  }
  for (const m of text.matchAll(AGE_KEY)) {
    found.push({ file, line: lineAt(text, m.index), kind: "age-secret-key", message: "an age secret key" });
  }
  return found;
}

type Segment = string | number;
type Located = { value: unknown; at: Segment[] };

function pathText(at: readonly Segment[]): string {
  return at.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc === "" ? s : `${acc}.${s}`), "");
}

// Every value at a SECRET_PATHS pattern (`*` is any key or list item).
function valuesAt(value: unknown, pattern: readonly string[], at: Segment[]): Located[] {
  if (pattern.length === 0) return [{ value, at }];
  const [head, ...rest] = pattern;
  if (Array.isArray(value)) return head === "*" ? value.flatMap((v, i) => valuesAt(v, rest, [...at, i])) : [];
  if (typeof value !== "object" || value === null) return [];
  const obj = value as Record<string, unknown>;
  const keys = head === "*" ? Object.keys(obj) : Object.hasOwn(obj, head) ? [head] : [];
  return keys.flatMap((k) => valuesAt(obj[k], rest, [...at, k]));
}

function documentKind(doc: Record<string, unknown>): string | undefined {
  if (typeof doc.kind === "string") return doc.kind;
  return ["version", "machine", "cluster"].some((k) => Object.hasOwn(doc, k)) ? "v1alpha1" : undefined;
}

// Every string under a key that names a credential, with its path.
function credentialValues(value: unknown, at: Segment[], key: string, out: Located[]): void {
  if (typeof value === "string") {
    if (SECRET_KEY.test(key)) out.push({ value, at });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => credentialValues(v, [...at, i], key, out));
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) credentialValues(v, [...at, k], k, out);
  }
}

function isRedacted(value: unknown): boolean {
  return value === undefined || value === null || value === "" || value === REDACTED;
}

// A patch's `$patch: delete` at a secret path removes the secret; it holds none.
function isDeleteDirective(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => k === "$patch");
}

interface Parsed {
  doc: unknown;
  /** The line of the value at a path, or of the document when unknown. */
  lineOf: (at: readonly Segment[]) => number;
}

function documents(file: string, text: string): Parsed[] {
  if (file.endsWith(".json")) {
    try {
      return [{ doc: JSON.parse(text) as unknown, lineOf: () => 1 }];
    } catch {
      return [];
    }
  }
  if (!/\.ya?ml$/.test(file)) return [];
  const out: Parsed[] = [];
  for (const doc of yaml().parseAllDocuments(text, { uniqueKeys: false })) {
    if (doc.errors.length > 0) continue;
    try {
      const start = doc.contents?.range === undefined ? 1 : lineAt(text, doc.contents.range[0]);
      const lineOf = (at: readonly Segment[]): number => {
        const node = doc.getIn(at, true) as { range?: [number, number, number] } | undefined;
        return node?.range === undefined ? start : lineAt(text, node.range[0]);
      };
      out.push({ doc: doc.toJS({ maxAliasCount: 100 }) as unknown, lineOf });
    } catch {
      // An unreadable document is left to the pattern checks.
    }
  }
  return out;
}

function structuralFindings(file: string, text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  for (const { doc, lineOf } of documents(file, text)) {
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) continue;
    const obj = doc as Record<string, unknown>;
    const kind = documentKind(obj);
    const secretPaths = kind !== undefined && Object.hasOwn(SECRET_PATHS, kind) ? SECRET_PATHS[kind] : [];
    const atSecretPath = new Set<string>();
    for (const pattern of secretPaths) {
      for (const { value, at } of valuesAt(obj, pattern.split("."), [])) {
        const path = pathText(at);
        atSecretPath.add(path);
        if (isRedacted(value) || isDeleteDirective(value)) continue;
        found.push({ file, line: lineOf(at), kind: "secret-field", path, message: `${kind} ${path} holds a value instead of ${REDACTED}` });
      }
    }
    const credentials: Located[] = [];
    credentialValues(obj, [], "", credentials);
    for (const { value, at } of credentials) {
      const path = pathText(at);
      const s = value as string;
      if (atSecretPath.has(path) || isRedacted(s) || s.length < MIN_ENTROPY_LENGTH) continue;
      const bits = entropy(s);
      if (bits >= ENTROPY_THRESHOLD) {
        found.push({ file, line: lineOf(at), kind: "high-entropy", path, message: `${path} holds a random-looking value (${bits.toFixed(1)} bits per character)` });
      }
    }
  }
  return found;
}

/** The suspected secrets in one file's text. */
export function scanText(file: string, text: string): SecretFinding[] {
  return [...patternFindings(file, text), ...structuralFindings(file, text)].sort((a, b) => a.line - b.line || byCodeUnit(a.kind, b.kind));
}

/** The suspected secrets in a set of files (path → text), e.g. the out/ file map a build writes. */
export function scanFiles(files: Iterable<readonly [string, string]>): SecretFinding[] {
  const found: SecretFinding[] = [];
  for (const [file, text] of files) found.push(...scanText(file, text));
  return found;
}

/** One line per finding, `file:line: kind: message`. */
export function formatFindings(findings: readonly SecretFinding[]): string[] {
  return findings.map((f) => `${f.file}:${f.line}: ${f.kind}: ${f.message}`);
}
