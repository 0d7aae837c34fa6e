// Releases, their default Kubernetes versions and the Kubernetes minors each
// supports, and the images Talos writes into a config.

import { talosLine, type Contract } from "./contract.ts";
import { TalcError } from "../errors.ts";

/** What a Talos release line ships with. */
export interface ReleaseFacts {
  /** The newest release of the line talc knows. */
  talosVersion: string;
  /** The Kubernetes version that release generates by default. */
  defaultKubernetesVersion: string;
  /** The oldest and newest supported Kubernetes minor, as "1.N". */
  kubernetesMinors: readonly [string, string];
}

/** Facts per contract. A release supports six Kubernetes minors ending at its default. */
export const RELEASES: Readonly<Record<Contract, ReleaseFacts>> = {
  "1.12": { talosVersion: "v1.12.11", defaultKubernetesVersion: "1.35.4", kubernetesMinors: ["1.30", "1.35"] },
  "1.13": { talosVersion: "v1.13.9", defaultKubernetesVersion: "1.36.3", kubernetesMinors: ["1.31", "1.36"] },
  "1.14": { talosVersion: "v1.14.0-rc.1", defaultKubernetesVersion: "1.37.0-rc.0", kubernetesMinors: ["1.32", "1.37"] },
};

/** The newest release line with a stable release (1.14 has release candidates only). */
export const STABLE_CONTRACT: Contract = "1.13";

/** Image repositories; a config names each with the tag `v<kubernetes version>`. */
export const IMAGES = {
  kubelet: "ghcr.io/siderolabs/kubelet",
  apiServer: "registry.k8s.io/kube-apiserver",
  controllerManager: "registry.k8s.io/kube-controller-manager",
  scheduler: "registry.k8s.io/kube-scheduler",
  proxy: "registry.k8s.io/kube-proxy",
} as const;

/** An image reference for a Kubernetes component at a version. */
export function kubernetesImage(repository: string, kubernetesVersion: string): string {
  return `${repository}:v${kubernetesVersion}`;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Parses an exact Kubernetes version ("1.36.3", "v1.37.0-rc.0") into its parts, without the "v". */
export function parseKubernetesVersion(version: string, path = "kubernetes-version"): { version: string; minor: string } {
  const m = SEMVER.exec(version.trim());
  if (!m) {
    throw new TalcError(`"${version}" is not an exact Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.36.3`, {
      code: "bad-version",
      stage: "talos",
      path,
    });
  }
  return { version: version.trim().replace(/^v/, ""), minor: `${m[1]}.${m[2]}` };
}

function minorNumber(minor: string): number {
  const [major, min] = minor.split(".").map(Number);
  return major * 1000 + min;
}

/**
 * For a Talos version built as an older contract (1.15 as 1.14), the words saying whose support
 * window it was checked against; empty otherwise.
 */
export function windowBorrowedBy(contract: Contract, talosVersion: string | undefined): string {
  const line = (talosVersion === undefined ? undefined : talosLine(talosVersion)) ?? contract;
  return line === contract ? "" : `, the window talc checks Talos ${line} against`;
}

/**
 * Whether a Kubernetes version is inside the support window of a contract's release; if not, why.
 * `talosVersion`, the version asked for, names it in the message when it is built as another contract.
 */
export function kubernetesSupport(contract: Contract, kubernetesVersion: string, talosVersion?: string): { supported: boolean; message?: string } {
  const { minor } = parseKubernetesVersion(kubernetesVersion);
  const [lo, hi] = RELEASES[contract].kubernetesMinors;
  const n = minorNumber(minor);
  if (n >= minorNumber(lo) && n <= minorNumber(hi)) return { supported: true };
  return {
    supported: false,
    message: `kubernetes ${kubernetesVersion} is outside what Talos ${contract} supports (${lo} to ${hi})${windowBorrowedBy(contract, talosVersion)}`,
  };
}
