// The compiler's stage order, and the only place that knows it:
//   load → generate → patch → validate → targets → emit → policy.
// Policy runs on the emitted files, so findings point at the lines written to out/.
// Each stage is a pure function of its inputs; this file threads one
// cluster's data through them and gathers the out/ file map.

import { encodeConfig } from "./emit/encode.ts";
import { VERSION } from "./version.ts";
import { clusterFiles, type FileMap, type NodeOutput } from "./emit/output.ts";
import { TalcError } from "./errors.ts";
import { generateConfig, type Role } from "./generate/generate.ts";
import { generatorCommand, generatorOptions, nodeInstallers, nodeLayer, planLayers, rolesOf, type SourcedPatch } from "./generate/layers.ts";
import { lintCluster } from "./policy/lint.ts";
import type { PolicySettings } from "./policy/settings.ts";
import type { Finding, Profile } from "./policy/types.ts";
import { omniTemplate } from "./targets/omni.ts";
import type { ConfigDocument } from "./load/config.ts";
import { findClusterFiles, loadClusterFiles, type LoadedCluster } from "./load/definition.ts";
import { applyPatches, derivePatch, shareDocuments, toPatch } from "./patch/index.ts";
import { REDACTED_BUNDLE, redactSecrets } from "./secrets/redact.ts";
import type { GeneratorSecrets } from "./generate/generate.ts";
import { validateDocuments, type ValidationMode } from "./validate/index.ts";
import type { ClusterResult, PoolOptions } from "./workers/pool.ts";

/** The compiler's version, recorded in every manifest. */
const COMPILER_VERSION = `talc ${VERSION}`;

/** How to compile. */
export interface CompileOptions {
  /** Validation mode of the machines (default metal). */
  mode?: ValidationMode;
  /**
   * The secrets to build with. Without, every secret is the marker: what
   * goes to out/. With a real bundle: what `talc materialize` writes.
   */
  secrets?: GeneratorSecrets;
  /** When given, milliseconds spent per stage are added to it (for the benchmark). */
  timings?: Record<string, number>;
  /** When given, the policy stage runs with these settings and its findings come back. */
  policy?: PolicyOptions;
}

/** How the policy stage runs. */
export interface PolicyOptions {
  /** The repository's settings (talc.config.json). */
  repository?: PolicySettings;
  profile?: Profile;
  /** Whether waivers apply (default yes). */
  waivers?: boolean;
  /** The date waivers are judged on, YYYY-MM-DD (default today, UTC). */
  today?: string;
}

// Runs one stage's work, adding its wall time to the stage's total when timings are asked for.
function timed<T>(opts: CompileOptions, stage: string, work: () => T): T {
  if (opts.timings === undefined) return work();
  const start = performance.now();
  try {
    return work();
  } finally {
    opts.timings[stage] = (opts.timings[stage] ?? 0) + performance.now() - start;
  }
}

/** One compiled cluster. */
export interface CompiledCluster {
  name: string;
  file: string;
  definition: LoadedCluster["definition"];
  contract: LoadedCluster["contract"];
  /** Policy findings, when the policy stage ran. */
  findings: Finding[];
  nodes: NodeOutput[];
  /** Paths relative to out/. */
  files: FileMap;
  /** The sha256 of each file, by the same paths. */
  hashes: Record<string, string>;
  /** What loading the cluster file read (see LoadedCluster). */
  reads?: string[];
}

function patchError(e: unknown, cluster: LoadedCluster, source: string): never {
  if (e instanceof TalcError) {
    throw new TalcError(e.message, { code: e.code, stage: "patch", file: cluster.file, path: e.path ? `${source}: ${e.path}` : source, cause: e });
  }
  throw e;
}

// Applies a layer's patches in one pass; each carries its definition path, so a failure names it.
function applyLayer(docs: ConfigDocument[], layer: readonly SourcedPatch[], cluster: LoadedCluster): ConfigDocument[] {
  if (layer.length === 0) return docs;
  try {
    return applyPatches(docs, layer.map(({ patch, source }) => toPatch(patch, source)), { contract: cluster.contract });
  } catch (e) {
    const source = e instanceof TalcError ? layer.find((l) => l.source === e.file)?.source : undefined;
    patchError(e, cluster, source ?? layer.map((l) => l.source).join(", "));
  }
}

function sameConfig(a: readonly ConfigDocument[], b: readonly ConfigDocument[]): boolean {
  return encodeConfig(a) === encodeConfig(b);
}

/** Compiles one validated definition into its out/ files. */
export function compileCluster(cluster: LoadedCluster, opts: CompileOptions = {}): CompiledCluster {
  const { definition: def, contract } = cluster;
  const secrets = opts.secrets ?? REDACTED_BUNDLE;
  const finish = opts.secrets === undefined ? redactSecrets : (docs: ConfigDocument[]) => docs;
  const genOpts = generatorOptions(def, contract, secrets);
  const layers = planLayers(def, contract);
  const roles = rolesOf(def);

  // generate, then patch layer by layer: cluster → role → node.
  const base = timed(opts, "generate", () => new Map<Role, ConfigDocument[]>(roles.map((r) => [r, shareDocuments(generateConfig(genOpts, r))])));
  const afterCluster = timed(opts, "patch", () => new Map<Role, ConfigDocument[]>(roles.map((r) => [r, finish(applyLayer(base.get(r)!, layers.cluster, cluster))])));
  const afterRole = timed(opts, "patch", () => new Map<Role, ConfigDocument[]>(roles.map((r) => [r, finish(applyLayer(afterCluster.get(r)!, layers[r], cluster))])));

  // The emitted patches are derived from consecutive stages, so applying them reproduces each stage exactly.
  const patchFiles = new Map<string, ConfigDocument[]>();
  const clusterPatch = timed(opts, "derive", () => derivePatch(base.get(roles[0])!, afterCluster.get(roles[0])!, { contract }));
  for (const r of roles.slice(1)) {
    if (!timed(opts, "derive", () => sameConfig(applyPatches(base.get(r)!, [clusterPatch], { contract }), afterCluster.get(r)!))) {
      throw new TalcError(
        "the cluster-wide patches act differently on control planes and workers, so no single cluster patch reproduces both; move the role-specific part to controlPlane.patches or workers.patches",
        { code: "layer-not-shared", stage: "patch", file: cluster.file, path: "patches" },
      );
    }
  }
  if (clusterPatch.length > 0) patchFiles.set("patches/cluster.yaml", clusterPatch);
  for (const r of roles) {
    const rolePatch = timed(opts, "derive", () => derivePatch(afterCluster.get(r)!, afterRole.get(r)!, { contract, canonical: true }));
    if (rolePatch.length > 0) patchFiles.set(`patches/${r}.yaml`, rolePatch);
  }

  const schematics = new Map<string, string>();
  const installerOf = nodeInstallers(def);
  const nodes: NodeOutput[] = def.nodes.map((node, i) => {
    const role = node.role;
    const config = timed(opts, "patch", () => finish(applyLayer(afterRole.get(role)!, nodeLayer(def, node, i, contract, afterRole.get(role)!), cluster)));
    const nodePatch = timed(opts, "derive", () => derivePatch(afterRole.get(role)!, config, { contract, canonical: true }));
    const nodeFile = `patches/nodes/${node.hostname}.yaml`;
    if (nodePatch.length > 0) patchFiles.set(nodeFile, nodePatch);
    const problems = timed(opts, "validate", () => validateDocuments(config, { contract, mode: opts.mode ?? "metal" }));
    if (problems.length > 0) {
      throw TalcError.many(
        problems.map(
          (p) =>
            new TalcError(p.message, {
              code: "invalid-config",
              stage: "validate",
              file: cluster.file,
              path: [`node ${node.hostname}`, p.document, p.path].filter((s) => s !== "").join(": "),
            }),
        ),
      );
    }
    const applied = ["patches/cluster.yaml", `patches/${role}.yaml`, nodeFile].filter((f) => patchFiles.has(f));
    const { installer, schematic } = installerOf(node);
    // The same ID is the same schematic: each distinct one is written once.
    if (schematic !== undefined) schematics.set(schematic.id, schematic.text);
    return { hostname: node.hostname, role, config, patches: applied, installer, schematic: schematic?.id };
  });
  // One schematic is the cluster's schematic.yaml; several are kept apart by ID.
  const extra = new Map<string, string>(
    schematics.size === 1 ? [["schematic.yaml", [...schematics.values()][0]]] : [...schematics].map(([id, text]) => [`schematics/${id}.yaml`, text]),
  );
  // The Omni template goes to out/; configs with real secrets (materialize) never need it.
  if (def.targets?.omni !== undefined && opts.secrets === undefined) {
    const template = timed(opts, "targets", () => omniTemplate({ definition: def, contract, nodes, layerPatches: patchFiles, file: cluster.file }));
    extra.set("omni/cluster-template.yaml", template);
  }

  const { files, hashes } = timed(opts, "emit", () => clusterFiles(
    {
      cluster: def.name,
      talosVersion: def.talosVersion,
      contract,
      kubernetesVersion: def.kubernetesVersion,
      endpoint: def.endpoint,
      base: generatorCommand(def),
      compiler: COMPILER_VERSION,
    },
    nodes,
    patchFiles,
    extra,
  ));
  const findings =
    opts.policy === undefined
      ? []
      : timed(opts, "policy", () =>
          lintCluster({ definition: def, contract, file: cluster.file, source: cluster.source, nodes, files }, { ...opts.policy, waivers: opts.policy?.waivers !== false }),
        );
  return { name: def.name, file: cluster.file, definition: def, contract, findings, nodes, files, hashes, reads: cluster.reads };
}

/**
 * Loads the repository's cluster files (all, or the named clusters) in name order. `argument` is
 * where the names came from, for the error of a name no cluster has.
 */
export async function loadClusters(root: string, only: readonly string[] = [], argument = "--cluster"): Promise<LoadedCluster[]> {
  let loaded: LoadedCluster[] = [];
  const problems: TalcError[] = [];
  try {
    loaded = await loadClusterFiles(root, await findClusterFiles(root));
  } catch (e) {
    if (!(e instanceof TalcError)) throw e;
    problems.push(...e.all);
  }
  // When a file failed to load no name is known, and "no cluster named" would be false: the load errors say it all.
  const namesKnown = problems.length === 0;
  const byName = new Map<string, string>();
  for (const c of loaded) {
    const other = byName.get(c.definition.name);
    if (other !== undefined) {
      problems.push(new TalcError(`cluster name "${c.definition.name}" is used by ${other} too; names must be unique`, { code: "duplicate-cluster", stage: "load", file: c.file, path: "name" }));
    }
    byName.set(c.definition.name, c.file);
  }
  for (const name of namesKnown ? only : []) {
    if (!byName.has(name)) {
      problems.push(new TalcError(`no cluster named "${name}"; the clusters are: ${[...byName.keys()].sort().join(", ") || "(none)"}`, { code: "unknown-cluster", stage: "load", path: argument }));
    }
  }
  if (problems.length > 0) throw TalcError.many(problems);
  const picked = only.length === 0 ? loaded : loaded.filter((c) => only.includes(c.definition.name));
  return picked.sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1));
}

/**
 * Loads and compiles a repository's clusters (all, or the named ones), on
 * every core for a large fleet. Returns the results in cluster-name order and
 * their out/ files as one map; with a sink, each cluster's files go to the
 * sink as soon as they exist and the map stays empty, so memory does not
 * grow with the fleet.
 */
export async function compileRepository(
  root: string,
  only: readonly string[] = [],
  opts: CompileOptions = {},
  pool: PoolOptions = {},
): Promise<{ clusters: ClusterResult[]; files: FileMap; threads: number }> {
  const { results: clusters, threads } = await loadAndCompile(() => loadClusters(root, only), opts, pool);
  const files: FileMap = new Map();
  for (const c of clusters) for (const [p, content] of c.files) files.set(p, content);
  return { clusters, files, threads };
}

/**
 * Loads and compiles the given cluster files (relative to the root), in that
 * order: the clusters a check or build finds changed since they were cached.
 */
export function compileClusterFiles(root: string, files: readonly string[], opts: CompileOptions = {}, pool: PoolOptions = {}): Promise<{ results: ClusterResult[]; threads: number }> {
  return loadAndCompile(() => loadClusterFiles(root, files), opts, pool);
}

// The load stage (timed), then the pool compiles what it loaded.
async function loadAndCompile(load: () => Promise<LoadedCluster[]>, opts: CompileOptions, pool: PoolOptions): Promise<{ results: ClusterResult[]; threads: number }> {
  const start = performance.now();
  const loaded = await load();
  if (opts.timings !== undefined) opts.timings.load = (opts.timings.load ?? 0) + performance.now() - start;
  // The pool runs compileCluster, so it is loaded here, when needed, rather than imported by the module it imports from.
  const { compileAll } = await import("./workers/pool.ts");
  return compileAll(loaded, opts, pool);
}
