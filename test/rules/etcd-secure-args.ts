// Cases: peer settings and pprof; certificate settings left alone.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "peer auto TLS", expect: "bad", messageId: "auto-tls", patch: "cluster:\n  etcd:\n    extraArgs:\n      peer-auto-tls: \"true\"\n" },
  { title: "peers without certificates (1.14)", expect: "bad", messageId: "peer-client-cert-auth", contract: "1.14", patch: "cluster:\n  etcd:\n    extraArgs:\n      peer-client-cert-auth: \"false\"\n" },
  { title: "pprof", expect: "bad", messageId: "pprof", patch: "cluster:\n  etcd:\n    extraArgs:\n      enable-pprof: \"true\"\n" },
  { title: "client certificates on", expect: "good", patch: "cluster:\n  etcd:\n    extraArgs:\n      client-cert-auth: \"true\"\n" },
];
