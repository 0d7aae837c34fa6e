// KubeSpan finds its peers through discovery; without it the mesh never forms.

import { at, isTrue } from "../../value.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "kubespan-needs-discovery",
  title: "KubeSpan is only on with cluster discovery",
  rationale:
    "KubeSpan learns the WireGuard keys and endpoints of its peers from cluster discovery. With discovery off, nodes never find each other: pod traffic between nodes that relies on the mesh is dropped, and with allowDownPeerBypass off the node can be cut off entirely.",
  remediation: "Turn discovery on (the definition's `discovery`, cluster.discovery.enabled, or a DiscoveryServiceConfig document), or turn KubeSpan off.",
  severity: { recommended: "error", strict: "error" },
  tags: ["correctness", "network"],
  references: [REF.kubespan, REF.discovery],
  waivable: true,
  messages: { "no-discovery": "KubeSpan is enabled but cluster discovery is off, so it cannot find its peers" },
  examples: {
    good: [{ title: "KubeSpan with the default discovery", patch: "machine:\n  network:\n    kubespan:\n      enabled: true\n" }],
    bad: [
      { title: "discovery turned off", patch: "machine:\n  network:\n    kubespan:\n      enabled: true\ncluster:\n  discovery:\n    enabled: false\n" },
      { title: "1.14: the discovery document deleted", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeSpanConfig\nenabled: true\n---\napiVersion: v1alpha1\nkind: DiscoveryServiceConfig\nname: default\n$patch: delete\n" },
    ],
  },
  check(ctx) {
    const legacy = ctx.legacy;
    const legacyOn = legacy !== undefined && isTrue(at(legacy.data, "machine.network.kubespan.enabled"));
    const doc = ctx.ofKind("KubeSpanConfig")[0];
    const on = doc !== undefined ? isTrue(doc.data.enabled) : legacyOn;
    if (!on) return;
    const legacyDiscovery =
      legacy !== undefined &&
      isTrue(at(legacy.data, "cluster.discovery.enabled")) &&
      !(isTrue(at(legacy.data, "cluster.discovery.registries.service.disabled")) && isTrue(at(legacy.data, "cluster.discovery.registries.kubernetes.disabled")));
    if (legacyDiscovery || ctx.ofKind("DiscoveryServiceConfig").length > 0) return;
    if (doc !== undefined) ctx.report({ doc, path: "enabled", messageId: "no-discovery" });
    else ctx.report({ doc: legacy!, path: "machine.network.kubespan.enabled", messageId: "no-discovery" });
  },
} satisfies Rule;
