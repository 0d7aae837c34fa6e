// Cases: latest release downloads, refs/heads, ref= queries, 1.14 external manifest documents, and URLs
// read as Go's url.Parse reads them (Talos fetches them with Go's HTTP client).
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "a latest release download", expect: "bad", messageId: "mutable", patch: "cluster:\n  extraManifests:\n    - https://github.com/example/op/releases/latest/download/op.yaml\n" },
  { title: "a ref query", expect: "bad", messageId: "mutable", patch: "cluster:\n  extraManifests:\n    - https://example.com/render?ref=master\n" },
  { title: "1.14 KubeExternalManifestConfig over http", expect: "bad", messageId: "scheme", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeExternalManifestConfig\nname: op\nurl: http://example.com/op.yaml\n" },
  { title: "a commit-pinned URL", expect: "good", patch: "cluster:\n  extraManifests:\n    - https://raw.githubusercontent.com/example/op/3f2a9c1/deploy.yaml\n" },
  { title: "a %-escaped branch name", expect: "bad", messageId: "mutable", patch: "cluster:\n  extraManifests:\n    - https://example.com/op/%6Dain/deploy.yaml\n" },
  { title: "a bad %-escape, which Go refuses to parse", expect: "bad", messageId: "invalid", patch: "cluster:\n  extraManifests:\n    - https://example.com/op/%zz/deploy.yaml\n" },
  { title: "https without a host", expect: "bad", messageId: "invalid", patch: "cluster:\n  extraManifests:\n    - https:///example.com/op/v1.2.3/deploy.yaml\n" },
  { title: "a relative URL", expect: "bad", messageId: "invalid", patch: "cluster:\n  extraManifests:\n    - manifests/op.yaml\n" },
  { title: "a backslash in the host, which Go refuses", expect: "bad", messageId: "invalid", patch: "cluster:\n  extraManifests:\n    - https://example.com\\op/v1.2.3/deploy.yaml\n" },
  { title: "an https scheme in capitals, which Go lowers", expect: "good", patch: "cluster:\n  extraManifests:\n    - HTTPS://raw.githubusercontent.com/example/op/v1.2.3/deploy.yaml\n" },
  { title: "a ref query after a semicolon, which the server may read as a pair of its own", expect: "bad", messageId: "mutable", patch: "cluster:\n  extraManifests:\n    - https://example.com/render/v1.2.3?x=1;ref=master\n" },
  { title: "a ref query spelled with a +, read as a space", expect: "good", patch: "cluster:\n  extraManifests:\n    - https://example.com/render/v1.2.3?ref=mas+ter\n" },
  { title: "workers fetch no manifests", expect: "good", role: "worker", patch: "machine:\n  kubelet:\n    extraArgs: {}\n" },
];
