// Which CNI Talos installs: flannel (its own), custom (from URLs) or none.

import type { Check } from "../types.ts";
import { endpointProblem } from "../net.ts";
import { goURLOptions } from "../../talos/contract.ts";
import { at, child, isTrue, list, mapping, quote, str } from "../../value.ts";

const NAMES = ["flannel", "custom", "none"];

/** The CNI settings agree with the chosen CNI. */
export const cni: Check = {
  id: "cni",
  summary: "the CNI is flannel, custom or none; only custom takes URLs, only flannel takes flannel settings",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined || !ctx.controlPlane) return;
    const cni = mapping(at(legacy.data, "cluster.network.cni"));
    if (cni === undefined) return;
    const name = str(cni.name);
    const base = "cluster.network.cni";
    if (!NAMES.includes(name)) {
      report(legacy, `${base}.name`, `${quote(cni.name ?? "")} is not a CNI talos knows; expected flannel, custom or none`);
      return;
    }
    const urls = list(cni.urls);
    if (name !== "custom" && urls.length > 0) report(legacy, `${base}.urls`, `must be empty for the ${name} CNI; URLs are only read with name: custom`);
    if (name !== "flannel") {
      if (list(at(cni, "flannel.extraArgs")).length > 0) report(legacy, `${base}.flannel.extraArgs`, `must be empty for the ${name} CNI; flannel settings only apply with name: flannel`);
      if (ctx.contract !== "1.12" && isTrue(at(cni, "flannel.kubeNetworkPoliciesEnabled"))) {
        report(legacy, `${base}.flannel.kubeNetworkPoliciesEnabled`, `must not be enabled for the ${name} CNI; flannel settings only apply with name: flannel`);
      }
    }
    if (name === "custom") {
      urls.forEach((u, i) => {
        const why = endpointProblem(str(u), goURLOptions(ctx.contract));
        if (why !== undefined) report(legacy, child(`${base}.urls`, i), `${quote(u)} ${why}; expected a manifest URL such as https://example.com/cni.yaml`);
      });
    }
  },
};
