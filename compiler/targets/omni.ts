// The Omni target: a cluster template (`omnictl cluster template sync`) that
// makes Omni build the same machines talc compiles. Omni generates the base
// config, the secrets, the endpoint and the installer image itself, so the
// template carries only what the definition adds on top: the layer patches
// (cluster → machine set → machine), with every field Omni manages taken out
// and mapped to the template's own settings (install disk, system
// extensions, kernel arguments). What cannot be mapped is an error that names
// the definition path and says why, never a silent difference.
//
// The rules Omni applies to a template are reimplemented here from its
// source (client/pkg/template, client/pkg/omni/resources/omni), so a
// template talc writes is checked before Omni ever sees it.

import { byEntryKey } from "../compare.ts";
import type { ClusterDefinition, Install, Node } from "../define/definition.generated.ts";
import { isDocumentOperations, type DocumentOperations, type TalosPatch } from "../define/patch.ts";
import { documentText, encodeConfig } from "../emit/encode.ts";
import type { NodeOutput } from "../emit/output.ts";
import { OrderedMap, writeDocuments, type Ordered } from "../emit/yaml.ts";
import { TalcError } from "../errors.ts";
import { generateConfig, type GenerateOptions, type Role } from "../generate/generate.ts";
import { generatorOptions, mergeInstall, nodeInstalls, roleInstall, rolesOf } from "../generate/layers.ts";
import { parseYamlDocuments, type ConfigDocument } from "../load/config.ts";
import { applyPatches, derivePatch } from "../patch/index.ts";
import { REDACTED_BUNDLE } from "../secrets/redact.ts";
import type { Contract } from "../talos/contract.ts";
import { REDACTED } from "../talos/secrets.ts";
import { documentId, idKey, parseGoDuration, typeSystem } from "../talos/typed.ts";
import { isMapping, pointerSegments, type Mapping } from "../value.ts";

// ---------------------------------------------------------------------------
// What Omni refuses in a config patch

/** v1alpha1 fields Omni refuses in patches, each with the reason. */
const OMNI_FORBIDDEN_FIELDS: Readonly<Record<string, string>> = {
  "cluster.clusterName": "Omni names the cluster after the template's Cluster",
  "cluster.id": "Omni generates and keeps the cluster's identity",
  "cluster.controlPlane.endpoint": "Omni serves the cluster's API endpoint itself",
  "cluster.token": "Omni generates and keeps the cluster's tokens",
  "cluster.secret": "Omni generates and keeps the cluster's secrets",
  "cluster.aescbcEncryptionSecret": "Omni generates and keeps the etcd encryption secret",
  "cluster.secretboxEncryptionSecret": "Omni generates and keeps the etcd encryption secret",
  "cluster.ca": "Omni generates and keeps the cluster's CAs",
  "cluster.acceptedCAs": "Omni generates and keeps the cluster's CAs",
  "cluster.serviceAccount": "Omni generates and keeps the service account key",
  "machine.token": "Omni generates and keeps the machine token",
  "machine.ca": "Omni generates and keeps the machine CA",
  "machine.type": "Omni sets the machine type from the machine set (ControlPlane or Workers)",
  "machine.install.disk": "Omni sets the install disk per machine (Machine install.disk)",
  "machine.install.extensions": "Omni installs system extensions from the template's systemExtensions",
  "machine.acceptedCAs": "Omni generates and keeps the machine CAs",
};

/** Documents Omni refuses in patches, each with the reason. */
const OMNI_FORBIDDEN_DOCUMENTS: Readonly<Record<string, string>> = {
  UnattendedInstallConfig: "Omni installs Talos itself and does not take this document",
  DiscoveryIdentityConfig: "it holds the cluster id and secret, which Omni manages",
  KubeClusterConfig: "it holds the cluster name and endpoint, which Omni manages",
  KubeEtcdEncryptionConfig: "it holds the etcd encryption secret, which Omni manages",
  KubeAPIServerCAConfig: "it holds the Kubernetes CA, which Omni manages",
  KubeAggregatorCAConfig: "it holds the aggregator CA, which Omni manages",
};

// Fields of multi-document kinds Omni refuses.
const DOCUMENT_FORBIDDEN_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  KubeServiceAccountConfig: { "issuer.privateKey": "Omni generates and keeps the service account key" },
};

// List elements Omni refuses: workloads may not be granted the Talos admin role.
const ADMIN_ROLE = "os:admin";
const ADMIN_REASON = "Omni does not let Kubernetes workloads hold the Talos os:admin role";
const FORBIDDEN_ELEMENTS: Readonly<Record<string, string>> = { "machine.features.kubernetesTalosAPIAccess.allowedRoles": ADMIN_ROLE };
const DOCUMENT_FORBIDDEN_ELEMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = { KubeTalosAPIAccessConfig: { allowedRoles: ADMIN_ROLE } };

// Not refused by Omni, but talc will not emit it: Omni installs and upgrades from its own installer image.
const INSTALL_IMAGE = "machine.install.image";
const INSTALL_IMAGE_REASON = "Omni installs and upgrades Talos with its own installer image, made from talos.version and systemExtensions";

/** A field or document of a patch that Omni refuses. */
interface OmniPatchProblem {
  /** The document, as its kind ("v1alpha1" for the legacy document). */
  document: string;
  /** The dotted field inside the document, absent when the whole document is refused. */
  field?: string;
  message: string;
}

function fieldAt(doc: unknown, field: string): { found: boolean; value?: unknown } {
  let v: unknown = doc;
  for (const part of field.split(".")) {
    if (!isMapping(v) || !Object.hasOwn(v, part)) return { found: false };
    v = v[part];
  }
  return { found: true, value: v };
}

// Omni classifies a document by a string `kind`; anything without one is the v1alpha1 document.
function kindOf(doc: unknown): string {
  return isMapping(doc) && typeof doc.kind === "string" ? doc.kind : "v1alpha1";
}

function documentRefused(kind: string): string {
  return `Omni does not accept a ${kind} document in a patch: ${OMNI_FORBIDDEN_DOCUMENTS[kind]}`;
}

function fieldRefused(field: string, reason: string): string {
  return `Omni does not accept ${field} in a patch: ${reason}`;
}

/** What Omni refuses in a patch's documents, as Omni's ValidateConfigPatch judges it. */
export function omniPatchProblems(docs: readonly unknown[]): OmniPatchProblem[] {
  const problems: OmniPatchProblem[] = [];
  for (const doc of docs) {
    const kind = kindOf(doc);
    if (Object.hasOwn(OMNI_FORBIDDEN_DOCUMENTS, kind)) {
      problems.push({ document: kind, message: documentRefused(kind) });
      continue;
    }
    const fields = kind === "v1alpha1" ? OMNI_FORBIDDEN_FIELDS : (DOCUMENT_FORBIDDEN_FIELDS[kind] ?? {});
    for (const [field, reason] of Object.entries(fields)) {
      if (fieldAt(doc, field).found) problems.push({ document: kind, field, message: fieldRefused(field, reason) });
    }
    const elements = kind === "v1alpha1" ? FORBIDDEN_ELEMENTS : (DOCUMENT_FORBIDDEN_ELEMENTS[kind] ?? {});
    for (const [field, element] of Object.entries(elements)) {
      const { value } = fieldAt(doc, field);
      if (Array.isArray(value) && value.includes(element)) {
        problems.push({ document: kind, field, message: `Omni does not accept "${element}" in ${field}: ${ADMIN_REASON}` });
      }
    }
  }
  return problems;
}

// What talc refuses on top of Omni's rules in what a definition asks for.
function talcPatchProblems(docs: readonly unknown[]): OmniPatchProblem[] {
  const problems = omniPatchProblems(docs);
  for (const doc of docs) {
    if (kindOf(doc) === "v1alpha1" && fieldAt(doc, INSTALL_IMAGE).found) {
      problems.push({ document: "v1alpha1", field: INSTALL_IMAGE, message: `the Omni target cannot set ${INSTALL_IMAGE}: ${INSTALL_IMAGE_REASON}` });
    }
  }
  return problems;
}

// A JSON6902 patch of a definition, judged by the fields its operations touch.
function operationProblems(patch: DocumentOperations): OmniPatchProblem[] {
  const kind = patch.document;
  if (Object.hasOwn(OMNI_FORBIDDEN_DOCUMENTS, kind)) {
    return [{ document: kind, message: documentRefused(kind) }];
  }
  const fields: Record<string, string> =
    kind === "v1alpha1" ? { ...OMNI_FORBIDDEN_FIELDS, [INSTALL_IMAGE]: INSTALL_IMAGE_REASON } : { ...(DOCUMENT_FORBIDDEN_FIELDS[kind] ?? {}) };
  const problems: OmniPatchProblem[] = [];
  for (const op of patch.ops) {
    for (const pointer of [op.path, op.from].filter((p): p is string => p !== undefined)) {
      const at = pointerSegments(pointer);
      for (const [field, reason] of Object.entries(fields)) {
        const f = field.split(".");
        const under = f.every((s, i) => at[i] === s);
        // an operation on a parent touches the field when its value holds it
        const parent = !under && at.length < f.length && at.every((s, i) => f[i] === s);
        const holds = parent && (op.op === "add" || op.op === "replace") && pointer === op.path && fieldAt(op.value, f.slice(at.length).join(".")).found;
        if (under || holds) problems.push({ document: kind, field, message: fieldRefused(field, reason) });
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// The Omni settings of a definition

/** A machine class a machine set takes its machines from. */
interface OmniMachineClass {
  name: string;
  /** A number of machines, or every machine of the class. */
  size?: number | "unlimited";
}

/** The settings of one machine set. */
interface OmniSetSettings {
  /** The Workers set's name (Omni's default is "workers"); the control plane set has none. */
  name?: string;
  machineClass?: OmniMachineClass;
}

/** Cluster features Omni offers. */
interface OmniFeatures {
  diskEncryption?: boolean;
  enableWorkloadProxy?: boolean;
  useEmbeddedDiscoveryService?: boolean;
  disablePublicDiscoveryService?: boolean;
  enableNodeAuditSkip?: boolean;
  backupConfiguration?: { interval?: string };
}

/** `targets.omni` of a definition, as talc reads it. */
interface OmniSettings {
  /** Omni machine IDs (SMBIOS UUIDs) by hostname. */
  machines?: Record<string, string | undefined>;
  controlPlane?: OmniSetSettings;
  workers?: OmniSetSettings;
  features?: OmniFeatures;
}

interface Problem {
  path: string;
  message: string;
}

const FEATURE_FLAGS = ["diskEncryption", "enableWorkloadProxy", "useEmbeddedDiscoveryService", "disablePublicDiscoveryService", "enableNodeAuditSkip"] as const;

// Omni reads the backup interval into a time.Duration with go-yaml: a text Go's time.ParseDuration takes
// (".5s", "+1h", "0"), or the integer 0 (which only a template read back can hold: the definition
// types the interval as a string). An interval of zero or less turns backups off.
function isBackupInterval(v: unknown): boolean {
  return v === 0 || (typeof v === "string" && parseGoDuration(v) !== undefined);
}

function unknownKeys(value: Mapping, allowed: readonly string[], path: string, problems: Problem[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push({ path: `${path}.${key}`, message: `unknown Omni setting "${key}"; ${path} takes: ${allowed.join(", ")}` });
  }
}

// Reads targets.omni defensively: the definition schema may not describe every setting yet.
function readSettings(def: ClusterDefinition, problems: Problem[]): OmniSettings {
  const raw: unknown = def.targets?.omni;
  if (!isMapping(raw)) return {};
  unknownKeys(raw, ["machines", "controlPlane", "workers", "features"], "targets.omni", problems);
  const settings: OmniSettings = {};
  if (raw.machines !== undefined) {
    if (isMapping(raw.machines)) settings.machines = raw.machines as Record<string, string | undefined>;
    else problems.push({ path: "targets.omni.machines", message: "expected a map of hostname to Omni machine ID" });
  }
  for (const role of ["controlPlane", "workers"] as const) {
    const set = raw[role];
    if (set === undefined) continue;
    const path = `targets.omni.${role}`;
    if (!isMapping(set)) {
      problems.push({ path, message: "expected a mapping" });
      continue;
    }
    unknownKeys(set, role === "workers" ? ["name", "machineClass"] : ["machineClass"], path, problems);
    const out: OmniSetSettings = {};
    if (set.name !== undefined) {
      if (typeof set.name !== "string" || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(set.name)) {
        problems.push({ path: `${path}.name`, message: `${JSON.stringify(set.name)} is not a valid machine set name; use lowercase letters, digits and dashes` });
      } else if (set.name === "control-planes") {
        problems.push({ path: `${path}.name`, message: `"control-planes" is the control plane set's name in Omni; pick another name for the workers` });
      } else out.name = set.name;
    }
    const mc = set.machineClass;
    if (mc !== undefined) {
      if (!isMapping(mc) || typeof mc.name !== "string" || mc.name === "") {
        problems.push({ path: `${path}.machineClass`, message: "expected {name: <machine class>, size?: <count> | \"unlimited\"}" });
      } else {
        unknownKeys(mc, ["name", "size"], `${path}.machineClass`, problems);
        const size = mc.size;
        if (size !== undefined && size !== "unlimited" && !(typeof size === "number" && Number.isInteger(size) && size >= 0 && size <= 0xffffffff)) {
          problems.push({ path: `${path}.machineClass.size`, message: `${JSON.stringify(size)} is not a machine count; give a whole number or "unlimited"` });
        } else out.machineClass = { name: mc.name, ...(size === undefined ? {} : { size }) };
      }
    }
    settings[role] = out;
  }
  if (raw.features !== undefined) {
    const f = raw.features;
    if (!isMapping(f)) problems.push({ path: "targets.omni.features", message: "expected a mapping" });
    else {
      unknownKeys(f, [...FEATURE_FLAGS, "backupConfiguration"], "targets.omni.features", problems);
      const features: OmniFeatures = {};
      for (const flag of FEATURE_FLAGS) {
        if (f[flag] === undefined) continue;
        if (typeof f[flag] !== "boolean") problems.push({ path: `targets.omni.features.${flag}`, message: "expected true or false" });
        else features[flag] = f[flag];
      }
      const backup = f.backupConfiguration;
      if (backup !== undefined) {
        if (!isMapping(backup) || (backup.interval !== undefined && (typeof backup.interval !== "string" || !isBackupInterval(backup.interval)))) {
          problems.push({ path: "targets.omni.features.backupConfiguration", message: "expected {interval: <duration>} such as 1h0m0s" });
        } else {
          unknownKeys(backup, ["interval"], "targets.omni.features.backupConfiguration", problems);
          features.backupConfiguration = backup.interval === undefined ? {} : { interval: backup.interval as string };
        }
      }
      settings.features = features;
    }
  }
  return settings;
}

// ---------------------------------------------------------------------------
// Machine IDs

/**
 * Whether Omni takes a string as a machine ID: a UUID in any form Go's
 * google/uuid parses (with dashes, in braces, as a urn, or bare hex).
 */
export function isMachineId(id: string): boolean {
  const hex = /^[0-9a-fA-F]+$/;
  const dashed = (s: string): boolean =>
    s.length === 36 && s[8] === "-" && s[13] === "-" && s[18] === "-" && s[23] === "-" && hex.test(s.replaceAll("-", "")) && s.replaceAll("-", "").length === 32;
  if (id.length === 32) return hex.test(id);
  if (id.length === 36) return dashed(id);
  if (id.length === 38) return id.startsWith("{") && id.endsWith("}") && dashed(id.slice(1, -1));
  if (id.length === 45) return id.slice(0, 9).toLowerCase() === "urn:uuid:" && dashed(id.slice(9));
  return false;
}

// ---------------------------------------------------------------------------
// Patches without document order: Omni decides the order of the documents it
// generates, so a document talc's patch deletes and appends again only to
// keep order is left alone.

function docKey(doc: ConfigDocument, contract: Contract): string {
  return idKey(documentId(doc, typeSystem(contract)));
}

function sameDocs(a: readonly ConfigDocument[], b: readonly ConfigDocument[], contract: Contract): boolean {
  const canon = (docs: readonly ConfigDocument[]) =>
    docs
      .map((d) => [docKey(d, contract), documentText(d, contract)] as const)
      .sort(byEntryKey)
      .map(([, text]) => text)
      .join("---\n");
  return canon(a) === canon(b);
}

/** The patch that turns `from` into `to`, document by document, regardless of document order. */
function unorderedPatch(from: readonly ConfigDocument[], to: readonly ConfigDocument[], contract: Contract): ConfigDocument[] {
  const before = new Map(from.map((d) => [docKey(d, contract), d]));
  const after = new Set(to.map((d) => docKey(d, contract)));
  const deletes: ConfigDocument[] = [];
  for (const [key, d] of before) {
    if (after.has(key)) continue;
    if (kindOf(d) === "v1alpha1") throw new TalcError("no patch can remove the v1alpha1 document", { code: "underivable", stage: "targets", path: "v1alpha1" });
    const id: ConfigDocument = { apiVersion: d.apiVersion, kind: d.kind };
    if (d.name !== undefined) id.name = d.name;
    deletes.push({ ...id, $patch: "delete" });
  }
  const changes: ConfigDocument[] = [];
  for (const d of to) {
    const old = before.get(docKey(d, contract));
    if (old === undefined) changes.push(...derivePatch([], [d], { contract }).filter((p) => p.$patch !== "delete"));
    else if (documentText(old, contract) !== documentText(d, contract)) changes.push(...derivePatch([old], [d], { contract }));
  }
  const legacy = changes.filter((d) => kindOf(d) === "v1alpha1");
  return [...deletes, ...legacy, ...changes.filter((d) => kindOf(d) !== "v1alpha1")];
}

// Omni-managed install settings, taken out of a patch: the disk goes to the
// Machine documents, the image is Omni's, and UnattendedInstallConfig (1.14)
// only ever carries those.
function stripManaged(docs: readonly ConfigDocument[]): ConfigDocument[] {
  const out: ConfigDocument[] = [];
  for (const doc of docs) {
    const kind = kindOf(doc);
    if (kind === "UnattendedInstallConfig") continue;
    if (kind !== "v1alpha1" || !isMapping(doc.machine) || !isMapping(doc.machine.install)) {
      out.push(doc);
      continue;
    }
    const install = { ...doc.machine.install };
    delete install.disk;
    delete install.image;
    const machine: Mapping = { ...doc.machine, install };
    if (Object.keys(install).length === 0) delete machine.install;
    const stripped: ConfigDocument = { ...doc, machine };
    if (Object.keys(machine).length === 0) delete stripped.machine;
    if (Object.keys(stripped).some((k) => k !== "version" && k !== "apiVersion")) out.push(stripped);
  }
  return out;
}

function redactedAt(value: unknown, path: string): string | undefined {
  if (value === REDACTED) return path;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = redactedAt(v, `${path}[${i}]`);
      if (hit !== undefined) return hit;
    }
  } else if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) {
      const hit = redactedAt(v, path === "" ? k : `${path}.${k}`);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// The template

/** What the Omni template is made from: a compiled cluster. */
interface OmniTemplateInput {
  definition: ClusterDefinition;
  contract: Contract;
  /** The compiled nodes, in definition order. */
  nodes: readonly NodeOutput[];
  /** The layer patches by file, relative to the cluster's folder (`patches/cluster.yaml`, …). */
  layerPatches: ReadonlyMap<string, readonly ConfigDocument[]>;
  /** The cluster file, for errors. */
  file?: string;
}

/** A named inline patch of the template. */
interface NamedPatch {
  name: string;
  docs: ConfigDocument[];
}

const ROLE_SET: Record<Role, "controlPlane" | "workers"> = { controlplane: "controlPlane", worker: "workers" };

function orderedList(values: readonly string[]): Ordered {
  return [...values];
}

function patchEntries(patches: readonly NamedPatch[]): Array<[string, Ordered]> {
  if (patches.length === 0) return [];
  return [["patches", patches.map((p) => new OrderedMap([["name", p.name], ["inline", encodeConfig(p.docs)]]))]];
}

function layerFile(input: OmniTemplateInput, rel: string): readonly ConfigDocument[] {
  return input.layerPatches.get(rel) ?? input.layerPatches.get(`${input.definition.name}/${rel}`) ?? [];
}

/**
 * The Omni cluster template of a compiled cluster (`omni/cluster-template.yaml`):
 * one Cluster, one ControlPlane, a Workers set when there are workers, and a
 * Machine per node with a machine ID. Throws a TalcError naming every
 * definition path Omni cannot express.
 */
export function omniTemplate(input: OmniTemplateInput): string {
  const { definition: def, contract } = input;
  const problems: Problem[] = [];
  const settings = readSettings(def, problems);
  const roles = rolesOf(def);
  const classOf = (role: Role): OmniMachineClass | undefined => settings[ROLE_SET[role]]?.machineClass;

  // Install settings Omni takes from the template, or not at all.
  const installs: Array<[string, Install | undefined]> = [
    ["install", def.install],
    ["controlPlane.install", def.controlPlane?.install],
    ["workers.install", def.workers?.install],
    ...def.nodes.map((n, i): [string, Install | undefined] => [`nodes[${i}].install`, n.install]),
  ];
  for (const [path, install] of installs) {
    if (install === undefined) continue;
    for (const field of ["image", "imageDigest", "factory"] as const) {
      if (install[field] !== undefined) problems.push({ path: `${path}.${field}`, message: `the Omni target cannot pin the installer image: ${INSTALL_IMAGE_REASON}; remove it or turn the Omni target off` });
    }
    if (install.wipe !== undefined && contract === "1.14") {
      problems.push({ path: `${path}.wipe`, message: "Omni takes no UnattendedInstallConfig, the only place Talos 1.14 reads wipe from, and its templates have no wipe setting; remove it" });
    }
  }

  // Every patch the definition writes, judged on its own so the error names it.
  const userPatches: Array<[string, readonly TalosPatch[] | undefined]> = [
    ["patches", def.patches],
    ["controlPlane.patches", def.controlPlane?.patches],
    ["workers.patches", def.workers?.patches],
    ...def.nodes.map((n, i): [string, readonly TalosPatch[] | undefined] => [`nodes[${i}].patches`, n.patches]),
  ];
  for (const [path, patches] of userPatches) {
    (patches ?? []).forEach((patch, i) => {
      const found = isDocumentOperations(patch) ? operationProblems(patch) : talcPatchProblems(Array.isArray(patch) ? patch : [patch]);
      for (const p of found) problems.push({ path: `${path}[${i}]`, message: p.message });
    });
  }

  // Machines: an ID for every node of a set without a machine class, none for the others.
  const machines = settings.machines ?? {};
  const hostnames = new Set(def.nodes.map((n) => n.hostname));
  const owner = new Map<string, string>();
  for (const [hostname, id] of Object.entries(machines)) {
    if (id === undefined) continue;
    const path = `targets.omni.machines.${hostname}`;
    if (!hostnames.has(hostname)) problems.push({ path, message: `no node has hostname "${hostname}"; the nodes are: ${[...hostnames].join(", ")}` });
    if (typeof id !== "string" || !isMachineId(id)) {
      problems.push({ path, message: `${JSON.stringify(id)} is not an Omni machine ID; Omni names machines by their UUID, e.g. 5a1e2f0c-3d4b-4e6f-8a9b-0c1d2e3f4a5b` });
      continue;
    }
    const key = id.toLowerCase();
    const other = owner.get(key);
    if (other !== undefined) problems.push({ path, message: `machine ${id} is given to ${other} too; a machine belongs to one node and one machine set` });
    else owner.set(key, hostname);
  }
  def.nodes.forEach((node, i) => {
    const id = machines[node.hostname];
    const mc = classOf(node.role);
    const set = ROLE_SET[node.role];
    if (mc === undefined && id === undefined) {
      problems.push({
        path: "targets.omni.machines",
        message: `node ${node.hostname} has no Omni machine ID; add targets.omni.machines["${node.hostname}"], or give ${set} a machine class (targets.omni.${set}.machineClass)`,
      });
    }
    if (mc !== undefined) {
      if (id !== undefined) problems.push({ path: `targets.omni.machines.${node.hostname}`, message: `${set} takes its machines from machine class "${mc.name}", so its nodes have no machine IDs; remove one or the other` });
      for (const field of ["address", "link", "gateway", "install", "patches"] as const) {
        if ((node as Node)[field] !== undefined) {
          problems.push({ path: `nodes[${i}].${field}`, message: `${set} takes its machines from machine class "${mc.name}", and Omni cannot apply one node's settings to a machine it picks; move it to ${set}, or give the node a machine ID instead` });
        }
      }
    }
  });
  for (const role of roles) {
    const mc = classOf(role);
    if (mc === undefined) continue;
    const set = ROLE_SET[role];
    const disk = roleInstall(def, role)?.disk !== undefined ? `${set}.install.disk` : def.install?.disk !== undefined ? "install.disk" : undefined;
    if (disk !== undefined) {
      problems.push({ path: disk, message: `Omni sets the install disk per machine, which ${set} cannot have: it takes its machines from machine class "${mc.name}"; remove the disk or give the nodes machine IDs` });
    }
    if (roleInstall(def, role)?.kernelArgs?.length) {
      problems.push({ path: `${set}.install.kernelArgs`, message: `Omni takes no kernel arguments for a machine set with a machine class ("${mc.name}"); remove them or give the nodes machine IDs` });
    }
  }
  if (def.install?.kernelArgs?.length && roles.some((r) => classOf(r) !== undefined)) {
    problems.push({ path: "install.kernelArgs", message: "Omni refuses cluster-wide kernel arguments when a machine set takes its machines from a machine class; move them to the sets with machine IDs" });
  }
  for (const role of ["controlplane", "worker"] as const) {
    const set = ROLE_SET[role];
    if (!roles.includes(role) && settings[set] !== undefined) {
      problems.push({ path: `targets.omni.${set}`, message: `the definition has no ${role} nodes, so there is no ${set} set to configure; add the nodes, or remove this setting` });
    }
  }
  if (settings.features?.disablePublicDiscoveryService === true && contract !== "1.14") {
    problems.push({ path: "targets.omni.features.disablePublicDiscoveryService", message: "Omni can turn the public discovery service off only for clusters created with Talos 1.14 or later" });
  }
  if (problems.length > 0) throw fail(problems, input.file);

  // The configs as Omni will build them, stage by stage, from a base of talosctl's defaults.
  const genOpts = generatorOptions(def, contract, REDACTED_BUNDLE);
  const defaults: GenerateOptions = {
    clusterName: genOpts.clusterName,
    endpoint: genOpts.endpoint,
    kubernetesVersion: genOpts.kubernetesVersion,
    contract,
    secrets: REDACTED_BUNDLE,
  };
  const apply = (docs: readonly ConfigDocument[], patch: readonly ConfigDocument[]): ConfigDocument[] =>
    patch.length === 0 ? [...docs] : applyPatches(docs, [patch as ConfigDocument[]], { contract });
  const base = new Map(roles.map((r) => [r, generateConfig(genOpts, r)]));
  const options = new Map(roles.map((r) => [r, unorderedPatch(generateConfig(defaults, r), base.get(r)!, contract)]));
  const sharedOptions = roles.every((r) => encodeConfig(options.get(r)!) === encodeConfig(options.get(roles[0])!));

  const clusterLayer = layerFile(input, "patches/cluster.yaml");
  const afterCluster = new Map(roles.map((r) => [r, apply(base.get(r)!, clusterLayer)]));
  let clusterPatch = unorderedPatch(base.get(roles[0])!, afterCluster.get(roles[0])!, contract);
  if (!roles.every((r) => sameDocs(apply(base.get(r)!, clusterPatch), afterCluster.get(r)!, contract))) clusterPatch = [...clusterLayer];
  const afterRole = new Map(roles.map((r) => [r, apply(afterCluster.get(r)!, layerFile(input, `patches/${r}.yaml`))]));
  const rolePatch = new Map(roles.map((r) => [r, unorderedPatch(afterCluster.get(r)!, afterRole.get(r)!, contract)]));

  // The last word on what goes to Omni: nothing it refuses, no redacted secret.
  const checked = (docs: readonly ConfigDocument[], path: string, what: string): ConfigDocument[] => {
    const out = stripManaged(docs);
    for (const p of omniPatchProblems(out)) problems.push({ path, message: `${what} needs ${p.field ?? `a ${p.document} document`}: ${p.message}` });
    const secret = out.map((d) => [kindOf(d), redactedAt(d, "")] as const).find(([, at]) => at !== undefined);
    if (secret !== undefined) {
      const [kind, at] = secret;
      problems.push({ path, message: `${what} sets a secret (${kind === "v1alpha1" ? at : `${kind} ${at}`}); out/ never holds secrets, so an Omni template cannot carry it; set it in Omni instead, or turn the Omni target off` });
    }
    return out;
  };

  const optionsPath = "additionalSANs, dnsDomain, kubeSpan, discovery";
  const clusterPatches: NamedPatch[] = [];
  if (sharedOptions) clusterPatches.push({ name: "talc-options", docs: checked(options.get(roles[0])!, optionsPath, "the cluster options") });
  clusterPatches.push({ name: "talc-cluster", docs: checked(clusterPatch, "patches", "the cluster-wide settings") });

  const setPatches = new Map<Role, NamedPatch[]>();
  for (const role of roles) {
    const set = ROLE_SET[role];
    const list: NamedPatch[] = [];
    if (!sharedOptions) list.push({ name: "talc-options", docs: checked(options.get(role)!, optionsPath, `the cluster options for ${set}`) });
    list.push({ name: role === "controlplane" ? "talc-controlplane" : "talc-workers", docs: checked(rolePatch.get(role)!, set, `the ${set} settings`) });
    setPatches.set(role, list);
  }

  const machinePatches = new Map<string, NamedPatch[]>();
  input.nodes.forEach((out) => {
    const i = def.nodes.findIndex((n) => n.hostname === out.hostname);
    const role = out.role;
    const nodeFile = `patches/nodes/${out.hostname}.yaml`;
    const after = apply(afterRole.get(role)!, out.patches.includes(nodeFile) ? layerFile(input, nodeFile) : []);
    const docs = checked(unorderedPatch(afterRole.get(role)!, after, contract), `nodes[${i}]`, `node ${out.hostname}`);
    if (classOf(role) !== undefined) {
      // Omni names the machines it picks from a class; nothing else of a node reaches them.
      const rest = docs.filter((d) => kindOf(d) !== "HostnameConfig");
      if (rest.length > 0) problems.push({ path: `nodes[${i}]`, message: `node ${out.hostname} has settings of its own, which Omni cannot apply to a machine it picks from a machine class` });
      return;
    }
    machinePatches.set(out.hostname, [{ name: `talc-node-${out.hostname}`, docs }]);
  });
  if (problems.length > 0) throw fail(problems, input.file);

  const nonEmpty = (patches: readonly NamedPatch[]) => patches.filter((p) => p.docs.length > 0);
  const extensions = (install: Install | undefined, effective: Install): Array<[string, Ordered]> =>
    install?.extensions?.length ? [["systemExtensions", orderedList(effective.extensions ?? [])]] : [];
  const kernelArgs = (install: Install | undefined, effective: Install): Array<[string, Ordered]> =>
    install?.kernelArgs?.length ? [["kernelArgs", orderedList(effective.kernelArgs ?? [])]] : [];

  const documents: Ordered[] = [];
  const clusterInstall = mergeInstall(undefined, def.install);
  const features = featureEntries(settings.features);
  documents.push(
    new OrderedMap([
      ["kind", "Cluster"],
      ...extensions(def.install, clusterInstall),
      ["name", def.name],
      ["kubernetes", new OrderedMap([["version", `v${def.kubernetesVersion}`]])],
      ["talos", new OrderedMap([["version", def.talosVersion]])],
      ...(features.length > 0 ? ([["features", new OrderedMap(features)]] as Array<[string, Ordered]>) : []),
      ...patchEntries(nonEmpty(clusterPatches)),
      ...kernelArgs(def.install, clusterInstall),
    ]),
  );

  const idOf = (n: Node): string => machines[n.hostname]!;
  const setSize = (role: Role, mc: OmniMachineClass): number | string => {
    if (mc.size === "unlimited") return "Unlimited";
    return mc.size ?? def.nodes.filter((n) => n.role === role).length;
  };
  for (const role of roles) {
    const own = roleInstall(def, role);
    const effective = mergeInstall(def.install, own);
    const mc = classOf(role);
    const name = settings.workers?.name;
    documents.push(
      new OrderedMap([
        ["kind", role === "controlplane" ? "ControlPlane" : "Workers"],
        ...extensions(own, effective),
        ...(role === "worker" && name !== undefined ? ([["name", name]] as Array<[string, Ordered]>) : []),
        mc === undefined
          ? ["machines", def.nodes.filter((n) => n.role === role).map(idOf)]
          : ["machineClass", new OrderedMap([["name", mc.name], ["size", setSize(role, mc)]])],
        ...patchEntries(nonEmpty(setPatches.get(role)!)),
        ...(mc === undefined ? kernelArgs(own, effective) : []),
      ]),
    );
  }

  const installOf = nodeInstalls(def);
  for (const role of roles) {
    if (classOf(role) !== undefined) continue;
    for (const node of def.nodes.filter((n) => n.role === role)) {
      const effective = installOf(node);
      documents.push(
        new OrderedMap([
          ["kind", "Machine"],
          ...extensions(node.install, effective),
          ["name", idOf(node)],
          ...(effective.disk !== undefined ? ([["install", new OrderedMap([["disk", effective.disk]])]] as Array<[string, Ordered]>) : []),
          ...patchEntries(nonEmpty(machinePatches.get(node.hostname) ?? [])),
          ...kernelArgs(node.install, effective),
        ]),
      );
    }
  }

  const text = writeDocuments(documents);
  const invalid = validateOmniTemplate(text);
  if (invalid.length > 0) {
    throw TalcError.many(
      invalid.map((p) => new TalcError(`the Omni template talc made is invalid (a bug in talc): ${formatOmniProblem(p)}`, { code: "omni-invalid", stage: "targets", file: input.file, path: "targets.omni" })),
    );
  }
  return text;
}

function featureEntries(features: OmniFeatures | undefined): Array<[string, Ordered]> {
  if (features === undefined) return [];
  const entries: Array<[string, Ordered]> = [];
  for (const flag of FEATURE_FLAGS) {
    const v = features[flag];
    // Omni writes its plain flags only when on; the public discovery switch is written whenever set.
    if (v === true || (flag === "disablePublicDiscoveryService" && v !== undefined)) entries.push([flag, v]);
  }
  if (features.backupConfiguration?.interval !== undefined) entries.push(["backupConfiguration", new OrderedMap([["interval", features.backupConfiguration.interval]])]);
  return entries;
}

function fail(problems: readonly Problem[], file: string | undefined): TalcError {
  return TalcError.many(problems.map((p) => new TalcError(p.message, { code: "omni-unsupported", stage: "targets", file, path: p.path })));
}

// ---------------------------------------------------------------------------
// Validating a template as Omni does

/** One rule a template breaks. */
interface OmniTemplateProblem {
  /** 1-based position of the document in the template, when the problem is in one. */
  document?: number;
  /** The document's kind, when known. */
  kind?: string;
  message: string;
}

/** A problem as one line. */
export function formatOmniProblem(p: OmniTemplateProblem): string {
  const where = p.document === undefined ? "" : `document ${p.document}${p.kind === undefined ? "" : ` (${p.kind})`}: `;
  return `${where}${p.message}`;
}

const DESCRIPTORS = ["labels", "annotations"];
const PATCH_FIELDS = ["name", "idOverride", ...DESCRIPTORS, "file", "inline"];
const KNOWN: Record<string, readonly string[]> = {
  Cluster: ["kind", "systemExtensions", "name", ...DESCRIPTORS, "kubernetes", "talos", "features", "patches", "kernelArgs"],
  ControlPlane: ["kind", "systemExtensions", "name", ...DESCRIPTORS, "bootstrapSpec", "machines", "machineClass", "updateStrategy", "deleteStrategy", "upgradeStrategy", "patches", "kernelArgs"],
  Machine: ["kind", "systemExtensions", "name", ...DESCRIPTORS, "locked", "install", "patches", "kernelArgs"],
};
KNOWN.Workers = KNOWN.ControlPlane;
const NESTED: Record<string, readonly string[]> = {
  kubernetes: ["version", "manifests", "healthchecks"],
  talos: ["version"],
  features: [...FEATURE_FLAGS, "backupConfiguration"],
  backupConfiguration: ["interval"],
  bootstrapSpec: ["clusterUUID", "snapshot"],
  machineClass: ["name", "size"],
  updateStrategy: ["type", "rolling"],
  deleteStrategy: ["type", "rolling"],
  upgradeStrategy: ["type", "rolling"],
  rolling: ["maxParallelism"],
  install: ["disk", "diskSelector"],
};
const SYSTEM_PREFIX = "omni.sidero.dev/";

// The label or annotation keys of a mapping that Omni keeps for itself.
function reservedKeys(descriptor: string, value: Mapping): string[] {
  return Object.keys(value)
    .filter((k) => k.startsWith(SYSTEM_PREFIX))
    .map((k) => `${descriptor.slice(0, -1)} "${k}" is invalid: prefix "${SYSTEM_PREFIX}" is reserved for internal use`);
}
const CONTROL_PLANES = "control-planes";

/**
 * Whether a version parses as Omni parses it (blang/semver's tolerant
 * parsing): an optional "v", missing minor and patch filled with 0, leading
 * zeros dropped from the short parts, then strict semantic versioning.
 */
export function parsesAsTolerantSemver(version: string): boolean {
  let s = version.trim();
  if (s.startsWith("v")) s = s.slice(1);
  const parts = s.split(".");
  const head = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join(".")] : parts;
  const fixed = head.map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, "");
    return t === "" || !/^[0-9]/.test(t) ? `0${t}` : t;
  });
  if (fixed.length < 3) {
    if (/[+-]/.test(fixed[fixed.length - 1])) return false;
    while (fixed.length < 3) fixed.push("0");
  }
  const num = "(0|[1-9][0-9]*)";
  const ident = "(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
  const build = "[0-9A-Za-z-]+";
  return new RegExp(`^${num}\\.${num}\\.${num}(-${ident}(\\.${ident})*)?(\\+${build}(\\.${build})*)?$`).test(fixed.join("."));
}

// Go's YAML decoder fills a string field with any scalar's text.
function scalarText(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

/**
 * Checks a cluster template against the rules Omni applies when it loads,
 * validates and translates one: known kinds and fields, one Cluster and one
 * ControlPlane, unique worker set names, each machine in one set only,
 * machines or a machine class, valid names, versions and machine IDs, and
 * inline patches free of what Omni refuses. Patches given by file are not
 * read. Returns every problem; none means Omni accepts the template.
 */
export function validateOmniTemplate(text: string): OmniTemplateProblem[] {
  let docs: unknown[];
  try {
    docs = parseYamlDocuments(text, "cluster-template.yaml");
  } catch (e) {
    return [{ message: e instanceof TalcError ? e.message : String(e) }];
  }
  const problems: OmniTemplateProblem[] = [];
  let clusters = 0;
  let controlPlanes = 0;
  let clusterName = "";
  let clusterKernelArgs = false;
  const cpMachines: string[] = [];
  const workerSets = new Map<string, number>();
  const workerMachines = new Map<string, string[]>();
  const machineDocs: Array<{ id: string; locked: boolean; document: number }> = [];
  const setIds: Array<{ suffix: string; document: number; machineClass: boolean }> = [];
  const patchIds: Array<{ level: string; id: string; document: number }> = [];

  docs.forEach((raw, index) => {
    const document = index + 1;
    const add = (message: string, kind?: string) => problems.push({ document, kind, message });
    if (!isMapping(raw)) return add("expected a mapping with a kind");
    const kind = raw.kind;
    if (kind === undefined) return add("kind field not found");
    if (typeof kind !== "string" || !Object.hasOwn(KNOWN, kind)) return add(`unknown model kind ${JSON.stringify(kind)}; expected Cluster, ControlPlane, Workers or Machine`);
    const problem = (message: string) => add(message, kind);

    // strict decoding: every field known, nested ones too
    for (const key of Object.keys(raw)) if (!KNOWN[kind].includes(key)) problem(`field ${key} not found in ${kind}`);
    for (const [key, fields] of Object.entries(NESTED)) {
      const check = (v: unknown, at: string) => {
        if (v === undefined || v === null) return;
        if (!isMapping(v)) return problem(`${at} must be a mapping`);
        for (const k of Object.keys(v)) if (!fields.includes(k)) problem(`field ${k} not found in ${at}`);
      };
      if (KNOWN[kind].includes(key)) check(raw[key], key);
      if (key === "backupConfiguration" && isMapping(raw.features)) check(raw.features.backupConfiguration, "features.backupConfiguration");
      if (key === "rolling") for (const s of ["updateStrategy", "deleteStrategy", "upgradeStrategy"]) if (isMapping(raw[s])) check((raw[s] as Mapping).rolling, `${s}.rolling`);
    }
    for (const list of ["systemExtensions", "kernelArgs", "machines"]) {
      if (raw[list] !== undefined && raw[list] !== null && !isStringList(raw[list])) problem(`${list} must be a list of strings`);
    }
    for (const d of DESCRIPTORS) {
      const v = raw[d];
      if (v === undefined || v === null) continue;
      if (!isMapping(v)) problem(`${d} must be a mapping`);
      else for (const message of reservedKeys(d, v)) problem(message);
    }

    const patches = raw.patches;
    const patchList = patches === undefined || patches === null ? [] : Array.isArray(patches) ? patches : (problem("patches must be a list"), []);
    const name = typeof raw.name === "string" ? raw.name : raw.name === undefined || raw.name === null ? "" : String(raw.name);
    const patchLevel = (prefix: string, baseWeight: number) =>
      patchList.forEach((p, i) => {
        const label = isMapping(p) && typeof p.name === "string" ? p.name : isMapping(p) && typeof p.file === "string" ? p.file : `#${i + 1}`;
        for (const message of patchProblems(p)) problem(`patch "${label}" is invalid: ${message}`);
        if (isMapping(p)) {
          const id = typeof p.idOverride === "string" && p.idOverride !== "" ? p.idOverride : `${String(baseWeight + i).padStart(3, "0")}-${prefix}-${label}`;
          patchIds.push({ level: prefix, id, document });
        }
      });

    switch (kind) {
      case "Cluster": {
        clusters++;
        clusterName = name;
        if (name === "") problem("name is required");
        else if (!/^[\p{L}\p{Nd}_-]+$/u.test(name)) problem("name should only contain letters, digits, dashes and underscores");
        const k8s = scalarText(isMapping(raw.kubernetes) ? raw.kubernetes.version : undefined);
        const talos = scalarText(isMapping(raw.talos) ? raw.talos.version : undefined);
        if (typeof k8s !== "string" || k8s === "") problem("Kubernetes version is required");
        else if (!parsesAsTolerantSemver(k8s)) problem(`Kubernetes version ${JSON.stringify(k8s)} should be in semver format`);
        if (typeof talos !== "string" || talos === "") problem("Talos version is required");
        else {
          if (!parsesAsTolerantSemver(talos)) problem(`Talos version ${JSON.stringify(talos)} should be in semver format`);
          if (!talos.startsWith("v")) problem(`Talos version ${JSON.stringify(talos)} should start with 'v'`);
        }
        if (isMapping(raw.features)) {
          for (const flag of FEATURE_FLAGS) if (raw.features[flag] !== undefined && typeof raw.features[flag] !== "boolean") problem(`features.${flag} must be true or false`);
          const interval = isMapping(raw.features.backupConfiguration) ? raw.features.backupConfiguration.interval : undefined;
          if (interval !== undefined && interval !== null && !isBackupInterval(interval)) problem("features.backupConfiguration.interval must be a duration such as 1h0m0s");
          if (raw.features.diskEncryption === true && typeof talos === "string" && parsesAsTolerantSemver(talos) && olderThan(talos, [1, 5])) {
            problem("disk encryption is supported only for Talos version >= 1.5.0");
          }
        }
        clusterKernelArgs = raw.kernelArgs !== undefined && raw.kernelArgs !== null;
        patchLevel(`cluster-${name}`, 200);
        break;
      }
      case "ControlPlane":
      case "Workers": {
        const isCp = kind === "ControlPlane";
        if (isCp) {
          controlPlanes++;
          if (name !== "") problem("custom name is not allowed in the controlplane");
          if (raw.bootstrapSpec !== undefined && raw.bootstrapSpec !== null) {
            const spec = isMapping(raw.bootstrapSpec) ? raw.bootstrapSpec : {};
            if (typeof spec.clusterUUID !== "string" || spec.clusterUUID === "") problem("clusterUUID is required in bootstrapSpec");
            if (typeof spec.snapshot !== "string" || spec.snapshot === "") problem("snapshot is required in bootstrapSpec");
          }
          if (raw.updateStrategy !== undefined && raw.updateStrategy !== null) problem("updateStrategy is not allowed in the controlplane");
          if (raw.deleteStrategy !== undefined && raw.deleteStrategy !== null) problem("deleteStrategy is not allowed in the controlplane");
        } else {
          if (name === CONTROL_PLANES) problem(`name "${CONTROL_PLANES}" cannot be used in workers`);
          if (raw.bootstrapSpec !== undefined && raw.bootstrapSpec !== null) problem("bootstrapSpec is not allowed in workers");
          workerSets.set(name, (workerSets.get(name) ?? 0) + 1);
        }
        const ids = isStringList(raw.machines) ? raw.machines : [];
        const mc = raw.machineClass;
        const hasClass = mc !== undefined && mc !== null;
        if (ids.length > 0 && hasClass) problem("machine set can not have both machines and machine class defined");
        if (raw.kernelArgs !== undefined && raw.kernelArgs !== null && hasClass) problem("kernelArgs cannot be defined for machine set since it uses machine class");
        if (hasClass) {
          if (!isMapping(mc) || typeof mc.name !== "string") problem("machineClass needs a name");
          else if (!validSize(mc.size)) problem(`invalid machine count ${JSON.stringify(mc.size)}; give a number or Unlimited`);
        }
        for (const s of ["updateStrategy", "deleteStrategy", "upgradeStrategy"]) {
          const t = isMapping(raw[s]) ? (raw[s] as Mapping).type : undefined;
          if (t !== undefined && t !== "Unset" && t !== "Rolling") problem(`invalid update strategy type ${JSON.stringify(t)} in ${s}`);
        }
        for (const id of ids) if (!isMachineId(id)) problem(`invalid machine ID "${id}": not a UUID`);
        if (isCp) cpMachines.push(...ids);
        else for (const id of ids) workerMachines.set(id, [...(workerMachines.get(id) ?? []), name]);
        const suffix = isCp ? CONTROL_PLANES : name === "" ? "workers" : name;
        setIds.push({ suffix, document, machineClass: hasClass });
        patchLevel(`{cluster}-${suffix}`, 400);
        break;
      }
      case "Machine": {
        if (name === "") problem("name is required for machine");
        else if (!isMachineId(name)) problem(`invalid machine ID "${name}": not a UUID`);
        if (raw.locked !== undefined && raw.locked !== null && typeof raw.locked !== "boolean") problem("locked must be true or false");
        const install = isMapping(raw.install) ? raw.install : {};
        if (typeof install.disk === "string" && install.disk !== "" && typeof install.diskSelector === "string" && install.diskSelector !== "") {
          problem("install.disk and install.diskSelector are mutually exclusive");
        }
        machineDocs.push({ id: name, locked: raw.locked === true, document });
        patchLevel(`cm-${name}`, 400);
        break;
      }
    }
  });

  const add = (message: string) => problems.push({ message });
  if (clusters !== 1) add(`template should contain 1 cluster, got ${clusters}`);
  if (controlPlanes !== 1) add(`template should contain 1 controlplane, got ${controlPlanes}`);
  for (const [name, count] of workerSets) if (count > 1) add(`duplicate workers with name "${name}"`);
  for (const [id, sets] of workerMachines) if (sets.length > 1) add(`machine "${id}" is used in multiple workers: ${sets.map((s) => JSON.stringify(s)).join(", ")}`);
  const cpSet = new Set(cpMachines);
  const both = [...workerMachines.keys()].filter((id) => cpSet.has(id));
  if (both.length > 0) add(`machines ${both.join(", ")} are used in both controlplane and workers`);
  const used = new Set([...cpMachines, ...workerMachines.keys()]);
  for (const m of machineDocs) {
    if (!used.has(m.id)) problems.push({ document: m.document, kind: "Machine", message: `machine "${m.id}" is not used in controlplane or workers` });
    if (m.locked && cpSet.has(m.id)) problems.push({ document: m.document, kind: "Machine", message: `machine "${m.id}" is locked and used in controlplane` });
  }
  // What Omni finds when it turns the template into resources.
  if (clusterKernelArgs) {
    for (const s of setIds) if (s.machineClass) problems.push({ document: s.document, message: "kernelArgs cannot be defined at cluster level for this machine set since it uses a machine class" });
  }
  const seenSets = new Map<string, number>();
  for (const s of setIds) {
    if (seenSets.has(s.suffix)) add(`machine set ID "${clusterName}-${s.suffix}" is used by documents ${seenSets.get(s.suffix)} and ${s.document}`);
    else seenSets.set(s.suffix, s.document);
  }
  const seenPatches = new Set<string>();
  for (const p of patchIds) {
    const id = p.id.replace("{cluster}", clusterName);
    if (seenPatches.has(id)) problems.push({ document: p.document, message: `patch ID "${id}" is used twice` });
    seenPatches.add(id);
  }
  return problems;
}

function olderThan(version: string, [major, minor]: [number, number]): boolean {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (m === null) return false;
  const a = Number(m[1]);
  const b = Number(m[2] ?? 0);
  return a < major || (a === major && b < minor);
}

function validSize(size: unknown): boolean {
  if (typeof size === "number") return Number.isInteger(size) && size >= 0 && size <= 0xffffffff;
  if (typeof size !== "string") return false;
  if (["unlimited", "∞", "infinity", "Unlimited", "Static"].includes(size)) return true;
  return /^[0-9]+$/.test(size) && Number(size) <= 0xffffffff;
}

// A patch entry: a file or inline content, never both; inline needs a name; content free of what Omni refuses.
function patchProblems(p: unknown): string[] {
  if (!isMapping(p)) return ["expected a mapping with name and inline (or file)"];
  const out: string[] = [];
  for (const key of Object.keys(p)) if (!PATCH_FIELDS.includes(key)) out.push(`field ${key} not found in patch`);
  for (const d of DESCRIPTORS) {
    const v = p[d];
    if (isMapping(v)) out.push(...reservedKeys(d, v));
  }
  const hasFile = typeof p.file === "string" && p.file !== "";
  const hasInline = p.inline !== undefined && p.inline !== null;
  if (hasFile && hasInline) out.push("path and inline are mutually exclusive");
  if (!hasFile && !hasInline) out.push("path or inline is required");
  if (hasInline) {
    if ((typeof p.name !== "string" || p.name === "") && (typeof p.idOverride !== "string" || p.idOverride === "")) out.push("either name or idOverride is required for inline patches");
    let docs: unknown[] = [];
    if (typeof p.inline === "string") {
      try {
        docs = parseYamlDocuments(p.inline, "inline patch");
      } catch (e) {
        out.push(e instanceof TalcError ? e.message : String(e));
      }
    } else if (isMapping(p.inline)) docs = [p.inline];
    else if (Array.isArray(p.inline) && p.inline.every(isMapping)) docs = p.inline;
    else out.push("inline must be a mapping, a list of mappings or a string");
    for (const problem of omniPatchProblems(docs)) out.push(problem.message);
  }
  return out;
}
