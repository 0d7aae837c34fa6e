// The facts scripts/extract-talos-fields.ts gathered from Talos's sources
// (fields.json), read as JSON rather than imported: bundled, they would be a
// 175 KB object literal, which takes V8 about four times as long to load as
// JSON.parse takes over the same text (some 15 ms of every start).

import { readFileSync } from "node:fs";
import { packagePath } from "../paths.ts";

/** fields.json, parsed; each reader gives it its own shape. */
export const TALOS_FACTS: unknown = JSON.parse(readFileSync(packagePath("compiler", "talos", "fields.json"), "utf8"));
