// Cases: the strict profile wants a digest; a digest without tag; 1.14 UnattendedInstallConfig.
import type { RuleCase } from "./harness.ts";

const digest = "@sha256:" + "a".repeat(64);
export const cases: RuleCase[] = [
  { title: "strict: a tag without digest", expect: "bad", messageId: "no-digest", profile: "strict", patch: "machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.13.9\n", definition: { talosVersion: "v1.13.9" } },
  { title: "strict: tag and digest", expect: "good", profile: "strict", patch: `machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.13.9${digest}\n`, definition: { talosVersion: "v1.13.9" } },
  { title: "a digest without a tag", expect: "bad", messageId: "digest-only", patch: `machine:\n  install:\n    image: ghcr.io/siderolabs/installer${digest}\n` },
  { title: "1.14 installer for another release", expect: "bad", messageId: "wrong-tag", contract: "1.14", definition: { talosVersion: "v1.14.0-rc.1" }, patch: "apiVersion: v1alpha1\nkind: UnattendedInstallConfig\ninstaller:\n  image: factory.talos.dev/metal-installer/abc:v1.13.9\nprovisioning:\n  diskSelector:\n    match: disk.dev_path == \"/dev/sda\"\n" },
  { title: "recommended: a tag is enough", expect: "good", patch: "machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.13.9\n" },
];
