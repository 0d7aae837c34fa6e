// Redaction: output under out/ never holds a secret. The base config is
// generated from a bundle whose every value is the marker, and whatever a
// patch put at a secret path is replaced by it too.

import type { GeneratorSecrets } from "../generate/generate.ts";
import type { ConfigDocument } from "../load/config.ts";
import { REDACTED, SECRET_PATHS } from "../talos/secrets.ts";
import { isSealed, oncePerSealed, seal } from "../talos/typed.ts";

const pair = { crt: REDACTED, key: REDACTED };

/** A bundle of markers: the base config generated from it has every bundle-derived field redacted. */
export const REDACTED_BUNDLE: GeneratorSecrets = {
  cluster: { id: REDACTED, secret: REDACTED },
  secrets: { bootstraptoken: REDACTED, secretboxencryptionsecret: REDACTED },
  trustdinfo: { token: REDACTED },
  certs: { etcd: pair, k8s: pair, k8saggregator: pair, k8sserviceaccount: { key: REDACTED }, os: pair },
};

function redactAt(value: unknown, segments: readonly string[]): unknown {
  if (segments.length === 0) return value === undefined || value === null || value === "" ? value : REDACTED;
  if (typeof value !== "object" || value === null) return value;
  const [head, ...rest] = segments;
  if (Array.isArray(value)) return head === "*" ? value.map((v) => redactAt(v, rest)) : value;
  const obj = value as Record<string, unknown>;
  let changed = false;
  const out: Record<string, unknown> = { ...obj };
  for (const key of head === "*" ? Object.keys(obj) : Object.hasOwn(obj, head) ? [head] : []) {
    const next = redactAt(obj[key], rest);
    if (next !== obj[key]) {
      out[key] = next;
      changed = true;
    }
  }
  return changed ? out : value;
}

function kindOf(doc: ConfigDocument): string | undefined {
  if (doc.kind === undefined && doc.version === "v1alpha1") return "v1alpha1";
  return typeof doc.kind === "string" ? doc.kind : undefined;
}

function redactDocument(doc: ConfigDocument): ConfigDocument {
  const kind = kindOf(doc);
  const paths = kind !== undefined && Object.hasOwn(SECRET_PATHS, kind) ? SECRET_PATHS[kind] : [];
  return paths.reduce((d, path) => redactAt(d, path.split(".")) as ConfigDocument, doc);
}

// Nodes of a role share most documents (sealed, so unchanging): each is redacted once, and the copy, which shares
// the sealed document's other parts, is sealed too, so later stages can cache on it.
const redactOnce = oncePerSealed((doc: ConfigDocument) => {
  const out = redactDocument(doc);
  if (isSealed(doc)) seal(out);
  return out;
});

/** The documents with every secret field replaced by the marker; the input is not changed. */
export function redactSecrets(docs: readonly ConfigDocument[]): ConfigDocument[] {
  return docs.map(redactOnce);
}
