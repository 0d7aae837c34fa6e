// Image Factory schematics: what a machine's boot image is built from. The
// factory names a schematic by the sha256 of its canonical YAML (its own
// struct order, empty values left out, `customization` always written), so
// talc computes the same ID offline and derives the installer image from it.

import { TalcError } from "../errors.ts";
import { parseYamlDocuments } from "../load/config.ts";
import { sha256 } from "../emit/output.ts";
import { OrderedMap, writeDocument, type Ordered } from "../emit/yaml.ts";
import { compareKeys } from "../emit/order.ts";

/** A schematic, as the Image Factory reads it. */
interface Schematic {
  overlay?: { image: string; name: string; options?: Record<string, unknown> };
  customization?: {
    embeddedMachineConfiguration?: string;
    extraKernelArgs?: string[];
    meta?: Array<{ key: number; value: string }>;
    systemExtensions?: { officialExtensions?: string[] };
    bootloader?: string;
    secureboot?: { enrollKeys?: string; includeWellKnownCertificates?: boolean };
    diskImage?: { sectorSize?: number };
  };
}

/** The factory that serves images unless a definition names another. */
const DEFAULT_FACTORY = "factory.talos.dev";

// Field order and nested shapes of the factory's schematic type.
const FIELDS: Record<string, readonly string[]> = {
  schematic: ["owner", "overlay", "customization"],
  overlay: ["image", "name", "options"],
  customization: ["embeddedMachineConfiguration", "extraKernelArgs", "meta", "systemExtensions", "bootloader", "secureboot", "diskImage"],
  meta: ["key", "value"],
  systemExtensions: ["officialExtensions"],
  secureboot: ["enrollKeys", "includeWellKnownCertificates"],
  diskImage: ["sectorSize"],
};

const LIST_ITEM: Record<string, string> = { meta: "meta" };
// Fields without omitempty in the factory's types: written even when empty.
const ALWAYS: Record<string, readonly string[]> = { schematic: ["customization"], overlay: ["image", "name"], meta: ["key", "value"] };
const SCALAR_LISTS = new Set(["extraKernelArgs", "officialExtensions"]);

function bad(message: string, file: string, path: string): TalcError {
  return new TalcError(message, { code: "bad-schematic", stage: "targets", file, path });
}

// The zero value written for an absent field that has no omitempty.
const ZERO: Record<string, unknown> = { customization: {}, image: "", name: "", key: 0, value: "" };

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.values(v as object).every(isEmpty);
  return false;
}

// Canonical form of one struct: known fields only, in order, empty ones left out (omitempty).
function canonical(kind: string, value: unknown, file: string, path: string): OrderedMap {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad(`expected a mapping at ${path || "the top"}`, file, path);
  const obj = value as Record<string, unknown>;
  const fields = FIELDS[kind];
  for (const key of Object.keys(obj)) {
    if (!fields.includes(key)) throw bad(`unknown field "${key}"; expected one of: ${fields.join(", ")}`, file, path ? `${path}.${key}` : key);
  }
  if (kind === "schematic" && !isEmpty(obj.owner)) throw bad("owner is only accepted by the enterprise factory", file, "owner");
  const entries: Array<[string, Ordered]> = [];
  for (const key of fields) {
    const v = obj[key];
    const at = path ? `${path}.${key}` : key;
    const always = ALWAYS[kind]?.includes(key) ?? false;
    if (isEmpty(v) && !always) continue;
    entries.push([key, field(kind, key, v ?? ZERO[key], file, at)]);
  }
  return new OrderedMap(entries);
}

function field(kind: string, key: string, v: unknown, file: string, at: string): Ordered {
  if (kind === "overlay" && key === "options") return untyped(v);
  if (SCALAR_LISTS.has(key)) {
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) throw bad("expected a list of strings", file, at);
    return [...v];
  }
  if (Object.hasOwn(LIST_ITEM, key)) {
    if (!Array.isArray(v)) throw bad("expected a list", file, at);
    return v.map((item, i) => canonical(LIST_ITEM[key], item, file, `${at}[${i}]`));
  }
  if (Object.hasOwn(FIELDS, key)) return canonical(key, v, file, at);
  if (kind === "secureboot" && key === "includeWellKnownCertificates") {
    if (typeof v !== "boolean") throw bad("expected true or false", file, at);
    return v;
  }
  if (kind === "meta" && key === "key") {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 255) throw bad("a meta key is a number from 0 to 255", file, at);
    return v as number;
  }
  if (kind === "diskImage") {
    if (!Number.isInteger(v) || (v as number) < 0) throw bad("expected a whole number", file, at);
    return v as number;
  }
  if (typeof v !== "string") throw bad("expected a string", file, at);
  return v;
}

function untyped(v: unknown): Ordered {
  if (Array.isArray(v)) return v.map(untyped);
  if (typeof v === "object" && v !== null) {
    const obj = v as Record<string, unknown>;
    return new OrderedMap(Object.keys(obj).sort(compareKeys).map((k) => [k, untyped(obj[k])]));
  }
  return v as Ordered;
}

/** The schematic in the factory's canonical YAML: the bytes its ID hashes. */
export function encodeSchematic(schematic: unknown, file = "schematic"): string {
  return writeDocument(canonical("schematic", schematic, file, ""));
}

/** The schematic ID the Image Factory assigns. */
export function schematicId(schematic: unknown, file = "schematic"): string {
  return sha256(encodeSchematic(schematic, file));
}

/** Reads a schematic from YAML or JSON text. */
export function parseSchematic(text: string, file: string): Schematic {
  const docs = parseYamlDocuments(text, file);
  if (docs.length > 1) throw bad("a schematic is one YAML document", file, "");
  const doc = docs[0] ?? {};
  encodeSchematic(doc, file);
  return doc as Schematic;
}

/** How a machine boots: what its installer image is built from. */
export interface ImageSettings {
  extensions?: string[];
  kernelArgs?: string[];
  overlay?: { image: string; name: string; options?: Record<string, unknown> };
  secureBoot?: boolean;
  platform?: string;
  factory?: string;
  digest?: string;
}

/** The schematic of a machine's image settings. */
export function schematicOf(settings: ImageSettings): Schematic {
  const customization: NonNullable<Schematic["customization"]> = {};
  if (settings.kernelArgs?.length) customization.extraKernelArgs = [...settings.kernelArgs];
  if (settings.extensions?.length) customization.systemExtensions = { officialExtensions: [...settings.extensions] };
  return { ...(settings.overlay === undefined ? {} : { overlay: settings.overlay }), customization };
}

/**
 * What the Image Factory makes of image settings: the schematic's canonical YAML, its ID and the installer
 * image, `<factory>/<platform>-installer[-secureboot]/<id>:<talos tag>[@digest]`.
 */
export function factoryImage(settings: ImageSettings, talosVersion: string): { text: string; id: string; installer: string } {
  const text = encodeSchematic(schematicOf(settings));
  const id = sha256(text);
  const platform = settings.platform ?? "metal";
  const repo = `${settings.factory ?? DEFAULT_FACTORY}/${platform}-installer${settings.secureBoot ? "-secureboot" : ""}/${id}`;
  return { text, id, installer: `${repo}:${talosVersion}${settings.digest === undefined ? "" : `@${settings.digest}`}` };
}
