// The sections volume documents share, as Talos judges them: provisioning (where a partition
// goes and how large it is), encryption (LUKS2 and its key slots), the filesystem of a user
// volume, and the trim and scrub schedules of 1.14. Each gives problems at paths of the
// document. A disk selector's CEL expression is only required, never compiled here: what it
// says about disks is not checked.

import type { Contract } from "../../talos/contract.ts";
import { goLower } from "../../talos/enums.ts";
import { parseByteSize, parseGoDuration } from "../../talos/typed.ts";
import { at, child, isMapping, isSet, isTrue, list, mapping, num, quote, str, type Mapping } from "../../value.ts";

export type Problems = Array<[string, string]>;

/** A size as Talos holds it once decoded: unset, or its bytes (or percent) and how it is meant. */
type Size = { set: false } | { set: true; value: number; negative: boolean; relative: boolean } | { error: string };

/** A size field's text: sizes are strings, and YAML hands a number over as its digits. */
export function sizeText(v: unknown): string {
  return typeof v === "number" ? String(v) : str(v);
}

/** Go's strconv.ParseFloat for a percentage's number: decimal, hexadecimal with an exponent, inf or nan; undefined when it refuses it. */
function parseGoFloat(text: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const n = Number(text);
    // beyond float64's range ParseFloat errs
    return Number.isFinite(n) ? n : undefined;
  }
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(text);
  if (hex !== null && hex[2] + hex[3] !== "") {
    const mantissa = parseInt(hex[2] + hex[3], 16) / 16 ** hex[3].length;
    const n = mantissa * 2 ** Number(hex[4]);
    return Number.isFinite(n) ? (hex[1] === "-" ? -n : n) : undefined;
  }
  return undefined;
}

/**
 * A size as Talos decodes it: a text with "%" is a percentage (only maxSize takes one), else
 * bytes as go-humanize reads them. From 1.13 one leading minus is kept aside as a sign; 1.12
 * reads no sign at all.
 */
export function readSize(raw: unknown, contract: Contract, percentAllowed: boolean): Size {
  const text = sizeText(raw);
  if (text === "") return { set: false };
  const negative = contract !== "1.12" && text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  const example = percentAllowed ? "such as 10GiB or 50%" : "such as 10GiB";
  if (percentAllowed && text.includes("%")) {
    if (!text.endsWith("%")) return { error: `${quote(text)} is not a percentage; expected a number and a final %, such as 50%` };
    const n = parseGoFloat(body.slice(0, -1));
    if (n === undefined) return { error: `${quote(text)} is not a percentage; expected a number and a final %, such as 50%` };
    if (n < 0 || n > 100) return { error: `${quote(text)} is out of range; expected a percentage from 0% to 100%` };
    return { set: true, value: Math.trunc(n), negative, relative: true };
  }
  const bytes = parseByteSize(body);
  if (bytes === undefined) return { error: `${quote(text)} is not a size; expected ${example}${contract === "1.12" && text.startsWith("-") ? " (Talos 1.12 reads no negative sizes)" : ""}` };
  return { set: true, value: bytes, negative, relative: false };
}

/** The problem of a byte size Talos cannot read, at its path (xfs.minAllocationGroupSize). */
export function byteSizeProblems(raw: unknown, path: string, contract: Contract): Problems {
  const size = readSize(raw, contract, false);
  return "error" in size ? [[path, size.error]] : [];
}

/** Whether a selector has an expression; whitespace alone is none (Talos could not compile it). */
function hasSelector(p: Mapping, path: string): boolean {
  return str(at(p, path)).trim() !== "";
}

/** Whether a provisioning section sets anything (Talos's ProvisioningSpec.IsZero, negated): a selector, grow, or a size. */
export function provisioningSet(p: Mapping | undefined): boolean {
  if (p === undefined) return false;
  return isSet(p.grow) || sizeText(p.minSize) !== "" || sizeText(p.maxSize) !== "" || str(at(p, "diskSelector.match")) !== "";
}

/**
 * The problems of a provisioning section. `required`: the volume is a partition or disk of its
 * own, so it needs a disk selector (and, with sizes, a size); `sizes`: it is a partition, so
 * minSize, maxSize and grow mean something. `why` says why sizes cannot be set.
 */
export function provisioningProblems(p: Mapping | undefined, contract: Contract, required: boolean, sizes: boolean, why = ""): Problems {
  const problems: Problems = [];
  const spec = p ?? {};
  if (required && !hasSelector(spec, "diskSelector.match")) problems.push(["provisioning.diskSelector.match", "is required: an expression choosing the disk, such as disk.transport == \"nvme\" && !system_disk"]);
  const min = readSize(spec.minSize, contract, false);
  const max = readSize(spec.maxSize, contract, true);
  for (const [key, size] of [["minSize", min], ["maxSize", max]] as const) if ("error" in size) problems.push([`provisioning.${key}`, size.error]);
  if (!sizes) {
    for (const key of ["minSize", "maxSize", "grow"]) if (key === "grow" ? isSet(spec.grow) : sizeText(spec[key]) !== "") problems.push([`provisioning.${key}`, `cannot be set ${why}; remove it`]);
    return problems;
  }
  if ("error" in min || "error" in max) return problems;
  if (min.set && max.set && !max.relative && !max.negative) {
    if (min.value > max.value) problems.push(["provisioning.minSize", `${quote(sizeText(spec.minSize))} is larger than maxSize ${quote(sizeText(spec.maxSize))}; expected at most the maximum size`]);
  } else if (required && !min.set && !max.set) {
    problems.push(["provisioning", "needs a size: set minSize or maxSize, such as maxSize: 50GiB"]);
  }
  if (min.set && min.negative) problems.push(["provisioning.minSize", `${quote(sizeText(spec.minSize))} is negative; expected a size such as 10GiB`]);
  return problems;
}

/** Whether an encryption section asks for encryption (Talos's EncryptionSpec.IsZero, negated): a provider other than none, or keys. */
export function encryptionSet(e: Mapping | undefined): boolean {
  if (e === undefined) return false;
  return !["", "none"].includes(goLower(str(e.provider))) || list(e.keys).length > 0;
}

const KEY_SOURCES = ["nodeID", "static", "kms", "tpm"];

/**
 * The problems of encryption keys, as Talos judges both volume and system disk encryption: each key in a
 * LUKS slot of its own (a key without one is in slot 0) and each saying where it comes from; for a
 * volume, the TPM PCRs a key binds to are 0 to 23 (system disk encryption does not check them).
 */
export function encryptionKeyProblems(keys: readonly unknown[], base: string, opts: { pcrs: boolean }): Problems {
  const problems: Problems = [];
  const slots = new Map<number, number>();
  keys.forEach((k, i) => {
    // a key that is no mapping is the schema's to name
    const key = mapping(k);
    if (key === undefined) return;
    const path = child(base, i);
    const slot = num(key.slot);
    const first = slots.get(slot);
    if (first !== undefined) problems.push([`${path}.slot`, `slot ${slot} is already used by keys[${first}]; give each key a slot of its own`]);
    else slots.set(slot, i);
    if (!KEY_SOURCES.some((s) => isSet(key[s]))) problems.push([path, `has no key source; set one of ${KEY_SOURCES.slice(0, -1).join(", ")} or ${KEY_SOURCES.at(-1)}`]);
    if (!opts.pcrs) return;
    list(at(key, "tpm.options.pcrs")).forEach((pcr, j) => {
      if (typeof pcr === "number" && (pcr < 0 || pcr > 23)) problems.push([child(`${path}.tpm.options.pcrs`, j), `${pcr} is out of range; expected a PCR from 0 to 23`]);
    });
  });
  return problems;
}

/** The problems of an encryption section: LUKS2, keys in slots of their own, each with a source, TPM PCRs 0 to 23. */
export function encryptionProblems(e: Mapping | undefined): Problems {
  if (e === undefined || !encryptionSet(e)) return [];
  const problems: Problems = [];
  const provider = str(e.provider);
  if (goLower(provider) !== "luks2") problems.push(["encryption.provider", `${["", "none"].includes(goLower(provider)) ? "is required to encrypt" : `${quote(provider)} is not supported`}; expected luks2`]);
  const keys = list(e.keys);
  if (keys.length === 0) problems.push(["encryption.keys", "is required: at least one key, such as { slot: 0, tpm: {} }"]);
  problems.push(...encryptionKeyProblems(keys, "encryption.keys", { pcrs: true }));
  return problems;
}

/** The problems of a user volume's filesystem section: Talos reports only the first. */
export function filesystemProblems(f: Mapping | undefined, contract: Contract): Problems {
  if (f === undefined) return [];
  // a size Talos cannot read stops it before Validate
  const unread = byteSizeProblems(at(f, "xfs.minAllocationGroupSize"), "filesystem.xfs.minAllocationGroupSize", contract);
  if (unread.length > 0) return unread;
  const allowed = contract === "1.14" ? ["xfs", "ext4", "btrfs"] : ["xfs", "ext4"];
  const type = goLower(str(f.type));
  if (type !== "" && type !== "none" && !allowed.includes(type)) return [["filesystem.type", `${quote(f.type)} is not supported for a user volume; expected ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)} (xfs when left out)`]];
  // no type is xfs
  const xfs = type === "" || type === "none" || type === "xfs";
  if (isTrue(f.projectQuotaSupport) && !xfs) return [["filesystem.projectQuotaSupport", `needs an xfs filesystem; ${type} has no project quotas`]];
  if (isSet(f.xfs) && !xfs) return [["filesystem.xfs", `is only for an xfs filesystem, not ${type}; remove it or set type: xfs`]];
  return [];
}

/** Talos's shortest scrub interval: 10 seconds. */
const MIN_SCRUB_NS = 10_000_000_000n;

/** A duration field as Talos reads it, in nanoseconds; undefined when it is unset or no duration (the schema names that). */
function duration(v: unknown): bigint | undefined {
  return typeof v === "string" ? parseGoDuration(v) : undefined;
}

/** Whether a trim interval is negative: a problem at `path`. */
export function trimIntervalProblems(v: unknown, path: string): Problems {
  const ns = duration(v);
  return ns !== undefined && ns < 0n ? [[path, `${quote(v)} is negative; expected a duration such as 168h, or left out for the default`]] : [];
}

/** Whether a scrub interval is shorter than Talos allows (0 is the default): a problem at `path`. */
export function scrubIntervalProblems(v: unknown, path: string): Problems {
  const ns = duration(v);
  return ns !== undefined && ns !== 0n && ns < MIN_SCRUB_NS ? [[path, `${quote(v)} is too short; expected at least 10s, such as 168h, or left out for the default`]] : [];
}

/** The trim and scrub sections a 1.14 volume document may have. */
export function maintenanceProblems(data: Mapping, contract: Contract): Problems {
  if (contract !== "1.14") return [];
  return [...(isMapping(data.trim) ? trimIntervalProblems(data.trim.interval, "trim.interval") : []), ...(isMapping(data.scrub) ? scrubIntervalProblems(data.scrub.interval, "scrub.interval") : [])];
}
