// machine.registries of the v1alpha1 document: a registry named with no
// settings at all (a null entry) is refused, rather than read as empty.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { at, child, isMapping, type Mapping } from "../../value.ts";

// The problems of a v1alpha1 document's registries (documentCheck runs it once for the nodes sharing the document).
function judge(data: Mapping): Found {
  const found: Array<[string, string]> = [];
  // Talos checks config first, then mirrors
  for (const [field, what] of [["config", "the registry's auth or tls settings"], ["mirrors", "the mirror's endpoints"]]) {
    const entries = at(data, `machine.registries.${field}`);
    if (!isMapping(entries)) continue;
    for (const [name, value] of Object.entries(entries)) {
      if (value === null) found.push([child(`machine.registries.${field}`, name), `is null; set ${what}, or remove the entry`]);
    }
  }
  return found;
}

/** No registry entry is null. */
export const machineRegistries: Check = documentCheck({
  id: "machine-registries",
  summary: "machine.registries.mirrors and machine.registries.config entries are not null",
  kind: "v1alpha1",
  judge,
});
