// A build killed at any moment leaves out/ entirely old or entirely new, and
// the next build or check recovers; two builds never interleave. The builds
// are real `node bin/talc.js build` children of a one-node repository, killed
// with SIGKILL at fixed fractions of a build's duration and just before each
// of a set of its file-system changes (test/crash-preload.mjs counts them).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readTree } from "../compiler/check/index.ts";
import { replaceOutTree } from "../compiler/emit/tree.ts";
import { TalcError } from "../compiler/errors.ts";
import { BASE_CLUSTER } from "./corpus/cases.ts";
import { pathHash } from "./corpus/hash.ts";
import { leftovers, runCli, tempDir, tempRepo } from "./helpers/cli.ts";

const TALC = fileURLToPath(new URL("../bin/talc.js", import.meta.url));
const PRELOAD = fileURLToPath(new URL("./crash-preload.mjs", import.meta.url));
const TIME_POINTS = 10;
const CHANGE_POINTS = 6;

// The new definition moves the node to another address: several files change.
const NEW_CLUSTER = BASE_CLUSTER.replace("10.0.0.11/24", "10.0.0.12/24");

function repo(source: string): string {
  return tempRepo({ "tiny.ts": source });
}

interface Child {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/** Runs `talc build` as a child; kills it after `killAfterMs` when given. */
function build(cwd: string, env: Record<string, string> = {}, killAfterMs?: number): Promise<Child> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["--import", PRELOAD, TALC, "build"], { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => void (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", fail);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ pid: child.pid!, code, signal, stderr, ms: performance.now() - start });
    });
  });
}

function mapHash(files: Map<string, string>): string {
  const h = createHash("sha256");
  for (const [p, c] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(p).update("\0").update(c).update("\0");
  return h.digest("hex");
}

// Runs n tasks, two at a time (the test machine has two cores).
async function pool<T>(tasks: Array<() => Promise<T>>, width = 2): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

let oldRepo: string;
let OLD: { tree: string; files: string };
let NEW: { tree: string; files: string };
let buildMs: number;
let changes: string[];

before(async () => {
  oldRepo = repo(BASE_CLUSTER);
  assert.equal((await runCli(["build"], oldRepo)).code, 0);
  OLD = { tree: pathHash(join(oldRepo, "out")), files: mapHash(await readTree(join(oldRepo, "out"))) };

  // An uninterrupted child build from old to new: its duration and its file-system changes.
  const dir = scenario();
  const log = join(tempDir("talc-crash-"), "changes.json");
  const r = await build(dir, { TALC_CRASH_LOG: log });
  assert.equal(r.code, 0, r.stderr);
  buildMs = r.ms;
  changes = JSON.parse(readFileSync(log, "utf8")) as string[];
  NEW = { tree: pathHash(join(dir, "out")), files: mapHash(await readTree(join(dir, "out"))) };
  assert.notEqual(NEW.files, OLD.files);
});

// A repository whose out/ is the old build and whose definition is the new one.
function scenario(): string {
  const dir = repo(NEW_CLUSTER);
  cpSync(join(oldRepo, "out"), join(dir, "out"), { recursive: true });
  return dir;
}

// After a kill: out/ (as check reads it) is old or new, check agrees, and a build recovers.
async function assertRecovers(dir: string, label: string): Promise<"old" | "new"> {
  const seen = mapHash(await readTree(join(dir, "out")));
  assert.ok(seen === OLD.files || seen === NEW.files, `${label}: out/ is neither the old nor the new tree`);
  if (existsSync(join(dir, "out"))) {
    const tree = pathHash(join(dir, "out"));
    assert.ok(tree === OLD.tree || tree === NEW.tree, `${label}: out/ on disk is a mix`);
  }
  const state = seen === NEW.files ? "new" : "old";
  const checked = await runCli(["check"], dir);
  assert.equal(checked.code, state === "new" ? 0 : 3, `${label}: check says ${checked.code} for an ${state} tree: ${checked.stderr}`);
  const rebuilt = await runCli(["build"], dir);
  assert.equal(rebuilt.code, 0, `${label}: the next build failed: ${rebuilt.stderr}`);
  assert.equal(pathHash(join(dir, "out")), NEW.tree, `${label}: the next build did not write the new tree`);
  assert.deepEqual(leftovers(dir), [], `${label}: leftovers`);
  return state;
}

describe("a build killed with SIGKILL", () => {
  test(`at ${TIME_POINTS} moments of its run leaves out/ old or new, and the next build recovers`, async () => {
    const delays = Array.from({ length: TIME_POINTS }, (_, i) => Math.round((buildMs * (i + 0.5)) / TIME_POINTS));
    const dirs = delays.map(() => scenario());
    const runs = await pool(delays.map((ms, i) => () => build(dirs[i], {}, ms)));
    for (const [i, r] of runs.entries()) {
      assert.ok(r.signal === "SIGKILL" || r.code === 0, `kill at ${delays[i]}ms: ${r.code} ${r.stderr}`);
      await assertRecovers(dirs[i], `kill at ${delays[i]}ms`);
    }
    // Each delay is a fraction of an uninterrupted build, so most runs must have been killed rather than finished;
    // half leaves room for a machine that was busier while measuring than while killing.
    const killed = runs.filter((r) => r.signal === "SIGKILL").length;
    const summary = runs.map((r, i) => `${delays[i]}ms: ${r.signal ?? `exit ${r.code}`} after ${Math.round(r.ms)}ms`).join(", ");
    assert.ok(killed >= TIME_POINTS / 2, `only ${killed} of ${TIME_POINTS} runs were killed (an uninterrupted build took ${Math.round(buildMs)}ms): ${summary}`);
  });

  test(`just before ${CHANGE_POINTS} of its file-system changes, including each step of the swap`, async () => {
    assert.ok(changes.some((c) => c.startsWith("rename .out.new-")), `no swap among the changes: ${changes.join(", ")}`);
    // Every rename (the swap), then evenly spread others, up to the budget.
    const firstUnlink = changes.findIndex((c) => c.startsWith("unlink .out.old-"));
    const renames = changes.flatMap((c, i) => (c.startsWith("rename ") || c.startsWith("rm .out.old-") || i === firstUnlink ? [i + 1] : []));
    const spread = Array.from({ length: CHANGE_POINTS }, (_, i) => 1 + Math.floor((i * changes.length) / CHANGE_POINTS));
    const points = [...new Set([...renames, ...spread.filter((n) => !renames.includes(n)).slice(0, Math.max(0, CHANGE_POINTS - renames.length))])].sort((a, b) => a - b);
    const dirs = points.map(() => scenario());
    const runs = await pool(points.map((n, i) => () => build(dirs[i], { TALC_CRASH_KILL_AT: String(n) })));
    const states = new Set<string>();
    for (const [i, r] of runs.entries()) {
      const change = changes[points[i] - 1];
      const label = `kill before change ${points[i]} (${change})`;
      assert.equal(r.signal, "SIGKILL", `${label}: ${r.code} ${r.stderr}`);
      if (change.startsWith("rename .out.new-")) {
        // between the swap's two renames: out/ is gone for a moment, the old tree is beside it
        assert.ok(!existsSync(join(dirs[i], "out")), `${label}: out/ should be renamed away`);
        assert.ok(readdirSync(dirs[i]).some((n) => n.startsWith(".out.old-")), `${label}: no old tree`);
      }
      states.add(await assertRecovers(dirs[i], label));
    }
    assert.deepEqual([...states].sort(), ["new", "old"], "the kill points should catch both sides of the swap");
  });
});

describe("two builds at once", () => {
  test("never interleave: while one holds the lock the other fails, naming it", async () => {
    const dir = scenario();
    const [a, b] = await Promise.all([build(dir, { TALC_CRASH_HOLD_MS: "1500" }), build(dir, { TALC_CRASH_HOLD_MS: "1500" })]);
    const codes = [a.code, b.code].sort();
    assert.deepEqual(codes, [0, 2], `${a.stderr}\n${b.stderr}`);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    assert.ok(loser.stderr.includes(`another talc build is running (pid ${winner.pid})`), `the refusal should name pid ${winner.pid}: ${loser.stderr}`);
    assert.equal(pathHash(join(dir, "out")), NEW.tree);
    assert.deepEqual(leftovers(dir), []);
  });

  test("in one process, the second replacement is refused and out/ is exactly the first", async () => {
    const dir = repo(BASE_CLUSTER);
    const first = new Map([["a/one.yaml", "1\n"], ["a/two.yaml", "2\n"]]);
    const second = new Map([["a/one.yaml", "one\n"], ["b/three.yaml", "3\n"]]);
    // The lock is claimed before the first call returns its promise, so the first call is the one that wins.
    const [won, refused] = await Promise.allSettled([replaceOutTree(dir, first), replaceOutTree(dir, second)]);
    assert.equal(won.status, "fulfilled", String((won as PromiseRejectedResult).reason));
    assert.equal(refused.status, "rejected");
    const reason = (refused as PromiseRejectedResult).reason as unknown;
    assert.ok(reason instanceof TalcError, String(reason));
    assert.equal(reason.code, "build-locked", reason.format());
    assert.deepEqual(await readTree(join(dir, "out")), first);
    assert.deepEqual(leftovers(dir), []);
  });

  test("a lock left by a build that died is taken over", async () => {
    const dir = scenario();
    const dead = spawn(process.execPath, ["-e", ""]);
    const pid = await new Promise<number>((done) => dead.on("close", () => done(dead.pid!)));
    writeFileSync(join(dir, ".talc-build.lock"), `${pid}\n`);
    const r = await runCli(["build"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(pathHash(join(dir, "out")), NEW.tree);
    assert.deepEqual(leftovers(dir), []);
  });
});
