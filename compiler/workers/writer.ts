// The writer thread (see emit/tree.ts): puts each file of a new out/ tree on
// disk while the main thread compiles the next cluster. Creating thousands of
// small files is mostly the kernel's work; on the main thread, synchronously
// or through the promise API alike, it would follow the compile instead of
// overlapping it.

import { parentPort } from "node:worker_threads";
import { filePutter, type WriterData } from "../emit/put.ts";
import { threadData } from "./thread.ts";

/** Main thread to writer. */
export type ToWriter = { kind: "files"; files: Array<[string, string]>; bytes: number } | { kind: "drain" };

/** A failed file-system call, carried across threads. */
export interface WriterFailure {
  message: string;
  code?: string;
}

/** Writer to main thread. */
export type FromWriter = { kind: "written" | "drained"; bytes: number; failure?: WriterFailure };

const put = filePutter(threadData<WriterData>());
let failure: WriterFailure | undefined;

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
