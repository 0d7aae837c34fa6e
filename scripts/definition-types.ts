// Generates compiler/define/definition.generated.ts from
// schemas/cluster.schema.json. `npm run schemas` runs it; a test renders it in
// memory and fails when the committed file is stale.

import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { compile, type JSONSchema } from "json-schema-to-typescript";

const SCHEMA = fileURLToPath(new URL("../schemas/cluster.schema.json", import.meta.url));
/** Where the generated types are committed. */
export const OUTPUT = fileURLToPath(new URL("../compiler/define/definition.generated.ts", import.meta.url));

const BANNER = `// Generated from schemas/cluster.schema.json by scripts/definition-types.ts; do not edit.

import type { TalosPatch } from "./patch.ts";
`;

/** The generated TypeScript text. */
export async function renderDefinitionTypes(): Promise<string> {
  const schema = JSON.parse(await readFile(SCHEMA, "utf8")) as JSONSchema;
  return compile(schema, "ClusterDefinition", {
    bannerComment: BANNER,
    additionalProperties: false,
    strictIndexSignatures: true,
    unreachableDefinitions: false,
    format: true,
    style: { printWidth: 120 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(OUTPUT, await renderDefinitionTypes());
  console.log(`wrote ${OUTPUT}`);
}
