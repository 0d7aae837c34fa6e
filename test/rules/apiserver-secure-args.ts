// Cases: AlwaysAdmit, profiling in 1.14, anonymous without conditions, Talos's default authentication.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "AlwaysAdmit", expect: "bad", messageId: "always-admit", patch: "cluster:\n  apiServer:\n    extraArgs:\n      enable-admission-plugins: NodeRestriction,AlwaysAdmit\n" },
  { title: "1.14 profiling", expect: "bad", messageId: "profiling", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAPIServerConfig\nextraArgs:\n  profiling: \"true\"\n" },
  { title: "1.14 anonymous everywhere", expect: "bad", messageId: "anonymous", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAuthenticationConfig\nconfiguration:\n  anonymous:\n    enabled: true\n  jwt: []\n" },
  { title: "1.14 generated base (anonymous only for health checks)", expect: "good", contract: "1.14" },
];
