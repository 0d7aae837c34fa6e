// A VRFConfig (1.13+) creates a VRF device, which routes through a table of its own: none of
// the kernel's tables, and not none at all. Addresses and routes are link-documents' concern.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { goLower } from "../../talos/enums.ts";
import { quote, type Mapping } from "../../value.ts";

/** The tables a VRF cannot take: the kernel's own, and none at all. */
const RESERVED_TABLES = ["unspec", "default", "main", "local"];

function judgeVRF(data: Mapping): Array<[string, string]> {
  // a table left out is the schema's to report (it requires one); numbers are left to it too (1 to 252)
  const table = data.table;
  // Talos reads the table names in any letter case
  if (typeof table !== "string" || !RESERVED_TABLES.includes(goLower(table))) return [];
  return [["table", `${quote(table)} is reserved: a VRF needs a routing table of its own, a number from 1 to 252 such as 100 (not unspec, default, main or local)`]];
}

/** VRFConfig uses a routing table of its own. */
export const docVRF: Check = documentCheck({
  id: "doc-vrf",
  summary: "a VRFConfig has a routing table of its own, not unspec, default, main or local",
  kind: "VRFConfig",
  judge: judgeVRF,
});
