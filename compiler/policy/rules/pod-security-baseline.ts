// PodSecurity admission is the cluster's default guard against privileged pods.

import { at, isMapping, list, str } from "../../value.ts";
import type { Doc } from "../../validate/types.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

const LEVELS = ["privileged", "baseline", "restricted"];

export default {
  id: "pod-security-baseline",
  title: "PodSecurity admission enforces at least baseline",
  rationale:
    "The baseline Pod Security Standard blocks the known privilege escalations: host namespaces, privileged containers, hostPath volumes, added capabilities. Enforcing only `privileged` (or leaving enforce unset, which means privileged) lets any workload take the node.",
  remediation: "Keep `enforce: baseline` (or restricted) in the PodSecurity admission configuration, and exempt the namespaces that truly need more by name.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "kubernetes", "cis"],
  references: [REF.podSecurity, REF.cis("5.2", "Pod Security Standards")],
  roles: ["controlplane"],
  waivable: true,
  messages: {
    weak: "PodSecurity enforces {level}, weaker than baseline",
    missing: "the API server has no PodSecurity admission configuration, so nothing is enforced",
  },
  examples: {
    good: [{ title: "Talos's default: baseline", patch: "cluster:\n  apiServer:\n    extraArgs:\n      audit-log-maxage: \"30\"\n" }],
    bad: [
      { title: "enforce privileged", patch: "cluster:\n  apiServer:\n    admissionControl:\n      - name: PodSecurity\n        configuration:\n          defaults:\n            enforce: privileged\n" },
      { title: "privileged in the 1.14 document", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAdmissionControlConfig\nname: PodSecurity\nconfiguration:\n  defaults:\n    enforce: privileged\n" },
    ],
  },
  check(ctx) {
    const configs: Array<[Doc, string, unknown]> = [];
    const legacy = ctx.legacy;
    const legacyAPI = legacy === undefined ? undefined : at(legacy.data, "cluster.apiServer");
    if (legacy !== undefined && isMapping(legacyAPI)) {
      list(legacyAPI.admissionControl).forEach((p, i) => {
        if (str(at(p, "name")) === "PodSecurity") configs.push([legacy, `cluster.apiServer.admissionControl[${i}].configuration`, at(p, "configuration")]);
      });
    }
    for (const doc of ctx.ofKind("KubeAdmissionControlConfig")) if (str(doc.data.name) === "PodSecurity") configs.push([doc, "configuration", doc.data.configuration]);
    for (const [doc, path, config] of configs) {
      const enforce = at(config, "defaults.enforce");
      const level = typeof enforce === "string" && enforce !== "" ? enforce : "privileged";
      if (LEVELS.indexOf(level) < 1) ctx.report({ doc, path: `${path}.defaults.enforce`, messageId: "weak", data: { level } });
    }
    if (configs.length > 0) return;
    // only a config that configures the API server can lack it
    const api = ctx.ofKind("KubeAPIServerConfig")[0];
    if (ctx.gates.kubernetesDocuments && api !== undefined) ctx.report({ doc: api, path: "", messageId: "missing" });
    else if (!ctx.gates.kubernetesDocuments && legacy !== undefined && isMapping(legacyAPI)) ctx.report({ doc: legacy, path: "cluster.apiServer.admissionControl", messageId: "missing" });
  },
} satisfies Rule;
