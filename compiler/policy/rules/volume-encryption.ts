// STATE holds the machine config with its secrets; EPHEMERAL holds container data.

import { at, isMapping, list, str } from "../../value.ts";
import type { Doc } from "../../validate/types.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

// Each volume, and where the legacy document sets its encryption (a constant path: `at` splits each path
// once, and a path made anew for every node would be hashed anew to find it).
const VOLUMES = [
  ["STATE", "machine.systemDiskEncryption.state"],
  ["EPHEMERAL", "machine.systemDiskEncryption.ephemeral"],
] as const;

export default {
  id: "volume-encryption",
  title: "STATE and EPHEMERAL are encrypted, with a key that is not static",
  rationale:
    "STATE holds the machine config with the cluster's secrets; EPHEMERAL holds container images, volumes and logs. On a disk that is lost, returned or resold they can be read unless encrypted. A static passphrase in the config is only as safe as the config, so keys sealed to the TPM, derived from the node ID, or served by a KMS are preferred.",
  remediation: "Encrypt both volumes (machine.systemDiskEncryption before 1.14, VolumeConfig `encryption` from 1.14) with a tpm, nodeID or kms key instead of static.",
  severity: { recommended: "warning", strict: "error" },
  tags: ["security", "encryption", "data-at-rest"],
  references: [REF.diskEncryption],
  waivable: true,
  messages: {
    "not-encrypted": "{volumes} {verb} not encrypted",
    "static-key": "{volume} is encrypted with a static passphrase kept in the config",
  },
  examples: {
    good: [{ title: "TPM-sealed keys", patch: "machine:\n  systemDiskEncryption:\n    state:\n      provider: luks2\n      keys:\n        - slot: 0\n          tpm: {}\n    ephemeral:\n      provider: luks2\n      keys:\n        - slot: 0\n          nodeID: {}\n" }],
    bad: [
      { title: "no encryption", patch: "machine:\n  kubelet:\n    extraArgs: {}\n" },
      { title: "a static key (1.14)", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: VolumeConfig\nname: STATE\nencryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      static:\n        passphrase: '******'\n---\napiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nencryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      tpm: {}\n" },
    ],
  },
  check(ctx) {
    const missing: string[] = [];
    let anchor: { doc: Doc; path: string } | undefined;
    for (const [volume, legacyPath] of VOLUMES) {
      const doc = ctx.ofKind("VolumeConfig").find((d) => str(d.data.name) === volume);
      const docEncryption = doc === undefined ? undefined : doc.data.encryption;
      const legacyEncryption = ctx.legacy === undefined ? undefined : at(ctx.legacy.data, legacyPath);
      const sources: Array<[Doc, string, unknown]> = [];
      if (doc !== undefined && isMapping(docEncryption)) sources.push([doc, "encryption", docEncryption]);
      if (ctx.legacy !== undefined && isMapping(legacyEncryption)) sources.push([ctx.legacy, legacyPath, legacyEncryption]);
      if (sources.length === 0) {
        missing.push(volume);
        anchor ??= doc !== undefined ? { doc, path: "encryption" } : ctx.legacy !== undefined ? { doc: ctx.legacy, path: "machine.systemDiskEncryption" } : undefined;
        continue;
      }
      for (const [d, path, enc] of sources) {
        list(at(enc, "keys")).forEach((k, i) => {
          if (isMapping(k) && isMapping(k.static)) ctx.report({ doc: d, path: `${path}.keys[${i}].static`, messageId: "static-key", data: { volume } });
        });
      }
    }
    if (missing.length > 0 && anchor !== undefined) ctx.report({ doc: anchor.doc, path: anchor.path, messageId: "not-encrypted", data: { volumes: missing.join(" and "), verb: missing.length > 1 ? "are" : "is" } });
  },
} satisfies Rule;
