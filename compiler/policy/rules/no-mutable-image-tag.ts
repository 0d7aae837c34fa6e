// A tag that moves makes a config mean different things on different days.

import { images, parseImage } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

/** Tags that conventionally move to newer images. */
const MUTABLE_TAGS: ReadonlySet<string> = new Set(["latest", "stable", "edge", "main", "master", "nightly", "dev", "canary", "head"]);

export default {
  id: "no-mutable-image-tag",
  title: "No image is referenced by a moving tag or without a tag",
  rationale:
    "An image without a tag means latest, and tags such as latest, stable or main move. Kubelet, control-plane components, static pods, containers and manifests embedded in the config then run whatever was pushed last, which differs between nodes and between reboots and cannot be reviewed or rolled back.",
  remediation: "Reference every image by an exact version tag, ideally also by digest (`image:1.2.3@sha256:…`).",
  severity: { recommended: "error", strict: "error" },
  tags: ["reproducibility", "supply-chain"],
  references: [REF.configReference],
  waivable: true,
  messages: {
    "no-tag": "{what} image {image} has no tag, which means latest; pin a version",
    "mutable-tag": "{what} image {image} uses the moving tag {tag}; pin a version",
  },
  examples: {
    good: [{ title: "pinned static pod", patch: "machine:\n  pods:\n    - apiVersion: v1\n      kind: Pod\n      metadata:\n        name: nginx\n      spec:\n        containers:\n          - name: nginx\n            image: nginx:1.27.3\n" }],
    bad: [
      { title: "a static pod on latest", patch: "machine:\n  pods:\n    - apiVersion: v1\n      kind: Pod\n      metadata:\n        name: nginx\n      spec:\n        containers:\n          - name: nginx\n            image: nginx:latest\n" },
      { title: "a kubelet image without a tag", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeletConfig\nimage: ghcr.io/siderolabs/kubelet\n" },
    ],
  },
  check(ctx) {
    for (const use of images(ctx)) {
      const ref = parseImage(use.value);
      if (ref.tag === undefined && ref.digest === undefined) ctx.report({ doc: use.doc, path: use.path, messageId: "no-tag", data: { what: use.what, image: use.value } });
      else if (ref.tag !== undefined && ref.digest === undefined && MUTABLE_TAGS.has(ref.tag.toLowerCase())) {
        ctx.report({ doc: use.doc, path: use.path, messageId: "mutable-tag", data: { what: use.what, image: use.value, tag: ref.tag } });
      }
    }
  },
} satisfies Rule;
