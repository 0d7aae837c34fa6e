// Since 1.12 settings move out of the v1alpha1 document into documents of
// their own. Talos refuses a config that sets both the old field and its
// replacement, so the two never silently disagree.

import type { Check, CheckContext, Doc } from "../types.ts";
import type { Contract } from "../../talos/contract.ts";
import { at, isSet, isTrue, isZero, list, mapping, type Mapping } from "../../value.ts";

/** A v1alpha1 field that a document replaces. */
export interface Replacement {
  /** The document kind that replaces the field. */
  kind: string;
  /** The legacy field, as reported. */
  path: string;
  /** Whether both are set: the legacy document's data, the replacing document. */
  clash(legacy: Mapping, doc: Doc, ctx: CheckContext): boolean;
  /** The first contract where Talos checks this pair (default: wherever the kind exists). */
  from?: Contract;
}

const present = (path: string) => (legacy: Mapping): boolean => isSet(at(legacy, path));
const nonEmpty = (path: string) => (legacy: Mapping): boolean => {
  const v = at(legacy, path);
  return typeof v === "string" ? v !== "" : Array.isArray(v) ? v.length > 0 : isSet(v) && v !== 0 && v !== false;
};

const SYSTEM_VOLUMES: ReadonlyArray<[string, string]> = [["STATE", "state"], ["EPHEMERAL", "ephemeral"]];

/** Every v1alpha1 field Talos refuses next to the document that replaces it. */
export const REPLACEMENTS: readonly Replacement[] = [
  ...SYSTEM_VOLUMES.map(([name, key]): Replacement => ({
    kind: "VolumeConfig",
    path: `machine.systemDiskEncryption.${key}`,
    clash: (legacy, doc) => doc.name === name && isSet(doc.data.encryption) && isSet(at(legacy, `machine.systemDiskEncryption.${key}`)),
  })),
  { kind: "HostnameConfig", path: "machine.network.hostname", clash: nonEmpty("machine.network.hostname") },
  { kind: "HostnameConfig", path: "machine.features.stableHostname", clash: (l) => isTrue(at(l, "machine.features.stableHostname")) },
  { kind: "ResolverConfig", path: "machine.network.searchDomains", clash: present("machine.network.searchDomains") },
  { kind: "ResolverConfig", path: "machine.network.nameservers", clash: nonEmpty("machine.network.nameservers") },
  { kind: "ResolverConfig", path: "machine.network.disableSearchDomain", clash: (l) => isTrue(at(l, "machine.network.disableSearchDomain")) },
  { kind: "ResolverConfig", path: "machine.features.hostDNS", clash: (l, d) => !isZero(d.data.hostDNS) && isSet(at(l, "machine.features.hostDNS")), from: "1.14" },
  { kind: "TimeSyncConfig", path: "machine.time.disabled", clash: (l) => isTrue(at(l, "machine.time.disabled")) },
  { kind: "TimeSyncConfig", path: "machine.time.servers", clash: (l) => list(at(l, "machine.time.servers")).length > 0 },
  { kind: "TimeSyncConfig", path: "machine.time.bootTimeout", clash: nonEmpty("machine.time.bootTimeout") },
  { kind: "KubeSpanConfig", path: "machine.network.kubespan", clash: present("machine.network.kubespan") },
  { kind: "DiscoveryIdentityConfig", path: "cluster.id", clash: nonEmpty("cluster.id") },
  { kind: "DiscoveryIdentityConfig", path: "cluster.secret", clash: nonEmpty("cluster.secret") },
  { kind: "DiscoveryServiceConfig", path: "cluster.discovery", clash: present("cluster.discovery") },
  { kind: "CRIBaseRuntimeSpecConfig", path: "machine.baseRuntimeSpecOverrides", clash: present("machine.baseRuntimeSpecOverrides") },
  { kind: "ImageCacheConfig", path: "machine.features.imageCache", clash: present("machine.features.imageCache") },
  { kind: "KubeAdmissionControlConfig", path: "cluster.apiServer.admissionControl", clash: nonEmpty("cluster.apiServer.admissionControl") },
  // Talos 1.14 checks the admission plugins here too, not the authorizers
  { kind: "KubeAuthorizerConfig", path: "cluster.apiServer.admissionControl", clash: nonEmpty("cluster.apiServer.admissionControl") },
  { kind: "KubeAggregatorCAConfig", path: "cluster.aggregatorCA", clash: present("cluster.aggregatorCA") },
  { kind: "KubeAPIServerConfig", path: "cluster.apiServer", clash: present("cluster.apiServer") },
  { kind: "KubeAPIServerConfig", path: "cluster.controlPlane.localAPIServerPort", clash: nonEmpty("cluster.controlPlane.localAPIServerPort") },
  { kind: "KubeAPIServerCAConfig", path: "cluster.ca", clash: present("cluster.ca") },
  { kind: "KubeAuditPolicyConfig", path: "cluster.apiServer.auditPolicy", clash: (l) => !isZero(mapping(at(l, "cluster.apiServer.auditPolicy")) ?? {}) },
  { kind: "KubeClusterConfig", path: "cluster.clusterName", clash: nonEmpty("cluster.clusterName") },
  { kind: "KubeClusterConfig", path: "cluster.controlPlane.endpoint", clash: present("cluster.controlPlane.endpoint") },
  { kind: "KubeControllerManagerConfig", path: "cluster.controllerManager", clash: present("cluster.controllerManager") },
  { kind: "KubeControllerManagerConfig", path: "machine.controlPlane.controllerManager", clash: present("machine.controlPlane.controllerManager") },
  { kind: "KubeCoreDNSConfig", path: "cluster.coreDNS", clash: present("cluster.coreDNS") },
  { kind: "KubeCredentialProviderConfig", path: "machine.kubelet", clash: present("machine.kubelet") },
  { kind: "KubeEtcdEncryptionConfig", path: "cluster.secretboxEncryptionSecret", clash: nonEmpty("cluster.secretboxEncryptionSecret") },
  { kind: "KubeEtcdEncryptionConfig", path: "cluster.aescbcEncryptionSecret", clash: nonEmpty("cluster.aescbcEncryptionSecret") },
  { kind: "KubeFlannelCNIConfig", path: "cluster.network", clash: present("cluster.network") },
  { kind: "KubeletConfig", path: "machine.kubelet", clash: present("machine.kubelet") },
  { kind: "KubePrismConfig", path: "machine.features.kubePrism", clash: present("machine.features.kubePrism") },
  { kind: "KubeNetworkConfig", path: "cluster.network", clash: present("cluster.network") },
  { kind: "KubeNodeConfig", path: "cluster.allowSchedulingOnControlPlanes", clash: present("cluster.allowSchedulingOnControlPlanes") },
  { kind: "KubeNodeConfig", path: "cluster.allowSchedulingOnMasters", clash: present("cluster.allowSchedulingOnMasters") },
  { kind: "KubeNodeConfig", path: "machine.kubelet.skipNodeRegistration", clash: present("machine.kubelet.skipNodeRegistration") },
  { kind: "KubeNodeConfig", path: "machine.kubelet.registerWithFQDN", clash: present("machine.kubelet.registerWithFQDN") },
  { kind: "KubeNodeConfig", path: "machine.kubelet.nodeIP", clash: present("machine.kubelet.nodeIP") },
  { kind: "KubeNodeConfig", path: "machine.nodeLabels", clash: present("machine.nodeLabels") },
  { kind: "KubeNodeConfig", path: "machine.nodeAnnotations", clash: present("machine.nodeAnnotations") },
  { kind: "KubeNodeConfig", path: "machine.nodeTaints", clash: present("machine.nodeTaints") },
  { kind: "KubeProxyConfig", path: "cluster.proxy", clash: present("cluster.proxy") },
  { kind: "KubeSchedulerConfig", path: "cluster.scheduler", clash: present("cluster.scheduler") },
  { kind: "KubeSchedulerConfig", path: "machine.controlPlane.scheduler", clash: present("machine.controlPlane.scheduler") },
  { kind: "KubeServiceAccountConfig", path: "cluster.serviceAccount", clash: present("cluster.serviceAccount") },
  { kind: "KubeTalosAPIAccessConfig", path: "machine.features.kubernetesTalosAPIAccess", clash: present("machine.features.kubernetesTalosAPIAccess") },
  { kind: "UnattendedInstallConfig", path: "machine.install", clash: present("machine.install") },
];

const minor = (c: Contract): number => Number(c.split(".")[1]);

/** A legacy field and the document replacing it are not both set. */
export const legacyConflicts: Check = {
  id: "legacy-conflicts",
  summary: "a v1alpha1 field and the document that replaces it are not both set",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    const reported = new Set<string>();
    for (const r of REPLACEMENTS) {
      if (r.from !== undefined && minor(ctx.contract) < minor(r.from)) continue;
      for (const doc of ctx.ofKind(r.kind)) {
        if (reported.has(`${doc.index}\0${r.path}`) || !r.clash(legacy.data, doc, ctx)) continue;
        reported.add(`${doc.index}\0${r.path}`);
        report(legacy, r.path, `cannot be set together with the ${doc.label} document, which replaces it; move the setting into ${doc.kind} and remove ${r.path}`);
      }
    }
  },
};
