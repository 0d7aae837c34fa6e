#!/usr/bin/env node
// Entry point: loads the TypeScript CLI through tsx so the package runs from source.
import { register } from "node:module";
import { register as registerTsx } from "tsx/esm/api";

// Cluster files import "talc"; it always means the talc that is running, so
// definitions load the same way from a project's node_modules, a global
// install or the pre-commit framework's own environment.
const api = new URL("../compiler/define/index.ts", import.meta.url).href;
register(
  "data:text/javascript," +
    encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        return specifier === "talc" ? { url: ${JSON.stringify(api)}, shortCircuit: true } : next(specifier, context);
      }`,
    ),
);
registerTsx();
const { main } = await import("../compiler/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
