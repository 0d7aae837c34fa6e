// machine.systemDiskEncryption of the v1alpha1 document: an encrypted system
// partition needs keys, each in a LUKS key slot of its own and each saying
// where the key comes from.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { at, isMapping, isSet, list, type Mapping } from "../../value.ts";
import { encryptionKeyProblems } from "./volume-specs.ts";

// The problems of a v1alpha1 document's encryption settings (documentCheck runs it once for the nodes sharing the document).
function judge(data: Mapping): Found {
  const found: Array<[string, string]> = [];
  // Talos checks EPHEMERAL first, then STATE
  for (const partition of ["ephemeral", "state"]) {
    const config = at(data, `machine.systemDiskEncryption.${partition}`);
    if (!isSet(config)) continue;
    const base = `machine.systemDiskEncryption.${partition}`;
    const keys = isMapping(config) ? list(config.keys) : [];
    if (keys.length === 0) {
      found.push([`${base}.keys`, `is required: ${partition.toUpperCase()} is encrypted, so it needs at least one key, such as { slot: 0, nodeID: {} }`]);
      continue;
    }
    found.push(...encryptionKeyProblems(keys, `${base}.keys`, { pcrs: false }));
  }
  return found;
}

/** Encrypted system partitions have keys, in distinct slots, each with a source. */
export const machineDiskEncryption: Check = documentCheck({
  id: "machine-disk-encryption",
  summary: "machine.systemDiskEncryption partitions have keys in distinct slots, each with a key source",
  kind: "v1alpha1",
  judge,
});
