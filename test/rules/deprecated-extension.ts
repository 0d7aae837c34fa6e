// Cases: a deprecated extension named by image; contrib tier is not deprecated.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "mdadm by image", expect: "bad", messageId: "deprecated", patch: "machine:\n  install:\n    extensions:\n      - image: ghcr.io/siderolabs/mdadm:v4.3\n" },
  { title: "a contrib extension", expect: "good", definition: { install: { extensions: ["siderolabs/nut-client"] } } },
];
