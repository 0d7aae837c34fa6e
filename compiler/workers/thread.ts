// Starting one of talc's own threads: from its bundled module beside this one
// (dist/<name>.cjs), or, when talc runs from its TypeScript sources, through
// source-thread.mjs, which registers tsx first (a thread does not inherit it).

import { Worker, workerData } from "node:worker_threads";

const fromSource = import.meta.url.endsWith(".ts");

/** Starts the thread whose module is `compiler/workers/<name>.ts`, handing it `data`. */
export function startThread(name: "worker" | "writer", data: unknown): Worker {
  if (!fromSource) return new Worker(new URL(`./${name}.cjs`, import.meta.url), { workerData: data });
  return new Worker(new URL("./source-thread.mjs", import.meta.url), { workerData: { entry: `./${name}.ts`, data } });
}

/** In a thread started by {@link startThread}: the data it was handed. */
export function threadData<T>(): T {
  return (fromSource ? (workerData as { data: unknown }).data : workerData) as T;
}
