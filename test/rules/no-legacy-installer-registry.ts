// Cases: legacy field on 1.14; the same image is fine before 1.14.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "1.14 legacy machine.install.image", expect: "bad", messageId: "legacy", contract: "1.14", patch: "machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.14.0\n" },
  { title: "1.13 may still use it", expect: "good", contract: "1.13", patch: "machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.13.9\n" },
];
