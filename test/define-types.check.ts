// Compiled by `tsc --noEmit` (npm test), never run: a patch is typed against
// the cluster's Talos version, so what that release lacks does not compile.

import { bond, defineCluster, registryMirror, staticAddress, timeServers, vip, vlan } from "../compiler/define/index.ts";

const nodes = [{ hostname: "cp-1", role: "controlplane" as const }];
const common = { name: "x", kubernetesVersion: "1.35.0", endpoint: "https://a:6443", nodes };

defineCluster({
  ...common,
  talosVersion: "v1.14.0",
  kubernetesVersion: "1.37.0",
  patches: [
    { apiVersion: "v1alpha1", kind: "KubeletConfig", clusterDNS: ["10.96.0.10"] },
    { machine: { nodeLabels: { a: "b" } } },
    { apiVersion: "v1alpha1", kind: "KubeNodeConfig", taints: { "node-role.kubernetes.io/control-plane": { $patch: "delete" } } },
    { document: "KubeletConfig", ops: [{ op: "add", path: "/clusterDNS/-", value: "10.96.0.11" }] },
    bond({ name: "bond0", links: ["eth0", "eth1"] }),
    vlan({ parent: "bond0", id: 20 }),
    vip("10.0.0.10", "bond0"),
    staticAddress("eth0", "10.0.0.2/24", "10.0.0.1"),
    registryMirror("docker.io", "https://mirror.local"),
    timeServers(["time.cloudflare.com"]),
  ],
});

defineCluster({
  ...common,
  talosVersion: "v1.12.11",
  patches: [
    // @ts-expect-error KubeletConfig is a 1.14 document; 1.12 configures the kubelet in machine.kubelet.
    { apiVersion: "v1alpha1", kind: "KubeletConfig", clusterDNS: ["10.96.0.10"] },
    // @ts-expect-error a misspelt field is a type error.
    { machine: { kubelt: {} } },
    { machine: { kubelet: { clusterDNS: ["10.96.0.10"] } } },
  ],
});

defineCluster({
  ...common,
  talosVersion: "v1.13.9",
  // @ts-expect-error a node needs a known role.
  nodes: [{ hostname: "a", role: "master" }],
});
