// Cases: allow-lists in the definition and the repository, prefix entries, a name without namespace.
import type { RuleCase } from "./harness.ts";

const custom = { install: { extensions: ["ghcr.io/example/agent:1.2.3"] } };
export const cases: RuleCase[] = [
  { title: "allow-listed by image repository in the definition", expect: "good", definition: { ...custom, policy: { allowExtensions: ["ghcr.io/example/agent"] } as never } },
  { title: "allow-listed by prefix in talc.config.json", expect: "good", definition: custom, repository: { allowExtensions: ["ghcr.io/example/*"] } },
  { title: "allow-listing another repository does not help", expect: "bad", messageId: "unknown-no-guess", definition: custom, repository: { allowExtensions: ["ghcr.io/other/agent"] } },
  { title: "a name without its namespace", expect: "bad", messageId: "unknown", definition: { install: { extensions: ["iscsi-tools"] } } },
  { title: "an official image reference", expect: "good", patch: "machine:\n  install:\n    extensions:\n      - image: ghcr.io/siderolabs/gvisor:20250505.0\n" },
];
