// machine.disks of the v1alpha1 document: a partition without a size (or of
// size 0) takes the rest of the disk, so only the last one may do that.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { parseByteSize } from "../../talos/typed.ts";
import { at, child, isMapping, list, mapping, quote, str, type Mapping } from "../../value.ts";

/** Whether a partition size reads as 0 bytes (left out, 0, "0GB", "0.5"); an unreadable size is not 0. */
function isZeroSize(size: unknown): boolean {
  if (size === undefined || size === null) return true;
  if (typeof size === "number") return size >= 0 && size < 1;
  return typeof size === "string" && parseByteSize(size) === 0;
}

// The problems of a v1alpha1 document's disks (documentCheck runs it once for the nodes sharing the document).
function judge(data: Mapping): Found {
  const found: Array<[string, string]> = [];
  list(at(data, "machine.disks")).forEach((d, i) => {
    const disk = mapping(d);
    if (disk === undefined) return;
    const partitions = list(disk.partitions);
    partitions.forEach((p, j) => {
      if (!isMapping(p) || j === partitions.length - 1 || !isZeroSize(p.size)) return;
      const device = str(disk.device);
      found.push([
        `${child(`${child("machine.disks", i)}.partitions`, j)}.size`,
        `is ${p.size === undefined || p.size === null ? "not set" : quote(p.size)}, so the partition takes the rest of ${device === "" ? "the disk" : quote(device)}, but it is not the last one; give it a size such as 10GB, or move it last`,
      ]);
    });
  });
  return found;
}

/** Only the last partition of a disk may take the rest of it. */
export const machineDisks: Check = documentCheck({
  id: "machine-disks",
  summary: "only the last partition of each machine.disks entry may leave out its size",
  kind: "v1alpha1",
  judge,
});
