// Which config fields hold secrets. Output under out/ carries the marker in
// every one of them; the real values exist only in the encrypted bundle and in
// what `talc materialize` writes for the apply step.

/** Talos's own redaction marker. */
export const REDACTED = "******";

/**
 * Secret fields per document kind ("v1alpha1" for the legacy document), as
 * dotted paths where `*` stands for every list item or map value.
 */
export const SECRET_PATHS: Readonly<Record<string, readonly string[]>> = {
  v1alpha1: [
    "machine.token",
    "machine.ca.key",
    "machine.network.interfaces.*.wireguard.privateKey",
    "machine.network.interfaces.*.wireguard.peers.*.presharedKey",
    "machine.network.interfaces.*.vip.equinixMetal.apiToken",
    "machine.network.interfaces.*.vip.hcloud.apiToken",
    "machine.network.interfaces.*.vlans.*.vip.equinixMetal.apiToken",
    "machine.network.interfaces.*.vlans.*.vip.hcloud.apiToken",
    "machine.registries.config.*.auth.password",
    "machine.registries.config.*.auth.auth",
    "machine.registries.config.*.auth.identityToken",
    "machine.registries.config.*.tls.clientIdentity.key",
    "machine.systemDiskEncryption.*.keys.*.static.passphrase",
    "cluster.secret",
    "cluster.token",
    "cluster.secretboxEncryptionSecret",
    "cluster.aescbcEncryptionSecret",
    "cluster.ca.key",
    "cluster.aggregatorCA.key",
    "cluster.serviceAccount.key",
    "cluster.etcd.ca.key",
  ],
  DiscoveryIdentityConfig: ["clusterSecret"],
  KubeAPIServerCAConfig: ["issuingCA.key"],
  KubeAggregatorCAConfig: ["issuingCA.key"],
  KubeServiceAccountConfig: ["issuer.privateKey"],
  KubeEtcdEncryptionConfig: ["config.resources.*.providers.*.*.keys.*.secret"],
  WireguardConfig: ["privateKey", "peers.*.presharedKey"],
  RegistryAuthConfig: ["password", "auth", "identityToken"],
  RegistryTLSConfig: ["clientIdentity.key"],
  HCloudVIPConfig: ["apiToken"],
  VolumeConfig: ["encryption.keys.*.static.passphrase"],
  UserVolumeConfig: ["encryption.keys.*.static.passphrase"],
  RawVolumeConfig: ["encryption.keys.*.static.passphrase"],
  SwapVolumeConfig: ["encryption.keys.*.static.passphrase"],
};
