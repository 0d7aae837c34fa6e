// Replacing out/ as a whole: the new tree is written beside it and swapped in
// with renames, so a reader (or a build killed half way) sees the old tree or
// the new one, never a mix. A lock file makes a second concurrent build fail
// instead of interleaving.

import { randomBytes } from "node:crypto";
import { copyFile, lstat, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { TalcError } from "../errors.ts";
import { isUnmanaged, readTree } from "../check/index.ts";
import type { FileMap } from "./output.ts";

const LOCK = ".talc-build.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the build lock of a repository; the returned function releases it. */
export async function acquireBuildLock(root: string): Promise<() => Promise<void>> {
  const path = join(root, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid) && pid !== process.pid) {
        throw new TalcError(`another talc build is running (pid ${pid}); wait for it to finish`, { code: "build-locked", stage: "emit", file: path });
      }
      // The holder died without releasing it.
      await rm(path, { force: true });
    }
  }
  throw new TalcError("could not take the build lock", { code: "build-locked", stage: "emit", file: path });
}

// Finishes or undoes a swap a killed build left behind: if out/ is gone, the old tree comes back.
async function recover(root: string, outName: string): Promise<void> {
  const names = await readdir(root);
  const outExists = names.includes(outName);
  for (const n of names.filter((n) => n.startsWith(`.${outName}.old-`))) {
    if (!outExists) await rename(join(root, n), join(root, outName));
    else await rm(join(root, n), { recursive: true, force: true });
  }
  for (const n of names.filter((n) => n.startsWith(`.${outName}.new-`))) await rm(join(root, n), { recursive: true, force: true });
}

/**
 * Replaces `<root>/out` with the given files. With `clusters`, only those
 * clusters' folders change and the rest of out/ is kept as it is.
 */
export async function replaceOutTree(root: string, files: FileMap, clusters?: readonly string[], outName = "out"): Promise<void> {
  const out = join(root, outName);
  const st = await lstat(out).catch(() => undefined);
  if (st?.isSymbolicLink()) {
    throw new TalcError(`${outName}/ is a symbolic link; talc writes only into a real folder`, { code: "unsafe-path", stage: "emit", file: out });
  }
  const release = await acquireBuildLock(root);
  try {
    await recover(root, outName);
    const staging = join(root, `.${outName}.new-${randomBytes(6).toString("hex")}`);
    const keep = (await readTree(out)).keys();
    for (const rel of keep) {
      const kept = isUnmanaged(rel) || (clusters !== undefined && !clusters.some((c) => rel.startsWith(`${c}/`)));
      if (!kept || files.has(rel)) continue;
      await mkdir(dirname(join(staging, rel)), { recursive: true });
      await copyFile(join(out, rel), join(staging, rel));
    }
    for (const [rel, content] of files) {
      await mkdir(dirname(join(staging, rel)), { recursive: true });
      await writeFile(join(staging, rel), content, { mode: 0o644 });
    }
    await mkdir(staging, { recursive: true });
    const old = join(root, `.${outName}.old-${randomBytes(6).toString("hex")}`);
    const hadOut = st !== undefined;
    if (hadOut) await rename(out, old);
    await rename(staging, out);
    if (hadOut) await rm(old, { recursive: true, force: true });
  } finally {
    await release();
  }
}
