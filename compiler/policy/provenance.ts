// Where a value of a compiled config comes from: the most specific patch of
// the definition (node, then role, then cluster; the definition's shorthand
// settings included) that sets the document and path a finding names.

import type { ClusterDefinition } from "../define/definition.generated.ts";
import { nodeLayer, planLayers, type Layers, type SourcedPatch } from "../generate/layers.ts";
import type { Contract } from "../talos/contract.ts";
import type { Role } from "./types.ts";
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

/**
 * What `compute` makes for a pair of keys (such as a definition and a role),
 * worked out once per lint run and owner; outside a run, every time.
 */
export function perRunPair<A, B, V>(owner: object, a: A, b: B, compute: () => V): V {
  const byA = runMap<A, Map<B, V>>(owner);
  let byB = byA.get(a);
  if (byB === undefined) byA.set(a, (byB = new Map()));
  if (byB.has(b)) return byB.get(b) as V;
  const value = compute();
  byB.set(b, value);
  return value;
}

function layersOf(def: ClusterDefinition, contract: Contract): Layers {
  return perRunPair(layersOf, def, contract, () => planLayers(def, contract));
}

/**
 * The patches that make a node's config, general to specific, in two parts: its cluster's and
 * role's (`shared`: the same array for every node of the role in a lint run, so what is made of it
 * can be worked out once per role) and the node's own.
 */
export interface NodePatchParts {
  shared: readonly SourcedPatch[];
  own: readonly SourcedPatch[];
}

// (the user's own patches of a list, as the fallback of nodePatchParts has them)
function ownPatches(list: readonly unknown[] | undefined, path: string): SourcedPatch[] {
  return (list ?? []).map((patch, i) => ({ patch: patch as SourcedPatch["patch"], source: `${path}[${i}]` }));
}

// The cluster's and role's patches, once per lint run, definition, contract and role; `planned` false
// for the fallback of an invalid definition (the user's own patches only).
function sharedPatches(def: ClusterDefinition, contract: Contract, role: Role, planned: boolean): readonly SourcedPatch[] {
  return perRunPair(sharedPatches, def, `${contract}\0${role}\0${planned}`, (): readonly SourcedPatch[] => {
    if (planned) {
      const layers = layersOf(def, contract);
      return [...layers.cluster, ...layers[role]];
    }
    const rolePatches = role === "controlplane" ? def.controlPlane?.patches : def.workers?.patches;
    return [...ownPatches(def.patches, "patches"), ...ownPatches(rolePatches, `${role === "controlplane" ? "controlPlane" : "workers"}.patches`)];
  });
}

/** A node's patches (see NodePatchParts), worked out once per lint run: a rule and the runner both ask. */
export function nodePatchParts(def: ClusterDefinition, contract: Contract, nodeIndex: number): NodePatchParts {
  const byIndex = perRunPair(nodePatchParts, def, contract, () => new Map<number, NodePatchParts>());
  let parts = byIndex.get(nodeIndex);
  if (parts === undefined) {
    parts = planNodePatches(def, contract, nodeIndex);
    byIndex.set(nodeIndex, parts);
  }
  return parts;
}

const NO_PATCHES: NodePatchParts = { shared: [], own: [] };

function planNodePatches(def: ClusterDefinition, contract: Contract, nodeIndex: number): NodePatchParts {
  const node = def.nodes[nodeIndex];
  if (node === undefined) return NO_PATCHES;
  try {
    return { shared: sharedPatches(def, contract, node.role, true), own: nodeLayer(def, node, nodeIndex, contract, []) };
  } catch {
    // the layers could not be planned (an invalid definition): the user's own patches still tell
    return { shared: sharedPatches(def, contract, node.role, false), own: ownPatches(node.patches, `nodes[${nodeIndex}].patches`) };
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

/**
 * definitionSource over a node's patches in their two parts: its own searched first (the most
 * specific), then its cluster's and role's, whose answer is the same for every node of the role and
 * so is worked out once per lint run.
 */
export function nodeDefinitionSource(parts: NodePatchParts, kind: string, name: string | undefined, path: string): string | undefined {
  const own = definitionSource(parts.own, kind, name, path);
  if (own !== undefined) return own;
  const key = JSON.stringify([kind, name ?? null, path]);
  return perRunPair(nodeDefinitionSource, parts.shared, key, () => definitionSource(parts.shared, kind, name, path));
}
