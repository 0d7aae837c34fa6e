// From Talos 1.14 the installer is published by the Image Factory only.

import { installerImages, parseImage } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

/** The installer repository Talos no longer publishes from 1.14 on. */
const LEGACY_INSTALLER = "ghcr.io/siderolabs/installer";

export default {
  id: "no-legacy-installer-registry",
  title: "Talos 1.14 and later do not use ghcr.io/siderolabs/installer",
  rationale:
    "From Talos 1.14 the installer is no longer published to ghcr.io/siderolabs/installer; installs and upgrades that name it fail to pull (or pick up an unrelated older image), and the node is left on its old release.",
  remediation: "Use the Image Factory installer, factory.talos.dev/metal-installer/<schematic id>:<version>: leave the image out of the definition (talc derives it from the schematic) or name the factory image.",
  severity: { recommended: "error", strict: "error" },
  tags: ["correctness", "supply-chain"],
  references: [REF.imageFactory, REF.upgrading],
  contracts: ["1.14"],
  waivable: true,
  messages: { legacy: "installer image {image} is not published for Talos 1.14 and later; use the Image Factory installer" },
  examples: {
    good: [{ title: "the factory installer", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: UnattendedInstallConfig\ninstaller:\n  image: factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.14.0\nprovisioning:\n  diskSelector:\n    match: disk.dev_path == \"/dev/sda\"\n" }],
    bad: [{ title: "the retired installer", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: UnattendedInstallConfig\ninstaller:\n  image: ghcr.io/siderolabs/installer:v1.14.0\nprovisioning:\n  diskSelector:\n    match: disk.dev_path == \"/dev/sda\"\n" }],
  },
  check(ctx) {
    for (const found of installerImages(ctx)) {
      if (parseImage(found.value).repository === LEGACY_INSTALLER) ctx.report({ doc: found.doc, path: found.path, messageId: "legacy", data: { image: found.value } });
    }
  },
} satisfies Rule;
