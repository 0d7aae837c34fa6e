// Pods with os:admin can do anything to the node, including reading its secrets.

import { at, isTrue, list } from "../../value.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "talos-api-access-no-admin",
  title: "Kubernetes workloads are not granted the os:admin Talos role",
  rationale:
    "Talos API access from Kubernetes lets pods in the allowed namespaces call the Talos API with the granted roles. os:admin can reset, upgrade and reconfigure the node and read its machine config with every secret, so any workload compromise in those namespaces becomes a node and cluster compromise.",
  remediation: "Grant the narrowest role that works (os:reader, os:etcd:backup, os:operator) and only to the namespaces that need it.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "talos-api"],
  references: [REF.talosAPIAccess],
  waivable: true,
  messages: { admin: "Talos API access grants os:admin to pods in {namespaces}" },
  examples: {
    good: [{ title: "a backup role", patch: "machine:\n  features:\n    kubernetesTalosAPIAccess:\n      enabled: true\n      allowedRoles:\n        - os:etcd:backup\n      allowedKubernetesNamespaces:\n        - backup\n" }],
    bad: [
      { title: "os:admin", patch: "machine:\n  features:\n    kubernetesTalosAPIAccess:\n      enabled: true\n      allowedRoles:\n        - os:admin\n      allowedKubernetesNamespaces:\n        - kube-system\n" },
      { title: "os:admin in the 1.14 document", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeTalosAPIAccessConfig\nallowedRoles:\n  - os:admin\nallowedKubernetesNamespaces:\n  - tools\n" },
    ],
  },
  check(ctx) {
    const legacy = ctx.legacy;
    if (legacy !== undefined && isTrue(at(legacy.data, "machine.features.kubernetesTalosAPIAccess.enabled"))) {
      const roles = list(at(legacy.data, "machine.features.kubernetesTalosAPIAccess.allowedRoles"));
      const i = roles.indexOf("os:admin");
      const namespaces = list(at(legacy.data, "machine.features.kubernetesTalosAPIAccess.allowedKubernetesNamespaces")).join(", ") || "no namespace yet";
      if (i >= 0) ctx.report({ doc: legacy, path: `machine.features.kubernetesTalosAPIAccess.allowedRoles[${i}]`, messageId: "admin", data: { namespaces } });
    }
    for (const doc of ctx.ofKind("KubeTalosAPIAccessConfig")) {
      const i = list(doc.data.allowedRoles).indexOf("os:admin");
      if (i >= 0) ctx.report({ doc, path: `allowedRoles[${i}]`, messageId: "admin", data: { namespaces: list(doc.data.allowedKubernetesNamespaces).join(", ") || "no namespace yet" } });
    }
  },
} satisfies Rule;
