// `npm run bench`: builds a synthetic fleet and prints where the time goes.
//   npm run bench -- [--sizes 100,1000,10000 (default) | --clusters 50] [--nodes 20] [--runs 3] [--json] [--cpu-prof <dir>] [--help]
//   npm run bench -- --fleet <dir> [--clusters 50] [--nodes 20]   (only writes the fleet, for profiling by hand)
// --nodes is nodes per cluster; --runs is how many new-process builds are timed
// (each into a new out/, then as many with nothing changed, as many again once
// out/'s files have settled, then as many after editing one cluster file), of
// which the median is shown with the range.
// Figures are wall-clock on this machine; run it on an otherwise idle machine.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { bundleIsCurrent } from "../bin/bundle-state.js";
import { readTree } from "../compiler/check/index.ts";
import { SETTLED_MS } from "../compiler/check/incremental.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { sha256 } from "../compiler/emit/hash.ts";
import type { FileMap } from "../compiler/emit/output.ts";
import { parseConfig, type ConfigDocument } from "../compiler/load/config.ts";
import { PACKAGE_ROOT as PROJECT } from "../compiler/paths.ts";
import { compileRepository } from "../compiler/pipeline.ts";
import type { Contract } from "../compiler/talos/contract.ts";
import { writeFleet } from "./fleet.ts";

const BIN = join(PROJECT, "bin/talc.js");
// (PACKAGE_ROOT ends in "/", as bundleIsCurrent needs of the URL)
const ROOT_URL = pathToFileURL(PROJECT);

function makeFleet(clusters: number, nodes: number, into?: string): string {
  mkdirSync(join(PROJECT, ".tmp"), { recursive: true });
  const dir = into ?? mkdtempSync(join(PROJECT, ".tmp", "bench-"));
  writeFleet(dir, clusters, nodes);
  return dir;
}

interface Figures {
  clusters: number;
  nodes: number;
  /** `talc build` from a new process into a new out/, as a user runs it: the median of the runs. */
  wallMs: number;
  /** Each run's wall time, in the order they ran. */
  wallRunsMs: number[];
  /** `talc build` again on the same fleet, nothing changed (the input cache finds out/ current, reading every file): the median. */
  rebuildMs: number;
  rebuildRunsMs: number[];
  /** The same once out/'s files have settled and a build recorded their stats (none is read): the median. */
  settledMs: number;
  settledRunsMs: number[];
  /** `talc build` after one cluster file changed (that cluster compiled, the others carried over): the median. */
  editMs: number;
  editRunsMs: number[];
  nodesPerSecond: number;
  peakRssMb: number;
  /**
   * Where the median build's wall time went: before the compile (Node starting, talc loading, the inputs
   * hashed), the compile (clusters loaded and compiled, files handed to out/'s writer), and after it (the
   * writing finished, the new out/ swapped in, the cache written, the process gone). The process's clock
   * starts once it exists, so what creating it costs is counted in `finish`.
   */
  phasesMs: { start: number; compile: number; finish: number };
  /** A new Node process with nothing to run, for scale: the part of `start` no program can take away. */
  nodeAloneMs: number;
  /** Per stage, summed over threads, in the median build (the peak memory is that build's too). */
  stagesMs: Record<string, number>;
  threads: number;
  floorMs: number;
  floorDocuments: number;
  /** The same compile in this process once its code is warm (best of three, after one untimed run), without writing. */
  warmMs: number;
  warmRatioToFloor: number;
  /** Creating the same files in a new folder with nothing else: what this machine's file system charges. */
  diskMs: number;
  ratioToFloor: number;
}

// The floor: encoding every YAML document the build wrote and hashing every file, nothing else. The
// documents are read back from out/ (untimed), and each file is checked to re-encode to its own bytes.
function floorOf(out: string, tree: FileMap): { ms: number; documents: number } {
  const files: Array<{ text: string; docs?: ConfigDocument[]; contract?: Contract }> = [];
  for (const [rel, text] of tree) {
    const p = join(out, rel);
    const docs = p.endsWith(".yaml") ? parseConfig(text, p) : undefined;
    // a cluster's files are written as its release's talosctl writes them (its manifest names the contract)
    const manifest = tree.get(`${rel.split("/")[0]}/manifest.json`);
    const contract = manifest === undefined ? undefined : (JSON.parse(manifest) as { contract: Contract }).contract;
    if (docs !== undefined && encodeConfig(docs, contract) !== text) throw new Error(`${p} does not re-encode to its own bytes; the floor would not be the same work`);
    files.push({ text, docs, contract });
  }
  let best = Infinity;
  // The best of three passes: the floor is what the work costs once the code is warm.
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    for (const f of files) sha256(f.docs === undefined ? f.text : encodeConfig(f.docs, f.contract));
    best = Math.min(best, performance.now() - start);
  }
  return { ms: best, documents: files.reduce((n, f) => n + (f.docs?.length ?? 0), 0) };
}

// The whole pipeline (load, generate, patch, validate, lint, emit with hashing) in this process, once V8 has
// compiled and optimized its code: next to the new-process build, it shows what starting and warming up cost,
// and next to the floor, what the compiler's own work costs. Nothing is written.
async function warmCompile(repo: string): Promise<number> {
  await compileRepository(repo, [], { policy: {} }, { workers: 0 });
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    await compileRepository(repo, [], { policy: {} }, { workers: 0 });
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

// Not part of the floor, but printed beside it: creating every file of out/ afresh in a new folder, one after
// another with plain synchronous writes. Where creating a file is slow (some virtual disks charge hundreds of
// microseconds each), this is the part of a build no compiler can take away.
function diskOf(tree: FileMap, into: string): number {
  const start = performance.now();
  for (const [rel, text] of tree) {
    mkdirSync(dirname(join(into, rel)), { recursive: true });
    writeFileSync(join(into, rel), text, { mode: 0o644 });
  }
  const ms = performance.now() - start;
  rmSync(into, { recursive: true, force: true });
  return ms;
}

type BuildTimings = { stagesMs: Record<string, number>; maxRssKb: number; threads: number; compileStartMs: number; compileEndMs: number };

// The run in the middle by wall time (the lower middle for an even count).
function median<T extends { ms: number }>(runs: readonly T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[(runs.length - 1) >> 1];
}

// Runs `talc build` on a fresh fleet in new processes, with stage timings written by TALC_TIMINGS: `runs`
// times into a new out/ (nothing of the previous build left), then `runs` times with nothing changed, then
// (after one untimed build that records the stats of out/'s settled files) `runs` times again, then `runs`
// times after editing one cluster file.
async function measure(clusters: number, nodes: number, runs: number, profileDir?: string): Promise<Figures> {
  const repo = makeFleet(clusters, nodes);
  try {
    const timingsFile = join(repo, ".talc-timings.json");
    const prof = profileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}`];
    const build = (): { ms: number; timings: BuildTimings } => {
      const start = performance.now();
      const r = spawnSync(process.execPath, [...prof, BIN, "build"], { cwd: repo, encoding: "utf8", env: { ...process.env, TALC_TIMINGS: timingsFile } });
      if (r.status !== 0) throw new Error(`bench build failed: ${r.stderr}`);
      const ms = performance.now() - start;
      return { ms, timings: JSON.parse(readFileSync(timingsFile, "utf8")) as BuildTimings };
    };
    const fresh = Array.from({ length: runs }, () => {
      rmSync(join(repo, "out"), { recursive: true, force: true });
      rmSync(join(repo, ".talc"), { recursive: true, force: true });
      return build();
    });
    // Right after a build nothing in out/ has settled; on a large fleet the files written first have by the next
    // run, so each of these runs starts with the stats forgotten, as right after a build.
    const cachePath = join(repo, ".talc", "cache.json");
    const forgetStats = (): void => {
      const cache = JSON.parse(readFileSync(cachePath, "utf8")) as Record<string, { stats?: unknown }>;
      for (const entry of Object.values(cache)) delete entry.stats;
      writeFileSync(cachePath, JSON.stringify(cache));
    };
    const again = Array.from({ length: runs }, () => {
      forgetStats();
      return build();
    });
    await new Promise((r) => setTimeout(r, SETTLED_MS + 100));
    build();
    const settled = Array.from({ length: runs }, build);
    // Each edit is a new comment in the first cluster file: its inputs change, its output does not.
    const edited = join(repo, "clusters", "c00000.ts");
    const edits = Array.from({ length: runs }, (_, i) => {
      writeFileSync(edited, `${readFileSync(edited, "utf8")}// edit ${i + 1}\n`);
      return build();
    });
    const { ms: wallMs, timings: t } = median(fresh);
    const nodeAlone = median(Array.from({ length: runs }, () => {
      const start = performance.now();
      execFileSync(process.execPath, ["-e", ""]);
      return { ms: performance.now() - start };
    })).ms;
    const rebuildMs = median(again).ms;
    // out/ is read once (untimed) for both the floor and the disk.
    const tree = await readTree(join(repo, "out"));
    const floor = floorOf(join(repo, "out"), tree);
    const diskMs = diskOf(tree, join(repo, "disk"));
    const warmMs = await warmCompile(repo);
    const total = clusters * nodes;
    return {
      clusters,
      nodes: total,
      wallMs: Math.round(wallMs),
      wallRunsMs: fresh.map((r) => Math.round(r.ms)),
      rebuildMs: Math.round(rebuildMs),
      rebuildRunsMs: again.map((r) => Math.round(r.ms)),
      settledMs: Math.round(median(settled).ms),
      settledRunsMs: settled.map((r) => Math.round(r.ms)),
      editMs: Math.round(median(edits).ms),
      editRunsMs: edits.map((r) => Math.round(r.ms)),
      nodesPerSecond: Math.round((total / wallMs) * 1000),
      peakRssMb: Math.round(t.maxRssKb / 1024),
      phasesMs: { start: Math.round(t.compileStartMs), compile: Math.round(t.compileEndMs - t.compileStartMs), finish: Math.round(wallMs - t.compileEndMs) },
      nodeAloneMs: Math.round(nodeAlone),
      stagesMs: Object.fromEntries(Object.entries(t.stagesMs).map(([k, v]) => [k, Math.round(v)])),
      threads: t.threads,
      floorMs: Math.round(floor.ms),
      floorDocuments: floor.documents,
      diskMs: Math.round(diskMs),
      ratioToFloor: Math.round((wallMs / floor.ms) * 10) / 10,
      warmMs: Math.round(warmMs),
      warmRatioToFloor: Math.round((warmMs / floor.ms) * 10) / 10,
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

function cli(args: string[], cwd: string): number {
  const s = performance.now();
  execFileSync(process.execPath, [BIN, ...args], { cwd, stdio: "ignore" });
  return Math.round(performance.now() - s);
}

// ", median of 3: 1402–1530 ms" beside a median, or nothing for a single run.
function spread(runs: readonly number[], open = ", ", close = ""): string {
  if (runs.length < 2) return "";
  return `${open}median of ${runs.length}: ${Math.min(...runs)}–${Math.max(...runs)} ms${close}`;
}

// The usage lines at the top of this file.
const USAGE = readFileSync(new URL(import.meta.url), "utf8")
  .split("\n")
  .slice(1, 8)
  .map((l) => l.replace(/^\/\/ ?/, ""))
  .join("\n");

// An option that takes a whole number, 1 or more; undefined when it is not given.
function count(values: Record<string, unknown>, option: string, what: string): number | undefined {
  const text = values[option] as string | undefined;
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`--${option} takes a whole number of ${what}, 1 or more; got ${JSON.stringify(text)}`);
  return Number(text);
}

async function main(): Promise<void> {
  let values;
  let perCluster: number, timedRuns: number, clusters: number | undefined, sizes: number[];
  try {
    ({ values } = parseArgs({
      options: {
        clusters: { type: "string" },
        nodes: { type: "string" },
        sizes: { type: "string" },
        json: { type: "boolean" },
        "cpu-prof": { type: "string" },
        fleet: { type: "string" },
        runs: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
    perCluster = count(values, "nodes", "nodes per cluster") ?? 20;
    timedRuns = count(values, "runs", "builds") ?? 3;
    clusters = count(values, "clusters", "clusters");
    sizes = (values.sizes ?? "100,1000,10000").split(",").map((n, i) => count({ sizes: n.trim() }, "sizes", `nodes (item ${i + 1} of a comma-separated list)`)!);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  if (values.fleet !== undefined) {
    makeFleet(clusters ?? 50, perCluster, values.fleet);
    return;
  }
  // Timed as a user runs talc after npm install: from the bundled CLI. bin/talc.js runs the sources through
  // tsx while the bundle is older than any of them, or when TALC_FROM_SOURCE=1 asks it to, which would time
  // tsx, not talc (and, the bundle never current, end the bench as if a source had changed).
  delete process.env.TALC_FROM_SOURCE;
  if (!bundleIsCurrent(ROOT_URL)) execFileSync(process.execPath, ["--import", "tsx", join(PROJECT, "scripts", "bundle.ts")], { stdio: "inherit" });
  const runs: Array<[number, number]> =
    clusters !== undefined ? [[clusters, perCluster]] : sizes.map((n) => [Math.max(1, Math.round(n / perCluster)), perCluster]);
  // One at a time: each build has the machine to itself.
  const results: Figures[] = [];
  for (const [c, n] of runs) results.push(await measure(c, n, timedRuns, values["cpu-prof"]));

  // talc check on the repository's own examples from a new process: the first run may compile, the next is answered from the cache.
  const cold = cli(["check"], PROJECT);
  const warm = cli(["check"], PROJECT);
  if (!bundleIsCurrent(ROOT_URL)) {
    process.stderr.write("bench: a source of talc changed while the bench ran, so later builds ran through tsx instead of the bundled CLI; run it again\n");
    process.exitCode = 1;
    return;
  }

  if (values.json) {
    process.stdout.write(JSON.stringify({ builds: results, check: { coldMs: cold, warmMs: warm } }, null, 2) + "\n");
    return;
  }
  for (const r of results) {
    process.stdout.write(
      `${r.clusters} clusters × ${r.nodes / r.clusters} nodes = ${r.nodes} nodes: talc build ${r.wallMs} ms wall (new process${spread(r.wallRunsMs)}), ${r.nodesPerSecond} nodes/s, peak ${r.peakRssMb} MB, ${r.threads} thread(s)\n` +
        `  stages (summed over threads): ${Object.entries(r.stagesMs).map(([k, v]) => `${k} ${v} ms`).join(", ")}\n` +
        `  the wall time: ${r.phasesMs.start} ms before the compile (Node starting, talc loading, inputs hashed; a Node process that runs nothing takes ${r.nodeAloneMs} ms), ` +
        `${r.phasesMs.compile} ms loading and compiling the clusters, ${r.phasesMs.finish} ms after (out/ finished and swapped in, the cache written, exit)\n` +
        `  again, nothing changed: ${r.rebuildMs} ms wall${spread(r.rebuildRunsMs, " (", ")")}\n` +
        `  again, nothing changed, out/ settled (its files known by their stats): ${r.settledMs} ms wall${spread(r.settledRunsMs, " (", ")")}\n` +
        `  again, one cluster file edited: ${r.editMs} ms wall${spread(r.editRunsMs, " (", ")")}\n` +
        `  floor (encode ${r.floorDocuments} documents + hash every file): ${r.floorMs} ms; the build is ${r.ratioToFloor}× the floor\n` +
        `  the same compile in a warm process (no start-up, code optimized, nothing written): ${r.warmMs} ms, ${r.warmRatioToFloor}× the floor\n` +
        `  this machine creating the same files in a new folder, nothing else: ${r.diskMs} ms\n`,
    );
  }
  if (results.length > 1) {
    const [a, b] = [results[0], results[results.length - 1]];
    process.stdout.write(`growth: ${b.nodes / a.nodes}× the nodes took ${Math.round((b.wallMs / a.wallMs) * 10) / 10}× the time\n`);
  }
  process.stdout.write(`talc check on the examples (new process): ${cold} ms, then ${warm} ms\n`);
}

await main();
