// The table of Talos's validation rules beyond the schema, in the order their
// problems are reported. Each check lives in its own file, named by its id.

import type { Check } from "../types.ts";
import { baseRuntimeSpec } from "./base-runtime-spec.ts";
import { bondDocument } from "./bond-document.ts";
import { clusterEndpoint } from "./cluster-endpoint.ts";
import { cni } from "./cni.ts";
import { controlPlaneOnlyDocuments } from "./control-plane-only-documents.ts";
import { discovery } from "./discovery.ts";
import { dnsDomain } from "./dns-domain.ts";
import { docContainer } from "./doc-container.ts";
import { docCRICustomization } from "./doc-cri-customization.ts";
import { docDHCP } from "./doc-dhcp.ts";
import { docEnvironment } from "./doc-environment.ts";
import { docImageVerification } from "./doc-image-verification.ts";
import { docKernelModule } from "./doc-kernel-module.ts";
import { docKubeAdmissionControl, docKubeAuthorizer } from "./doc-kube-authorization.ts";
import { docKubeComponents } from "./doc-kube-components.ts";
import { docKubeNetwork } from "./doc-kube-network.ts";
import { docKubePrism } from "./doc-kubeprism.ts";
import { docLinkAlias } from "./doc-link-alias.ts";
import { docLVMLogicalVolume, docLVMVolumeGroup } from "./doc-lvm.ts";
import { docHTTPProbe, docTCPProbe } from "./doc-probes.ts";
import { docRAID } from "./doc-raid.ts";
import { docRegistries } from "./doc-registries.ts";
import { docRemoteEndpoints } from "./doc-remote-endpoints.ts";
import { docResolver } from "./doc-resolver.ts";
import { docRouting } from "./doc-routing.ts";
import { docStaticHost } from "./doc-static-host.ts";
import { docVeth } from "./doc-veth.ts";
import { docSwapMaintenance, docVolumes } from "./doc-volumes.ts";
import { docVRF } from "./doc-vrf.ts";
import { docWatchdog } from "./doc-watchdog.ts";
import { etcd } from "./etcd.ts";
import { etcdEncryption } from "./etcd-encryption.ts";
import { hostDNS } from "./host-dns.ts";
import { hostnameDocument } from "./hostname-document.ts";
import { inlineManifests } from "./inline-manifests.ts";
import { installDisk } from "./install-disk.ts";
import { kubespanDiscovery, kubespanSettings } from "./kubespan.ts";
import { legacyAddressing } from "./legacy-addressing.ts";
import { legacyBond } from "./legacy-bond.ts";
import { legacyCloudProvider } from "./legacy-cloud-provider.ts";
import { legacyConflicts } from "./legacy-conflicts.ts";
import { legacyControlPlane } from "./legacy-control-plane.ts";
import { legacyInterfaces } from "./legacy-interfaces.ts";
import { legacyRoutes } from "./legacy-routes.ts";
import { legacyWireguard } from "./legacy-wireguard.ts";
import { linkDocuments } from "./link-documents.ts";
import { machineCA } from "./machine-ca.ts";
import { loaderReading } from "./loader-reading.ts";
import { machineDiskEncryption } from "./machine-disk-encryption.ts";
import { machineDisks } from "./machine-disks.ts";
import { machineFeatures } from "./machine-features.ts";
import { machineInstall } from "./machine-install.ts";
import { machineKubelet } from "./machine-kubelet.ts";
import { machineLogging } from "./machine-logging.ts";
import { machineRegistries } from "./machine-registries.ts";
import { machineType } from "./machine-type.ts";
import { nodeLabels } from "./node-labels.ts";
import { persist } from "./persist.ts";
import { requiredSections } from "./required-sections.ts";
import { uniqueDocuments } from "./unique-documents.ts";
import { vipControlPlaneOnly } from "./vip-control-plane-only.ts";
import { vipDocuments } from "./vip-documents.ts";
import { vlanDocument } from "./vlan-document.ts";
import { wireguardDocument } from "./wireguard-document.ts";

/** Every check, in reporting order. */
export const CHECKS: readonly Check[] = [
  loaderReading,
  uniqueDocuments,
  requiredSections,
  machineType,
  machineCA,
  clusterEndpoint,
  dnsDomain,
  etcd,
  cni,
  installDisk,
  hostDNS,
  legacyInterfaces,
  legacyBond,
  legacyAddressing,
  legacyRoutes,
  legacyWireguard,
  machineDisks,
  machineKubelet,
  machineDiskEncryption,
  machineLogging,
  machineInstall,
  machineFeatures,
  machineRegistries,
  legacyCloudProvider,
  legacyControlPlane,
  vipControlPlaneOnly,
  linkDocuments,
  bondDocument,
  vlanDocument,
  wireguardDocument,
  docVeth,
  docVRF,
  docTCPProbe,
  docHTTPProbe,
  docRegistries,
  docCRICustomization,
  docContainer,
  docEnvironment,
  docKernelModule,
  docImageVerification,
  docLinkAlias,
  docStaticHost,
  docDHCP,
  docRouting,
  docResolver,
  docKubeNetwork,
  docKubeComponents,
  docKubeAuthorizer,
  docKubeAdmissionControl,
  docKubePrism,
  docVolumes,
  docSwapMaintenance,
  docRAID,
  docLVMVolumeGroup,
  docLVMLogicalVolume,
  docWatchdog,
  docRemoteEndpoints,
  vipDocuments,
  hostnameDocument,
  kubespanSettings,
  kubespanDiscovery,
  discovery,
  nodeLabels,
  inlineManifests,
  persist,
  baseRuntimeSpec,
  etcdEncryption,
  controlPlaneOnlyDocuments,
  legacyConflicts,
];
