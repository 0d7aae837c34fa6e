// Cases: inline manifests, 1.14 containers and static pods, digests.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "an inline manifest on latest", expect: "bad", messageId: "mutable-tag", patch: "cluster:\n  inlineManifests:\n    - name: app\n      contents: |\n        apiVersion: apps/v1\n        kind: Deployment\n        metadata:\n          name: app\n        spec:\n          template:\n            spec:\n              containers:\n                - name: app\n                  image: example/app:latest\n" },
  { title: "a 1.14 static pod without tag", expect: "bad", messageId: "no-tag", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeStaticPodConfig\nname: probe\npod:\n  apiVersion: v1\n  kind: Pod\n  metadata:\n    name: probe\n  spec:\n    containers:\n      - name: probe\n        image: busybox\n" },
  { title: "etcd on a moving tag", expect: "bad", messageId: "mutable-tag", patch: "cluster:\n  etcd:\n    image: gcr.io/etcd-development/etcd:stable\n" },
  { title: "a digest-pinned image", expect: "good", patch: "cluster:\n  etcd:\n    image: gcr.io/etcd-development/etcd@sha256:" + "b".repeat(64) + "\n" },
  { title: "the generated base", expect: "good", contract: "1.14" },
];
