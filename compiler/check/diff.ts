// What a change does to each node, as a reviewer wants to read it: settings
// by config path (old → new), nodes added or removed, upgrades (Talos,
// Kubernetes, installer image), and which changes wait for the next install
// or upgrade rather than taking effect when the config is applied.

import type { FileMap } from "../emit/output.ts";
import { parseConfig, type ConfigDocument } from "../load/config.ts";

/** One changed setting of a node. */
export interface SettingChange {
  /** The document, e.g. "v1alpha1" or "LinkConfig/eth0". */
  document: string;
  /** The config path inside it. */
  path: string;
  /** JSON text of the old value; undefined when the setting is new. */
  before?: string;
  /** JSON text of the new value; undefined when it was removed. */
  after?: string;
  /** The change reaches the machine only at its next install or upgrade. */
  atUpgrade: boolean;
}

/** How one node changes. */
interface NodeDiff {
  hostname: string;
  role: string;
  status: "added" | "removed" | "changed";
  changes: SettingChange[];
}

/** A version or image that changes: an upgrade for the apply step. */
interface Upgrade {
  what: "talos" | "kubernetes" | "installer";
  before: string;
  after: string;
  /** For installer images: the nodes whose image changes. */
  nodes?: string[];
}

/** How one cluster changes. */
export interface ClusterDiff {
  cluster: string;
  status: "added" | "removed" | "changed";
  upgrades: Upgrade[];
  nodes: NodeDiff[];
}

interface Manifest {
  talosVersion: string;
  kubernetesVersion: string;
  nodes: Array<{ hostname: string; role: string; config: string; installer?: string }>;
}

// Settings Talos reads only when it installs or upgrades, not when a config is applied.
const AT_UPGRADE: Array<[string, RegExp]> = [
  ["v1alpha1", /^machine\.install(\.|$)/],
  ["UnattendedInstallConfig", /.*/],
];

function atUpgrade(document: string, path: string): boolean {
  return AT_UPGRADE.some(([doc, re]) => document.split("/")[0] === doc && re.test(path));
}

function documentLabel(doc: ConfigDocument): string {
  if (doc.kind === undefined) return "v1alpha1";
  return typeof doc.name === "string" ? `${String(doc.kind)}/${doc.name}` : String(doc.kind);
}

// Leaves of a document by config path; lists of scalars count as one value.
function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object" || v === null)) out.set(path, JSON.stringify(value));
    else value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
    return;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, "{}");
    for (const [k, v] of entries) flatten(v, path === "" ? k : `${path}.${k}`, out);
    return;
  }
  out.set(path, JSON.stringify(value));
}

function settings(docs: ConfigDocument[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const doc of docs) {
    const leaves = new Map<string, string>();
    const { apiVersion: _a, kind: _k, name: _n, ...body } = doc;
    flatten(doc.kind === undefined ? doc : body, "", leaves);
    out.set(documentLabel(doc), leaves);
  }
  return out;
}

/** Setting by setting, how one node's config changes. */
function diffConfigs(before: string, after: string): SettingChange[] {
  const a = settings(parseConfig(before, "before"));
  const b = settings(parseConfig(after, "after"));
  const changes: SettingChange[] = [];
  for (const document of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const old = a.get(document) ?? new Map<string, string>();
    const now = b.get(document) ?? new Map<string, string>();
    for (const path of [...new Set([...old.keys(), ...now.keys()])].sort()) {
      const x = old.get(path);
      const y = now.get(path);
      if (x !== y) changes.push({ document, path, before: x, after: y, atUpgrade: atUpgrade(document, path) });
    }
  }
  return changes;
}

function manifestOf(files: FileMap, cluster: string): Manifest | undefined {
  const text = files.get(`${cluster}/manifest.json`);
  return text === undefined ? undefined : (JSON.parse(text) as Manifest);
}

function clustersOf(files: FileMap): string[] {
  return [...new Set([...files.keys()].filter((p) => p.endsWith("/manifest.json")).map((p) => p.split("/")[0]))];
}

/** Compares two out/ trees cluster by cluster and node by node. */
export function diffTrees(before: FileMap, after: FileMap): ClusterDiff[] {
  const result: ClusterDiff[] = [];
  for (const cluster of [...new Set([...clustersOf(before), ...clustersOf(after)])].sort()) {
    const old = manifestOf(before, cluster);
    const now = manifestOf(after, cluster);
    const status = old === undefined ? "added" : now === undefined ? "removed" : "changed";
    const upgrades: Upgrade[] = [];
    if (old !== undefined && now !== undefined) {
      if (old.talosVersion !== now.talosVersion) upgrades.push({ what: "talos", before: old.talosVersion, after: now.talosVersion });
      if (old.kubernetesVersion !== now.kubernetesVersion) upgrades.push({ what: "kubernetes", before: old.kubernetesVersion, after: now.kubernetesVersion });
      const byImage = new Map<string, string[]>();
      for (const n of now.nodes) {
        const prev = old.nodes.find((o) => o.hostname === n.hostname);
        if (prev?.installer !== undefined && n.installer !== undefined && prev.installer !== n.installer) {
          const key = `${prev.installer}\0${n.installer}`;
          byImage.set(key, [...(byImage.get(key) ?? []), n.hostname]);
        }
      }
      for (const [key, nodes] of byImage) {
        const [b, a] = key.split("\0");
        upgrades.push({ what: "installer", before: b, after: a, nodes });
      }
    }
    const nodes: NodeDiff[] = [];
    const names = [...new Set([...(old?.nodes ?? []).map((n) => n.hostname), ...(now?.nodes ?? []).map((n) => n.hostname)])].sort();
    for (const hostname of names) {
      const o = old?.nodes.find((n) => n.hostname === hostname);
      const n = now?.nodes.find((x) => x.hostname === hostname);
      if (o === undefined && n !== undefined) nodes.push({ hostname, role: n.role, status: "added", changes: [] });
      else if (n === undefined && o !== undefined) nodes.push({ hostname, role: o.role, status: "removed", changes: [] });
      else if (o !== undefined && n !== undefined) {
        const changes = diffConfigs(before.get(`${cluster}/${o.config}`) ?? "", after.get(`${cluster}/${n.config}`) ?? "");
        if (changes.length > 0) nodes.push({ hostname, role: n.role, status: "changed", changes });
      }
    }
    if (status !== "changed" || upgrades.length > 0 || nodes.length > 0) result.push({ cluster, status, upgrades, nodes });
  }
  return result;
}
