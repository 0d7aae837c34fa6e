// Cases: 1.14 documents; a config file is checked against its own kubelet tag.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "1.14 scheduler on another version", expect: "bad", messageId: "mismatch", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeSchedulerConfig\nimage: registry.k8s.io/kube-scheduler:v1.36.0\n" },
  { title: "a config file: kube-proxy differs from the kubelet", expect: "bad", messageId: "mismatch", patch: "cluster:\n  proxy:\n    image: registry.k8s.io/kube-proxy:v1.35.1\n" },
  { title: "a mirror repository with the right tag", expect: "good", patch: "cluster:\n  apiServer:\n    image: mirror.example.com/kube-apiserver:v1.36.3\n" },
];
