// Finding cluster files, and starting the bundler that loads them: kept apart
// from loading them, so that build can list clusters/ and start esbuild before
// the loader (ajv, schemas) is even read.

import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { TalcError } from "../errors.ts";

/**
 * esbuild, which bundles cluster files. It is CommonJS: required, not
 * imported, so Node does not first lex its hundred kilobytes for export names
 * (and optimize that lexer on another core).
 */
export function esbuild(): typeof import("esbuild") {
  return createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
}

/**
 * Starts esbuild's service process so that it comes up on another core while
 * the compiler's own modules load.
 */
export function startBundler(): void {
  try {
    void esbuild().transform("").catch(() => undefined);
  } catch {
    // loading the cluster files reports a missing esbuild where it is needed
  }
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
