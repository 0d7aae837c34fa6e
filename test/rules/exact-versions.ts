// Cases: Kubernetes versions, 1.14 component documents, latest left to no-mutable-image-tag.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "a Kubernetes minor only", expect: "bad", messageId: "kubernetes-version", definition: { kubernetesVersion: "1.36" } },
  { title: "1.14 API server tag without patch", expect: "bad", messageId: "image-tag", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAPIServerConfig\nimage: registry.k8s.io/kube-apiserver:v1.37\n" },
  { title: "latest is another rule's concern", expect: "good", patch: "machine:\n  kubelet:\n    image: ghcr.io/siderolabs/kubelet:latest\n" },
  { title: "a release candidate is exact", expect: "good", definition: { talosVersion: "v1.14.0-rc.1", kubernetesVersion: "1.37.0-rc.0" } },
];
