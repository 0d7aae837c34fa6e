// The synthetic fleet `npm run bench` builds, and `npm run bundle` runs talc on
// to write the code caches of the bundled CLI (scripts/bundle.ts).

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONTRACTS } from "../compiler/talos/contract.ts";
import { RELEASES } from "../compiler/talos/versions.ts";

// The newest release of every line talc knows, with its default Kubernetes.
const VERSIONS = CONTRACTS.map((c) => ({ talosVersion: RELEASES[c].talosVersion, kubernetesVersion: RELEASES[c].defaultKubernetesVersion }));

// The site-wide settings every cluster file imports, as a fleet keeps them: in a
// local module that imports others.
const SITE: Record<string, string> = {
  "lib/site.ts": `import { bond, registryMirror, timeServers } from "talc";
import { MIRROR } from "./registry.ts";
import { UPLINKS } from "./network.ts";

export const sitePatches = [timeServers(["time.cloudflare.com"]), registryMirror("docker.io", MIRROR), bond({ name: "bond0", links: UPLINKS })];
export const workerWaiver = { rule: "volume-encryption", nodes: ["w-*"], reason: "benchmark fleet: workers hold no data", expires: "2027-06-30" };
`,
  "lib/registry.ts": `export const MIRROR = "https://mirror.internal/v2/docker.io";\n`,
  "lib/network.ts": `export const UPLINKS = ["enp1s0", "enp2s0"];\n`,
};

// One realistic cluster file: three control planes behind a VIP on a bond, the
// rest workers with static addresses, extensions, and the site's mirrors, NTP,
// bond and waiver.
function clusterFile(index: number, nodes: number): string {
  const v = VERSIONS[index % VERSIONS.length];
  const net = `10.${Math.floor(index / 200)}.${index % 200}`;
  const list = Array.from({ length: nodes }, (_, i) => {
    const role = i < Math.min(3, nodes) ? "controlplane" : "worker";
    const host = role === "controlplane" ? `cp-${i + 1}` : `w-${i + 1}`;
    const extra = i % 5 === 4 ? `, patches: [{ ${v.talosVersion.startsWith("v1.14") ? `apiVersion: "v1alpha1", kind: "KubeletConfig", clusterDNS: ["10.96.0.10"]` : `machine: { nodeLabels: { "tier": "batch" } }`} }]` : "";
    return `    { hostname: "${host}", role: "${role}", address: "${net}.${i + 10}/16", link: "bond0", gateway: "${net}.1"${extra} },`;
  });
  return `import { defineCluster } from "talc";
import { sitePatches, workerWaiver } from "../lib/site.ts";

export default defineCluster({
  name: "c${String(index).padStart(5, "0")}",
  talosVersion: "${v.talosVersion}",
  kubernetesVersion: "${v.kubernetesVersion}",
  endpoint: "https://${net}.5:6443",
  install: { disk: "/dev/sda", extensions: ["siderolabs/iscsi-tools", "siderolabs/intel-ucode"] },
  patches: sitePatches,
  controlPlane: { vip: { address: "${net}.5", link: "bond0" } },
  workers: { install: { disk: "/dev/nvme0n1" } },
  policy: { waivers: [workerWaiver] },
  nodes: [
${list.join("\n")}
  ],
} as never);
`;
}

/** Writes a fleet of `clusters` cluster files of `nodes` nodes each, with its site library, into `dir`. */
export function writeFleet(dir: string, clusters: number, nodes: number): void {
  mkdirSync(join(dir, "clusters"), { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  mkdirSync(join(dir, "lib"), { recursive: true });
  for (const [path, source] of Object.entries(SITE)) writeFileSync(join(dir, path), source);
  for (let i = 0; i < clusters; i++) writeFileSync(join(dir, "clusters", `c${String(i).padStart(5, "0")}.ts`), clusterFile(i, nodes));
}
