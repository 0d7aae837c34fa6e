// Cases: latest release downloads, refs/heads, ref= queries, 1.14 external manifest documents.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "a latest release download", expect: "bad", messageId: "mutable", patch: "cluster:\n  extraManifests:\n    - https://github.com/example/op/releases/latest/download/op.yaml\n" },
  { title: "a ref query", expect: "bad", messageId: "mutable", patch: "cluster:\n  extraManifests:\n    - https://example.com/render?ref=master\n" },
  { title: "1.14 KubeExternalManifestConfig over http", expect: "bad", messageId: "scheme", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeExternalManifestConfig\nname: op\nurl: http://example.com/op.yaml\n" },
  { title: "a commit-pinned URL", expect: "good", patch: "cluster:\n  extraManifests:\n    - https://raw.githubusercontent.com/example/op/3f2a9c1/deploy.yaml\n" },
  { title: "workers fetch no manifests", expect: "good", role: "worker", patch: "machine:\n  kubelet:\n    extraArgs: {}\n" },
];
