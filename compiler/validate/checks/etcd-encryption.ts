// From 1.14 a control plane that runs kube-apiserver must say how secrets are
// encrypted in etcd.

import type { Check } from "../types.ts";
import { at, isSet, str } from "../../value.ts";

/** A control plane with the Kubernetes API server CA has an etcd encryption config. */
export const etcdEncryption: Check = {
  id: "etcd-encryption",
  summary: "a control plane running kube-apiserver has an etcd encryption secret or a KubeEtcdEncryptionConfig",
  run(ctx, report) {
    if (!ctx.gates.kubernetesDocuments || !ctx.controlPlane) return;
    const legacy = ctx.legacy;
    const hasCA = ctx.ofKind("KubeAPIServerCAConfig").length > 0 || (legacy !== undefined && (isSet(at(legacy.data, "cluster.ca")) || isSet(at(legacy.data, "cluster.acceptedCAs"))));
    if (!hasCA) return;
    const legacySecret = legacy !== undefined && (str(at(legacy.data, "cluster.secretboxEncryptionSecret")) !== "" || str(at(legacy.data, "cluster.aescbcEncryptionSecret")) !== "");
    if (legacySecret || ctx.ofKind("KubeEtcdEncryptionConfig").length > 0) return;
    report(ctx.ofKind("KubeAPIServerCAConfig")[0] ?? legacy!, "", "a control plane running kube-apiserver needs etcd encryption: add a KubeEtcdEncryptionConfig document");
  },
};
