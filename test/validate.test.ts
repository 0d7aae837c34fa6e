// validateDocuments: schema problems and Talos's own rules, table-driven: a
// valid baseline per role and contract, changed one thing per case.

import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, test } from "node:test";
import type { ConfigDocument } from "../compiler/load/config.ts";
import type { Contract } from "../compiler/talos/contract.ts";
import { newSelfSignedCa } from "../compiler/secrets/ca.ts";
import { seal } from "../compiler/talos/typed.ts";
import { dataKey } from "../compiler/value.ts";
import { CHECKS, validateDocuments, type ValidationMode, type ValidationProblem } from "../compiler/validate/index.ts";

const KEY = Buffer.alloc(32, 7).toString("base64");
const KEY2 = Buffer.alloc(32, 9).toString("base64");
const CRT = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t";

// real PEM for the registry TLS rules: a certificate with its key in SEC1 (EC PRIVATE KEY), and a PKCS #8 key
const TLS = await newSelfSignedCa({ organization: "registry", keyAlgorithm: "ecdsa-p256", notBefore: new Date(0), notAfter: new Date(2 ** 40), random: (n) => new Uint8Array(n).fill(5) });
const PKCS8 = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;

type Role = "controlplane" | "worker";

/** A small valid config of the legacy layout (1.12 and 1.13). */
function legacyConfig(role: Role): ConfigDocument[] {
  const cp = role === "controlplane";
  return [
    {
      version: "v1alpha1",
      persist: true,
      machine: {
        type: role,
        token: "abcdef.0123456789abcdef",
        ca: { crt: CRT, key: cp ? "******" : "" },
        certSANs: [],
        kubelet: { image: "ghcr.io/siderolabs/kubelet:v1.35.4" },
        network: {},
        install: { disk: "/dev/sda", image: "ghcr.io/siderolabs/installer:v1.13.9", wipe: false, grubUseUKICmdline: true },
        features: { hostDNS: { enabled: true, forwardKubeDNSToHost: true } },
        nodeLabels: cp ? { "node.kubernetes.io/exclude-from-external-load-balancers": "" } : {},
      },
      cluster: {
        id: KEY,
        secret: KEY2,
        controlPlane: { endpoint: "https://10.0.0.1:6443" },
        clusterName: "demo",
        network: { dnsDomain: "cluster.local", podSubnets: ["10.244.0.0/16"], serviceSubnets: ["10.96.0.0/12"] },
        token: "******",
        ca: { crt: CRT, key: cp ? "******" : "" },
        discovery: { enabled: true, registries: { kubernetes: { disabled: true }, service: {} } },
        ...(cp ? { etcd: { ca: { crt: CRT, key: "******" } }, secretboxEncryptionSecret: "******" } : {}),
      },
    },
    { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "stable" },
  ];
}

/** A small valid config of the 1.14 layout. */
function config14(role: Role): ConfigDocument[] {
  const cp = role === "controlplane";
  return [
    {
      version: "v1alpha1",
      persist: true,
      machine: { type: role, token: "******", ca: { crt: CRT, key: cp ? "******" : "" }, certSANs: [], features: { diskQuotaSupport: true } },
      cluster: { token: "******", ...(cp ? { etcd: { ca: { crt: CRT, key: "******" } } } : {}) },
    },
    { apiVersion: "v1alpha1", kind: "DiscoveryServiceConfig", name: "default", endpoint: "https://discovery.talos.dev/" },
    { apiVersion: "v1alpha1", kind: "DiscoveryIdentityConfig", clusterID: KEY, clusterSecret: "******" },
    { apiVersion: "v1alpha1", kind: "ResolverConfig", hostDNS: { enabled: true, forwardKubeDNSToHost: true } },
    { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "stable" },
    { apiVersion: "v1alpha1", kind: "KubeClusterConfig", clusterName: "demo", endpoint: "https://10.0.0.1:6443" },
    { apiVersion: "v1alpha1", kind: "KubeNodeConfig", labels: cp ? { "node-role.kubernetes.io/control-plane": "" } : {} },
    { apiVersion: "v1alpha1", kind: "KubeAPIServerCAConfig", issuingCA: { cert: CRT, key: cp ? "******" : "" } },
    ...(cp
      ? [
          { apiVersion: "v1alpha1", kind: "KubeEtcdEncryptionConfig", config: { resources: [] } },
          { apiVersion: "v1alpha1", kind: "KubeAPIServerConfig", image: "registry.k8s.io/kube-apiserver:v1.37.0" },
        ]
      : []),
  ];
}

function baseline(contract: Contract, role: Role): ConfigDocument[] {
  return contract === "1.14" ? config14(role) : legacyConfig(role);
}

/** The document of a kind ("v1alpha1" for the legacy one). */
function doc(docs: ConfigDocument[], kind: string): Record<string, unknown> {
  const d = docs.find((x) => (kind === "v1alpha1" ? x.kind === undefined : x.kind === kind));
  if (d === undefined) throw new Error(`no ${kind} in the baseline`);
  return d;
}

/** Sets a dotted path, creating mappings on the way. */
function set(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let cur = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== "object" || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  if (value === undefined) delete cur[keys[keys.length - 1]];
  else cur[keys[keys.length - 1]] = value;
}

const legacy = (path: string, value: unknown) => (docs: ConfigDocument[]): void => set(doc(docs, "v1alpha1"), path, value);
const inDoc = (kind: string, path: string, value: unknown) => (docs: ConfigDocument[]): void => set(doc(docs, kind), path, value);
const add = (...extra: ConfigDocument[]) => (docs: ConfigDocument[]): void => void docs.push(...extra);
const drop = (kind: string) => (docs: ConfigDocument[]): void => void docs.splice(docs.indexOf(doc(docs, kind)), 1);
const all = (...changes: Array<(docs: ConfigDocument[]) => void>) => (docs: ConfigDocument[]): void => changes.forEach((c) => c(docs));

interface Case {
  name: string;
  /** The check the case exercises ("schema" for schema validation). */
  check: string;
  contract: Contract;
  role?: Role;
  mode?: ValidationMode;
  change: (docs: ConfigDocument[]) => void;
  /** Every problem expected: document, path, and a pattern of the message. */
  expect: Array<[string, string, RegExp]>;
}

const bond = (extra: Record<string, unknown>): Record<string, unknown> => ({ interface: "bond0", bond: { interfaces: ["eth0", "eth1"], mode: "802.3ad", ...extra }, dhcp: true });
const link = (kind: string, name: string, extra: Record<string, unknown> = {}): ConfigDocument => ({ apiVersion: "v1alpha1", kind, name, ...extra });

/** A partition's provisioning as Talos requires it: a disk selector and a size. */
const PROV = { diskSelector: { match: "!system_disk" }, maxSize: "10GiB" };

const kubeNet = (pods: string[], services: string[]): ConfigDocument => ({ apiVersion: "v1alpha1", kind: "KubeNetworkConfig", dnsDomain: "cluster.local", podSubnets: pods, serviceSubnets: services });
const kubeProxy = (extra: Record<string, unknown>): ConfigDocument => ({ apiVersion: "v1alpha1", kind: "KubeProxyConfig", image: "registry.k8s.io/kube-proxy:v1.37.0", ...extra });

const CASES: Case[] = [
  // schema
  { name: "an unknown field, with a suggestion", check: "schema", contract: "1.13", change: legacy("machine.instal", { disk: "/dev/sda" }), expect: [["v1alpha1", "machine.instal", /^unknown field "instal"; did you mean "install"\?$/]] },
  { name: "an unknown field, listing what is valid", check: "schema", contract: "1.13", change: legacy("machine.install.zzzzzzzzzz", 1), expect: [["v1alpha1", "machine.install.zzzzzzzzzz", /^unknown field "zzzzzzzzzz"; expected one of disk, diskSelector, extraKernelArgs, image,/]] },
  { name: "a field of a later version", check: "schema", contract: "1.12", change: add({ apiVersion: "v1alpha1", kind: "ResolverConfig", hostDNS: { enabled: true } }), expect: [["ResolverConfig", "hostDNS", /^unknown field "hostDNS" in talos 1\.12; it exists in talos 1\.14$/]] },
  { name: "a document of a later version", check: "schema", contract: "1.13", change: add({ apiVersion: "v1alpha1", kind: "SysctlConfig" }), expect: [["SysctlConfig", "kind", /^document kind "SysctlConfig" does not exist in talos 1\.13; it exists in talos 1\.14$/]] },
  { name: "a misspelled kind", check: "schema", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "KubeletConfg" }), expect: [["KubeletConfg", "kind", /^unknown document kind "KubeletConfg"; did you mean "KubeletConfig"\?$/]] },
  { name: "the wrong type", check: "schema", contract: "1.12", change: legacy("machine.certSANs", "foo"), expect: [["v1alpha1", "machine.certSANs", /^expected a list, got the string "foo"$/]] },
  { name: "a value outside an enum", check: "schema", contract: "1.12", change: legacy("machine.files", [{ content: "x", permissions: 420, path: "/var/x", op: "replace" }]), expect: [["v1alpha1", "machine.files[0].op", /^"replace" is not valid; expected one of "create", "append", "overwrite"$/]] },
  { name: "a value not matching its pattern", check: "schema", contract: "1.12", change: add(link("RegistryMirrorConfig", "docker.io", { endpoints: [{ url: "ftp://mirror" }] })), expect: [["RegistryMirrorConfig/docker.io", "endpoints[0].url", /^"ftp:\/\/mirror" is not valid; expected an http or https URL$/]] },
  { name: "a check says more than the schema about the same spot", check: "schema", contract: "1.12", change: add(link("LinkConfig", "eth0", { addresses: [{ address: "10.0.0.5" }] })), expect: [["LinkConfig/eth0", "addresses[0].address", /^"10\.0\.0\.5" is not valid; expected an address with its prefix length, such as 192\.168\.1\.10\/24$/]] },
  { name: "a required field", check: "schema", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "RegistryMirrorConfig" }), expect: [["RegistryMirrorConfig", "name", /^is required$/]] },
  // the published schema requires these, but Talos's Validate never asks for them (compiler/talos/fields/accepted.json)
  { name: "fields talos does not require: bridge links, trusted roots and PCI rebind names", check: "schema", contract: "1.12", change: add(link("BridgeConfig", "br0"), { apiVersion: "v1alpha1", kind: "TrustedRootsConfig", certificates: "" }, { apiVersion: "v1alpha1", kind: "PCIDriverRebindConfig" }), expect: [] },
  { name: "fields talos does not require: bridge and VRF links", check: "schema", contract: "1.13", change: add(link("BridgeConfig", "br0"), link("VRFConfig", "vrf-blue", { table: 100 }), { apiVersion: "v1alpha1", kind: "TrustedRootsConfig" }, { apiVersion: "v1alpha1", kind: "PCIDriverRebindConfig", name: "0000:04:00.00" }), expect: [] },
  { name: "fields talos does not require: an inline manifest's text", check: "schema", contract: "1.14", change: add(link("BridgeConfig", "br0", { links: [] }), link("VRFConfig", "vrf-blue", { table: 100 }), link("KubeInlineManifestConfig", "empty"), { apiVersion: "v1alpha1", kind: "PCIDriverRebindConfig", targetDriver: "vfio-pci" }), expect: [] },
  { name: "what talos still requires of those documents", check: "schema", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "VRFConfig", name: "vrf-blue" }, { apiVersion: "v1alpha1", kind: "KubeInlineManifestConfig", manifest: "kind: Namespace" }), expect: [["VRFConfig/vrf-blue", "table", /^is required$/], ["KubeInlineManifestConfig", "name", /^is required$/]] },
  { name: "hardware addresses and DUIDs as talos reads them: hex in either case, colons or none", check: "schema", contract: "1.12", change: add(link("BondConfig", "bond0", { links: ["eth0"], bondMode: "active-backup", hardwareAddr: "AA:BB:CC:DD:EE:FF" }), link("DummyLinkConfig", "dummy0", { hardwareAddr: "0011223344ab" }), link("DHCPv4Config", "bond0", { clientIdentifier: "duid", duidRaw: "000100012A2B2C2D" })), expect: [] },
  { name: "a hardware address of an odd number of hex digits, and a DUID that is not hex", check: "schema", contract: "1.14", change: add(link("BridgeConfig", "br0", { hardwareAddr: "0:11:22:33:44:55" }), link("DHCPv6Config", "br0", { clientIdentifier: "duid", duidRaw: "00-01-00-01" })), expect: [["BridgeConfig/br0", "hardwareAddr", /^"0:11:22:33:44:55" is not valid; expected hex bytes, colons between them optional, such as 00:11:22:33:44:55$/], ["DHCPv6Config/br0", "duidRaw", /^"00-01-00-01" is not valid; expected hex bytes, colons between them optional, such as 00:11:22:33:44:55$/]] },
  // Go's url.Parse lowers a scheme's letter case; the cluster endpoint may have any scheme (compiler/talos/fields/accepted.json)
  { name: "URL schemes in any letter case, and an http cluster endpoint", check: "schema", contract: "1.12", change: all(legacy("cluster.controlPlane.endpoint", "http://10.0.0.1:6443"), add(link("RegistryMirrorConfig", "docker.io", { endpoints: [{ url: "HTTPS://mirror.example.com" }] }), link("KmsgLogConfig", "remote", { url: "UDP://10.0.0.1:5140" }), { apiVersion: "v1alpha1", kind: "SideroLinkConfig", apiUrl: "GRPC://omni.example.com:8090" })), expect: [] },
  { name: "URL schemes in any letter case, and service account issuers of any scheme", check: "schema", contract: "1.14", change: all(inDoc("KubeClusterConfig", "endpoint", "http://10.0.0.1:6443"), inDoc("DiscoveryServiceConfig", "endpoint", "HTTPS://discovery.talos.dev/"), add(link("KubeExternalManifestConfig", "extra", { url: "Https://example.com/m.yaml" }), link("HTTPProbeConfig", "web", { url: "HTTP://example.com/healthz" }), { apiVersion: "v1alpha1", kind: "KubeServiceAccountConfig", issuer: { issuerURL: "kubernetes.default.svc", privateKey: "******" }, accepted: { issuers: ["spiffe://other.example"] } })), expect: [] },
  { name: "URLs talos refuses: no scheme, another scheme, an empty issuer", check: "schema", contract: "1.14", change: all(inDoc("KubeClusterConfig", "endpoint", "10.0.0.1:6443"), inDoc("DiscoveryServiceConfig", "endpoint", "ftp://discovery.talos.dev/"), add({ apiVersion: "v1alpha1", kind: "KubeServiceAccountConfig", issuer: { issuerURL: "", privateKey: "******" } })), expect: [["DiscoveryServiceConfig/default", "endpoint", /^"ftp:\/\/discovery\.talos\.dev\/" is not valid; expected an http, https or grpc URL$/], ["KubeClusterConfig", "endpoint", /^"10\.0\.0\.1:6443" is not a valid URL \(first path segment in URL cannot contain colon\)/], ["KubeServiceAccountConfig", "issuer.issuerURL", /^"" is not valid; expected a non-empty URL, such as https:\/\/kubernetes\.default\.svc$/]] },
  // Talos decodes URL fields with url.Parse (v1alpha1.Endpoint, meta.URL): a text it refuses makes the config unreadable
  { name: "logging endpoints url.Parse refuses", check: "schema", contract: "1.12", change: legacy("machine.logging", { destinations: [{ endpoint: "tcp://h x:1", format: "json_lines" }, { endpoint: "udp://[logs.example.com]:5140", format: "json_lines" }] }), expect: [["v1alpha1", "machine.logging.destinations[0].endpoint", /^"tcp:\/\/h x:1" is not a valid URL \(invalid character " " in host name\)/], ["v1alpha1", "machine.logging.destinations[1].endpoint", /^"udp:\/\/\[logs\.example\.com\]:5140" is not a valid URL \(invalid host: ParseAddr\("logs\.example\.com"\)/]] },
  { name: "URLs url.Parse refuses in an external manifest and among accepted issuers", check: "schema", contract: "1.14", change: add(link("KubeExternalManifestConfig", "extra", { url: "https://cdn[1].example.com/m.yaml" }), { apiVersion: "v1alpha1", kind: "KubeServiceAccountConfig", issuer: { issuerURL: "https://kubernetes.default.svc", privateKey: "******" }, accepted: { issuers: ["https://old.example", "https://%zz"] } }), expect: [["KubeExternalManifestConfig/extra", "url", /^"https:\/\/cdn\[1\]\.example\.com\/m\.yaml" is not a valid URL \(invalid IP-literal\)/], ["KubeServiceAccountConfig", "accepted.issuers[1]", /^"https:\/\/%zz" is not a valid URL \(invalid URL escape "%zz"\)/]] },
  // Talos 1.13 and 1.14 are built with Go 1.26, whose url.Parse refuses a second colon in an http or https host (urlstrictcolons, on by default); 1.12's Go 1.25 reads it as part of the host
  { name: "a second colon in an https host from 1.13", check: "schema", contract: "1.14", change: add(link("KubeExternalManifestConfig", "extra", { url: "https://cdn.example.com:8443:1/m.yaml" })), expect: [["KubeExternalManifestConfig/extra", "url", /^"https:\/\/cdn\.example\.com:8443:1\/m\.yaml" is not a valid URL \(invalid port ":8443:1" after host\)/]] },
  { name: "a second colon in a host of another scheme, in every release", check: "schema", contract: "1.14", change: legacy("machine.logging", { destinations: [{ endpoint: "tcp://logs:a:5140", format: "json_lines" }, { endpoint: "UDP://::1:5140", format: "json_lines" }] }), expect: [] },
  { name: "a second colon in a host of another scheme, in 1.12", check: "schema", contract: "1.12", change: legacy("machine.logging", { destinations: [{ endpoint: "tcp://logs:a:5140", format: "json_lines" }] }), expect: [] },
  { name: "a control character in a URL", check: "schema", contract: "1.13", change: legacy("machine.logging", { destinations: [{ endpoint: "udp://logs\t:5140", format: "json_lines" }] }), expect: [["v1alpha1", "machine.logging.destinations[0].endpoint", /^"udp:\/\/logs\\t:5140" is not a valid URL \(net\/url: invalid control character in URL\)/]] },
  { name: "URLs url.Parse reads: IPv6 literals with a zone or a mapped IPv4 address", check: "schema", contract: "1.13", change: legacy("machine.logging", { destinations: [{ endpoint: "tcp://[fe80::1%25eth0]:5140", format: "json_lines" }, { endpoint: "udp://[::ffff:10.0.0.1]:5140", format: "json_lines" }] }), expect: [] },
  { name: "URLs url.Parse reads in an external manifest and among accepted issuers", check: "schema", contract: "1.14", change: add(link("KubeExternalManifestConfig", "extra", { url: "https://[fd00::1]:8443/m%201.yaml" }), { apiVersion: "v1alpha1", kind: "KubeServiceAccountConfig", issuer: { issuerURL: "https://kubernetes.default.svc", privateKey: "******" }, accepted: { issuers: ["https://[fd00::2]", "spiffe://other.example"] } }), expect: [] },
  { name: "a null is an unset field", check: "schema", contract: "1.12", change: legacy("machine.sysctls", null), expect: [] },
  { name: "a union of forms", check: "schema", contract: "1.13", change: legacy("machine.kubelet.extraArgs", { "feature-gates": 5 }), expect: [["v1alpha1", "machine.kubelet.extraArgs.feature-gates", /^expected a string or a list of strings, got the number 5$/]] },

  // unique-documents
  { name: "two v1alpha1 documents", check: "unique-documents", contract: "1.12", change: (d) => void d.push(structuredClone(doc(d, "v1alpha1"))), expect: [["v1alpha1", "", /^duplicate v1alpha1 document \(document 3\)/]] },
  { name: "the same kind and name twice", check: "unique-documents", contract: "1.14", change: add(link("LinkConfig", "eth0"), link("LinkConfig", "eth0")), expect: [["LinkConfig/eth0", "", /^duplicate document: LinkConfig\/eth0 is already document \d+; merge them/]] },
  { name: "an unnamed kind twice", check: "unique-documents", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "HostnameConfig", hostname: "x" }), expect: [["HostnameConfig", "", /^duplicate document: HostnameConfig is already document 5/]] },
  { name: "two kinds configuring one link", check: "unique-documents", contract: "1.14", change: add(link("LinkConfig", "eth0"), link("BondConfig", "eth0", { links: ["eth1"], bondMode: "active-backup" })), expect: [["BondConfig/eth0", "", /^conflicts with LinkConfig\/eth0 \(document \d+\): both configure "eth0"/]] },
  { name: "a veth peer named like another link", check: "unique-documents", contract: "1.14", change: add(link("LinkConfig", "veth1"), link("VethConfig", "veth0", { peer: { name: "veth1" } })), expect: [["VethConfig/veth0", "peer.name", /^link "veth1" is already configured by LinkConfig\/veth1/]] },

  // required-sections, machine-type, machine-ca
  { name: "no cluster section", check: "required-sections", contract: "1.12", change: legacy("cluster", undefined), expect: [["v1alpha1", "cluster", /^is required: the v1alpha1 document needs a cluster section$/]] },
  { name: "no machine section", check: "required-sections", contract: "1.12", change: legacy("machine", undefined), expect: [["v1alpha1", "machine", /^is required/]] },
  { name: "no CA at all", check: "machine-ca", contract: "1.12", role: "worker", change: legacy("machine.ca", undefined), expect: [["v1alpha1", "machine.ca", /^is required: set the Talos API CA \(machine\.ca\) or the CAs to accept/]] },
  { name: "a control plane without the CA key", check: "machine-ca", contract: "1.13", change: legacy("machine.ca.key", ""), expect: [["v1alpha1", "machine.ca.key", /^is required on control plane nodes/]] },
  { name: "a control plane with accepted CAs only", check: "machine-ca", contract: "1.14", change: all(legacy("machine.ca", undefined), legacy("machine.acceptedCAs", [{ crt: CRT }])), expect: [["v1alpha1", "machine.ca", /^is required on control plane nodes: set crt and key/]] },
  { name: "a worker with the CA key", check: "machine-ca", contract: "1.12", role: "worker", change: legacy("machine.ca.key", "******"), expect: [["v1alpha1", "machine.ca.key", /^must be empty on worker nodes/]] },
  { name: "a worker with the Kubernetes CA key", check: "machine-ca", contract: "1.13", role: "worker", change: legacy("cluster.ca.key", "******"), expect: [["v1alpha1", "cluster.ca.key", /^must be empty on worker nodes: only control planes hold the kubernetes ca key$/i]] },
  { name: "a worker with a CA without its certificate", check: "machine-ca", contract: "1.14", role: "worker", change: legacy("machine.ca.crt", ""), expect: [["v1alpha1", "machine.ca.crt", /^is required on worker nodes unless machine\.acceptedCAs is set$/]] },

  // cluster-endpoint, dns-domain
  { name: "no endpoint before 1.14", check: "cluster-endpoint", contract: "1.12", change: legacy("cluster.controlPlane", undefined), expect: [["v1alpha1", "cluster.controlPlane.endpoint", /^is required: set the Kubernetes API endpoint/]] },
  // Talos decodes the endpoint with url.Parse, then checks it with siderolabs/net's ValidateEndpointURI ("hostname must not be blank")
  { name: "an endpoint without a host", check: "cluster-endpoint", contract: "1.13", change: legacy("cluster.controlPlane.endpoint", "https://:6443"), expect: [["v1alpha1", "cluster.controlPlane.endpoint", /^"https:\/\/:6443" has no host; expected a URL such as https:\/\/192\.168\.1\.10:6443$/]] },
  { name: "an endpoint whose authority WHATWG URL finds after one slash, and Go does not", check: "cluster-endpoint", contract: "1.12", change: legacy("cluster.controlPlane.endpoint", "https:/10.0.0.1:6443"), expect: [["v1alpha1", "cluster.controlPlane.endpoint", /^"https:\/10\.0\.0\.1:6443" has no host; expected a URL such as https:\/\/192\.168\.1\.10:6443$/]] },
  { name: "an endpoint with an IPv6 zone, which Go reads and WHATWG URL refuses", check: "cluster-endpoint", contract: "1.13", change: legacy("cluster.controlPlane.endpoint", "https://[fe80::1%25eth0]:6443"), expect: [] },
  { name: "an endpoint named by numbers that are no IPv4 address", check: "cluster-endpoint", contract: "1.14", change: inDoc("KubeClusterConfig", "endpoint", "https://1.2.3.4.5:6443"), expect: [] },
  { name: "an endpoint with a second colon, which Go 1.25 reads", check: "cluster-endpoint", contract: "1.12", change: legacy("cluster.controlPlane.endpoint", "https://cp:1:6443"), expect: [] },
  { name: "an endpoint with a second colon, which Go 1.26 refuses", check: "cluster-endpoint", contract: "1.13", change: legacy("cluster.controlPlane.endpoint", "https://cp:1:6443"), expect: [["v1alpha1", "cluster.controlPlane.endpoint", /^"https:\/\/cp:1:6443" is not a valid URL \(invalid port ":1:6443" after host\)/]] },
  { name: "an IPv6 endpoint without brackets, which Go 1.26 refuses", check: "cluster-endpoint", contract: "1.14", change: inDoc("KubeClusterConfig", "endpoint", "https://fd00::1:6443"), expect: [["KubeClusterConfig", "endpoint", /^"https:\/\/fd00::1:6443" is not a valid URL \(invalid port "::1:6443" after host\)/]] },
  { name: "an endpoint url.Parse refuses, said once", check: "cluster-endpoint", contract: "1.12", change: legacy("cluster.controlPlane.endpoint", "https://cp:6443\\k8s"), expect: [["v1alpha1", "cluster.controlPlane.endpoint", /^"https:\/\/cp:6443\\\\k8s" is not a valid URL \(invalid port ":6443\\\\k8s" after host\)/]] },
  { name: "an endpoint with port 0", check: "cluster-endpoint", contract: "1.12", change: legacy("cluster.controlPlane.endpoint", "https://10.0.0.1:0"), expect: [["v1alpha1", "cluster.controlPlane.endpoint", /has port 0, outside 1 to 65535/]] },
  // Go's url.Parse takes these, so Talos names the real problem; so does talc
  { name: "an endpoint with port 99999", check: "cluster-endpoint", contract: "1.12", change: legacy("cluster.controlPlane.endpoint", "https://10.0.0.1:99999"), expect: [["v1alpha1", "cluster.controlPlane.endpoint", /has port 99999, outside 1 to 65535/]] },
  { name: "an IPv6 endpoint without brackets", check: "cluster-endpoint", contract: "1.12", change: legacy("cluster.controlPlane.endpoint", "https://fd00::1:6443"), expect: [["v1alpha1", "cluster.controlPlane.endpoint", /has an IPv6 address without square brackets/]] },
  { name: "KubeClusterConfig without a name", check: "cluster-endpoint", contract: "1.14", change: inDoc("KubeClusterConfig", "clusterName", undefined), expect: [["KubeClusterConfig", "clusterName", /^is required: name the cluster$/]] },
  { name: "KubeClusterConfig with an empty name", check: "cluster-endpoint", contract: "1.14", change: inDoc("KubeClusterConfig", "clusterName", ""), expect: [["KubeClusterConfig", "clusterName", /^is required: name the cluster$/]] },
  { name: "an invalid DNS domain", check: "dns-domain", contract: "1.12", change: legacy("cluster.network.dnsDomain", "bad domain"), expect: [["v1alpha1", "cluster.network.dnsDomain", /^"bad domain" is not a valid DNS domain; expected .* such as cluster\.local$/]] },

  // etcd, cni
  { name: "etcd on a worker", check: "etcd", contract: "1.12", role: "worker", change: legacy("cluster.etcd", { advertisedSubnets: ["10.0.0.0/8"] }), expect: [["v1alpha1", "cluster.etcd", /^must not be set on worker nodes: etcd runs only on control planes$/]] },
  { name: "etcd without its CA", check: "etcd", contract: "1.14", change: legacy("cluster.etcd.ca", undefined), expect: [["v1alpha1", "cluster.etcd.ca", /^is required on control plane nodes/]] },
  { name: "etcd subnet and advertised subnets", check: "etcd", contract: "1.13", change: all(legacy("cluster.etcd.subnet", "10.0.0.0/8"), legacy("cluster.etcd.advertisedSubnets", ["10.0.0.0/8", "!bad"])), expect: [["v1alpha1", "cluster.etcd.subnet", /^cannot be set together with advertisedSubnets/], ["v1alpha1", "cluster.etcd.advertisedSubnets[1]", /^"!bad" is not valid; expected a subnet or address/]] },
  { name: "zoned addresses, which etcd's subnets take, and a zoned prefix, which they do not", check: "etcd", contract: "1.14", change: all(legacy("cluster.etcd.advertisedSubnets", ["fe80::1%eth0", "!fe80::2%eth0"]), legacy("cluster.etcd.listenSubnets", ["fe80::1%eth0/64", "fe80::/64%eth0"])), expect: [["v1alpha1", "cluster.etcd.listenSubnets[1]", /^"fe80::\/64%eth0" is not valid; expected a subnet or address such as 10\.0\.0\.0\/8, optionally negated with !$/]] },
  { name: "flannel with URLs", check: "cni", contract: "1.12", change: legacy("cluster.network.cni", { name: "flannel", urls: ["https://example.com/cni.yaml"] }), expect: [["v1alpha1", "cluster.network.cni.urls", /^must be empty for the flannel CNI/]] },
  { name: "none with flannel settings", check: "cni", contract: "1.13", change: legacy("cluster.network.cni", { name: "none", flannel: { extraArgs: ["--iface=eth0"], kubeNetworkPoliciesEnabled: true } }), expect: [["v1alpha1", "cluster.network.cni.flannel.extraArgs", /^must be empty for the none CNI/], ["v1alpha1", "cluster.network.cni.flannel.kubeNetworkPoliciesEnabled", /^must not be enabled for the none CNI/]] },
  // siderolabs/net's ValidateEndpointURI: url.Parse, then "hostname must not be blank"
  { name: "custom with bad URLs", check: "cni", contract: "1.12", change: legacy("cluster.network.cni", { name: "custom", urls: ["https://", "https://cdn example.com/cni.yaml"] }), expect: [["v1alpha1", "cluster.network.cni.urls[0]", /^"https:\/\/" has no host; expected a manifest URL/], ["v1alpha1", "cluster.network.cni.urls[1]", /^"https:\/\/cdn example\.com\/cni\.yaml" is not a valid URL \(invalid character " " in host name\); expected a manifest URL/]] },
  { name: "custom without URLs is only a talos warning", check: "cni", contract: "1.12", change: legacy("cluster.network.cni", { name: "custom" }), expect: [] },
  { name: "any CNI name on a worker, where talos does not check it", check: "cni", contract: "1.13", role: "worker", change: legacy("cluster.network.cni", { name: "cilium" }), expect: [] },
  { name: "an unknown CNI", check: "cni", contract: "1.13", change: legacy("cluster.network.cni", { name: "cilium" }), expect: [["v1alpha1", "cluster.network.cni.name", /^"cilium" is not a CNI talos knows; expected flannel, custom or none$/]] },

  // install-disk
  { name: "metal without an install section before 1.14", check: "install-disk", contract: "1.12", change: legacy("machine.install", undefined), expect: [["v1alpha1", "machine.install", /^is required in metal mode/]] },
  { name: "cloud without an install section", check: "install-disk", contract: "1.12", mode: "cloud", change: legacy("machine.install", undefined), expect: [] },
  { name: "metal without a disk", check: "install-disk", contract: "1.13", change: legacy("machine.install.disk", undefined), expect: [["v1alpha1", "machine.install.disk", /^is required in metal mode unless machine\.install\.diskSelector is set/]] },
  { name: "metal with a disk selector", check: "install-disk", contract: "1.13", change: all(legacy("machine.install.disk", undefined), legacy("machine.install.diskSelector", { size: ">= 100GB" })), expect: [] },
  { name: "a disk type talos does not know, in metal mode", check: "install-disk", contract: "1.12", change: legacy("machine.install.diskSelector", { type: "floppy" }), expect: [["v1alpha1", "machine.install.diskSelector.type", /^"floppy" is not a disk type talos knows; expected ssd, hdd, nvme or sd$/]] },
  { name: "any disk type where talos installs nothing", check: "install-disk", contract: "1.13", mode: "cloud", change: legacy("machine.install.diskSelector", { type: "NVMe" }), expect: [] },
  { name: "kernel args with the UKI command line", check: "install-disk", contract: "1.12", change: legacy("machine.install.extraKernelArgs", ["console=ttyS0"]), expect: [["v1alpha1", "machine.install.extraKernelArgs", /^cannot be used with grubUseUKICmdline: true/]] },
  { name: "1.14 metal without any install is fine", check: "install-disk", contract: "1.14", change: () => {}, expect: [] },
  { name: "an unattended install without a selector", check: "install-disk", contract: "1.14", mode: "cloud", change: add({ apiVersion: "v1alpha1", kind: "UnattendedInstallConfig", provisioning: { wipe: false } }), expect: [["UnattendedInstallConfig", "provisioning.diskSelector.match", /^is required: an expression choosing the install disk/]] },

  // host-dns
  { name: "forwarding without host DNS", check: "host-dns", contract: "1.13", mode: "cloud", change: legacy("machine.features.hostDNS.enabled", false), expect: [["v1alpha1", "machine.features.hostDNS.enabled", /^must be true when forwardKubeDNSToHost is true$/]] },
  { name: "container mode without host DNS before 1.14", check: "host-dns", contract: "1.12", mode: "container", change: legacy("machine.features.hostDNS", undefined), expect: [["v1alpha1", "machine.features.hostDNS", /^is required in container mode/]] },
  { name: "container mode without forwarding", check: "host-dns", contract: "1.14", mode: "container", change: inDoc("ResolverConfig", "hostDNS.forwardKubeDNSToHost", false), expect: [["ResolverConfig", "hostDNS.forwardKubeDNSToHost", /^must be true in container mode/]] },
  { name: "container mode without any host DNS in 1.14", check: "host-dns", contract: "1.14", mode: "container", change: drop("ResolverConfig"), expect: [["v1alpha1", "", /^host DNS is required in container mode: set hostDNS\.enabled and hostDNS\.forwardKubeDNSToHost in a ResolverConfig document$/]] },
  { name: "resolver forwarding with host DNS off", check: "host-dns", contract: "1.14", mode: "cloud", change: inDoc("ResolverConfig", "hostDNS.enabled", false), expect: [["ResolverConfig", "hostDNS.forwardKubeDNSToHost", /^cannot be enabled while hostDNS\.enabled is false$/]] },

  // legacy network
  { name: "bond and bridge on one interface", check: "legacy-interfaces", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "br0", bond: { interfaces: ["eth0"] }, bridge: { interfaces: ["eth1"] } }]), expect: [["v1alpha1", "machine.network.interfaces[0]", /^interface "br0" has both bond and bridge; choose one$/]] },
  { name: "a member of two bonds", check: "legacy-interfaces", contract: "1.13", change: legacy("machine.network.interfaces", [bond({}), { interface: "bond1", bond: { interfaces: ["eth1"] } }]), expect: [["v1alpha1", "machine.network.interfaces[1]", /^interface "eth1" is a member of both "bond0" and "bond1"/]] },
  { name: "no interface and no selector", check: "legacy-interfaces", contract: "1.12", change: legacy("machine.network.interfaces", [{ dhcp: true }]), expect: [["v1alpha1", "machine.network.interfaces[0].interface", /^is required unless deviceSelector is set/]] },
  { name: "an interface and a selector", check: "legacy-interfaces", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "eth0", deviceSelector: { driver: "virtio" } }]), expect: [["v1alpha1", "machine.network.interfaces[0].deviceSelector", /^cannot be set together with interface/]] },
  { name: "a bond member with addresses", check: "legacy-interfaces", contract: "1.12", change: legacy("machine.network.interfaces", [bond({}), { interface: "eth0", addresses: ["10.0.0.2/24"] }]), expect: [["v1alpha1", "machine.network.interfaces[1]", /^interface "eth0" is a bond or bridge member and cannot have dhcp, cidr, addresses or vip; configure them on "bond0"$/]] },
  { name: "an ignored interface is not checked", check: "legacy-interfaces", contract: "1.12", change: legacy("machine.network.interfaces", [{ ignore: true }]), expect: [] },
  { name: "an unknown bond mode", check: "legacy-bond", contract: "1.12", change: legacy("machine.network.interfaces", [bond({ mode: "fastest" })]), expect: [["v1alpha1", "machine.network.interfaces[0].bond.mode", /^"fastest" is not valid; expected one of balance-rr, active-backup/]] },
  { name: "delays without miimon", check: "legacy-bond", contract: "1.13", change: legacy("machine.network.interfaces", [bond({ updelay: 200 })]), expect: [["v1alpha1", "machine.network.interfaces[0].bond.updelay", /^cannot be set while miimon is 0/]] },
  { name: "a delay not a multiple of miimon", check: "legacy-bond", contract: "1.12", change: legacy("machine.network.interfaces", [bond({ miimon: 100, downdelay: 150 })]), expect: [["v1alpha1", "machine.network.interfaces[0].bond.downdelay", /^150 is not a multiple of miimon \(100\)$/]] },
  { name: "lacpRate outside 802.3ad", check: "legacy-bond", contract: "1.12", change: legacy("machine.network.interfaces", [bond({ mode: "active-backup", lacpRate: "fast" })]), expect: [["v1alpha1", "machine.network.interfaces[0].bond.lacpRate", /^is not available in active-backup mode; it applies to 802\.3ad$/]] },
  { name: "primary in 802.3ad", check: "legacy-bond", contract: "1.12", change: legacy("machine.network.interfaces", [bond({ primary: "eth0" })]), expect: [["v1alpha1", "machine.network.interfaces[0].bond.primary", /^is not available in 802\.3ad mode/]] },
  { name: "arpValidate in 802.3ad", check: "legacy-bond", contract: "1.12", change: legacy("machine.network.interfaces", [bond({ arpValidate: "all" })]), expect: [["v1alpha1", "machine.network.interfaces[0].bond.arpValidate", /^is not available in 802\.3ad mode$/]] },
  { name: "a cidr and addresses", check: "legacy-addressing", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "eth0", cidr: "10.0.0.2/24", addresses: ["10.0.0.3/24"] }]), expect: [["v1alpha1", "machine.network.interfaces[0].cidr", /^cannot be set together with addresses/]] },
  { name: "a bad address", check: "legacy-addressing", contract: "1.13", change: legacy("machine.network.interfaces", [{ interface: "eth0", addresses: ["10.0.0.300/24"] }]), expect: [["v1alpha1", "machine.network.interfaces[0].addresses[0]", /^"10\.0\.0\.300\/24" is not valid; expected an address or prefix/]] },
  { name: "a bad VLAN address", check: "legacy-addressing", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "eth0", vlans: [{ vlanId: 10, addresses: ["nope"] }] }]), expect: [["v1alpha1", "machine.network.interfaces[0].vlans[0].addresses[0]", /^"nope" is not valid/]] },
  { name: "a VIP that is not an IP", check: "legacy-addressing", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "eth0", vip: { ip: "10.0.0" } }]), expect: [["v1alpha1", "machine.network.interfaces[0].vip.ip", /^"10\.0\.0" is not valid; expected the shared IP address/]] },
  { name: "a route to nowhere", check: "legacy-routes", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "eth0", routes: [{ metric: 1024 }] }]), expect: [["v1alpha1", "machine.network.interfaces[0].routes[0]", /^needs a network or a gateway/]] },
  { name: "a route with a bad network and source", check: "legacy-routes", contract: "1.13", change: legacy("machine.network.interfaces", [{ interface: "eth0", routes: [{ network: "10.0.0.0", gateway: "10.0.0.1", source: "x" }] }]), expect: [["v1alpha1", "machine.network.interfaces[0].routes[0].network", /^"10\.0\.0\.0" is not valid; expected a prefix/], ["v1alpha1", "machine.network.interfaces[0].routes[0].source", /^"x" is not valid; expected an IP address/]] },
  { name: "a zoned legacy route gateway, which net.ParseIP refuses", check: "legacy-routes", contract: "1.13", change: legacy("machine.network.interfaces", [{ interface: "eth0", routes: [{ network: "10.0.0.0/8", gateway: "fe80::1%eth0" }] }]), expect: [["v1alpha1", "machine.network.interfaces[0].routes[0].gateway", /^"fe80::1%eth0" is not valid; expected an IP address such as 192\.168\.1\.1$/]] },
  { name: "a wireguard key that is not one", check: "legacy-wireguard", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "wg0", wireguard: { privateKey: "short", peers: [{ publicKey: KEY, endpoint: "10.0.0.1", allowedIPs: ["10.1.0.0/16", "10.2.0.0"] }] } }]), expect: [["v1alpha1", "machine.network.interfaces[0].wireguard.privateKey", /^is not a wireguard key/], ["v1alpha1", "machine.network.interfaces[0].wireguard.peers[0].endpoint", /^"10\.0\.0\.1" has no port/], ["v1alpha1", "machine.network.interfaces[0].wireguard.peers[0].allowedIPs[1]", /^"10\.2\.0\.0" is not valid; expected a prefix/]] },
  { name: "a redacted wireguard key is fine", check: "legacy-wireguard", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "wg0", wireguard: { privateKey: "******", peers: [{ publicKey: KEY2, endpoint: "[fd00::1]:51820" }] } }]), expect: [] },

  // v1alpha1 machine and cluster settings
  { name: "a sizeless partition before the last", check: "machine-disks", contract: "1.12", change: legacy("machine.disks", [{ device: "/dev/sdb", partitions: [{ mountpoint: "/var/a", size: 0 }, { mountpoint: "/var/b", size: "10GB" }] }]), expect: [["v1alpha1", "machine.disks[0].partitions[0].size", /^is 0, so the partition takes the rest of "\/dev\/sdb", but it is not the last one; give it a size such as 10GB, or move it last$/]] },
  { name: "a partition of 0 GB and one without a size", check: "machine-disks", contract: "1.13", change: legacy("machine.disks", [{ device: "/dev/sdb", partitions: [{ mountpoint: "/var/a", size: "0 GB" }, { mountpoint: "/var/b" }, { mountpoint: "/var/c", size: 1024 }] }]), expect: [["v1alpha1", "machine.disks[0].partitions[0].size", /^is "0 GB", so the partition/], ["v1alpha1", "machine.disks[0].partitions[1].size", /^is not set, so the partition takes the rest/]] },
  // go-humanize trims the space after the digits, a line break included: "0\n" is 0 bytes
  { name: "a partition of size 0 and a line break", check: "machine-disks", contract: "1.13", change: legacy("machine.disks", [{ device: "/dev/sdb", partitions: [{ mountpoint: "/var/a", size: "0\n" }, { mountpoint: "/var/b", size: "10GB" }] }]), expect: [["v1alpha1", "machine.disks[0].partitions[0].size", /^is "0\\n", so the partition takes the rest of "\/dev\/sdb", but it is not the last one/]] },
  { name: "only the last partition without a size", check: "machine-disks", contract: "1.14", change: legacy("machine.disks", [{ device: "/dev/sdb", partitions: [{ mountpoint: "/var/a", size: "1GiB" }, { mountpoint: "/var/b" }] }]), expect: [] },
  { name: "a protected kubelet field in extraConfig", check: "machine-kubelet", contract: "1.13", change: legacy("machine.kubelet.extraConfig", { serverTLSBootstrap: true, port: 10251 }), expect: [["v1alpha1", "machine.kubelet.extraConfig.port", /^cannot be overridden: talos sets the kubelet's port itself; remove it from extraConfig$/]] },
  { name: "a node IP subnet that is not one", check: "machine-kubelet", contract: "1.12", change: legacy("machine.kubelet.nodeIP", { validSubnets: ["10.0.0.0/8", "10.0.0.0/33"] }), expect: [["v1alpha1", "machine.kubelet.nodeIP.validSubnets[1]", /^"10\.0\.0\.0\/33" is not a valid subnet; expected an address or prefix such as 10\.0\.0\.0\/8, optionally negated with !$/]] },
  { name: "negated subnets, addresses and free kubelet settings", check: "machine-kubelet", contract: "1.13", change: all(legacy("machine.kubelet.nodeIP", { validSubnets: ["!10.0.0.0/8", "fd00::/8", "192.168.1.10"] }), legacy("machine.kubelet.extraConfig", { serverTLSBootstrap: true, maxPods: 250 })), expect: [] },
  { name: "a zoned node IP address", check: "machine-kubelet", contract: "1.12", change: legacy("machine.kubelet.nodeIP", { validSubnets: ["fe80::1%eth0", "!FE80::2%eth0"] }), expect: [] },
  { name: "two encryption keys in one slot", check: "machine-disk-encryption", contract: "1.12", change: legacy("machine.systemDiskEncryption", { state: { provider: "luks2", keys: [{ slot: 0, nodeID: {} }, { slot: 0, tpm: {} }] } }), expect: [["v1alpha1", "machine.systemDiskEncryption.state.keys[1].slot", /^slot 0 is already used by keys\[0\]; give each key a slot of its own$/]] },
  { name: "encryption without keys, and a key without a source", check: "machine-disk-encryption", contract: "1.13", change: legacy("machine.systemDiskEncryption", { ephemeral: { provider: "luks2" }, state: { provider: "luks2", keys: [{ slot: 1 }] } }), expect: [["v1alpha1", "machine.systemDiskEncryption.ephemeral.keys", /^is required: EPHEMERAL is encrypted, so it needs at least one key/], ["v1alpha1", "machine.systemDiskEncryption.state.keys[0]", /^has no key source; set one of nodeID, static, kms or tpm$/]] },
  { name: "encryption keys in their own slots", check: "machine-disk-encryption", contract: "1.14", change: legacy("machine.systemDiskEncryption", { state: { provider: "luks2", keys: [{ nodeID: {} }, { slot: 1, tpm: {} }] } }), expect: [] },
  { name: "a logging endpoint over http", check: "machine-logging", contract: "1.13", change: legacy("machine.logging", { destinations: [{ endpoint: "http://10.0.0.1:5140", format: "json_lines" }] }), expect: [["v1alpha1", "machine.logging.destinations[0].endpoint", /^"http:\/\/10\.0\.0\.1:5140" has scheme "http"; expected tcp:\/\/ or udp:\/\/, such as udp:\/\/10\.0\.0\.1:5140$/]] },
  // Talos decodes the endpoint with url.Parse: a host:port without a scheme reads as a path, whose first segment may hold no colon
  { name: "a logging destination without an endpoint or a format", check: "machine-logging", contract: "1.12", change: legacy("machine.logging", { destinations: [{ format: "json_lines" }, { endpoint: "10.0.0.1:5140" }] }), expect: [["v1alpha1", "machine.logging.destinations[1].endpoint", /^"10\.0\.0\.1:5140" is not a valid URL \(first path segment in URL cannot contain colon\)/], ["v1alpha1", "machine.logging.destinations[0].endpoint", /^is required: where to send the logs/], ["v1alpha1", "machine.logging.destinations[1].format", /^is required: json_lines/]] },
  { name: "logging endpoints without a scheme or a host, as url.URL holds them", check: "machine-logging", contract: "1.13", change: legacy("machine.logging", { destinations: [{ endpoint: "logs.example.com:5140", format: "json_lines" }, { endpoint: "udp:///5140", format: "json_lines" }, { endpoint: "udp://:5140", format: "json_lines" }] }), expect: [["v1alpha1", "machine.logging.destinations[0].endpoint", /^"logs\.example\.com:5140" has no host; expected tcp:\/\/host:port or udp:\/\/host:port/], ["v1alpha1", "machine.logging.destinations[0].endpoint", /^"logs\.example\.com:5140" has scheme "logs\.example\.com"; expected tcp:\/\/ or udp:\/\//], ["v1alpha1", "machine.logging.destinations[1].endpoint", /^"udp:\/\/\/5140" has no host/]] },
  { name: "logging endpoints url.Parse refuses, with Go's reason alone", check: "machine-logging", contract: "1.14", change: legacy("machine.logging", { destinations: [{ endpoint: "udp://[::1:5140", format: "json_lines" }, { endpoint: "http://[::1]:5140:", format: "json_lines" }] }), expect: [["v1alpha1", "machine.logging.destinations[0].endpoint", /^"udp:\/\/\[::1:5140" is not a valid URL \(missing '\]' in host\)/], ["v1alpha1", "machine.logging.destinations[1].endpoint", /^"http:\/\/\[::1\]:5140:" is not a valid URL \(invalid port ":5140:" after host\)/]] },
  { name: "logging endpoints over tcp and UDP", check: "machine-logging", contract: "1.14", change: legacy("machine.logging", { destinations: [{ endpoint: "tcp://logs.example.com:5140", format: "json_lines" }, { endpoint: "UDP://[fd00::1]:5140", format: "json_lines" }] }), expect: [] },
  { name: "a system extension listed twice", check: "machine-install", contract: "1.12", mode: "cloud", change: legacy("machine.install.extensions", [{ image: "ghcr.io/siderolabs/gvisor:1.0" }, { image: "ghcr.io/siderolabs/iscsi-tools:1.0" }, { image: "ghcr.io/siderolabs/gvisor:1.0" }]), expect: [["v1alpha1", "machine.install.extensions[2].image", /^"ghcr\.io\/siderolabs\/gvisor:1\.0" is already listed; install each system extension once$/]] },
  { name: "an install disk selected by name in metal mode", check: "machine-install", contract: "1.13", change: legacy("machine.install.diskSelector", { name: "sda" }), expect: [["v1alpha1", "machine.install.diskSelector.name", /^is not supported: talos cannot select the install disk by name/]] },
  { name: "a disk selector name outside metal mode", check: "machine-install", contract: "1.13", mode: "cloud", change: legacy("machine.install.diskSelector", { name: "sda" }), expect: [] },
  { name: "Kubernetes Talos API access on a worker", check: "machine-features", contract: "1.12", role: "worker", change: legacy("machine.features.kubernetesTalosAPIAccess", { enabled: true, allowedRoles: ["os:reader"] }), expect: [["v1alpha1", "machine.features.kubernetesTalosAPIAccess.enabled", /^can only be true on control plane nodes/]] },
  { name: "Kubernetes Talos API access with unknown roles", check: "machine-features", contract: "1.13", change: legacy("machine.features.kubernetesTalosAPIAccess", { enabled: true, allowedRoles: ["os:meta:writer", "os:bogus"] }), expect: [["v1alpha1", "machine.features.kubernetesTalosAPIAccess.allowedRoles[1]", /^"os:bogus" is not a talos role in talos 1\.13; expected one of os:admin, .*os:meta:writer/]] },
  { name: "a role talos 1.12 does not have yet", check: "machine-features", contract: "1.12", change: legacy("machine.features.kubernetesTalosAPIAccess", { enabled: true, allowedRoles: ["os:reader", "os:meta:writer"] }), expect: [["v1alpha1", "machine.features.kubernetesTalosAPIAccess.allowedRoles[1]", /^"os:meta:writer" is not a talos role in talos 1\.12/]] },
  { name: "disabled Kubernetes Talos API access is not checked", check: "machine-features", contract: "1.14", role: "worker", change: legacy("machine.features.kubernetesTalosAPIAccess", { enabled: false, allowedRoles: ["os:bogus"] }), expect: [] },
  { name: "an unknown address sort algorithm", check: "machine-features", contract: "1.13", change: legacy("machine.features.nodeAddressSortAlgorithm", "v3"), expect: [["v1alpha1", "machine.features.nodeAddressSortAlgorithm", /^"v3" is not a node address sort algorithm; expected v1 or v2$/]] },
  { name: "an address sort algorithm in capitals", check: "machine-features", contract: "1.14", change: legacy("machine.features.nodeAddressSortAlgorithm", "V2"), expect: [] },
  { name: "a null registry mirror", check: "machine-registries", contract: "1.13", change: legacy("machine.registries", { mirrors: { "docker.io": null, "ghcr.io": { endpoints: ["https://mirror.example.com"] } } }), expect: [["v1alpha1", 'machine.registries.mirrors["docker.io"]', /^is null; set the mirror's endpoints, or remove the entry$/]] },
  { name: "an empty registry config is not null", check: "machine-registries", contract: "1.12", change: legacy("machine.registries", { config: { "registry.example.com": {} } }), expect: [] },
  { name: "cloud provider manifests while it is disabled", check: "legacy-cloud-provider", contract: "1.12", change: legacy("cluster.externalCloudProvider", { manifests: ["https://example.com/ccm.yaml"] }), expect: [["v1alpha1", "cluster.externalCloudProvider.manifests", /^must be empty while the external cloud provider is disabled/]] },
  { name: "a cloud provider manifest that is not a URL", check: "legacy-cloud-provider", contract: "1.13", change: legacy("cluster.externalCloudProvider", { enabled: true, manifests: ["https://example.com/ccm.yaml", "https://"] }), expect: [["v1alpha1", "cluster.externalCloudProvider.manifests[1]", /^"https:\/\/" has no host; expected a manifest URL/]] },
  { name: "an enabled cloud provider without manifests", check: "legacy-cloud-provider", contract: "1.14", change: legacy("cluster.externalCloudProvider", { enabled: true }), expect: [] },
  { name: "an authorization flag next to authorizers", check: "legacy-control-plane", contract: "1.13", change: legacy("cluster.apiServer", { extraArgs: { "authorization-mode": "Node,RBAC" }, authorizationConfig: [{ type: "Node", name: "node" }] }), expect: [["v1alpha1", "cluster.apiServer.extraArgs.authorization-mode", /^cannot be used with cluster\.apiServer\.authorizationConfig/]] },
  { name: "incomplete and unknown authorizers", check: "legacy-control-plane", contract: "1.12", change: legacy("cluster.apiServer", { authorizationConfig: [{ type: "ABAC", name: "abac" }, { type: "RBAC" }, { name: "x" }] }), expect: [["v1alpha1", "cluster.apiServer.authorizationConfig[0].type", /^"ABAC" is not an authorizer type talos allows; expected one of Node, RBAC, Webhook$/], ["v1alpha1", "cluster.apiServer.authorizationConfig[1].name", /^is required/], ["v1alpha1", "cluster.apiServer.authorizationConfig[2].type", /^is required: one of Node, RBAC, Webhook$/]] },
  { name: "a control plane resource other than cpu or memory", check: "legacy-control-plane", contract: "1.13", change: legacy("cluster.scheduler", { resources: { requests: { cpu: "100m" }, limits: { "nvidia.com/gpu": 1 } } }), expect: [["v1alpha1", 'cluster.scheduler.resources.limits["nvidia.com/gpu"]', /^"nvidia\.com\/gpu" is not a resource talos sets for a control plane pod; expected cpu or memory$/]] },
  { name: "authorizers with other API server flags", check: "legacy-control-plane", contract: "1.12", change: legacy("cluster.apiServer", { extraArgs: { "authorization-config-reload": "true" }, authorizationConfig: [{ type: "Node", name: "node" }, { type: "Webhook", name: "w", webhook: {} }], resources: { limits: { memory: "1Gi" } } }), expect: [] },

  { name: "a VIP on a worker", check: "vip-control-plane-only", contract: "1.12", role: "worker", change: legacy("machine.network.interfaces", [{ interface: "eth0", dhcp: true, vlans: [{ vlanId: 5, vip: { ip: "10.0.0.100" } }] }]), expect: [["v1alpha1", "machine.network.interfaces[0].vlans[0].vip", /^is only allowed on control plane nodes/]] },
  { name: "a VIP on a control plane", check: "vip-control-plane-only", contract: "1.12", change: legacy("machine.network.interfaces", [{ interface: "eth0", dhcp: true, vip: { ip: "10.0.0.100" } }]), expect: [] },

  // network documents
  { name: "a link address with no prefix length", check: "link-documents", contract: "1.14", change: add(link("DummyLinkConfig", "dummy0", { addresses: [{ address: "0.0.0.0/0" }] })), expect: [["DummyLinkConfig/dummy0", "addresses[0].address", /^"0\.0\.0\.0\/0" is the unspecified address/]] },
  { name: "a route through an unspecified gateway", check: "link-documents", contract: "1.13", change: add(link("LinkConfig", "eth0", { routes: [{ gateway: "0.0.0.0" }] })), expect: [["LinkConfig/eth0", "routes[0].gateway", /^"0\.0\.0\.0" is not valid; expected an IP address/]] },
  { name: "zoned and upper-case addresses where talos reads them", check: "link-documents", contract: "1.14", change: add(link("LinkConfig", "eth0", { addresses: [{ address: "FD00::5/64" }], routes: [{ destination: "FD00:1::/64", gateway: "fe80::1%eth0", source: "FD00::5" }] }), link("BondConfig", "bond0", { links: ["eth1", "eth2"], bondMode: "active-backup", arpIpTargets: ["FE80::2%bond0"] }), link("WireguardConfig", "wg0", { privateKey: KEY, peers: [{ publicKey: KEY2, endpoint: "[fe80::3%eth0]:51820", allowedIPs: ["FD00:2::/64"] }] })), expect: [] },
  { name: "a zone where talos reads a prefix, an empty zone, and no address at all", check: "link-documents", contract: "1.12", change: add(link("LinkConfig", "eth0", { addresses: [{ address: "fd00::5%eth0/64" }], routes: [{ gateway: "fe80::1%" }] }), link("BondConfig", "bond0", { links: ["eth1"], bondMode: "active-backup", arpIpTargets: ["eth0"] })), expect: [["LinkConfig/eth0", "addresses[0].address", /^"fd00::5%eth0\/64" is not valid; expected an address with its prefix length, such as 192\.168\.1\.10\/24$/], ["LinkConfig/eth0", "routes[0].gateway", /^"fe80::1%" is not valid; expected an IP address such as 192\.168\.1\.1$/], ["BondConfig/bond0", "arpIpTargets[0]", /^"eth0" is not valid; expected an IP address such as 192\.168\.1\.1 \(an IPv6 one may name its zone, such as fe80::1%eth0\)$/]] },
  { name: "a veth peer address", check: "link-documents", contract: "1.14", change: add(link("VethConfig", "veth0", { peer: { name: "veth1", addresses: [{ address: "::/64" }] } })), expect: [["VethConfig/veth0", "peer.addresses[0].address", /unspecified address/]] },
  { name: "a bond document without links or mode", check: "bond-document", contract: "1.12", change: add(link("BondConfig", "bond0")), expect: [["BondConfig/bond0", "bondMode", /^is required: such as 802\.3ad/], ["BondConfig/bond0", "links", /^needs at least one link/]] },
  { name: "a bond document with an empty list of links", check: "bond-document", contract: "1.14", change: add(link("BondConfig", "bond0", { links: [], bondMode: "active-backup" })), expect: [["BondConfig/bond0", "links", /^needs at least one link/]] },
  { name: "a VLAN document without an ID or parent", check: "vlan-document", contract: "1.13", change: add(link("VLANConfig", "eth0.5", { vlanID: 4095, parent: "" })), expect: [["VLANConfig/eth0.5", "vlanID", /^4095 is not valid; expected a VLAN ID from 1 to 4094$/], ["VLANConfig/eth0.5", "parent", /^is required: the link the VLAN runs on/]] },
  { name: "a VLAN mode in capitals, which talos reads", check: "vlan-document", contract: "1.13", change: add(link("VLANConfig", "eth0.5", { vlanID: 5, parent: "eth0", vlanMode: "802.1AD" })), expect: [] },
  { name: "a wireguard document with bad keys", check: "wireguard-document", contract: "1.14", change: add(link("WireguardConfig", "wg0", { privateKey: "abc", peers: [{ publicKey: "", presharedKey: "xyz" }] })), expect: [["WireguardConfig/wg0", "privateKey", /^is not a wireguard key/], ["WireguardConfig/wg0", "peers[0].publicKey", /^is required: the peer's key/], ["WireguardConfig/wg0", "peers[0].presharedKey", /^is not a wireguard key/]] },
  { name: "a VIP document not named by an IP", check: "vip-documents", contract: "1.12", change: add(link("Layer2VIPConfig", "vip", { link: "eth0" })), expect: [["Layer2VIPConfig/vip", "name", /^"vip" is not an IP address; a VIP document is named by its shared IP/]] },
  { name: "a VIP document named by a zoned IPv6 address", check: "vip-documents", contract: "1.14", change: add(link("Layer2VIPConfig", "fe80::100%eth0", { link: "eth0" })), expect: [] },
  { name: "a Hetzner VIP without a token or link", check: "vip-documents", contract: "1.13", change: add(link("HCloudVIPConfig", "10.0.0.100")), expect: [["HCloudVIPConfig/10.0.0.100", "link", /^is required: the link that holds the VIP/], ["HCloudVIPConfig/10.0.0.100", "apiToken", /^is required: a Hetzner Cloud API token$/]] },
  { name: "a hostname with auto", check: "hostname-document", contract: "1.12", change: inDoc("HostnameConfig", "hostname", "node-1"), expect: [["HostnameConfig", "hostname", /^cannot be set together with auto/]] },
  { name: "a hostname document with neither", check: "hostname-document", contract: "1.14", change: inDoc("HostnameConfig", "auto", undefined), expect: [["HostnameConfig", "", /^needs auto or hostname/]] },
  { name: "a hostname label too long", check: "hostname-document", contract: "1.13", change: all(inDoc("HostnameConfig", "auto", "off"), inDoc("HostnameConfig", "hostname", `${"a".repeat(64)}.example.com`)), expect: [["HostnameConfig", "hostname", /its first label must be 1 to 63 characters$/]] },
  { name: "auto in capitals, which talos reads", check: "hostname-document", contract: "1.14", change: all(inDoc("HostnameConfig", "auto", "OFF"), inDoc("HostnameConfig", "hostname", "node-1")), expect: [] },

  // multi-document kinds
  { name: "two IPv4 pod and service subnets", check: "doc-kube-network", contract: "1.14", change: add(kubeNet(["10.244.0.0/16", "10.245.0.0/16"], ["10.96.0.0/12", "10.112.0.0/12"])), expect: [["KubeNetworkConfig", "podSubnets", /^has two IPv4 subnets; expected one subnet per IP family/], ["KubeNetworkConfig", "serviceSubnets", /^has two IPv4 subnets/]] },
  { name: "more pod than service subnets", check: "doc-kube-network", contract: "1.14", change: add(kubeNet(["10.244.0.0/16", "fd00:10:244::/56"], ["10.96.0.0/12"])), expect: [["KubeNetworkConfig", "serviceSubnets", /^has 1 subnet but podSubnets has 2; each IP family needs both a pod and a service subnet$/]] },
  { name: "a service subnet with more than 20 host bits", check: "doc-kube-network", contract: "1.14", change: add(kubeNet(["10.244.0.0/16"], ["10.0.0.0/8"])), expect: [["KubeNetworkConfig", "serviceSubnets[0]", /^"10\.0\.0\.0\/8" is too large; a service subnet has at most 20 host bits, so \/12 or longer$/]] },
  { name: "subnets with host bits set", check: "doc-kube-network", contract: "1.14", change: add(kubeNet(["10.244.0.1/16", "fd00:10:244::1/56"], ["10.96.0.0/12", "fd00::/108"])), expect: [["KubeNetworkConfig", "podSubnets[0]", /^"10\.244\.0\.1\/16" is not a network prefix: bits after \/16 are set; expected 10\.244\.0\.0\/16$/], ["KubeNetworkConfig", "podSubnets[1]", /expected fd00:10:244::\/56$/]] },
  { name: "a pod subnet smaller than a node's pod CIDR, and one that is not a subnet", check: "doc-kube-network", contract: "1.14", change: add(kubeNet(["10.244.0.0/25"], ["10.96.0.0/33"])), expect: [["KubeNetworkConfig", "serviceSubnets[0]", /^"10\.96\.0\.0\/33" is not a valid subnet/], ["KubeNetworkConfig", "podSubnets[0]", /^"10\.244\.0\.0\/25" is smaller than a node's pod CIDR \(\/24, nodeCIDRMaskSizeIPv4\); expected \/24 or shorter$/]] },
  { name: "a pod subnet too large for the node mask", check: "doc-kube-network", contract: "1.14", change: add(kubeNet(["10.0.0.0/7"], ["10.96.0.0/12"])), expect: [["KubeNetworkConfig", "podSubnets[0]", /^"10\.0\.0\.0\/7" is too large for per-node pod CIDRs of \/24 \(nodeCIDRMaskSizeIPv4\): at most 16 bits apart, so \/8 or longer$/]] },
  { name: "a tiny subnet and no service subnet", check: "doc-kube-network", contract: "1.14", change: add(kubeNet(["10.244.0.0/30"], [])), expect: [["KubeNetworkConfig", "podSubnets[0]", /^"10\.244\.0\.0\/30" is too small; a subnet needs at least 4 host bits, so \/28 or shorter$/], ["KubeNetworkConfig", "serviceSubnets", /^needs at least one subnet, such as 10\.96\.0\.0\/12$/], ["KubeNetworkConfig", "serviceSubnets", /^has 0 subnets but podSubnets has 1/]] },
  { name: "dual-stack subnets at the size limits are accepted", check: "doc-kube-network", contract: "1.14", change: add({ ...kubeNet(["10.0.0.0/12", "fd00:10:244::/48"], ["10.96.0.0/12", "fd00:10:96::/108"]), nodeCIDRMaskSizeIPv4: 28 }), expect: [] },
  { name: "per-node mask sizes of 0, which stand for the defaults", check: "doc-kube-network", contract: "1.14", change: add({ ...kubeNet(["10.244.0.0/16", "fd00:10:244::/56"], ["10.96.0.0/12", "fd00:10:96::/112"]), nodeCIDRMaskSizeIPv4: 0, nodeCIDRMaskSizeIPv6: 0 }), expect: [] },
  { name: "a negative per-node mask size", check: "doc-kube-network", contract: "1.14", change: add({ ...kubeNet(["10.244.0.0/16"], ["10.96.0.0/12"]), nodeCIDRMaskSizeIPv4: -1 }), expect: [["KubeNetworkConfig", "nodeCIDRMaskSizeIPv4", /^-1 is not valid; expected a prefix length from 1 to 32 \(per-node pod CIDR size, default 24\)$/]] },
  { name: "a kube-proxy mode talos does not know", check: "doc-kube-components", contract: "1.14", change: add(kubeProxy({ mode: "bogus" })), expect: [["KubeProxyConfig", "mode", /^"bogus" is not a kube-proxy mode; expected nftables \(the default\), iptables or ipvs$/]] },
  { name: "a disabled kube-proxy is not checked", check: "doc-kube-components", contract: "1.14", change: add(kubeProxy({ enabled: false, mode: "bogus", image: "" })), expect: [] },
  { name: "disabled components need no image", check: "doc-kube-components", contract: "1.14", change: add(...["KubeControllerManagerConfig", "KubeSchedulerConfig", "KubeProxyConfig"].map((kind) => ({ apiVersion: "v1alpha1", kind, enabled: false }))), expect: [] },
  { name: "a running component without an image", check: "doc-kube-components", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "KubeSchedulerConfig" }), expect: [["KubeSchedulerConfig", "image", /^is required: the kube-scheduler image, such as registry\.k8s\.io\/kube-scheduler:v1\.37\.0$/]] },
  { name: "kubelet settings talos manages", check: "doc-kube-components", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "KubeletConfig", image: "", config: { port: 10251, serverTLSBootstrap: true } }), expect: [["KubeletConfig", "image", /^is required: the kubelet image, such as ghcr\.io\/siderolabs\/kubelet:v1\.37\.0$/], ["KubeletConfig", "config.port", /^cannot be set: talos manages the kubelet's port itself; remove it$/]] },
  { name: "apiserver flags with documents of their own, and resources talos cannot set", check: "doc-kube-components", contract: "1.14", change: all(inDoc("KubeAPIServerConfig", "extraArgs", { "oidc-issuer-url": "https://x", "audit-log-maxage": "30" }), inDoc("KubeAPIServerConfig", "resources", { requests: { cpu: "1", "nvidia.com/gpu": "1" } })), expect: [["KubeAPIServerConfig", "extraArgs.oidc-issuer-url", /^is not allowed as an extra argument; configure it with a KubeAuthenticationConfig document$/], ["KubeAPIServerConfig", 'resources.requests["nvidia.com/gpu"]', /^"nvidia\.com\/gpu" is not a resource talos can set; expected cpu or memory$/]] },
  { name: "encrypted DNS without a server name or host DNS", check: "doc-resolver", contract: "1.14", change: all(inDoc("ResolverConfig", "hostDNS", { enabled: false }), inDoc("ResolverConfig", "nameservers", [{ address: "1.1.1.1", protocol: "DoT" }, { address: "8.8.8.8", tlsServerName: "dns.google" }, {}])), expect: [["ResolverConfig", "nameservers[0].tlsServerName", /^is required for DoT: the name on the server's certificate/], ["ResolverConfig", "nameservers[1].tlsServerName", /^must be empty for plain DNS \(Do53\)/], ["ResolverConfig", "nameservers[2].address", /^is required: the nameserver's IP address/], ["ResolverConfig", "nameservers[0].protocol", /^encrypted DNS \(DoT, DoH\) goes through host DNS, which is off; set hostDNS\.enabled: true$/]] },
  { name: "DoH with a server name and host DNS", check: "doc-resolver", contract: "1.14", change: inDoc("ResolverConfig", "nameservers", [{ address: "2606:4700:4700::1111", protocol: "DoH", tlsServerName: "cloudflare-dns.com" }]), expect: [] },
  { name: "a DUID identifier without the DUID, and a DUID without the identifier", check: "doc-dhcp", contract: "1.13", change: add(link("DHCPv4Config", "eth0", { clientIdentifier: "duid" }), link("DHCPv6Config", "eth0", { duidRaw: "00:01:00:01" })), expect: [["DHCPv4Config/eth0", "duidRaw", /^is required with clientIdentifier: duid/], ["DHCPv6Config/eth0", "duidRaw", /^is only used with clientIdentifier: duid/]] },
  { name: "a DUID with its identifier", check: "doc-dhcp", contract: "1.12", change: add(link("DHCPv6Config", "eth0", { clientIdentifier: "duid", duidRaw: "00:01:00:01" })), expect: [] },
  { name: "a DUID identifier in capitals without the DUID", check: "doc-dhcp", contract: "1.14", change: add(link("DHCPv4Config", "eth0", { clientIdentifier: "DUID" })), expect: [["DHCPv4Config/eth0", "duidRaw", /^is required with clientIdentifier: duid/]] },
  { name: "a blackhole route not named by a prefix, a rule with a reserved priority and no table", check: "doc-routing", contract: "1.13", change: add(link("BlackholeRouteConfig", "10.0.0.1"), link("RoutingRuleConfig", "32766", { table: "unspec", fwMask: 255 })), expect: [["BlackholeRouteConfig/10.0.0.1", "name", /^"10\.0\.0\.1" is not a prefix; a BlackholeRouteConfig is named by the prefix it drops/], ["RoutingRuleConfig/32766", "name", /^priority 32766 is reserved/], ["RoutingRuleConfig/32766", "table", /^is required unless action is blackhole, unreachable or prohibit/], ["RoutingRuleConfig/32766", "fwMask", /^needs fwMark/]] },
  { name: "a rule above the kernel's priorities, and a blackhole rule without a table", check: "doc-routing", contract: "1.14", change: add(link("RoutingRuleConfig", "40000", { table: "main" }), link("RoutingRuleConfig", "1000", { table: "unspec", action: "blackhole" }), link("BlackholeRouteConfig", "10.0.0.1/8")), expect: [] },
  { name: "a prohibit rule that names no table, and a lookup rule that must", check: "doc-routing", contract: "1.13", change: add(link("RoutingRuleConfig", "1000", { action: "prohibit" }), link("RoutingRuleConfig", "1001", { src: "10.0.0.0/8" })), expect: [["RoutingRuleConfig/1001", "table", /^is required unless action is blackhole, unreachable or prohibit: the routing table to look up, such as main or 100$/]] },
  { name: "a SideroLink URL with a path, a kernel log URL without a port", check: "doc-remote-endpoints", contract: "1.13", change: add({ apiVersion: "v1alpha1", kind: "SideroLinkConfig", apiUrl: "https://omni.example.com/api?jointoken=x" }, link("KmsgLogConfig", "remote", { url: "udp://10.0.0.1" })), expect: [["SideroLinkConfig", "apiUrl", /^"https:\/\/omni\.example\.com\/api\?jointoken=x" has a path; expected the API root/], ["KmsgLogConfig/remote", "url", /^"udp:\/\/10\.0\.0\.1" has no port; expected a host and port/]] },
  // Go's url.Parse reads a scheme without // as an opaque URL: no host, no port, and no path (the schema wants the //)
  { name: "opaque URLs have no path: the schema refuses a SideroLink one, a kernel log one has no port", check: "doc-remote-endpoints", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "SideroLinkConfig", apiUrl: "https:omni.example.com" }, link("KmsgLogConfig", "remote", { url: "udp:10.0.0.1:5140" })), expect: [["SideroLinkConfig", "apiUrl", /^"https:omni\.example\.com" is not valid; expected an https or grpc URL$/], ["KmsgLogConfig/remote", "url", /^"udp:10\.0\.0\.1:5140" has no port; expected a host and port/]] },
  // what Go's url.Parse refuses, Talos cannot load
  { name: "URLs Go cannot parse", check: "doc-remote-endpoints", contract: "1.13", change: add({ apiVersion: "v1alpha1", kind: "SideroLinkConfig", apiUrl: "https://omni.example.com/%zz" }, link("KmsgLogConfig", "remote", { url: "udp://10.0.0.1 x:5140" })), expect: [["SideroLinkConfig", "apiUrl", /^"https:\/\/omni\.example\.com\/%zz" is not a valid URL \(invalid URL escape "%zz"\); expected such as https:\/\/omni\.example\.com$/], ["KmsgLogConfig/remote", "url", /^"udp:\/\/10\.0\.0\.1 x:5140" is not a valid URL \(invalid character " " in host name\); expected such as udp:\/\/10\.0\.0\.1:5140$/]] },
  // Go's url.URL.Port reads from the host's first colon
  // url.URL.Port reads the digits after the host's last colon: none here, so Talos says "url port is required"
  { name: "a kernel log URL with a second colon and no port after the last", check: "doc-remote-endpoints", contract: "1.14", change: add(link("KmsgLogConfig", "remote", { url: "udp://a:b:" })), expect: [["KmsgLogConfig/remote", "url", /^"udp:\/\/a:b:" has no port; expected a host and port/]] },
  { name: "a kernel log URL with a second colon and a port after the last", check: "doc-remote-endpoints", contract: "1.13", change: add(link("KmsgLogConfig", "remote", { url: "udp://a:b:5140" })), expect: [] },
  { name: "an event sink without a port", check: "doc-remote-endpoints", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "EventSinkConfig", endpoint: "10.0.0.1" }), expect: [["EventSinkConfig", "endpoint", /^"10\.0\.0\.1" has no port; expected host:port, such as 10\.0\.0\.1:4002$/]] },
  { name: "remote endpoints Talos can dial", check: "doc-remote-endpoints", contract: "1.12", change: add({ apiVersion: "v1alpha1", kind: "SideroLinkConfig", apiUrl: "grpc://omni.example.com:8090/?jointoken=x" }, link("KmsgLogConfig", "remote", { url: "tcp://[fd00::1]:5140/" }), { apiVersion: "v1alpha1", kind: "EventSinkConfig", endpoint: "[fd00::1]:4002" }), expect: [] },
  { name: "a KubePrism port out of range", check: "doc-kubeprism", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "KubePrismConfig", port: 70000 }), expect: [["KubePrismConfig", "port", /^70000 is not a port; expected 1 to 65535/]] },
  { name: "the highest KubePrism port", check: "doc-kubeprism", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "KubePrismConfig", port: 65535 }), expect: [] },
  { name: "an authorizer without a name or a type", check: "doc-kube-authorizer", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "KubeAuthorizerConfig" }), expect: [["KubeAuthorizerConfig", "name", /^is required: the authorizer's name/], ["KubeAuthorizerConfig", "type", /^is required: one of Node, RBAC or Webhook$/]] },
  { name: "a Webhook authorizer without its settings", check: "doc-kube-authorizer", contract: "1.14", change: add(link("KubeAuthorizerConfig", "hook", { type: "Webhook" }), link("KubeAuthorizerConfig", "empty", { type: "Webhook", webhook: {} })), expect: [["KubeAuthorizerConfig/hook", "webhook", /^is required for a Webhook authorizer/], ["KubeAuthorizerConfig/empty", "webhook", /^is required for a Webhook authorizer/]] },
  { name: "authorizers Talos takes", check: "doc-kube-authorizer", contract: "1.14", change: add(link("KubeAuthorizerConfig", "hook", { type: "Webhook", webhook: { timeout: "3s" } }), link("KubeAuthorizerConfig", "node", { type: "Node" })), expect: [] },
  { name: "an admission plugin configuration without a name, and one with", check: "doc-kube-admission-control", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "KubeAdmissionControlConfig", configuration: {} }, link("KubeAdmissionControlConfig", "PodSecurity", { configuration: {} })), expect: [["KubeAdmissionControlConfig", "name", /^is required: the admission plugin/]] },
  { name: "a static host not named by an IP", check: "doc-static-host", contract: "1.12", change: add(link("StaticHostConfig", "my-host", { hostnames: [] })), expect: [["StaticHostConfig/my-host", "name", /^"my-host" is not an IP address/], ["StaticHostConfig/my-host", "hostnames", /^needs at least one hostname/]] },
  { name: "a static host named by a zoned IPv6 address", check: "doc-static-host", contract: "1.14", change: add(link("StaticHostConfig", "fe80::1%eth0", { hostnames: ["gw"] })), expect: [] },
  { name: "a VolumeConfig for an unknown volume", check: "doc-volumes", contract: "1.14", change: add(link("VolumeConfig", "BOGUS")), expect: [["VolumeConfig/BOGUS", "name", /^"BOGUS" is not a system volume; a VolumeConfig configures one of STATE, EPHEMERAL, IMAGECACHE, ETCD, CRI, KUBELET, LOG/]] },
  { name: "a VolumeConfig for a volume of a later release", check: "doc-volumes", contract: "1.13", change: add(link("VolumeConfig", "ETCD")), expect: [["VolumeConfig/ETCD", "name", /^"ETCD" is not a system volume; a VolumeConfig configures one of STATE, EPHEMERAL, IMAGECACHE \(/]] },
  { name: "a VolumeConfig for ETCD from 1.14", check: "doc-volumes", contract: "1.14", change: add(link("VolumeConfig", "ETCD")), expect: [] },
  { name: "user volume names", check: "doc-volumes", contract: "1.13", change: add(link("UserVolumeConfig", "bad name!", { provisioning: PROV }), link("RawVolumeConfig", "r".repeat(35), { provisioning: PROV }), link("SwapVolumeConfig", "s".repeat(34), { provisioning: PROV })), expect: [["UserVolumeConfig/bad name!", "name", /^"bad name!" is not a valid volume name; expected only ASCII letters, digits and hyphens/], [`RawVolumeConfig/${"r".repeat(35)}`, "name", /is 35 bytes long; a volume name has at most 34$/]] },
  { name: "a directory volume with disk settings, an existing volume without a selector", check: "doc-volumes", contract: "1.14", change: add(link("UserVolumeConfig", "data", { volumeType: "directory", provisioning: { minSize: "1GiB" } }), link("ExistingVolumeConfig", "old")), expect: [["UserVolumeConfig/data", "provisioning", /^cannot be set for volumeType directory/], ["ExistingVolumeConfig/old", "discovery.volumeSelector.match", /^is required: an expression choosing the volume/]] },
  { name: "volume and filesystem types in capitals, which talos reads", check: "doc-volumes", contract: "1.14", change: add(link("UserVolumeConfig", "data", { volumeType: "Directory", provisioning: { minSize: "1GiB" } }), link("ExternalVolumeConfig", "share", { filesystemType: "VirtioFS", mount: { virtiofs: { tag: "share" } } })), expect: [["UserVolumeConfig/data", "provisioning", /^cannot be set for volumeType directory/]] },
  // doc-volumes: provisioning
  { name: "partitions without a selector or size, with a minimum above the maximum, with a negative minimum", check: "doc-volumes", contract: "1.13", change: add(link("RawVolumeConfig", "raw"), link("SwapVolumeConfig", "swap", { provisioning: { diskSelector: { match: " " }, minSize: "2GiB", maxSize: "1GiB" } }), link("UserVolumeConfig", "data", { provisioning: { diskSelector: { match: "!system_disk" }, minSize: "-1GiB" } }), link("VolumeConfig", "EPHEMERAL", { provisioning: { minSize: "2 GB", maxSize: "1000000000" } })), expect: [["VolumeConfig/EPHEMERAL", "provisioning.minSize", /^"2 GB" is larger than maxSize "1000000000"; expected at most the maximum size$/], ["UserVolumeConfig/data", "provisioning.minSize", /^"-1GiB" is negative; expected a size such as 10GiB$/], ["RawVolumeConfig/raw", "provisioning.diskSelector.match", /^is required: an expression choosing the disk/], ["RawVolumeConfig/raw", "provisioning", /^needs a size: set minSize or maxSize/], ["SwapVolumeConfig/swap", "provisioning.diskSelector.match", /^is required/], ["SwapVolumeConfig/swap", "provisioning.minSize", /^"2GiB" is larger than maxSize "1GiB"/]] },
  { name: "partitions with a selector and a size: a negative or relative maximum is not compared, a system volume needs no selector", check: "doc-volumes", contract: "1.13", change: add(link("RawVolumeConfig", "raw", { provisioning: { diskSelector: { match: "!system_disk" }, minSize: "20GiB", maxSize: "-10GiB" } }), link("SwapVolumeConfig", "swap", { provisioning: { diskSelector: { match: "!system_disk" }, minSize: "1TB", maxSize: "50%" } }), link("UserVolumeConfig", "data", { provisioning: { diskSelector: { match: "!system_disk" }, grow: false, minSize: "1,024 MiB" } }), link("VolumeConfig", "EPHEMERAL", { provisioning: { maxSize: "-5%" } })), expect: [] },
  { name: "sizes talos 1.12 cannot read: a sign, a percentage out of range or malformed, a percentage minimum", check: "doc-volumes", contract: "1.12", change: add(link("RawVolumeConfig", "raw", { provisioning: { diskSelector: { match: "!system_disk" }, maxSize: "-10GiB" } }), link("SwapVolumeConfig", "swap", { provisioning: { diskSelector: { match: "!system_disk" }, minSize: "10%", maxSize: "150%" } }), link("VolumeConfig", "EPHEMERAL", { provisioning: { maxSize: "5%x" } })), expect: [["VolumeConfig/EPHEMERAL", "provisioning.maxSize", /^"5%x" is not a percentage; expected a number and a final %/], ["RawVolumeConfig/raw", "provisioning.maxSize", /^"-10GiB" is not a size; expected such as 10GiB or 50% \(Talos 1\.12 reads no negative sizes\)$/], ["SwapVolumeConfig/swap", "provisioning.minSize", /^"10%" is not a size; expected such as 10GiB$/], ["SwapVolumeConfig/swap", "provisioning.maxSize", /^"150%" is out of range; expected a percentage from 0% to 100%$/]] },
  { name: "sizes talos 1.12 reads", check: "doc-volumes", contract: "1.12", change: add(link("RawVolumeConfig", "raw", { provisioning: { diskSelector: { match: "!system_disk" }, minSize: "1.5 GiB", maxSize: "100%" } }), link("VolumeConfig", "EPHEMERAL", { provisioning: { minSize: "10GB", maxSize: "10GB" } })), expect: [] },
  { name: "a disk volume with sizes and grow", check: "doc-volumes", contract: "1.14", change: add(link("UserVolumeConfig", "data", { volumeType: "disk", provisioning: { diskSelector: { match: "!system_disk" }, maxSize: "10GiB", grow: true } }), link("UserVolumeConfig", "scratch", { volumeType: "tmpfs" })), expect: [["UserVolumeConfig/scratch", "volumeType", /^"tmpfs" is not supported for a user volume; expected partition, disk, directory \(partition when left out\)$/], ["UserVolumeConfig/data", "provisioning.maxSize", /^cannot be set for volumeType disk: the volume takes the whole disk; remove it$/], ["UserVolumeConfig/data", "provisioning.grow", /^cannot be set for volumeType disk/]] },
  { name: "a disk volume with only a selector", check: "doc-volumes", contract: "1.14", change: add(link("UserVolumeConfig", "data", { volumeType: "Disk", provisioning: { diskSelector: { match: "!system_disk" } } })), expect: [] },
  // doc-volumes: encryption
  { name: "encryption without a provider, without keys, with shared slots, keys without a source, a PCR out of range", check: "doc-volumes", contract: "1.12", change: add(link("RawVolumeConfig", "raw", { provisioning: PROV, encryption: { keys: [{ slot: 0, nodeID: {} }] } }), link("SwapVolumeConfig", "swap", { provisioning: PROV, encryption: { provider: "luks2", keys: [] } }), link("UserVolumeConfig", "data", { provisioning: PROV, encryption: { provider: "LUKS2", keys: [{ slot: 1, static: { passphrase: "x" } }, { slot: 1, tpm: { options: { pcrs: [7, 24] } } }, { slot: 2 }] } })), expect: [["UserVolumeConfig/data", "encryption.keys[1].slot", /^slot 1 is already used by keys\[0\]; give each key a slot of its own$/], ["UserVolumeConfig/data", "encryption.keys[1].tpm.options.pcrs[1]", /^24 is out of range; expected a PCR from 0 to 23$/], ["UserVolumeConfig/data", "encryption.keys[2]", /^has no key source; set one of nodeID, static, kms or tpm$/], ["RawVolumeConfig/raw", "encryption.provider", /^is required to encrypt; expected luks2$/], ["SwapVolumeConfig/swap", "encryption.keys", /^is required: at least one key/]] },
  { name: "luks2 with keys in slots of their own, and ciphers without a provider or keys", check: "doc-volumes", contract: "1.12", change: add(link("RawVolumeConfig", "raw", { provisioning: PROV, encryption: { provider: "luks2", keys: [{ slot: 0, tpm: { options: { pcrs: [0, 23] } } }, { slot: 1, kms: { endpoint: "https://kms.example" } }, { nodeID: {}, slot: 2 }] } }), link("SwapVolumeConfig", "swap", { provisioning: PROV, encryption: { cipher: "aes-xts-plain64" } })), expect: [] },
  // doc-volumes: system volumes
  { name: "provider none without keys is no encryption, in any letter case", check: "schema", contract: "1.14", change: add(link("RawVolumeConfig", "raw", { provisioning: PROV, encryption: { provider: "None" } }), link("UserVolumeConfig", "data", { provisioning: PROV, encryption: { provider: "none" } })), expect: [] },
  { name: "provider none with keys is no provider Talos encrypts with", check: "doc-volumes", contract: "1.12", change: add(link("RawVolumeConfig", "raw", { provisioning: PROV, encryption: { provider: "none", keys: [{ slot: 0, nodeID: {} }] } })), expect: [["RawVolumeConfig/raw", "encryption.provider", /^is required to encrypt; expected luks2$/]] },
  { name: "STATE provisioned, with a key locked to STATE", check: "doc-volumes", contract: "1.13", change: add(link("VolumeConfig", "STATE", { provisioning: { minSize: "1GiB" }, encryption: { provider: "luks2", keys: [{ slot: 0, tpm: {} }, { slot: 1, nodeID: {}, lockToState: true }] }, mount: { secure: false } })), expect: [["VolumeConfig/STATE", "provisioning", /^cannot be set for STATE: its partition is made by the installer/], ["VolumeConfig/STATE", "encryption.keys[1].lockToState", /^cannot be true for STATE/]] },
  { name: "EPHEMERAL provisioned, with a key locked to STATE", check: "doc-volumes", contract: "1.13", change: add(link("VolumeConfig", "EPHEMERAL", { provisioning: { minSize: "1GiB" }, encryption: { provider: "luks2", keys: [{ slot: 0, nodeID: {}, lockToState: true }] } })), expect: [] },
  { name: "1.14 system volumes mounted where talos does not let them be", check: "doc-volumes", contract: "1.14", change: add(link("VolumeConfig", "STATE", { mount: { secure: false } }), link("VolumeConfig", "IMAGECACHE", { mount: { disableAccessTime: false }, filesystem: { xfs: {} } }), link("VolumeConfig", "ETCD", { mount: { disableAccessTime: true } })), expect: [["VolumeConfig/STATE", "mount", /^cannot be set for STATE/], ["VolumeConfig/IMAGECACHE", "mount", /^cannot be set for IMAGECACHE/], ["VolumeConfig/IMAGECACHE", "filesystem", /^cannot be set for IMAGECACHE: it is formatted ext4/], ["VolumeConfig/ETCD", "mount", /^can only be set for ETCD when it is provisioned onto a partition of its own/]] },
  { name: "1.14 system volumes mounted on partitions of their own", check: "doc-volumes", contract: "1.14", change: add(link("VolumeConfig", "ETCD", { mount: { disableAccessTime: true }, provisioning: { diskSelector: { match: "!system_disk" }, maxSize: "10GiB" } }), link("VolumeConfig", "EPHEMERAL", { mount: { secure: false }, filesystem: { xfs: {} } })), expect: [] },
  // doc-volumes: filesystems
  { name: "user volume filesystems talos does not format, and quotas off xfs", check: "doc-volumes", contract: "1.13", change: add(link("UserVolumeConfig", "a", { provisioning: PROV, filesystem: { type: "btrfs" } }), link("UserVolumeConfig", "b", { provisioning: PROV, filesystem: { type: "ext4", projectQuotaSupport: true } }), link("UserVolumeConfig", "c", { provisioning: PROV, filesystem: { type: "vfat", projectQuotaSupport: true } })), expect: [["UserVolumeConfig/a", "filesystem.type", /^"btrfs" is not supported for a user volume; expected xfs or ext4 \(xfs when left out\)$/], ["UserVolumeConfig/c", "filesystem.type", /^"vfat" is not supported/], ["UserVolumeConfig/b", "filesystem.projectQuotaSupport", /^needs an xfs filesystem; ext4 has no project quotas$/]] },
  { name: "1.14 formats btrfs, and xfs options need xfs and sizes that read", check: "doc-volumes", contract: "1.14", change: add(link("UserVolumeConfig", "a", { provisioning: PROV, filesystem: { type: "btrfs" } }), link("UserVolumeConfig", "b", { provisioning: PROV, filesystem: { type: "ext4", xfs: {} } }), link("UserVolumeConfig", "c", { provisioning: PROV, filesystem: { projectQuotaSupport: true, xfs: { minAllocationGroupSize: "1 GiB" } } }), link("UserVolumeConfig", "d", { provisioning: PROV, filesystem: { xfs: { minAllocationGroupSize: "1 GiBs" } } }), link("VolumeConfig", "EPHEMERAL", { filesystem: { xfs: { minAllocationGroupSize: "lots" } } })), expect: [["VolumeConfig/EPHEMERAL", "filesystem.xfs.minAllocationGroupSize", /^"lots" is not a size/], ["UserVolumeConfig/b", "filesystem.xfs", /^is only for an xfs filesystem, not ext4; remove it or set type: xfs$/], ["UserVolumeConfig/d", "filesystem.xfs.minAllocationGroupSize", /^"1 GiBs" is not a size; expected such as 10GiB$/]] },
  // doc-volumes: trim and scrub
  { name: "1.14 volume trim and scrub intervals out of range", check: "doc-volumes", contract: "1.14", change: add(link("UserVolumeConfig", "data", { provisioning: PROV, trim: { interval: "-1h" }, scrub: { interval: "5s" } }), link("ExistingVolumeConfig", "old", { discovery: { volumeSelector: { match: "volume.partition_label == 'OLD'" } }, scrub: { interval: "9.5s" } }), link("VolumeConfig", "EPHEMERAL", { trim: { interval: "-1s" } })), expect: [["VolumeConfig/EPHEMERAL", "trim.interval", /^"-1s" is negative; expected a duration/], ["UserVolumeConfig/data", "trim.interval", /^"-1h" is negative/], ["UserVolumeConfig/data", "scrub.interval", /^"5s" is too short; expected at least 10s/], ["ExistingVolumeConfig/old", "scrub.interval", /^"9.5s" is too short/]] },
  { name: "1.14 volume trim and scrub intervals in range", check: "doc-volumes", contract: "1.14", change: add(link("UserVolumeConfig", "data", { provisioning: PROV, trim: { interval: "0s" }, scrub: { interval: "0s" } }), link("VolumeConfig", "EPHEMERAL", { trim: { enabled: false, interval: "1m" }, scrub: { interval: "10s" } })), expect: [] },
  // doc-zswap-trim-scrub
  { name: "a zswap pool above all memory", check: "doc-zswap-trim-scrub", contract: "1.12", change: add({ apiVersion: "v1alpha1", kind: "ZswapConfig", maxPoolPercent: 101 }), expect: [["ZswapConfig", "maxPoolPercent", /^101 is out of range; expected a percentage of memory from 0 to 100$/]] },
  { name: "a zswap pool of all memory", check: "doc-zswap-trim-scrub", contract: "1.13", change: add({ apiVersion: "v1alpha1", kind: "ZswapConfig", maxPoolPercent: 100 }), expect: [] },
  { name: "filesystem trim and scrub intervals out of range", check: "doc-zswap-trim-scrub", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "ZswapConfig", maxPoolPercent: -1 }, { apiVersion: "v1alpha1", kind: "FilesystemTrimConfig", interval: "-1m" }, { apiVersion: "v1alpha1", kind: "FilesystemScrubConfig", interval: "9s" }), expect: [["ZswapConfig", "maxPoolPercent", /^-1 is out of range/], ["FilesystemTrimConfig", "interval", /^"-1m" is negative/], ["FilesystemScrubConfig", "interval", /^"9s" is too short; expected at least 10s/]] },
  { name: "filesystem trim and scrub intervals in range", check: "doc-zswap-trim-scrub", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "ZswapConfig", maxPoolPercent: 0 }, { apiVersion: "v1alpha1", kind: "FilesystemTrimConfig", interval: "0s" }, { apiVersion: "v1alpha1", kind: "FilesystemScrubConfig", interval: "10s" }), expect: [] },
  { name: "a watchdog timeout under 10s", check: "doc-watchdog", contract: "1.12", change: add({ apiVersion: "v1alpha1", kind: "WatchdogTimerConfig", device: "/dev/watchdog0", timeout: "1s" }), expect: [["WatchdogTimerConfig", "timeout", /^"1s" is too short; the watchdog timeout is at least 10s/]] },
  { name: "a watchdog timeout of exactly 10s", check: "doc-watchdog", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "WatchdogTimerConfig", device: "/dev/watchdog0", timeout: "10000ms" }), expect: [] },
  { name: "a watchdog without a device", check: "doc-watchdog", contract: "1.13", change: add({ apiVersion: "v1alpha1", kind: "WatchdogTimerConfig", timeout: "1s" }), expect: [["WatchdogTimerConfig", "device", /^is required: the watchdog device/]] },

  // doc-veth, doc-vrf
  { name: "veth ends the kernel cannot name", check: "doc-veth", contract: "1.14", change: add(link("VethConfig", "veth-to-the-router", { peer: { name: "a/b" } }), link("VethConfig", "..", { peer: { name: "tab\there" } })), expect: [["VethConfig/veth-to-the-router", "name", /^"veth-to-the-router" is 18 bytes long; an interface name has at most 15; expected a kernel interface name/], ["VethConfig/veth-to-the-router", "peer.name", /^"a\/b" contains "\/" or ":", which an interface name cannot/], ["VethConfig/..", "name", /^"\.\." cannot name an interface/], ["VethConfig/..", "peer.name", /^"tab\\there" contains whitespace or a non-printable character/]] },
  { name: "a veth peer without a name", check: "doc-veth", contract: "1.14", change: add(link("VethConfig", "veth0", { peer: { name: "", mtu: 1500 } })), expect: [["VethConfig/veth0", "peer.name", /^is required: the name of the other end of the pair, such as veth1$/]] },
  { name: "veth ends of exactly 15 bytes, and beyond ASCII", check: "doc-veth", contract: "1.14", change: add(link("VethConfig", "veth-0123456789", { peer: { name: "veth-ü-router" } })), expect: [] },
  { name: "a VRF on the main table", check: "doc-vrf", contract: "1.13", change: add(link("VRFConfig", "vrf-blue", { links: ["eth1"], table: "Main" })), expect: [["VRFConfig/vrf-blue", "table", /^"Main" is reserved: a VRF needs a routing table of its own, a number from 1 to 252/]] },
  { name: "a VRF on no table, named", check: "doc-vrf", contract: "1.14", change: add(link("VRFConfig", "vrf-blue", { links: ["eth1"], table: "UNSPEC" })), expect: [["VRFConfig/vrf-blue", "table", /^"UNSPEC" is reserved: a VRF needs a routing table of its own/]] },
  { name: "a VRF on a table of its own", check: "doc-vrf", contract: "1.14", change: add(link("VRFConfig", "vrf-blue", { links: ["eth1"], table: "252" }), link("VRFConfig", "vrf-red", { links: ["eth2"], table: 1 })), expect: [] },

  // doc-tcp-probe, doc-http-probe
  { name: "a TCP probe without a target, with negative times and threshold", check: "doc-tcp-probe", contract: "1.13", change: add(link("TCPProbeConfig", "", { endpoint: "", timeout: "-1s", interval: "-500ms", failureThreshold: -1 })), expect: [["TCPProbeConfig/", "name", /^is required: a name for the probe/], ["TCPProbeConfig/", "endpoint", /^is required: the host and port to dial/], ["TCPProbeConfig/", "timeout", /^"-1s" is negative; expected how long one probe may take/], ["TCPProbeConfig/", "interval", /^"-500ms" is negative; expected the time between probes/], ["TCPProbeConfig/", "failureThreshold", /^-1 is negative/]] },
  { name: "a TCP probe with zero and signed times", check: "doc-tcp-probe", contract: "1.14", change: add(link("TCPProbeConfig", "proxy", { endpoint: "proxy.example.com:3128", timeout: "-0s", interval: "+1s", failureThreshold: 0 })), expect: [] },
  { name: "HTTP probe URLs without a host", check: "doc-http-probe", contract: "1.14", change: add(link("HTTPProbeConfig", "a", { url: "http://:8080/healthz" }), link("HTTPProbeConfig", "b", { url: "https://" }), link("HTTPProbeConfig", "c", { url: "https://[]:80" }), link("HTTPProbeConfig", "d", { url: "http://a b/" })), expect: [["HTTPProbeConfig/c", "url", /^"https:\/\/\[\]:80" is not a valid URL \(invalid host: ParseAddr\(""\): unable to parse IP\)/], ["HTTPProbeConfig/d", "url", /^"http:\/\/a b\/" is not a valid URL \(invalid character " " in host name\)/], ["HTTPProbeConfig/a", "url", /^"http:\/\/:8080\/healthz" has no host; expected an http or https URL/], ["HTTPProbeConfig/b", "url", /^"https:\/\/" has no host/]] },
  { name: "an HTTP probe with a negative timeout and a zero name", check: "doc-http-probe", contract: "1.14", change: add(link("HTTPProbeConfig", "", { url: "https://example.com", timeout: "-1h" })), expect: [["HTTPProbeConfig/", "name", /^is required/], ["HTTPProbeConfig/", "timeout", /^"-1h" is negative/]] },
  { name: "HTTP probes on an IPv6 host, and with a port only after a host", check: "doc-http-probe", contract: "1.14", change: add(link("HTTPProbeConfig", "a", { url: "http://[fd00::1]:8080/healthz" }), link("HTTPProbeConfig", "b", { url: "https://example.com:/", interval: "0" })), expect: [] },

  // doc-registries
  { name: "registry documents with empty names", check: "doc-registries", contract: "1.12", change: add(link("RegistryMirrorConfig", ""), link("RegistryAuthConfig", "", { username: "u", password: "p" }), link("RegistryTLSConfig", "", { insecureSkipVerify: true })), expect: [["RegistryMirrorConfig/", "name", /^is required: the registry the document applies to/], ["RegistryAuthConfig/", "name", /^is required/], ["RegistryTLSConfig/", "name", /^is required/]] },
  { name: "a mirror endpoint talos cannot read", check: "doc-registries", contract: "1.13", change: add(link("RegistryMirrorConfig", "docker.io", { endpoints: [{ url: "https://mirror.example.com" }, { url: "http://a b/" }] })), expect: [["RegistryMirrorConfig/docker.io", "endpoints[1].url", /^"http:\/\/a b\/" is not a valid URL \(invalid character " " in host name\); expected an http or https URL/]] },
  { name: "a mirror endpoint with a second colon in its host, which Go 1.25 reads", check: "doc-registries", contract: "1.12", change: add(link("RegistryMirrorConfig", "docker.io", { endpoints: [{ url: "https://mirror.example.com:a:5000" }] })), expect: [] },
  { name: "a mirror endpoint with a second colon in its host, which Go 1.26 refuses", check: "doc-registries", contract: "1.13", change: add(link("RegistryMirrorConfig", "docker.io", { endpoints: [{ url: "https://mirror.example.com:a:5000" }] })), expect: [["RegistryMirrorConfig/docker.io", "endpoints[0].url", /^"https:\/\/mirror\.example\.com:a:5000" is not a valid URL \(invalid port ":a:5000" after host\); expected an http or https URL/]] },
  { name: "registry logins two ways", check: "doc-registries", contract: "1.14", change: add(link("RegistryAuthConfig", "ghcr.io", { username: "u", password: "p", identityToken: "t" }), link("RegistryAuthConfig", "quay.io", { auth: "dTpw", identityToken: "t" })), expect: [["RegistryAuthConfig/ghcr.io", "identityToken", /^cannot be set together with username/], ["RegistryAuthConfig/quay.io", "auth", /^cannot be set together with identityToken: log in with one of auth/]] },
  { name: "registry logins one way each", check: "doc-registries", contract: "1.14", change: add(link("RegistryAuthConfig", "ghcr.io", { username: "u", password: "p" }), link("RegistryAuthConfig", "quay.io", { auth: "dTpw" }), link("RegistryAuthConfig", "gcr.io", { identityToken: "t", password: "p" })), expect: [] },
  { name: "a registry CA that is no certificate", check: "doc-registries", contract: "1.12", change: add(link("RegistryTLSConfig", "a", { ca: TLS.keyPem }), link("RegistryTLSConfig", "b", { ca: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" })), expect: [["RegistryTLSConfig/a", "ca", /^has no valid certificate; expected one or more PEM-encoded CA certificates/], ["RegistryTLSConfig/b", "ca", /^has no valid certificate/]] },
  { name: "a registry CA among other blocks", check: "doc-registries", contract: "1.13", change: add(link("RegistryTLSConfig", "a", { ca: `${TLS.keyPem}junk\n${TLS.crtPem}` })), expect: [] },
  { name: "a client identity without a certificate or a PKCS #8 key up to 1.13", check: "doc-registries", contract: "1.13", change: add(link("RegistryTLSConfig", "a", { clientIdentity: { key: TLS.keyPem } })), expect: [["RegistryTLSConfig/a", "clientIdentity.cert", /^has no PEM block; expected a PEM-encoded certificate$/], ["RegistryTLSConfig/a", "clientIdentity.key", /^is not valid: its first PEM block \(EC PRIVATE KEY\) is not a PKCS #8/]] },
  { name: "a client identity with a SEC1 key in 1.14, and one without a certificate", check: "doc-registries", contract: "1.14", change: add(link("RegistryTLSConfig", "a", { clientIdentity: { cert: TLS.crtPem, key: TLS.keyPem } }), link("RegistryTLSConfig", "b", { clientIdentity: { key: PKCS8 } }), link("RegistryTLSConfig", "c", { clientIdentity: { cert: `${TLS.crtPem}${PKCS8}`, key: "key" } })), expect: [["RegistryTLSConfig/b", "clientIdentity.cert", /^is required with a client identity/], ["RegistryTLSConfig/c", "clientIdentity.cert", /^has a "PRIVATE KEY" PEM block; expected only CERTIFICATE blocks$/]] },
  { name: "a client identity whose key is no PEM in 1.14", check: "doc-registries", contract: "1.14", change: add(link("RegistryTLSConfig", "a", { clientIdentity: { cert: TLS.crtPem, key: "key" } })), expect: [["RegistryTLSConfig/a", "clientIdentity.key", /^has no PEM block; expected a PEM-encoded private key$/]] },
  // PEM as Go's pem.Decode reads it: header lines need no blank line before a body; an END line must end in LF or nothing
  { name: "a client identity key with headers and no blank line in 1.14, and a CA whose END line ends in a lone CR", check: "doc-registries", contract: "1.14", change: add(link("RegistryTLSConfig", "a", { clientIdentity: { cert: TLS.crtPem, key: TLS.keyPem.replace("-----\n", "-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n") } }), link("RegistryTLSConfig", "b", { ca: TLS.crtPem.replaceAll("\n", "\r\n").replace(/\r\n$/, "\r") })), expect: [["RegistryTLSConfig/b", "ca", /^has no valid certificate/]] },

  { name: "CRI customizations named as talos does not take", check: "doc-cri-customization", contract: "1.14", change: add(link("CRICustomizationConfig", "customization", { content: "" }), link("CRICustomizationConfig", "Example.com/x", { content: "" }), link("CRICustomizationConfig", "a/b/c", { content: "" })), expect: [["CRICustomizationConfig/customization", "name", /^"customization" is reserved for the customization talos makes from the v1alpha1 document/], ["CRICustomizationConfig/Example.com/x", "name", /has prefix "Example\.com", which is not a lowercase DNS subdomain .*; expected a qualified name such as example\.com\/registry-tweaks$/], ["CRICustomizationConfig/a/b/c", "name", /^"a\/b\/c" has more than one "\/"/]] },
  { name: "CRI customizations with qualified names", check: "doc-cri-customization", contract: "1.14", change: add(link("CRICustomizationConfig", "example.com/registry-tweaks", { content: "" }), link("CRICustomizationConfig", "customization-2", { content: "" })), expect: [] },

  // doc-container
  { name: "containers with names and images talos cannot take", check: "doc-container", contract: "1.14", change: add(link("ContainerConfig", "My_Agent", { image: "ghcr.io/Example/agent:v1" }), link("ContainerConfig", "b", { image: "ghcr.io/example/agent:" }), link("ContainerConfig", "c", { image: "ghcr.io/example/agent@sha256:abc" }), link("ContainerConfig", "d", { image: "" }), link("ContainerConfig", "e", { image: "x" }), link("ContainerConfig", "f", { image: "my registry:5000/agent" })), expect: [["ContainerConfig/My_Agent", "name", /^"My_Agent" is not valid; expected only lowercase letters, digits and hyphens/], ["ContainerConfig/My_Agent", "image", /^"ghcr\.io\/Example\/agent:v1" has repository "Example\/agent", which may hold only lowercase letters/], ["ContainerConfig/b", "image", /has a colon without a tag after it/], ["ContainerConfig/c", "image", /has digest "sha256:abc", which is not sha256: and 64 lowercase hex digits/], ["ContainerConfig/d", "image", /^is required: the image to run/], ["ContainerConfig/e", "image", /has repository "x", which is not 2 to 255 characters long/], ["ContainerConfig/f", "image", /has registry "my registry:5000", which is not a valid host\[:port\]/]] },
  { name: "container images talos reads", check: "doc-container", contract: "1.14", change: add(link("ContainerConfig", "a", { image: "nginx" }), link("ContainerConfig", "b", { image: "localhost/agent:v1.0_rc-1" }), link("ContainerConfig", "c", { image: "registry.example.com:5000/team/agent:v1@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }), link("ContainerConfig", "d", { image: "[fd00::1]:5000/agent@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })), expect: [] },
  { name: "container environment, mounts, security, network, limits, dependencies and ids talos refuses", check: "doc-container", contract: "1.14", change: add(link("ContainerConfig", "agent", { image: "ghcr.io/example/agent:v1", environment: ["A=1", "B"], mounts: [{ tmpfs: { destination: "/tmp" }, hostPath: { source: "/a", destination: "/b" } }, { hostPath: { source: "var/x", destination: "/data", options: ["ro", "rw", "sync"] } }, { tmpfs: { destination: "/tmp" } }, { userVolume: { name: "", destination: "/tmp" } }, { tmpfs: { destination: "/tmp", options: ["noexec"] } }], security: { profile: "unconfined", capabilities: { add: ["ALL", "CAP_NET_ADMIN", "net_raw", "SYS_TIME"], drop: ["ALL", "SYS_TIME", ""] } }, network: { mode: "bridge" }, resources: { limits: { cpu: "1.5", memory: "lots" } }, dependsOn: { paths: ["run/x"], containers: ["agent", ""] }, runAs: { uid: -1, gid: 0 } })), expect: [
    ["ContainerConfig/agent", "environment[1]", /^"B" is not KEY=value/],
    ["ContainerConfig/agent", "mounts[0]", /^sets tmpfs and hostPath; expected exactly one of userVolume, tmpfs or hostPath$/],
    ["ContainerConfig/agent", "mounts[1].hostPath.source", /^"var\/x" is not an absolute path/],
    ["ContainerConfig/agent", "mounts[1].hostPath.options", /^"sync" is not a mount option talos supports/],
    ["ContainerConfig/agent", "mounts[1].hostPath.options", /^cannot hold both ro and rw/],
    ["ContainerConfig/agent", "mounts[3].userVolume.name", /^is required: the user volume to mount/],
    ["ContainerConfig/agent", "mounts[4].tmpfs.destination", /^"\/tmp" is already the destination of another mount/],
    ["ContainerConfig/agent", "security.profile", /^"unconfined" is not a profile talos supports; expected restricted or privileged$/],
    ["ContainerConfig/agent", "security.capabilities.add[0]", /^cannot be ALL; use profile: privileged/],
    ["ContainerConfig/agent", "security.capabilities.add[1]", /^"CAP_NET_ADMIN" has the CAP_ prefix; write it without, such as NET_ADMIN$/],
    ["ContainerConfig/agent", "security.capabilities.add[2]", /^"net_raw" is not valid; expected upper case letters and underscores/],
    ["ContainerConfig/agent", "security.capabilities.drop[2]", /^is empty; expected a capability name/],
    ["ContainerConfig/agent", "security.capabilities.add[0]", /^"ALL" is also in drop; keep it in one list$/],
    ["ContainerConfig/agent", "security.capabilities.add[3]", /^"SYS_TIME" is also in drop; keep it in one list$/],
    ["ContainerConfig/agent", "network.mode", /^"bridge" is not a network mode talos supports; expected none or host$/],
    ["ContainerConfig/agent", "resources.limits.memory", /^"lots" is not a size/],
    ["ContainerConfig/agent", "resources.limits.cpu", /^"1\.5" is not in millicores; expected such as 1500m$/],
    ["ContainerConfig/agent", "dependsOn.paths[0]", /^"run\/x" is not an absolute path/],
    ["ContainerConfig/agent", "dependsOn.containers[0]", /^"agent" is this container; a container cannot depend on itself$/],
    ["ContainerConfig/agent", "dependsOn.containers[1]", /^is empty; expected the name of another ContainerConfig$/],
    ["ContainerConfig/agent", "runAs.uid", /^-1 is negative/],
  ] },
  { name: "a container with every part as talos takes it", check: "doc-container", contract: "1.14", change: add(link("ContainerConfig", "agent-2", { image: "ghcr.io/example/agent:v1", environment: ["A=", "=B"], mounts: [{ userVolume: { name: "data", destination: "/data", options: ["rw", "noatime"] } }, { tmpfs: { destination: "/tmp" } }, { hostPath: { source: "/etc/agent", destination: "/etc/agent", options: ["ro", "rbind"] } }], security: { profile: "privileged", capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] } }, network: { mode: "host" }, resources: { limits: { cpu: "1m", memory: "512 MiB" } }, dependsOn: { paths: ["/run/x"], networks: ["addresses", "etcfiles"], containers: ["agent"] }, runAs: { uid: 0, gid: 65534 } }), link("ContainerConfig", "m".repeat(63), { image: "busybox:1.36", security: {}, network: {}, resources: { limits: { cpu: "0500m" } } })), expect: [] },
  // go-humanize's units are its table's only: not the names every JavaScript object has
  { name: "container memory with units that are no units", check: "doc-container", contract: "1.14", change: add(link("ContainerConfig", "a", { image: "ghcr.io/example/agent:v1", resources: { limits: { memory: "512constructor" } } }), link("ContainerConfig", "b", { image: "ghcr.io/example/agent:v1", resources: { limits: { memory: "1 __proto__" } } })), expect: [["ContainerConfig/a", "resources.limits.memory", /^"512constructor" is not a size; expected such as 512MiB$/], ["ContainerConfig/b", "resources.limits.memory", /^"1 __proto__" is not a size/]] },
  { name: "a container with no CPU", check: "doc-container", contract: "1.14", change: add(link("ContainerConfig", "agent", { image: "ghcr.io/example/agent:v1", resources: { limits: { cpu: "0m" } } }), link("ContainerConfig", "n".repeat(64), { image: "ghcr.io/example/agent:v1" })), expect: [["ContainerConfig/agent", "resources.limits.cpu", /^"0m" is zero/], [`ContainerConfig/${"n".repeat(64)}`, "name", /is 64 characters long; a container name has at most 63$/]] },

  // doc-environment, doc-kernel-module
  { name: "environment variables without POSIX names", check: "doc-environment", contract: "1.13", change: add({ apiVersion: "v1alpha1", kind: "EnvironmentConfig", variables: { "1PROXY": "x", "no-proxy": "y", "HTTP_PROXY\n": "z" } }), expect: [["EnvironmentConfig", 'variables["1PROXY"]', /^"1PROXY" is not a valid environment variable name; expected a letter or underscore/], ["EnvironmentConfig", "variables.no-proxy", /^"no-proxy" is not a valid/], ["EnvironmentConfig", 'variables["HTTP_PROXY\\n"]', /is not a valid/]] },
  { name: "environment variables with POSIX names", check: "doc-environment", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "EnvironmentConfig", variables: { _x: "1", https_proxy: "", GRPC_GO_LOG_VERBOSITY_LEVEL: "99" } }), expect: [] },
  { name: "a kernel module without a name", check: "doc-kernel-module", contract: "1.14", change: add(link("KernelModuleConfig", "", { parameters: ["a=1"] })), expect: [["KernelModuleConfig/", "name", /^is required: the kernel module to load/]] },
  { name: "a kernel module with a name", check: "doc-kernel-module", contract: "1.14", change: add(link("KernelModuleConfig", "br_netfilter", { parameters: ["a=1"] })), expect: [] },

  // doc-image-verification
  { name: "image verification rules that skip and deny, name no verifier or two", check: "doc-image-verification", contract: "1.13", change: add({ apiVersion: "v1alpha1", kind: "ImageVerificationConfig", rules: [{ image: "*", skip: true, deny: true }, { image: "ghcr.io/*" }, { image: "docker.io/*", keyless: { subject: "me" }, publicKey: {} }, { deny: true, publicKey: { certificate: PKCS8 } }] }), expect: [["ImageVerificationConfig", "rules[0].deny", /^cannot be true together with skip/], ["ImageVerificationConfig", "rules[1]", /^needs a verifier \(keyless or publicKey\), or skip or deny set to true$/], ["ImageVerificationConfig", "rules[2]", /^names both a keyless and a publicKey verifier; keep one$/], ["ImageVerificationConfig", "rules[2].keyless.issuer", /^is required: the OIDC issuer/], ["ImageVerificationConfig", "rules[2].publicKey.certificate", /^is required/], ["ImageVerificationConfig", "rules[3].image", /^is required: the image pattern/], ["ImageVerificationConfig", "rules[3]", /^names a verifier but denies the image; remove publicKey or deny$/]] },
  { name: "a keyless verifier without a subject", check: "doc-image-verification", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "ImageVerificationConfig", rules: [{ image: "ghcr.io/siderolabs/*", keyless: { issuer: "https://token.actions.githubusercontent.com" } }] }), expect: [["ImageVerificationConfig", "rules[0].keyless", /^needs subject or subjectRegex/]] },
  { name: "image verification rules each with one complete way", check: "doc-image-verification", contract: "1.14", change: add({ apiVersion: "v1alpha1", kind: "ImageVerificationConfig", rules: [{ image: "ghcr.io/siderolabs/*", keyless: { issuer: "https://token.actions.githubusercontent.com", subjectRegex: ".*" } }, { image: "registry.k8s.io/*", skip: true, deny: false, keyless: null }, { image: "*", deny: true }, { image: "example.com/*", publicKey: { certificate: PKCS8 } }] }), expect: [] },

  // doc-raid, doc-lvm-volume-group, doc-lvm-logical-volume
  { name: "RAID arrays with names mdadm cannot take, and no selector", check: "doc-raid", contract: "1.14", change: add(link("RAIDArrayConfig", "r".repeat(33), { level: "raid1", provisioning: { volumeSelector: { match: "true" } } }), link("RAIDArrayConfig", "data.mirror", { level: "raid1" }), link("RAIDArrayConfig", "", { level: "raid1", provisioning: { volumeSelector: { match: " " } } })), expect: [[`RAIDArrayConfig/${"r".repeat(33)}`, "name", /^"r{33}" is 33 bytes long; expected at most 32$/], ["RAIDArrayConfig/data.mirror", "name", /^"data\.mirror" is not valid; expected only ASCII letters, digits, hyphens and underscores/], ["RAIDArrayConfig/data.mirror", "provisioning.volumeSelector.match", /^is required: an expression choosing the member volumes of the array/], ["RAIDArrayConfig/", "name", /^is required: up to 32 ASCII letters/], ["RAIDArrayConfig/", "provisioning.volumeSelector.match", /^is required/]] },
  { name: "a RAID array named with 32 characters", check: "doc-raid", contract: "1.14", change: add(link("RAIDArrayConfig", `md_${"0".repeat(28)}-`, { level: "raid1", provisioning: { volumeSelector: { match: "disk.transport == 'nvme'" } } })), expect: [] },
  { name: "a volume group without a selector, and with a long name", check: "doc-lvm-volume-group", contract: "1.14", change: add(link("LVMVolumeGroupConfig", "vg-pool"), link("LVMVolumeGroupConfig", "v".repeat(64), { provisioning: { volumeSelector: { match: "true" } } })), expect: [["LVMVolumeGroupConfig/vg-pool", "provisioning.volumeSelector.match", /^is required: an expression choosing the volumes to make physical volumes of/], [`LVMVolumeGroupConfig/${"v".repeat(64)}`, "name", /is 64 bytes long; expected at most 63$/]] },
  { name: "a volume group with a 63-character name", check: "doc-lvm-volume-group", contract: "1.14", change: add(link("LVMVolumeGroupConfig", "v".repeat(63), { provisioning: { volumeSelector: { match: "true" } } })), expect: [] },
  { name: "logical volumes with mirrors and stripes their layout has not, and bad sizes", check: "doc-lvm-logical-volume", contract: "1.14", change: add(link("LVMLogicalVolumeConfig", "lv-a", { mirrors: 1, stripes: 2, provisioning: { volumeGroup: "vg", maxSize: "-1GB" } }), link("LVMLogicalVolumeConfig", "lv-b", { type: "RAID10", mirrors: 0, stripes: 1, provisioning: { minSize: "2GB", maxSize: "1GiB" } }), link("LVMLogicalVolumeConfig", "lv-c", { type: "raid0", provisioning: { volumeGroup: "vg" } })), expect: [["LVMLogicalVolumeConfig/lv-a", "mirrors", /^cannot be set for type linear: mirrors are only for raid1 and raid10$/], ["LVMLogicalVolumeConfig/lv-a", "stripes", /^cannot be set for type linear/], ["LVMLogicalVolumeConfig/lv-a", "provisioning.maxSize", /^"-1GB" is negative/], ["LVMLogicalVolumeConfig/lv-b", "mirrors", /^0 is too few; expected at least 1/], ["LVMLogicalVolumeConfig/lv-b", "stripes", /^1 is too few; expected at least 2/], ["LVMLogicalVolumeConfig/lv-b", "provisioning.volumeGroup", /^is required: the volume group/], ["LVMLogicalVolumeConfig/lv-b", "provisioning.minSize", /^"2GB" is larger than maxSize "1GiB"/], ["LVMLogicalVolumeConfig/lv-c", "provisioning.maxSize", /^is required: the largest size of the volume/]] },
  // minSize and maxSize are the block.ByteSize and block.Size of a volume's provisioning: Talos decodes them alike
  { name: "logical volumes with sizes talos cannot read", check: "doc-lvm-logical-volume", contract: "1.14", change: add(link("LVMLogicalVolumeConfig", "lv-a", { provisioning: { volumeGroup: "vg", minSize: "lots", maxSize: "150%" } }), link("LVMLogicalVolumeConfig", "lv-b", { provisioning: { volumeGroup: "vg", minSize: "10%", maxSize: "1 GiBs" } })), expect: [["LVMLogicalVolumeConfig/lv-a", "provisioning.minSize", /^"lots" is not a size; expected such as 10GiB$/], ["LVMLogicalVolumeConfig/lv-a", "provisioning.maxSize", /^"150%" is out of range; expected a percentage from 0% to 100%$/], ["LVMLogicalVolumeConfig/lv-b", "provisioning.minSize", /^"10%" is not a size; expected such as 10GiB$/], ["LVMLogicalVolumeConfig/lv-b", "provisioning.maxSize", /^"1 GiBs" is not a size; expected such as 10GiB or 50%$/]] },
  { name: "logical volumes whose layouts fit, with a relative maximum", check: "doc-lvm-logical-volume", contract: "1.14", change: add(link("LVMLogicalVolumeConfig", "lv-a", { type: "Raid1", mirrors: 2, provisioning: { volumeGroup: "vg", minSize: "900GB", maxSize: "10%" } }), link("LVMLogicalVolumeConfig", "lv-b", { type: "raid10", mirrors: 1, stripes: 2, provisioning: { volumeGroup: "vg", minSize: "1GB", maxSize: "1 gb" } })), expect: [] },

  { name: "a link alias pattern without %d, and no selector", check: "doc-link-alias", contract: "1.13", change: add(link("LinkAliasConfig", "net%s")), expect: [["LinkAliasConfig/net%s", "name", /^"net%s" is not a valid alias pattern; expected a prefix followed by %d/], ["LinkAliasConfig/net%s", "selector.match", /^is required: an expression choosing the link/]] },
  { name: "a link alias with % before patterns existed", check: "doc-link-alias", contract: "1.12", change: add(link("LinkAliasConfig", "net%s", { selector: { match: "true" } })), expect: [] },

  // kubespan
  { name: "a legacy KubeSpan MTU below 1280", check: "kubespan-settings", contract: "1.12", change: legacy("machine.network.kubespan", { enabled: true, mtu: 1200, filters: { endpoints: ["0.0.0.0/0", "!nope"] } }), expect: [["v1alpha1", "machine.network.kubespan.mtu", /^1200 is too small; KubeSpan needs a link MTU of at least 1280$/], ["v1alpha1", "machine.network.kubespan.filters.endpoints[1]", /^"!nope" is not valid/]] },
  { name: "a zoned KubeSpan endpoint filter, and a zoned prefix that is not a network", check: "kubespan-settings", contract: "1.13", change: legacy("machine.network.kubespan", { enabled: true, filters: { endpoints: ["!fe80::1%eth0"], excludeAdvertisedNetworks: ["fe80::1%eth0/64"] } }), expect: [["v1alpha1", "machine.network.kubespan.filters.excludeAdvertisedNetworks[0]", /^"fe80::1%eth0\/64" is not valid; expected a prefix such as 10\.0\.0\.0\/8$/]] },
  { name: "a KubeSpan document MTU below 1280", check: "kubespan-settings", contract: "1.13", change: add({ apiVersion: "v1alpha1", kind: "KubeSpanConfig", enabled: true, mtu: 1000 }), expect: [["KubeSpanConfig", "mtu", /^1000 is too small/]] },
  { name: "legacy KubeSpan without discovery", check: "kubespan-discovery", contract: "1.12", change: all(legacy("machine.network.kubespan", { enabled: true }), legacy("cluster.discovery.enabled", false)), expect: [["v1alpha1", "cluster.discovery.enabled", /^must be true when KubeSpan is enabled/]] },
  { name: "a KubeSpan document without discovery", check: "kubespan-discovery", contract: "1.14", change: all(drop("DiscoveryServiceConfig"), add({ apiVersion: "v1alpha1", kind: "KubeSpanConfig", enabled: true })), expect: [["KubeSpanConfig", "enabled", /^needs cluster discovery, which KubeSpan finds its peers through: add a DiscoveryServiceConfig document/]] },

  // discovery
  { name: "discovery without a cluster id", check: "discovery", contract: "1.12", change: legacy("cluster.id", ""), expect: [["v1alpha1", "cluster.id", /^is required while the discovery service is enabled$/]] },
  { name: "a discovery endpoint with a path", check: "discovery", contract: "1.13", change: legacy("cluster.discovery.registries.service.endpoint", "https://discovery.example.com/v1"), expect: [["v1alpha1", "cluster.discovery.registries.service.endpoint", /has a path; expected the service root/]] },
  // Talos reads the v1alpha1 endpoint with url.ParseRequestURI, which keeps a fragment in the path
  { name: "a discovery endpoint with a fragment, which ParseRequestURI reads as a path", check: "discovery", contract: "1.12", change: legacy("cluster.discovery.registries.service.endpoint", "https://discovery.example.com/#v1"), expect: [["v1alpha1", "cluster.discovery.registries.service.endpoint", /^"https:\/\/discovery\.example\.com\/#v1" has a path; expected the service root/]] },
  { name: "a discovery endpoint with an IPv6 zone, which Go reads and WHATWG URL refuses", check: "discovery", contract: "1.12", change: legacy("cluster.discovery.registries.service.endpoint", "https://[fe80::1%25eth0]:443/"), expect: [] },
  { name: "a discovery endpoint ParseRequestURI refuses", check: "discovery", contract: "1.13", change: legacy("cluster.discovery.registries.service.endpoint", "discovery.example.com/"), expect: [["v1alpha1", "cluster.discovery.registries.service.endpoint", /^"discovery\.example\.com\/" is not a valid URL \(invalid URI for request\); expected such as https:\/\/discovery\.talos\.dev\/$/]] },
  { name: "a discovery endpoint with a second colon in its host, which Go 1.25 reads", check: "discovery", contract: "1.12", change: legacy("cluster.discovery.registries.service.endpoint", "https://discovery:1:443/"), expect: [] },
  { name: "a discovery endpoint with a second colon in its host, which Go 1.26 refuses", check: "discovery", contract: "1.13", change: legacy("cluster.discovery.registries.service.endpoint", "https://discovery:1:443/"), expect: [["v1alpha1", "cluster.discovery.registries.service.endpoint", /^"https:\/\/discovery:1:443\/" is not a valid URL \(invalid port ":1:443" after host\)/]] },
  // DiscoveryServiceConfig's Validate wants a host (url.URL.Hostname)
  { name: "a discovery service document without a host", check: "discovery", contract: "1.14", change: inDoc("DiscoveryServiceConfig", "endpoint", "https://:443/"), expect: [["DiscoveryServiceConfig/default", "endpoint", /^"https:\/\/:443\/" has no host; expected such as https:\/\/discovery\.talos\.dev\/$/]] },
  { name: "a discovery service endpoint url.Parse refuses, with Go's reason", check: "discovery", contract: "1.14", change: inDoc("DiscoveryServiceConfig", "endpoint", "grpc://[::1:443"), expect: [["DiscoveryServiceConfig/default", "endpoint", /^"grpc:\/\/\[::1:443" is not a valid URL \(missing '\]' in host\)/]] },
  { name: "discovery without an identity", check: "discovery", contract: "1.14", change: drop("DiscoveryIdentityConfig"), expect: [["DiscoveryServiceConfig/default", "", /^cluster discovery needs a cluster id/], ["DiscoveryServiceConfig/default", "", /^cluster discovery needs a cluster secret/]] },
  { name: "an identity with a short secret", check: "discovery", contract: "1.14", change: inDoc("DiscoveryIdentityConfig", "clusterSecret", "c2hvcnQ="), expect: [["DiscoveryIdentityConfig", "clusterSecret", /^is not valid; expected 32 bytes in standard base64/]] },

  // node-labels
  { name: "a label key with two slashes", check: "node-labels", contract: "1.12", change: legacy("machine.nodeLabels", { "a/b/c": "x" }), expect: [["v1alpha1", 'machine.nodeLabels["a/b/c"]', /has more than one "\/"/]] },
  { name: "a label value too long", check: "node-labels", contract: "1.13", change: legacy("machine.nodeLabels", { zone: "z".repeat(64) }), expect: [["v1alpha1", "machine.nodeLabels.zone", /is longer than 63 characters$/]] },
  { name: "a reserved annotation", check: "node-labels", contract: "1.12", change: legacy("machine.nodeAnnotations", { "talos.dev/owned-labels": "[]" }), expect: [["v1alpha1", 'machine.nodeAnnotations["talos.dev/owned-labels"]', /is reserved for talos/]] },
  { name: "a taint without a valid effect", check: "node-labels", contract: "1.14", change: inDoc("KubeNodeConfig", "taints", { dedicated: "gpu:NoWay", ok: "NoSchedule" }), expect: [["KubeNodeConfig", "taints.dedicated", /^taint effect "NoWay" is not valid; expected \[value:\]effect with effect NoSchedule, PreferNoSchedule, NoExecute$/]] },
  { name: "a label prefix in capitals", check: "node-labels", contract: "1.14", change: inDoc("KubeNodeConfig", "labels", { "Example.com/x": "y" }), expect: [["KubeNodeConfig", 'labels["Example.com/x"]', /is not a lowercase DNS subdomain/]] },

  // small rules
  { name: "duplicate inline manifest names", check: "inline-manifests", contract: "1.12", change: legacy("cluster.inlineManifests", [{ name: "a", contents: "" }, { name: "a", contents: "" }, { name: " ", contents: "" }]), expect: [["v1alpha1", "cluster.inlineManifests[1].name", /^"a" is already used/], ["v1alpha1", "cluster.inlineManifests[2].name", /^is required/]] },
  { name: "persist off", check: "persist", contract: "1.13", change: legacy("persist", false), expect: [["v1alpha1", "persist", /^must be true \(or left out\)/]] },
  { name: "no etcd encryption in 1.14", check: "etcd-encryption", contract: "1.14", change: drop("KubeEtcdEncryptionConfig"), expect: [["KubeAPIServerCAConfig", "", /^a control plane running kube-apiserver needs etcd encryption/]] },
  { name: "a control plane document on a worker", check: "control-plane-only-documents", contract: "1.14", role: "worker", change: add({ apiVersion: "v1alpha1", kind: "KubeSchedulerConfig", image: "registry.k8s.io/kube-scheduler:v1.37.0" }), expect: [["KubeSchedulerConfig", "", /^is only allowed on control plane nodes, and this machine is a worker/]] },
  { name: "an unknown machine type", check: "machine-type", contract: "1.12", change: legacy("machine.type", 7), expect: [["v1alpha1", "machine.type", /^unknown machine type 7; expected controlplane or worker$/]] },
  { name: "a machine type talos has dropped", check: "machine-type", contract: "1.14", role: "worker", change: legacy("machine.type", "master"), expect: [["v1alpha1", "machine.type", /^unknown machine type "master"; expected controlplane or worker$/]] },
  { name: "an old spelling of worker", check: "machine-type", contract: "1.13", role: "worker", change: legacy("machine.type", "join"), expect: [["v1alpha1", "machine.type", /^"join" is an old name for worker; write worker$/]] },
  { name: "no machine type", check: "machine-type", contract: "1.12", role: "worker", change: legacy("machine.type", undefined), expect: [["v1alpha1", "machine.type", /^is required: controlplane or worker$/]] },

  {
    name: "names talos reads in any letter case",
    check: "schema",
    contract: "1.14",
    change: add(
      link("BondConfig", "bond0", { links: ["eth0", "eth1"], bondMode: "Active-Backup", lacpRate: "FAST", adSelect: "Stable" }),
      link("DHCPv4Config", "bond0", { clientIdentifier: "MAC" }),
      link("VLANConfig", "bond0.10", { parent: "bond0", vlanID: 10, vlanMode: "802.1Q" }),
      link("NetworkRuleConfig", "web", { portSelector: { ports: [443], protocol: "TCP" }, ingress: [{ subnet: "10.0.0.0/8" }] }),
      link("NetworkRuleConfig", "ping", { portSelector: { ports: [0], protocol: "\u0130cmp" }, ingress: [{ subnet: "10.0.0.0/8" }] }),
      { apiVersion: "v1alpha1", kind: "NetworkDefaultActionConfig", ingress: "bloc\u212a" },
      link("RoutingRuleConfig", "1000", { table: 100, action: "Unreachable" }),
      link("RoutingRuleConfig", "1001", { table: "MAIN" }),
      link("RAIDArrayConfig", "md0", { level: "RAID1", metadata: 1.2, provisioning: { volumeSelector: { match: "true" } } }),
    ),
    expect: [],
  },
  {
    name: "a name in no letter case talos reads, and one it reads only as written",
    check: "schema",
    contract: "1.14",
    change: add(
      link("NetworkRuleConfig", "web", { portSelector: { ports: [443], protocol: "tcpx" }, ingress: [{ subnet: "10.0.0.0/8" }] }),
      link("BondConfig", "bond0", { links: ["eth0", "eth1"], bondMode: "802.3ad", failOverMac: "Active" }),
      link("RoutingRuleConfig", "1000", { table: 253, action: 6 }),
    ),
    expect: [
      ["NetworkRuleConfig/web", "portSelector.protocol", /^expected one of "tcp", "udp", "icmp", "icmpv6" or the same in another letter case, got the string "tcpx"$/],
      ["BondConfig/bond0", "failOverMac", /^expected one of "none", "active", "follow", an empty text or a whole number from 0 to 2, got the string "Active"$/],
      ["RoutingRuleConfig/1000", "table", /^expected one of "unspec", "default", "main", "local", the same in another letter case or a whole number from 1 to 252, got the number 253$/],
      ["RoutingRuleConfig/1000", "action", /^expected one of "unspec", "unicast", "blackhole", "unreachable", "prohibit" or the same in another letter case, got the number 6$/],
    ],
  },
  // legacy-conflicts
  { name: "machine.kubelet next to KubeletConfig", check: "legacy-conflicts", contract: "1.14", change: all(legacy("machine.kubelet", { image: "ghcr.io/siderolabs/kubelet:v1.37.0" }), add({ apiVersion: "v1alpha1", kind: "KubeletConfig", image: "ghcr.io/siderolabs/kubelet:v1.37.0" })), expect: [["v1alpha1", "machine.kubelet", /^cannot be set together with the KubeletConfig document, which replaces it; move the setting into KubeletConfig and remove machine\.kubelet$/]] },
  { name: "cluster.id next to DiscoveryIdentityConfig", check: "legacy-conflicts", contract: "1.14", change: legacy("cluster.id", KEY), expect: [["DiscoveryServiceConfig/default", "", /^cluster discovery needs a cluster secret/], ["v1alpha1", "cluster.id", /^cannot be set together with the DiscoveryIdentityConfig document/]] },
  { name: "a static hostname next to HostnameConfig", check: "legacy-conflicts", contract: "1.12", change: legacy("machine.network.hostname", "node-1"), expect: [["v1alpha1", "machine.network.hostname", /^cannot be set together with the HostnameConfig document/]] },
  { name: "machine.time servers next to TimeSyncConfig", check: "legacy-conflicts", contract: "1.13", change: all(legacy("machine.time", { servers: ["time.cloudflare.com"] }), add({ apiVersion: "v1alpha1", kind: "TimeSyncConfig" })), expect: [["v1alpha1", "machine.time.servers", /^cannot be set together with the TimeSyncConfig document/]] },
  { name: "legacy host DNS next to a resolver's host DNS from 1.14", check: "legacy-conflicts", contract: "1.14", change: legacy("machine.features.hostDNS", { enabled: true, forwardKubeDNSToHost: true }), expect: [["v1alpha1", "machine.features.hostDNS", /^cannot be set together with the ResolverConfig document/]] },
  { name: "system disk encryption next to a STATE volume's", check: "legacy-conflicts", contract: "1.12", change: all(legacy("machine.systemDiskEncryption.state", { provider: "luks2", keys: [{ slot: 0, nodeID: {} }] }), add({ apiVersion: "v1alpha1", kind: "VolumeConfig", name: "STATE", encryption: { provider: "luks2", keys: [{ slot: 0, tpm: {} }] } })), expect: [["v1alpha1", "machine.systemDiskEncryption.state", /^cannot be set together with the VolumeConfig\/STATE document/]] },
  { name: "machine.install next to UnattendedInstallConfig", check: "legacy-conflicts", contract: "1.14", mode: "cloud", change: all(legacy("machine.install", { disk: "/dev/sda" }), add({ apiVersion: "v1alpha1", kind: "UnattendedInstallConfig", provisioning: { diskSelector: { match: "true" } } })), expect: [["v1alpha1", "machine.install", /^cannot be set together with the UnattendedInstallConfig document/]] },
];

describe("baselines are valid", () => {
  for (const contract of ["1.12", "1.13", "1.14"] as const) {
    for (const role of ["controlplane", "worker"] as const) {
      for (const mode of ["metal", "cloud", "container"] as const) {
        test(`v${contract} ${role} ${mode}`, () => assert.deepEqual(validateDocuments(baseline(contract, role), { contract, mode }), []));
      }
    }
  }
});

function matches(problems: ValidationProblem[], expect: Case["expect"]): boolean {
  return problems.length === expect.length && expect.every(([d, p, m], i) => problems[i].document === d && problems[i].path === p && m.test(problems[i].message));
}

describe("one change to a valid baseline", () => {
  for (const c of CASES) {
    test(`${c.check}: ${c.name} (v${c.contract})`, () => {
      const docs = baseline(c.contract, c.role ?? "controlplane");
      c.change(docs);
      const problems = validateDocuments(docs, { contract: c.contract, mode: c.mode ?? "metal" });
      assert.ok(matches(problems, c.expect), `got:\n${problems.map((p) => `  ${p.document} | ${p.path} | ${p.message}`).join("\n")}`);
      for (const p of problems) assert.equal(p.message, p.message.replace(/^[A-Z]/, (x) => x.toLowerCase()), "messages start in lowercase");
    });
  }
});

test("every check has cases", () => {
  const covered = new Set(CASES.map((c) => c.check));
  const missing = CHECKS.map((c) => c.id).filter((id) => !covered.has(id));
  assert.deepEqual(missing, []);
  assert.equal(new Set(CHECKS.map((c) => c.id)).size, CHECKS.length, "check ids are unique");
  for (const c of CHECKS) assert.match(c.id, /^[a-z]+(-[a-z0-9]+)*$/);
});

test("sealed documents shared between configs give the problems unshared ones give", () => {
  // As the compiler hands them over: every config of a contract and role shares its baseline's
  // (sealed) documents wherever it has them unchanged, and has sealed documents of its own elsewhere.
  const shared = new Map<string, ConfigDocument[]>();
  const sealedBaseline = (contract: Contract, role: Role): ConfigDocument[] => {
    const key = `${contract}/${role}`;
    if (!shared.has(key)) shared.set(key, baseline(contract, role).map((d) => (seal(d), d)));
    return shared.get(key)!;
  };
  for (let round = 0; round < 2; round++) {
    for (const c of CASES) {
      for (const mode of ["metal", "cloud", "container"] as const) {
        const contract = c.contract;
        const role = c.role ?? "controlplane";
        const docs = baseline(contract, role);
        c.change(docs);
        const base = sealedBaseline(contract, role);
        const mixed = docs.map((d, i) => {
          if (base[i] !== undefined && dataKey(base[i]) === dataKey(d)) return base[i];
          const own = structuredClone(d);
          seal(own);
          return own;
        });
        // a case changes a document or two, so the rest must really be the shared (sealed) ones
        assert.ok(mixed.some((d, i) => d === base[i]), `${c.name} (${mode}): no shared document reached validateDocuments`);
        const want = validateDocuments(structuredClone(docs), { contract, mode });
        assert.deepEqual(validateDocuments(mixed, { contract, mode }), want, `${c.name} (${mode}, round ${round})`);
      }
    }
  }
});

test("the input is not changed", () => {
  const docs = baseline("1.12", "controlplane");
  legacy("machine.sysctls", null)(docs);
  const before = structuredClone(docs);
  validateDocuments(docs, { contract: "1.12", mode: "metal" });
  assert.deepEqual(docs, before);
});

test("validation is quick once a kind is compiled", () => {
  const docs = baseline("1.14", "controlplane");
  validateDocuments(docs, { contract: "1.14", mode: "metal" });
  const start = performance.now();
  for (let i = 0; i < 200; i++) validateDocuments(docs, { contract: "1.14", mode: "metal" });
  assert.ok(performance.now() - start < 1000, "200 validations took over a second");
});

test("a registry client identity is cert and key in every release, as Talos's Go type reads it", () => {
  for (const contract of ["1.12", "1.13", "1.14"] as const) {
    const tls = (identity: Record<string, unknown>) => [...baseline(contract, "worker"), link("RegistryTLSConfig", "registry.example", { clientIdentity: identity })];
    const problems = (docs: ConfigDocument[]) => validateDocuments(docs, { contract, mode: "container" }).filter((p) => p.document.startsWith("RegistryTLSConfig"));
    assert.deepEqual(problems(tls({ cert: TLS.crtPem, key: PKCS8 })), [], contract);
    // the published 1.12 and 1.13 schemas say crt, which Talos's decoder refuses as an unknown field
    assert.ok(problems(tls({ crt: TLS.crtPem, key: PKCS8 })).some((p) => p.path === "clientIdentity.crt" && /^unknown field "crt"; did you mean "cert"\?$/.test(p.message)), contract);
  }
});
