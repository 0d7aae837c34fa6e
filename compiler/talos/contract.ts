// Version contracts: which layout Talos generates for a target release. Every
// difference between the supported contracts is a named gate here, so the
// generator reads as "if the contract has X" and never compares versions.

import { TalcError } from "../errors.ts";
import type { GoURLOptions } from "./typed.ts";

/** A supported version contract, `major.minor` of the target Talos release. */
export type Contract = "1.12" | "1.13" | "1.14";

/** The contracts talc generates, oldest first. 1.15 generates what 1.14 does. */
export const CONTRACTS: readonly Contract[] = ["1.12", "1.13", "1.14"];

/** The contract used when none is asked for: the newest. */
export const DEFAULT_CONTRACT: Contract = "1.14";

/** The layout decisions that differ between supported contracts. */
export interface ContractGates {
  /** KubeSpan is its own `KubeSpanConfig` document rather than `machine.network.kubespan`. */
  kubeSpanDocument: boolean;
  /** `machine.network: {}` is written even when empty. */
  emptyMachineNetwork: boolean;
  /** Host DNS is configured in `ResolverConfig` rather than `machine.features.hostDNS`. */
  hostDNSDocument: boolean;
  /** Discovery is `DiscoveryServiceConfig`, and cluster id/secret are `DiscoveryIdentityConfig`. */
  discoveryDocuments: boolean;
  /** Installation is `UnattendedInstallConfig` (only with a disk) rather than `machine.install`. */
  unattendedInstall: boolean;
  /** Kubernetes settings are the `Kube*Config` documents rather than `machine.kubelet` and `cluster.*`. */
  kubernetesDocuments: boolean;
  /** Sysctls are a `SysctlConfig` document rather than `machine.sysctls`. */
  sysctlDocument: boolean;
  /** EPHEMERAL is mounted secure and filesystems are trimmed weekly by default. */
  volumeDefaults: boolean;
  /** Workload isolation is on by default (`SecurityProfileConfig`). */
  securityProfile: boolean;
  /** Kernel modules are a document of their own; picks the stability patch Talos's tests use. */
  kernelModuleDocument: boolean;
  /** The cluster id is standard base64 rather than URL-safe base64. */
  standardBase64ClusterID: boolean;
  /** One strategic patch may hold the same document more than once (before, Talos loaded a patch as a config). */
  duplicatePatchDocuments: boolean;
  /** A document end marker (`...`) before any document reads as no document; before 1.14, Talos's YAML reader refused it. */
  bareDocumentEnd: boolean;
  /**
   * url.Parse refuses an http or https host with a second colon outside brackets: Go 1.26's
   * urlstrictcolons, on by default since Talos's go.mod says go 1.26 and sets no godebug
   * (1.12 is built with Go 1.25, which has no such setting).
   */
  strictURLColons: boolean;
}

const FROM_1_13: ReadonlySet<keyof ContractGates> = new Set(["kubeSpanDocument", "strictURLColons"]);
const FROM_1_14: ReadonlySet<keyof ContractGates> = new Set([
  "hostDNSDocument",
  "discoveryDocuments",
  "unattendedInstall",
  "kubernetesDocuments",
  "sysctlDocument",
  "volumeDefaults",
  "securityProfile",
  "kernelModuleDocument",
  "standardBase64ClusterID",
  "duplicatePatchDocuments",
  "bareDocumentEnd",
]);

function gatesOf(contract: Contract): Readonly<ContractGates> {
  const minor = Number(contract.split(".")[1]);
  const on = (gate: keyof ContractGates): boolean => (FROM_1_14.has(gate) ? minor >= 14 : FROM_1_13.has(gate) ? minor >= 13 : false);
  return Object.freeze({
    kubeSpanDocument: on("kubeSpanDocument"),
    emptyMachineNetwork: !on("kubeSpanDocument"),
    hostDNSDocument: on("hostDNSDocument"),
    discoveryDocuments: on("discoveryDocuments"),
    unattendedInstall: on("unattendedInstall"),
    kubernetesDocuments: on("kubernetesDocuments"),
    sysctlDocument: on("sysctlDocument"),
    volumeDefaults: on("volumeDefaults"),
    securityProfile: on("securityProfile"),
    kernelModuleDocument: on("kernelModuleDocument"),
    standardBase64ClusterID: on("standardBase64ClusterID"),
    duplicatePatchDocuments: on("duplicatePatchDocuments"),
    bareDocumentEnd: on("bareDocumentEnd"),
    strictURLColons: on("strictURLColons"),
  });
}

// A contract's gates never change: one frozen table per contract, read for every node.
const GATES = new Map(CONTRACTS.map((c) => [c, gatesOf(c)]));

/** The gates of a contract (frozen and shared). */
export function gates(contract: Contract): Readonly<ContractGates> {
  return GATES.get(contract)!;
}

const URL_OPTIONS = new Map(CONTRACTS.map((c): [Contract, GoURLOptions] => [c, Object.freeze({ strictColons: gates(c).strictURLColons })]));

/** How Go's url.Parse reads URLs in a contract's release; without a contract, in the newest (typeSystem() without one). */
export function goURLOptions(contract: Contract = DEFAULT_CONTRACT): GoURLOptions {
  return URL_OPTIONS.get(contract)!;
}

/** The release line ("1.14") a Talos version names (v1.14, 1.14.2, v1.14.0-beta.1, leading zeros dropped); undefined when it names none. */
export function talosLine(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:$|\.)/.exec(version.trim());
  return m === null ? undefined : `${Number(m[1])}.${Number(m[2])}`;
}

/**
 * The contract of a Talos version: "v1.13", "1.13.9", "v1.14.0-rc.1" all
 * name one. 1.15 maps to 1.14, whose layout it keeps.
 */
export function parseContract(version: string, path = "talos-version"): Contract {
  const key = talosLine(version);
  const valid = `one of ${CONTRACTS.map((c) => "v" + c).join(", ")}, v1.15 (which builds as v1.14), or a full version such as v1.13.9`;
  if (key === undefined) {
    throw new TalcError(`"${version}" is not a Talos version; expected ${valid}`, { code: "bad-version", stage: "talos", path });
  }
  if (key === "1.15") return "1.14";
  if (!(CONTRACTS as readonly string[]).includes(key)) {
    throw new TalcError(`Talos v${key} is not a supported version contract; expected ${valid}`, {
      code: "unknown-contract",
      stage: "talos",
      path,
    });
  }
  return key as Contract;
}
