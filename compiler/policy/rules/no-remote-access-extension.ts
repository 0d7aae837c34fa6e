// Remote-access tunnels open a path into the node around the Talos API.

import { REF } from "../references.ts";
import type { Rule } from "../types.ts";
import { reportNamedExtensions } from "../extension-helpers.ts";

/** The official extensions that run a remote-access tunnel or overlay network agent. */
const REMOTE_ACCESS_EXTENSIONS: ReadonlySet<string> = new Set(["tailscale", "netbird", "zerotier", "nebula", "cloudflared", "newt"]);

export default {
  id: "no-remote-access-extension",
  title: "Nodes do not run remote-access tunnel extensions",
  rationale:
    "Tunnel and mesh agents (tailscale, netbird, zerotier, nebula, cloudflared, newt) connect the node to an outside control plane and can expose node ports to whoever that control plane admits, bypassing the network boundary the cluster was designed with. They are sometimes the right tool, so this is a warning: make the exposure a reviewed decision.",
  remediation:
    "Remove the extension (and its ExtensionServiceConfig) from nodes that do not need it, or waive the rule for the nodes that do, with the reason and an expiry.",
  severity: { recommended: "warning", strict: "error" },
  tags: ["security", "remote-access", "extensions"],
  references: [REF.extensions, REF.extensionsCatalog],
  waivable: true,
  messages: {
    extension: "extension {name} runs a remote-access tunnel into the node",
    service: "ExtensionServiceConfig {name} configures a remote-access tunnel into the node",
  },
  examples: {
    good: [{ title: "storage extensions only", definition: { install: { extensions: ["siderolabs/iscsi-tools"] } } }],
    bad: [
      { title: "tailscale baked into the image", definition: { install: { extensions: ["siderolabs/tailscale"] } } },
      { title: "a config file that configures the netbird service", patch: "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: netbird\nenvironment:\n  - NB_MANAGEMENT_URL=https://netbird.example.com\n" },
    ],
  },
  check(ctx) {
    reportNamedExtensions(ctx, REMOTE_ACCESS_EXTENSIONS);
  },
} satisfies Rule;
