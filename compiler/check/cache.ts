// What talc check and talc build may skip: a cluster whose inputs (its file,
// the local files it imports, and the compiler itself) hash the same as when
// it was last compiled produces the same files, so only their hashes need
// comparing with out/. The cache lives in .talc/ and is never committed.

import { createHash, randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { inTwo, RESOLVE_EXTENSIONS } from "../load/files.ts";
import { boundedMemo } from "../memo.ts";
import type { Finding } from "../policy/types.ts";
import { COMPILED_VALIDATORS, PACKAGE_ROOT as COMPILER_ROOT } from "../paths.ts";

/** One cluster file's last compile. */
export interface CacheEntry {
  /** The hash of everything the compile read. */
  inputs: string;
  cluster: string;
  /** How many nodes the cluster has. */
  nodes?: number;
  /** The validation mode it was compiled in (metal, cloud, container). */
  mode?: string;
  /** Path relative to out/ → sha256 of the content the compile produced. */
  files: Record<string, string>;
  /**
   * Path relative to out/ → the file's size, modification and change times
   * and inode when it was last read and found to hold that content, if it
   * had gone unwritten for a while by then: while they stay the same, it is
   * not read again (see OutOnDisk in incremental.ts).
   */
  stats?: Record<string, string>;
  /** The policy findings of that compile, and what they were judged on: waivers expire by date. */
  findings?: Finding[];
  lintedOn?: string;
  /** A hash of the repository's policy settings the findings were judged with. */
  settings?: string;
}

/** The cache file's content, keyed by cluster file. */
export type Cache = Record<string, CacheEntry>;

const CACHE_FOLDER = ".talc";
const CACHE_FILE = "cache.json";

let compilerHash: Promise<string> | undefined;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

// Set by scripts/bundle.ts in the bundled CLI: the fingerprint of the sources it was built from.
declare const TALC_COMPILER_FINGERPRINT: string | undefined;

/**
 * The files talc is made of, sorted, as absolute paths: its sources and data, its schemas and
 * package.json. The fingerprint hashes them, and the bundle counts as current only while none
 * is newer than it.
 */
export async function compilerSources(): Promise<string[]> {
  // The precompiled validators are derived from schemas/, which is listed; reading them (megabytes) would add nothing.
  const sources = (await listFiles(join(COMPILER_ROOT, "compiler"))).filter((f) => !f.startsWith(COMPILED_VALIDATORS));
  return [...sources, ...(await listFiles(join(COMPILER_ROOT, "schemas"))), join(COMPILER_ROOT, "package.json")].sort();
}

/** A fingerprint of the compiler's own sources and data: any change to talc invalidates every entry. */
export function compilerFingerprint(): Promise<string> {
  if (typeof TALC_COMPILER_FINGERPRINT === "string") return Promise.resolve(TALC_COMPILER_FINGERPRINT);
  compilerHash ??= (async () => {
    const h = createHash("sha256");
    for (const f of await compilerSources()) h.update(relative(COMPILER_ROOT, f)).update("\0").update(await readFile(f)).update("\0");
    return h.digest("hex");
  })();
  return compilerHash;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

// Where esbuild may find what an import names: the path as written, with each extension it tries, a folder's
// index file and package.json, and, for "./x.js" and the like, the TypeScript file TypeScript's convention means.
// Every one that exists is hashed: a file hashed needlessly costs a rebuild now and then, one missed a stale out/.
const TYPESCRIPT_FOR: Record<string, string[]> = { ".js": [".ts", ".tsx"], ".jsx": [".ts", ".tsx"], ".mjs": [".mts"], ".cjs": [".cts"] };
const CODE = /\.[cm]?[jt]sx?$/;
// The files that pin what a package import gives, at the repository's root.
const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock"];

function candidates(target: string): string[] {
  const ext = extname(target);
  const swapped = (TYPESCRIPT_FOR[ext] ?? []).map((e) => target.slice(0, -ext.length) + e);
  return [target, ...swapped, ...RESOLVE_EXTENSIONS.map((e) => target + e), join(target, "package.json"), ...RESOLVE_EXTENSIONS.map((e) => join(target, `index${e}`))];
}

/**
 * One run's reads of the repository for the cluster files' inputs: each path is looked up, read and
 * scanned for imports once, however many cluster files share it (a fleet's clusters often import one
 * library of files).
 */
class RepositoryReads {
  constructor(readonly root: string) {}

  // Each remembered for the whole run (no limit): a path is asked about again and again.
  readonly isFile = boundedMemo(Infinity, (path: string): Promise<boolean> => stat(path).then((s) => s.isFile(), () => false));

  readonly content = boundedMemo(Infinity, (path: string): Promise<Buffer> => readFile(path));

  /** The paths a file's compile may go on to read: for code, its tsconfig.json and what each import may name. */
  readonly next = boundedMemo(Infinity, (path: string): Promise<string[]> => this.scan(path));

  // The nearest file of that name above a file, within the repository.
  private async nearest(file: string, name: string): Promise<string | undefined> {
    for (let dir = dirname(file); dir === this.root || dir.startsWith(this.root + sep); dir = dirname(dir)) {
      if (await this.isFile(join(dir, name))) return join(dir, name);
      if (dir === this.root) break;
    }
    return undefined;
  }

  private async scan(path: string): Promise<string[]> {
    if (!CODE.test(path)) return [];
    const out: string[] = [];
    const tsconfig = await this.nearest(path, "tsconfig.json");
    if (tsconfig !== undefined) out.push(tsconfig);
    const text = await this.content(path).then((b) => b.toString("utf8"), () => "");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1];
      if (spec.startsWith(".") || spec.startsWith("/")) {
        out.push(...candidates(resolve(dirname(path), spec)));
      } else if (spec.startsWith("#")) {
        const manifest = await this.nearest(path, "package.json");
        if (manifest === undefined) continue;
        out.push(manifest);
        for (const t of importTargets(manifest, spec)) out.push(...candidates(t));
      } else if (spec !== "talc" && !isBuiltin(spec)) {
        for (const lock of ["package.json", ...LOCKFILES]) out.push(join(this.root, lock));
      }
    }
    return out;
  }

  /**
   * The files a cluster file's compile may read besides talc's own: itself and, transitively, every local
   * file its imports can name (relative, or through package.json "imports"), the tsconfig.json esbuild
   * compiles each with, and the lockfile when it imports a package. esbuild's own account of what it read
   * is checked against this after the compile.
   */
  async closure(file: string): Promise<string[]> {
    const seen = new Set<string>();
    const visit = async (path: string): Promise<void> => {
      if (seen.has(path) || !(await this.isFile(path))) return;
      seen.add(path);
      for (const next of await this.next(path)) await visit(next);
    };
    await visit(resolve(this.root, file));
    return [...seen].sort();
  }
}

// The targets a package.json "imports" entry (#name or #prefix/*) may give a specifier, each condition's alike.
function importTargets(manifest: string, spec: string): string[] {
  let imports: unknown;
  try {
    imports = (JSON.parse(readFileSync(manifest, "utf8")) as { imports?: unknown }).imports;
  } catch {
    return [];
  }
  if (typeof imports !== "object" || imports === null) return [];
  const out: string[] = [];
  const strings = (v: unknown, star: string | undefined): void => {
    if (typeof v === "string") out.push(star === undefined ? v : v.replaceAll("*", star));
    else if (typeof v === "object" && v !== null) for (const x of Object.values(v)) strings(x, star);
  };
  for (const [key, value] of Object.entries(imports)) {
    const star = key.indexOf("*");
    if (star < 0 ? key === spec : spec.startsWith(key.slice(0, star)) && spec.endsWith(key.slice(star + 1))) {
      strings(value, star < 0 ? undefined : spec.slice(star, spec.length - (key.length - star - 1)));
    }
  }
  return out.filter((t) => t.startsWith("./")).map((t) => resolve(dirname(manifest), t));
}

/** What a cluster file's compile depends on: the hash of its inputs, and the files hashed (absolute paths). */
export interface Inputs {
  hash: string;
  files: ReadonlySet<string>;
}

/** A reader of the inputs of a repository's cluster files (see Inputs), which reads a file the clusters share once. */
export function inputsReader(root: string): (file: string) => Promise<Inputs> {
  const reads = new RepositoryReads(resolve(root));
  return async (file) => {
    const h = createHash("sha256").update(await compilerFingerprint());
    const files = await reads.closure(file);
    for (const f of files) h.update("\0").update(relative(root, f)).update("\0").update(await reads.content(f));
    return { hash: h.digest("hex"), files: new Set(files) };
  };
}

/**
 * Whether two cluster files may share a local module: a code file among the inputs of both. Read
 * before bundling, it tells the loader to bundle each cluster file alone (see load/definition.ts);
 * the scan may see an import esbuild would not, which costs only the faster way of loading.
 */
export function sharesLocalCode(inputs: Iterable<Inputs>): boolean {
  return inTwo(Array.from(inputs, ({ files }) => [...files].filter((f) => CODE.test(f))));
}

/**
 * Whether the inputs hashed for a cluster cover everything esbuild read to load it (paths relative to the
 * root): talc's own sources are covered by its fingerprint, and packages by a lockfile among the inputs.
 * A compile whose reads are not covered is not cached: nothing would tell when it goes stale.
 */
export function coversReads(root: string, inputs: Inputs, reads: readonly string[]): boolean {
  const own = join(COMPILER_ROOT, "compiler") + sep;
  const pinned = LOCKFILES.some((l) => inputs.files.has(join(resolve(root), l)));
  return reads.every((r) => {
    const path = resolve(root, r);
    return inputs.files.has(path) || path.startsWith(own) || (pinned && path.split(sep).includes("node_modules"));
  });
}

/** Reads the cache; a missing or unreadable cache is empty. */
export async function readCache(root: string): Promise<Cache> {
  try {
    const parsed = JSON.parse(await readFile(join(root, CACHE_FOLDER, CACHE_FILE), "utf8")) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Cache) : {};
  } catch {
    return {};
  }
}

/**
 * The cache's folder, made when missing; undefined when it cannot be, or is
 * not a real folder: a committed .talc that is a link could point anywhere,
 * so talc writes only into a real one.
 */
function cacheFolder(root: string): string | undefined {
  const dir = join(root, CACHE_FOLDER);
  try {
    mkdirSync(dir, { recursive: true });
    return lstatSync(dir).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The time now by the clock of the file system holding the cache (which may
 * differ from this machine's: a file server's, a virtual machine host's):
 * the change time of a file written there, never through a link left in its
 * place. Undefined when it cannot be written.
 */
export function fileSystemNow(root: string): number | undefined {
  const dir = cacheFolder(root);
  if (dir === undefined) return undefined;
  const probe = join(dir, "clock");
  try {
    rmSync(probe, { force: true });
    writeFileSync(probe, "", { flag: "wx" });
    return lstatSync(probe).ctimeMs;
  } catch {
    return undefined;
  }
}

/** Writes the cache; a read-only checkout simply goes without. */
export async function writeCache(root: string, cache: Cache): Promise<void> {
  const dir = cacheFolder(root);
  if (dir === undefined) return;
  const path = join(dir, CACHE_FILE);
  try {
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    const sorted = Object.fromEntries(Object.keys(cache).sort().map((k) => [k, cache[k]]));
    // unindented: at 10,000 nodes it is megabytes, read on every check
    await writeFile(tmp, JSON.stringify(sorted) + "\n");
    await rename(tmp, path);
  } catch {
    // The cache only saves time.
  }
}
