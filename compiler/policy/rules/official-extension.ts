// Only extensions from the official catalogue, unless allow-listed.

import { closestExtensions, officialExtension } from "../../talos/extensions.ts";
import { parseImage } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";
import { reportExtension } from "../extension-helpers.ts";

/** Whether an allow-list entry admits an extension: the same name, the same image repository, or a `prefix/*` entry. */
export function allowed(name: string, allowList: readonly string[]): boolean {
  const repository = parseImage(name).repository;
  return allowList.some((entry) => {
    const e = entry.trim();
    if (e.endsWith("/*")) return name.startsWith(e.slice(0, -1)) || repository.startsWith(e.slice(0, -1));
    return e === name || e === repository;
  });
}

export default {
  id: "official-extension",
  title: "System extensions come from the official catalogue",
  rationale:
    "A system extension runs as root on the host, below Kubernetes, with no sandbox. The official extensions are built, signed and published with each Talos release; an unknown name is either a typo (the image build fails or, worse, silently lacks what was meant) or a third-party image nobody reviewed.",
  remediation:
    "Use the official name (see the suggestion), or, for a reviewed third-party extension, add it to the allow-list: `policy.allowExtensions` in the cluster definition or in talc.config.json.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "supply-chain", "extensions"],
  references: [REF.extensionsCatalog, REF.imageFactory],
  waivable: true,
  messages: {
    unknown: "extension {name} is not in the official catalogue; did you mean {suggestion}? (or allow-list it in policy.allowExtensions)",
    "unknown-no-guess": "extension {name} is not in the official catalogue; use an official extension or allow-list it in policy.allowExtensions",
  },
  examples: {
    good: [{ title: "official names", definition: { install: { extensions: ["siderolabs/iscsi-tools", "siderolabs/intel-ucode"] } } }],
    bad: [
      { title: "a misspelt name", definition: { install: { extensions: ["siderolabs/iscsi-tool"] } } },
      { title: "a third-party image in machine.install", patch: "machine:\n  install:\n    extensions:\n      - image: ghcr.io/example/agent:1.2.3\n" },
    ],
  },
  check(ctx) {
    for (const ext of ctx.extensions) {
      if (officialExtension(ext.name) !== undefined || allowed(ext.name, ctx.allowedExtensions)) continue;
      const guesses = closestExtensions(ext.name);
      if (guesses.length > 0) reportExtension(ctx, ext, "unknown", { name: ext.name, suggestion: guesses.join(" or ") });
      else reportExtension(ctx, ext, "unknown-no-guess", { name: ext.name });
    }
  },
} satisfies Rule;
