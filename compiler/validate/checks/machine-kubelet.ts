// machine.kubelet of the v1alpha1 document: the node IP subnets must parse,
// and extraConfig may not override the kubelet settings Talos owns (its
// port, authentication, cgroups, static pod path and the like), which the
// kubelet would otherwise run with and Talos would no longer manage.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { isSubnetOrAddress } from "../net.ts";
import { at, child, isMapping, list, quote, str, type Mapping } from "../../value.ts";

/** KubeletConfiguration fields Talos sets itself and refuses in extraConfig (the same in 1.12 to 1.14). */
export const PROTECTED_KUBELET_FIELDS: readonly string[] = [
  "apiVersion",
  "authentication",
  "authorization",
  "cgroupRoot",
  "kind",
  "kubeletCgroups",
  "port",
  "protectKernelDefaults",
  "resolvConf",
  "rotateCertificates",
  "systemCgroups",
  "staticPodPath",
  "seccompDefault",
];

// The problems of a v1alpha1 document's kubelet section (documentCheck runs it once for the nodes sharing the document).
function judge(data: Mapping): Found {
  const kubelet = at(data, "machine.kubelet");
  if (!isMapping(kubelet)) return [];
  const found: Array<[string, string]> = [];
  list(at(kubelet, "nodeIP.validSubnets")).forEach((v, i) => {
    if (!isSubnetOrAddress(str(v).replace(/^!/, ""))) {
      found.push([child("machine.kubelet.nodeIP.validSubnets", i), `${quote(v)} is not a valid subnet; expected an address or prefix such as 10.0.0.0/8, optionally negated with !`]);
    }
  });
  const extra = kubelet.extraConfig;
  if (isMapping(extra)) {
    for (const field of PROTECTED_KUBELET_FIELDS) {
      if (Object.hasOwn(extra, field)) found.push([child("machine.kubelet.extraConfig", field), `cannot be overridden: talos sets the kubelet's ${field} itself; remove it from extraConfig`]);
    }
  }
  return found;
}

/** machine.kubelet has valid node IP subnets and leaves the protected kubelet fields alone. */
export const machineKubelet: Check = documentCheck({
  id: "machine-kubelet",
  summary: "machine.kubelet.nodeIP.validSubnets are subnets, and extraConfig does not override fields talos manages",
  kind: "v1alpha1",
  judge,
});
