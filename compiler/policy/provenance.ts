// Where a value of a compiled config comes from: the most specific patch of
// the definition (node, then role, then cluster; the definition's shorthand
// settings included) that sets the document and path a finding names.

import type { ClusterDefinition } from "../define/definition.generated.ts";
import { nodeLayer, planLayers, type Layers, type SourcedPatch } from "../generate/layers.ts";
import type { Contract } from "../talos/contract.ts";
import { child, parsePath } from "./util.ts";
import { isMapping, pointerSegments } from "../value.ts";
import { isDocumentOperations } from "../define/patch.ts";

// Which document a strategic patch document is: "v1alpha1", or its kind and name.
function patchTarget(patch: Record<string, unknown>): { kind: string; name?: string } {
  if (typeof patch.kind !== "string") return { kind: "v1alpha1" };
  return { kind: patch.kind, name: typeof patch.name === "string" ? patch.name : undefined };
}

// The sub-path of `value` that spells out `segments`, if the patch sets all of them.
function walk(value: unknown, segments: ReadonlyArray<string | number>, at: string): string | undefined {
  if (segments.length === 0) return at;
  const [head, ...rest] = segments;
  if (Array.isArray(value)) {
    // lists append or merge by key, so an index in the config is not the index in the patch
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], rest, child(at, i));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isMapping(value) || !Object.hasOwn(value, String(head))) return undefined;
  return walk(value[String(head)], rest, child(at, String(head)));
}

// The definition paths of users' own patches, as opposed to shorthand settings turned into patches.
const USER_PATCH = /(^|\.)patches\[\d+\]$/;

// What the current lint run has worked out, by owner (see runMap).
let run: Map<object, Map<unknown, unknown>> | undefined;

/**
 * Runs `work` as one lint run: what its nodes share (the definition's layers,
 * what rules derive from its patches, parsed texts) is worked out once for
 * the run instead of once per node and rule; the definition must not change
 * meanwhile (a lint run only reads it).
 */
export function withLintRun<T>(work: () => T): T {
  const outer = run;
  run = new Map();
  try {
    return work();
  } finally {
    run = outer;
  }
}

/**
 * A map that lasts as long as the current lint run (one cluster), one per
 * owner (the function that fills it), for what the nodes of a cluster share
 * and no other cluster will ask for again; outside a run, a new empty map
 * each time, so nothing is kept.
 */
export function runMap<K, V>(owner: object): Map<K, V> {
  if (run === undefined) return new Map();
  let map = run.get(owner);
  if (map === undefined) run.set(owner, (map = new Map()));
  return map as Map<K, V>;
}

/**
 * What `compute` makes of a part of the definition (such as one of its
 * patches, which every node of the cluster shares), worked out once per lint
 * run and function; outside a run, every time.
 */
export function perRun<K extends object, V>(compute: (part: K) => V, part: K): V {
  const byPart = runMap<K, V>(compute);
  if (byPart.has(part)) return byPart.get(part) as V;
  const value = compute(part);
  byPart.set(part, value);
  return value;
}

function layersOf(def: ClusterDefinition, contract: Contract): Layers {
  const byDefinition = runMap<ClusterDefinition, Map<Contract, Layers>>(layersOf);
  let byContract = byDefinition.get(def);
  if (byContract === undefined) byDefinition.set(def, (byContract = new Map()));
  let layers = byContract.get(contract);
  if (layers === undefined) byContract.set(contract, (layers = planLayers(def, contract)));
  return layers;
}

/** The patches that make a node's config, general to specific, with their definition paths. */
export function nodePatches(def: ClusterDefinition, contract: Contract, nodeIndex: number): SourcedPatch[] {
  const node = def.nodes[nodeIndex];
  if (node === undefined) return [];
  try {
    const layers = layersOf(def, contract);
    return [...layers.cluster, ...layers[node.role], ...nodeLayer(def, node, nodeIndex, contract, [])];
  } catch {
    // the layers could not be planned (an invalid definition): the user's own patches still tell
    const own = (list: readonly unknown[] | undefined, path: string): SourcedPatch[] =>
      (list ?? []).map((patch, i) => ({ patch: patch as SourcedPatch["patch"], source: `${path}[${i}]` }));
    const role = node.role === "controlplane" ? def.controlPlane?.patches : def.workers?.patches;
    return [...own(def.patches, "patches"), ...own(role, `${node.role === "controlplane" ? "controlPlane" : "workers"}.patches`), ...own(node.patches, `nodes[${nodeIndex}].patches`)];
  }
}

/**
 * The definition path that sets `path` in the document `kind` (named `name`),
 * searching the node's patches from the most specific; undefined when no
 * patch sets it (the value is Talos's default).
 */
export function definitionSource(patches: readonly SourcedPatch[], kind: string, name: string | undefined, path: string): string | undefined {
  const segments = parsePath(path);
  for (let i = patches.length - 1; i >= 0; i--) {
    const { patch, source } = patches[i];
    if (!isMapping(patch)) continue;
    if (isDocumentOperations(patch)) {
      if (patch.document !== kind || (name !== undefined && patch.name !== undefined && patch.name !== name)) continue;
      for (let k = (patch.ops as unknown[]).length - 1; k >= 0; k--) {
        const op = (patch.ops as unknown[])[k];
        if (!isMapping(op) || typeof op.path !== "string") continue;
        const opSegs = pointerSegments(op.path);
        const n = Math.min(opSegs.length, segments.length);
        if (opSegs.slice(0, n).every((s, j) => s === String(segments[j]))) return `${source}.ops[${k}]`;
      }
      continue;
    }
    const target = patchTarget(patch);
    if (target.kind !== kind || (name !== undefined && target.name !== undefined && target.name !== name)) continue;
    const found = walk(patch, segments, source);
    // a shorthand setting (install, vip, address) is its own source; a user's patch is located inside
    if (found !== undefined) return USER_PATCH.test(source) ? found : source;
  }
  return undefined;
}
