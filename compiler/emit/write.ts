// Writing files so that a reader never sees half of one: each file goes to a
// temporary name beside its destination and is renamed into place. Existing
// files are checked before anything is written, so a refusal writes nothing.

import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, rename, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { TalcError } from "../errors.ts";

/** A file to write. */
export interface FileToWrite {
  path: string;
  content: string | Uint8Array;
  /** Permission bits, e.g. 0o600 for secrets. */
  mode: number;
}

// What is at a destination: nothing, or a file (or link) to replace. A folder there, or a file
// where one of its parent folders must be, is the caller's bad path rather than a failed write,
// and is named as such before anything is written.
async function existing(path: string): Promise<boolean> {
  try {
    if ((await lstat(path)).isDirectory()) {
      throw new TalcError("is a folder; name a file to write instead", { code: "not-a-file", stage: "emit", file: path });
    }
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return false;
    if (code === "ENOTDIR") {
      const file = await fileAbove(path);
      throw new TalcError(`is a file, not a folder, so it cannot hold ${relative(file, path)}`, { code: "not-a-folder", stage: "emit", file });
    }
    throw e;
  }
}

// The nearest path above `path` that exists: with ENOTDIR, the file standing where a folder must be.
async function fileAbove(path: string): Promise<string> {
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    if (await lstat(p).then(() => true, () => false)) return p;
  }
  return path;
}

/** Writes every file or, if any already exists and `force` is not set, none. */
export async function writeFilesAtomically(files: readonly FileToWrite[], opts: { force: boolean }): Promise<void> {
  for (const f of files) {
    if ((await existing(f.path)) && !opts.force) {
      throw new TalcError(`file already exists; pass --force to overwrite it`, { code: "file-exists", stage: "emit", file: f.path });
    }
  }
  // Every temporary file, from the moment it exists, and every folder made for one: a failure
  // removes them all, so a write that fails part-way leaves nothing it made.
  const staged: Array<{ tmp: string; path: string }> = [];
  const made: Array<{ top: string; bottom: string }> = [];
  let renamed = 0;
  // the destination being written, named in an error rather than its temporary file
  let current: string | undefined;
  try {
    for (const f of files) {
      current = f.path;
      const folder = dirname(f.path);
      const top = await mkdir(folder, { recursive: true });
      if (top !== undefined) made.push({ top, bottom: folder });
      const tmp = join(folder, `.${basename(f.path)}.${randomBytes(6).toString("hex")}.tmp`);
      const handle = await open(tmp, "wx", f.mode);
      staged.push({ tmp, path: f.path });
      try {
        await handle.writeFile(f.content);
        await handle.chmod(f.mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const s of staged) {
      current = s.path;
      await rename(s.tmp, s.path);
      renamed++;
    }
  } catch (e) {
    await Promise.all(staged.slice(renamed).map((s) => rm(s.tmp, { force: true })));
    // Folders made here go too, deepest first; one that now holds a renamed file is not empty and stays.
    for (const { top, bottom } of made.reverse()) {
      for (let dir = bottom; dir.length >= top.length; dir = dirname(dir)) {
        if (!(await rmdir(dir).then(() => true, () => false))) break;
      }
    }
    if (e instanceof TalcError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new TalcError(`cannot write (${err.code ?? err.message}); check that the folder is writable`, {
      code: "write-failed",
      stage: "emit",
      file: current ?? err.path,
      cause: e,
    });
  }
}
