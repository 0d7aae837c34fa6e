// etcd runs only on control plane nodes, and needs its CA there.

import type { Check } from "../types.ts";
import { isSubnetOrAddress } from "../net.ts";
import { at, child, isSet, list, mapping, quote, str } from "../../value.ts";

/** cluster.etcd only on control planes, with a CA and valid subnets. */
export const etcd: Check = {
  id: "etcd",
  summary: "cluster.etcd is only set on control planes, with a CA and valid subnets",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined || ctx.machineType === undefined) return;
    const etcd = at(legacy.data, "cluster.etcd");
    if (!isSet(etcd)) return;
    if (!ctx.controlPlane) {
      report(legacy, "cluster.etcd", "must not be set on worker nodes: etcd runs only on control planes");
      return;
    }
    const e = mapping(etcd) ?? {};
    if (!isSet(e.ca)) report(legacy, "cluster.etcd.ca", "is required on control plane nodes: set crt and key of the etcd CA");
    if (str(e.subnet) !== "" && list(e.advertisedSubnets).length > 0) {
      report(legacy, "cluster.etcd.subnet", "cannot be set together with advertisedSubnets; use advertisedSubnets only");
    }
    for (const field of ["advertisedSubnets", "listenSubnets"]) {
      list(e[field]).forEach((v, i) => {
        const cidr = str(v).replace(/^!/, "");
        if (!isSubnetOrAddress(cidr)) report(legacy, child(`cluster.etcd.${field}`, i), `${quote(v)} is not valid; expected a subnet or address such as 10.0.0.0/8, optionally negated with !`);
      });
    }
  },
};
