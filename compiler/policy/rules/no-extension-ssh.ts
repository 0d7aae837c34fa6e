// An SSH server on a Talos node undoes its API-only design.

import { officialExtension } from "../../talos/extensions.ts";
import { list, str } from "../../value.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";
import { reportExtension } from "../extension-helpers.ts";

// Environment settings that turn on an SSH server inside a tunnel agent.
const SSH_SETTINGS: readonly RegExp[] = [/(^|[\s=])--ssh(\b|=true\b)/i, /--allow-server-ssh/i, /^(TS_SSH|NB_ALLOW_SERVER_SSH|NB_SERVER_SSH_ALLOWED)=(1|true|yes)$/i];

// Names that say an unofficial extension is a shell or remote login server.
const SHELL_NAME = /(^|[/_-])(ssh|sshd|openssh|dropbear|ttyd|telnetd?|shell|busybox|tmate)([/_:@-]|$)/i;

export default {
  id: "no-extension-ssh",
  title: "No extension provides a shell or an SSH server",
  rationale:
    "Talos has no shell and no SSH by design: every change goes through the authenticated, audited Talos API. An SSH server, whether a third-party extension or the SSH mode of a tunnel agent (tailscale --ssh, netbird's server SSH), gives an interactive root path onto the host that none of Talos's controls see. None of the official extensions ships sshd.",
  remediation:
    "Remove --ssh from TS_EXTRA_ARGS, turn off netbird's server SSH, and drop any extension that provides a shell. Use `talosctl` (logs, dmesg, containers, a debug pod) for troubleshooting.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "remote-access", "extensions"],
  references: [REF.extensions],
  waivable: true,
  messages: {
    "service-ssh": "extension service {name} turns on an SSH server ({setting})",
    "shell-extension": "extension {name} looks like a shell or remote login server",
  },
  examples: {
    good: [{ title: "tailscale without its SSH server", patch: "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: tailscale\nenvironment:\n  - TS_EXTRA_ARGS=--advertise-tags=tag:node\n" }],
    bad: [
      { title: "tailscale with --ssh", patch: "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: tailscale\nenvironment:\n  - TS_EXTRA_ARGS=--ssh --advertise-tags=tag:node\n" },
      { title: "a third-party SSH server image", definition: { install: { extensions: ["ghcr.io/example/sshd:1.0"] } } },
    ],
  },
  check(ctx) {
    for (const doc of ctx.ofKind("ExtensionServiceConfig")) {
      list(doc.data.environment).forEach((entry, i) => {
        const value = str(entry);
        const hit = SSH_SETTINGS.find((re) => re.test(value) || re.test(value.slice(value.indexOf("=") + 1)));
        if (hit !== undefined) ctx.report({ doc, path: `environment[${i}]`, messageId: "service-ssh", data: { name: str(doc.data.name), setting: value.length > 60 ? `${value.slice(0, 57)}...` : value } });
      });
    }
    for (const ext of ctx.extensions) {
      if (officialExtension(ext.name) === undefined && SHELL_NAME.test(ext.name)) reportExtension(ctx, ext, "shell-extension", { name: ext.name });
    }
  },
} satisfies Rule;
