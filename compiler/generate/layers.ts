// What a definition asks of each layer, as patches: the settings a
// definition spells out (install disk, VIP, static address, hostname) become
// patches for the contract, placed before the user's own patches of the same
// layer. The generator options are what `talosctl gen config` takes for the
// whole cluster; everything else is a patch, so the output's patches alone
// turn the generated base into each node's config.

import type { ClusterDefinition, Install, Node } from "../define/definition.generated.ts";
import type { TalosPatch } from "../define/patch.ts";
import { gates, type Contract } from "../talos/contract.ts";
import { goQuote, type GenerateOptions, type GeneratorSecrets, type Role } from "./generate.ts";

/** A patch and the definition path it comes from, for error messages. */
export interface SourcedPatch {
  patch: TalosPatch;
  source: string;
}

/** The patches of each layer, general to specific. */
export interface Layers {
  cluster: SourcedPatch[];
  controlplane: SourcedPatch[];
  worker: SourcedPatch[];
}

function sourced(patches: readonly TalosPatch[] | undefined, path: string): SourcedPatch[] {
  return (patches ?? []).map((patch, i) => ({ patch, source: `${path}[${i}]` }));
}

/** The generator options of a cluster: the talosctl gen config flags it amounts to. */
export function generatorOptions(def: ClusterDefinition, contract: Contract, secrets: GeneratorSecrets): GenerateOptions {
  return {
    clusterName: def.name,
    endpoint: def.endpoint,
    kubernetesVersion: def.kubernetesVersion,
    contract,
    secrets,
    additionalSANs: def.additionalSANs ?? [],
    dnsDomain: def.dnsDomain,
    kubeSpan: def.kubeSpan === true ? true : undefined,
    discovery: def.discovery,
  };
}

/** The `talosctl gen config` arguments that reproduce the base config (secrets aside). */
export function generatorCommand(def: ClusterDefinition): string[] {
  const args = ["gen", "config", def.name, def.endpoint, "--talos-version", def.talosVersion, "--kubernetes-version", def.kubernetesVersion];
  if (def.additionalSANs?.length) args.push("--additional-sans", def.additionalSANs.join(","));
  if (def.dnsDomain !== undefined) args.push("--dns-domain", def.dnsDomain);
  if (def.kubeSpan === true) args.push("--with-kubespan");
  if (def.discovery === false) args.push("--with-cluster-discovery=false");
  args.push("--install-disk", "", "--install-image", "");
  return args;
}

/**
 * The install patch of a layer. From 1.14 a patch to UnattendedInstallConfig
 * replaces its disk selector unless it repeats it, so a layer that changes
 * any install setting states everything it inherits as well.
 */
function installPatch(install: Install | undefined, contract: Contract, source: string, inherited: Install = {}): SourcedPatch[] {
  if (install === undefined || Object.keys(install).length === 0) return [];
  const effective = gates(contract).unattendedInstall ? { ...inherited, ...install } : install;
  return installDocuments(effective, contract).map((patch) => ({ patch, source }));
}

function installDocuments(install: Install | undefined, contract: Contract): TalosPatch[] {
  if (install === undefined || Object.keys(install).length === 0) return [];
  if (!gates(contract).unattendedInstall) {
    const legacy: Record<string, unknown> = {};
    if (install.disk !== undefined) legacy.disk = install.disk;
    if (install.image !== undefined) legacy.image = install.image;
    if (install.extraKernelArgs !== undefined) legacy.extraKernelArgs = install.extraKernelArgs;
    if (install.wipe !== undefined) legacy.wipe = install.wipe;
    return [{ machine: { install: legacy } }];
  }
  const doc: Record<string, unknown> = { apiVersion: "v1alpha1", kind: "UnattendedInstallConfig" };
  if (install.image !== undefined) doc.installer = { image: install.image };
  const provisioning: Record<string, unknown> = {};
  if (install.disk !== undefined) provisioning.diskSelector = { match: `disk.dev_path == ${goQuote(install.disk)}` };
  if (install.wipe !== undefined) provisioning.wipe = install.wipe;
  if (Object.keys(provisioning).length > 0) doc.provisioning = provisioning;
  return [doc];
}

// The kinds that carry a link's addresses themselves, besides LinkConfig.
const LINK_KINDS = ["BondConfig", "VLANConfig", "BridgeConfig", "DummyLinkConfig", "WireguardConfig"];

/**
 * The patches of a node's own layer. A static address goes to the document
 * that defines its link in the config so far (a bond, a VLAN…), or to a
 * LinkConfig when the link is a plain NIC.
 */
export function nodeLayer(def: ClusterDefinition, node: Node, index: number, contract: Contract, config: readonly Record<string, unknown>[]): SourcedPatch[] {
  const at = `nodes[${index}]`;
  const patches: SourcedPatch[] = [
    { patch: { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: node.hostname }, source: `${at}.hostname` },
  ];
  if (node.address !== undefined) {
    const name = node.link ?? "eth0";
    const owner = config.find((d) => d.name === name && typeof d.kind === "string" && LINK_KINDS.includes(d.kind));
    const link = {
      apiVersion: "v1alpha1",
      kind: owner?.kind ?? "LinkConfig",
      name,
      addresses: [{ address: node.address }],
      ...(node.gateway === undefined ? {} : { routes: [{ gateway: node.gateway }] }),
    };
    patches.push({ patch: link, source: `${at}.address` });
  }
  const roleInstall = node.role === "controlplane" ? def.controlPlane?.install : def.workers?.install;
  patches.push(...installPatch(node.install, contract, `${at}.install`, { ...def.install, ...roleInstall }));
  patches.push(...sourced(node.patches, `${at}.patches`));
  return patches;
}

/** The cluster and role layers of a cluster; each node's own layer comes from `nodeLayer`. */
export function planLayers(def: ClusterDefinition, contract: Contract): Layers {
  const vip = def.controlPlane?.vip;
  const vipPatch = vip === undefined ? [] : [{ patch: { apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: vip.address, link: vip.link }, source: "controlPlane.vip" }];
  return {
    cluster: [...installPatch(def.install, contract, "install"), ...sourced(def.patches, "patches")],
    controlplane: [...vipPatch, ...installPatch(def.controlPlane?.install, contract, "controlPlane.install", def.install), ...sourced(def.controlPlane?.patches, "controlPlane.patches")],
    worker: [...installPatch(def.workers?.install, contract, "workers.install", def.install), ...sourced(def.workers?.patches, "workers.patches")],
  };
}

/** The roles a cluster has nodes for, control plane first. */
export function rolesOf(def: ClusterDefinition): Role[] {
  return (["controlplane", "worker"] as const).filter((r) => def.nodes.some((n) => n.role === r));
}
