// Extracts the YAML field order of every Talos machine-config document type.
//
// Usage:
//   node_modules/.bin/tsx scripts/extract-talos-fields.ts <talos-repo> [ref] [--out <file>] [--verbose]
//
// <talos-repo> is a git repository of siderolabs/talos (bare or not). Without [ref] and with a
// work tree present, the files are read from the work tree; otherwise from the given ref
// (default HEAD) with `git ls-tree` / `git cat-file`. The result is written to
// compiler/talos/fields.json (or --out).
//
// How it works: a small Go tokenizer and declaration parser reads the packages under
// pkg/machinery/config/types/ (and, on demand, the other packages of the repository they refer
// to), finds every document kind registered with `registry.Register(kind, ...)`, and walks the
// struct types reachable from each document's root type. For each struct it lists the keys the
// YAML encoder writes, in Go field order, with inline fields flattened in place.
//
// Field type notation:
//   "scalar"        anything that encodes as a YAML scalar (basic kinds, durations, types whose
//                   MarshalText / MarshalYAML produce a scalar)
//   "<pkg>.<Type>"  a struct, listed under "types"
//   "[]<T>"         a sequence of T
//   "map[]<T>"      a mapping with sorted keys and values of T
//   "any"           unstructured data (any, interface{}, maps of any, meta.Unstructured, custom
//                   marshalers producing sequences or mappings); mapping keys come out sorted
//
// Each field also carries facts for decoding and merging (a third tuple element):
//   go          the field's Go type: "*T" pointer, "[]T" slice, "map[K]V" map, a basic kind
//               ("bool", "string", "int32", "uint8", "float64", ...), "any" for interfaces, or a
//               named type "<pkg>.<Type>" (listed under "named" unless it is a plain struct)
//   omitempty   the yaml tag has omitempty
//   replace     the field is tagged merge:"replace"
//   inline      the field comes from an inline embedded struct
// "named" lists the named types that are not plain structs: their underlying Go type ("struct"
// for structs) and the methods that change how Talos decodes, encodes, compares or merges them,
// with the receiver ("value": callable on a value, "pointer": only on a pointer), and, as "textOf",
// the type whose MarshalText a type has through an embedded field (network.Addr: netip.Addr), so
// that a wrapper is read and written exactly as the type it wraps.
//
// With --release <contract>=<ref> (repeatable) the facts of those releases are recorded too,
// under "releases", as differences from the main facts: the full document map of the release,
// and the types and named types whose facts differ.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { byCodeUnit } from "../compiler/compare.ts";

// ---------------------------------------------------------------------------------------------
// Source access

interface Source {
  /** Commit the files come from (or "worktree"). */
  readonly commit: string;
  /** Paths (relative to the repository root) of the files directly inside `dir`. */
  filesIn(dir: string): string[];
  /** Paths of the directories (recursively) under `dir`, including `dir` itself if it exists. */
  dirsUnder(dir: string): string[];
  /** Contents of the given files. */
  read(paths: string[]): Map<string, string>;
}

function git(repo: string, args: string[], input?: string): Buffer {
  const res = spawnSync("git", ["-C", repo, ...args], {
    input,
    maxBuffer: 1 << 30,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    throw new Error(`git ${args.join(" ")} failed: ${res.stderr.toString().trim()}`);
  }
  return res.stdout;
}

export class GitSource implements Source {
  readonly commit: string;
  private readonly files: string[];

  constructor(
    private readonly repo: string,
    ref: string,
  ) {
    this.commit = git(repo, ["rev-parse", "--verify", `${ref}^{commit}`]).toString().trim();
    this.files = git(repo, ["ls-tree", "-r", "-z", "--name-only", this.commit])
      .toString()
      .split("\0")
      .filter((p) => p !== "");
  }

  filesIn(dir: string): string[] {
    const prefix = dir.endsWith("/") ? dir : dir + "/";
    return this.files.filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes("/"));
  }

  dirsUnder(dir: string): string[] {
    const prefix = dir.endsWith("/") ? dir : dir + "/";
    const dirs = new Set<string>();
    for (const p of this.files) {
      if (!p.startsWith(prefix)) continue;
      dirs.add(p.slice(0, p.lastIndexOf("/")));
    }
    return [...dirs].sort();
  }

  read(paths: string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (paths.length === 0) return out;
    const raw = git(
      this.repo,
      ["cat-file", "--batch"],
      paths.map((p) => `${this.commit}:${p}\n`).join(""),
    );
    let pos = 0;
    for (const p of paths) {
      const nl = raw.indexOf(0x0a, pos);
      const header = raw.subarray(pos, nl).toString();
      const m = /^[0-9a-f]+ blob (\d+)$/.exec(header);
      if (!m) throw new Error(`git cat-file: unexpected answer for ${p}: ${header}`);
      const size = Number(m[1]);
      out.set(p, raw.subarray(nl + 1, nl + 1 + size).toString("utf8"));
      pos = nl + 1 + size + 1;
    }
    return out;
  }
}

class DirSource implements Source {
  readonly commit: string;

  constructor(private readonly root: string) {
    const res = spawnSync("git", ["-C", root, "rev-parse", "HEAD"]);
    const sha = res.status === 0 ? res.stdout.toString().trim() : "";
    this.commit = sha === "" ? "worktree" : `${sha} (worktree)`;
  }

  filesIn(dir: string): string[] {
    const abs = join(this.root, dir);
    if (!existsSync(abs)) return [];
    return readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => `${dir}/${e.name}`)
      .sort();
  }

  dirsUnder(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string): void => {
      const abs = join(this.root, d);
      if (!existsSync(abs) || !statSync(abs).isDirectory()) return;
      out.push(d);
      for (const e of readdirSync(abs, { withFileTypes: true })) {
        if (e.isDirectory()) walk(`${d}/${e.name}`);
      }
    };
    walk(dir.replace(/\/$/, ""));
    return out.sort();
  }

  read(paths: string[]): Map<string, string> {
    return new Map(paths.map((p) => [p, readFileSync(join(this.root, p), "utf8")]));
  }
}

// ---------------------------------------------------------------------------------------------
// Go tokenizer (with automatic semicolon insertion)

type TokKind = "ident" | "string" | "raw" | "char" | "number" | "op" | ";";

interface Token {
  k: TokKind;
  v: string;
  line: number;
}

const OPERATORS = [
  "<<=", ">>=", "&^=", "...",
  "&&", "||", "<-", "++", "--", "==", "!=", "<=", ">=", ":=", "+=", "-=", "*=", "/=", "%=",
  "&=", "|=", "^=", "<<", ">>", "&^",
];

export function tokenize(src: string, file: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;

  const needsSemi = (): boolean => {
    const t = toks[toks.length - 1];
    if (!t) return false;
    switch (t.k) {
      case "ident":
        return true; // in gofmt-ed code only break/continue/fallthrough/return end a line among keywords
      case "string":
      case "raw":
      case "char":
      case "number":
        return true;
      case "op":
        return t.v === ")" || t.v === "]" || t.v === "}" || t.v === "++" || t.v === "--";
      default:
        return false;
    }
  };
  const newline = (): void => {
    if (needsSemi()) toks.push({ k: ";", v: "\n", line });
    line++;
  };
  const fail = (msg: string): never => {
    throw new Error(`${file}:${line}: ${msg}`);
  };

  while (i < n) {
    const c = src[i];
    if (c === "\n") {
      newline();
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\ufeff") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) fail("unterminated comment");
      const body = src.slice(i, end + 2);
      const lines = body.split("\n").length - 1;
      if (lines > 0) {
        newline();
        line += lines - 1;
      }
      i = end + 2;
      continue;
    }
    if (/[\p{L}_]/u.test(c)) {
      let j = i + 1;
      while (j < n && /[\p{L}\p{Nd}_]/u.test(src[j])) j++;
      const v = src.slice(i, j);
      toks.push({ k: "ident", v, line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < n) {
        const d = src[j];
        if (/[0-9a-zA-Z_.]/.test(d)) {
          const hex = /^0[xX]/.test(src.slice(i, j));
          if ((hex ? /[pP]/ : /[eE]/).test(d) && (src[j + 1] === "+" || src[j + 1] === "-")) {
            j += 2;
            continue;
          }
          j++;
          continue;
        }
        break;
      }
      toks.push({ k: "number", v: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && src[j] !== c) {
        if (src[j] === "\\") j++;
        if (src[j] === "\n") fail("newline in literal");
        j++;
      }
      if (j >= n) fail("unterminated literal");
      toks.push({ k: c === '"' ? "string" : "char", v: src.slice(i, j + 1), line });
      i = j + 1;
      continue;
    }
    if (c === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) fail("unterminated raw string");
      const v = src.slice(i, end + 1);
      toks.push({ k: "raw", v, line });
      line += v.split("\n").length - 1;
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i)) ?? c;
    if (!"+-*/%&|^<>=!()[]{},;.:~".includes(op[0])) fail(`unexpected character ${JSON.stringify(c)}`);
    toks.push(op === ";" ? { k: ";", v: ";", line } : { k: "op", v: op, line });
    i += op.length;
  }
  newline();
  return toks;
}

/** Value of a Go string literal token (interpreted or raw). */
function stringValue(t: Token): string {
  if (t.k === "raw") return t.v.slice(1, -1).replace(/\r/g, "");
  if (t.k !== "string") throw new Error(`not a string literal: ${t.v}`);
  const body = t.v.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = {
      a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'",
    };
    if (e in simple) out += simple[e];
    else if (e === "x") {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === "u" || e === "U") {
      const len = e === "u" ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + len), 16));
      i += len;
    } else if (/[0-7]/.test(e)) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else throw new Error(`bad escape in ${t.v}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Go declaration model and parser

export type TypeExpr =
  | { k: "named"; qual: string | null; name: string; args: TypeExpr[] }
  | { k: "ptr"; elem: TypeExpr }
  | { k: "slice"; elem: TypeExpr }
  | { k: "array"; elem: TypeExpr }
  | { k: "map"; key: TypeExpr; val: TypeExpr }
  | { k: "struct"; fields: FieldDecl[] }
  | { k: "interface"; empty: boolean }
  | { k: "func" }
  | { k: "chan"; elem: TypeExpr };

export interface FieldDecl {
  /** Field names; empty for an embedded field. */
  names: string[];
  type: TypeExpr;
  tag: string;
}

interface GoFile {
  path: string;
  /** Import name (alias or package name) -> import path; package names resolved lazily. */
  imports: { alias: string | null; path: string }[];
}

export interface TypeDecl {
  name: string;
  params: string[];
  alias: boolean;
  type: TypeExpr;
  file: GoFile;
}

interface MethodDecl {
  recv: string;
  ptr: boolean;
  name: string;
  body: Token[];
  file: GoFile;
}

interface Registration {
  kind: Token[];
  root: { qual: string | null; name: string } | null;
  file: GoFile;
  line: number;
}

interface GoPackage {
  dir: string;
  name: string;
  types: Map<string, TypeDecl>;
  methods: Map<string, MethodDecl[]>;
  consts: Map<string, { tokens: Token[]; file: GoFile }>;
  registrations: Registration[];
}

export class Parser {
  private i = 0;

  constructor(
    private readonly toks: Token[],
    private readonly file: string,
  ) {}

  private peek(o = 0): Token | undefined {
    return this.toks[this.i + o];
  }

  private next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new Error(`${this.file}: unexpected end of file`);
    return t;
  }

  private is(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && (t.k === "op" || t.k === "ident" || t.k === ";") && t.v === v;
  }

  private isSemi(o = 0): boolean {
    return this.peek(o)?.k === ";";
  }

  private expect(v: string): Token {
    const t = this.next();
    if (t.v !== v && !(v === ";" && t.k === ";")) {
      throw new Error(`${this.file}:${t.line}: expected ${JSON.stringify(v)}, got ${JSON.stringify(t.v)}`);
    }
    return t;
  }

  private ident(): string {
    const t = this.next();
    if (t.k !== "ident") throw new Error(`${this.file}:${t.line}: expected identifier, got ${JSON.stringify(t.v)}`);
    return t.v;
  }

  /** Skips a balanced bracket group starting at the current token; returns the inner tokens. */
  private group(): Token[] {
    const open = this.next();
    const close = { "(": ")", "[": "]", "{": "}" }[open.v];
    if (!close) throw new Error(`${this.file}:${open.line}: expected bracket, got ${open.v}`);
    const start = this.i;
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.k !== "op") continue;
      if (t.v === "(" || t.v === "[" || t.v === "{") depth++;
      else if (t.v === ")" || t.v === "]" || t.v === "}") depth--;
    }
    return this.toks.slice(start, this.i - 1);
  }

  /** Skips tokens up to the next `;` at bracket depth 0 (not consuming it). */
  private skipToSemi(): Token[] {
    const start = this.i;
    while (this.peek() && !this.isSemi() && !this.is(")")) {
      if (this.is("(") || this.is("[") || this.is("{")) this.group();
      else this.i++;
    }
    return this.toks.slice(start, this.i);
  }

  parseFile(path: string): {
    pkg: string;
    file: GoFile;
    types: TypeDecl[];
    methods: MethodDecl[];
    consts: { name: string; tokens: Token[] }[];
    funcBodies: Token[][];
  } {
    const file: GoFile = { path, imports: [] };
    const types: TypeDecl[] = [];
    const methods: MethodDecl[] = [];
    const consts: { name: string; tokens: Token[] }[] = [];
    const funcBodies: Token[][] = [];

    this.expect("package");
    const pkg = this.ident();
    this.expect(";");

    const grouped = (spec: () => void): void => {
      if (this.is("(")) {
        this.next();
        while (!this.is(")")) {
          if (this.isSemi()) {
            this.next();
            continue;
          }
          spec();
          if (!this.is(")")) this.expect(";");
        }
        this.next();
      } else spec();
    };

    while (this.peek()) {
      if (this.isSemi()) {
        this.next();
        continue;
      }
      const kw = this.ident();
      switch (kw) {
        case "import":
          grouped(() => {
            let alias: string | null = null;
            if (this.peek()?.k === "ident" || this.is(".")) alias = this.next().v;
            file.imports.push({ alias, path: stringValue(this.next()) });
          });
          break;
        case "type":
          grouped(() => types.push(this.typeSpec(file)));
          break;
        case "const":
        case "var":
          grouped(() => {
            const names = [this.ident()];
            while (this.is(",")) {
              this.next();
              names.push(this.ident());
            }
            const rest = this.skipToSemi();
            if (kw === "const") {
              const eq = rest.findIndex((t) => t.k === "op" && t.v === "=");
              if (names.length === 1 && eq >= 0) consts.push({ name: names[0], tokens: rest.slice(eq + 1) });
            }
          });
          break;
        case "func": {
          let recv: { name: string; ptr: boolean } | null = null;
          if (this.is("(")) {
            const r = this.group().filter((t) => t.k === "ident" || t.v === "*" || t.v === "[");
            // forms: (T) (*T) (x T) (x *T) (x T[K]) ...
            const ptr = r.some((t) => t.v === "*");
            const idents = r.filter((t) => t.k === "ident");
            const bracket = r.findIndex((t) => t.v === "[");
            const head = bracket >= 0 ? r.slice(0, bracket).filter((t) => t.k === "ident") : idents;
            recv = { name: head[head.length - 1].v, ptr };
          }
          const name = this.ident();
          if (this.is("[")) this.group(); // type parameters
          this.group(); // parameters
          if (this.is("(")) this.group();
          else if (!this.is("{") && !this.isSemi()) this.parseType();
          let body: Token[] = [];
          if (this.is("{")) body = this.group();
          funcBodies.push(body);
          if (recv) methods.push({ recv: recv.name, ptr: recv.ptr, name, body, file });
          break;
        }
        default:
          throw new Error(`${this.file}:${this.peek()?.line}: unexpected top-level token ${kw}`);
      }
    }
    return { pkg, file, types, methods, consts, funcBodies };
  }

  private typeSpec(file: GoFile): TypeDecl {
    const name = this.ident();
    const params: string[] = [];
    // `type T[P any] ...` versus `type T [N]E` / `type T []E`
    if (this.is("[") && this.peek(1)?.k === "ident" && !this.is("]", 2)) {
      const inner = this.group();
      // parameter names: identifiers at depth 0 that start a comma-separated entry
      let depth = 0;
      let expectName = true;
      for (const t of inner) {
        if (t.v === "(" || t.v === "[" || t.v === "{") depth++;
        else if (t.v === ")" || t.v === "]" || t.v === "}") depth--;
        else if (depth === 0 && t.v === ",") expectName = true;
        else if (depth === 0 && expectName && t.k === "ident") {
          params.push(t.v);
          expectName = false;
        }
      }
    }
    let alias = false;
    if (this.is("=")) {
      this.next();
      alias = true;
    }
    return { name, params, alias, type: this.parseType(), file };
  }

  parseType(): TypeExpr {
    const t = this.next();
    if (t.k === "op") {
      switch (t.v) {
        case "*":
          return { k: "ptr", elem: this.parseType() };
        case "(": {
          const inner = this.parseType();
          this.expect(")");
          return inner;
        }
        case "[": {
          if (this.is("]")) {
            this.next();
            return { k: "slice", elem: this.parseType() };
          }
          this.i--;
          this.group();
          return { k: "array", elem: this.parseType() };
        }
        case "<-":
          this.expect("chan");
          return { k: "chan", elem: this.parseType() };
      }
      throw new Error(`${this.file}:${t.line}: unexpected ${t.v} in type`);
    }
    if (t.k !== "ident") throw new Error(`${this.file}:${t.line}: unexpected ${t.v} in type`);
    switch (t.v) {
      case "map": {
        this.expect("[");
        const key = this.parseType();
        this.expect("]");
        return { k: "map", key, val: this.parseType() };
      }
      case "chan":
        if (this.is("<-")) this.next();
        return { k: "chan", elem: this.parseType() };
      case "func":
        this.group();
        if (this.is("(")) this.group();
        else if (!this.isSemi() && !this.is(")") && !this.is("]") && !this.is("}") && !this.is(",") && this.peek()?.k !== "raw" && this.peek()?.k !== "string") this.parseType();
        return { k: "func" };
      case "interface": {
        const inner = this.group();
        return { k: "interface", empty: inner.every((x) => x.k === ";") };
      }
      case "struct":
        return { k: "struct", fields: this.structFields() };
    }
    let qual: string | null = null;
    let name = t.v;
    if (this.is(".")) {
      this.next();
      qual = name;
      name = this.ident();
    }
    const args: TypeExpr[] = [];
    if (this.is("[")) {
      this.next();
      while (!this.is("]")) {
        args.push(this.parseType());
        if (this.is(",")) this.next();
      }
      this.next();
    }
    return { k: "named", qual, name, args };
  }

  private structFields(): FieldDecl[] {
    this.expect("{");
    const fields: FieldDecl[] = [];
    while (!this.is("}")) {
      if (this.isSemi()) {
        this.next();
        continue;
      }
      let names: string[] = [];
      let type: TypeExpr;
      const embedded =
        this.is("*") ||
        (this.peek()?.k === "ident" &&
          (this.is(".", 1) || this.isSemi(1) || this.is("}", 1) || this.peek(1)?.k === "raw" || this.peek(1)?.k === "string"));
      if (embedded) {
        type = this.parseType();
      } else {
        names = [this.ident()];
        while (this.is(",")) {
          this.next();
          names.push(this.ident());
        }
        type = this.parseType();
      }
      let tag = "";
      const tt = this.peek();
      if (tt && (tt.k === "raw" || tt.k === "string")) tag = stringValue(this.next());
      fields.push({ names, type, tag });
      if (!this.is("}")) this.expect(";");
    }
    this.next();
    return fields;
  }
}

/** reflect.StructTag.Get */
export function tagGet(tag: string, key: string): string | undefined {
  let rest = tag;
  while (rest !== "") {
    let i = 0;
    while (i < rest.length && rest[i] === " ") i++;
    rest = rest.slice(i);
    if (rest === "") break;
    i = 0;
    while (i < rest.length && rest[i] > " " && rest[i] !== ":" && rest[i] !== '"' && rest.charCodeAt(i) !== 0x7f) i++;
    if (i === 0 || i + 1 >= rest.length || rest[i] !== ":" || rest[i + 1] !== '"') break;
    const name = rest.slice(0, i);
    rest = rest.slice(i + 1);
    i = 1;
    while (i < rest.length && rest[i] !== '"') {
      if (rest[i] === "\\") i++;
      i++;
    }
    if (i >= rest.length) break;
    const quoted = rest.slice(0, i + 1);
    rest = rest.slice(i + 1);
    if (name === key) return stringValue({ k: "string", v: quoted, line: 0 });
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Package loading

const MODULE_PREFIX = "github.com/siderolabs/talos/";
const TYPES_DIR = "pkg/machinery/config/types";

class Loader {
  private readonly pkgs = new Map<string, GoPackage | null>();

  constructor(readonly source: Source) {}

  /** Loads the Go package in `dir` (relative to the repository root); null if there is none. */
  load(dir: string): GoPackage | null {
    if (this.pkgs.has(dir)) return this.pkgs.get(dir)!;
    const paths = this.source.filesIn(dir).filter((p) => p.endsWith(".go") && !p.endsWith("_test.go"));
    const contents = this.source.read(paths);
    let pkg: GoPackage | null = null;
    for (const path of paths) {
      const text = contents.get(path)!;
      const parsed = new Parser(tokenize(text, path), path).parseFile(path);
      if (parsed.pkg === "main" || parsed.pkg === "documentation") continue;
      if (!pkg) {
        pkg = { dir, name: parsed.pkg, types: new Map(), methods: new Map(), consts: new Map(), registrations: [] };
      } else if (pkg.name !== parsed.pkg) {
        throw new Error(`${path}: package ${parsed.pkg}, expected ${pkg.name}`);
      }
      for (const t of parsed.types) {
        if (pkg.types.has(t.name)) {
          warn(`${path}: type ${t.name} declared more than once (build constraints?); keeping the first`);
          continue;
        }
        pkg.types.set(t.name, t);
      }
      for (const m of parsed.methods) {
        const list = pkg.methods.get(m.recv) ?? [];
        list.push(m);
        pkg.methods.set(m.recv, list);
      }
      for (const c of parsed.consts) pkg.consts.set(c.name, { tokens: c.tokens, file: parsed.file });
      for (const body of parsed.funcBodies) pkg.registrations.push(...findRegistrations(body, parsed.file));
    }
    this.pkgs.set(dir, pkg);
    return pkg;
  }

  /** Repository directory of an import path inside the Talos module, or null. */
  static dirOf(importPath: string): string | null {
    return importPath.startsWith(MODULE_PREFIX) ? importPath.slice(MODULE_PREFIX.length) : null;
  }

  /** Resolves a package qualifier used in `file` to its import path. */
  resolveQualifier(file: GoFile, qual: string): string {
    for (const imp of file.imports) {
      if (imp.alias === qual) return imp.path;
    }
    for (const imp of file.imports) {
      if (imp.alias !== null) continue;
      const dir = Loader.dirOf(imp.path);
      const name = dir !== null ? this.load(dir)?.name : guessPackageName(imp.path);
      if (name === qual) return imp.path;
    }
    throw new Error(`${file.path}: cannot resolve package qualifier ${qual}`);
  }
}

function guessPackageName(importPath: string): string {
  const parts = importPath.split("/");
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  if (last.endsWith("-go")) last = last.slice(0, -3);
  if (last.startsWith("go-")) last = last.slice(3);
  if (importPath === "github.com/opencontainers/runtime-spec/specs-go") return "specs";
  return last.replace(/[^A-Za-z0-9_]/g, "");
}

/** Finds `registry.Register(<kind>, func(...) ... { ... return &T{} ... })` calls in a function body. */
function findRegistrations(body: Token[], file: GoFile): Registration[] {
  const out: Registration[] = [];
  for (let i = 0; i + 3 < body.length; i++) {
    if (!(body[i].v === "registry" && body[i + 1].v === "." && body[i + 2].v === "Register" && body[i + 3].v === "(")) continue;
    // collect the call's argument tokens
    let depth = 0;
    let j = i + 3;
    const args: Token[] = [];
    for (; j < body.length; j++) {
      const t = body[j];
      if (t.k === "op" && (t.v === "(" || t.v === "[" || t.v === "{")) depth++;
      if (t.k === "op" && (t.v === ")" || t.v === "]" || t.v === "}")) depth--;
      if (depth === 0) break;
      if (!(depth === 1 && t.v === "(" && j === i + 3)) args.push(t);
    }
    const comma = args.findIndex((t, k) => t.v === "," && args.slice(0, k).every((x) => !"([{".includes(x.v)));
    const kind = args.slice(0, comma);
    const fn = args.slice(comma + 1);
    let root: Registration["root"] = null;
    for (let k = 0; k + 3 < fn.length; k++) {
      if (fn[k].v !== "return" || fn[k + 1].v !== "&" || fn[k + 2].k !== "ident") continue;
      if (fn[k + 3].v === "{") root = { qual: null, name: fn[k + 2].v };
      else if (fn[k + 3].v === "." && fn[k + 5]?.v === "{") root = { qual: fn[k + 2].v, name: fn[k + 4].v };
      if (root) break;
    }
    out.push({ kind, root, file, line: body[i].line });
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Facts about types from modules outside the Talos repository, as far as the encoder is concerned.

type ExternalType = {
  marshaler: "text" | "yaml" | null;
  ptrRecv?: boolean;
  /** Go underlying type, as in the "go" facts. */
  underlying: string;
  methods: Record<string, "value" | "pointer">;
} & (
  | { notation: "scalar" | "any" }
  | { fields: FieldList }
  | { opaque: true }
);

const NETIP_METHODS = { MarshalText: "value", UnmarshalText: "pointer", String: "value" } as const;
const PEM_METHODS = { MarshalYAML: "pointer", UnmarshalYAML: "pointer" } as const;

const EXTERNAL: Record<string, ExternalType> = {
  // the yaml encoder writes durations with String(), e.g. "1m0s"
  "time.Duration": { marshaler: null, notation: "scalar", underlying: "int64", methods: { String: "value" } },
  // net/netip types implement encoding.TextMarshaler
  "net/netip.Addr": { marshaler: "text", notation: "scalar", underlying: "struct", methods: NETIP_METHODS },
  "net/netip.AddrPort": { marshaler: "text", notation: "scalar", underlying: "struct", methods: NETIP_METHODS },
  "net/netip.Prefix": { marshaler: "text", notation: "scalar", underlying: "struct", methods: NETIP_METHODS },
  // only ever the underlying type of a type with its own marshaler
  "os.FileMode": { marshaler: null, opaque: true, underlying: "uint32", methods: { String: "value" } },
  "net.HardwareAddr": { marshaler: null, opaque: true, underlying: "[]uint8", methods: { String: "value" } },
  // no text or YAML marshaler; only ever embedded in types that have their own
  "net/url.URL": { marshaler: null, opaque: true, underlying: "struct", methods: { String: "pointer", UnmarshalBinary: "pointer" } },
  // siderolabs/crypto x509: MarshalYAML returns a struct of base64-encoded strings
  // (in Go the fields are []byte; the YAML form is a base64 string)
  "github.com/siderolabs/crypto/x509.PEMEncodedCertificateAndKey": {
    marshaler: "yaml",
    ptrRecv: true,
    underlying: "struct",
    methods: PEM_METHODS,
    fields: [["crt", "scalar", { go: "string" }], ["key", "scalar", { go: "string" }]],
  },
  "github.com/siderolabs/crypto/x509.PEMEncodedCertificate": {
    marshaler: "yaml",
    ptrRecv: true,
    underlying: "struct",
    methods: PEM_METHODS,
    fields: [["crt", "scalar", { go: "string" }]],
  },
  "github.com/siderolabs/crypto/x509.PEMEncodedKey": {
    marshaler: "yaml",
    ptrRecv: true,
    underlying: "struct",
    methods: PEM_METHODS,
    fields: [["key", "scalar", { go: "string" }]],
  },
};

const BASIC = new Set([
  "bool", "string", "byte", "rune", "uintptr",
  "int", "int8", "int16", "int32", "int64",
  "uint", "uint8", "uint16", "uint32", "uint64",
  "float32", "float64", "complex64", "complex128",
]);

// ---------------------------------------------------------------------------------------------
// Resolution

interface Ctx {
  pkg: GoPackage;
  file: GoFile;
  /** Type parameters in scope: name -> (argument, context of the argument). */
  subst: Map<string, { type: TypeExpr; ctx: Ctx }>;
}

/** Facts about a field beyond its encoding notation (see the header). */
interface FieldFacts {
  go: string;
  omitempty?: true;
  replace?: true;
  inline?: true;
}

type FieldList = [string, string, FieldFacts][];

/** A named type's facts: underlying Go type and the methods that matter to Talos's merge and codecs. */
interface NamedFacts {
  underlying: string;
  /** For a struct that is nothing but an inline map (meta.Unstructured): that map's type. */
  inlineMap?: string;
  methods?: Record<string, "value" | "pointer">;
  /** The type whose MarshalText this type has through an embedded field: it is written as that type is. */
  textOf?: string;
}

/** Methods that change how a value is decoded, encoded, compared or merged. */
const INTERESTING_METHODS = new Set(["Merge", "MarshalYAML", "UnmarshalYAML", "MarshalText", "UnmarshalText", "String", "IsZero", "Name"]);

interface Resolved {
  /** Named declared type (null for predeclared, external and unnamed types). */
  decl: { pkg: GoPackage; decl: TypeDecl; ctx: Ctx; key: string; id: string } | null;
  external: { path: string; name: string } | null;
  predeclared: string | null;
  /** Unnamed type expression to look at, with its context. */
  type: TypeExpr | null;
  ctx: Ctx | null;
}

let verbose = false;
function warn(msg: string): void {
  process.stderr.write(`warning: ${msg}\n`);
}

function typeString(t: TypeExpr): string {
  switch (t.k) {
    case "named":
      return `${t.qual ? t.qual + "." : ""}${t.name}${t.args.length ? `[${t.args.map(typeString).join(",")}]` : ""}`;
    case "ptr":
      return `*${typeString(t.elem)}`;
    case "slice":
      return `[]${typeString(t.elem)}`;
    case "array":
      return `[N]${typeString(t.elem)}`;
    case "map":
      return `map[${typeString(t.key)}]${typeString(t.val)}`;
    case "struct":
      return "struct{...}";
    case "interface":
      return t.empty ? "interface{}" : "interface{...}";
    case "func":
      return "func(...)";
    case "chan":
      return `chan ${typeString(t.elem)}`;
  }
}

class Extractor {
  readonly types = new Map<string, { fields: FieldList }>();
  readonly named = new Map<string, NamedFacts>();
  readonly marshalers = new Map<string, string>();
  private readonly notations = new Map<string, string>();
  private readonly keyOwners = new Map<string, string>();

  constructor(private readonly loader: Loader) {}

  /** Resolves a named type reference to its declaration (following aliases is up to the caller). */
  private resolveNamed(t: Extract<TypeExpr, { k: "named" }>, ctx: Ctx): Resolved {
    if (t.qual === null) {
      const param = ctx.subst.get(t.name);
      if (param) return this.resolve(param.type, param.ctx);
      const decl = ctx.pkg.types.get(t.name);
      if (decl) return this.declResolved(ctx.pkg, decl, t.args, ctx);
      if (BASIC.has(t.name) || t.name === "any" || t.name === "error") {
        return { decl: null, external: null, predeclared: t.name, type: null, ctx: null };
      }
      throw new Error(`${ctx.file.path}: unknown type ${t.name}`);
    }
    const path = this.loader.resolveQualifier(ctx.file, t.qual);
    const dir = Loader.dirOf(path);
    if (dir !== null) {
      const pkg = this.loader.load(dir);
      const decl = pkg?.types.get(t.name);
      if (!pkg || !decl) throw new Error(`type ${path}.${t.name} not found`);
      return this.declResolved(pkg, decl, t.args, ctx);
    }
    return { decl: null, external: { path, name: t.name }, predeclared: null, type: null, ctx: null };
  }

  private declResolved(pkg: GoPackage, decl: TypeDecl, args: TypeExpr[], useCtx: Ctx): Resolved {
    if (args.length !== decl.params.length) {
      throw new Error(`${decl.file.path}: ${decl.name} expects ${decl.params.length} type arguments, got ${args.length}`);
    }
    const subst = new Map<string, { type: TypeExpr; ctx: Ctx }>();
    decl.params.forEach((p, i) => subst.set(p, { type: args[i], ctx: useCtx }));
    const ctx: Ctx = { pkg, file: decl.file, subst };
    const argKey = args.length ? `[${args.map((a) => this.notation(a, useCtx)).join(",")}]` : "";
    const key = `${pkg.name}.${decl.name}${argKey}`;
    const id = `${pkg.dir}.${decl.name}${argKey}`;
    return { decl: { pkg, decl, ctx, key, id }, external: null, predeclared: null, type: null, ctx: null };
  }

  private resolve(t: TypeExpr, ctx: Ctx): Resolved {
    if (t.k === "named") return this.resolveNamed(t, ctx);
    return { decl: null, external: null, predeclared: null, type: t, ctx };
  }

  /** The encoder-relevant marshaling method of a declared type, including methods promoted from embedded fields. */
  private marshaler(
    r: Resolved,
    seen = new Set<string>(),
  ): { kind: "text" | "yaml"; method: MethodDecl | null; owner: string; resolved: Resolved } | null {
    if (r.external) {
      const id = `${r.external.path}.${r.external.name}`;
      const ext = EXTERNAL[id];
      if (ext && "marshaler" in ext && ext.marshaler) return { kind: ext.marshaler, method: null, owner: id, resolved: r };
      return null;
    }
    if (!r.decl) return null;
    const { pkg, decl, ctx, key, id } = r.decl;
    if (seen.has(id)) return null;
    seen.add(id);
    if (decl.alias) return this.marshaler(this.resolve(decl.type, ctx), seen);
    const methods = pkg.methods.get(decl.name) ?? [];
    const yamlM = methods.find((m) => m.name === "MarshalYAML");
    if (yamlM) return { kind: "yaml", method: yamlM, owner: key, resolved: r };
    const textM = methods.find((m) => m.name === "MarshalText");
    if (textM) return { kind: "text", method: textM, owner: key, resolved: r };
    if (decl.type.k === "struct") {
      // methods promoted from embedded fields (depth-first; Go would reject ambiguous promotions)
      for (const f of decl.type.fields) {
        if (f.names.length !== 0) continue;
        let ft = f.type;
        if (ft.k === "ptr") ft = ft.elem;
        const m = this.marshaler(this.resolve(ft, ctx), seen);
        if (m) return m;
      }
    }
    return null;
  }

  /** Classifies what a custom MarshalYAML returns, from its body. */
  private classifyMarshalYAML(m: MethodDecl): string {
    const idents = new Set(m.body.filter((t) => t.k === "ident").map((t) => t.v));
    // a struct built on the fly has an order of its own that this classification cannot see
    if (idents.has("struct")) throw new Error(`${m.file.path}: ${m.recv}.MarshalYAML returns a struct; describe it in EXTERNAL-like facts`);
    if (idents.has("SequenceNode") || idents.has("MappingNode") || idents.has("map")) return "any";
    return "scalar";
  }

  /** Notation of a type expression in context. */
  notation(t: TypeExpr, ctx: Ctx, viaPointer = false): string {
    switch (t.k) {
      case "ptr":
        return this.notation(t.elem, ctx, true);
      case "slice":
      case "array":
        return `[]${this.notation(t.elem, ctx)}`;
      case "map": {
        const v = this.notation(t.val, ctx);
        return v === "any" ? "any" : `map[]${v}`;
      }
      case "interface":
        if (!t.empty) throw new Error(`${ctx.file.path}: non-empty interface type in config struct`);
        return "any";
      case "struct": {
        const fields = this.structFields(t, ctx, "anonymous struct");
        if (fields === "any") return "any";
        throw new Error(`${ctx.file.path}: anonymous struct types are not supported`);
      }
      case "func":
      case "chan":
        throw new Error(`${ctx.file.path}: ${t.k} type in config struct`);
      case "named":
        return this.namedNotation(this.resolveNamed(t, ctx), viaPointer);
    }
  }

  /** The Go type of a field in the "go" facts notation; registers the named types it meets. */
  goType(t: TypeExpr, ctx: Ctx): string {
    switch (t.k) {
      case "ptr":
        return `*${this.goType(t.elem, ctx)}`;
      case "slice":
      case "array":
        return `[]${this.goType(t.elem, ctx)}`;
      case "map":
        return `map[${this.goType(t.key, ctx)}]${this.goType(t.val, ctx)}`;
      case "interface":
        return "any";
      case "struct":
        return "struct";
      case "func":
      case "chan":
        throw new Error(`${ctx.file.path}: ${t.k} type in config struct`);
      case "named":
        return this.namedGoType(this.resolveNamed(t, ctx));
    }
  }

  private readonly goTypesSeen = new Set<string>();

  private namedGoType(r: Resolved): string {
    if (r.predeclared) {
      const aliases: Record<string, string> = { byte: "uint8", rune: "int32", error: "any" };
      return aliases[r.predeclared] ?? r.predeclared;
    }
    if (r.type) return this.goType(r.type, r.ctx!);
    if (r.external) {
      const id = `${r.external.path}.${r.external.name}`;
      const ext = EXTERNAL[id];
      if (!ext) throw new Error(`no facts about external type ${id}; add it to EXTERNAL`);
      const key = `${guessPackageName(r.external.path)}.${r.external.name}`;
      if (!this.named.has(key)) this.named.set(key, { underlying: ext.underlying, methods: { ...ext.methods } });
      return key;
    }
    const { decl, ctx, key } = r.decl!;
    if (decl.alias) return this.goType(decl.type, ctx);
    if (!this.goTypesSeen.has(key)) {
      this.goTypesSeen.add(key);
      const methods = this.methodSet(r);
      const underlying = decl.type.k === "struct" ? "struct" : this.goType(decl.type, ctx);
      const inlineMap = decl.type.k === "struct" ? this.inlineMapOf(decl.type, ctx) : undefined;
      const hasMethods = Object.keys(methods).length > 0;
      const textOf = this.promotedTextOwner(r, key);
      if (underlying !== "struct" || hasMethods || inlineMap !== undefined) {
        this.named.set(key, {
          underlying,
          ...(inlineMap === undefined ? {} : { inlineMap }),
          ...(hasMethods ? { methods } : {}),
          ...(textOf === undefined ? {} : { textOf }),
        });
      }
    }
    return key;
  }

  /** The type a named type's MarshalText is promoted from, in the facts' "<pkg>.<Type>" notation; undefined for its own or none. */
  private promotedTextOwner(r: Resolved, key: string): string | undefined {
    const m = this.marshaler(r);
    if (m === null || m.kind !== "text") return undefined;
    const owner = m.resolved.external !== null ? `${guessPackageName(m.resolved.external.path)}.${m.resolved.external.name}` : m.owner;
    return owner === key ? undefined : owner;
  }

  /** For a struct that is nothing but an inline map (meta.Unstructured), that map's type. */
  private inlineMapOf(t: Extract<TypeExpr, { k: "struct" }>, ctx: Ctx): string | undefined {
    const exported = t.fields.filter((f) => f.names.length === 0 || f.names.some((n) => /^\p{Lu}/u.test(n)));
    if (exported.length === 1 && (tagGet(exported[0].tag, "yaml") ?? "").split(",").slice(1).includes("inline")) {
      let ft = exported[0].type;
      if (ft.k === "named") {
        const r = this.resolveNamed(ft, ctx);
        if (r.type) ft = r.type;
        else if (r.decl && !r.decl.decl.alias && r.decl.decl.type.k === "map") return this.goType(r.decl.decl.type, r.decl.ctx);
      }
      if (ft.k === "map") return this.goType(ft, ctx);
    }
    return undefined;
  }

  /** The interesting methods callable on a value or a pointer of a named type, including promoted ones. */
  private methodSet(r: Resolved, seen = new Set<string>()): Record<string, "value" | "pointer"> {
    const out: Record<string, "value" | "pointer"> = {};
    if (r.external) {
      const ext = EXTERNAL[`${r.external.path}.${r.external.name}`];
      for (const [name, recv] of Object.entries(ext?.methods ?? {})) if (INTERESTING_METHODS.has(name)) out[name] = recv;
      return out;
    }
    if (!r.decl) return out;
    const { pkg, decl, ctx, id } = r.decl;
    if (seen.has(id)) return out;
    seen.add(id);
    if (decl.alias) return this.methodSet(this.resolve(decl.type, ctx), seen);
    for (const m of pkg.methods.get(decl.name) ?? []) {
      if (INTERESTING_METHODS.has(m.name)) out[m.name] = m.ptr ? "pointer" : "value";
    }
    if (decl.type.k === "struct") {
      for (const f of decl.type.fields) {
        if (f.names.length !== 0) continue;
        // methods of an embedded pointer are all callable on a value of the outer type
        const viaPtr = f.type.k === "ptr";
        const inner = this.methodSet(this.resolve(viaPtr ? (f.type as { elem: TypeExpr }).elem : f.type, ctx), seen);
        for (const [name, recv] of Object.entries(inner)) if (!(name in out)) out[name] = viaPtr ? "value" : recv;
      }
    }
    return out;
  }

  private namedNotation(r: Resolved, viaPointer = true): string {
    if (!viaPointer) {
      // a method with a pointer receiver is invisible to the encoders for a non-pointer value
      const m = this.marshaler(r);
      const ptr = m?.method ? m.method.ptr : m?.resolved.external ? EXTERNAL[`${m.resolved.external.path}.${m.resolved.external.name}`].ptrRecv === true : false;
      if (m && ptr) warn(`${m.owner}: Marshal${m.kind === "text" ? "Text" : "YAML"} has a pointer receiver but is used as a value`);
    }
    if (r.predeclared) return r.predeclared === "any" ? "any" : "scalar";
    if (r.type) return this.notation(r.type, r.ctx!);
    if (r.external) {
      const id = `${r.external.path}.${r.external.name}`;
      const ext = EXTERNAL[id];
      if (!ext || "opaque" in ext) throw new Error(`no facts about external type ${id}; add it to EXTERNAL`);
      if ("notation" in ext) return ext.notation;
      const key = `${guessPackageName(r.external.path)}.${r.external.name}`;
      this.marshalers.set(key, "struct (MarshalYAML, external)");
      this.types.set(key, { fields: ext.fields });
      return key;
    }
    const { decl, ctx, key, id } = r.decl!;
    const memo = this.notations.get(id);
    if (memo !== undefined) return memo;
    if (decl.alias) {
      const n = this.notation(decl.type, ctx);
      this.notations.set(id, n);
      return n;
    }
    const m = this.marshaler(r);
    if (m) {
      let n: string;
      if (m.kind === "text") n = "scalar";
      else if (m.method) n = this.classifyMarshalYAML(m.method);
      else n = this.namedNotation(m.resolved); // promoted from an external type
      this.marshalers.set(id, `${n} (${m.kind === "text" ? "MarshalText" : "MarshalYAML"}${m.owner !== key ? ` of ${m.owner}` : ""})`);
      this.notations.set(id, n);
      return n;
    }
    if (decl.type.k !== "struct") {
      const n = this.notation(decl.type, ctx);
      this.notations.set(id, n);
      return n;
    }
    // a struct: register first (recursive types), then fill in
    const owner = this.keyOwners.get(key);
    if (owner !== undefined && owner !== id) throw new Error(`type key ${key} is ambiguous: ${owner} and ${id}`);
    this.keyOwners.set(key, id);
    this.notations.set(id, key);
    const entry = { fields: [] as FieldList };
    this.types.set(key, entry);
    const fields = this.structFields(decl.type, ctx, key);
    if (fields === "any") {
      this.types.delete(key);
      this.notations.set(id, "any");
      return "any";
    }
    entry.fields = fields;
    return key;
  }

  /**
   * The YAML keys of a struct, in encoding order, with inline fields flattened.
   * Returns "any" for a struct that is nothing but an inline map.
   */
  private structFields(t: Extract<TypeExpr, { k: "struct" }>, ctx: Ctx, where: string): FieldList | "any" {
    const out: FieldList = [];
    let inlineMap = false;
    for (const f of t.fields) {
      const yamlTag = tagGet(f.tag, "yaml") ?? "";
      const [tagName, ...flags] = yamlTag.split(",");
      const inline = flags.includes("inline");
      if (tagName === "-") continue;
      const embeddedName = f.names.length === 0 ? embeddedTypeName(f.type) : null;
      const names = embeddedName !== null ? [embeddedName] : f.names;
      for (const name of names) {
        if (!/^\p{Lu}/u.test(name)) {
          if (embeddedName !== null && inline) {
            throw new Error(`${where}: inline embedded unexported type ${name}: encoders disagree`);
          }
          continue; // unexported: not encoded
        }
        if (inline) {
          const inner = this.inlineFields(f.type, ctx, `${where}.${name}`);
          if (inner === "map") inlineMap = true;
          else out.push(...inner.map(([k, n, facts]): [string, string, FieldFacts] => [k, n, { ...facts, inline: true }]));
          continue;
        }
        const key = tagName !== "" ? tagName : name.toLowerCase();
        const facts: FieldFacts = { go: this.goType(f.type, ctx) };
        if (flags.includes("omitempty")) facts.omitempty = true;
        if ((tagGet(f.tag, "merge") ?? "").split(",").includes("replace")) facts.replace = true;
        out.push([key, this.notation(f.type, ctx), facts]);
      }
    }
    if (inlineMap) {
      if (out.length === 0) return "any";
      throw new Error(`${where}: a struct with both fields and an inline map is not supported by this notation`);
    }
    const seen = new Set<string>();
    for (const [k] of out) {
      if (seen.has(k)) throw new Error(`${where}: duplicate key ${k}`);
      seen.add(k);
    }
    return out;
  }

  private inlineFields(t: TypeExpr, ctx: Ctx, where: string): FieldList | "map" {
    if (t.k === "ptr") return this.inlineFields(t.elem, ctx, where);
    if (t.k === "map") return "map";
    if (t.k === "struct") {
      const f = this.structFields(t, ctx, where);
      return f === "any" ? "map" : f;
    }
    if (t.k !== "named") throw new Error(`${where}: cannot inline ${typeString(t)}`);
    const r = this.resolveNamed(t, ctx);
    if (r.type) return this.inlineFields(r.type, r.ctx!, where);
    if (!r.decl) throw new Error(`${where}: cannot inline ${typeString(t)}`);
    const { decl, ctx: dctx } = r.decl;
    if (this.marshaler(r)) throw new Error(`${where}: inline field with a custom marshaler`);
    return this.inlineFields(decl.type, dctx, where);
  }
}

function embeddedTypeName(t: TypeExpr): string {
  if (t.k === "ptr") return embeddedTypeName(t.elem);
  if (t.k === "named") return t.name;
  throw new Error(`bad embedded field type ${typeString(t)}`);
}

/** Evaluates a constant expression that is a string literal or a reference to one. */
function constString(tokens: Token[], pkg: GoPackage, file: GoFile, loader: Loader, depth = 0): string {
  if (depth > 10) throw new Error("constant reference loop");
  if (tokens.length === 1 && (tokens[0].k === "string" || tokens[0].k === "raw")) return stringValue(tokens[0]);
  if (tokens.length === 1 && tokens[0].k === "ident") {
    const c = pkg.consts.get(tokens[0].v);
    if (!c) throw new Error(`${file.path}: unknown constant ${tokens[0].v}`);
    return constString(c.tokens, pkg, c.file, loader, depth + 1);
  }
  if (tokens.length === 3 && tokens[0].k === "ident" && tokens[1].v === "." && tokens[2].k === "ident") {
    const dir = Loader.dirOf(loader.resolveQualifier(file, tokens[0].v));
    const other = dir !== null ? loader.load(dir) : null;
    const c = other?.consts.get(tokens[2].v);
    if (!other || !c) throw new Error(`${file.path}: unknown constant ${tokens.map((t) => t.v).join("")}`);
    return constString(c.tokens, other, c.file, loader, depth + 1);
  }
  throw new Error(`${file.path}: cannot evaluate constant ${tokens.map((t) => t.v).join(" ")}`);
}

// ---------------------------------------------------------------------------------------------

interface Output {
  source: string;
  documents: Record<string, string>;
  types: Record<string, { fields: FieldList }>;
  named: Record<string, NamedFacts>;
  releases?: Record<string, Release>;
}

/** One release's facts, as differences from the main facts. */
interface Release {
  source: string;
  documents: Record<string, string>;
  types: Record<string, { fields: FieldList }>;
  named: Record<string, NamedFacts>;
}

export function extract(source: Source): Output {
  const loader = new Loader(source);
  const ex = new Extractor(loader);
  const documents = new Map<string, string>();

  for (const dir of source.dirsUnder(TYPES_DIR)) {
    const pkg = loader.load(dir);
    if (!pkg) continue;
    for (const reg of pkg.registrations) {
      const kind = constString(reg.kind, pkg, reg.file, loader);
      if (!reg.root) throw new Error(`${reg.file.path}:${reg.line}: cannot find the document type registered for ${kind}`);
      const ctx: Ctx = { pkg, file: reg.file, subst: new Map() };
      const notation = ex.notation({ k: "named", qual: reg.root.qual, name: reg.root.name, args: [] }, ctx);
      // records the root's methods (Name makes a document named)
      ex.goType({ k: "named", qual: reg.root.qual, name: reg.root.name, args: [] }, ctx);
      if (!ex.types.has(notation)) throw new Error(`document ${kind}: root ${notation} is not a struct`);
      if (documents.has(kind)) throw new Error(`document kind ${kind} registered twice`);
      documents.set(kind, notation);
    }
  }

  if (verbose) {
    for (const [k, v] of [...ex.marshalers].sort(([a], [b]) => byCodeUnit(a, b))) process.stderr.write(`custom marshaler: ${k} -> ${v}\n`);
  }

  const sortedDocs = [...documents].sort(([a], [b]) => byCodeUnit(a, b));
  const sortedTypes = [...ex.types].sort(([a], [b]) => byCodeUnit(a, b));
  const sortedNamed = [...ex.named].sort(([a], [b]) => byCodeUnit(a, b));
  return {
    source: `siderolabs/talos ${source.commit}`,
    documents: Object.fromEntries(sortedDocs),
    types: Object.fromEntries(sortedTypes),
    named: Object.fromEntries(sortedNamed),
  };
}

/** A release's facts as the differences from the main facts (documents are always listed in full). */
export function releaseDiff(main: Output, release: Output, ref: string): Release {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const types: Release["types"] = {};
  for (const [k, v] of Object.entries(release.types)) if (!same(v, main.types[k])) types[k] = v;
  const named: Release["named"] = {};
  for (const [k, v] of Object.entries(release.named)) if (!same(v, main.named[k])) named[k] = v;
  return { source: `${release.source} (${ref})`, documents: release.documents, types, named };
}


export function render(out: Output): string {
  // one line per field keeps the file reviewable in diffs
  return (
    JSON.stringify(out, null, 2).replace(/\[\n\s*("(?:[^"\\]|\\.)*"),\n\s*("(?:[^"\\]|\\.)*"),\n\s*(\{[^{}]*\})\n\s*\]/g, (_m, a: string, b: string, c: string) =>
      `[${a}, ${b}, ${JSON.stringify(JSON.parse(c))}]`,
    ) + "\n"
  );
}

function main(argv: string[]): void {
  const positional: string[] = [];
  const releases: Array<[string, string]> = [];
  let outPath = fileURLToPath(new URL("../compiler/talos/fields.json", import.meta.url));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") outPath = argv[++i];
    else if (a === "--release") {
      const m = /^(\d+\.\d+)=(.+)$/.exec(argv[++i] ?? "");
      if (!m) throw new Error("--release takes <contract>=<ref>, e.g. 1.12=v1.12.11");
      releases.push([m[1], m[2]]);
    }
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length < 1 || positional.length > 2) {
    process.stderr.write("usage: extract-talos-fields.ts <talos-repo> [ref] [--release <contract>=<ref>]... [--out file] [--verbose]\n");
    process.exit(2);
  }
  const [repo, ref] = positional;
  const source: Source =
    ref === undefined && existsSync(join(repo, TYPES_DIR)) ? new DirSource(repo) : new GitSource(repo, ref ?? "HEAD");
  const out = extract(source);
  if (releases.length > 0) {
    out.releases = {};
    for (const [contract, releaseRef] of releases) out.releases[contract] = releaseDiff(out, extract(new GitSource(repo, releaseRef)), releaseRef);
  }
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, render(out));
  process.stderr.write(
    `wrote ${outPath}: ${Object.keys(out.documents).length} documents, ${Object.keys(out.types).length} types (${out.source})\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2));
}
