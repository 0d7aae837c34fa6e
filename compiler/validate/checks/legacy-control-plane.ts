// The control plane components of the v1alpha1 document (cluster.apiServer,
// cluster.controllerManager, cluster.scheduler): authorizers are complete and
// of a known type, are not mixed with the authorization flags they replace,
// and resources name only cpu and memory.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { at, child, isMapping, list, mapping, quote, str, type Mapping } from "../../value.ts";

const AUTHORIZER_TYPES = ["Node", "RBAC", "Webhook"];
const RESOURCES = ["cpu", "memory"];

type Problems = Array<[string, string]>;

function resources(component: Mapping, base: string, found: Problems): void {
  for (const kind of ["requests", "limits"]) {
    const values = at(component, `resources.${kind}`);
    if (!isMapping(values)) continue;
    for (const key of Object.keys(values)) {
      if (!RESOURCES.includes(key)) found.push([child(`${base}.resources.${kind}`, key), `${quote(key)} is not a resource talos sets for a control plane pod; expected cpu or memory`]);
    }
  }
}

function apiServer(api: Mapping, found: Problems): void {
  const authorizers = api.authorizationConfig;
  if (Array.isArray(authorizers)) {
    const args = mapping(api.extraArgs) ?? {};
    for (const key of Object.keys(args)) {
      if (key === "authorization-mode" || key.startsWith("authorization-webhook-")) {
        found.push([child("cluster.apiServer.extraArgs", key), `cannot be used with cluster.apiServer.authorizationConfig; configure authorization in one place: remove ${key}, or the authorizationConfig`]);
      }
    }
  }
  list(authorizers).forEach((a, i) => {
    const authorizer = mapping(a) ?? {};
    const path = child("cluster.apiServer.authorizationConfig", i);
    const type = str(authorizer.type);
    if (type === "") found.push([`${path}.type`, `is required: one of ${AUTHORIZER_TYPES.join(", ")}`]);
    else if (str(authorizer.name) === "") found.push([`${path}.name`, "is required: name the authorizer, such as node or rbac"]);
    else if (!AUTHORIZER_TYPES.includes(type)) found.push([`${path}.type`, `${quote(type)} is not an authorizer type talos allows; expected one of ${AUTHORIZER_TYPES.join(", ")}`]);
  });
  resources(api, "cluster.apiServer", found);
}

// The problems of a v1alpha1 document's control plane settings (documentCheck runs it once for the nodes sharing the document).
function judge(data: Mapping): Found {
  const found: Problems = [];
  const api = mapping(at(data, "cluster.apiServer"));
  if (api !== undefined) apiServer(api, found);
  for (const name of ["controllerManager", "scheduler"]) {
    const component = mapping(at(data, `cluster.${name}`));
    if (component !== undefined) resources(component, `cluster.${name}`, found);
  }
  return found;
}

/** API server authorizers and control plane resources are ones Talos accepts. */
export const legacyControlPlane: Check = documentCheck({
  id: "legacy-control-plane",
  summary: "cluster.apiServer authorizers are complete and not mixed with authorization flags; control plane resources are cpu and memory",
  kind: "v1alpha1",
  judge,
});
