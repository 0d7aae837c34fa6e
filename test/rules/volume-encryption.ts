// Cases: one volume only; 1.14 documents; the strict profile makes it an error.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "only STATE encrypted", expect: "bad", messageId: "not-encrypted", patch: "machine:\n  systemDiskEncryption:\n    state:\n      provider: luks2\n      keys:\n        - slot: 0\n          nodeID: {}\n" },
  { title: "legacy static key", expect: "bad", messageId: "static-key", patch: "machine:\n  systemDiskEncryption:\n    state:\n      provider: luks2\n      keys:\n        - slot: 0\n          static:\n            passphrase: '******'\n    ephemeral:\n      provider: luks2\n      keys:\n        - slot: 0\n          nodeID: {}\n" },
  { title: "1.14 TPM for both", expect: "good", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: VolumeConfig\nname: STATE\nencryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      tpm: {}\n---\napiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nencryption:\n  provider: luks2\n  keys:\n    - slot: 0\n      tpm: {}\n" },
];
