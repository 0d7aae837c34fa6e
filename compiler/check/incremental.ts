// What out/ should hold, recompiling only clusters whose inputs changed: a
// cluster whose input hash matches the cache and whose files on disk still
// hash as the cache says is current without loading its definition.

import { join } from "node:path";
import { TalcError } from "../errors.ts";
import { sha256, type FileMap } from "../emit/output.ts";
import { findClusterFiles } from "../load/files.ts";
import type { CompileOptions } from "../pipeline.ts";
import { inputsHash, readCache, writeCache, type Cache } from "./cache.ts";
import { readTree } from "./index.ts";

/** The expected out/ tree and what it took to know it. */
export interface Expected {
  /** Path relative to out/ → expected content. */
  files: FileMap;
  /** What is on disk under out/. */
  disk: FileMap;
  /** Cluster names by cluster file. */
  clusters: Map<string, string>;
  /** How many cluster files were compiled (the rest came from the cache). */
  compiled: number;
}

function cacheEntryFor(cluster: string, files: FileMap, inputs: string): Cache[string] {
  return { inputs, cluster, files: Object.fromEntries([...files].map(([p, c]) => [p, sha256(c)])) };
}

/** Computes what out/ should be, compiling only what changed, and refreshes the cache. */
export async function expectedOutput(root: string, opts: CompileOptions = {}): Promise<Expected> {
  const disk = await readTree(join(root, "out"));
  const cache = await readCache(root);
  const next: Cache = {};
  const files: FileMap = new Map();
  const clusters = new Map<string, string>();
  const toCompile: Array<{ file: string; inputs: string }> = [];

  for (const file of await findClusterFiles(root)) {
    const inputs = await inputsHash(root, file);
    const entry = cache[file];
    const fresh = entry !== undefined && entry.inputs === inputs && Object.entries(entry.files).every(([p, h]) => disk.has(p) && sha256(disk.get(p)!) === h);
    if (fresh) {
      next[file] = entry;
      clusters.set(file, entry.cluster);
      for (const p of Object.keys(entry.files)) files.set(p, disk.get(p)!);
    } else {
      toCompile.push({ file, inputs });
    }
  }

  if (toCompile.length > 0) {
    const { loadClusterFiles } = await import("../load/definition.ts");
    const { compileCluster } = await import("../pipeline.ts");
    const problems: TalcError[] = [];
    const loaded = await loadClusterFiles(root, toCompile.map((c) => c.file));
    for (const [i, { file, inputs }] of toCompile.entries()) {
      try {
        const compiled = compileCluster(loaded[i], opts);
        clusters.set(file, compiled.name);
        for (const [p, c] of compiled.files) files.set(p, c);
        next[file] = cacheEntryFor(compiled.name, compiled.files, inputs);
      } catch (e) {
        if (!(e instanceof TalcError)) throw e;
        problems.push(...e.all);
      }
    }
    if (problems.length > 0) throw TalcError.many(problems);
  }

  const byName = new Map<string, string>();
  for (const [file, name] of [...clusters].sort()) {
    const other = byName.get(name);
    if (other !== undefined) {
      throw new TalcError(`cluster name "${name}" is used by ${other} too; names must be unique`, { code: "duplicate-cluster", stage: "load", file, path: "name" });
    }
    byName.set(name, file);
  }
  if (toCompile.length > 0 || Object.keys(cache).length !== Object.keys(next).length) await writeCache(root, next);
  return { files, disk, clusters, compiled: toCompile.length };
}

/** Records a full build's results in the cache, so the next check can skip it. */
export async function recordBuild(root: string, compiled: ReadonlyArray<{ file: string; name: string; files: FileMap }>): Promise<void> {
  const cache = await readCache(root);
  for (const c of compiled) cache[c.file] = cacheEntryFor(c.name, c.files, await inputsHash(root, c.file));
  const present = new Set(await findClusterFiles(root));
  for (const file of Object.keys(cache)) if (!present.has(file)) delete cache[file];
  await writeCache(root, cache);
}
