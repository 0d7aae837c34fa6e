// Manifests fetched at bootstrap are code the cluster runs with admin rights.

import { goURLOptions, type Contract } from "../../talos/contract.ts";
import { goQueryPairs, goURLPath, parseGoURL } from "../../talos/typed.ts";
import { remoteManifests } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

// Path segments and query values that name a moving branch or release.
const MUTABLE_SEGMENTS = new Set(["main", "master", "head", "latest", "trunk", "develop", "nightly"]);

/**
 * Why a manifest URL is not pinned, if it is not: "scheme", "mutable" or "invalid". Talos fetches it with
 * Go's HTTP client, so it is read as Go's url.Parse reads it.
 */
function manifestProblem(url: string, contract: Contract): { kind: "scheme" | "mutable" | "invalid"; detail: string } | undefined {
  const u = parseGoURL(url, goURLOptions(contract));
  if (typeof u === "string" || u.scheme === "") return { kind: "invalid", detail: url };
  if (u.scheme !== "https") return { kind: "scheme", detail: u.scheme };
  // an https URL without a host (https:///x, https:x) names nothing to fetch
  if (u.host === "") return { kind: "invalid", detail: url };
  const path = goURLPath(u).toLowerCase();
  const ref = path.split("/").find((s) => MUTABLE_SEGMENTS.has(s));
  if (ref !== undefined) return { kind: "mutable", detail: ref };
  if (path.includes("/refs/heads/")) return { kind: "mutable", detail: "refs/heads" };
  // Talos sends the query as written and the server reads it: a semicolon may part pairs there, so it does here
  for (const [key, value] of goQueryPairs(u.rawQuery, /[&;]/)) {
    if (["ref", "version", "branch", "tag"].includes(key.toLowerCase()) && MUTABLE_SEGMENTS.has(value.toLowerCase())) return { kind: "mutable", detail: `${key}=${value}` };
  }
  return undefined;
}

export default {
  id: "remote-manifest-pinned",
  title: "Remote manifests and CNI URLs use https and an immutable reference",
  rationale:
    "Extra manifests, custom CNI manifests and cloud-provider manifests are fetched when the control plane bootstraps and applied with cluster-admin rights. Over plain http anyone on the path can change them; from a branch or a latest release they change under you, so two bootstraps of the same config install different software.",
  remediation: "Use https and a URL that names a release tag or commit, e.g. https://raw.githubusercontent.com/org/repo/v1.2.3/deploy.yaml; better, embed the manifest as an inline manifest.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "supply-chain", "reproducibility"],
  references: [REF.configReference],
  roles: ["controlplane"],
  waivable: true,
  messages: {
    scheme: "manifest URL {url} is fetched over {detail}; use https",
    mutable: "manifest URL {url} follows a moving reference ({detail}); pin a release tag or commit",
    invalid: "manifest URL {url} is not a valid URL",
  },
  examples: {
    good: [{ title: "a tagged release over https", patch: "cluster:\n  extraManifests:\n    - https://raw.githubusercontent.com/example/operator/v1.4.2/deploy/operator.yaml\n" }],
    bad: [
      { title: "a branch", patch: "cluster:\n  extraManifests:\n    - https://raw.githubusercontent.com/example/operator/main/deploy/operator.yaml\n" },
      { title: "plain http for the CNI", patch: "cluster:\n  network:\n    cni:\n      name: custom\n      urls:\n        - http://manifests.example.com/cni.yaml\n" },
    ],
  },
  check(ctx) {
    for (const found of remoteManifests(ctx)) {
      const problem = manifestProblem(found.value, ctx.contract);
      if (problem !== undefined) ctx.report({ doc: found.doc, path: found.path, messageId: problem.kind, data: { url: found.value, detail: problem.detail } });
    }
  },
} satisfies Rule;
