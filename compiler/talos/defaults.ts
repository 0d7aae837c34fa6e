// Values Talos writes into every generated config unless told otherwise.

/** Scalar defaults of a generated config. */
export const DEFAULTS = {
  dnsDomain: "cluster.local",
  podSubnet: "10.244.0.0/16",
  serviceSubnet: "10.96.0.0/12",
  kubePrismPort: 7445,
  discoveryEndpoint: "https://discovery.talos.dev/",
  filesystemTrimInterval: "168h0m0s",
  controlPlaneRoleLabel: "node-role.kubernetes.io/control-plane",
  excludeFromExternalLBLabel: "node.kubernetes.io/exclude-from-external-load-balancers",
} as const;

/** The PodSecurity admission plugin configuration: enforce baseline, audit and warn restricted. */
export function podSecurityConfiguration(): Record<string, unknown> {
  return {
    apiVersion: "pod-security.admission.config.k8s.io/v1alpha1",
    kind: "PodSecurityConfiguration",
    defaults: {
      enforce: "baseline",
      "enforce-version": "latest",
      audit: "restricted",
      "audit-version": "latest",
      warn: "restricted",
      "warn-version": "latest",
    },
    exemptions: { usernames: [], runtimeClasses: [], namespaces: ["kube-system"] },
  };
}

/** The API server audit policy: log request metadata for everything. */
export function auditPolicyConfiguration(): Record<string, unknown> {
  return { apiVersion: "audit.k8s.io/v1", kind: "Policy", rules: [{ level: "Metadata" }] };
}

/** The API server authentication configuration: anonymous access to the health endpoints only. */
export function authenticationConfiguration(): Record<string, unknown> {
  return {
    anonymous: { enabled: true, conditions: [{ path: "/livez" }, { path: "/readyz" }, { path: "/healthz" }] },
    jwt: [],
  };
}
