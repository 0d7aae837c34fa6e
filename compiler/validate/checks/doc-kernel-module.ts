// KernelModuleConfig (1.14) loads a kernel module, named by the document.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { str, type Mapping } from "../../value.ts";

function judge(data: Mapping): Array<[string, string]> {
  return str(data.name) === "" ? [["name", "is required: the kernel module to load, such as br_netfilter"]] : [];
}

/** KernelModuleConfig names its module. */
export const docKernelModule: Check = documentCheck({
  id: "doc-kernel-module",
  summary: "a KernelModuleConfig names the kernel module to load",
  kind: "KernelModuleConfig",
  judge,
});
