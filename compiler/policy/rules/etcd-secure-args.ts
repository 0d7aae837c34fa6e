// etcd holds every object of the cluster, Secrets included.

import { componentArgs, flagFalse, flagTrue } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "etcd-secure-args",
  title: "etcd requires client certificates and uses its real certificates",
  rationale:
    "etcd stores the whole cluster state, Secrets included. Turning off client or peer certificate authentication lets anyone who reaches its ports read and write it; auto-generated TLS certificates are self-signed and authenticate nobody. The pprof endpoint exposes internals.",
  remediation: "Remove the overriding flags from cluster.etcd.extraArgs; Talos configures etcd with certificates from the etcd CA.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "kubernetes", "cis"],
  references: [REF.cis("2.2", "etcd --client-cert-auth is true"), REF.cis("2.3", "etcd --auto-tls is not true"), REF.cis("2.5", "etcd --peer-client-cert-auth is true"), REF.cis("2.6", "etcd --peer-auto-tls is not true")],
  roles: ["controlplane"],
  waivable: true,
  messages: {
    "client-cert-auth": "etcd accepts clients without a certificate ({setting})",
    "peer-client-cert-auth": "etcd accepts peers without a certificate ({setting})",
    "auto-tls": "etcd uses self-signed automatic certificates ({setting})",
    pprof: "etcd exposes the pprof endpoint ({setting})",
  },
  examples: {
    good: [{ title: "a tuning flag", patch: "cluster:\n  etcd:\n    extraArgs:\n      election-timeout: \"5000\"\n" }],
    bad: [{ title: "client certificates off", patch: "cluster:\n  etcd:\n    extraArgs:\n      client-cert-auth: \"false\"\n" }],
  },
  check(ctx) {
    for (const arg of componentArgs(ctx, "etcd")) {
      const setting = `${arg.name}=${arg.values.join(",")}`;
      const report = (messageId: string): void => ctx.report({ doc: arg.doc, path: arg.path, messageId, data: { setting } });
      if (arg.name === "client-cert-auth" && arg.values.some(flagFalse)) report("client-cert-auth");
      if (arg.name === "peer-client-cert-auth" && arg.values.some(flagFalse)) report("peer-client-cert-auth");
      if ((arg.name === "auto-tls" || arg.name === "peer-auto-tls") && arg.values.some(flagTrue)) report("auto-tls");
      if (arg.name === "enable-pprof" && arg.values.some(flagTrue)) report("pprof");
    }
  },
} satisfies Rule;
