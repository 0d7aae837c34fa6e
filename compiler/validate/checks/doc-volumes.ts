// Volume documents: VolumeConfig configures one of the system volumes Talos
// knows; the user, raw, swap, external and existing volume documents are named
// by what becomes a partition label (a prefix, then the name), and say where
// their volume lives. Their provisioning, encryption, filesystem, trim and
// scrub sections are judged as volume-specs.ts says; which of them a document
// may set depends on the volume.

import type { Contract } from "../../talos/contract.ts";
import type { Check } from "../types.ts";
import { goLower } from "../../talos/enums.ts";
import { documentCheck } from "./judged.ts";
import { at, child, isSet, isTrue, list, mapping, quote, str, type Mapping } from "../../value.ts";
import { byteSizeProblems, encryptionProblems, encryptionSet, filesystemProblems, maintenanceProblems, provisioningProblems, provisioningSet, scrubIntervalProblems, trimIntervalProblems, type Problems } from "./volume-specs.ts";

/** The system volumes a VolumeConfig may name, per contract. */
const SYSTEM_VOLUMES: Readonly<Record<Contract, readonly string[]>> = {
  "1.12": ["STATE", "EPHEMERAL", "IMAGECACHE"],
  "1.13": ["STATE", "EPHEMERAL", "IMAGECACHE"],
  "1.14": ["STATE", "EPHEMERAL", "IMAGECACHE", "ETCD", "CRI", "KUBELET", "LOG"],
};

/** A partition label has 36 bytes; the kind's two-character prefix ("u-", "r-", …) takes two. */
const MAX_NAME_BYTES = 36 - 2;

/** Kinds named by a partition label, and whether the label length applies (an existing volume's name is not a label). */
const NAMED_KINDS: ReadonlyArray<readonly [string, boolean]> = [
  ["UserVolumeConfig", true],
  ["RawVolumeConfig", true],
  ["SwapVolumeConfig", true],
  ["ExternalVolumeConfig", true],
  ["ExistingVolumeConfig", false],
];

function nameProblems(name: string, limited: boolean, problems: Problems): void {
  if (name === "") {
    problems.push(["name", "is required: letters, digits and hyphens, such as data-1"]);
    return;
  }
  if (limited && Buffer.byteLength(name) > MAX_NAME_BYTES) problems.push(["name", `${quote(name)} is ${Buffer.byteLength(name)} bytes long; a volume name has at most ${MAX_NAME_BYTES}`]);
  if (/[^A-Za-z0-9-]/.test(name)) problems.push(["name", `${quote(name)} is not a valid volume name; expected only ASCII letters, digits and hyphens, such as data-1`]);
}

/** The system volumes of 1.14 that live in a directory of EPHEMERAL unless provisioned onto a partition of their own. */
const PROMOTABLE = ["ETCD", "CRI", "KUBELET", "LOG"];

/** Whether a mount section sets anything: Talos compares it with the zero section, so a field set to false counts. */
function mountSet(m: Mapping | undefined): boolean {
  return m !== undefined && (isSet(m.secure) || isSet(m.disableAccessTime));
}

function judgeVolume(data: Mapping, contract: Contract): Problems {
  const name = str(data.name);
  const allowed = SYSTEM_VOLUMES[contract];
  if (!allowed.includes(name)) return [["name", `${name === "" ? "is required" : `${quote(name)} is not a system volume`}; a VolumeConfig configures one of ${allowed.join(", ")} (use a UserVolumeConfig for a volume of your own)`]];
  const problems: Problems = [];
  const provisioning = mapping(data.provisioning);
  const encryption = mapping(data.encryption);
  if (name === "STATE") {
    // STATE sits where the installer put it, and its keys cannot be locked to itself
    if (provisioningSet(provisioning)) problems.push(["provisioning", "cannot be set for STATE: its partition is made by the installer; remove it"]);
    list(encryption?.keys).forEach((k, i) => {
      if (isTrue(mapping(k)?.lockToState)) problems.push([`${child("encryption.keys", i)}.lockToState`, "cannot be true for STATE: a locked key is bound to a secret kept on STATE itself; remove it"]);
    });
  }
  if (contract === "1.14") {
    const mount = mountSet(mapping(data.mount));
    if (mount && (name === "STATE" || name === "IMAGECACHE")) problems.push(["mount", `cannot be set for ${name}: Talos mounts it its own way; remove it`]);
    problems.push(...byteSizeProblems(at(data, "filesystem.xfs.minAllocationGroupSize"), "filesystem.xfs.minAllocationGroupSize", contract));
    if (name === "IMAGECACHE" && isSet(at(data, "filesystem.xfs"))) problems.push(["filesystem", "cannot be set for IMAGECACHE: it is formatted ext4, so xfs options do not apply; remove it"]);
    if (mount && PROMOTABLE.includes(name) && !provisioningSet(provisioning)) problems.push(["mount", `can only be set for ${name} when it is provisioned onto a partition of its own: set provisioning (such as a diskSelector), or remove mount`]);
  }
  problems.push(...provisioningProblems(provisioning, contract, false, true), ...encryptionProblems(encryption), ...maintenanceProblems(data, contract));
  return problems;
}

/** What a user volume of each type is and what it may set; Talos refuses the other volume types for it. */
const USER_VOLUME_TYPES = ["partition", "disk", "directory"];

function judgeNamed(kind: string, limited: boolean, data: Mapping, contract: Contract): Problems {
  const problems: Problems = [];
  nameProblems(str(data.name), limited, problems);
  const provisioning = mapping(data.provisioning);
  const encryption = mapping(data.encryption);
  // Talos reads volume and filesystem types in any letter case
  const volumeType = goLower(str(data.volumeType)) || "partition";
  if (kind === "UserVolumeConfig" && volumeType === "directory") {
    const filesystem = mapping(data.filesystem);
    const unused: Array<[string, boolean]> = [
      ["provisioning", provisioningSet(provisioning)],
      ["encryption", encryptionSet(encryption)],
      ["filesystem", filesystem !== undefined && (str(filesystem.type) !== "" || isSet(filesystem.projectQuotaSupport) || isSet(filesystem.xfs))],
      ["mount", mountSet(mapping(data.mount))],
    ];
    for (const [key, set] of unused) if (set) problems.push([key, "cannot be set for volumeType directory: a directory volume lives on the EPHEMERAL volume; remove it or use volumeType partition"]);
  } else if (kind === "UserVolumeConfig" && (volumeType === "partition" || volumeType === "disk")) {
    const partition = volumeType === "partition";
    problems.push(...provisioningProblems(provisioning, contract, true, partition, "for volumeType disk: the volume takes the whole disk"), ...filesystemProblems(mapping(data.filesystem), contract), ...encryptionProblems(encryption));
  } else if (kind === "UserVolumeConfig") {
    problems.push(["volumeType", `${quote(data.volumeType)} is not supported for a user volume; expected ${USER_VOLUME_TYPES.join(", ")} (partition when left out)`]);
  }
  if (kind === "RawVolumeConfig" || kind === "SwapVolumeConfig") problems.push(...provisioningProblems(provisioning, contract, true, true), ...encryptionProblems(encryption));
  if (kind === "ExistingVolumeConfig" && str(at(data, "discovery.volumeSelector.match")) === "") {
    problems.push(["discovery.volumeSelector.match", "is required: an expression choosing the volume, such as volume.partition_label == \"DATA\""]);
  }
  if (kind === "ExternalVolumeConfig") {
    if (goLower(str(data.filesystemType)) !== "virtiofs") problems.push(["filesystemType", `${data.filesystemType === undefined ? "is required" : `${quote(data.filesystemType)} is not supported`}; expected virtiofs`]);
    else if (mapping(at(data, "mount.virtiofs")) === undefined) problems.push(["mount.virtiofs", "is required for a virtiofs volume: set its tag"]);
    else if (str(at(data, "mount.virtiofs.tag")) === "") problems.push(["mount.virtiofs.tag", "is required: the virtiofs tag the host shares the directory under"]);
  }
  if (kind === "UserVolumeConfig" || kind === "ExistingVolumeConfig") problems.push(...maintenanceProblems(data, contract));
  return problems;
}

/** Volume documents name a known system volume, or a valid label, and say where the volume is. */
export const docVolumes: Check = documentCheck({
  id: "doc-volumes",
  summary: "a VolumeConfig names a system volume and sets only what it may; other volume documents have a valid name and say where their volume is; provisioning has a disk selector and sizes that parse and fit, encryption is luks2 with keys in distinct slots each with a source, a user volume's filesystem is one Talos formats, trim and scrub intervals are in range",
  judges: [["VolumeConfig", judgeVolume], ...NAMED_KINDS.map(([kind, limited]) => [kind, (data: Mapping, contract: Contract) => judgeNamed(kind, limited, data, contract)] as const)],
});

function judgeZswap(data: Mapping): Problems {
  const percent = data.maxPoolPercent;
  return typeof percent === "number" && (percent < 0 || percent > 100) ? [["maxPoolPercent", `${percent} is out of range; expected a percentage of memory from 0 to 100`]] : [];
}

/** ZswapConfig caps its pool at a percentage of memory; the 1.14 filesystem trim and scrub documents have intervals in range. */
export const docSwapMaintenance: Check = documentCheck({
  id: "doc-zswap-trim-scrub",
  summary: "a ZswapConfig's maxPoolPercent is 0 to 100; a FilesystemTrimConfig interval is not negative, a FilesystemScrubConfig interval is 0 or at least 10s",
  judges: [
    ["ZswapConfig", judgeZswap],
    // both kinds are 1.14's: earlier releases refuse them as unknown kinds
    ["FilesystemTrimConfig", (data, contract) => (contract === "1.14" ? trimIntervalProblems(data.interval, "interval") : [])],
    ["FilesystemScrubConfig", (data, contract) => (contract === "1.14" ? scrubIntervalProblems(data.interval, "interval") : [])],
  ],
});
