// Finding cluster files and bundling them: kept apart from loading them, so
// that build can list clusters/ and have esbuild bundle them on another core
// while the compiler's own modules (ajv, schemas, rules) are still being read.

import { rmSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import type { BuildResult, Metafile } from "esbuild";
import { TalcError } from "../errors.ts";
import { esbuild } from "../lazy.ts";
import { packagePath } from "../paths.ts";

// Cluster files import "talc"; it always means the talc that is loading them, so definitions
// load the same way from a project's node_modules, a global install, the pre-commit
// framework's environment or a test's scratch folder. The API is a few plain functions, so
// each bundle carries its own copy and loading needs no module hooks.
export const TALC_API = packagePath("compiler", "define", "index.ts");

/** The extensions esbuild tries, in order, on an import that names none (its default order, spelled out). */
export const RESOLVE_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".css", ".json"];

/** How cluster files are bundled, whether one by one or as one module. */
export const BUNDLING = {
  bundle: true,
  write: false,
  format: "esm",
  platform: "node",
  target: "node20",
  alias: { talc: TALC_API },
  resolveExtensions: RESOLVE_EXTENSIONS,
  logLevel: "silent",
  charset: "utf8",
} as const;

/** All of a repository's cluster files bundled as one module, written to a folder of its own. */
export interface OneBundle {
  /** The module, to import by its path. */
  file: string;
  /** The folder it is in, to remove once it is imported. */
  dir: string;
  /** What esbuild read, and what each input imports. */
  inputs: Metafile["inputs"];
}

// The start of a one-module bundle's temporary folder's name.
const BUNDLE_FOLDER = "talc-clusters-";

/**
 * Whether a value thrown or rejected came from a cluster file's own code: it was thrown where a bundle of
 * cluster files runs (one module in a temporary folder, or one file's imported from a data: URL), or it is
 * not an Error at all, which talc never throws.
 */
export function fromClusterCode(reason: unknown): boolean {
  if (!(reason instanceof Error)) return true;
  const stack = String(reason.stack ?? "");
  return stack.includes("data:text/javascript") || stack.includes(`${sep}${BUNDLE_FOLDER}`);
}

// Folders of bundles not yet removed: whatever ends the process, none is left behind.
const liveDirs = new Set<string>();
let exitHookSet = false;

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

/** Removes a bundle's folder. */
export function dropBundle(bundle: OneBundle): Promise<void> {
  return removeDir(bundle.dir);
}

/**
 * Bundles cluster files as one module in a new temporary folder (a fleet's
 * bundle is megabytes: passed back through esbuild's pipe and imported as a
 * data: URL it would stay in memory several times over). Undefined for a
 * single file, and when esbuild is missing, the files do not build or no
 * folder can be made; the caller then loads them one by one, which also says
 * which file failed.
 */
export async function bundleAsOne(root: string, files: readonly string[]): Promise<OneBundle | undefined> {
  if (files.length < 2) return undefined;
  let build: (typeof import("esbuild"))["build"];
  try {
    ({ build } = esbuild());
  } catch {
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), BUNDLE_FOLDER)).catch(() => undefined);
  if (dir === undefined) return undefined;
  if (!exitHookSet) process.once("exit", () => liveDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  exitHookSet = true;
  liveDirs.add(dir);
  const file = join(dir, "clusters.mjs");
  const result = await build({
    absWorkingDir: root,
    stdin: { contents: files.map((f, i) => `export * as c${i} from ${JSON.stringify(join(root, f))};`).join("\n"), resolveDir: root, sourcefile: "<clusters>", loader: "js" },
    metafile: true,
    ...BUNDLING,
    write: true,
    outfile: file,
  }).catch(() => undefined);
  if (result === undefined) {
    await removeDir(dir);
    return undefined;
  }
  return { file, dir, inputs: result.metafile.inputs };
}

/**
 * Each cluster file bundled on its own (with its own copy of every local module it imports) by one
 * esbuild run, the outputs kept in memory. The caller reads what it throws: a file that fails to build.
 */
export async function bundleEach(root: string, files: readonly string[]): Promise<BuildResult<{ metafile: true; write: false }>> {
  return await esbuild().build({
    absWorkingDir: root,
    entryPoints: files.map((f) => join(root, f)),
    outdir: join(root, ".talc", "bundles"),
    outbase: root,
    metafile: true,
    ...BUNDLING,
  });
}

/** What bundling began before the loader needed it: the files as one module, or each on its own. */
export interface EarlyBundle {
  one?: OneBundle;
  each?: ReturnType<typeof bundleEach>;
}

// What `startBundler` began, until the loader takes it.
let early: { root: string; prepared: Promise<({ files: string[] } & EarlyBundle) | undefined> } | undefined;

/**
 * Lists a repository's cluster files and starts bundling them, so that
 * esbuild works on another core while the compiler's own modules load;
 * `takeEarlyBundle` hands the result to the loader. When the caller already
 * knows that cluster files share a local module (so they cannot be one
 * module), each is bundled on its own straight away.
 */
export function startBundler(root: string, shared = false): void {
  const prepared = findClusterFiles(root).then(
    async (files): Promise<{ files: string[] } & EarlyBundle> => {
      if (!shared) return { files, one: await bundleAsOne(root, files) };
      const each = bundleEach(root, files);
      // Handled here, so a bundle nobody takes is not an unhandled rejection; the loader still awaits its failure.
      each.catch(() => {});
      return { files, each };
    },
    () => undefined,
  );
  early = { root, prepared };
}

/**
 * What `startBundler` began, when it was for these cluster files; else
 * undefined, and anything it made is removed. The caller drops a bundle taken.
 */
export async function takeEarlyBundle(root: string, files: readonly string[]): Promise<EarlyBundle | undefined> {
  const started = early;
  early = undefined;
  const prepared = await started?.prepared;
  if (prepared === undefined) return undefined;
  if (started?.root === root && prepared.files.length === files.length && prepared.files.every((f, i) => f === files[i])) return prepared;
  if (prepared.one !== undefined) await dropBundle(prepared.one);
  return undefined;
}

/**
 * Whether a path is in two of these lists, none of which holds a path twice: whether two cluster files share
 * one of the files each reads (the loader asks it of what esbuild read, `talc build` of the inputs it hashed).
 */
export function inTwo(lists: Iterable<Iterable<string>>): boolean {
  const seen = new Set<string>();
  for (const list of lists) {
    for (const path of list) {
      if (seen.has(path)) return true;
      seen.add(path);
    }
  }
  return false;
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
