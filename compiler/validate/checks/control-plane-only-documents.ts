// From 1.14 the Kubernetes control plane is configured by documents that a
// worker must not carry.

import type { Check } from "../types.ts";

/** Document kinds only a control plane node may have. */
const CONTROL_PLANE_KINDS: readonly string[] = [
  "KubeAdmissionControlConfig", "KubeAggregatorCAConfig", "KubeAPIServerConfig", "KubeAuditPolicyConfig",
  "KubeAuthenticationConfig", "KubeAuthorizerConfig", "KubeControllerManagerConfig", "KubeCoreDNSConfig",
  "KubeEtcdEncryptionConfig", "KubeFlannelCNIConfig", "KubeProxyConfig", "KubeSchedulerConfig",
  "KubeServiceAccountConfig", "KubeTalosAPIAccessConfig",
];

/** Control plane documents only on control plane nodes. */
export const controlPlaneOnlyDocuments: Check = {
  id: "control-plane-only-documents",
  summary: "documents that configure the Kubernetes control plane appear only on control plane nodes",
  run(ctx, report) {
    if (ctx.controlPlane) return;
    const what = ctx.legacy === undefined ? "this config has no v1alpha1 document naming a machine type" : "this machine is a worker";
    for (const doc of ctx.docs) {
      if (CONTROL_PLANE_KINDS.includes(doc.kind)) report(doc, "", `is only allowed on control plane nodes, and ${what}; remove it or set machine.type: controlplane`);
    }
  },
};
