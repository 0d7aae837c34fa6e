// A compile worker (see pool.ts): takes clusters from the shared counter until
// none are left and posts each result or failure back.

import { parentPort } from "node:worker_threads";
import type { LoadedCluster } from "../load/definition.ts";
import { compileCluster } from "../pipeline.ts";
import { serializeError, summarize, type WorkerMessage, type WorkerOptions } from "./pool.ts";
import { threadData } from "./thread.ts";

const { clusters, opts, next } = threadData<{ clusters: LoadedCluster[]; opts: WorkerOptions; next: Int32Array }>();
const { timed, ...compileOpts } = opts;

for (let i = Atomics.add(next, 0, 1); i < clusters.length; i = Atomics.add(next, 0, 1)) {
  const timings: Record<string, number> | undefined = timed ? {} : undefined;
  let message: WorkerMessage;
  try {
    message = { index: i, result: summarize(compileCluster(clusters[i], { ...compileOpts, timings })), timings };
  } catch (e) {
    message = { index: i, errors: serializeError(e), timings };
  }
  parentPort!.postMessage(message);
}
