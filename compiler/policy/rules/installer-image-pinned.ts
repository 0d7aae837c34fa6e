// The installer image decides what Talos an install or upgrade puts on disk.

import { installerImages, parseImage } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

const norm = (v: string): string => v.replace(/^v/, "");

export default {
  id: "installer-image-pinned",
  title: "The installer image is pinned to the target Talos version",
  rationale:
    "The installer image is what an install or upgrade writes to disk. A tag that differs from the Talos version the config was built for installs a different release than the one reviewed (and than the config's layout expects); a missing tag means latest. A digest pins the exact bytes, which the strict profile requires; a digest without a tag hides which release it is.",
  remediation: "Use `<installer>:<talosVersion>`, e.g. factory.talos.dev/metal-installer/<schematic>:v1.13.9, and in the strict profile append `@sha256:<digest>`.",
  severity: { recommended: "error", strict: "error" },
  tags: ["reproducibility", "supply-chain"],
  references: [REF.upgrading, REF.imageFactory],
  waivable: true,
  messages: {
    "no-tag": "installer image {image} has no tag; tag it with {expected}",
    "digest-only": "installer image {image} has a digest but no tag; add the tag ({expected}) so the release is visible",
    "wrong-tag": "installer image tag {tag} differs from the target Talos version {expected}",
    "no-digest": "installer image {image} is not pinned by digest (required by the strict profile); append @sha256:<digest>",
  },
  examples: {
    good: [{ title: "tag equal to the Talos version", patch: "machine:\n  install:\n    image: factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.13.9\n", definition: { talosVersion: "v1.13.9" } }],
    bad: [
      { title: "an older installer than the target", patch: "machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.12.11\n", definition: { talosVersion: "v1.13.9" } },
      { title: "no tag at all", patch: "machine:\n  install:\n    image: ghcr.io/siderolabs/installer\n" },
    ],
  },
  check(ctx) {
    for (const found of installerImages(ctx)) {
      const ref = parseImage(found.value);
      const expected = ctx.talosVersion ?? "the target Talos version";
      const data = { image: found.value, expected, tag: ref.tag ?? "" };
      if (ref.tag === undefined) {
        ctx.report({ doc: found.doc, path: found.path, messageId: ref.digest === undefined ? "no-tag" : "digest-only", data });
        continue;
      }
      if (ctx.talosVersion !== undefined && norm(ref.tag) !== norm(ctx.talosVersion)) ctx.report({ doc: found.doc, path: found.path, messageId: "wrong-tag", data });
      if (ctx.profile === "strict" && ref.digest === undefined) ctx.report({ doc: found.doc, path: found.path, messageId: "no-digest", data });
    }
  },
} satisfies Rule;
