// One feature per case, compiled in memory and compared with its golden
// output under test/golden/compile/ (re-record with UPDATE_GOLDEN=1).

import { describe, test } from "node:test";
import { bond, registryMirror, staticAddress, timeServers, vlan } from "../compiler/define/index.ts";
import { validateDefinition } from "../compiler/load/definition.ts";
import { compileCluster } from "../compiler/pipeline.ts";
import { checkGolden } from "./helpers/golden.ts";

const VERSIONS = {
  "1.12": { talosVersion: "v1.12.11", kubernetesVersion: "1.35.4" },
  "1.13": { talosVersion: "v1.13.9", kubernetesVersion: "1.36.3" },
  "1.14": { talosVersion: "v1.14.0-rc.1", kubernetesVersion: "1.37.0-rc.0" },
} as const;

function cluster(version: keyof typeof VERSIONS, extra: Record<string, unknown>, nodes?: unknown[]): unknown {
  return {
    name: "golden",
    ...VERSIONS[version],
    endpoint: "https://10.0.0.10:6443",
    install: { disk: "/dev/sda" },
    nodes: nodes ?? [
      { hostname: "cp-1", role: "controlplane" },
      { hostname: "w-1", role: "worker" },
    ],
    ...extra,
  };
}

const CASES: Array<[string, unknown]> = [
  ["base-1.12", cluster("1.12", {})],
  ["base-1.13", cluster("1.13", {})],
  ["base-1.14", cluster("1.14", {})],
  ["vip", cluster("1.13", { controlPlane: { vip: { address: "10.0.0.10", link: "eth0" } } })],
  ["static-address", cluster("1.13", {}, [{ hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24", gateway: "10.0.0.1" }])],
  [
    "bond-with-node-addresses",
    cluster("1.13", { patches: [bond({ name: "bond0", links: ["eth0", "eth1"], mode: "active-backup" })] }, [
      { hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24", link: "bond0", gateway: "10.0.0.1" },
    ]),
  ],
  ["vlan", cluster("1.14", { patches: [vlan({ parent: "eth0", id: 20, addresses: ["10.20.0.5/24"] })] })],
  ["helper-static-address", cluster("1.12", { controlPlane: { patches: [staticAddress("eth1", ["10.1.0.5/24"])] } })],
  ["registry-mirror", cluster("1.12", { patches: [registryMirror("docker.io", ["https://a.internal", "https://b.internal"])] })],
  ["time-servers", cluster("1.13", { patches: [timeServers(["time.cloudflare.com"])] })],
  ["install-disk-per-role-1.14", cluster("1.14", { workers: { install: { disk: "/dev/nvme0n1", wipe: true } } })],
  ["install-disk-per-role-1.12", cluster("1.12", { workers: { install: { disk: "/dev/nvme0n1", wipe: true } } })],
  ["extensions-per-node", cluster("1.13", {}, [
    { hostname: "cp-1", role: "controlplane" },
    { hostname: "gpu-1", role: "worker", install: { extensions: ["siderolabs/nvidia-container-toolkit-production"] } },
  ])],
  ["json6902-document-ops", cluster("1.14", { patches: [{ document: "KubeletConfig", ops: [{ op: "add", path: "/clusterDNS", value: ["10.96.0.10"] }] }] })],
  ["delete-taint", cluster("1.14", { controlPlane: { patches: [{ apiVersion: "v1alpha1", kind: "KubeNodeConfig", taints: { "node-role.kubernetes.io/control-plane": { $patch: "delete" } } }] } })],
  ["kubespan-1.12", cluster("1.12", { kubeSpan: true })],
  ["kubespan-1.14", cluster("1.14", { kubeSpan: true })],
  ["additional-sans-1.14", cluster("1.14", { additionalSANs: ["api.golden.internal"] })],
  ["secret-in-a-patch-is-redacted", cluster("1.13", { patches: [{ machine: { registries: { config: { "r.internal": { auth: { username: "u", password: "hunter2" } } } } } }] })],
];

describe("compiled output per feature", () => {
  for (const [name, def] of CASES) {
    test(name, () => {
      const compiled = compileCluster(validateDefinition(def, `clusters/${name}.ts`));
      const text = [...compiled.files].map(([path, content]) => `==> ${path} <==\n${content}`).join("\n");
      checkGolden(`compile/${name}.txt`, text);
    });
  }
});
