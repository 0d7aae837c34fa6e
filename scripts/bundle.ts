// Bundles the CLI into dist/ so that a run of talc starts from a few plain
// JavaScript files instead of compiling TypeScript through tsx on every start
// (about 0.35 s of each run). `npm install` and `npm pack` run it
// (prepare); dist/ is not committed. bin/talc.js uses the bundle only while it is
// at least as new as every source it was built from, so an edited checkout
// never runs stale code.
//   tsx scripts/bundle.ts

import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { build, version as esbuildVersion } from "esbuild";
import { compilerFingerprint, compilerSources } from "../compiler/check/cache.ts";
import { PACKAGE_ROOT } from "../compiler/paths.ts";
import { CONTRACTS } from "../compiler/talos/contract.ts";
import { cacheFile, CODE_CACHE_DIR } from "../bin/code-cache.js";
import { importCycle, toCommonJS } from "./commonjs.ts";
import { writeFleet } from "./fleet.ts";

const DIST = join(PACKAGE_ROOT, "dist");

/** Entry points: the CLI, the compile worker it starts for large fleets, and the thread that writes out/. */
const ENTRIES = { talc: "compiler/cli/main.ts", worker: "compiler/workers/worker.ts", writer: "compiler/workers/writer.ts" };

// The scripts that make the bundle's modules and load them: a change to one makes the bundle stale too.
const SHAPING = ["scripts/bundle.ts", "scripts/commonjs.ts", "bin/code-cache.js"];

// What the bundle is built from: talc's sources and data, the installed dependencies, esbuild and SHAPING.
async function buildKey(): Promise<string> {
  const installed = await readFile(join(PACKAGE_ROOT, "node_modules", ".package-lock.json"), "utf8").catch(() => "");
  const hash = createHash("sha256").update(await compilerFingerprint()).update("\0").update(installed).update("\0").update(esbuildVersion);
  for (const script of SHAPING) hash.update("\0").update(await readFile(join(PACKAGE_ROOT, script), "utf8"));
  return hash.digest("hex");
}

// Writes dist/: the bundle's modules and inputs.json, the sources bin/talc.js checks it against.
// A bundle built from the same inputs is left as it is, so talc processes running from it are undisturbed.
async function bundle(): Promise<"current" | "built"> {
  const key = await buildKey();
  const previous = JSON.parse(await readFile(join(DIST, "inputs.json"), "utf8").catch(() => "{}")) as { key?: string };
  if (previous.key === key && existsSync(join(DIST, "talc.cjs"))) {
    // Sources touched but unchanged (a checkout back and forth) would otherwise leave it looking stale to bin/talc.js.
    const now = new Date();
    utimesSync(join(DIST, "talc.cjs"), now, now);
    // caches another Node made (or none, after a run that failed to write them) are written again
    if (!existsSync(CACHE_STAMP) || readFileSync(CACHE_STAMP, "utf8") !== cacheStamp()) writeCodeCaches();
    return "current";
  }
  // Built aside and swapped in, so a bin/talc.js starting meanwhile sees the old bundle or the new one.
  const staging = `${DIST}.new-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(PACKAGE_ROOT, file)])),
    outdir: staging,
    // Split into ES modules first (esbuild splits no other format), then each turned into CommonJS below.
    outExtension: { ".js": ".cjs" },
    // Every module sits directly in dist/, one folder below the package root, as compiler/paths.ts expects.
    chunkNames: "[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // esbuild runs its own binary, and tsx is only the fallback for sources newer than the bundle.
    external: ["esbuild", "tsx"],
    // The input cache's compiler fingerprint, computed now instead of by reading every source on each run.
    define: { TALC_COMPILER_FINGERPRINT: JSON.stringify(await compilerFingerprint()) },
    metafile: true,
    write: false,
    legalComments: "none",
    logLevel: "warning",
    charset: "utf8",
  });
  // CommonJS, because Node 20 keeps V8 code caches only for scripts: bin/talc.js runs these through
  // bin/code-cache.js. Each stays a module Node itself can require too, as talc's threads do.
  const cycle = importCycle(result.metafile);
  if (cycle !== undefined) throw new Error(`the bundle's modules import one another in a cycle, which they cannot as CommonJS: ${cycle.join(" → ")}`);
  mkdirSync(staging, { recursive: true });
  for (const out of result.outputFiles) {
    writeFileSync(out.path, toCommonJS(out.text, relative(staging, out.path)));
  }
  // What esbuild read, and every file the baked-in fingerprint hashes: some are read only at run time (the
  // definition API that cluster files import, the Talos schemas), and an edit to one must void the bundle too.
  const talc = (await compilerSources()).map((f) => relative(PACKAGE_ROOT, f));
  const inputs = [...new Set([...Object.keys(result.metafile.inputs).filter((f) => !f.includes("node_modules/")), ...talc, ...SHAPING])].sort();
  writeFileSync(join(staging, "inputs.json"), JSON.stringify({ key, inputs }, null, 1) + "\n");
  const old = `${DIST}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(staging, DIST);
  rmSync(old, { recursive: true, force: true });
  writeCodeCaches();
  return "built";
}

// The code caches (bin/code-cache.js). A cache holds bytecode only for the functions that ran, so talc
// runs as a user's builds and checks do, on a small fleet on every contract and this package's examples:
// a build into a new out/, the same again with nothing changed, and a check. Each run writes the caches
// of the modules it compiled, keeping what the runs before it compiled. They only make talc faster, so
// failing to write them is a warning, not a failed install.
function writeCodeCaches(): void {
  rmSync(CODE_CACHE_DIR, { recursive: true, force: true });
  mkdirSync(join(PACKAGE_ROOT, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(PACKAGE_ROOT, ".tmp", "code-cache-"));
  try {
    writeFleet(dir, CONTRACTS.length, 5);
    for (const file of readdirSync(join(PACKAGE_ROOT, "clusters"))) copyFileSync(join(PACKAGE_ROOT, "clusters", file), join(dir, "clusters", file));
    // (none of talc's own settings from this process: they could run the sources, or compile on threads)
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TALC_"))), TALC_WRITE_CODE_CACHE: "1" };
    for (const command of ["build", "build", "check"]) {
      const run = spawnSync(process.execPath, [join(PACKAGE_ROOT, "bin", "talc.js"), command], { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
      // (findings exit 1; anything else means the caches would not be what a user's run compiles)
      if (run.status !== 0 && run.status !== 1) throw new Error(`talc ${command} ${run.error?.message ?? `exited ${run.status ?? run.signal}`}: ${run.stderr.trim().split("\n").slice(-3).join(" ")}`);
    }
    if (!existsSync(cacheFile(readFileSync(join(DIST, "talc.cjs"))))) throw new Error("talc ran its sources, not the bundle (is a source newer than dist/?)");
    writeFileSync(CACHE_STAMP, cacheStamp());
  } catch (e) {
    rmSync(CODE_CACHE_DIR, { recursive: true, force: true });
    process.stderr.write(`warning: the bundled CLI's code caches were not written, so it will start slower: ${(e as Error).message}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Which Node the caches were made by, with which NODE_OPTIONS (the runs above inherit them): V8 turns down a
// cache made by another or under other flags, so after a change (npm ci keeps dist/) they are written again.
const CACHE_STAMP = join(CODE_CACHE_DIR, "made-by");

function cacheStamp(): string {
  return `${process.version} ${process.arch} ${process.env.NODE_OPTIONS ?? ""}\n`;
}

process.stdout.write(`${(await bundle()) === "current" ? "the bundled CLI is current" : "bundled the CLI"} in ${DIST}\n`);
