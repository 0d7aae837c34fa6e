// Cases beyond the rule's examples: netbird's server SSH, official extensions, environment without SSH.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "netbird with server SSH", expect: "bad", messageId: "service-ssh", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: netbird\nenvironment:\n  - NB_ALLOW_SERVER_SSH=true\n" },
  { title: "a dropbear image", expect: "bad", messageId: "shell-extension", patch: "machine:\n  install:\n    extensions:\n      - image: docker.io/example/dropbear:2024.85\n" },
  { title: "an official extension whose name contains no shell", expect: "good", definition: { install: { extensions: ["siderolabs/util-linux-tools"] } } },
  { title: "an environment value mentioning ssh in a hostname", expect: "good", patch: "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: tailscale\nenvironment:\n  - TS_HOSTNAME=sshgate\n" },
];
