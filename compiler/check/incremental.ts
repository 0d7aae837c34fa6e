// What out/ should hold, recompiling only clusters whose inputs changed: a
// cluster whose input hash matches the cache and whose files on disk still
// hold what the cache says is current without loading its definition. talc
// check compares the result with out/; talc build compiles only the clusters
// that changed and carries the others over.

import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readFileSync, statfsSync, type Stats } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TalcError } from "../errors.ts";
import { sha256 } from "../emit/hash.ts";
import type { FileMap } from "../emit/output.ts";
import { findClusterFiles } from "../load/files.ts";
import type { CompileOptions } from "../pipeline.ts";
import type { ValidationMode } from "../validate/types.ts";
import { coversReads, fileSystemNow, inputsReader, readCache, writeCache, type Cache, type CacheEntry, type Inputs } from "./cache.ts";
import { inScope, listTree, readListed } from "./index.ts";
import type { Finding } from "../policy/types.ts";

/** What out/ should hold against what it holds, leaving out the files known to be as they should, and what it took to know it. */
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
  /** How many files of out/ were read and hashed to check them against the cache (the others were known by their stats). */
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
  /** What esbuild read to load the cluster file, relative to the root; a compile cached without it could go stale unseen. */
  reads?: readonly string[];
}

function cacheEntryFor(c: Compiled, inputs: string, now: Judged): CacheEntry {
  return { inputs, cluster: c.name, nodes: c.nodes, mode: now.mode, files: c.hashes, findings: c.findings, lintedOn: now.today, settings: now.settings };
}

/** The date, settings and mode a compile is judged on now. */
async function judgedNow(root: string, mode: ValidationMode = "metal"): Promise<Judged> {
  const settings = await readFile(join(root, "talc.config.json"), "utf8").catch(() => "");
  return { today: new Date().toISOString().slice(0, 10), settings: sha256(settings), mode };
}

/** Whether a compile may be cached against these inputs: they cover every file esbuild read to load the cluster. */
function cacheable(root: string, c: Compiled, inputs: Inputs): boolean {
  return c.reads !== undefined && coversReads(root, inputs, c.reads);
}

/** Whether a cache entry still tells what compiling its cluster gives now: the same inputs, judged on the same date, settings and mode. */
function stillApplies(entry: CacheEntry | undefined, inputs: string, now: Judged): entry is CacheEntry {
  return entry !== undefined && entry.inputs === inputs && entry.lintedOn === now.today && entry.settings === now.settings && entry.mode === now.mode;
}

/**
 * How long a file must have gone unwritten before its stats may stand for
 * its content: longer than the coarsest timestamp step of a file system
 * (FAT's two seconds), so that any later write moves its change time.
 */
export const SETTLED_MS = 2000;

/**
 * The file systems whose stats may stand for content (Linux's magic
 * numbers): local ones that keep a real change time and answer a stat from
 * the disk's current state. ext2–4, XFS, Btrfs, tmpfs, ZFS, overlayfs, F2FS,
 * bcachefs. Elsewhere (NFS, which may answer from a cache of attributes;
 * sshfs, which has no change time; other systems) every file is read.
 */
const TRUSTED_FILE_SYSTEMS = new Set([0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x2fc12fc1, 0x794c7630, 0xf2f52010, 0xca451a4e]);

function trustsStats(dir: string): boolean {
  if (process.platform !== "linux") return false;
  try {
    return TRUSTED_FILE_SYSTEMS.has(statfsSync(dir).type);
  } catch {
    return false;
  }
}

const NO_FOLLOW = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);

/**
 * out/'s files, checked against the hashes a cache entry recorded. As git's
 * index does, a file whose size, modification and change times and inode
 * are what the entry recorded is taken to hold what it held then; any other
 * is read and hashed. Its stats are recorded only once it has gone
 * {@link SETTLED_MS} unwritten, by both this machine's clock and the file
 * system's, so that a write after the read, even within the same timestamp
 * step, cannot leave them as they were.
 */
class OutOnDisk {
  /** Files read and hashed, rather than known by their stats. */
  read = 0;
  private readonly present: ReadonlySet<string>;
  private readonly trusted: boolean;
  private readonly startedAt = Date.now();
  private settled: number | undefined;

  constructor(
    private readonly root: string,
    private readonly top: string,
    files: readonly string[],
  ) {
    this.present = new Set(files);
    this.trusted = trustsStats(top);
  }

  /** When out/ holds each of the entry's files as it recorded them, the stats that now vouch for them; otherwise undefined. */
  holds(entry: CacheEntry): Record<string, string> | undefined {
    const stats: Record<string, string> = {};
    for (const [p, hash] of Object.entries(entry.files)) {
      if (!this.present.has(p)) return undefined;
      const path = join(this.top, p);
      if (this.trusted && entry.stats?.[p] !== undefined) {
        try {
          const seen = signature(lstatSync(path));
          if (entry.stats[p] === seen) {
            stats[p] = seen;
            continue;
          }
        } catch {
          return undefined;
        }
      }
      const settled = this.settledBefore();
      // the stats recorded are those of the very file read (opened, never through a link), taken before reading it
      let content: Buffer;
      let st: Stats;
      let fd: number | undefined;
      try {
        fd = openSync(path, NO_FOLLOW);
        st = fstatSync(fd);
        if (!st.isFile()) return undefined;
        content = readFileSync(fd);
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
      this.read++;
      if (sha256(content) !== hash) return undefined;
      if (st.mtimeMs < settled && st.ctimeMs < settled) stats[p] = signature(st);
    }
    return stats;
  }

  /**
   * The time before which a file counts as settled (-Infinity where stats are not trusted). Taken when a file is
   * first read, before its stats: a file read later cannot have been written after that unseen.
   */
  private settledBefore(): number {
    if (!this.trusted) return -Infinity;
    return (this.settled ??= Math.min(this.startedAt, fileSystemNow(this.root) ?? -Infinity) - SETTLED_MS);
  }
}

function signature(st: Stats): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
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

/** Each cluster file's inputs, by file. */
async function hashInputs(root: string): Promise<Map<string, Inputs>> {
  const found = await findClusterFiles(root);
  // each cluster's inputs are read at once, not one cluster after another
  const inputs = await Promise.all(found.map(inputsReader(root)));
  return new Map(found.map((file, i) => [file, inputs[i]]));
}

/**
 * What compiles are judged and recorded against: the inputs of every cluster
 * file and how they are judged, read before anything is compiled. A file
 * edited while a build or check runs then has a newer hash than the one
 * recorded, and the next one compiles it again.
 */
export interface Basis {
  now: Judged;
  inputs: Map<string, Inputs>;
}

/** Reads the basis (see Basis): called before any cluster file is read for compiling. */
export async function readBasis(root: string, mode: ValidationMode = "metal"): Promise<Basis> {
  const [now, inputs] = await Promise.all([judgedNow(root, mode), hashInputs(root)]);
  return { now, inputs };
}

/** Each cluster file of the repository with the hash of its inputs and, where out/ holds it as the cache says, its confirmed entry. */
function survey(cache: Cache, basis: Basis, onDisk: OutOnDisk): Array<{ file: string; inputs: Inputs; known: ReturnType<typeof confirmed> }> {
  return [...basis.inputs].map(([file, inputs]) => ({ file, inputs, known: confirmed(cache[file], inputs.hash, basis.now, onDisk) }));
}

/** Computes what out/ should be, compiling only what changed, and refreshes the cache. */
export async function expectedOutput(root: string, opts: CompileOptions = {}): Promise<Expected> {
  const out = join(root, "out");
  const listing = listTree(out);
  const onDisk = new OutOnDisk(root, listing.top, listing.files);
  const basis = await readBasis(root, opts.mode);
  const { now } = basis;
  const findings: Finding[] = [];
  const cache = await readCache(root);
  const next: Cache = {};
  const files: FileMap = new Map();
  const current = new Set<string>();
  const clusters = new Map<string, string>();
  const toCompile: Array<{ file: string; inputs: Inputs }> = [];
  const restated: Cache = {};

  for (const { file, inputs, known } of survey(cache, basis, onDisk)) {
    if (known !== undefined) {
      const { entry } = known;
      if (known.restated) restated[file] = entry;
      next[file] = entry;
      findings.push(...(entry.findings ?? []));
      clusters.set(file, entry.cluster);
      for (const p of Object.keys(entry.files)) current.add(p);
    } else {
      toCompile.push({ file, inputs });
    }
  }

  // Read now, as close to the listing as can be: the files of unchanged clusters are as the cache says, everything else is compared.
  const disk = readListed(out, listing, (p) => current.has(p));

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
      if (cacheable(root, c, inputs)) next[file] = cacheEntryFor(c, inputs.hash, now);
    }
  }

  assertUniqueNames(clusters);
  if (toCompile.length > 0 || Object.keys(cache).length !== Object.keys(next).length) await writeCache(root, next);
  else if (Object.keys(restated).length > 0) await addStats(root, restated);
  return { files, disk, clusters, compiled: toCompile.length, findings, read: onDisk.read };
}

/** Whether two entries record the same compile: of the same inputs, judged alike, giving the same files. */
function sameCompile(a: CacheEntry, b: CacheEntry): boolean {
  return a.inputs === b.inputs && a.lintedOn === b.lintedOn && a.settings === b.settings && a.mode === b.mode && JSON.stringify(a.files) === JSON.stringify(b.files);
}

/**
 * Records the stats of entries confirmed current, into the cache as it is
 * now: a build or check may have written it since it was read (neither
 * takes a lock when it has nothing to write), and only an entry still the
 * same takes them.
 */
async function addStats(root: string, restated: Cache): Promise<void> {
  const latest = await readCache(root);
  let changed = false;
  for (const [file, entry] of Object.entries(restated)) {
    const there = latest[file];
    if (there === undefined || !sameCompile(there, entry)) continue;
    latest[file] = { ...there, stats: entry.stats };
    changed = true;
  }
  if (changed) await writeCache(root, latest);
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
export async function planBuild(root: string, basis: Basis): Promise<BuildPlan | undefined> {
  const cache = await readCache(root);
  if (Object.keys(cache).length === 0) return undefined;
  // (loaded here: a build writes a tree anyway, while check, which imports this module, never does)
  const { buildLeftBehind } = await import("../emit/tree.ts");
  if (buildLeftBehind(root)) return undefined;
  const out = join(root, "out");
  const { top, files: listed } = listTree(out);
  if (top !== out || listed.length === 0) return undefined;
  const onDisk = new OutOnDisk(root, out, listed);
  const compile: string[] = [];
  const unchanged: Compiled[] = [];
  const restated: Cache = {};
  for (const { file, known } of survey(cache, basis, onDisk)) {
    if (known === undefined) {
      compile.push(file);
      continue;
    }
    const { entry } = known;
    unchanged.push({ file, name: entry.cluster, nodes: entry.nodes ?? 0, hashes: entry.files, findings: entry.findings ?? [] });
    if (known.restated) restated[file] = entry;
  }
  if (unchanged.length === 0) return undefined;
  const keep = new Set(unchanged.flatMap((c) => Object.keys(c.hashes)));
  const current = compile.length === 0 && listed.every((p) => !inScope(p) || keep.has(p));
  // Stats hold only while out/ stays as it is: a build that writes links each kept file into a new tree, which changes its change time.
  if (current && Object.keys(restated).length > 0) await addStats(root, restated);
  return { compile, unchanged, keep, current };
}

/** A build's clusters, those it compiled and those it took unchanged, in name order (as a build compiles them); a name two cluster files use is refused. */
export function buildClusters(compiled: readonly Compiled[], unchanged: readonly Compiled[]): Compiled[] {
  const all = [...compiled, ...unchanged];
  assertUniqueNames(new Map(all.map((c) => [c.file, c.name])));
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Records a build's compiles in the cache against the basis read before they
 * ran (clusters it took as they were keep their entries), so the next check
 * or build can skip them. A cluster file the basis did not hash (one added
 * while the build ran), or whose compile read a file the basis did not hash,
 * gets no entry: the next build compiles it.
 */
export async function recordBuild(root: string, compiled: readonly Compiled[], basis: Basis): Promise<void> {
  const cache = await readCache(root);
  for (const c of compiled) {
    const inputs = basis.inputs.get(c.file);
    if (inputs === undefined || !cacheable(root, c, inputs)) delete cache[c.file];
    else cache[c.file] = cacheEntryFor(c, inputs.hash, basis.now);
  }
  const present = new Set(await findClusterFiles(root));
  for (const file of Object.keys(cache)) if (!present.has(file)) delete cache[file];
  await writeCache(root, cache);
}
