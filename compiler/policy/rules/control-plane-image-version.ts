// Kubernetes components run the version the cluster is declared at.

import { componentImages } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "control-plane-image-version",
  title: "Kubernetes component images match kubernetesVersion",
  rationale:
    "The kubelet and control-plane images are tagged with the Kubernetes version. An image overridden to another version makes the cluster run a mix the declared version does not describe, which can break Kubernetes's version skew policy and hides the real version from upgrades and the support-window check.",
  remediation: "Remove the image override so Talos uses `v<kubernetesVersion>`, or change kubernetesVersion and let every component follow it.",
  severity: { recommended: "error", strict: "error" },
  tags: ["correctness", "reproducibility"],
  references: [REF.supportMatrix],
  waivable: true,
  messages: { mismatch: "{what} image tag {tag} differs from the cluster's Kubernetes version v{expected}" },
  examples: {
    good: [{ title: "images follow the version", definition: { kubernetesVersion: "1.36.3" } }],
    bad: [{ title: "an API server pinned to an older release", patch: "cluster:\n  apiServer:\n    image: registry.k8s.io/kube-apiserver:v1.35.0\n", definition: { kubernetesVersion: "1.36.3" } }],
  },
  check(ctx) {
    if (ctx.kubernetesVersion === undefined) return;
    const expected = ctx.kubernetesVersion.replace(/^v/, "");
    for (const { doc, path, what, tag } of componentImages(ctx)) {
      if (tag === undefined || tag.replace(/^v/, "") === expected) continue;
      ctx.report({ doc, path, messageId: "mismatch", data: { what, tag, expected } });
    }
  },
} satisfies Rule;
