// What out/ should hold, recompiling only clusters whose inputs changed: a
// cluster whose input hash matches the cache and whose files on disk still
// hold what the cache says is current without loading its definition. talc
// check compares the result with out/; talc build compiles only the clusters
// that changed and carries the others over.

import { lstatSync, readFileSync, type Stats } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TalcError } from "../errors.ts";
import { sha256 } from "../emit/hash.ts";
import type { FileMap } from "../emit/output.ts";
import { findClusterFiles } from "../load/files.ts";
import type { CompileOptions } from "../pipeline.ts";
import type { ValidationMode } from "../validate/types.ts";
import { inputsHash, readCache, writeCache, type Cache, type CacheEntry } from "./cache.ts";
import { inScope, listTree, readListed } from "./index.ts";
import type { Finding } from "../policy/types.ts";

/** The expected out/ tree and what it took to know it. */
interface Expected {
  /** Path relative to out/ → expected content, for every file not known to be current on disk. */
  files: FileMap;
  /** What is on disk under out/, but for the files known to be current. */
  disk: FileMap;
  /** Cluster names by cluster file. */
  clusters: Map<string, string>;
  /** How many cluster files were compiled (the rest came from the cache). */
  compiled: number;
  /** Policy findings of every cluster (from the cache for unchanged ones). */
  findings: Finding[];
  /** How many files of unchanged clusters were read to know them current (the others were known by their stats). */
  read: number;
}

/** What a compile's results depend on besides its inputs: its findings are judged by date and settings, its configs validated in a mode. */
interface Judged {
  today: string;
  /** A hash of the repository's policy settings. */
  settings: string;
  mode: ValidationMode;
}

/** The results of one compile, as the cache keeps them. */
interface Compiled {
  file: string;
  name: string;
  nodes: number;
  hashes: Record<string, string>;
  findings: Finding[];
}

function cacheEntryFor(c: Compiled, inputs: string, now: Judged): CacheEntry {
  return { inputs, cluster: c.name, nodes: c.nodes, mode: now.mode, files: c.hashes, findings: c.findings, lintedOn: now.today, settings: now.settings };
}

/** The date, settings and mode a compile is judged on now. */
async function judgedNow(root: string, mode: ValidationMode = "metal"): Promise<Judged> {
  const settings = await readFile(join(root, "talc.config.json"), "utf8").catch(() => "");
  return { today: new Date().toISOString().slice(0, 10), settings: sha256(settings), mode };
}

/** Whether a cache entry still tells what compiling its cluster gives now: the same inputs, judged on the same date, settings and mode. */
function stillApplies(entry: CacheEntry | undefined, inputs: string, now: Judged): entry is CacheEntry {
  return entry !== undefined && entry.inputs === inputs && entry.lintedOn === now.today && entry.settings === now.settings && entry.mode === now.mode;
}

/**
 * How long a file must have gone unwritten before its stats may stand for
 * its content: longer than the coarsest timestamp step of a file system
 * (FAT's two seconds), so that any later write moves its modification time.
 */
export const SETTLED_MS = 2000;

/**
 * out/'s files, checked against the hashes a cache entry recorded. As git's
 * index does, a file whose size, modification and change times and inode
 * are what the entry recorded is taken to hold what it held then; any other
 * is read and hashed. A file's stats are recorded only once it has been left
 * alone for {@link SETTLED_MS}, which rules out a write in the same
 * timestamp step as the read going unseen.
 */
class OutOnDisk {
  /** Files read and hashed, rather than known by their stats. */
  read = 0;
  private readonly present: ReadonlySet<string>;
  private readonly settled = Date.now() - SETTLED_MS;

  constructor(
    private readonly top: string,
    files: readonly string[],
  ) {
    this.present = new Set(files);
  }

  /** When out/ holds each of the entry's files as it recorded them, the stats that now vouch for them; otherwise undefined. */
  holds(entry: CacheEntry): Record<string, string> | undefined {
    const stats: Record<string, string> = {};
    for (const [p, hash] of Object.entries(entry.files)) {
      if (!this.present.has(p)) return undefined;
      const path = join(this.top, p);
      let st: Stats;
      try {
        st = lstatSync(path);
      } catch {
        return undefined;
      }
      const seen = `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
      if (entry.stats?.[p] === seen) {
        stats[p] = seen;
        continue;
      }
      // stat, then read: a write after the stat moves the times the next run compares
      let content: Buffer;
      try {
        content = readFileSync(path);
      } catch {
        return undefined;
      }
      this.read++;
      if (sha256(content) !== hash) return undefined;
      if (st.mtimeMs < this.settled && st.ctimeMs < this.settled) stats[p] = seen;
    }
    return stats;
  }
}

/**
 * A cache entry that still tells what compiling its cluster gives now and
 * whose files out/ holds as recorded, with the stats that vouch for them now
 * (`restated` when they are not those it had); otherwise undefined.
 */
function confirmed(entry: CacheEntry | undefined, inputs: string, now: Judged, onDisk: OutOnDisk): { entry: CacheEntry; restated: boolean } | undefined {
  if (!stillApplies(entry, inputs, now)) return undefined;
  const stats = onDisk.holds(entry);
  if (stats === undefined) return undefined;
  const had = entry.stats ?? {};
  const keys = Object.keys(stats);
  if (keys.length === Object.keys(had).length && keys.every((k) => had[k] === stats[k])) return { entry, restated: false };
  return { entry: { ...entry, stats }, restated: true };
}

/** Cluster names must be unique across the repository: each names a folder of out/. */
function assertUniqueNames(clusters: ReadonlyMap<string, string>): void {
  const byName = new Map<string, string>();
  for (const [file, name] of [...clusters].sort()) {
    const other = byName.get(name);
    if (other !== undefined) {
      throw new TalcError(`cluster name "${name}" is used by ${other} too; names must be unique`, { code: "duplicate-cluster", stage: "load", file, path: "name" });
    }
    byName.set(name, file);
  }
}

/** Computes what out/ should be, compiling only what changed, and refreshes the cache. */
export async function expectedOutput(root: string, opts: CompileOptions = {}): Promise<Expected> {
  const out = join(root, "out");
  const listing = listTree(out);
  const onDisk = new OutOnDisk(listing.top, listing.files);
  const now = await judgedNow(root, opts.mode);
  const findings: Finding[] = [];
  const cache = await readCache(root);
  const next: Cache = {};
  const files: FileMap = new Map();
  const current = new Set<string>();
  const clusters = new Map<string, string>();
  const toCompile: Array<{ file: string; inputs: string }> = [];
  let restatedAny = false;

  const found = await findClusterFiles(root);
  // each cluster's inputs are read at once, not one cluster after another
  const hashes = await Promise.all(found.map((f) => inputsHash(root, f)));
  for (const [i, file] of found.entries()) {
    const inputs = hashes[i];
    const known = confirmed(cache[file], inputs, now, onDisk);
    if (known !== undefined) {
      const { entry } = known;
      restatedAny ||= known.restated;
      next[file] = entry;
      findings.push(...(entry.findings ?? []));
      clusters.set(file, entry.cluster);
      for (const p of Object.keys(entry.files)) current.add(p);
    } else {
      toCompile.push({ file, inputs });
    }
  }

  if (toCompile.length > 0) {
    const { compileClusterFiles } = await import("../pipeline.ts");
    const { loadRepositorySettings } = await import("../policy/settings.ts");
    const { allRuleDocs } = await import("../policy/lint.ts");
    const policy = { ...opts.policy, repository: await loadRepositorySettings(root, allRuleDocs()), today: now.today };
    const { results: compiled } = await compileClusterFiles(root, toCompile.map((c) => c.file), { ...opts, policy });
    for (const [i, { file, inputs }] of toCompile.entries()) {
      const c = compiled[i];
      clusters.set(file, c.name);
      for (const [p, content] of c.files) files.set(p, content);
      findings.push(...c.findings);
      next[file] = cacheEntryFor(c, inputs, now);
    }
  }

  assertUniqueNames(clusters);
  // the files of unchanged clusters are as the cache says; everything else on disk is compared
  const disk = readListed(out, listing, (p) => current.has(p));
  if (toCompile.length > 0 || restatedAny || Object.keys(cache).length !== Object.keys(next).length) await writeCache(root, next);
  return { files, disk, clusters, compiled: toCompile.length, findings, read: onDisk.read };
}

/** What a full build must do, given the cache: the clusters out/ already holds as compiling them would write them, and the rest. */
export interface BuildPlan {
  /** The cluster files to compile. */
  compile: string[];
  /** The clusters taken as they are, with their last compile's results. */
  unchanged: Compiled[];
  /** Their files, which the new out/ takes over. */
  keep: Set<string>;
  /** Nothing to compile and nothing to remove: out/ is exactly what the build would write. */
  current: boolean;
}

/**
 * Which clusters a full build can take from out/ as they are. Undefined when
 * none can (no cache, no out/, or what a killed or running build left in the
 * way): the build then compiles everything, as it would without a cache.
 */
export async function planBuild(root: string, mode: ValidationMode = "metal"): Promise<BuildPlan | undefined> {
  const cache = await readCache(root);
  if (Object.keys(cache).length === 0) return undefined;
  // (loaded here: a build writes a tree anyway, while check, which imports this module, never does)
  const { buildLeftBehind } = await import("../emit/tree.ts");
  if (buildLeftBehind(root)) return undefined;
  const out = join(root, "out");
  const { top, files: listed } = listTree(out);
  if (top !== out || listed.length === 0) return undefined;
  const onDisk = new OutOnDisk(out, listed);
  const now = await judgedNow(root, mode);
  const found = await findClusterFiles(root);
  // each cluster's inputs are read at once, not one cluster after another
  const inputs = await Promise.all(found.map((f) => inputsHash(root, f)));
  const compile: string[] = [];
  const unchanged: Compiled[] = [];
  const restatedEntries: Cache = {};
  found.forEach((file, i) => {
    const known = confirmed(cache[file], inputs[i], now, onDisk);
    if (known === undefined) {
      compile.push(file);
      return;
    }
    const { entry } = known;
    unchanged.push({ file, name: entry.cluster, nodes: entry.nodes ?? 0, hashes: entry.files, findings: entry.findings ?? [] });
    if (known.restated) restatedEntries[file] = entry;
  });
  if (unchanged.length === 0) return undefined;
  const keep = new Set(unchanged.flatMap((c) => Object.keys(c.hashes)));
  const current = compile.length === 0 && listed.every((p) => !inScope(p) || keep.has(p));
  // Stats hold only while out/ stays as it is: a build that writes links each kept file into a new tree, which changes its change time.
  if (current && Object.keys(restatedEntries).length > 0) await writeCache(root, { ...cache, ...restatedEntries });
  return { compile, unchanged, keep, current };
}

/** A build's clusters, those it compiled and those it took unchanged, in name order (as a build compiles them); a name two cluster files use is refused. */
export function buildClusters(compiled: readonly Compiled[], unchanged: readonly Compiled[]): Compiled[] {
  const all = [...compiled, ...unchanged];
  assertUniqueNames(new Map(all.map((c) => [c.file, c.name])));
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Records a build's compiles in the cache (clusters it took as they were keep their entries), so the next check or build can skip them. */
export async function recordBuild(root: string, compiled: readonly Compiled[], mode: ValidationMode = "metal"): Promise<void> {
  const cache = await readCache(root);
  const now = await judgedNow(root, mode);
  // each cluster's inputs are read at once, not one cluster after another
  const inputs = await Promise.all(compiled.map((c) => inputsHash(root, c.file)));
  compiled.forEach((c, i) => (cache[c.file] = cacheEntryFor(c, inputs[i], now)));
  const present = new Set(await findClusterFiles(root));
  for (const file of Object.keys(cache)) if (!present.has(file)) delete cache[file];
  await writeCache(root, cache);
}
