// The API a cluster file uses: `defineCluster()` and plain helpers that
// return typed patches. This is what `import ... from "talc"` gives.

import type { ClusterDefinition } from "./definition.generated.ts";
import type { ClusterInput } from "./typed.ts";

export type { ClusterDefinition, Install, Node, Policy, Vip } from "./definition.generated.ts";
export type { DocumentOperations, JsonPatchOperation, StrategicPatch, TalosPatch } from "./patch.ts";
export type { ClusterInput, ContractOf, DeepPatch, Delete, PatchFor } from "./typed.ts";

/** Fields of a network document that a helper fills in. */
interface Addressing {
  addresses?: Array<{ address: string }>;
  routes?: Array<{ gateway: string }>;
  mtu?: number;
}

/** The bonding modes Talos accepts. */
export type BondMode = "balance-rr" | "active-backup" | "balance-xor" | "broadcast" | "802.3ad" | "balance-tlb" | "balance-alb";

/**
 * Declares a cluster; a cluster file default-exports its result. Patches are
 * typed against the Talos release named by `talosVersion`.
 */
export function defineCluster<const V extends string>(definition: ClusterInput<V>): ClusterDefinition {
  return definition as unknown as ClusterDefinition;
}

function addressing(addresses: string[] | undefined, gateway: string | undefined, mtu: number | undefined): Addressing {
  return {
    ...(mtu === undefined ? {} : { mtu }),
    ...(addresses === undefined ? {} : { addresses: addresses.map((address) => ({ address })) }),
    ...(gateway === undefined ? {} : { routes: [{ gateway }] }),
  };
}

/** Static addressing of one link: addresses in CIDR notation and, optionally, a default gateway. */
export function staticAddress(link: string, addresses: string | string[], gateway?: string): { apiVersion: "v1alpha1"; kind: "LinkConfig"; name: string } & Addressing {
  return { apiVersion: "v1alpha1", kind: "LinkConfig", name: link, ...addressing(Array.isArray(addresses) ? addresses : [addresses], gateway, undefined) };
}

/** A bond of links, optionally with static addresses. Mode defaults to 802.3ad (LACP). */
export function bond(opts: {
  name: string;
  links: string[];
  mode?: BondMode;
  addresses?: string[];
  gateway?: string;
  mtu?: number;
}): { apiVersion: "v1alpha1"; kind: "BondConfig"; name: string; links: string[]; bondMode: BondMode } & Addressing {
  return {
    apiVersion: "v1alpha1",
    kind: "BondConfig",
    name: opts.name,
    links: opts.links,
    bondMode: opts.mode ?? "802.3ad",
    ...addressing(opts.addresses, opts.gateway, opts.mtu),
  };
}

/** A VLAN on a parent link, named `<parent>.<id>`, optionally with static addresses. */
export function vlan(opts: {
  parent: string;
  id: number;
  addresses?: string[];
  gateway?: string;
  mtu?: number;
}): { apiVersion: "v1alpha1"; kind: "VLANConfig"; name: string; vlanID: number; parent: string } & Addressing {
  return {
    apiVersion: "v1alpha1",
    kind: "VLANConfig",
    name: `${opts.parent}.${opts.id}`,
    vlanID: opts.id,
    parent: opts.parent,
    ...addressing(opts.addresses, opts.gateway, opts.mtu),
  };
}

/** A layer 2 virtual IP announced on a link (for control planes). */
export function vip(address: string, link: string): { apiVersion: "v1alpha1"; kind: "Layer2VIPConfig"; name: string; link: string } {
  return { apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: address, link };
}

/** A pull-through mirror for a registry. */
export function registryMirror(
  registry: string,
  endpoints: string | string[],
): { apiVersion: "v1alpha1"; kind: "RegistryMirrorConfig"; name: string; endpoints: Array<{ url: string }> } {
  return {
    apiVersion: "v1alpha1",
    kind: "RegistryMirrorConfig",
    name: registry,
    endpoints: (Array.isArray(endpoints) ? endpoints : [endpoints]).map((url) => ({ url })),
  };
}

/** NTP servers for time synchronisation. */
export function timeServers(servers: string[]): { apiVersion: "v1alpha1"; kind: "TimeSyncConfig"; ntp: { servers: string[] } } {
  return { apiVersion: "v1alpha1", kind: "TimeSyncConfig", ntp: { servers } };
}
