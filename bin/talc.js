#!/usr/bin/env node
// Entry point. Runs the bundled CLI (dist/, built by scripts/bundle.ts at
// install) from its code caches (code-cache.js) while it is current;
// otherwise, as in a checkout with edited sources, runs the TypeScript
// sources through tsx.
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { bundleIsCurrent } from "./bundle-state.js";

// A talc command is over in a second or two, too soon for most of V8's optimizing compiles to pay:
// each one takes the core that out/'s writer, the collector and the other compiles need, and many
// are redone once a later cluster's new object shapes deoptimize them. Twelve times V8's default
// interrupt budget leaves optimizing to the functions that run longest; against three times (what
// talc used before), interleaved `talc build`s of the 1,000-node bench fleet took a median 1.52 s
// instead of 1.81 s, with 0.4 s less CPU, and 100 nodes or the examples were as fast. A long build
// gains from optimized code after all, so the compiler's pool lowers the budget again for a fleet
// of 5,000 nodes or more (compiler/workers/pool.ts). Set before any of talc is loaded, so every
// function gets it, and so the bundle's code caches are made and read under the same V8 flags.
const V8_DEFAULT_INTERRUPT_BUDGET = 66 * 1024;
setFlagsFromString(`--interrupt-budget=${12 * V8_DEFAULT_INTERRUPT_BUDGET}`);

const root = new URL("../", import.meta.url);
let cli;
if (bundleIsCurrent(root)) {
  const { requireBundled } = await import("./code-cache.js");
  cli = requireBundled(fileURLToPath(new URL("dist/talc.cjs", root)));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../compiler/cli/main.ts");
}
// A promise rejected that nothing handled would otherwise end the process with Node's own report and exit 1
// (the code for policy findings): talc says whose it was and exits as for bad input or a bug.
process.on("unhandledRejection", (reason) => process.exit(cli.unhandledRejection(reason, process.argv.slice(2))));
process.exitCode = await cli.main(process.argv.slice(2));
