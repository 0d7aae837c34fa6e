// The secrets bundle's data model, shared by generation, encoding and validation.

/** A CA certificate and its private key, each base64 of PEM as in the bundle file. */
export interface CertAndKey {
  crt: string;
  key: string;
}

/** A bare private key, base64 of PEM as in the bundle file. */
export interface KeyOnly {
  key: string;
}

/**
 * A complete secrets bundle, laid out like `talosctl gen secrets` writes it (lowercase keys,
 * certificates and keys as base64 of PEM).
 */
export interface SecretsBundle {
  cluster: {
    /** Discovery cluster ID: 32 random bytes in base64 (URL-safe alphabet before 1.14). */
    id: string;
    /** Discovery encryption key: 32 random bytes, standard base64. */
    secret: string;
  };
  secrets: {
    /** Kubernetes bootstrap token, `[0-9a-z]{6}.[0-9a-z]{16}`. */
    bootstraptoken: string;
    /** etcd encryption key for the aescbc provider; only bundles made for Talos ≤ 1.2 have it. */
    aescbcencryptionsecret?: string;
    /** etcd encryption key for the secretbox provider (exactly one of the two is set). */
    secretboxencryptionsecret?: string;
  };
  trustdinfo: {
    /** Token machines present to trustd, same shape as the bootstrap token. */
    token: string;
  };
  certs: {
    etcd: CertAndKey;
    k8s: CertAndKey;
    k8saggregator: CertAndKey;
    k8sserviceaccount: KeyOnly;
    os: CertAndKey;
  };
}

type Partialize<T> = { [K in keyof T]?: T[K] extends object ? Partialize<T[K]> : T[K] };

/** A bundle as read from a file, before validation: any field may be missing. */
export type ParsedSecretsBundle = Partialize<SecretsBundle>;

/** Shape of the bootstrap and trustd tokens (the kubeadm bootstrap token format). */
export const TOKEN_PATTERN = /^[0-9a-z]{6}\.[0-9a-z]{16}$/;
