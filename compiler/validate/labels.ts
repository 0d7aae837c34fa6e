// Kubernetes label, annotation and taint syntax, as Talos checks node labels,
// annotations and taints before it applies them.

import { byEntryKey } from "../compare.ts";

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Annotations Talos keeps for itself. */
const RESERVED_ANNOTATIONS: readonly string[] = ["talos.dev/owned-annotations", "talos.dev/owned-labels", "talos.dev/owned-taints"];

/** Taint effects Kubernetes knows. */
const TAINT_EFFECTS: readonly string[] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Why a key is not a qualified name ([prefix/]name), or undefined; the message begins "key <key>". */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split("/");
  if (parts.length > 2) return `key ${JSON.stringify(key)} has more than one "/"; expected [prefix/]name`;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === "") return `key ${JSON.stringify(key)} has an empty prefix; expected a DNS subdomain before the "/"`;
    if (prefix.length > 253) return `key ${JSON.stringify(key)} has a prefix longer than 253 characters`;
    if (!DNS1123_SUBDOMAIN.test(prefix)) return `key ${JSON.stringify(key)} has prefix ${JSON.stringify(prefix)}, which is not a lowercase DNS subdomain such as example.com`;
  }
  if (name === "") return `key ${JSON.stringify(key)} has an empty name`;
  if (name.length > 63) return `key ${JSON.stringify(key)} has a name longer than 63 characters`;
  if (!NAME.test(name)) {
    return `key ${JSON.stringify(key)} is not valid; a name is letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why a label value is not valid, or undefined. */
function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `value ${JSON.stringify(value)} is longer than 63 characters`;
  if (value !== "" && !NAME.test(value)) {
    return `value ${JSON.stringify(value)} is not valid; a label value is empty, or letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Problems of a label map, keyed by label. */
export function labelProblems(labels: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of [...labels].sort(byEntryKey)) {
    const p = qualifiedNameProblem(k) ?? labelValueProblem(v);
    if (p !== undefined) out.push([k, p]);
  }
  return out;
}

/** Problems of an annotation map, keyed by annotation ("" for the size limit). */
export function annotationProblems(annotations: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let size = 0;
  for (const [k, v] of [...annotations].sort(byEntryKey)) {
    const p = qualifiedNameProblem(k);
    if (p !== undefined) out.push([k, p]);
    else if (RESERVED_ANNOTATIONS.includes(k)) out.push([k, `annotation ${JSON.stringify(k)} is reserved for talos; use another key`]);
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > MAX_ANNOTATIONS_BYTES) out.push(["", `annotations take ${size} bytes; at most ${MAX_ANNOTATIONS_BYTES} are allowed`]);
  return out;
}

/** Problems of a taint map (key → "[value:]effect"), keyed by taint. */
export function taintProblems(taints: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of [...taints].sort(byEntryKey)) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem !== undefined) {
      out.push([k, keyProblem]);
      continue;
    }
    const colon = v.indexOf(":");
    const effect = colon < 0 ? v : v.slice(colon + 1);
    if (!TAINT_EFFECTS.includes(effect)) {
      out.push([k, `taint effect ${JSON.stringify(effect)} is not valid; expected [value:]effect with effect ${TAINT_EFFECTS.join(", ")}`]);
      continue;
    }
    if (colon >= 0) {
      const p = labelValueProblem(v.slice(0, colon));
      if (p !== undefined) out.push([k, p]);
    }
  }
  return out;
}
