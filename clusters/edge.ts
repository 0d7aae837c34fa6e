// A small cluster of virtual machines on Talos 1.14, also managed through
// Omni: one control plane that schedules workloads, two workers, DHCP
// addressing, the QEMU guest agent.

import { defineCluster } from "talc";

export default defineCluster({
  name: "edge",
  talosVersion: "v1.14.0-rc.1",
  kubernetesVersion: "1.37.0-rc.0",
  endpoint: "https://edge.example.internal:6443",
  additionalSANs: ["edge.example.internal"],
  install: { disk: "/dev/vda", extensions: ["siderolabs/qemu-guest-agent"] },
  patches: [
    { apiVersion: "v1alpha1", kind: "KubeletConfig", clusterDNS: ["10.96.0.10"] },
    { apiVersion: "v1alpha1", kind: "VolumeConfig", name: "STATE", encryption: { provider: "luks2", keys: [{ slot: 0, tpm: {} }] } },
    { apiVersion: "v1alpha1", kind: "VolumeConfig", name: "EPHEMERAL", encryption: { provider: "luks2", keys: [{ slot: 0, nodeID: {} }] } },
  ],
  controlPlane: {
    patches: [{ apiVersion: "v1alpha1", kind: "KubeNodeConfig", taints: { "node-role.kubernetes.io/control-plane": { $patch: "delete" } } }],
  },
  nodes: [
    { hostname: "edge-cp-1", role: "controlplane" },
    { hostname: "edge-w-1", role: "worker" },
    { hostname: "edge-w-2", role: "worker" },
  ],
  policy: {
    waivers: [
      {
        rule: "no-control-plane-scheduling",
        nodes: ["edge-cp-1"],
        reason: "three small VMs: the control plane runs workloads until the edge site gets a fourth machine",
        expires: "2027-06-30",
      },
    ],
  },
  targets: {
    omni: {
      machines: {
        "edge-cp-1": "5a1e2f0c-3d4b-4e6f-8a9b-0c1d2e3f4a5b",
        "edge-w-1": "8c7d6e5f-4a3b-4c2d-9e1f-0a1b2c3d4e5f",
        "edge-w-2": "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b",
      },
    },
  },
});
