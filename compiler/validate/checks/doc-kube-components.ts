// The 1.14 documents that run a Kubernetes component (kubelet, kube-apiserver,
// kube-controller-manager, kube-scheduler, kube-proxy, flannel) need an image,
// take only the resources and settings Talos can pass on, and leave alone the
// settings Talos owns.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { PROTECTED_KUBELET_FIELDS } from "./machine-kubelet.ts";
import { child, isMapping, mapping, quote, str, type Mapping } from "../../value.ts";

/** kube-apiserver flag prefixes that have a document of their own instead. */
const APISERVER_DENIED_ARGS: ReadonlyArray<readonly [string, string]> = [
  ["anonymous-auth", "KubeAuthenticationConfig"],
  ["authentication-config", "KubeAuthenticationConfig"],
  ["authorization-config", "KubeAuthorizerConfig"],
  ["authorization-mode", "KubeAuthorizerConfig"],
  ["authorization-webhook-", "KubeAuthorizerConfig"],
  ["oidc-", "KubeAuthenticationConfig"],
];

const PROXY_MODES = ["", "nftables", "iptables", "ipvs"];

/** Each kind's component, as messages name it, and whether `enabled: false` turns it (and its checks) off. */
const COMPONENTS: ReadonlyMap<string, { name: string; switchable: boolean }> = new Map([
  ["KubeletConfig", { name: "kubelet", switchable: false }],
  ["KubeAPIServerConfig", { name: "kube-apiserver", switchable: false }],
  ["KubeControllerManagerConfig", { name: "kube-controller-manager", switchable: true }],
  ["KubeSchedulerConfig", { name: "kube-scheduler", switchable: true }],
  ["KubeProxyConfig", { name: "kube-proxy", switchable: true }],
  ["KubeFlannelCNIConfig", { name: "flannel", switchable: false }],
]);

type Problems = Array<[string, string]>;

function resources(data: Mapping, problems: Problems): void {
  for (const part of ["requests", "limits"]) {
    const m = mapping(mapping(data.resources)?.[part]);
    if (m === undefined) continue;
    for (const key of Object.keys(m)) {
      if (key !== "cpu" && key !== "memory") problems.push([child(`resources.${part}`, key), `${quote(key)} is not a resource talos can set; expected cpu or memory`]);
    }
  }
}

function judge(kind: string, data: Mapping): Problems {
  const problems: Problems = [];
  const component = COMPONENTS.get(kind)!;
  if (component.switchable && data.enabled === false) return problems;
  if (kind !== "KubeFlannelCNIConfig" && str(data.image) === "") {
    problems.push(["image", `is required: the ${component.name} image, such as ${kind === "KubeletConfig" ? "ghcr.io/siderolabs/kubelet" : `registry.k8s.io/${component.name}`}:v1.37.0`]);
  }
  if (kind === "KubeletConfig" && isMapping(data.config)) {
    for (const field of PROTECTED_KUBELET_FIELDS) {
      if (Object.hasOwn(data.config, field)) problems.push([child("config", field), `cannot be set: talos manages the kubelet's ${field} itself; remove it`]);
    }
  }
  if (kind === "KubeAPIServerConfig" && isMapping(data.extraArgs)) {
    for (const [prefix, instead] of APISERVER_DENIED_ARGS) {
      for (const arg of Object.keys(data.extraArgs)) {
        if (arg.startsWith(prefix)) problems.push([child("extraArgs", arg), `is not allowed as an extra argument; configure it with a ${instead} document`]);
      }
    }
  }
  if (kind === "KubeProxyConfig" && !PROXY_MODES.includes(str(data.mode))) {
    problems.push(["mode", `${quote(data.mode)} is not a kube-proxy mode; expected nftables (the default), iptables or ipvs`]);
  }
  if (kind === "KubeFlannelCNIConfig" && str(data.backendType) === "") problems.push(["backendType", "is required: the flannel backend, such as vxlan"]);
  resources(data, problems);
  return problems;
}

/** Kubernetes component documents have an image, a known mode, and no settings Talos owns. */
export const docKubeComponents: Check = documentCheck({
  id: "doc-kube-components",
  summary: "Kubernetes component documents name an image, kube-proxy a known mode, resources only cpu and memory, and no setting Talos manages",
  gate: "kubernetesDocuments",
  judges: [...COMPONENTS.keys()].map((kind) => [kind, (data: Mapping) => judge(kind, data)] as const),
});
