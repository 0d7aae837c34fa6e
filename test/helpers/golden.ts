// Golden files live under test/golden/. UPDATE_GOLDEN=1 re-records them;
// that is refused under CI, where a missing or stale golden file must fail.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../golden/", import.meta.url));

/** Asserts `actual` equals the golden file `rel`, or records it with UPDATE_GOLDEN=1. */
export function checkGolden(rel: string, actual: string): void {
  const path = ROOT + rel;
  if (process.env.UPDATE_GOLDEN === "1") {
    if (process.env.CI) throw new Error("UPDATE_GOLDEN=1 is refused under CI: golden files are recorded by a developer");
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file test/golden/${rel} is missing; record it with UPDATE_GOLDEN=1`);
  assert.equal(actual, readFileSync(path, "utf8"), `differs from test/golden/${rel}`);
}
