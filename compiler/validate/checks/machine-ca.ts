// The Talos API CA: a control plane signs with it, so it needs the key; a
// worker only trusts it, so it must not have the key. A redacted key
// ("******") counts as present.

import type { Check } from "../types.ts";
import { at, isSet, list, mapping, str } from "../../value.ts";

/** The Talos API CA is present, with its key on control planes and without it on workers. */
export const machineCA: Check = {
  id: "machine-ca",
  summary: "machine.ca is set, with a key on control planes and without one on workers",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined || !isSet(legacy.data.machine) || ctx.machineType === undefined) return;
    const ca = mapping(at(legacy.data, "machine.ca"));
    const accepted = list(at(legacy.data, "machine.acceptedCAs"));
    if (ca === undefined && accepted.length === 0) {
      report(legacy, "machine.ca", "is required: set the Talos API CA (machine.ca) or the CAs to accept (machine.acceptedCAs)");
      return;
    }
    if (ctx.controlPlane) {
      if (ca === undefined) report(legacy, "machine.ca", "is required on control plane nodes: set crt and key of the Talos API CA");
      else if (str(ca.key) === "") report(legacy, "machine.ca.key", "is required on control plane nodes: they sign Talos API certificates with it");
      return;
    }
    if (ca !== undefined) {
      if (str(ca.key) !== "") report(legacy, "machine.ca.key", "must be empty on worker nodes: only control planes hold the Talos API CA key");
      if (str(ca.crt) === "" && accepted.length === 0) report(legacy, "machine.ca.crt", "is required on worker nodes unless machine.acceptedCAs is set");
    }
    if (str(at(legacy.data, "cluster.ca.key")) !== "") {
      report(legacy, "cluster.ca.key", "must be empty on worker nodes: only control planes hold the Kubernetes CA key");
    }
  },
};
