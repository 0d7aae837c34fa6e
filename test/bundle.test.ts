// The bundled CLI (dist/): bin/talc.js runs it only while it is current, and
// it behaves exactly as the sources do.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";
import { bundleIsCurrent } from "../bin/bundle-state.js";
import { compilerSources } from "../compiler/check/cache.ts";
import { PACKAGE_ROOT as PROJECT } from "../compiler/paths.ts";
import { compileCluster, loadClusters } from "../compiler/pipeline.ts";
import type { WorkerMessage } from "../compiler/workers/pool.ts";
import { tempDir, tempRepo, treeHash } from "./helpers/cli.ts";

const BIN = join(PROJECT, "bin", "talc.js");

// A package folder with a bundle built at `builtAt` (seconds) from sources last changed at `sourcesAt`.
function fakePackage(builtAt: number, sourcesAt: number, inputs = ["compiler/a.ts", "package.json"]): URL {
  const dir = tempDir("talc-bundle-");
  mkdirSync(join(dir, "dist"));
  mkdirSync(join(dir, "compiler"));
  for (const f of inputs) {
    writeFileSync(join(dir, f), "x");
    utimesSync(join(dir, f), sourcesAt, sourcesAt);
  }
  writeFileSync(join(dir, "dist", "inputs.json"), JSON.stringify({ key: "k", inputs }));
  writeFileSync(join(dir, "dist", "talc.cjs"), "");
  utimesSync(join(dir, "dist", "talc.cjs"), builtAt, builtAt);
  return pathToFileURL(`${dir}/`);
}

describe("which CLI bin/talc.js runs", () => {
  test("the bundle, when it is as new as every source", () => {
    assert.equal(bundleIsCurrent(fakePackage(2000, 1000), {}), true);
    assert.equal(bundleIsCurrent(fakePackage(1000, 1000), {}), true, "npm's tarballs give every file the same time");
  });

  test("the sources, when one is newer, missing, or asked for", () => {
    assert.equal(bundleIsCurrent(fakePackage(1000, 2000), {}), false);
    const root = fakePackage(2000, 1000);
    utimesSync(new URL("compiler/a.ts", root), 3000, 3000);
    assert.equal(bundleIsCurrent(root, {}), false, "an edited source");
    const lost = fakePackage(2000, 1000);
    rmSync(new URL("compiler/a.ts", lost));
    assert.equal(bundleIsCurrent(lost, {}), false, "a source gone");
    assert.equal(bundleIsCurrent(fakePackage(2000, 1000), { TALC_FROM_SOURCE: "1" }), false);
    const gone = fakePackage(2000, 1000);
    writeFileSync(new URL("dist/inputs.json", gone), "{}");
    assert.equal(bundleIsCurrent(gone, {}), false, "no list of inputs");
    assert.equal(bundleIsCurrent(pathToFileURL(`${tempDir()}/`), {}), false, "no bundle at all");
  });
});

const bundled = bundleIsCurrent(pathToFileURL(PROJECT), {});

describe("the bundled CLI", { skip: bundled ? false : "dist/ is missing or older than the sources; npm run bundle builds it" }, () => {
  test("builds the same out/ as the sources, on one thread or with a worker", () => {
    // With the main thread compiling too, it takes every cluster before a worker has started; TALC_MAIN_THREAD=0 leaves them to the worker.
    const trees = [{ TALC_WORKERS: "0" }, { TALC_WORKERS: "1", TALC_MAIN_THREAD: "0" }, { TALC_FROM_SOURCE: "1", TALC_WORKERS: "0" }].map((extra) => {
      const repo = tempRepo();
      cpSync(join(PROJECT, "clusters"), join(repo, "clusters"), { recursive: true });
      const r = spawnSync(process.execPath, [BIN, "build"], { cwd: repo, encoding: "utf8", env: { ...process.env, ...extra } });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(existsSync(join(repo, "out", "homelab")));
      return treeHash(join(repo, "out"));
    });
    assert.equal(trees[1], trees[0]);
    assert.equal(trees[2], trees[0]);
  });

  test("runs every module of the bundle from the code cache npm run bundle wrote", () => {
    const repo = tempRepo();
    cpSync(join(PROJECT, "clusters"), join(repo, "clusters"), { recursive: true });
    // (with the stage timings written, as the bench asks: the one path that loads a module of Node's on demand)
    const timings = join(repo, "timings.json");
    const r = spawnSync(process.execPath, [BIN, "build"], { cwd: repo, encoding: "utf8", env: { ...process.env, TALC_DEBUG_CODE_CACHE: "1", TALC_TIMINGS: timings } });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(timings));
    const dist = join(PROJECT, "dist");
    const modules = r.stderr.split("\n").filter((l) => l.startsWith(`code cache: ${dist}`));
    assert.ok(modules.some((l) => l.includes(`${dist}/talc.cjs`)) && modules.some((l) => l.includes("/pipeline-")), modules.join("\n"));
    assert.deepEqual(modules.filter((l) => !l.endsWith(": used")), []);
    assert.ok(r.stderr.includes("v1alpha1.cjs: used"), "and the validators");
  });

  test("lists every file talc is made of among its inputs, including those read at run time", async () => {
    const { inputs } = JSON.parse(readFileSync(join(PROJECT, "dist", "inputs.json"), "utf8")) as { inputs: string[] };
    const missing = (await compilerSources()).map((f) => relative(PROJECT, f)).filter((f) => !inputs.includes(f));
    assert.deepEqual(missing, []);
    assert.ok(inputs.includes("compiler/define/index.ts") && inputs.includes("schemas/talos/v1.14.json"));
  });

  test("has a compile worker that takes every cluster from the shared counter and compiles it as the sources do", async () => {
    const { Worker } = await import("node:worker_threads");
    const clusters = await loadClusters(PROJECT);
    assert.ok(clusters.length >= 2, "the project's clusters/ has clusters to compile");
    const next = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(new URL("dist/worker.cjs", pathToFileURL(PROJECT)), { workerData: { clusters, opts: { timed: false }, next } });
    const messages: WorkerMessage[] = [];
    worker.on("message", (m: WorkerMessage) => messages.push(m));
    const code = await new Promise((resolve, reject) => {
      worker.once("exit", resolve);
      worker.once("error", reject);
    });
    assert.equal(code, 0, "it ran to the end");
    assert.deepEqual(
      messages.map((m) => m.index).sort((a, b) => a - b),
      clusters.map((_, i) => i),
      "each cluster posted once",
    );
    for (const m of messages) {
      assert.ok("result" in m, `cluster ${m.index} failed: ${"errors" in m ? m.errors.map((e) => e.message).join("; ") : ""}`);
      assert.deepEqual(m.result.hashes, compileCluster(clusters[m.index]).hashes, clusters[m.index].file);
    }
    assert.equal(next[0], clusters.length + 1, "it asked for one more, found none left, and stopped");
  });

  test("reports bad input the same way", () => {
    const outputs = [{}, { TALC_FROM_SOURCE: "1" }].map((extra) => {
      const repo = tempRepo({ "bad.ts": 'import { defineCluster } from "talc";\nexport default defineCluster({ name: "Bad" } as never);\n' });
      const r = spawnSync(process.execPath, [BIN, "build"], { cwd: repo, encoding: "utf8", env: { ...process.env, ...extra } });
      return { status: r.status, stderr: r.stderr };
    });
    assert.equal(outputs[0].status, 2);
    assert.deepEqual(outputs[0], outputs[1]);
  });
});
