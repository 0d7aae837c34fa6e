// Whether the bundled CLI in dist/ may run: it must exist and be at least as
// new as every source it was built from (dist/inputs.json lists them), so an
// edited checkout never runs stale code. Plain JavaScript: it runs before tsx
// is loaded, to decide whether tsx is needed at all.
import { readFileSync, statSync } from "node:fs";

/**
 * @param {URL} root the package's root folder (a URL ending in "/")
 * @param {NodeJS.ProcessEnv} env TALC_FROM_SOURCE=1 forces the sources
 * @returns {boolean}
 */
export function bundleIsCurrent(root, env = process.env) {
  if (env.TALC_FROM_SOURCE === "1") return false;
  try {
    const built = statSync(new URL("dist/talc.cjs", root)).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(new URL("dist/inputs.json", root), "utf8"));
    return inputs.length > 0 && inputs.every((file) => statSync(new URL(file, root)).mtimeMs <= built);
  } catch {
    return false;
  }
}
