// DER read as Go's crypto/x509 reads certificates and PKCS #8 keys: what the rules of documents
// carrying certificates need (AssertValidPEM, CertPool.AppendCertsFromPEM, ParsePKCS8PrivateKey).

import { X509Certificate, createPrivateKey } from "node:crypto";

/** Whether DER bytes are a certificate x509.ParseCertificate reads. */
export function isCertificate(der: Uint8Array): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

// the curves crypto/x509 reads in PKCS #8 (P-224, P-256, P-384, P-521)
const GO_CURVES = ["secp224r1", "prime256v1", "secp384r1", "secp521r1"];

/** Whether DER bytes are a PKCS #8 private key x509.ParsePKCS8PrivateKey reads (RSA, ECDSA, Ed25519, X25519). */
export function isPKCS8Key(der: Uint8Array): boolean {
  try {
    const key = createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
    const type = key.asymmetricKeyType;
    if (type === "ec") return GO_CURVES.includes(key.asymmetricKeyDetails?.namedCurve ?? "");
    return type === "rsa" || type === "ed25519" || type === "x25519";
  } catch {
    return false;
  }
}
