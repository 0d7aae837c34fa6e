// machine.systemDiskEncryption of the v1alpha1 document: an encrypted system
// partition needs keys, each in a LUKS key slot of its own and each saying
// where the key comes from.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { at, child, isMapping, isSet, list, num, type Mapping } from "../../value.ts";

const SOURCES = ["nodeID", "static", "kms", "tpm"];

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
    const slots = new Map<number, number>();
    keys.forEach((k, i) => {
      if (!isMapping(k)) return;
      const path = child(`${base}.keys`, i);
      const slot = num(k.slot);
      const first = slots.get(slot);
      if (first !== undefined) found.push([`${path}.slot`, `slot ${slot} is already used by keys[${first}]; give each key a slot of its own`]);
      else slots.set(slot, i);
      if (!SOURCES.some((s) => isSet(k[s]))) found.push([path, "has no key source; set one of nodeID, static, kms or tpm"]);
    });
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
