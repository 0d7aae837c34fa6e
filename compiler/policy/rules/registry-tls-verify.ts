// Image pulls without certificate checks let anyone on the path swap images.

import { at, isMapping, isTrue } from "../../value.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";
import { child } from "../util.ts";

export default {
  id: "registry-tls-verify",
  title: "Registries are reached with certificate verification",
  rationale:
    "With insecureSkipVerify the node accepts any certificate from the registry, so anyone who can intercept the connection can serve their own images, which the node then runs, system extensions and static pods included.",
  remediation: "Remove insecureSkipVerify and give the registry's CA instead (`tls.ca` in machine.registries.config, or `ca` in RegistryTLSConfig).",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "supply-chain"],
  references: [REF.registries],
  waivable: true,
  messages: { skip: "TLS verification is off for registry {registry}" },
  examples: {
    good: [{ title: "a private CA", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: RegistryTLSConfig\nname: registry.example.com\nca: |\n  -----BEGIN CERTIFICATE-----\n  MIIB\n  -----END CERTIFICATE-----\n" }],
    bad: [
      { title: "legacy insecureSkipVerify", patch: "machine:\n  registries:\n    config:\n      registry.example.com:\n        tls:\n          insecureSkipVerify: true\n" },
      { title: "RegistryTLSConfig insecureSkipVerify", contract: "1.14", patch: "apiVersion: v1alpha1\nkind: RegistryTLSConfig\nname: registry.example.com\ninsecureSkipVerify: true\n" },
    ],
  },
  check(ctx) {
    const legacy = ctx.legacy;
    const config = legacy === undefined ? undefined : at(legacy.data, "machine.registries.config");
    if (legacy !== undefined && isMapping(config)) {
      for (const [registry, settings] of Object.entries(config)) {
        if (isTrue(at(settings, "tls.insecureSkipVerify"))) ctx.report({ doc: legacy, path: `${child("machine.registries.config", registry)}.tls.insecureSkipVerify`, messageId: "skip", data: { registry } });
      }
    }
    for (const doc of ctx.ofKind("RegistryTLSConfig")) {
      if (isTrue(doc.data.insecureSkipVerify)) ctx.report({ doc, path: "insecureSkipVerify", messageId: "skip", data: { registry: String(doc.data.name ?? "") } });
    }
  },
} satisfies Rule;
