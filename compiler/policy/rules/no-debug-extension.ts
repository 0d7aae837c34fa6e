// Host debugging tools give a workload or an operator more reach than a production node needs.

import { REF } from "../references.ts";
import type { Rule } from "../types.ts";
import { reportNamedExtensions } from "../extension-helpers.ts";

/** Official extensions that put debugging or low-level hardware tools on the host. */
const DEBUG_EXTENSIONS: ReadonlySet<string> = new Set(["ctr", "util-linux-tools", "nvme-cli", "mellanox-mstflint", "gvisor-debug"]);

export default {
  id: "no-debug-extension",
  title: "Production nodes carry no host debugging tools",
  rationale:
    "Extensions such as ctr, util-linux-tools, nvme-cli, mellanox-mstflint and gvisor-debug add binaries that act on the container runtime, disks or firmware directly from the host. They widen what a compromised extension service or a privileged pod can do, and they are rarely needed outside an investigation.",
  remediation: "Build the image without the tool and add it only to an image used for troubleshooting, or waive the rule for the nodes that need it, with an expiry.",
  severity: { recommended: "warning", strict: "error" },
  tags: ["security", "extensions"],
  references: [REF.extensions, REF.extensionsCatalog],
  waivable: true,
  messages: {
    extension: "extension {name} puts host debugging tools on the node",
    service: "ExtensionServiceConfig {name} configures a host debugging tool",
  },
  examples: {
    good: [{ title: "only firmware and storage", definition: { install: { extensions: ["siderolabs/intel-ucode", "siderolabs/iscsi-tools"] } } }],
    bad: [{ title: "nvme-cli on every node", definition: { install: { extensions: ["siderolabs/nvme-cli"] } } }],
  },
  check(ctx) {
    reportNamedExtensions(ctx, DEBUG_EXTENSIONS);
  },
} satisfies Rule;
