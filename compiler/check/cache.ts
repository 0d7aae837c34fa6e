// What talc check and talc build may skip: a cluster whose inputs (its file,
// the local files it imports, and the compiler itself) hash the same as when
// it was last compiled produces the same files, so only their hashes need
// comparing with out/. The cache lives in .talc/ and is never committed.

import { createHash, randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
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

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

/** The local files a cluster file reads: itself and, transitively, what it imports by relative path. */
async function importClosure(file: string): Promise<string[]> {
  const seen = new Set<string>();
  const visit = async (path: string): Promise<void> => {
    if (seen.has(path)) return;
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      return;
    }
    seen.add(path);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1];
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(path), spec);
      await visit(/\.[cm]?[jt]s$|\.json$/.test(target) ? target : `${target}.ts`);
    }
  };
  await visit(resolve(file));
  return [...seen].sort();
}

/** The input hash of a cluster file. */
export async function inputsHash(root: string, file: string): Promise<string> {
  const h = createHash("sha256").update(await compilerFingerprint());
  for (const f of await importClosure(join(root, file))) h.update("\0").update(relative(root, f)).update("\0").update(await readFile(f));
  return h.digest("hex");
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
