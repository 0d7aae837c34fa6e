// Writing files so that a reader never sees half of one: each file goes to a
// temporary name beside its destination and is renamed into place. Existing
// files are checked before anything is written, so a refusal writes nothing.

import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { TalcError } from "../errors.ts";

/** A file to write. */
export interface FileToWrite {
  path: string;
  content: string | Uint8Array;
  /** Permission bits, e.g. 0o600 for secrets. */
  mode: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

/** Writes every file or, if any already exists and `force` is not set, none. */
export async function writeFilesAtomically(files: readonly FileToWrite[], opts: { force: boolean }): Promise<void> {
  if (!opts.force) {
    for (const f of files) {
      if (await exists(f.path)) {
        throw new TalcError(`file already exists; pass --force to overwrite it`, { code: "file-exists", stage: "emit", file: f.path });
      }
    }
  }
  const staged: Array<{ tmp: string; path: string }> = [];
  try {
    for (const f of files) {
      await mkdir(dirname(f.path), { recursive: true });
      const tmp = join(dirname(f.path), `.${basename(f.path)}.${randomBytes(6).toString("hex")}.tmp`);
      const handle = await open(tmp, "wx", f.mode);
      try {
        await handle.writeFile(f.content);
        await handle.chmod(f.mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
      staged.push({ tmp, path: f.path });
    }
    for (const s of staged) await rename(s.tmp, s.path);
  } catch (e) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    if (e instanceof TalcError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new TalcError(`cannot write (${err.code ?? err.message}); check that the folder is writable`, {
      code: "write-failed",
      stage: "emit",
      file: err.path ?? files[staged.length]?.path,
      cause: e,
    });
  }
}
