// cluster.externalCloudProvider of the v1alpha1 document: its manifests are
// only applied while it is enabled, and each is a URL to fetch.

import type { Check } from "../types.ts";
import { endpointProblem } from "../net.ts";
import { oncePerSealed } from "../../talos/typed.ts";
import { at, child, isMapping, isTrue, list, quote, str, type Mapping } from "../../value.ts";

const BASE = "cluster.externalCloudProvider";

// The nodes of a role share one sealed v1alpha1 document: its cloud provider settings are judged once.
const judge = oncePerSealed((data: Mapping): ReadonlyArray<readonly [string, string]> => {
  const ecp = at(data, BASE);
  if (!isMapping(ecp)) return [];
  const manifests = list(ecp.manifests);
  if (!isTrue(ecp.enabled)) {
    return manifests.length > 0 ? [[`${BASE}.manifests`, "must be empty while the external cloud provider is disabled; set enabled: true to apply them"]] : [];
  }
  const found: Array<[string, string]> = [];
  manifests.forEach((u, i) => {
    const why = endpointProblem(str(u));
    if (why !== undefined) found.push([child(`${BASE}.manifests`, i), `${quote(u)} ${why}; expected a manifest URL such as https://example.com/ccm.yaml`]);
  });
  return found;
});

/** External cloud provider manifests are only given when it is enabled, and are URLs. */
export const legacyCloudProvider: Check = {
  id: "legacy-cloud-provider",
  summary: "cluster.externalCloudProvider manifests are only set while it is enabled, and are valid URLs",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    for (const [path, message] of judge(legacy.data)) report(legacy, path, message);
  },
};
