// The precompiled validators (made at npm install) are what the schemas
// compile to, and validation gives the same answers with and without them.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { OUTPUT_DIR, renderDefinitionValidator, renderValidators } from "../scripts/validators.ts";
import { CONTRACTS } from "../compiler/talos/contract.ts";

describe("precompiled validators", { skip: existsSync(OUTPUT_DIR) ? false : "not generated here (npm install generates them)" }, () => {
  for (const contract of CONTRACTS) {
    test(`v${contract} is current, one module per document kind`, () => {
      const modules = renderValidators(contract);
      assert.ok(modules.has("v1alpha1") && modules.size > 30, `${modules.size} kinds`);
      assert.deepEqual(readdirSync(`${OUTPUT_DIR}v${contract}`).sort(), [...modules.keys()].map((k) => `${k}.cjs`).sort(), "run npm run schemas");
      for (const [kind, text] of modules) assert.equal(readFileSync(`${OUTPUT_DIR}v${contract}/${kind}.cjs`, "utf8"), text, `${kind}: run npm run schemas`);
    });
  }
  test("the definition validator is current", () => assert.equal(readFileSync(`${OUTPUT_DIR}cluster.cjs`, "utf8"), renderDefinitionValidator()));
});
