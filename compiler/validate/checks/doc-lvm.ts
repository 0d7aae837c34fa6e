// LVM documents (1.14): an LVMVolumeGroupConfig makes a volume group of the volumes its selector
// matches, an LVMLogicalVolumeConfig carves a logical volume out of a group. Names take at most
// 63 characters; mirrors and stripes only mean something for the layouts that use them; a logical
// volume names its group and a maximum size that is not negative and not below its minimum.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { selectorProblems, storageNameProblems } from "./doc-raid.ts";
import { sizeText } from "./volume-specs.ts";
import { goLower } from "../../talos/enums.ts";
import { parseByteSize } from "../../talos/typed.ts";
import { mapping, quote, str, type Mapping } from "../../value.ts";

/** A byte size as Talos reads it (a leading minus aside), or undefined when it is not one. */
function byteSize(text: string): number | undefined {
  return parseByteSize(text.replace(/^-/, ""));
}

function judgeGroup(data: Mapping): Array<[string, string]> {
  return [...storageNameProblems(str(data.name), 63, "vg-pool"), ...selectorProblems(data, "volumes to make physical volumes of")];
}

function judgeVolume(data: Mapping): Array<[string, string]> {
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
  const max = sizeText(provisioning.maxSize);
  const min = sizeText(provisioning.minSize);
  if (max === "") problems.push(["provisioning.maxSize", "is required: the largest size of the volume, such as 50GiB or 80%"]);
  else if (max.startsWith("-")) problems.push(["provisioning.maxSize", `${quote(max)} is negative; expected a size such as 50GiB or 80%`]);
  // only absolute sizes compare: a percentage of the group is known once it exists
  if (min !== "" && !max.includes("%")) {
    const minBytes = byteSize(min);
    const maxBytes = max === "" ? 0 : byteSize(max);
    if (minBytes !== undefined && maxBytes !== undefined && minBytes > maxBytes) {
      problems.push(["provisioning.minSize", `${quote(min)} is larger than maxSize${max === "" ? "" : ` ${quote(max)}`}; expected at most the maximum size`]);
    }
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
  summary: "an LVMLogicalVolumeConfig is named with 1 to 63 ASCII letters, digits, hyphens and underscores, sets mirrors only for raid1/raid10 (at least 1) and stripes only for raid0/raid10 (at least 2), and names its volumeGroup and a maxSize not negative nor below minSize",
  kind: "LVMLogicalVolumeConfig",
  judge: judgeVolume,
});
