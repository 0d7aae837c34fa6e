// Deprecated extensions are on their way out of the catalogue.

import { officialExtension } from "../../talos/extensions.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";
import { reportExtension } from "../extension-helpers.ts";

export default {
  id: "deprecated-extension",
  title: "No deprecated extensions",
  rationale:
    "An extension in the deprecated tier no longer gets fixes and will be dropped from a future Talos release; an upgrade then either fails to build the image or boots without it.",
  remediation: "Move to the replacement the catalogue names (for mdadm, Talos's own software RAID support), then remove the extension.",
  severity: { recommended: "warning", strict: "error" },
  tags: ["maintenance", "extensions"],
  references: [REF.extensionsCatalog],
  waivable: true,
  messages: { deprecated: "extension {name} is deprecated and will be removed from the catalogue" },
  examples: {
    good: [{ title: "a supported extension", definition: { install: { extensions: ["siderolabs/iscsi-tools"] } } }],
    bad: [{ title: "mdadm", definition: { install: { extensions: ["siderolabs/mdadm"] } } }],
  },
  check(ctx) {
    for (const ext of ctx.extensions) {
      if (officialExtension(ext.name)?.tier === "deprecated") reportExtension(ctx, ext, "deprecated", { name: ext.name });
    }
  },
} satisfies Rule;
