// Locates the upstream reference data (../shared/upstream beside the
// checkout). CI has it; a fresh clone may not, and then those tests skip.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../shared/upstream/", import.meta.url));

/** The upstream folder, or undefined when it is not beside the checkout. */
export const UPSTREAM: string | undefined = existsSync(root) ? root : undefined;

/** The reason given when a conformance test skips. */
export const SKIP_UPSTREAM = UPSTREAM === undefined ? "../shared/upstream is not beside this checkout" : false;

/** Reads a file under the upstream folder. */
export function upstreamFile(rel: string): string {
  if (UPSTREAM === undefined) throw new Error(SKIP_UPSTREAM as string);
  return readFileSync(UPSTREAM + rel, "utf8");
}
