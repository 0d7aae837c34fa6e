// Generated from schemas/cluster.schema.json by scripts/definition-types.ts; do not edit.

import type {TalosPatch} from "./patch.ts";

export type Patch = TalosPatch;
/**
 * Patches applied in order: strategic merge patches (partial Talos documents) or JSON6902 operations aimed at one document.
 */
export type Patches = Patch[];

/**
 * One Talos cluster, as a cluster file under clusters/ describes it with defineCluster().
 */
export interface ClusterDefinition {
  /**
   * The cluster name: a DNS label, also the folder name under out/.
   */
  name: string;
  /**
   * The exact Talos release, e.g. v1.13.9; it selects the version contract and the typed patch surface.
   */
  talosVersion: string;
  /**
   * The exact Kubernetes version, e.g. 1.36.3; it must be inside the Talos release's support window.
   */
  kubernetesVersion: string;
  /**
   * The Kubernetes API endpoint, an https URL such as https://192.168.10.10:6443.
   */
  endpoint: string;
  /**
   * Extra subject alternative names for the API server and Talos API certificates.
   */
  additionalSANs?: string[];
  /**
   * The cluster's DNS domain (default cluster.local).
   */
  dnsDomain?: string;
  /**
   * Turns KubeSpan on.
   */
  kubeSpan?: boolean;
  /**
   * The discovery service (default on).
   */
  discovery?: boolean;
  install?: Install;
  patches?: Patches;
  /**
   * Settings and patches for every control plane node.
   */
  controlPlane?: {
    vip?: Vip;
    install?: Install;
    patches?: Patches;
  };
  /**
   * Settings and patches for every worker node.
   */
  workers?: {
    install?: Install;
    patches?: Patches;
  };
  /**
   * The machines of the cluster.
   *
   * @minItems 1
   */
  nodes: [Node, ...Node[]];
  /**
   * Where the output is applied besides talosctl.
   */
  targets?: {
    /**
     * Render an Omni cluster template (out/<cluster>/omni/cluster-template.yaml).
     */
    omni?: {
      /**
       * Omni machine IDs by hostname.
       */
      machines?: {
        [k: string]: string | undefined;
      };
      controlPlane?: {
        machineClass?: OmniMachineClass;
      };
      workers?: {
        name?: string;
        machineClass?: OmniMachineClass;
      };
      features?: {
        diskEncryption?: boolean;
        enableWorkloadProxy?: boolean;
        useEmbeddedDiscoveryService?: boolean;
        disablePublicDiscoveryService?: boolean;
        enableNodeAuditSkip?: boolean;
        backupConfiguration?: {
          interval?: string;
        };
      };
    };
  };
  policy?: Policy;
}
/**
 * How Talos is installed: the disk, and the boot image (an Image Factory schematic, or an explicit installer image).
 */
export interface Install {
  /**
   * The install disk, e.g. /dev/sda.
   */
  disk?: string;
  /**
   * Wipe the install disk first.
   */
  wipe?: boolean;
  /**
   * An explicit installer image, pinned by tag or digest; instead of the Image Factory image built from the schematic fields.
   */
  image?: string;
  /**
   * Official system extensions baked into the image, e.g. siderolabs/iscsi-tools.
   */
  extensions?: string[];
  /**
   * Extra kernel arguments baked into the image (the schematic's extraKernelArgs).
   */
  kernelArgs?: string[];
  /**
   * A board overlay, e.g. {name: rpi_generic, image: siderolabs/sbc-raspberrypi}.
   */
  overlay?: {
    name: string;
    image: string;
    options?: {};
  };
  /**
   * Use the SecureBoot installer.
   */
  secureBoot?: boolean;
  /**
   * The platform of the installer image (default metal).
   */
  platform?: string;
  /**
   * The Image Factory host (default factory.talos.dev), for self-hosted factories.
   */
  factory?: string;
  /**
   * Pins the installer image to a digest, sha256:<64 hex>.
   */
  imageDigest?: string;
  /**
   * Extra kernel arguments in machine.install (contracts 1.12 and 1.13; from 1.14 use kernelArgs, which the image carries).
   */
  extraKernelArgs?: string[];
}
/**
 * A shared virtual IP the control plane nodes announce on a link.
 */
export interface Vip {
  address: string;
  link: string;
}
export interface Node {
  /**
   * The node's hostname, also its file name under out/<cluster>/nodes/.
   */
  hostname: string;
  role: "controlplane" | "worker";
  /**
   * A static address in CIDR notation, e.g. 192.168.10.11/24.
   */
  address?: string;
  /**
   * The link the static address is on (default eth0).
   */
  link?: string;
  /**
   * The default gateway of the static address.
   */
  gateway?: string;
  install?: Install;
  patches?: Patches;
}
/**
 * Machines Omni picks from a machine class, and how many.
 */
export interface OmniMachineClass {
  name: string;
  size?: number | "unlimited";
}
/**
 * Policy settings of the cluster.
 */
export interface Policy {
  profile?: "recommended" | "strict";
  /**
   * Severity per rule id, or off.
   */
  rules?: {
    [k: string]: "error" | "warning" | "info" | "off" | undefined;
  };
  waivers?: {
    rule: string;
    /**
     * Hostname globs, at least one; all nodes when absent.
     *
     * @minItems 1
     */
    nodes?: [string, ...string[]];
    reason: string;
    expires: string;
  }[];
  /**
   * Extension names or image repositories (or prefix/*) allowed besides the official catalogue.
   */
  allowExtensions?: string[];
}
