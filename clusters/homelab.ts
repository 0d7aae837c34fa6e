// A bare-metal cluster: three control planes behind a shared VIP, three
// workers, static addressing on a bonded pair of NICs, iSCSI and Intel
// microcode extensions, pinned NTP servers, a pull-through registry mirror and
// encrypted system volumes.
// Control planes install to a fixed disk; workers pick the first NVMe disk of
// at least 500 GB.

import { bond, defineCluster, registryMirror, timeServers } from "talc";

const gateway = "192.168.10.1";

export default defineCluster({
  name: "homelab",
  talosVersion: "v1.13.9",
  kubernetesVersion: "1.36.3",
  endpoint: "https://192.168.10.10:6443",
  install: { extensions: ["siderolabs/iscsi-tools", "siderolabs/intel-ucode"] },
  patches: [
    timeServers(["time.cloudflare.com", "ntp.se"]),
    registryMirror("docker.io", "https://registry.homelab.internal/v2/docker.io"),
    bond({ name: "bond0", links: ["enp1s0", "enp2s0"], mode: "802.3ad" }),
    { machine: { kubelet: { extraArgs: { "rotate-server-certificates": "true" } } } },
    // STATE sealed to the TPM, EPHEMERAL keyed to the node: a lost disk reveals nothing.
    {
      machine: {
        systemDiskEncryption: {
          state: { provider: "luks2", keys: [{ slot: 0, tpm: {} }] },
          ephemeral: { provider: "luks2", keys: [{ slot: 0, nodeID: {} }] },
        },
      },
    },
  ],
  controlPlane: {
    vip: { address: "192.168.10.10", link: "bond0" },
    install: { disk: "/dev/sda" },
  },
  workers: {
    patches: [{ machine: { install: { diskSelector: { type: "nvme", size: ">= 500GB" } } } }],
  },
  nodes: [
    { hostname: "cp-1", role: "controlplane", address: "192.168.10.11/24", link: "bond0", gateway },
    { hostname: "cp-2", role: "controlplane", address: "192.168.10.12/24", link: "bond0", gateway },
    { hostname: "cp-3", role: "controlplane", address: "192.168.10.13/24", link: "bond0", gateway },
    { hostname: "w-1", role: "worker", address: "192.168.10.21/24", link: "bond0", gateway },
    { hostname: "w-2", role: "worker", address: "192.168.10.22/24", link: "bond0", gateway },
    {
      hostname: "w-3",
      role: "worker",
      address: "192.168.10.23/24",
      link: "bond0",
      gateway,
      patches: [{ machine: { nodeLabels: { "homelab.internal/gpu": "true" } } }],
    },
  ],
});
