// What out/ should hold, recompiling only clusters whose inputs changed: a
// cluster whose input hash matches the cache and whose files on disk still
// hash as the cache says is current without loading its definition.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TalcError } from "../errors.ts";
import { sha256 } from "../emit/hash.ts";
import type { FileMap } from "../emit/output.ts";
import { findClusterFiles } from "../load/files.ts";
import type { CompileOptions } from "../pipeline.ts";
import { inputsHash, readCache, writeCache, type Cache } from "./cache.ts";
import { readTree } from "./index.ts";
import type { Finding } from "../policy/types.ts";

/** The expected out/ tree and what it took to know it. */
interface Expected {
  /** Path relative to out/ → expected content. */
  files: FileMap;
  /** What is on disk under out/. */
  disk: FileMap;
  /** Cluster names by cluster file. */
  clusters: Map<string, string>;
  /** How many cluster files were compiled (the rest came from the cache). */
  compiled: number;
  /** Policy findings of every cluster (from the cache for unchanged ones). */
  findings: Finding[];
}

/** What a cache entry's findings were judged on. */
interface LintContext {
  today: string;
  /** A hash of the repository's policy settings. */
  settings: string;
}

function cacheEntryFor(cluster: string, hashes: Record<string, string>, inputs: string, findings: Finding[], lint: LintContext): Cache[string] {
  return { inputs, cluster, files: hashes, findings, lintedOn: lint.today, settings: lint.settings };
}

/** The date and settings findings are judged on now. */
async function lintContext(root: string): Promise<LintContext> {
  const settings = await readFile(join(root, "talc.config.json"), "utf8").catch(() => "");
  return { today: new Date().toISOString().slice(0, 10), settings: sha256(settings) };
}

/** Computes what out/ should be, compiling only what changed, and refreshes the cache. */
export async function expectedOutput(root: string, opts: CompileOptions = {}): Promise<Expected> {
  const disk = await readTree(join(root, "out"));
  const lint = await lintContext(root);
  const findings: Finding[] = [];
  const cache = await readCache(root);
  const next: Cache = {};
  const files: FileMap = new Map();
  const clusters = new Map<string, string>();
  const toCompile: Array<{ file: string; inputs: string }> = [];

  const found = await findClusterFiles(root);
  // each cluster's inputs are read at once, not one cluster after another
  const hashes = await Promise.all(found.map((f) => inputsHash(root, f)));
  for (const [i, file] of found.entries()) {
    const inputs = hashes[i];
    const entry = cache[file];
    const fresh =
      entry !== undefined &&
      entry.inputs === inputs &&
      entry.lintedOn === lint.today &&
      entry.settings === lint.settings &&
      Object.entries(entry.files).every(([p, h]) => disk.has(p) && sha256(disk.get(p)!) === h);
    if (fresh) {
      next[file] = entry;
      findings.push(...(entry.findings ?? []));
      clusters.set(file, entry.cluster);
      for (const p of Object.keys(entry.files)) files.set(p, disk.get(p)!);
    } else {
      toCompile.push({ file, inputs });
    }
  }

  if (toCompile.length > 0) {
    const { loadClusterFiles } = await import("../load/definition.ts");
    const { compileAll } = await import("../workers/pool.ts");
    const { loadRepositorySettings } = await import("../policy/settings.ts");
    const { allRuleDocs } = await import("../policy/lint.ts");
    const policy = { ...opts.policy, repository: await loadRepositorySettings(root, allRuleDocs()), today: lint.today };
    const loaded = await loadClusterFiles(root, toCompile.map((c) => c.file));
    const { results: compiled } = await compileAll(loaded, { ...opts, policy });
    for (const [i, { file, inputs }] of toCompile.entries()) {
      const c = compiled[i];
      clusters.set(file, c.name);
      for (const [p, content] of c.files) files.set(p, content);
      findings.push(...c.findings);
      next[file] = cacheEntryFor(c.name, c.hashes, inputs, c.findings, lint);
    }
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
  return { files, disk, clusters, compiled: toCompile.length, findings };
}

/** Records a full build's results in the cache, so the next check can skip it. */
export async function recordBuild(root: string, compiled: ReadonlyArray<{ file: string; name: string; hashes: Record<string, string>; findings: Finding[] }>): Promise<void> {
  const cache = await readCache(root);
  const lint = await lintContext(root);
  // each cluster's inputs are read at once, not one cluster after another
  const inputs = await Promise.all(compiled.map((c) => inputsHash(root, c.file)));
  compiled.forEach((c, i) => (cache[c.file] = cacheEntryFor(c.name, c.hashes, inputs[i], c.findings, lint)));
  const present = new Set(await findClusterFiles(root));
  for (const file of Object.keys(cache)) if (!present.has(file)) delete cache[file];
  await writeCache(root, cache);
}
