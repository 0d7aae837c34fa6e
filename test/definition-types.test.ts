// The committed definition types are what schemas/cluster.schema.json
// generates; a stale file fails here.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { OUTPUT, renderDefinitionTypes } from "../scripts/definition-types.ts";

test("compiler/define/definition.generated.ts is current", async () => {
  assert.equal(readFileSync(OUTPUT, "utf8"), await renderDefinitionTypes(), "run npm run schemas");
});
