// The check stage: what is on disk under out/ against what the compiler
// produces now. Stale, missing and orphaned files each come with a unified
// diff a reviewer can read.

import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { FileMap } from "../emit/output.ts";
import { TalcError } from "../errors.ts";
import { diff as diffLibrary } from "../lazy.ts";

/** How one file differs. */
interface Drift {
  /** Path relative to out/. */
  path: string;
  kind: "stale" | "missing" | "orphaned";
  /** A unified diff from what is on disk to what it should be. */
  diff: string;
}

function unsafe(message: string, file: string): TalcError {
  return new TalcError(message, { code: "unsafe-path", stage: "check", file });
}

function cannotRead(e: unknown, file: string): TalcError {
  return unsafe(`cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
}

/** The files of a folder found by {@link listTree}: where they are read from, and their paths relative to it. */
interface TreeListing {
  /** The folder read: the one asked for, or a tree a killed build left beside it. */
  top: string;
  /** Paths of the files below `top`, relative to it, sorted. */
  files: string[];
}

/** Where a build swapping in a new `dir` puts the previous tree until it is removed: `.<name>.old-<random>` beside it. */
export function oldTreePath(dir: string, random: string): string {
  return join(dirname(dir), `.${basename(dir)}.old-${random}`);
}

/** The previous trees of `dir` that a build killed mid-swap left, in name order, from the names in its parent folder. */
export function oldTrees(dir: string, names: readonly string[]): string[] {
  const prefix = `.${basename(dir)}.old-`;
  return names
    .filter((n) => n.startsWith(prefix))
    .sort()
    .map((n) => join(dirname(dir), n));
}

/**
 * Every file below a folder, relative to it; an absent folder is empty.
 * Symbolic links are refused, never followed: out/ holds only what talc
 * writes, and a link there (committed by anyone) must not make talc read a
 * file elsewhere into a diff or copy it into out/. When the folder is missing
 * but a build killed between its two renames left the previous tree as
 * `.<name>.old-*` beside it, that tree is what the folder holds (the next
 * build puts it back). Synchronous: a fleet's out/ has thousands of small
 * files, and one system call each on this thread is many times faster than a
 * round trip through the thread pool each.
 */
export function listTree(dir: string): TreeListing {
  const files: string[] = [];
  let top = dir;
  let st;
  try {
    st = lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw cannotRead(e, dir);
  }
  if (st === undefined) {
    let names: string[] = [];
    try {
      names = readdirSync(dirname(dir));
    } catch {
      // No parent folder: nothing below it either.
    }
    // the tree the next build puts back (see emit/tree.ts)
    const left = oldTrees(dir, names).find((p) => lstatSync(p).isDirectory());
    if (left === undefined) return { top, files };
    top = left;
  } else if (st.isSymbolicLink()) {
    throw unsafe(`is a symbolic link; talc reads and writes only a real folder here`, dir);
  } else if (!st.isDirectory()) {
    throw unsafe(`is not a folder; remove it so that talc build can write the folder`, dir);
  }
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(join(top, rel), { withFileTypes: true });
    } catch (e) {
      throw cannotRead(e, join(dir, rel));
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.isSymbolicLink()) throw unsafe("is a symbolic link; out/ holds only files talc writes: remove it and run talc build", join(dir, p));
      else if (e.isFile()) files.push(p);
    }
  };
  walk("");
  return { top, files };
}

/** Every file below a folder, relative to it, with its text: {@link listTree}, then each file read. */
export async function readTree(dir: string): Promise<FileMap> {
  return readListed(dir, listTree(dir));
}

/** The text of the files a {@link listTree} of `dir` found, but for those `skip` passes over. */
export function readListed(dir: string, { top, files }: TreeListing, skip: (path: string) => boolean = () => false): FileMap {
  const tree: FileMap = new Map();
  for (const p of files) {
    if (skip(p)) continue;
    try {
      tree.set(p, readFileSync(join(top, p), "utf8"));
    } catch (err) {
      throw cannotRead(err, join(dir, p));
    }
  }
  return tree;
}

/** Files under out/ that talc does not own and never reports. */
function isUnmanaged(path: string): boolean {
  return path === ".gitkeep" || path === "README.md" || path.startsWith(".talc");
}

/** Whether a path under out/ is talc's to compare and replace: managed, and in one of `clusters` when given. */
export function inScope(path: string, clusters?: readonly string[]): boolean {
  return !isUnmanaged(path) && (clusters === undefined || clusters.some((c) => path.startsWith(`${c}/`)));
}

/**
 * Compares the expected file map with what is on disk. With `clusters`, only
 * those clusters' folders are compared (a partial check).
 */
export function compareTrees(expected: FileMap, actual: FileMap, clusters?: readonly string[]): Drift[] {
  const drift: Drift[] = [];
  const paths = [...new Set([...expected.keys(), ...actual.keys()])].filter((p) => inScope(p, clusters)).sort();
  for (const path of paths) {
    const want = expected.get(path);
    const have = actual.get(path);
    if (want === have) continue;
    const kind = have === undefined ? "missing" : want === undefined ? "orphaned" : "stale";
    // the diff library loads only when there is drift to show
    const text = diffLibrary().createTwoFilesPatch(`a/out/${path}`, `b/out/${path}`, have ?? "", want ?? "", undefined, undefined, { context: 3 });
    drift.push({ path, kind, diff: text });
  }
  return drift;
}
