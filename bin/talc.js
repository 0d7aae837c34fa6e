#!/usr/bin/env node
// Entry point. Runs the bundled CLI (dist/, built by scripts/bundle.ts at
// install) while it is current; otherwise, as in a checkout with edited
// sources, runs the TypeScript sources through tsx.
import { setFlagsFromString } from "node:v8";
import { bundleIsCurrent } from "./bundle-state.js";

// A talc command is over in a second or two, too soon for most of V8's optimizing compiles to pay:
// with its default budget, a 1,000-node build spent over a second of CPU compiling optimized code,
// much of it again for functions a later cluster's new object shapes had deoptimized, on the core
// that out/'s writer needs. Three times the budget leaves that to the really hot functions, once
// they have seen their shapes: on `npm run bench`, about 0.35 s less CPU at 1,000 nodes and none
// more at 100 or 10,000. Set before any of talc is loaded, so every function gets it.
setFlagsFromString("--interrupt-budget=202752");

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
