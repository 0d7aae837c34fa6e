// ImageVerificationConfig (1.13+) decides, rule by rule, how the images a machine pulls are
// verified: each rule matches an image pattern and either skips verification, denies the image,
// or names exactly one verifier (keyless, by OIDC issuer and subject, or a public key).
// Talos's warnings about patterns holding a tag, a digest or no registry are not reported.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { child, isMapping, list, mapping, str, type Mapping } from "../../value.ts";

function judge(data: Mapping): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  list(data.rules).forEach((r, i) => {
    const base = child("rules", i);
    const rule = mapping(r) ?? {};
    if (str(rule.image) === "") problems.push([`${base}.image`, "is required: the image pattern the rule applies to, such as ghcr.io/siderolabs/* (or * for every image)"]);
    const skip = rule.skip === true;
    const deny = rule.deny === true;
    const keyless = isMapping(rule.keyless) ? rule.keyless : undefined;
    const publicKey = isMapping(rule.publicKey) ? rule.publicKey : undefined;
    const verifier = keyless !== undefined || publicKey !== undefined;
    if (skip && deny) problems.push([`${base}.deny`, "cannot be true together with skip: a rule either skips verification or denies the image"]);
    if ((skip || deny) && verifier) problems.push([base, `names a verifier but ${skip ? "skips verification" : "denies the image"}; remove ${keyless !== undefined ? "keyless" : "publicKey"} or ${skip ? "skip" : "deny"}`]);
    if (!skip && !deny && !verifier) problems.push([base, "needs a verifier (keyless or publicKey), or skip or deny set to true"]);
    if (keyless !== undefined && publicKey !== undefined) problems.push([base, "names both a keyless and a publicKey verifier; keep one"]);
    if (keyless !== undefined) {
      if (str(keyless.issuer) === "") problems.push([`${base}.keyless.issuer`, "is required: the OIDC issuer of the signing identity, such as https://token.actions.githubusercontent.com"]);
      if (str(keyless.subject) === "" && str(keyless.subjectRegex) === "") problems.push([`${base}.keyless`, "needs subject or subjectRegex: the signing identity to accept"]);
    }
    if (publicKey !== undefined && str(publicKey.certificate) === "") problems.push([`${base}.publicKey.certificate`, "is required: the PEM-encoded public key images must be signed with"]);
  });
  return problems;
}

/** ImageVerificationConfig rules have a pattern and either skip, deny or exactly one complete verifier. */
export const docImageVerification: Check = documentCheck({
  id: "doc-image-verification",
  summary: "an ImageVerificationConfig rule has an image pattern and either skip, deny or exactly one complete verifier (keyless with issuer and subject, or publicKey with a certificate)",
  kind: "ImageVerificationConfig",
  judge,
});
