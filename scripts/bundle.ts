// Bundles the CLI into dist/ so that a run of talc starts from a few plain
// JavaScript files instead of compiling TypeScript through tsx on every start
// (about 0.35 s of each run). `npm install` and `npm pack` run it
// (prepare); dist/ is not committed. bin/talc.js uses the bundle only while it is
// at least as new as every source it was built from, so an edited checkout
// never runs stale code.
//   tsx scripts/bundle.ts

import { createHash } from "node:crypto";
import { existsSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { build, version as esbuildVersion } from "esbuild";
import { compilerFingerprint, compilerSources } from "../compiler/check/cache.ts";
import { PACKAGE_ROOT } from "../compiler/paths.ts";

const DIST = join(PACKAGE_ROOT, "dist");

/** Entry points: the CLI, the compile worker it starts for large fleets, and the thread that writes out/. */
const ENTRIES = { talc: "compiler/cli/main.ts", worker: "compiler/workers/worker.ts", writer: "compiler/workers/writer.ts" };

// What the bundle is built from: talc's sources and data, the installed dependencies, esbuild and this script.
async function buildKey(): Promise<string> {
  const installed = await readFile(join(PACKAGE_ROOT, "node_modules", ".package-lock.json"), "utf8").catch(() => "");
  const self = await readFile(new URL(import.meta.url), "utf8");
  return createHash("sha256").update(await compilerFingerprint()).update("\0").update(installed).update("\0").update(esbuildVersion).update("\0").update(self).digest("hex");
}

// Writes dist/: the bundle's modules and inputs.json, the sources bin/talc.js checks it against.
// A bundle built from the same inputs is left as it is, so talc processes running from it are undisturbed.
async function bundle(): Promise<"current" | "built"> {
  const key = await buildKey();
  const previous = JSON.parse(await readFile(join(DIST, "inputs.json"), "utf8").catch(() => "{}")) as { key?: string };
  if (previous.key === key && existsSync(join(DIST, "talc.mjs"))) {
    // Sources touched but unchanged (a checkout back and forth) would otherwise leave it looking stale to bin/talc.js.
    const now = new Date();
    utimesSync(join(DIST, "talc.mjs"), now, now);
    return "current";
  }
  // Built aside and swapped in, so a bin/talc.js starting meanwhile sees the old bundle or the new one.
  const staging = `${DIST}.new-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(PACKAGE_ROOT, file)])),
    outdir: staging,
    outExtension: { ".js": ".mjs" },
    // Every module sits directly in dist/, one folder below the package root, as compiler/paths.ts expects.
    chunkNames: "[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // esbuild runs its own binary, and tsx is only the fallback for sources newer than the bundle.
    external: ["esbuild", "tsx"],
    // Bundled CommonJS dependencies require Node's built-in modules.
    banner: { js: 'import { createRequire as __talcRequire } from "node:module"; const require = __talcRequire(import.meta.url);' },
    // The input cache's compiler fingerprint, computed now instead of by reading every source on each run.
    define: { TALC_COMPILER_FINGERPRINT: JSON.stringify(await compilerFingerprint()) },
    metafile: true,
    legalComments: "none",
    logLevel: "warning",
    charset: "utf8",
  });
  // What esbuild read, and every file the baked-in fingerprint hashes: some are read only at run time (the
  // definition API that cluster files import, the Talos schemas), and an edit to one must void the bundle too.
  const talc = (await compilerSources()).map((f) => relative(PACKAGE_ROOT, f));
  const inputs = [...new Set([...Object.keys(result.metafile.inputs).filter((f) => !f.includes("node_modules/")), ...talc])].sort();
  writeFileSync(join(staging, "inputs.json"), JSON.stringify({ key, inputs }, null, 1) + "\n");
  const old = `${DIST}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(staging, DIST);
  rmSync(old, { recursive: true, force: true });
  return "built";
}

process.stdout.write(`${(await bundle()) === "current" ? "the bundled CLI is current" : "bundled the CLI"} in ${DIST}\n`);
