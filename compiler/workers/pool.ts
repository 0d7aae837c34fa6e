// Compiling many clusters on every core. Clusters are independent, so the
// main thread and worker threads take them from one shared counter; each
// result is handed on as soon as it exists (so a build can write it and let
// it go) and kept in cluster order, so what comes out does not depend on how
// many threads ran or which finished first.

import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import type { Worker } from "node:worker_threads";
import type { FileMap } from "../emit/output.ts";
import { TalcError } from "../errors.ts";
import type { LoadedCluster } from "../load/definition.ts";
import { compileCluster, type CompileOptions, type CompiledCluster } from "../pipeline.ts";
import type { Finding } from "../policy/types.ts";
import { startThread } from "./thread.ts";

/** What the repository-level commands need of a compiled cluster. */
export interface ClusterResult {
  name: string;
  /** The cluster file, relative to the repository root. */
  file: string;
  findings: Finding[];
  /** How many nodes it has. */
  nodes: number;
  /** Its out/ files; empty when a sink took them. */
  files: FileMap;
  /** The sha256 of each of its out/ files, for the input cache. */
  hashes: Record<string, string>;
  /** What loading its cluster file read, for the input cache. */
  reads?: string[];
}

/** Receives each cluster's result once, in whatever order they finish. */
export type ClusterSink = (result: ClusterResult) => Promise<void> | void;

/** Options of the thread pool. */
export interface PoolOptions {
  /** Worker threads besides the main thread; by default one per core beyond two, for a fleet large enough to pay for starting them. */
  workers?: number;
  /** Takes each result's files as it comes; the results returned then hold hashes only. */
  sink?: ClusterSink;
  /** Told the fleet's size once, before any cluster is compiled (a sink may prepare for it). */
  fleet?: (size: { clusters: number; nodes: number }) => void;
  /** Whether the main thread compiles too (default yes, or no with TALC_MAIN_THREAD=0); tests turn it off to see workers do all of it. */
  mainThread?: boolean;
}

// A worker takes a few hundred milliseconds to start, so a fleet smaller than this is compiled on the main thread alone.
const PARALLEL_MIN_NODES = 200;
// A build on one thread already keeps about one and a half cores busy (garbage collection, file writes and esbuild run
// beside it), so a worker pays only where two cores are left over for it: on 2 cores it measured slower, not faster.
const RESERVED_CORES = 2;
// Clusters whose sink may still be running: what holds compiling back until a sink (out/'s writer, with its
// own limit on bytes waiting) has taken the files of the ones before.
const MAX_PENDING_SINKS = 4;

// V8 lets the old generation grow to as much as four times what was live at the last full collection
// before collecting again. A build streams clusters through the heap, so for a large fleet that
// headroom fills with finished clusters' garbage: a 10,000-node build peaked at about 250 MB. For a
// fleet this large the heap is grown by half instead, from the start (V8 sets each limit when it
// collects, so asking later is too late): 5,000 nodes then peaked at 163 MB instead of 204, 10,000
// at about 200 MB, in the same time. Below it nothing was saved (2,000 nodes: about 150 MB either
// way) and at 1,000 nodes the extra collections cost about 0.1 s.
const BOUNDED_HEAP_MIN_NODES = 4_000;

// bin/talc.js starts talc with twelve times V8's default interrupt budget, so that a short build
// optimizes only what runs longest. From this size on a build runs long enough for optimized code
// to pay back: in two sets of interleaved builds, 10,000 nodes took 3-8% longer with that budget
// than with three times the default, while 4,000 nodes were still as fast or faster.
const LONG_BUILD_MIN_NODES = 5_000;
const LONG_BUILD_INTERRUPT_BUDGET = 3 * 66 * 1024; // V8's default is 66 KB of bytecode

/** The compile options a worker receives: data only. */
export type WorkerOptions = Omit<CompileOptions, "timings" | "secrets"> & { timed: boolean };

/** What a worker posts for one cluster. */
export type WorkerMessage =
  | { index: number; result: ClusterResult; timings?: Record<string, number> }
  | { index: number; errors: SerializedError[]; timings?: Record<string, number> };

/** A compile failure carried across threads. */
export interface SerializedError {
  message: string;
  /** Set for a TalcError: the problem as reported. */
  talc?: { code: string; stage: string; file?: string; path?: string; line?: number };
  stack?: string;
}

/** The result of one compiled cluster. */
export function summarize(compiled: CompiledCluster): ClusterResult {
  return { name: compiled.name, file: compiled.file, findings: compiled.findings, nodes: compiled.nodes.length, files: compiled.files, hashes: compiled.hashes, reads: compiled.reads };
}

/** A failure as data, to post to the main thread. */
export function serializeError(e: unknown): SerializedError[] {
  if (e instanceof TalcError) return e.all.map((p) => ({ message: p.message, talc: { code: p.code, stage: p.stage, file: p.file, path: p.path, line: p.line } }));
  const err = e instanceof Error ? e : new Error(String(e));
  return [{ message: err.message, stack: err.stack }];
}

// A worker's failure as it would have been thrown here: bad input as TalcErrors, a bug as an Error with the worker's stack.
function deserializeErrors(errors: readonly SerializedError[]): TalcError[] | Error {
  const bug = errors.find((e) => e.talc === undefined);
  if (bug !== undefined) return Object.assign(new Error(bug.message), { stack: bug.stack });
  return errors.map((e) => new TalcError(e.message, e.talc!));
}

function nodeCount(clusters: readonly LoadedCluster[]): number {
  return clusters.reduce((n, c) => n + c.definition.nodes.length, 0);
}

function defaultWorkers(clusters: readonly LoadedCluster[]): number {
  // TALC_WORKERS=<n> fixes the number of worker threads (0: the main thread alone), e.g. for a CI runner's share of cores.
  const fixed = process.env.TALC_WORKERS;
  if (fixed !== undefined && /^\d+$/.test(fixed)) return Math.min(Number(fixed), Math.max(0, clusters.length - 1));
  if (clusters.length < 2 || nodeCount(clusters) < PARALLEL_MIN_NODES) return 0;
  return Math.max(0, Math.min(availableParallelism() - RESERVED_CORES, clusters.length - 1));
}

/**
 * Compiles clusters with `compileCluster` on this thread and, for a large
 * fleet, on worker threads too (which run the same function). Returns the results in the clusters' order and how
 * many threads compiled; every cluster's problems are reported together, in
 * that order.
 */
export async function compileAll(
  clusters: readonly LoadedCluster[],
  opts: CompileOptions,
  pool: PoolOptions = {},
): Promise<{ results: ClusterResult[]; threads: number }> {
  const results: Array<ClusterResult | undefined> = new Array(clusters.length);
  const failures: Array<TalcError[] | undefined> = new Array(clusters.length);
  // Sinks still writing. Compiling waits while there are more than a few, so output waiting for a slow disk cannot pile up.
  const pending = new Set<Promise<void>>();
  const next = new Int32Array(new SharedArrayBuffer(4));
  // A bug in a worker or a failed write, thrown once every thread has stopped.
  let fatal: unknown;
  let stopped!: () => void;
  const stopping = new Promise<void>((resolve) => (stopped = resolve));
  // The build has failed whatever the rest compiles to, so nothing more is taken: the threads check the counter before each cluster.
  const stop = (e: unknown): void => {
    fatal ??= e;
    Atomics.store(next, 0, clusters.length);
    stopped();
  };
  // Resolves once every cluster has a result or a failure, so that workers still starting up need not be waited for.
  let accounted = 0;
  let allAccounted!: () => void;
  const everyCluster = new Promise<void>((resolve) => (allAccounted = resolve));
  const account = (): void => {
    if (++accounted === clusters.length) allAccounted();
  };
  const accept = (index: number, result: ClusterResult): void => {
    account();
    if (pool.sink === undefined) {
      results[index] = result;
      return;
    }
    results[index] = { ...result, files: new Map() };
    // Once the build has failed, a worker's result still arriving is not handed on: out/'s writer, say, has nothing left to do.
    if (fatal !== undefined) return;
    // Run inside a promise so that a sink throwing at once fails the build as one rejecting does, even from a worker's message.
    const writing: Promise<void> = new Promise<void>((resolve) => resolve(pool.sink!(result)))
      .catch(stop)
      .finally(() => pending.delete(writing));
    pending.add(writing);
  };
  const fail = (index: number, problems: TalcError[]): void => {
    account();
    failures[index] = problems;
  };
  const addTimings = (timings: Record<string, number> | undefined): void => {
    if (timings === undefined || opts.timings === undefined) return;
    for (const [stage, ms] of Object.entries(timings)) opts.timings[stage] = (opts.timings[stage] ?? 0) + ms;
  };

  const nodes = nodeCount(clusters);
  pool.fleet?.({ clusters: clusters.length, nodes });
  // A process-wide V8 setting, so worker threads' heaps get it too; it changes when memory is collected, never a result.
  if (nodes >= BOUNDED_HEAP_MIN_NODES) setFlagsFromString("--heap-growing-percent=50");
  // Also process-wide, and read as each function's budget is next set: every function this build compiles gets it.
  // V8 takes a code cache only under the flags it was made with (bin/code-cache.js), so with either setting the
  // modules loaded from here on, the schema validators among them, compile as without one: a fixed cost that
  // builds this long hardly notice.
  if (nodes >= LONG_BUILD_MIN_NODES) setFlagsFromString(`--interrupt-budget=${LONG_BUILD_INTERRUPT_BUDGET}`);
  // Real secrets are never copied to another thread; how many workers a fleet gets is defaultWorkers' choice.
  const count = opts.secrets !== undefined ? 0 : (pool.workers ?? defaultWorkers(clusters));
  const workers: Array<Promise<void>> = [];
  const started: Worker[] = [];
  if (count > 0) {
    const { timings, secrets: _secrets, ...rest } = opts;
    const workerOpts: WorkerOptions = { ...rest, timed: timings !== undefined };
    for (let w = 0; w < count; w++) {
      const worker = startThread("worker", { clusters, opts: workerOpts, next });
      started.push(worker);
      workers.push(
        new Promise<void>((resolve) => {
          worker.on("message", (m: WorkerMessage) => {
            addTimings(m.timings);
            if ("result" in m) return accept(m.index, m.result);
            const failure = deserializeErrors(m.errors);
            if (failure instanceof Error) {
              account();
              stop(failure);
            } else fail(m.index, failure);
          });
          // A worker that could not start or died is a bug (or the machine ran out of memory): reported, never hidden.
          worker.on("error", (e) => {
            stop(new Error(`a compile worker failed: ${e.message}`, { cause: e }));
            resolve();
          });
          worker.on("exit", () => resolve());
        }),
      );
    }
  }

  try {
    // TALC_MAIN_THREAD=0 leaves every cluster to the workers, for tests of a whole `talc build` that must see workers compile.
    const mainTakes = (pool.mainThread ?? process.env.TALC_MAIN_THREAD !== "0") || count === 0;
    for (let i = mainTakes ? Atomics.add(next, 0, 1) : clusters.length; i < clusters.length; i = Atomics.add(next, 0, 1)) {
      try {
        accept(i, summarize(compileCluster(clusters[i], opts)));
      } catch (e) {
        if (!(e instanceof TalcError)) throw e;
        fail(i, [...e.all]);
      }
      // Lets the workers' results and the sink's writes in between clusters.
      if (count > 0 || pool.sink !== undefined) await new Promise((r) => setImmediate(r));
      while (pending.size > MAX_PENDING_SINKS) await Promise.race(pending);
    }
    if (clusters.length > 0) await Promise.race([everyCluster, Promise.all(workers), stopping]);
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
  await Promise.all(pending);
  if (fatal !== undefined) throw fatal;
  if (accounted < clusters.length) throw new Error(`the compile workers stopped with ${clusters.length - accounted} cluster(s) not compiled`);
  const problems = failures.flatMap((f) => f ?? []);
  if (problems.length > 0) throw TalcError.many(problems);
  return { results: results as ClusterResult[], threads: 1 + count };
}
