// LVM documents (1.14): an LVMVolumeGroupConfig makes a volume group of the volumes its selector
// matches, an LVMLogicalVolumeConfig carves a logical volume out of a group. Names take at most
// 63 characters; mirrors and stripes only mean something for the layouts that use them; a logical
// volume names its group and sizes Talos reads, the maximum not negative and not below the minimum.

import type { Contract } from "../../talos/contract.ts";
import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { selectorProblems, storageNameProblems } from "./doc-raid.ts";
import { readSize, sizeText } from "./volume-specs.ts";
import { goLower } from "../../talos/enums.ts";
import { mapping, quote, str, type Mapping } from "../../value.ts";

function judgeGroup(data: Mapping): Array<[string, string]> {
  return [...storageNameProblems(str(data.name), 63, "vg-pool"), ...selectorProblems(data, "volumes to make physical volumes of")];
}

function judgeVolume(data: Mapping, contract: Contract): Array<[string, string]> {
  const problems = storageNameProblems(str(data.name), 63, "lv-data");
  // the layout is read in any letter case; left out, it is linear
  const type = goLower(str(data.type)) || "linear";
  const mirrors = data.mirrors;
  if (typeof mirrors === "number") {
    if (type !== "raid1" && type !== "raid10") problems.push(["mirrors", `cannot be set for type ${type}: mirrors are only for raid1 and raid10`]);
    else if (mirrors < 1) problems.push(["mirrors", `${mirrors} is too few; expected at least 1 (a two-way mirror), or left out`]);
  }
  const stripes = data.stripes;
  if (typeof stripes === "number") {
    if (type !== "raid0" && type !== "raid10") problems.push(["stripes", `cannot be set for type ${type}: stripes are only for raid0 and raid10`]);
    else if (stripes < 2) problems.push(["stripes", `${stripes} is too few; expected at least 2, or left out for every physical volume`]);
  }
  const provisioning = mapping(data.provisioning) ?? {};
  if (str(provisioning.volumeGroup) === "") problems.push(["provisioning.volumeGroup", "is required: the volume group to make the logical volume in, such as vg-pool"]);
  // the sizes are a volume's: read, and refused when unreadable, as volume-specs reads them
  const min = readSize(provisioning.minSize, contract, false);
  const max = readSize(provisioning.maxSize, contract, true);
  const maxText = sizeText(provisioning.maxSize);
  if ("error" in min) problems.push(["provisioning.minSize", min.error]);
  if ("error" in max) problems.push(["provisioning.maxSize", max.error]);
  else if (!max.set) problems.push(["provisioning.maxSize", "is required: the largest size of the volume, such as 50GiB or 80%"]);
  else if (max.negative) problems.push(["provisioning.maxSize", `${quote(maxText)} is negative; expected a size such as 50GiB or 80%`]);
  if ("error" in min || "error" in max) return problems;
  // only absolute sizes compare (by their bytes, a sign aside): a percentage of the group is known once it exists
  if (min.set && !(max.set && max.relative) && min.value > (max.set ? max.value : 0)) {
    problems.push(["provisioning.minSize", `${quote(sizeText(provisioning.minSize))} is larger than maxSize${max.set ? ` ${quote(maxText)}` : ""}; expected at most the maximum size`]);
  }
  return problems;
}

/** LVMVolumeGroupConfig has a name and a physical volume selector. */
export const docLVMVolumeGroup: Check = documentCheck({
  id: "doc-lvm-volume-group",
  summary: "an LVMVolumeGroupConfig is named with 1 to 63 ASCII letters, digits, hyphens and underscores, and selects its physical volumes with provisioning.volumeSelector.match",
  kind: "LVMVolumeGroupConfig",
  judge: judgeGroup,
});

/** LVMLogicalVolumeConfig has a name, mirrors and stripes fitting its type, a group and a maximum size. */
export const docLVMLogicalVolume: Check = documentCheck({
  id: "doc-lvm-logical-volume",
  summary: "an LVMLogicalVolumeConfig is named with 1 to 63 ASCII letters, digits, hyphens and underscores, sets mirrors only for raid1/raid10 (at least 1) and stripes only for raid0/raid10 (at least 2), and names its volumeGroup and sizes Talos reads, a maxSize not negative nor below minSize",
  kind: "LVMLogicalVolumeConfig",
  judge: judgeVolume,
});
