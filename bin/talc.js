#!/usr/bin/env node
// Entry point. Runs the bundled CLI (dist/, built by scripts/bundle.ts at
// install) while it is current; otherwise, as in a checkout with edited
// sources, runs the TypeScript sources through tsx.
import { bundleIsCurrent } from "./bundle-state.js";

const root = new URL("../", import.meta.url);
let cli;
if (bundleIsCurrent(root)) {
  cli = await import(new URL("dist/talc.mjs", root).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../compiler/cli/main.ts");
}
process.exitCode = await cli.main(process.argv.slice(2));
