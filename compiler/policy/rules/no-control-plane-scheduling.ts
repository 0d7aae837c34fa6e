// Workloads on control planes share a failure domain with etcd and the API server.

import { at, isMapping, isTrue } from "../../value.ts";
import { DEFAULTS } from "../../talos/defaults.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "no-control-plane-scheduling",
  title: "Clusters with dedicated workers keep workloads off control planes",
  rationale:
    "Scheduling workloads on control plane nodes makes sense for small clusters without workers. Where there are workers, it puts untrusted workloads next to etcd and the API server: a noisy or compromised pod then threatens the whole cluster, and control-plane capacity planning no longer holds.",
  remediation: "Remove allowSchedulingOnControlPlanes (before 1.14) or keep the node-role.kubernetes.io/control-plane:NoSchedule taint in KubeNodeConfig (1.14).",
  severity: { recommended: "warning", strict: "error" },
  tags: ["security", "reliability"],
  references: [REF.configReference],
  roles: ["controlplane"],
  waivable: true,
  messages: {
    "legacy-allowed": "control planes accept workloads although the cluster has dedicated workers",
    "taint-removed": "the control-plane NoSchedule taint is removed although the cluster has dedicated workers",
  },
  examples: {
    good: [{ title: "no workers: scheduling on control planes is the point", patch: "cluster:\n  allowSchedulingOnControlPlanes: true\n", definition: { nodes: [{ hostname: "cp-1", role: "controlplane" }] } }],
    bad: [
      { title: "workers and schedulable control planes", patch: "cluster:\n  allowSchedulingOnControlPlanes: true\n", definition: { nodes: [{ hostname: "cp-1", role: "controlplane" }, { hostname: "w-1", role: "worker" }] } },
      { title: "1.14: the taint deleted", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeNodeConfig\ntaints:\n  node-role.kubernetes.io/control-plane:\n    $patch: delete\n", definition: { nodes: [{ hostname: "cp-1", role: "controlplane" }, { hostname: "w-1", role: "worker" }] } },
    ],
  },
  check(ctx) {
    if (ctx.clusterHasWorkers !== true) return;
    const legacy = ctx.legacy;
    for (const field of ["allowSchedulingOnControlPlanes", "allowSchedulingOnMasters"]) {
      if (legacy !== undefined && isTrue(at(legacy.data, `cluster.${field}`))) ctx.report({ doc: legacy, path: `cluster.${field}`, messageId: "legacy-allowed" });
    }
    if (!ctx.gates.kubernetesDocuments) return;
    for (const doc of ctx.ofKind("KubeNodeConfig")) {
      const taints = doc.data.taints;
      if (!isMapping(taints) || !Object.hasOwn(taints, DEFAULTS.controlPlaneRoleLabel)) ctx.report({ doc, path: "taints", messageId: "taint-removed" });
    }
  },
} satisfies Rule;
