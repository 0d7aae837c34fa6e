// Since 1.12 settings move out of the v1alpha1 document into documents of
// their own. Talos refuses a config that sets both the old field and its
// replacement, so the two never silently disagree.

import type { Check, Doc } from "../types.ts";
import { oncePerSealed } from "../../talos/typed.ts";
import type { Contract } from "../../talos/contract.ts";
import { at, isSet, isTrue, isZero, list, mapping, type Mapping } from "../../value.ts";

/** A v1alpha1 field that a document replaces: both clash when `set` holds for the legacy document and `doc` (if any) for the other. */
interface Replacement {
  /** The document kind that replaces the field. */
  kind: string;
  /** The legacy field, as reported. */
  path: string;
  /** Whether the legacy document's data sets the field. */
  set(legacy: Mapping): boolean;
  /** Whether a document of the kind sets its part, when that is more than being there. */
  doc?(doc: Doc): boolean;
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
const REPLACEMENTS: readonly Replacement[] = [
  ...SYSTEM_VOLUMES.map(([name, key]): Replacement => ({
    kind: "VolumeConfig",
    path: `machine.systemDiskEncryption.${key}`,
    set: present(`machine.systemDiskEncryption.${key}`),
    doc: (doc) => doc.name === name && isSet(doc.data.encryption),
  })),
  { kind: "HostnameConfig", path: "machine.network.hostname", set: nonEmpty("machine.network.hostname") },
  { kind: "HostnameConfig", path: "machine.features.stableHostname", set: (l) => isTrue(at(l, "machine.features.stableHostname")) },
  { kind: "ResolverConfig", path: "machine.network.searchDomains", set: present("machine.network.searchDomains") },
  { kind: "ResolverConfig", path: "machine.network.nameservers", set: nonEmpty("machine.network.nameservers") },
  { kind: "ResolverConfig", path: "machine.network.disableSearchDomain", set: (l) => isTrue(at(l, "machine.network.disableSearchDomain")) },
  { kind: "ResolverConfig", path: "machine.features.hostDNS", set: present("machine.features.hostDNS"), doc: (d) => !isZero(d.data.hostDNS), from: "1.14" },
  { kind: "TimeSyncConfig", path: "machine.time.disabled", set: (l) => isTrue(at(l, "machine.time.disabled")) },
  { kind: "TimeSyncConfig", path: "machine.time.servers", set: (l) => list(at(l, "machine.time.servers")).length > 0 },
  { kind: "TimeSyncConfig", path: "machine.time.bootTimeout", set: nonEmpty("machine.time.bootTimeout") },
  { kind: "KubeSpanConfig", path: "machine.network.kubespan", set: present("machine.network.kubespan") },
  { kind: "DiscoveryIdentityConfig", path: "cluster.id", set: nonEmpty("cluster.id") },
  { kind: "DiscoveryIdentityConfig", path: "cluster.secret", set: nonEmpty("cluster.secret") },
  { kind: "DiscoveryServiceConfig", path: "cluster.discovery", set: present("cluster.discovery") },
  { kind: "CRIBaseRuntimeSpecConfig", path: "machine.baseRuntimeSpecOverrides", set: present("machine.baseRuntimeSpecOverrides") },
  { kind: "ImageCacheConfig", path: "machine.features.imageCache", set: present("machine.features.imageCache") },
  { kind: "KubeAdmissionControlConfig", path: "cluster.apiServer.admissionControl", set: nonEmpty("cluster.apiServer.admissionControl") },
  // Talos 1.14 checks the admission plugins here too, not the authorizers
  { kind: "KubeAuthorizerConfig", path: "cluster.apiServer.admissionControl", set: nonEmpty("cluster.apiServer.admissionControl") },
  { kind: "KubeAggregatorCAConfig", path: "cluster.aggregatorCA", set: present("cluster.aggregatorCA") },
  { kind: "KubeAPIServerConfig", path: "cluster.apiServer", set: present("cluster.apiServer") },
  { kind: "KubeAPIServerConfig", path: "cluster.controlPlane.localAPIServerPort", set: nonEmpty("cluster.controlPlane.localAPIServerPort") },
  { kind: "KubeAPIServerCAConfig", path: "cluster.ca", set: present("cluster.ca") },
  { kind: "KubeAuditPolicyConfig", path: "cluster.apiServer.auditPolicy", set: (l) => !isZero(mapping(at(l, "cluster.apiServer.auditPolicy")) ?? {}) },
  { kind: "KubeClusterConfig", path: "cluster.clusterName", set: nonEmpty("cluster.clusterName") },
  { kind: "KubeClusterConfig", path: "cluster.controlPlane.endpoint", set: present("cluster.controlPlane.endpoint") },
  { kind: "KubeControllerManagerConfig", path: "cluster.controllerManager", set: present("cluster.controllerManager") },
  { kind: "KubeControllerManagerConfig", path: "machine.controlPlane.controllerManager", set: present("machine.controlPlane.controllerManager") },
  { kind: "KubeCoreDNSConfig", path: "cluster.coreDNS", set: present("cluster.coreDNS") },
  { kind: "KubeCredentialProviderConfig", path: "machine.kubelet", set: present("machine.kubelet") },
  { kind: "KubeEtcdEncryptionConfig", path: "cluster.secretboxEncryptionSecret", set: nonEmpty("cluster.secretboxEncryptionSecret") },
  { kind: "KubeEtcdEncryptionConfig", path: "cluster.aescbcEncryptionSecret", set: nonEmpty("cluster.aescbcEncryptionSecret") },
  { kind: "KubeFlannelCNIConfig", path: "cluster.network", set: present("cluster.network") },
  { kind: "KubeletConfig", path: "machine.kubelet", set: present("machine.kubelet") },
  { kind: "KubePrismConfig", path: "machine.features.kubePrism", set: present("machine.features.kubePrism") },
  { kind: "KubeNetworkConfig", path: "cluster.network", set: present("cluster.network") },
  { kind: "KubeNodeConfig", path: "cluster.allowSchedulingOnControlPlanes", set: present("cluster.allowSchedulingOnControlPlanes") },
  { kind: "KubeNodeConfig", path: "cluster.allowSchedulingOnMasters", set: present("cluster.allowSchedulingOnMasters") },
  { kind: "KubeNodeConfig", path: "machine.kubelet.skipNodeRegistration", set: present("machine.kubelet.skipNodeRegistration") },
  { kind: "KubeNodeConfig", path: "machine.kubelet.registerWithFQDN", set: present("machine.kubelet.registerWithFQDN") },
  { kind: "KubeNodeConfig", path: "machine.kubelet.nodeIP", set: present("machine.kubelet.nodeIP") },
  { kind: "KubeNodeConfig", path: "machine.nodeLabels", set: present("machine.nodeLabels") },
  { kind: "KubeNodeConfig", path: "machine.nodeAnnotations", set: present("machine.nodeAnnotations") },
  { kind: "KubeNodeConfig", path: "machine.nodeTaints", set: present("machine.nodeTaints") },
  { kind: "KubeProxyConfig", path: "cluster.proxy", set: present("cluster.proxy") },
  { kind: "KubeSchedulerConfig", path: "cluster.scheduler", set: present("cluster.scheduler") },
  { kind: "KubeSchedulerConfig", path: "machine.controlPlane.scheduler", set: present("machine.controlPlane.scheduler") },
  { kind: "KubeServiceAccountConfig", path: "cluster.serviceAccount", set: present("cluster.serviceAccount") },
  { kind: "KubeTalosAPIAccessConfig", path: "machine.features.kubernetesTalosAPIAccess", set: present("machine.features.kubernetesTalosAPIAccess") },
  { kind: "UnattendedInstallConfig", path: "machine.install", set: present("machine.install") },
];

const minor = (c: Contract): number => Number(c.split(".")[1]);

// The replacements whose legacy field a v1alpha1 document sets, in table order: the nodes of a
// role share one sealed v1alpha1 document, so each is read once, and most set none of the fields.
const legacySettings = oncePerSealed((legacy: Mapping): Replacement[] => REPLACEMENTS.filter((r) => r.set(legacy)));

/** A legacy field and the document replacing it are not both set. */
export const legacyConflicts: Check = {
  id: "legacy-conflicts",
  summary: "a v1alpha1 field and the document that replaces it are not both set",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    const reported = new Set<string>();
    for (const r of legacySettings(legacy.data)) {
      if (r.from !== undefined && minor(ctx.contract) < minor(r.from)) continue;
      for (const doc of ctx.ofKind(r.kind)) {
        if ((r.doc !== undefined && !r.doc(doc)) || reported.has(`${doc.index}\0${r.path}`)) continue;
        reported.add(`${doc.index}\0${r.path}`);
        report(legacy, r.path, `cannot be set together with the ${doc.label} document, which replaces it; move the setting into ${doc.kind} and remove ${r.path}`);
      }
    }
  },
};
