// A config fetched over plain HTTP hands the cluster's secrets to the network.

import { kernelArgs } from "../find.ts";
import { REF } from "../references.ts";
import { type Rule, SECRET_LEAK } from "../types.ts";

export default {
  id: "no-insecure-config-url",
  title: "The machine config is not fetched over plain HTTP",
  rationale:
    "With `talos.config=http://…` the node downloads its machine config, with every token, CA key and encryption secret in it, unencrypted and unauthenticated. Anyone on the path can read it, or serve a config of their own and take the node.",
  remediation: "Serve the config over https (`talos.config=https://…`), or apply it with talosctl or Omni instead of a kernel argument.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "secrets"],
  references: [REF.configReference],
  waivable: false,
  notWaivable: SECRET_LEAK,
  locked: true,
  messages: { http: "kernel argument {arg} fetches the machine config over plain http" },
  examples: {
    good: [{ title: "https", definition: { install: { extraKernelArgs: ["talos.config=https://config.example.com/node.yaml"] } } }],
    bad: [{ title: "plain http", patch: "machine:\n  install:\n    extraKernelArgs:\n      - talos.config=http://10.0.0.1/config.yaml\n" }],
  },
  check(ctx) {
    for (const arg of kernelArgs(ctx)) {
      if (/^talos\.config=http:\/\//i.test(arg.value.trim())) ctx.report({ doc: arg.doc, path: arg.path, definitionPath: arg.definitionPath, messageId: "http", data: { arg: arg.value } });
    }
  },
} satisfies Rule;
