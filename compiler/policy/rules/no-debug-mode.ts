// debug: true streams every service's logs to the console.

import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

export default {
  id: "no-debug-mode",
  title: "Debug mode is off",
  rationale:
    "With `debug: true` Talos writes the logs of all its services to the console, where anyone with physical, BMC or hypervisor console access can read them, secrets in error messages included. It also slows boots and floods serial consoles.",
  remediation: "Set `debug: false` (or remove it); read logs with `talosctl logs` and `talosctl dmesg` instead.",
  severity: { recommended: "warning", strict: "error" },
  tags: ["security", "hardening"],
  references: [REF.configReference],
  waivable: true,
  messages: { debug: "debug mode is on: service logs go to the console" },
  examples: {
    good: [{ title: "the default", patch: "debug: false\n" }],
    bad: [{ title: "debug on", patch: "debug: true\n" }],
  },
  check(ctx) {
    if (ctx.legacy !== undefined && ctx.legacy.data.debug === true) ctx.report({ doc: ctx.legacy, path: "debug", messageId: "debug" });
  },
} satisfies Rule;
