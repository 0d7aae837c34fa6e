// Cases: every tunnel extension is found, by definition and by image; the strict profile raises it.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  ...["cloudflared", "zerotier", "nebula", "newt"].map((name): RuleCase => ({ title: `${name} in a node's install`, expect: "bad", messageId: "extension", definition: { nodes: [{ hostname: "cp-1", role: "controlplane", install: { extensions: [`siderolabs/${name}`] } }] } })),
  { title: "tailscale as a legacy extension image", expect: "bad", messageId: "extension", patch: "machine:\n  install:\n    extensions:\n      - image: ghcr.io/siderolabs/tailscale:1.80.0\n" },
  { title: "a worker-only tunnel does not concern the control plane", expect: "good", definition: { workers: { install: { extensions: ["siderolabs/tailscale"] } } } },
];
