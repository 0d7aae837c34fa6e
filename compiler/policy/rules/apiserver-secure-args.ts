// The API server is the cluster's front door.

import { at, isMapping, list, str } from "../../value.ts";
import { componentArgs, flagTrue } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "apiserver-secure-args",
  title: "The API server authenticates, authorizes and keeps profiling off",
  rationale:
    "Anonymous requests, the AlwaysAllow authorizer or the AlwaysAdmit admission plugin let anyone who reaches the API server act on the cluster. The profiling endpoint exposes internals and costs resources without serving production.",
  remediation: "Remove the flag or document that weakens it; Talos's defaults authorize with Node and RBAC, allow anonymous access only to health checks, and turn profiling off.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "kubernetes", "cis"],
  references: [REF.cis("1.2.1", "--anonymous-auth is false"), REF.cis("1.2.6", "--authorization-mode is not AlwaysAllow"), REF.cis("1.2.10", "AlwaysAdmit is not enabled"), REF.cis("1.2.15", "--profiling is false")],
  roles: ["controlplane"],
  waivable: true,
  messages: {
    anonymous: "the API server allows anonymous requests ({setting})",
    "always-allow": "the API server authorizes every request ({setting})",
    "always-admit": "the API server admits every request ({setting})",
    profiling: "the API server exposes the profiling endpoint ({setting})",
    "insecure-port": "the API server serves without TLS or authentication ({setting})",
  },
  examples: {
    good: [{ title: "an audit log flag only", patch: "cluster:\n  apiServer:\n    extraArgs:\n      audit-log-maxage: \"30\"\n" }],
    bad: [
      { title: "AlwaysAllow", patch: "cluster:\n  apiServer:\n    extraArgs:\n      authorization-mode: AlwaysAllow\n" },
      { title: "an AlwaysAllow authorizer document", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeAuthorizerConfig\nname: everyone\ntype: AlwaysAllow\n" },
    ],
  },
  check(ctx) {
    for (const arg of componentArgs(ctx, "apiServer")) {
      const setting = `${arg.name}=${arg.values.join(",")}`;
      const list_ = arg.values.flatMap((v) => v.split(","));
      if (arg.name === "anonymous-auth" && arg.values.some(flagTrue)) ctx.report({ doc: arg.doc, path: arg.path, messageId: "anonymous", data: { setting } });
      if (arg.name === "authorization-mode" && list_.includes("AlwaysAllow")) ctx.report({ doc: arg.doc, path: arg.path, messageId: "always-allow", data: { setting } });
      if (arg.name === "enable-admission-plugins" && list_.includes("AlwaysAdmit")) ctx.report({ doc: arg.doc, path: arg.path, messageId: "always-admit", data: { setting } });
      if (arg.name === "profiling" && arg.values.some(flagTrue)) ctx.report({ doc: arg.doc, path: arg.path, messageId: "profiling", data: { setting } });
      if (arg.name === "insecure-port" && arg.values.some((v) => v.trim() !== "0")) ctx.report({ doc: arg.doc, path: arg.path, messageId: "insecure-port", data: { setting } });
    }
    const legacy = ctx.legacy;
    if (legacy !== undefined) {
      list(at(legacy.data, "cluster.apiServer.authorizationConfig")).forEach((a, i) => {
        if (str(at(a, "type")) === "AlwaysAllow") ctx.report({ doc: legacy, path: `cluster.apiServer.authorizationConfig[${i}].type`, messageId: "always-allow", data: { setting: "authorizer type AlwaysAllow" } });
      });
    }
    for (const doc of ctx.ofKind("KubeAuthorizerConfig")) {
      if (doc.data.type === "AlwaysAllow") ctx.report({ doc, path: "type", messageId: "always-allow", data: { setting: `KubeAuthorizerConfig ${str(doc.data.name)} type AlwaysAllow` } });
    }
    for (const doc of ctx.ofKind("KubeAuthenticationConfig")) {
      const anon = at(doc.data, "configuration.anonymous");
      // anonymous access limited to listed paths (the health checks) is Talos's default and fine
      if (isMapping(anon) && anon.enabled === true && list(anon.conditions).length === 0) {
        ctx.report({ doc, path: "configuration.anonymous.enabled", messageId: "anonymous", data: { setting: "anonymous.enabled without conditions" } });
      }
    }
  },
} satisfies Rule;
