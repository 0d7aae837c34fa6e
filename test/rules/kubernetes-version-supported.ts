// Cases: a definition outside the window (checked again by policy); a config file inside it.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "a definition too new for 1.12", expect: "bad", messageId: "unsupported", contract: "1.12", definition: { talosVersion: "v1.12.11", kubernetesVersion: "1.36.3" } },
  { title: "the oldest supported minor", expect: "good", contract: "1.13", patch: "machine:\n  kubelet:\n    image: ghcr.io/siderolabs/kubelet:v1.31.0\n" },
];
