// The precompiled validators (made at npm install) are what the schemas
// compile to, and validation gives the same answers with and without them.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { OUTPUT_DIR, renderDefinitionValidator, renderValidators } from "../scripts/validators.ts";
import { packagePath } from "../compiler/paths.ts";
import { CONTRACTS } from "../compiler/talos/contract.ts";
import { compiledValidator, madeFrom, newAjv, schemaKinds } from "../compiler/validate/schema.ts";
import { baseConfig } from "./rules/harness.ts";

// What a validator says of a value: whether it is valid and, if not, each error as data.
function verdict(validate: ValidateFunction, value: unknown): unknown {
  const valid = validate(value);
  return { valid, errors: (validate.errors ?? []).map((e) => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, keyword: e.keyword, params: e.params })) };
}

// A document made wrong twice over: a field no schema has, and its first field past the identity given the wrong type.
function broken(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc, notAField: true };
  const key = Object.keys(doc).find((k) => !["apiVersion", "kind", "version"].includes(k));
  if (key !== undefined) out[key] = typeof doc[key] === "string" ? 42 : "not this";
  return out;
}

describe("precompiled validators", { skip: existsSync(OUTPUT_DIR) ? false : "not generated here (npm install generates them)" }, () => {
  for (const contract of CONTRACTS) {
    test(`v${contract} is current, one module per document kind`, () => {
      const modules = renderValidators(contract);
      assert.ok(modules.has("v1alpha1") && modules.size > 30, `${modules.size} kinds`);
      assert.deepEqual(readdirSync(`${OUTPUT_DIR}v${contract}`).sort(), [...modules.keys()].map((k) => `${k}.cjs`).sort(), "run npm run schemas");
      for (const [kind, text] of modules) assert.equal(readFileSync(`${OUTPUT_DIR}v${contract}/${kind}.cjs`, "utf8"), text, `${kind}: run npm run schemas`);
    });
  }
  for (const contract of CONTRACTS) {
    test(`v${contract}: the validators record the schema they were made from, and are not used for another`, () => {
      const text = readFileSync(packagePath("schemas", "talos", `v${contract}.json`), "utf8");
      assert.ok(madeFrom(contract, text), "run npm run schemas");
      // a schema edited since the install (a pull without npm ci) is compiled at run time instead
      assert.equal(madeFrom(contract, text.replace('"minimum": 1', '"minimum": 2')), false);
      assert.equal(madeFrom(contract, text + " "), false);
    });
  }
  for (const contract of CONTRACTS) {
    test(`v${contract}: the precompiled validators judge documents as the schema compiled at run time does`, () => {
      const schema = JSON.parse(readFileSync(packagePath("schemas", "talos", `v${contract}.json`), "utf8")) as Record<string, unknown>;
      const ajv = newAjv();
      ajv.addSchema(schema, "talos");
      const kinds = schemaKinds(schema);
      let documents = 0;
      let invalid = 0;
      for (const role of ["controlplane", "worker"] as const) {
        for (const doc of baseConfig(contract, role)) {
          const kind = typeof doc.kind === "string" ? doc.kind : "v1alpha1";
          const precompiled = compiledValidator(contract, kind);
          const compiled = ajv.getSchema(`talos#/$defs/${kinds.get(kind)}`);
          assert.ok(precompiled !== undefined && compiled !== undefined, kind);
          documents++;
          for (const value of [doc, broken(doc)]) {
            const want = verdict(compiled, value);
            assert.deepEqual(verdict(precompiled, value), want, `${kind}: ${JSON.stringify(value).slice(0, 200)}`);
            if (!(want as { valid: boolean }).valid) invalid++;
            else assert.equal(value, doc, `${kind}: the broken document passed`);
          }
        }
      }
      assert.equal(invalid, documents, "every broken document is refused, every base one passes");
    });
  }

  test("the definition validator is current", () => assert.equal(readFileSync(`${OUTPUT_DIR}cluster.cjs`, "utf8"), renderDefinitionValidator()));
});
