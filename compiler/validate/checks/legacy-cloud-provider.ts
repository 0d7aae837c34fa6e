// cluster.externalCloudProvider of the v1alpha1 document: its manifests are
// only applied while it is enabled, and each is a URL to fetch.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { endpointProblem } from "../net.ts";
import { goURLOptions, type Contract } from "../../talos/contract.ts";
import { at, child, isMapping, isTrue, list, quote, str, type Mapping } from "../../value.ts";

const BASE = "cluster.externalCloudProvider";

// The problems of a v1alpha1 document's cloud provider settings (documentCheck runs it once for the nodes sharing the document).
function judge(data: Mapping, contract: Contract): Found {
  const ecp = at(data, BASE);
  if (!isMapping(ecp)) return [];
  const manifests = list(ecp.manifests);
  if (!isTrue(ecp.enabled)) {
    return manifests.length > 0 ? [[`${BASE}.manifests`, "must be empty while the external cloud provider is disabled; set enabled: true to apply them"]] : [];
  }
  const found: Array<[string, string]> = [];
  manifests.forEach((u, i) => {
    const why = endpointProblem(str(u), goURLOptions(contract));
    if (why !== undefined) found.push([child(`${BASE}.manifests`, i), `${quote(u)} ${why}; expected a manifest URL such as https://example.com/ccm.yaml`]);
  });
  return found;
}

/** External cloud provider manifests are only given when it is enabled, and are URLs. */
export const legacyCloudProvider: Check = documentCheck({
  id: "legacy-cloud-provider",
  summary: "cluster.externalCloudProvider manifests are only set while it is enabled, and are valid URLs",
  kind: "v1alpha1",
  judge,
});
