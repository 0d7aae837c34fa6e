// Cases: generated secrets in a config file are expected; user secrets are not; JSON6902 values; node patches.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "a WireGuard private key in a config file", expect: "bad", messageId: "config", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: WireguardConfig\nname: wg0\nprivateKey: YOJH0gmDQIqGl0rA8XfQSOYr9tW4x1j3BvQ6yJQkPlk=\n" },
  { title: "a static disk passphrase in a node patch", expect: "bad", messageId: "definition", definition: { nodes: [{ hostname: "cp-1", role: "controlplane", patches: [{ machine: { systemDiskEncryption: { state: { provider: "luks2", keys: [{ slot: 0, static: { passphrase: "correct horse" } }] } } } }] }] } },
  { title: "a JSON6902 patch that sets a token", expect: "bad", messageId: "definition", definition: { patches: [{ document: "v1alpha1", ops: [{ op: "replace", path: "/machine/token", value: "abcdef.0123456789abcdef" }] }] } },
  { title: "a variable reference is not a secret", expect: "good", patch: "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: tailscale\nenvironment:\n  - TS_AUTHKEY=${TS_AUTHKEY}\n" },
  { title: "the generator's own secrets in a config file", expect: "good", patch: "machine:\n  token: abcdef.0123456789abcdef\n" },
];
