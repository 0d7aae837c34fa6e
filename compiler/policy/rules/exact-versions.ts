// Versions are exact, so a build means the same thing tomorrow.

import { componentImages } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

const EXACT = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

export default {
  id: "exact-versions",
  title: "Talos and Kubernetes versions are exact",
  rationale:
    "A version such as v1.13 or latest resolves to whatever is newest when the machine installs or upgrades, so two nodes built from the same commit can run different software, and a rollback cannot restore what ran before. Exact versions make the output reproducible and every upgrade a reviewed change.",
  remediation: "Give the full release: `talosVersion: \"v1.13.9\"`, `kubernetesVersion: \"1.36.3\"`, and image tags such as `v1.36.3`.",
  severity: { recommended: "error", strict: "error" },
  tags: ["reproducibility", "supply-chain"],
  references: [REF.supportMatrix],
  waivable: true,
  messages: {
    "talos-version": "talosVersion {value} is not an exact release; expected e.g. v1.13.9",
    "kubernetes-version": "kubernetesVersion {value} is not an exact version; expected e.g. 1.36.3",
    "image-tag": "{what} image tag {value} is not an exact version; expected e.g. v1.36.3",
  },
  examples: {
    good: [{ title: "exact versions", definition: { talosVersion: "v1.13.9", kubernetesVersion: "1.36.3" } }],
    bad: [
      { title: "a minor version only", definition: { talosVersion: "v1.13" } },
      { title: "a kubelet tag without the patch release", patch: "machine:\n  kubelet:\n    image: ghcr.io/siderolabs/kubelet:v1.36\n" },
    ],
  },
  check(ctx) {
    const def = ctx.definition;
    if (def !== undefined) {
      if (!EXACT.test(def.talosVersion) || !def.talosVersion.startsWith("v")) ctx.report({ messageId: "talos-version", data: { value: def.talosVersion }, definitionPath: "talosVersion" });
      if (!EXACT.test(def.kubernetesVersion) || def.kubernetesVersion.startsWith("v")) ctx.report({ messageId: "kubernetes-version", data: { value: def.kubernetesVersion }, definitionPath: "kubernetesVersion" });
    }
    for (const { doc, path, what, tag } of componentImages(ctx)) {
      if (tag === undefined || ["latest", "stable"].includes(tag)) continue; // no-mutable-image-tag's concern
      if (!EXACT.test(tag)) ctx.report({ doc, path, messageId: "image-tag", data: { what, value: tag } });
    }
  },
} satisfies Rule;
