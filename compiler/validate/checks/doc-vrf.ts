// A VRFConfig (1.13+) creates a VRF device, which routes through a table of its own: none of
// the kernel's tables, and not none at all. Addresses and routes are link-documents' concern.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { goLower } from "../../talos/enums.ts";
import { quote, type Mapping } from "../../value.ts";

/** The tables a VRF cannot take: the kernel's own, and none at all. */
const RESERVED_TABLES = ["unspec", "default", "main", "local"];

function judgeVRF(data: Mapping): Array<[string, string]> {
  const table = data.table;
  // Talos reads the table names in any letter case; numbers are left to the schema (1 to 252)
  const reserved = table === undefined || table === null || (typeof table === "string" && RESERVED_TABLES.includes(goLower(table)));
  if (!reserved) return [];
  const what = table === undefined || table === null ? "is required" : `${quote(table)} is reserved`;
  return [["table", `${what}: a VRF needs a routing table of its own, a number from 1 to 252 such as 100 (not unspec, default, main or local)`]];
}

/** VRFConfig uses a routing table of its own. */
export const docVRF: Check = documentCheck({
  id: "doc-vrf",
  summary: "a VRFConfig has a routing table of its own, not unspec, default, main or local",
  kind: "VRFConfig",
  judge: judgeVRF,
});
