// machine.features of the v1alpha1 document: Kubernetes access to the Talos
// API is served by control planes only and grants Talos roles, which must
// exist in the release; the node address sort algorithm is v1 or v2.

import type { Check } from "../types.ts";
import type { Contract } from "../../talos/contract.ts";
import { oncePerSealed } from "../../talos/typed.ts";
import { at, child, isMapping, isTrue, list, quote, str, type Mapping } from "../../value.ts";

// every release grants these
const ROLES_1_12 = ["os:admin", "os:operator", "os:reader", "os:etcd:backup", "os:impersonator"];
// 1.13 adds roles for image verification and META writes
const ROLES_1_13 = ["os:admin", "os:operator", "os:reader", "os:etcd:backup", "os:image:verifier", "os:meta:writer", "os:impersonator"];

/** The Talos roles a release can grant. */
function talosRoles(contract: Contract): readonly string[] {
  return contract === "1.12" ? ROLES_1_12 : ROLES_1_13;
}

const SORT_ALGORITHMS = ["v1", "v2"];

interface Judged {
  /** kubernetesTalosAPIAccess.enabled is true. */
  apiAccess: boolean;
  /** Allowed roles outside 1.12's set (which 1.13's contains): [index, role]; the contract's set decides which are reported. */
  roles: ReadonlyArray<readonly [number, unknown]>;
  /** The problem with nodeAddressSortAlgorithm, if any. */
  sort?: string;
}

const ACCESS = "machine.features.kubernetesTalosAPIAccess";

// The nodes of a role share one sealed v1alpha1 document: its features are read once.
const judge = oncePerSealed((data: Mapping): Judged => {
  const features = at(data, "machine.features");
  if (!isMapping(features)) return { apiAccess: false, roles: [] };
  const access = features.kubernetesTalosAPIAccess;
  const apiAccess = isMapping(access) && isTrue(access.enabled);
  const roles: Array<[number, unknown]> = [];
  if (apiAccess) {
    list(access.allowedRoles).forEach((r, i) => {
      if (typeof r !== "string" || !ROLES_1_12.includes(r)) roles.push([i, r]);
    });
  }
  const algorithm = str(features.nodeAddressSortAlgorithm);
  // Talos looks the name up as written, then lowercased
  const sort = algorithm !== "" && !SORT_ALGORITHMS.includes(algorithm.toLowerCase())
    ? `${quote(algorithm)} is not a node address sort algorithm; expected v1 or v2`
    : undefined;
  return { apiAccess, roles, sort };
});

/** Kubernetes Talos API access only on control planes, with known roles; a known address sort algorithm. */
export const machineFeatures: Check = {
  id: "machine-features",
  summary: "kubernetesTalosAPIAccess is only enabled on control planes and grants known roles; nodeAddressSortAlgorithm is v1 or v2",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    const judged = judge(legacy.data);
    if (judged.apiAccess) {
      if (!ctx.controlPlane) report(legacy, `${ACCESS}.enabled`, "can only be true on control plane nodes (machine.type: controlplane); they serve the Talos API to Kubernetes");
      const known = talosRoles(ctx.contract);
      for (const [i, role] of judged.roles) {
        if (typeof role === "string" && known.includes(role)) continue;
        report(legacy, child(`${ACCESS}.allowedRoles`, i), `${quote(role)} is not a talos role in talos ${ctx.contract}; expected one of ${known.join(", ")}`);
      }
    }
    if (judged.sort !== undefined) report(legacy, "machine.features.nodeAddressSortAlgorithm", judged.sort);
  },
};
