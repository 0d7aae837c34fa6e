// machine.install.extensions has been ignored since Talos 1.10.

import { at, list } from "../../value.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "no-install-extensions-field",
  title: "Extensions are not listed in machine.install.extensions",
  rationale:
    "Since Talos 1.10 the installer ignores machine.install.extensions: the node boots without the extensions listed there, so storage, firmware or drivers the workloads expect are silently missing. The field also accepts any image, including third-party ones that were never reviewed.",
  remediation: "Move the extensions into the image: list them in the definition's `install.extensions` (an Image Factory schematic), and remove machine.install.extensions.",
  severity: { recommended: "error", strict: "error" },
  tags: ["correctness", "extensions", "supply-chain"],
  references: [REF.extensions, REF.imageFactory],
  waivable: true,
  messages: { ignored: "machine.install.extensions is ignored since Talos 1.10 ({count} extension(s) would be missing); build them into the image instead" },
  examples: {
    good: [{ title: "extensions in the schematic", definition: { install: { extensions: ["siderolabs/iscsi-tools"] } } }],
    bad: [{ title: "extensions in machine.install", patch: "machine:\n  install:\n    extensions:\n      - image: ghcr.io/siderolabs/iscsi-tools:v0.1.4\n" }],
  },
  check(ctx) {
    if (ctx.legacy === undefined) return;
    const exts = list(at(ctx.legacy.data, "machine.install.extensions"));
    if (exts.length > 0) ctx.report({ doc: ctx.legacy, path: "machine.install.extensions", messageId: "ignored", data: { count: exts.length } });
  },
} satisfies Rule;
