// Without an audit policy nobody can tell who did what to the cluster.

import { at, isMapping, list, str } from "../../value.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

function policyProblem(policy: unknown): "empty" | "none" | undefined {
  if (!isMapping(policy)) return undefined;
  const rules = list(policy.rules);
  if (rules.length === 0) return "empty";
  if (rules.every((r) => str(at(r, "level")) === "None")) return "none";
  return undefined;
}

export default {
  id: "audit-policy-present",
  title: "The API server keeps an audit policy that records requests",
  rationale:
    "The audit log is the only record of who read or changed what through the API server, which an incident investigation depends on. An audit policy with no rules, or only `level: None` rules, records nothing.",
  remediation: "Keep Talos's default audit policy (Metadata for everything) or one with rules that log at least Metadata; remove patches that delete it.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "kubernetes", "audit", "cis"],
  references: [REF.auditing, REF.cis("3.2.1", "a minimal audit policy is created")],
  roles: ["controlplane"],
  waivable: true,
  messages: {
    empty: "the audit policy has no rules, so nothing is audited",
    none: "every audit policy rule has level None, so nothing is audited",
    missing: "there is no KubeAuditPolicyConfig document, so the API server audits nothing",
  },
  examples: {
    good: [{ title: "Talos's default policy", patch: "cluster:\n  apiServer:\n    auditPolicy:\n      apiVersion: audit.k8s.io/v1\n      kind: Policy\n      rules:\n        - level: Metadata\n" }],
    bad: [
      { title: "everything at level None", patch: "cluster:\n  apiServer:\n    auditPolicy:\n      apiVersion: audit.k8s.io/v1\n      kind: Policy\n      rules:\n        - level: None\n" },
      { title: "the 1.14 document deleted", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAuditPolicyConfig\n$patch: delete\n" },
    ],
  },
  check(ctx) {
    const legacy = ctx.legacy;
    if (legacy !== undefined) {
      const problem = policyProblem(at(legacy.data, "cluster.apiServer.auditPolicy"));
      if (problem !== undefined) ctx.report({ doc: legacy, path: "cluster.apiServer.auditPolicy.rules", messageId: problem });
    }
    const docs = ctx.ofKind("KubeAuditPolicyConfig");
    for (const doc of docs) {
      const problem = policyProblem(doc.data.configuration);
      if (problem !== undefined) ctx.report({ doc, path: "configuration.rules", messageId: problem });
    }
    const api = ctx.ofKind("KubeAPIServerConfig")[0];
    if (ctx.gates.kubernetesDocuments && api !== undefined && docs.length === 0) ctx.report({ doc: api, path: "", messageId: "missing" });
  },
} satisfies Rule;
