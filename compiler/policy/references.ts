// Links the rules cite, in one place so they are corrected once.

import type { Reference } from "./types.ts";

/** Where talc documents its rules; a rule's help is at RULE_DOCS + id. */
export const RULE_DOCS = "https://talc.dev/rules/";

/** Talos and Kubernetes documentation the rules refer to. */
export const REF = {
  extensions: { title: "Talos: system extensions", url: "https://www.talos.dev/latest/talos-guides/configuration/system-extensions/" },
  imageFactory: { title: "Talos: Image Factory", url: "https://www.talos.dev/latest/learn-more/image-factory/" },
  extensionsCatalog: { title: "siderolabs/extensions catalogue", url: "https://github.com/siderolabs/extensions" },
  configReference: { title: "Talos: machine configuration reference", url: "https://www.talos.dev/latest/reference/configuration/" },
  supportMatrix: { title: "Talos: support matrix", url: "https://www.talos.dev/latest/introduction/support-matrix/" },
  upgrading: { title: "Talos: upgrading Talos", url: "https://www.talos.dev/latest/talos-guides/upgrading-talos/" },
  diskEncryption: { title: "Talos: disk encryption", url: "https://www.talos.dev/latest/talos-guides/configuration/disk-encryption/" },
  kubespan: { title: "Talos: KubeSpan", url: "https://www.talos.dev/latest/talos-guides/network/kubespan/" },
  discovery: { title: "Talos: cluster discovery", url: "https://www.talos.dev/latest/talos-guides/discovery/" },
  talosAPIAccess: { title: "Talos: Talos API access from Kubernetes", url: "https://www.talos.dev/latest/advanced/talos-api-access-from-k8s/" },
  podSecurity: { title: "Kubernetes: Pod Security Standards", url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/" },
  auditing: { title: "Kubernetes: auditing", url: "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/" },
  kubeletAuth: { title: "Kubernetes: kubelet authentication and authorization", url: "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/" },
  secrets: { title: "Kubernetes: good practices for Secrets", url: "https://kubernetes.io/docs/concepts/security/secrets-good-practices/" },
  kernelParameters: { title: "Linux: kernel command-line parameters", url: "https://docs.kernel.org/admin-guide/kernel-parameters.html" },
  registries: { title: "Talos: pull-through image cache and registries", url: "https://www.talos.dev/latest/talos-guides/configuration/pull-through-cache/" },
  cis: (item: string, what: string): Reference => ({ title: `CIS Kubernetes Benchmark ${item}: ${what}`, url: "https://www.cisecurity.org/benchmark/kubernetes" }),
} as const;
