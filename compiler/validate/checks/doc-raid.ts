// RAIDArrayConfig (1.14) builds a Linux software RAID array from the volumes its selector
// matches; mdadm stamps the name into the array's metadata, which takes at most 32 characters.
// The selector's CEL expression is not parsed here.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { at, quote, str, type Mapping } from "../../value.ts";

/** Why Talos refuses a storage object's name (RAID array, volume group, logical volume): problems at "name". */
export function storageNameProblems(name: string, max: number, example: string): Array<[string, string]> {
  if (name === "") return [["name", `is required: up to ${max} ASCII letters, digits, hyphens and underscores, such as ${example}`]];
  const problems: Array<[string, string]> = [];
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > max) problems.push(["name", `${quote(name)} is ${bytes} bytes long; expected at most ${max}`]);
  if (!/^[A-Za-z0-9_-]*$/.test(name)) problems.push(["name", `${quote(name)} is not valid; expected only ASCII letters, digits, hyphens and underscores, such as ${example}`]);
  return problems;
}

/** The problem of a volume selector without an expression, at its path. */
export function selectorProblems(data: Mapping, what: string): Array<[string, string]> {
  const path = "provisioning.volumeSelector.match";
  return str(at(data, path)).trim() === "" ? [[path, `is required: an expression choosing the ${what}, such as disk.transport == "nvme"`]] : [];
}

function judge(data: Mapping): Array<[string, string]> {
  return [...storageNameProblems(str(data.name), 32, "data-mirror"), ...selectorProblems(data, "member volumes of the array")];
}

/** RAIDArrayConfig has an mdadm name and a member selector. */
export const docRAID: Check = documentCheck({
  id: "doc-raid",
  summary: "a RAIDArrayConfig is named with 1 to 32 ASCII letters, digits, hyphens and underscores, and selects its members with provisioning.volumeSelector.match",
  kind: "RAIDArrayConfig",
  judge,
});
