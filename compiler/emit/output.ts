// The out/ file map of one cluster: node configs, layer patches and the
// manifest that ties them together with a hash of every file.

import type { ConfigDocument } from "../load/config.ts";
import type { Contract } from "../talos/contract.ts";
import { encodeConfig } from "./encode.ts";

/** One node's compiled result. */
export interface NodeOutput {
  hostname: string;
  role: "controlplane" | "worker";
  config: ConfigDocument[];
  /** The layer patch files (relative to the cluster folder) that turn the base into `config`, in order. */
  patches: string[];
  /** The installer image the node runs. */
  installer: string;
  /** The Image Factory schematic ID of that image, when it is built from one. */
  schematic?: string;
}

/** What the manifest records besides nodes and files. */
export interface ManifestInfo {
  cluster: string;
  talosVersion: string;
  /** Also picks how the configs are written: as that release's talosctl writes them. */
  contract: Contract;
  kubernetesVersion: string;
  endpoint: string;
  /** `talosctl` arguments that generate the base config the patches apply to. */
  base: string[];
  compiler: string;
}

/** A compiled cluster's files, relative to out/. */
export type FileMap = Map<string, string>;

export { sha256 } from "./hash.ts";
import { sha256 } from "./hash.ts";

/** A cluster's files, and the sha256 of each (the manifest lists them; the input cache records them). */
export interface ClusterFiles {
  /** Paths relative to out/, in order. */
  files: FileMap;
  /** The same paths, each with its content's sha256. */
  hashes: Record<string, string>;
}

/** Lays out a cluster's files under `<cluster>/`: nodes, patches and manifest.json. */
export function clusterFiles(
  info: ManifestInfo,
  nodes: readonly NodeOutput[],
  patches: ReadonlyMap<string, ConfigDocument[]>,
  extra: ReadonlyMap<string, string> = new Map(),
): ClusterFiles {
  const files = new Map<string, string>(extra);
  for (const [rel, docs] of patches) files.set(rel, encodeConfig(docs, info.contract));
  for (const node of nodes) files.set(`nodes/${node.hostname}.yaml`, encodeConfig(node.config, info.contract));
  const manifest = {
    cluster: info.cluster,
    talosVersion: info.talosVersion,
    contract: info.contract,
    kubernetesVersion: info.kubernetesVersion,
    endpoint: info.endpoint,
    compiler: info.compiler,
    base: { talosctl: info.base },
    nodes: nodes.map((n) => ({
      hostname: n.hostname,
      role: n.role,
      config: `nodes/${n.hostname}.yaml`,
      patches: n.patches,
      installer: n.installer,
      ...(n.schematic === undefined ? {} : { schematic: n.schematic }),
    })),
    files: Object.fromEntries([...files.keys()].sort().map((rel) => [rel, sha256(files.get(rel)!)])),
  };
  const manifestText = JSON.stringify(manifest, null, 2) + "\n";
  files.set("manifest.json", manifestText);
  const hashed: Record<string, string> = { ...manifest.files, "manifest.json": sha256(manifestText) };
  const out: ClusterFiles = { files: new Map(), hashes: {} };
  for (const rel of [...files.keys()].sort()) {
    out.files.set(`${info.cluster}/${rel}`, files.get(rel)!);
    out.hashes[`${info.cluster}/${rel}`] = hashed[rel];
  }
  return out;
}
