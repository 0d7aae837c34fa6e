// The writer thread (see emit/tree.ts): puts each file of a new out/ tree on
// disk while the main thread compiles the next cluster. Creating thousands of
// small files is mostly the kernel's work; on the main thread, synchronously
// or through the promise API alike, it would follow the compile instead of
// overlapping it.

import { chmodSync, linkSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parentPort } from "node:worker_threads";
import { threadData } from "./thread.ts";

/** What the writer is started with. */
export interface WriterData {
  /** The new tree being written. */
  staging: string;
  /** The current out/, whose unchanged files are linked rather than written again. */
  out: string;
  /** The files out/ holds (paths relative to it), each a real file: no link anywhere below out/. */
  previous: string[];
}

/** Main thread to writer. */
export type ToWriter = { kind: "files"; files: Array<[string, string]>; bytes: number } | { kind: "drain" };

/** A failed file-system call, carried across threads. */
export interface WriterFailure {
  message: string;
  code?: string;
}

/** Writer to main thread. */
export type FromWriter = { kind: "written" | "drained"; bytes: number; failure?: WriterFailure };

const { staging, out, previous } = threadData<WriterData>();
const before = new Set(previous);
const folders = new Set<string>([staging]);
// Files are created 0644; where the umask takes bits away, each is set to 0644 explicitly, so the umask does not
// decide what is committed. Whether it does is seen on the first file (the umask cannot be read without a race).
let umaskStrips: boolean | undefined;
let failure: WriterFailure | undefined;

// A file out/ already holds with the same bytes is linked into the new tree rather than written again: on a
// rebuild most files are unchanged, and a link costs a fraction of creating a file. Only a plain 0644 file linked
// nowhere else qualifies, so the new tree never shares a file with anything outside out/.
function unchanged(rel: string, content: string): boolean {
  if (!before.has(rel)) return false;
  const was = join(out, rel);
  const st = lstatSync(was, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile() || st.nlink !== 1 || (st.mode & 0o777) !== 0o644 || st.size !== Buffer.byteLength(content)) return false;
  return readFileSync(was, "utf8") === content;
}

function put(rel: string, content: string): void {
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
}

parentPort!.on("message", (m: ToWriter) => {
  if (m.kind === "drain") {
    parentPort!.postMessage({ kind: "drained", bytes: 0, failure } satisfies FromWriter);
    return;
  }
  // After a failure the rest is skipped: the tree is thrown away.
  if (failure === undefined) {
    try {
      for (const [rel, content] of m.files) put(rel, content);
    } catch (e) {
      failure = { message: (e as Error).message, code: (e as NodeJS.ErrnoException).code };
    }
  }
  parentPort!.postMessage({ kind: "written", bytes: m.bytes, failure } satisfies FromWriter);
});
