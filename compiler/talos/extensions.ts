// The official Talos system extensions and their support tiers, as the
// extensions catalogue listed them on 2026-08-20. Every official extension is
// published under the siderolabs/ namespace; a schematic names it
// "siderolabs/<name>" and its image is ghcr.io/siderolabs/<name>.
// test/policy-extensions.test.ts compares this list with the reference copy
// in ../shared/upstream when that is present.

import { byCodeUnit } from "../compare.ts";
import { editDistance } from "../suggest.ts";

/** How an official extension is supported: core and extra by Sidero Labs, contrib by the community, deprecated on its way out. */
export type ExtensionTier = "core" | "extra" | "contrib" | "deprecated";

/** The tiers, most supported first. */
export const EXTENSION_TIERS: readonly ExtensionTier[] = ["core", "extra", "contrib", "deprecated"];

/** The namespace every official extension is published under. */
const OFFICIAL_NAMESPACE = "siderolabs";

/** The registry repository prefix of official extension images. */
const OFFICIAL_IMAGE_PREFIX = "ghcr.io/siderolabs/";

// Names without the namespace, per tier, alphabetical.
const BY_TIER: Readonly<Record<ExtensionTier, readonly string[]>> = {
  core: [
    "amazon-ena", "amd-ucode", "amdgpu", "bnx2-bnx2x", "ctr", "fuse3", "glibc", "gvisor", "i915",
    "intel-ice-firmware", "intel-ucode", "iscsi-tools", "mei", "metal-agent", "nonfree-kmod-nvidia-lts",
    "nonfree-kmod-nvidia-production", "nvidia-container-toolkit-lts", "nvidia-container-toolkit-production",
    "nvidia-fabricmanager-lts", "nvidia-fabricmanager-production", "nvidia-open-gpu-kernel-modules-lts",
    "nvidia-open-gpu-kernel-modules-production", "qemu", "qlogic-firmware", "realtek-firmware", "stargz-snapshotter",
    "xe",
  ],
  extra: [
    "binfmt-misc", "btrfs", "chelsio-drivers", "crun", "drbd", "ecr-credential-provider", "gasket-driver",
    "gpio-pinctrl", "gvisor-debug", "hailort", "harbor-credential-provider", "hyperv-guest-agent", "joydev",
    "kata-containers", "kata-containers-snp", "lldpd", "multipath-tools", "nfsd", "nvidia-gdrdrv-device", "px-fuse",
    "qemu-guest-agent", "soci-snapshotter", "spin", "tailscale", "tenstorrent", "thunderbolt", "uhid", "uinput",
    "usb-modem-drivers", "v4l-uvc-drivers", "vc4", "vmtoolsd-guest-agent", "wasmedge", "xdma-driver",
    "xen-guest-agent", "zfs",
  ],
  contrib: [
    "bird2", "cachefilesd", "chelsio-firmware", "cloudflared", "dvb-cx23885", "dvb-m88ds3103", "intel-npu",
    "mellanox-mstflint", "nebula", "netbird", "newt", "nfs-utils", "nfsrahead", "nut-client", "nvme-cli", "panfrost",
    "revpi-firmware", "rockchip-rknn", "trident-iscsi-tools", "usb-audio-drivers", "util-linux-tools", "youki",
    "zerotier",
  ],
  deprecated: [
    "mdadm",
  ],
};

/** One official extension. */
export interface OfficialExtension {
  /** The schematic name, "siderolabs/<name>". */
  name: string;
  tier: ExtensionTier;
}

/** Every official extension, by tier, then name. */
export const OFFICIAL_EXTENSIONS: readonly OfficialExtension[] = EXTENSION_TIERS.flatMap((tier) =>
  BY_TIER[tier].map((short) => ({ name: `${OFFICIAL_NAMESPACE}/${short}`, tier })),
);

const BY_NAME: ReadonlyMap<string, OfficialExtension> = new Map(OFFICIAL_EXTENSIONS.map((e) => [e.name, e]));

/**
 * The schematic name an extension reference stands for: "siderolabs/x" as it
 * is, and an image reference "ghcr.io/siderolabs/x:tag" or "…@sha256:…" as
 * "siderolabs/x". Anything else is returned unchanged (trimmed).
 */
export function extensionName(ref: string): string {
  let name = ref.trim();
  if (name.startsWith(OFFICIAL_IMAGE_PREFIX)) {
    name = name.slice("ghcr.io/".length).replace(/@.*$/, "");
    const colon = name.lastIndexOf(":");
    if (colon > name.lastIndexOf("/")) name = name.slice(0, colon);
  }
  return name;
}

/** The official extension a name or image reference stands for, if it is one. */
export function officialExtension(ref: string): OfficialExtension | undefined {
  return BY_NAME.get(extensionName(ref));
}


/**
 * The official extension names closest to an unknown one, best first (at
 * most `limit`), for "did you mean". The namespace may be left out or
 * misspelt: "iscsi-tool" and "sidero/iscsi-tools" both suggest
 * "siderolabs/iscsi-tools". Empty when nothing is close enough to be a typo.
 */
export function closestExtensions(name: string, limit = 3): string[] {
  const wanted = extensionName(name);
  const short = wanted.includes("/") ? wanted.slice(wanted.lastIndexOf("/") + 1) : wanted;
  if (short === "") return [];
  const scored = OFFICIAL_EXTENSIONS.map((e) => {
    const own = e.name.slice(OFFICIAL_NAMESPACE.length + 1);
    return { name: e.name, d: Math.min(editDistance(short, own), editDistance(wanted, e.name)), contains: own.includes(short) || short.includes(own) };
  });
  const threshold = Math.max(2, Math.floor(short.length / 3));
  return scored
    .filter((s) => s.d <= threshold || (s.contains && short.length >= 3))
    .sort((a, b) => a.d - b.d || byCodeUnit(a.name, b.name))
    .slice(0, limit)
    .map((s) => s.name);
}
