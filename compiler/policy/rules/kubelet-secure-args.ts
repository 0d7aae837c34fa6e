// The kubelet API runs containers and reads their logs: it must authenticate and authorize.

import { at, isMapping } from "../../value.ts";
import { componentArgs, componentSections, flagTrue } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "kubelet-secure-args",
  title: "The kubelet requires authentication and authorization and has no read-only port",
  rationale:
    "The kubelet's API can exec into containers, read logs and list pods. Anonymous access, the AlwaysAllow authorizer or the unauthenticated read-only port (10255) hand that to anyone who can reach the node.",
  remediation: "Remove the overriding flag or setting: Talos's defaults keep anonymous access off, authorization on the Webhook mode and the read-only port closed.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "kubernetes", "cis"],
  references: [REF.kubeletAuth, REF.cis("4.2.1", "kubelet --anonymous-auth is false"), REF.cis("4.2.2", "kubelet --authorization-mode is not AlwaysAllow"), REF.cis("4.2.4", "kubelet --read-only-port is 0")],
  waivable: true,
  messages: {
    anonymous: "the kubelet allows anonymous requests ({setting})",
    "always-allow": "the kubelet authorizes every request ({setting})",
    "read-only-port": "the kubelet opens the unauthenticated read-only port {value} ({setting})",
  },
  examples: {
    good: [{ title: "defaults plus an unrelated flag", patch: "machine:\n  kubelet:\n    extraArgs:\n      rotate-server-certificates: \"true\"\n" }],
    bad: [
      { title: "anonymous requests allowed", patch: "machine:\n  kubelet:\n    extraArgs:\n      anonymous-auth: \"true\"\n" },
      { title: "read-only port in the 1.14 kubelet config", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: KubeletConfig\nconfig:\n  readOnlyPort: 10255\n" },
    ],
  },
  check(ctx) {
    for (const arg of componentArgs(ctx, "kubelet")) {
      const setting = `${arg.name}=${arg.values.join(",")}`;
      if (arg.name === "anonymous-auth" && arg.values.some(flagTrue)) ctx.report({ doc: arg.doc, path: arg.path, messageId: "anonymous", data: { setting } });
      if (arg.name === "authorization-mode" && arg.values.some((v) => v.split(",").includes("AlwaysAllow"))) ctx.report({ doc: arg.doc, path: arg.path, messageId: "always-allow", data: { setting } });
      if (arg.name === "read-only-port" && arg.values.some((v) => v.trim() !== "0" && v.trim() !== "")) ctx.report({ doc: arg.doc, path: arg.path, messageId: "read-only-port", data: { setting, value: arg.values.join(",") } });
    }
    // the KubeletConfiguration: machine.kubelet.extraConfig before 1.14, KubeletConfig.config from 1.14
    for (const section of componentSections(ctx, "kubelet")) {
      const field = section.path === "" ? "config" : "extraConfig";
      const config = section.value[field];
      if (!isMapping(config)) continue;
      const base = section.path === "" ? field : `${section.path}.${field}`;
      if (at(config, "authentication.anonymous.enabled") === true) ctx.report({ doc: section.doc, path: `${base}.authentication.anonymous.enabled`, messageId: "anonymous", data: { setting: "authentication.anonymous.enabled: true" } });
      if (at(config, "authorization.mode") === "AlwaysAllow") ctx.report({ doc: section.doc, path: `${base}.authorization.mode`, messageId: "always-allow", data: { setting: "authorization.mode: AlwaysAllow" } });
      const port = at(config, "readOnlyPort");
      if (typeof port === "number" && port !== 0) ctx.report({ doc: section.doc, path: `${base}.readOnlyPort`, messageId: "read-only-port", data: { setting: `readOnlyPort: ${port}`, value: port } });
    }
  },
} satisfies Rule;
