import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";

import { TOKEN_PATTERN, type ParsedSecretsBundle } from "./types.ts";
import { decodePem, decodeStdBase64 } from "./pem.ts";
import { REDACTED } from "../talos/secrets.ts";

// Problems never quote secret values: the messages end up in CI logs.


type KeyKind = "ed25519" | "ecdsa" | "rsa";

/** The pair sections of `certs`, in the order Talos reports them, with the key types each accepts. */
const CA_SECTIONS = [
  // RSA is accepted next to ECDSA because `talosctl gen secrets --from-kubernetes-pki`
  // imports kubeadm's RSA CAs; Kubernetes and etcd work with either.
  { name: "etcd", kinds: ["ecdsa", "rsa"] },
  { name: "k8s", kinds: ["ecdsa", "rsa"] },
  { name: "k8saggregator", kinds: ["ecdsa", "rsa"] },
  // apid and trustd issue Ed25519 certificates from this CA; Talos has only ever made it Ed25519.
  { name: "os", kinds: ["ed25519"] },
] as const satisfies readonly { name: string; kinds: readonly KeyKind[] }[];

/** kube-apiserver signs service account tokens with RSA or ECDSA keys only. */
const SERVICE_ACCOUNT_KINDS: readonly KeyKind[] = ["rsa", "ecdsa"];

/** Curves Go's crypto/x509 parses; anything else would not load in Talos. */
const EC_CURVES: Record<string, string> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
};

function isEmpty(value: string | undefined): value is undefined | "" {
  return value === undefined || value === "";
}

function kindOf(key: KeyObject): KeyKind | undefined {
  switch (key.asymmetricKeyType) {
    case "ed25519":
      return "ed25519";
    case "ec":
      return "ecdsa";
    case "rsa":
      return "rsa";
    default:
      return undefined;
  }
}

function alternatives(kinds: readonly string[]): string {
  return kinds.length === 1 ? kinds[0]! : `${kinds.slice(0, -1).join(", ")} or ${kinds[kinds.length - 1]}`;
}

/** Parses a bundle key field; returns the key or the reason it is unusable. */
function parseKey(value: string | undefined, kinds: readonly KeyKind[]): KeyObject | string {
  if (value === REDACTED) return `its key is redacted ("${REDACTED}"); a bundle needs the real key`;
  const pem = decodeStdBase64(value ?? "");
  if (pem === undefined) return "its key is not valid base64";
  // An absent key decodes to nothing, which holds no PEM block either, as in Talos.
  const block = decodePem(pem);
  if (block === undefined) return "its PEM block does not parse";

  const formats: Record<string, "pkcs1" | "sec1" | "pkcs8"> = {
    "RSA PRIVATE KEY": "pkcs1",
    "EC PRIVATE KEY": "sec1",
    "ED25519 PRIVATE KEY": "pkcs8",
    "PRIVATE KEY": "pkcs8",
  };
  const type = formats[block.type];
  if (type === undefined) return `unsupported key type "${block.type}"`;

  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(block.bytes), format: "der", type });
  } catch {
    return `its "${block.type}" block does not parse as a ${type} private key`;
  }
  const kind = kindOf(key);
  if (kind === undefined) return `unsupported key algorithm "${key.asymmetricKeyType}"`;
  if (block.type === "ED25519 PRIVATE KEY" && kind !== "ed25519") {
    return `its "ED25519 PRIVATE KEY" block holds an ${kind} key`;
  }
  if (!kinds.includes(kind)) return `its key is ${kind}; want ${alternatives(kinds)}`;
  if (kind === "ecdsa") {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? "unknown";
    if (!(curve in EC_CURVES)) return `its ecdsa key uses curve ${curve}; want P-256, P-384 or P-521`;
  }
  return key;
}

/** Checks a CA pair; returns the first reason it is unusable, key first as Talos does. */
function checkCertAndKey(pair: { crt?: string; key?: string }, kinds: readonly KeyKind[]): string | undefined {
  const key = parseKey(pair.key, kinds);
  if (typeof key === "string") return key;

  const pem = decodeStdBase64(pair.crt ?? "");
  if (pem === undefined) return "its certificate is not valid base64";
  const block = decodePem(pem);
  if (block === undefined) return "its certificate PEM block does not parse";
  if (block.type !== "CERTIFICATE") return `its certificate PEM block has type "${block.type}"; want "CERTIFICATE"`;

  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(block.bytes));
  } catch {
    return "its certificate does not parse";
  }
  if (!cert.checkPrivateKey(key)) return "its certificate does not match its key";
  if (!cert.ca) return "its certificate is not a ca (basic constraints ca:true is missing)";
  return undefined;
}

function checkBase64Secret(path: string, value: string, sizes: readonly number[]): string | undefined {
  const bytes = decodeStdBase64(value);
  const want = `${alternatives(sizes.map(String))} random bytes in standard base64`;
  if (bytes === undefined) return `${path} is invalid: not standard base64; want ${want}`;
  if (!sizes.includes(bytes.length)) return `${path} is invalid: decodes to ${bytes.length} bytes; want ${want}`;
  return undefined;
}

function checkToken(path: string, value: string): string | undefined {
  if (TOKEN_PATTERN.test(value)) return undefined;
  return `${path} is invalid: want 6 and 16 characters of [0-9a-z] joined by a dot, like abcdef.0123456789abcdef`;
}

/**
 * Lists every problem of a bundle as `<config path> is …` messages, in the order Talos
 * reports them (cluster, secrets, trustdinfo, certs); an empty list means the bundle is valid.
 */
export function validateSecretsBundle(bundle: ParsedSecretsBundle): string[] {
  const problems: string[] = [];
  const add = (problem: string | undefined) => {
    if (problem !== undefined) problems.push(problem);
  };

  const { cluster, secrets, trustdinfo, certs } = bundle;

  if (cluster === undefined) {
    add("cluster is required");
  } else {
    // Talos uses the ID only as an opaque identifier and never decodes it, so any
    // non-empty value works; bundles differ in its base64 alphabet across releases.
    if (isEmpty(cluster.id)) add("cluster.id is required");
    if (isEmpty(cluster.secret)) add("cluster.secret is required");
    else add(checkBase64Secret("cluster.secret", cluster.secret, [32]));
  }

  if (secrets === undefined) {
    add("secrets is required");
  } else {
    if (isEmpty(secrets.bootstraptoken)) add("secrets.bootstraptoken is required");
    else add(checkToken("secrets.bootstraptoken", secrets.bootstraptoken));

    const aescbc = secrets.aescbcencryptionsecret;
    const secretbox = secrets.secretboxencryptionsecret;
    if (isEmpty(aescbc) && isEmpty(secretbox)) {
      add("one of secrets.secretboxencryptionsecret or secrets.aescbcencryptionsecret is required");
    } else if (!isEmpty(aescbc) && !isEmpty(secretbox)) {
      add("only one of secrets.secretboxencryptionsecret or secrets.aescbcencryptionsecret is allowed");
    } else if (!isEmpty(secretbox)) {
      // secretbox (XSalsa20-Poly1305) takes exactly a 32-byte key.
      add(checkBase64Secret("secrets.secretboxencryptionsecret", secretbox, [32]));
    } else if (!isEmpty(aescbc)) {
      // AES-CBC in kube-apiserver takes AES-128, -192 or -256 keys.
      add(checkBase64Secret("secrets.aescbcencryptionsecret", aescbc, [16, 24, 32]));
    }
  }

  if (trustdinfo === undefined) {
    add("trustdinfo is required");
  } else if (isEmpty(trustdinfo.token)) {
    add("trustdinfo.token is required");
  } else {
    add(checkToken("trustdinfo.token", trustdinfo.token));
  }

  if (certs === undefined) {
    add("certs is required");
    return problems;
  }
  for (const section of CA_SECTIONS) {
    const pair = certs[section.name];
    if (section.name === "os") {
      // Talos lists the service account key just before the OS CA.
      const sa = certs.k8sserviceaccount;
      if (sa === undefined) {
        add("certs.k8sserviceaccount is required");
      } else {
        const key = parseKey(sa.key, SERVICE_ACCOUNT_KINDS);
        if (typeof key === "string") add(`certs.k8sserviceaccount.key is invalid: ${key}`);
      }
    }
    if (pair === undefined) {
      add(`certs.${section.name} is required`);
      continue;
    }
    const reason = checkCertAndKey(pair, section.kinds);
    if (reason !== undefined) add(`certs.${section.name} is invalid: ${reason}`);
  }
  return problems;
}
