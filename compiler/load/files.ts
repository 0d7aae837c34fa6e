// Finding cluster files and bundling them: kept apart from loading them, so
// that build can list clusters/ and have esbuild bundle them on another core
// while the compiler's own modules (ajv, schemas, rules) are still being read.

import { rmSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Metafile } from "esbuild";
import { TalcError } from "../errors.ts";
import { packagePath } from "../paths.ts";

// Cluster files import "talc"; it always means the talc that is loading them, so definitions
// load the same way from a project's node_modules, a global install, the pre-commit
// framework's environment or a test's scratch folder. The API is a few plain functions, so
// each bundle carries its own copy and loading needs no module hooks.
export const TALC_API = packagePath("compiler", "define", "index.ts");

/** How cluster files are bundled, whether one by one or as one module. */
export const BUNDLING = {
  bundle: true,
  write: false,
  format: "esm",
  platform: "node",
  target: "node20",
  alias: { talc: TALC_API },
  logLevel: "silent",
  charset: "utf8",
} as const;

/**
 * esbuild, which bundles cluster files. It is CommonJS: required, not
 * imported, so Node does not first lex its hundred kilobytes for export names
 * (and optimize that lexer on another core).
 */
export function esbuild(): typeof import("esbuild") {
  return createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
}

/** All of a repository's cluster files bundled as one module, written to a folder of its own. */
export interface OneBundle {
  /** The module, to import by its path. */
  file: string;
  /** The folder it is in, to remove once it is imported. */
  dir: string;
  /** What esbuild read, and what each input imports. */
  inputs: Metafile["inputs"];
}

// Folders of bundles not yet removed: whatever ends the process, none is left behind.
const liveDirs = new Set<string>();
let exitHookSet = false;

function keep(dir: string): void {
  liveDirs.add(dir);
  if (exitHookSet) return;
  exitHookSet = true;
  process.once("exit", () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  });
}

/** Removes a bundle's folder. */
export async function dropBundle(bundle: OneBundle): Promise<void> {
  await rm(bundle.dir, { recursive: true, force: true });
  liveDirs.delete(bundle.dir);
}

/**
 * Bundles cluster files as one module in a new temporary folder (a fleet's
 * bundle is megabytes: passed back through esbuild's pipe and imported as a
 * data: URL it would stay in memory several times over). Undefined when the
 * files do not build or no folder can be made; the caller then loads them one
 * by one, which also says which file failed.
 */
export async function bundleAsOne(root: string, files: readonly string[]): Promise<OneBundle | undefined> {
  let build: (typeof import("esbuild"))["build"];
  try {
    ({ build } = esbuild());
  } catch {
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), "talc-clusters-")).catch(() => undefined);
  if (dir === undefined) return undefined;
  keep(dir);
  const file = join(dir, "clusters.mjs");
  const result = await build({
    absWorkingDir: root,
    stdin: { contents: files.map((f, i) => `export * as c${i} from ${JSON.stringify(join(root, f))};`).join("\n"), resolveDir: root, sourcefile: "<clusters>", loader: "js" },
    metafile: true,
    ...BUNDLING,
    write: true,
    outfile: file,
  }).catch(() => undefined);
  const bundle = { file, dir, inputs: result?.metafile.inputs ?? {} };
  if (result !== undefined) return bundle;
  await dropBundle(bundle);
  return undefined;
}

// The bundle `startBundler` began for a repository, until the loader takes it.
let early: { root: string; bundled: Promise<{ files: string[]; bundle: OneBundle | undefined } | undefined> } | undefined;

/**
 * Starts esbuild on another core while the compiler's own modules load. Given
 * a repository, it also lists its cluster files and bundles them, for
 * `takeBundle` to hand to the loader.
 */
export function startBundler(root?: string): void {
  try {
    if (root === undefined) {
      void esbuild().transform("").catch(() => undefined);
      return;
    }
  } catch {
    // loading the cluster files reports a missing esbuild where it is needed
    return;
  }
  const bundled = findClusterFiles(root).then(
    async (files) => ({ files, bundle: files.length < 2 ? undefined : await bundleAsOne(root, files) }),
    () => undefined,
  );
  early = { root, bundled };
}

/**
 * The one-module bundle of these cluster files: the one `startBundler` began
 * when it is for the same files, else a new one. The caller drops it.
 */
export async function takeBundle(root: string, files: readonly string[]): Promise<OneBundle | undefined> {
  const started = early?.root === root ? early : undefined;
  early = undefined;
  const prepared = await started?.bundled;
  if (prepared !== undefined && prepared.files.length === files.length && prepared.files.every((f, i) => f === files[i])) return prepared.bundle;
  if (prepared?.bundle !== undefined) await dropBundle(prepared.bundle);
  return bundleAsOne(root, files);
}

/** The cluster files of a repository: `clusters/*.ts`, sorted by name. */
export async function findClusterFiles(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(root, "clusters"));
  } catch {
    throw new TalcError(`no clusters/ folder; run talc in a repository with cluster definitions under clusters/`, {
      code: "no-clusters",
      stage: "load",
      file: join(root, "clusters"),
    });
  }
  return names
    .filter((n) => n.endsWith(".ts") && !n.endsWith(".d.ts") && !n.startsWith("_") && !n.startsWith("."))
    .sort()
    .map((n) => `clusters/${n}`);
}
