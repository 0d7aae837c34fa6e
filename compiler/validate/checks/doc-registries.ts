// The image registry documents (RegistryMirrorConfig, RegistryAuthConfig, RegistryTLSConfig),
// each named by the registry it applies to: a mirror's endpoints are URLs Go reads (their
// scheme is left to the schema), a registry is logged in to one way, and TLS material is PEM that reads as certificates and
// keys. How a client identity is judged changed in 1.14.

import type { Check } from "../types.ts";
import { goURLOptions, type Contract } from "../../talos/contract.ts";
import { goURLMessage, parseGoURL } from "../../talos/typed.ts";
import { documentCheck } from "./judged.ts";
import { child, isMapping, list, mapping, quote, str, type Mapping } from "../../value.ts";
import { decodePem, pemBlocks } from "../../secrets/pem.ts";
import { isCertificate, isPKCS8Key } from "./x509.ts";

type Problems = Array<[string, string]>;

// a name left out is the schema's to report; an empty one passes it
function named(data: Mapping, problems: Problems): void {
  if (data.name === "") problems.push(["name", "is required: the registry the document applies to, such as docker.io (or * for every registry)"]);
}

function judgeMirror(data: Mapping, contract: Contract): Problems {
  const problems: Problems = [];
  named(data, problems);
  list(data.endpoints).forEach((e, i) => {
    const path = `${child("endpoints", i)}.url`;
    // a URL left out or of another scheme is the schema's to report; one Go cannot parse passes it
    const text = str(mapping(e)?.url);
    const url = text === "" ? undefined : parseGoURL(text, goURLOptions(contract));
    if (typeof url === "string") problems.push([path, goURLMessage(text, url, "an http or https URL such as https://mirror.example.com")]);
  });
  return problems;
}

function judgeAuth(data: Mapping): Problems {
  const problems: Problems = [];
  named(data, problems);
  const username = str(data.username) !== "";
  const token = str(data.identityToken) !== "";
  if (username && token) problems.push(["identityToken", "cannot be set together with username: log in with username and password or with an identity token, not both"]);
  if (str(data.auth) !== "" && (username || token)) problems.push(["auth", `cannot be set together with ${username ? "username" : "identityToken"}: log in with one of auth, username and password, or an identity token`]);
  return problems;
}

/** Why a client identity is refused up to 1.13: its cert must read as a certificate, its key as a PKCS #8 key. */
function identityProblems13(identity: Mapping): Problems {
  const problems: Problems = [];
  const cert = decodePem(str(identity.cert));
  if (cert === undefined) problems.push(["clientIdentity.cert", "has no PEM block; expected a PEM-encoded certificate"]);
  else if (!isCertificate(cert.bytes)) problems.push(["clientIdentity.cert", `is not valid: its first PEM block (${cert.type}) is not an X.509 certificate`]);
  const key = decodePem(str(identity.key));
  if (key === undefined) problems.push(["clientIdentity.key", "has no PEM block; expected a PEM-encoded PKCS #8 private key (BEGIN PRIVATE KEY)"]);
  else if (!isPKCS8Key(key.bytes)) problems.push(["clientIdentity.key", `is not valid: its first PEM block (${key.type}) is not a PKCS #8 RSA, ECDSA or Ed25519 private key (BEGIN PRIVATE KEY)`]);
  return problems;
}

/** Why a client identity is refused from 1.14: both set, the cert only CERTIFICATE blocks, the key some PEM; the first problem only. */
function identityProblem14(identity: Mapping): [string, string] | undefined {
  const cert = str(identity.cert);
  const key = str(identity.key);
  if (cert === "") return ["clientIdentity.cert", "is required with a client identity: the PEM-encoded client certificate"];
  if (key === "") return ["clientIdentity.key", "is required with a client identity: the PEM-encoded private key"];
  const certBlocks = pemBlocks(cert);
  if (certBlocks.length === 0) return ["clientIdentity.cert", "has no PEM block; expected a PEM-encoded certificate"];
  const other = certBlocks.find((b) => b.type !== "CERTIFICATE");
  if (other !== undefined) return ["clientIdentity.cert", `has a ${quote(other.type)} PEM block; expected only CERTIFICATE blocks`];
  if (decodePem(key) === undefined) return ["clientIdentity.key", "has no PEM block; expected a PEM-encoded private key"];
  return undefined;
}

function judgeTLS(data: Mapping, contract: Contract): Problems {
  const problems: Problems = [];
  named(data, problems);
  const ca = str(data.ca);
  // a CA pool takes CERTIFICATE blocks without headers that read as certificates, and needs one
  if (ca !== "" && !pemBlocks(ca).some((b) => b.type === "CERTIFICATE" && b.headers.size === 0 && isCertificate(b.bytes))) {
    problems.push(["ca", "has no valid certificate; expected one or more PEM-encoded CA certificates (BEGIN CERTIFICATE)"]);
  }
  const identity = data.clientIdentity;
  if (isMapping(identity)) {
    if (contract === "1.12" || contract === "1.13") problems.push(...identityProblems13(identity));
    else {
      const problem = identityProblem14(identity);
      if (problem !== undefined) problems.push(problem);
    }
  }
  return problems;
}

/** Registry documents are named; mirrors have http(s) endpoints, auth one way to log in, TLS valid PEM. */
export const docRegistries: Check = documentCheck({
  id: "doc-registries",
  summary: "registry documents are named; a mirror's endpoints are URLs Go reads, a registry is logged in to one way, and TLS ca and clientIdentity are valid PEM",
  judges: [
    ["RegistryMirrorConfig", judgeMirror],
    ["RegistryAuthConfig", judgeAuth],
    ["RegistryTLSConfig", judgeTLS],
  ],
});
