// Putting the files of a new out/ tree on disk, on whichever thread writes
// them: the writer thread for a fleet, this thread for a few files.

import { chmodSync, linkSync, lstatSync, mkdirSync, readFileSync, writeFileSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";

/** Where a new tree's files go, and the tree it replaces. */
export interface WriterData {
  /** The new tree being written. */
  staging: string;
  /** The current out/, whose unchanged files are linked rather than written again. */
  out: string;
  /** The files out/ holds (paths relative to it), each a real file: no link anywhere below out/. */
  previous: string[];
}

/**
 * Whether a file of out/ may be linked into the new tree rather than written or copied: a plain 0644
 * file linked nowhere else, so the new tree never shares a file with anything outside out/.
 */
export function linkable(st: Stats): boolean {
  return st.isFile() && st.nlink === 1 && (st.mode & 0o777) === 0o644;
}

/** Returns a function that writes one file (a path relative to out/) into the new tree. */
export function filePutter({ staging, out, previous }: WriterData): (rel: string, content: string) => void {
  const before = new Set(previous);
  const folders = new Set<string>([staging]);
  // Files are created 0644; where the umask takes bits away, each is set to 0644 explicitly, so the umask does not
  // decide what is committed. Whether it does is seen on the first file (the umask cannot be read without a race).
  let umaskStrips: boolean | undefined;

  // A file out/ already holds with the same bytes is linked into the new tree rather than written again: on a
  // rebuild most files are unchanged, and a link costs a fraction of creating a file.
  const unchanged = (rel: string, content: string): boolean => {
    if (!before.has(rel)) return false;
    const was = join(out, rel);
    const st = lstatSync(was, { throwIfNoEntry: false });
    if (st === undefined || !linkable(st) || st.size !== Buffer.byteLength(content)) return false;
    return readFileSync(was, "utf8") === content;
  };

  return (rel, content) => {
    const target = join(staging, rel);
    const folder = dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    if (unchanged(rel, content)) {
      linkSync(join(out, rel), target);
      return;
    }
    writeFileSync(target, content, { mode: 0o644 });
    umaskStrips ??= (lstatSync(target).mode & 0o777) !== 0o644;
    if (umaskStrips) chmodSync(target, 0o644);
  };
}
