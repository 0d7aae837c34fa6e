// Each Talos release supports six Kubernetes minors.

import { at, str } from "../../value.ts";
import { kubernetesSupport, RELEASES, windowBorrowedBy } from "../../talos/versions.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";
import type { Contract } from "../../talos/contract.ts";
import { perRunPair } from "../provenance.ts";

// Whether the version is supported; undefined when it is not an exact version. Every node of a
// cluster asks the same: each contract and version is worked out once per lint run.
function supported(contract: Contract, version: string): boolean | undefined {
  return perRunPair(supported, contract, version, () => {
    try {
      return kubernetesSupport(contract, version).supported;
    } catch {
      return undefined;
    }
  });
}

export default {
  id: "kubernetes-version-supported",
  title: "The Kubernetes version is inside the Talos release's support window",
  rationale:
    "A Talos release is built and tested against the six Kubernetes minors ending at its default. Outside that window the kubelet and control plane may not start, or break on the next upgrade, and no fixes are made for the combination.",
  remediation: "Pick a Kubernetes version the release supports (see the message), or move to a Talos release that supports the version you need.",
  severity: { recommended: "error", strict: "error" },
  tags: ["correctness", "support"],
  references: [REF.supportMatrix],
  waivable: true,
  messages: { unsupported: "Kubernetes {version} is outside what Talos {contract} supports ({low} to {high}){borrowed}" },
  examples: {
    good: [{ title: "inside the window", definition: { talosVersion: "v1.13.9", kubernetesVersion: "1.36.3" } }],
    bad: [{ title: "a kubelet too old for the release", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeletConfig\nimage: ghcr.io/siderolabs/kubelet:v1.28.0\n" }],
  },
  check(ctx) {
    const version = ctx.kubernetesVersion;
    if (version === undefined) return;
    const ok = supported(ctx.contract, version);
    if (ok === undefined) return; // not an exact version: exact-versions reports it
    if (ok) return;
    const [low, high] = RELEASES[ctx.contract].kubernetesMinors;
    const data = { version, contract: ctx.contract, low, high, borrowed: windowBorrowedBy(ctx.contract, ctx.talosVersion) };
    if (ctx.definition !== undefined) return ctx.report({ messageId: "unsupported", data, definitionPath: "kubernetesVersion" });
    const legacy = ctx.legacy;
    if (legacy !== undefined && str(at(legacy.data, "machine.kubelet.image")) !== "") return ctx.report({ doc: legacy, path: "machine.kubelet.image", messageId: "unsupported", data });
    const kubelet = ctx.ofKind("KubeletConfig")[0];
    if (kubelet !== undefined) ctx.report({ doc: kubelet, path: "image", messageId: "unsupported", data });
  },
} satisfies Rule;
