// KubeAuthorizerConfig and KubeAdmissionControlConfig (1.14) each configure one API server
// authorizer or admission plugin, by name. Talos refuses either without its name, and an
// authorizer without a type it knows, or a Webhook authorizer without its webhook settings.
// (The type's spelling itself is the schema's concern, which lists the three.)

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { mapping, str, type Mapping } from "../../value.ts";

function judgeAuthorizer(data: Mapping): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (str(data.name) === "") problems.push(["name", "is required: the authorizer's name in the API server's authorization config, such as webhook"]);
  const type = str(data.type);
  if (type === "") problems.push(["type", "is required: one of Node, RBAC or Webhook"]);
  const webhook = mapping(data.webhook);
  if (type === "Webhook" && (webhook === undefined || Object.keys(webhook).length === 0)) {
    problems.push(["webhook", "is required for a Webhook authorizer: its settings, such as {timeout: 3s, connectionInfo: {type: KubeConfigFile, kubeConfigFile: …}}"]);
  }
  return problems;
}

function judgeAdmission(data: Mapping): Array<[string, string]> {
  return str(data.name) === "" ? [["name", "is required: the admission plugin the configuration is for, such as PodSecurity"]] : [];
}

/** KubeAuthorizerConfig names its authorizer and type, and a Webhook authorizer its settings. */
export const docKubeAuthorizer: Check = documentCheck({
  id: "doc-kube-authorizer",
  summary: "a KubeAuthorizerConfig has a name and a type (Node, RBAC or Webhook), and a Webhook one its webhook settings",
  kind: "KubeAuthorizerConfig",
  judge: judgeAuthorizer,
});

/** KubeAdmissionControlConfig names the plugin it configures. */
export const docKubeAdmissionControl: Check = documentCheck({
  id: "doc-kube-admission-control",
  summary: "a KubeAdmissionControlConfig names the admission plugin it configures",
  kind: "KubeAdmissionControlConfig",
  judge: judgeAdmission,
});
