// The check stage: what is on disk under out/ against what the compiler
// produces now. Stale, missing and orphaned files each come with a unified
// diff a reviewer can read.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { FileMap } from "../emit/output.ts";

/** How one file differs. */
export interface Drift {
  /** Path relative to out/. */
  path: string;
  kind: "stale" | "missing" | "orphaned";
  /** A unified diff from what is on disk to what it should be. */
  diff: string;
}

/** Every file below a folder, relative to it, with its text; an absent folder is empty. */
export async function readTree(dir: string): Promise<FileMap> {
  const files: FileMap = new Map();
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() || e.isSymbolicLink()) files.set(p, await readFile(join(dir, p), "utf8"));
    }
  };
  await walk("");
  return files;
}

/** Files under out/ that talc does not own and never reports. */
export function isUnmanaged(path: string): boolean {
  return path === ".gitkeep" || path === "README.md" || path.startsWith(".talc");
}

/**
 * Compares the expected file map with what is on disk. With `clusters`, only
 * those clusters' folders are compared (a partial check).
 */
export function compareTrees(expected: FileMap, actual: FileMap, clusters?: readonly string[]): Drift[] {
  const inScope = (p: string): boolean => !isUnmanaged(p) && (clusters === undefined || clusters.some((c) => p.startsWith(`${c}/`)));
  const drift: Drift[] = [];
  const paths = [...new Set([...expected.keys(), ...actual.keys()])].filter(inScope).sort();
  for (const path of paths) {
    const want = expected.get(path);
    const have = actual.get(path);
    if (want === have) continue;
    const kind = have === undefined ? "missing" : want === undefined ? "orphaned" : "stale";
    const diff = createTwoFilesPatch(`a/out/${path}`, `b/out/${path}`, have ?? "", want ?? "", undefined, undefined, { context: 3 });
    drift.push({ path, kind, diff });
  }
  return drift;
}
