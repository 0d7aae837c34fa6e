#!/usr/bin/env node
// Entry point: loads the TypeScript CLI through tsx so the package runs from source.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../compiler/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
