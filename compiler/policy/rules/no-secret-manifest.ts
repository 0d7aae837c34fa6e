// A Secret embedded in the machine config is a secret in git.

import { inlineManifests, parseManifest } from "../find.ts";
import { REF } from "../references.ts";
import { type Rule, SECRET_LEAK } from "../types.ts";
import { isMapping } from "../../value.ts";

/** The names of the Secret objects in a manifest text. */
function secretObjects(text: string): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isMapping(v)) return;
    if (v.kind === "Secret") out.push(isMapping(v.metadata) && typeof v.metadata.name === "string" ? v.metadata.name : "(unnamed)");
    else if (v.kind === "List" && Array.isArray(v.items)) v.items.forEach(visit);
  };
  const parsed = parseManifest(text);
  let unparsed = parsed.threw;
  try {
    for (const value of parsed.values) visit(value);
  } catch {
    unparsed = true;
  }
  if (unparsed && /^kind:\s*["']?Secret["']?\s*$/m.test(text)) out.push("(unparsed)");
  return out;
}

export default {
  id: "no-secret-manifest",
  title: "Inline manifests contain no Secret objects",
  rationale:
    "Inline manifests are part of the machine config, which talc writes to out/ and commits, and which Talos serves to anyone with read access to the node's config. A Secret there is readable in git history and on every control plane, whatever RBAC says in the cluster.",
  remediation: "Create the Secret another way: from the secrets bundle at apply time, an external secrets operator, or sealed/encrypted secrets that are safe to commit.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "secrets"],
  references: [REF.secrets],
  roles: ["controlplane"],
  waivable: false,
  notWaivable: SECRET_LEAK,
  locked: true,
  messages: { secret: "inline manifest {manifest} contains the Secret {name}" },
  examples: {
    good: [{ title: "a ConfigMap", patch: "cluster:\n  inlineManifests:\n    - name: settings\n      contents: |\n        apiVersion: v1\n        kind: ConfigMap\n        metadata:\n          name: settings\n        data:\n          mode: fast\n" }],
    bad: [
      { title: "a Secret in an inline manifest", patch: "cluster:\n  inlineManifests:\n    - name: creds\n      contents: |\n        apiVersion: v1\n        kind: Secret\n        metadata:\n          name: db-password\n        stringData:\n          password: hunter2\n" },
      { title: "a Secret in a 1.14 KubeInlineManifestConfig", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeInlineManifestConfig\nname: creds\nmanifest: |\n  apiVersion: v1\n  kind: Secret\n  metadata:\n    name: token\n  data:\n    token: aGVsbG8=\n" },
    ],
  },
  check(ctx) {
    for (const m of inlineManifests(ctx)) {
      for (const name of secretObjects(m.value)) ctx.report({ doc: m.doc, path: m.path, messageId: "secret", data: { manifest: m.name, name } });
    }
  },
} satisfies Rule;
