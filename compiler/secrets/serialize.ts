import type { Node } from "yaml";
import { yaml } from "../lazy.ts";

import { TalcError } from "../errors.ts";
import { assertUtf8, isNullDocument } from "../load/config.ts";
import type { ParsedSecretsBundle, SecretsBundle } from "./types.ts";
import { validateSecretsBundle } from "./validate.ts";

// --- encoding -------------------------------------------------------------------------------

// Plain scalars that go-yaml would read back as something other than a string, and so writes
// double-quoted: YAML 1.2 core numbers, booleans and nulls, plus the YAML 1.1 booleans and
// sexagesimal numbers it still quotes for old readers.
const NON_STRING_PLAIN = [
  /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/,
  /^[-+]?0[xX][0-9a-fA-F_]+$/,
  /^[-+]?0[oO]?[0-7_]+$/,
  /^[-+]?0[bB][01_]+$/,
  /^[-+]?\.(inf|Inf|INF)$/,
  /^\.(nan|NaN|NAN)$/,
  /^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/,
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
];

function scalar(value: string): string {
  if (value === "" || NON_STRING_PLAIN.some((re) => re.test(value))) return JSON.stringify(value);
  // Bundle values are base64 and tokens; anything outside that alphabet, or starting like a
  // document marker, is quoted rather than reasoned about.
  if (!/^[A-Za-z0-9+/=._-]+$/.test(value) || /^(---|\.\.\.|-$)/.test(value)) return JSON.stringify(value);
  return value;
}

/**
 * Encodes a bundle as talosctl writes it: 4-space indentation, Talos's field order
 * (cluster, secrets, trustdinfo, certs), unset optional secrets omitted.
 */
export function encodeSecretsBundle(bundle: SecretsBundle): string {
  const lines: string[] = [];
  const field = (depth: number, key: string, value?: string) =>
    lines.push(`${" ".repeat(4 * depth)}${key}:${value === undefined ? "" : ` ${scalar(value)}`}`);
  const pair = (name: string, p: { crt: string; key: string }) => {
    field(1, name);
    field(2, "crt", p.crt);
    field(2, "key", p.key);
  };

  field(0, "cluster");
  field(1, "id", bundle.cluster.id);
  field(1, "secret", bundle.cluster.secret);
  field(0, "secrets");
  field(1, "bootstraptoken", bundle.secrets.bootstraptoken);
  // Talos declares aescbc before secretbox and omits whichever is empty.
  if (bundle.secrets.aescbcencryptionsecret) field(1, "aescbcencryptionsecret", bundle.secrets.aescbcencryptionsecret);
  if (bundle.secrets.secretboxencryptionsecret) {
    field(1, "secretboxencryptionsecret", bundle.secrets.secretboxencryptionsecret);
  }
  field(0, "trustdinfo");
  field(1, "token", bundle.trustdinfo.token);
  field(0, "certs");
  pair("etcd", bundle.certs.etcd);
  pair("k8s", bundle.certs.k8s);
  pair("k8saggregator", bundle.certs.k8saggregator);
  field(1, "k8sserviceaccount");
  field(2, "key", bundle.certs.k8sserviceaccount.key);
  pair("os", bundle.certs.os);
  return lines.join("\n") + "\n";
}

// --- parsing --------------------------------------------------------------------------------

/** The keys each mapping of a bundle may hold; anything else is rejected, not ignored. */
const SHAPE = {
  cluster: ["id", "secret"],
  secrets: ["bootstraptoken", "aescbcencryptionsecret", "secretboxencryptionsecret"],
  trustdinfo: ["token"],
  certs: {
    etcd: ["crt", "key"],
    k8s: ["crt", "key"],
    k8saggregator: ["crt", "key"],
    k8sserviceaccount: ["key"],
    os: ["crt", "key"],
  },
} as const;

type Shape = readonly string[] | { readonly [key: string]: Shape };

/**
 * Reads a bundle file into its fields without judging their values (that is
 * {@link validateSecretsBundle}'s job); throws a TalcError when the text is not YAML or not
 * shaped like a bundle. Absent and null fields are left out, like Go's zero values.
 */
export function parseSecretsBundle(text: string, file: string): ParsedSecretsBundle {
  assertUtf8(text, file, "secrets");
  const { isMap, isScalar, LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const docs = Array.from(parseAllDocuments(text, { lineCounter, uniqueKeys: true }));
  const error = (code: string, message: string, node?: Node | null, path?: string): TalcError => {
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    return new TalcError(message, { code, stage: "secrets", file, path, line });
  };

  for (const doc of docs) {
    const first = doc.errors[0];
    if (first !== undefined) {
      // The library's message repeats the position ("at line 4, column 3:"), which the error carries already.
      const message = first.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      throw new TalcError(`invalid yaml: ${message}`, {
        code: "bad-yaml",
        stage: "secrets",
        file,
        line: first.linePos?.[0].line,
      });
    }
  }
  const nonEmpty = docs.filter((doc) => !isNullDocument(doc));
  if (nonEmpty.length === 0) throw error("secrets-empty", "secrets bundle is empty; want the output of talc gen secrets");
  if (nonEmpty.length > 1) {
    throw error("secrets-shape", `secrets bundle holds ${nonEmpty.length} yaml documents; want one`, nonEmpty[1]!.contents);
  }

  const isNull = (node: Node | null): boolean => node === null || (isScalar(node) && node.value === null);

  const read = (node: Node | null, shape: Shape, path: string): Record<string, unknown> | undefined => {
    if (isNull(node)) return undefined;
    const keys: readonly string[] = Array.isArray(shape) ? shape : Object.keys(shape);
    const where = path || "the document";
    if (!isMap(node)) throw error("secrets-shape", `${where} must be a mapping with keys ${keys.join(", ")}`, node, path);
    const out: Record<string, unknown> = {};
    for (const item of node.items) {
      const keyNode = item.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined || !keys.includes(key)) {
        const shown = key === undefined ? "a non-scalar key" : `unknown key ${JSON.stringify(key)}`;
        throw error("secrets-unknown-key", `${shown} in ${where}; valid keys: ${keys.join(", ")}`, keyNode, path || undefined);
      }
      const childPath = path ? `${path}.${key}` : key;
      const valueNode = item.value as Node | null;
      if (Array.isArray(shape)) {
        if (isNull(valueNode)) continue;
        if (!isScalar(valueNode)) throw error("secrets-shape", `${childPath} must be a string`, valueNode, childPath);
        // go-yaml fills a string field with a scalar's text whatever type it would resolve to.
        out[key] = typeof valueNode.value === "string" ? valueNode.value : (valueNode.source ?? String(valueNode.value));
      } else {
        const child = read(valueNode, (shape as { readonly [key: string]: Shape })[key]!, childPath);
        if (child !== undefined) out[key] = child;
      }
    }
    return out;
  };

  return (read(nonEmpty[0]!.contents, SHAPE, "") ?? {}) as ParsedSecretsBundle;
}

/** Parses and validates a bundle file; throws a TalcError listing every problem. */
export function loadSecretsBundle(text: string, file: string): SecretsBundle {
  const parsed = parseSecretsBundle(text, file);
  const problems = validateSecretsBundle(parsed);
  if (problems.length > 0) {
    throw new TalcError(`invalid secrets bundle:\n${problems.map((p) => `  - ${p}`).join("\n")}`, {
      code: "secrets-invalid",
      stage: "secrets",
      file,
    });
  }
  return parsed as SecretsBundle;
}
