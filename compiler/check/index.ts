// The check stage: what is on disk under out/ against what the compiler
// produces now. Stale, missing and orphaned files each come with a unified
// diff a reviewer can read.

import { lstat, readdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createRequire } from "node:module";
import type { FileMap } from "../emit/output.ts";
import { TalcError } from "../errors.ts";

/** How one file differs. */
export interface Drift {
  /** Path relative to out/. */
  path: string;
  kind: "stale" | "missing" | "orphaned";
  /** A unified diff from what is on disk to what it should be. */
  diff: string;
}

function unsafe(message: string, file: string): TalcError {
  return new TalcError(message, { code: "unsafe-path", stage: "check", file });
}

/**
 * Every file below a folder, relative to it, with its text; an absent folder
 * is empty. Symbolic links are refused, never followed: out/ holds only what
 * talc writes, and a link there (committed by anyone) must not make talc read
 * a file elsewhere into a diff or copy it into out/. When the folder is
 * missing but a build killed between its two renames left the previous tree
 * as `.<name>.old-*` beside it, that tree is what the folder holds (the next
 * build puts it back).
 */
export async function readTree(dir: string): Promise<FileMap> {
  const files: FileMap = new Map();
  let top = dir;
  const st = await lstat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw unsafe(`cannot read (${e.code ?? e.message})`, dir);
  });
  if (st === undefined) {
    const parent = dirname(dir);
    const prefix = `.${basename(dir)}.old-`;
    const left = (await readdir(parent).catch(() => [] as string[])).filter((n) => n.startsWith(prefix)).sort();
    if (left.length === 0) return files;
    top = join(parent, left[0]);
    if (!(await lstat(top)).isDirectory()) return files;
  } else if (st.isSymbolicLink()) {
    throw unsafe(`is a symbolic link; talc reads and writes only a real folder here`, dir);
  } else if (!st.isDirectory()) {
    throw unsafe(`is not a folder; remove it so that talc build can write the folder`, dir);
  }
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(top, rel), { withFileTypes: true });
    } catch (e) {
      throw unsafe(`cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, join(dir, rel));
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(p);
      else if (e.isSymbolicLink()) throw unsafe("is a symbolic link; out/ holds only files talc writes: remove it and run talc build", join(dir, p));
      else if (e.isFile()) {
        const text = await readFile(join(top, p), "utf8").catch((err: NodeJS.ErrnoException) => {
          throw unsafe(`cannot read (${err.code ?? err.message})`, join(dir, p));
        });
        files.set(p, text);
      }
    }
  };
  await walk("");
  return files;
}

// The diff library loads only when there is drift to show.
function unifiedDiff(): typeof import("diff").createTwoFilesPatch {
  return (createRequire(import.meta.url)("diff") as typeof import("diff")).createTwoFilesPatch;
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
    const diff = unifiedDiff()(`a/out/${path}`, `b/out/${path}`, have ?? "", want ?? "", undefined, undefined, { context: 3 });
    drift.push({ path, kind, diff });
  }
  return drift;
}
