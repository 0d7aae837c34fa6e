// The base config Talos generates for a machine role: what `talosctl gen
// config` writes before any patch. Which fields and documents appear is
// decided by the contract's gates (compiler/talos/contract.ts); the values
// come from the options and the secrets bundle. Key order is the encoder's job.

import type { ConfigDocument } from "../load/config.ts";
import { REDACTED } from "../talos/secrets.ts";
import { gates, type Contract } from "../talos/contract.ts";
import { IMAGES, kubernetesImage } from "../talos/versions.ts";
import { DEFAULTS, podSecurityConfiguration, auditPolicyConfiguration, authenticationConfiguration } from "../talos/defaults.ts";
import { byEntryKey } from "../compare.ts";

/** The secrets the generator reads, in `talosctl gen secrets` layout. */
export interface GeneratorSecrets {
  cluster: { id: string; secret: string };
  secrets: { bootstraptoken: string; secretboxencryptionsecret?: string; aescbcencryptionsecret?: string };
  trustdinfo: { token: string };
  certs: {
    etcd: { crt: string; key: string };
    k8s: { crt: string; key: string };
    k8saggregator: { crt: string; key: string };
    k8sserviceaccount: { key: string };
    os: { crt: string; key: string };
  };
}

/** A machine role Talos generates a config for. */
export type Role = "controlplane" | "worker";

/** What a generated config depends on besides the role; the names follow talosctl's flags. */
export interface GenerateOptions {
  clusterName: string;
  /** The Kubernetes API endpoint, an https URL. */
  endpoint: string;
  /** Exact Kubernetes version without "v". */
  kubernetesVersion: string;
  contract: Contract;
  secrets: GeneratorSecrets;
  additionalSANs?: readonly string[];
  dnsDomain?: string;
  installDisk?: string;
  installImage?: string;
  installExtraKernelArgs?: readonly string[];
  allowSchedulingOnControlPlanes?: boolean;
  localAPIServerPort?: number;
  sysctls?: Readonly<Record<string, string>>;
  /** A custom CNI manifest URL; replaces Flannel. */
  cniCustomURL?: string;
  /** Registry host → mirror endpoints, in the order given. */
  registryMirrors?: ReadonlyArray<readonly [string, string]>;
  /** KubeSpan, when set explicitly (on or off). */
  kubeSpan?: boolean;
  /** The discovery service; on unless turned off. */
  discovery?: boolean;
}

// A redacted bundle (see compiler/secrets/redact.ts) holds the marker in place of base64; it passes through.
const decodePEM = (b64: string): string => (b64 === REDACTED ? REDACTED : Buffer.from(b64, "base64").toString("utf8"));

/** A string quoted as Go's %q quotes it: how Talos writes the install disk into a CEL selector. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

function doc(kind: string, body: Record<string, unknown>): ConfigDocument {
  return { apiVersion: "v1alpha1", kind, ...body };
}

/** Registry mirrors grouped by host, in first-seen order of the endpoints. */
function mirrorsByHost(mirrors: ReadonlyArray<readonly [string, string]>): Map<string, string[]> {
  const byHost = new Map<string, string[]>();
  for (const [host, endpoint] of mirrors) {
    const list = byHost.get(host) ?? [];
    list.push(endpoint);
    byHost.set(host, list);
  }
  return byHost;
}

/** The documents of the base config for a role, in Talos's document order. */
export function generateConfig(opts: GenerateOptions, role: Role): ConfigDocument[] {
  const g = gates(opts.contract);
  const cp = role === "controlplane";
  const s = opts.secrets;
  const dnsDomain = opts.dnsDomain ?? DEFAULTS.dnsDomain;
  const discovery = opts.discovery ?? true;
  const sans = [...(opts.additionalSANs ?? [])];
  const k8s = (repo: string): string => kubernetesImage(repo, opts.kubernetesVersion);

  const features: Record<string, unknown> = { diskQuotaSupport: true };
  const machine: Record<string, unknown> = {
    type: role,
    token: s.trustdinfo.token,
    ca: cp ? { crt: s.certs.os.crt, key: s.certs.os.key } : { crt: s.certs.os.crt, key: "" },
    certSANs: sans,
  };
  if (!g.kubernetesDocuments) {
    machine.kubelet = { image: k8s(IMAGES.kubelet), defaultRuntimeSeccompProfileEnabled: true, disableManifestsDirectory: true };
  }
  if (!g.unattendedInstall) {
    const install: Record<string, unknown> = { wipe: false, grubUseUKICmdline: true };
    if (opts.installDisk) install.disk = opts.installDisk;
    if (opts.installImage) install.image = opts.installImage;
    if (opts.installExtraKernelArgs?.length) install.extraKernelArgs = [...opts.installExtraKernelArgs];
    machine.install = install;
  }
  if (!g.sysctlDocument && opts.sysctls && Object.keys(opts.sysctls).length > 0) machine.sysctls = { ...opts.sysctls };
  if (!g.kubernetesDocuments) features.kubePrism = { enabled: true, port: DEFAULTS.kubePrismPort };
  if (!g.hostDNSDocument) features.hostDNS = { enabled: true, forwardKubeDNSToHost: true };
  machine.features = features;
  if (cp && !g.kubernetesDocuments) machine.nodeLabels = { [DEFAULTS.excludeFromExternalLBLabel]: "" };
  if (g.emptyMachineNetwork) {
    machine.network = opts.kubeSpan === undefined ? {} : { kubespan: { enabled: opts.kubeSpan } };
  }

  const cluster: Record<string, unknown> = { token: s.secrets.bootstraptoken };
  if (!g.discoveryDocuments) {
    cluster.id = s.cluster.id;
    cluster.secret = s.cluster.secret;
    cluster.clusterName = opts.clusterName;
    cluster.discovery = { enabled: discovery, registries: { kubernetes: { disabled: true }, service: {} } };
  }
  if (!g.kubernetesDocuments) {
    cluster.controlPlane = {
      endpoint: opts.endpoint,
      ...(cp && opts.localAPIServerPort ? { localAPIServerPort: opts.localAPIServerPort } : {}),
    };
    cluster.network = {
      dnsDomain,
      podSubnets: [DEFAULTS.podSubnet],
      serviceSubnets: [DEFAULTS.serviceSubnet],
      ...(opts.cniCustomURL ? { cni: { name: "custom", urls: [opts.cniCustomURL] } } : {}),
    };
    cluster.ca = cp ? { crt: s.certs.k8s.crt, key: s.certs.k8s.key } : { crt: s.certs.k8s.crt, key: "" };
    if (cp) {
      if (s.secrets.secretboxencryptionsecret) cluster.secretboxEncryptionSecret = s.secrets.secretboxencryptionsecret;
      cluster.aggregatorCA = { crt: s.certs.k8saggregator.crt, key: s.certs.k8saggregator.key };
      cluster.serviceAccount = { key: s.certs.k8sserviceaccount.key };
      cluster.apiServer = {
        image: k8s(IMAGES.apiServer),
        ...(sans.length > 0 ? { certSANs: sans } : {}),
        admissionControl: [{ name: "PodSecurity", configuration: podSecurityConfiguration() }],
        auditPolicy: auditPolicyConfiguration(),
      };
      cluster.controllerManager = { image: k8s(IMAGES.controllerManager) };
      cluster.proxy = { image: k8s(IMAGES.proxy) };
      cluster.scheduler = { image: k8s(IMAGES.scheduler) };
      if (opts.allowSchedulingOnControlPlanes) cluster.allowSchedulingOnControlPlanes = true;
    }
  }
  if (cp) cluster.etcd = { ca: { crt: s.certs.etcd.crt, key: s.certs.etcd.key } };

  const docs: ConfigDocument[] = [{ version: "v1alpha1", debug: false, persist: true, machine, cluster }];

  if (g.discoveryDocuments) {
    if (discovery) docs.push(doc("DiscoveryServiceConfig", { name: "default", endpoint: DEFAULTS.discoveryEndpoint }));
    docs.push(doc("DiscoveryIdentityConfig", { clusterID: s.cluster.id, clusterSecret: s.cluster.secret }));
  }
  if (g.unattendedInstall && opts.installDisk) {
    docs.push(
      doc("UnattendedInstallConfig", {
        installer: opts.installImage ? { image: opts.installImage } : {},
        provisioning: { diskSelector: { match: `disk.dev_path == ${goQuote(opts.installDisk)}` }, wipe: false },
      }),
    );
  }
  if (g.hostDNSDocument) docs.push(doc("ResolverConfig", { hostDNS: { enabled: true, forwardKubeDNSToHost: true } }));
  if (g.sysctlDocument && opts.sysctls && Object.keys(opts.sysctls).length > 0) docs.push(doc("SysctlConfig", { params: { ...opts.sysctls } }));
  if (g.volumeDefaults) {
    docs.push(doc("VolumeConfig", { name: "EPHEMERAL", mount: { secure: true } }));
    docs.push(doc("FilesystemTrimConfig", { interval: DEFAULTS.filesystemTrimInterval }));
  }
  if (g.securityProfile) docs.push(doc("SecurityProfileConfig", { workloadIsolation: true }));

  // Registry documents are sorted by kind, then name; there are mirrors only (no TLS options here).
  const mirrors = [...mirrorsByHost(opts.registryMirrors ?? [])].sort(byEntryKey);
  for (const [host, endpoints] of mirrors) {
    docs.push(doc("RegistryMirrorConfig", { name: host, endpoints: endpoints.map((url) => ({ url })) }));
  }

  docs.push(doc("HostnameConfig", { auto: "stable" }));
  if (g.kubeSpanDocument && opts.kubeSpan !== undefined) docs.push(doc("KubeSpanConfig", { enabled: opts.kubeSpan }));

  if (g.kubernetesDocuments) docs.push(...kubernetesDocuments(opts, role, sans, dnsDomain));
  return docs;
}

// The 1.14 documents that replace `machine.kubelet` and the Kubernetes parts of `cluster`.
function kubernetesDocuments(opts: GenerateOptions, role: Role, sans: string[], dnsDomain: string): ConfigDocument[] {
  const cp = role === "controlplane";
  const s = opts.secrets;
  const k8s = (repo: string): string => kubernetesImage(repo, opts.kubernetesVersion);
  const node: Record<string, unknown> = { nodeIP: {} };
  if (cp) {
    node.labels = { [DEFAULTS.controlPlaneRoleLabel]: "", [DEFAULTS.excludeFromExternalLBLabel]: "" };
    if (!opts.allowSchedulingOnControlPlanes) node.taints = { [DEFAULTS.controlPlaneRoleLabel]: "NoSchedule" };
  }
  const docs: ConfigDocument[] = [
    doc("KubeClusterConfig", { clusterName: opts.clusterName, endpoint: opts.endpoint }),
    doc("KubeNodeConfig", node),
    doc("KubeletConfig", { image: k8s(IMAGES.kubelet), config: {}, defaultRuntimeSeccompProfileEnabled: true }),
    doc("KubeNetworkConfig", { dnsDomain, podSubnets: [DEFAULTS.podSubnet], serviceSubnets: [DEFAULTS.serviceSubnet] }),
    doc(
      "KubeAPIServerCAConfig",
      cp ? { issuingCA: { cert: decodePEM(s.certs.k8s.crt), key: decodePEM(s.certs.k8s.key) } } : { acceptedCAs: [decodePEM(s.certs.k8s.crt)] },
    ),
    doc("KubePrismConfig", { port: DEFAULTS.kubePrismPort }),
  ];
  if (!cp) return docs;

  const providers: unknown[] = [];
  if (s.secrets.secretboxencryptionsecret) {
    providers.push({ secretbox: { keys: [{ name: "key2", secret: s.secrets.secretboxencryptionsecret }] } });
  }
  // Talos lists a legacy AES-CBC secret under the secretbox provider too, named key1.
  if (s.secrets.aescbcencryptionsecret) {
    providers.push({ secretbox: { keys: [{ name: "key1", secret: s.secrets.aescbcencryptionsecret }] } });
  }
  docs.push(
    doc("KubeAggregatorCAConfig", { issuingCA: { cert: decodePEM(s.certs.k8saggregator.crt), key: decodePEM(s.certs.k8saggregator.key) } }),
    doc("KubeAdmissionControlConfig", { name: "PodSecurity", configuration: podSecurityConfiguration() }),
    doc("KubeAuditPolicyConfig", { configuration: auditPolicyConfiguration() }),
    doc("KubeAuthenticationConfig", { configuration: authenticationConfiguration() }),
    doc("KubeAuthorizerConfig", { name: "node", type: "Node" }),
    doc("KubeAuthorizerConfig", { name: "rbac", type: "RBAC" }),
    doc("KubeEtcdEncryptionConfig", { config: { resources: [{ providers, resources: ["secrets"] }] } }),
    doc("KubeServiceAccountConfig", { issuer: { privateKey: decodePEM(s.certs.k8sserviceaccount.key), issuerURL: opts.endpoint } }),
    doc("KubeAPIServerConfig", {
      image: k8s(IMAGES.apiServer),
      ...(opts.localAPIServerPort ? { apiPort: opts.localAPIServerPort } : {}),
      ...(sans.length > 0 ? { certExtraSANs: sans } : {}),
    }),
    doc("KubeControllerManagerConfig", { image: k8s(IMAGES.controllerManager) }),
    doc("KubeSchedulerConfig", { image: k8s(IMAGES.scheduler), config: {} }),
    doc("KubeProxyConfig", { image: k8s(IMAGES.proxy), config: {} }),
  );
  if (!opts.cniCustomURL) docs.push(doc("KubeFlannelCNIConfig", { backendType: "vxlan", backendPort: 4789 }));
  docs.push(doc("KubeCoreDNSConfig", { enabled: true }));
  if (opts.cniCustomURL) docs.push(doc("KubeExternalManifestConfig", { name: "custom-cni", url: opts.cniCustomURL }));
  return docs;
}
