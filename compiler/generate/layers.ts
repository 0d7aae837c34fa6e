// What a definition asks of each layer, as patches: the settings a
// definition spells out (install disk, VIP, static address, hostname) become
// patches for the contract, placed before the user's own patches of the same
// layer. The generator options are what `talosctl gen config` takes for the
// whole cluster; everything else is a patch, so the output's patches alone
// turn the generated base into each node's config.

import type { ClusterDefinition, Install, Node } from "../define/definition.generated.ts";
import type { TalosPatch } from "../define/patch.ts";
import { boundedMemo } from "../memo.ts";
import { gates, type Contract } from "../talos/contract.ts";
import { factoryImage, type ImageSettings } from "../targets/schematic.ts";
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

// Install settings that decide the boot image; a layer that sets one changes the installer image.
const IMAGE_FIELDS = ["image", "extensions", "kernelArgs", "overlay", "secureBoot", "platform", "factory", "imageDigest"] as const;

/**
 * Install settings from general to specific: lists of extensions and kernel
 * arguments accumulate (each once, first place kept), anything else the more
 * specific layer overrides.
 */
export function mergeInstall(general: Install | undefined, specific: Install | undefined): Install {
  const merged: Install = { ...general, ...specific };
  for (const key of ["extensions", "kernelArgs"] as const) {
    const list = [...(general?.[key] ?? []), ...(specific?.[key] ?? [])];
    if (list.length > 0) merged[key] = [...new Set(list)];
  }
  return merged;
}

/** The image settings of an install: what the schematic and installer image are made of. */
function imageSettings(install: Install): ImageSettings {
  return {
    extensions: install.extensions,
    kernelArgs: install.kernelArgs,
    overlay: install.overlay as ImageSettings["overlay"],
    secureBoot: install.secureBoot,
    platform: install.platform,
    factory: install.factory,
    digest: install.imageDigest,
  };
}

/** An installer image and, when the Image Factory makes it, its schematic (ID and canonical text). */
interface Installer {
  installer: string;
  schematic?: { id: string; text: string };
}

/**
 * The installer of effective install settings: the explicit image, or the Image Factory's, with the
 * schematic it is made from (its ID and canonical text).
 */
export function installerFor(install: Install, talosVersion: string): Installer {
  if (install.image !== undefined) return { installer: install.image };
  const settings = imageSettings(install);
  return factoryInstaller(`${talosVersion}\0${settingsKey(settings)}`, { settings, talosVersion });
}

// Settings as text that tells apart every two that make different schematics: JSON writes NaN,
// Infinity and null alike, so each string and number is tagged with its type and numbers are
// written as String writes them.
function settingsKey(settings: ImageSettings): string {
  return JSON.stringify(settings, (_key, v: unknown) => (typeof v === "string" ? `s${v}` : typeof v === "number" ? `n${v}` : v));
}

// Every node asks for its installer, and a fleet has a few distinct image settings: each one's schematic is
// encoded and hashed once (in a new process, where that code is not yet optimized, it costs tens of microseconds).
const factoryInstaller = boundedMemo(1_000, (_key: string, { settings, talosVersion }: { settings: ImageSettings; talosVersion: string }) => {
  const { installer, id, text } = factoryImage(settings, talosVersion);
  return { installer, schematic: { id, text } };
});

/**
 * The install patch of a layer. The cluster layer always names the installer
 * image (so every node runs a pinned one); a more specific layer writes one
 * when it changes what the image is made of. From 1.14 a patch to
 * UnattendedInstallConfig replaces its disk selector unless it repeats it, so
 * there a layer states everything it inherits as well.
 */
function installPatch(own: Install | undefined, contract: Contract, source: string, talosVersion: string, inherited?: Install): SourcedPatch[] {
  const isCluster = inherited === undefined;
  if (!isCluster && (own === undefined || Object.keys(own).length === 0)) return [];
  const effective = mergeInstall(inherited, own);
  if (!gates(contract).unattendedInstall) {
    const legacy: Record<string, unknown> = {};
    if (own?.disk !== undefined) legacy.disk = own.disk;
    if (isCluster || IMAGE_FIELDS.some((f) => own?.[f] !== undefined)) legacy.image = installerFor(effective, talosVersion).installer;
    if (own?.extraKernelArgs !== undefined) legacy.extraKernelArgs = own.extraKernelArgs;
    if (own?.wipe !== undefined) legacy.wipe = own.wipe;
    return [{ patch: { machine: { install: legacy } }, source }];
  }
  const doc: Record<string, unknown> = { apiVersion: "v1alpha1", kind: "UnattendedInstallConfig", installer: { image: installerFor(effective, talosVersion).installer } };
  const provisioning: Record<string, unknown> = {};
  if (effective.disk !== undefined) provisioning.diskSelector = { match: `disk.dev_path == ${goQuote(effective.disk)}` };
  if (effective.wipe !== undefined) provisioning.wipe = effective.wipe;
  if (Object.keys(provisioning).length > 0) doc.provisioning = provisioning;
  return [{ patch: doc, source }];
}

/** The install settings a role's section of the definition states. */
export function roleInstall(def: ClusterDefinition, role: Role): Install | undefined {
  return role === "controlplane" ? def.controlPlane?.install : def.workers?.install;
}

/** A node's effective install settings: cluster, then its role, then its own. */
export function nodeInstall(def: ClusterDefinition, node: Node): Install {
  return mergeInstall(mergeInstall(def.install, roleInstall(def, node.role)), node.install);
}

/**
 * Each node's effective install settings (nodeInstall) for one cluster. Most nodes say nothing about their
 * install, and those of a role share their role's settings, worked out once.
 */
export function nodeInstalls(def: ClusterDefinition): (node: Node) => Install {
  const byRole = new Map<Role, Install>();
  return (node) => {
    if (node.install !== undefined) return nodeInstall(def, node);
    let install = byRole.get(node.role);
    if (install === undefined) byRole.set(node.role, (install = nodeInstall(def, node)));
    return install;
  };
}

/**
 * The installer of each node of one cluster, worked out once for each install settings nodeInstalls
 * shares: in a new process, merging the settings and keying the schematic for every node of a
 * 1,000-node fleet took about 25 ms of its build.
 */
export function nodeInstallers(def: ClusterDefinition): (node: Node) => Installer {
  const installOf = nodeInstalls(def);
  const made = new WeakMap<Install, Installer>();
  return (node) => {
    const install = installOf(node);
    let installer = made.get(install);
    if (installer === undefined) made.set(install, (installer = installerFor(install, def.talosVersion)));
    return installer;
  };
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
  // a node without install settings of its own writes no install patch (nor needs what it inherits)
  if (node.install !== undefined) patches.push(...installPatch(node.install, contract, `${at}.install`, def.talosVersion, mergeInstall(def.install, roleInstall(def, node.role))));
  patches.push(...sourced(node.patches, `${at}.patches`));
  return patches;
}

/** The cluster and role layers of a cluster; each node's own layer comes from `nodeLayer`. */
export function planLayers(def: ClusterDefinition, contract: Contract): Layers {
  const vip = def.controlPlane?.vip;
  const vipPatch = vip === undefined ? [] : [{ patch: { apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: vip.address, link: vip.link }, source: "controlPlane.vip" }];
  return {
    cluster: [...installPatch(def.install, contract, "install", def.talosVersion), ...sourced(def.patches, "patches")],
    controlplane: [...vipPatch, ...installPatch(def.controlPlane?.install, contract, "controlPlane.install", def.talosVersion, def.install ?? {}), ...sourced(def.controlPlane?.patches, "controlPlane.patches")],
    worker: [...installPatch(def.workers?.install, contract, "workers.install", def.talosVersion, def.install ?? {}), ...sourced(def.workers?.patches, "workers.patches")],
  };
}

/** The roles a cluster has nodes for, control plane first. */
export function rolesOf(def: ClusterDefinition): Role[] {
  return (["controlplane", "worker"] as const).filter((r) => def.nodes.some((n) => n.role === r));
}
