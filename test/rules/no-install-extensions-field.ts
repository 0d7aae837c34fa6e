// Cases: 1.14 and the worker role; an empty list is fine.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "1.14 worker", expect: "bad", messageId: "ignored", contract: "1.14", role: "worker", patch: "machine:\n  install:\n    extensions:\n      - image: ghcr.io/siderolabs/gvisor:20250505.0\n" },
  { title: "an empty list", expect: "good", patch: "machine:\n  install:\n    extensions: []\n" },
];
