// Volume documents: VolumeConfig configures one of the system volumes Talos
// knows; the user, raw, swap, external and existing volume documents are named
// by what becomes a partition label (a prefix, then the name), and say where
// their volume lives.

import type { Contract } from "../../talos/contract.ts";
import type { Check } from "../types.ts";
import { goLower } from "../../talos/enums.ts";
import { documentCheck } from "./judged.ts";
import { at, isSet, list, mapping, quote, str, type Mapping } from "../../value.ts";

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

type Problems = Array<[string, string]>;

function nameProblems(name: string, limited: boolean, problems: Problems): void {
  if (name === "") {
    problems.push(["name", "is required: letters, digits and hyphens, such as data-1"]);
    return;
  }
  if (limited && Buffer.byteLength(name) > MAX_NAME_BYTES) problems.push(["name", `${quote(name)} is ${Buffer.byteLength(name)} bytes long; a volume name has at most ${MAX_NAME_BYTES}`]);
  if (/[^A-Za-z0-9-]/.test(name)) problems.push(["name", `${quote(name)} is not a valid volume name; expected only ASCII letters, digits and hyphens, such as data-1`]);
}

/** Whether a provisioning section sets anything (Talos's ProvisioningSpec.IsZero). */
function provisioningSet(p: Mapping | undefined): boolean {
  if (p === undefined) return false;
  return isSet(p.grow) || isSet(p.minSize) || isSet(p.maxSize) || str(at(p, "diskSelector.match")) !== "";
}

function judgeVolume(data: Mapping, contract: Contract): Problems {
  const name = str(data.name);
  const allowed = SYSTEM_VOLUMES[contract];
  if (allowed.includes(name)) return [];
  return [["name", `${name === "" ? "is required" : `${quote(name)} is not a system volume`}; a VolumeConfig configures one of ${allowed.join(", ")} (use a UserVolumeConfig for a volume of your own)`]];
}

function judgeNamed(kind: string, limited: boolean, data: Mapping): Problems {
  const problems: Problems = [];
  nameProblems(str(data.name), limited, problems);
  // Talos reads volume and filesystem types in any letter case
  if (kind === "UserVolumeConfig" && goLower(str(data.volumeType)) === "directory") {
    const encryption = mapping(data.encryption);
    const filesystem = mapping(data.filesystem);
    const mount = mapping(data.mount);
    const unused: Array<[string, boolean]> = [
      ["provisioning", provisioningSet(mapping(data.provisioning))],
      ["encryption", encryption !== undefined && (str(encryption.provider) !== "" || list(encryption.keys).length > 0)],
      ["filesystem", filesystem !== undefined && (str(filesystem.type) !== "" || isSet(filesystem.projectQuotaSupport) || isSet(filesystem.xfs))],
      ["mount", mount !== undefined && (isSet(mount.disableAccessTime) || isSet(mount.secure))],
    ];
    for (const [key, set] of unused) if (set) problems.push([key, "cannot be set for volumeType directory: a directory volume lives on the EPHEMERAL volume; remove it or use volumeType partition"]);
  }
  if (kind === "ExistingVolumeConfig" && str(at(data, "discovery.volumeSelector.match")) === "") {
    problems.push(["discovery.volumeSelector.match", "is required: an expression choosing the volume, such as volume.partition_label == \"DATA\""]);
  }
  if (kind === "ExternalVolumeConfig") {
    if (goLower(str(data.filesystemType)) !== "virtiofs") problems.push(["filesystemType", `${data.filesystemType === undefined ? "is required" : `${quote(data.filesystemType)} is not supported`}; expected virtiofs`]);
    else if (mapping(at(data, "mount.virtiofs")) === undefined) problems.push(["mount.virtiofs", "is required for a virtiofs volume: set its tag"]);
    else if (str(at(data, "mount.virtiofs.tag")) === "") problems.push(["mount.virtiofs.tag", "is required: the virtiofs tag the host shares the directory under"]);
  }
  return problems;
}

/** Volume documents name a known system volume, or a valid label, and say where the volume is. */
export const docVolumes: Check = documentCheck({
  id: "doc-volumes",
  summary: "a VolumeConfig names a system volume; other volume documents have a valid name and say where their volume is",
  judges: [["VolumeConfig", judgeVolume], ...NAMED_KINDS.map(([kind, limited]) => [kind, (data: Mapping) => judgeNamed(kind, limited, data)] as const)],
});
