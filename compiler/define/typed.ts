// Patches typed against the Talos release a cluster runs: the contract comes
// from the cluster's `talosVersion` literal, and a patch may only name fields
// and documents that release has. Everything is optional in a patch, and any
// map or list item may carry `$patch: delete`.

import type { Contract } from "../talos/contract.ts";
import type { TalosDocumentsFor } from "../talos/types/index.ts";
import type { ClusterDefinition, Node } from "./definition.generated.ts";
import type { JsonPatchOperation } from "./patch.ts";

/** The version contract a Talos version literal selects. */
export type ContractOf<V extends string> = V extends `v1.12.${string}`
  ? "1.12"
  : V extends `v1.13.${string}`
    ? "1.13"
    : V extends `v1.14.${string}` | `v1.15.${string}`
      ? "1.14"
      : Contract;

/** The marker that deletes what it stands for. */
export interface Delete {
  $patch: "delete";
}

/** A partial value: every field optional, recursively, and deletable. */
export type DeepPatch<T> = T extends readonly (infer E)[]
  ? Array<DeepPatch<E> | (E extends object ? { [K in keyof E]?: DeepPatch<E[K]> } & Delete : never)>
  : T extends object
    ? { [K in keyof T]?: DeepPatch<T[K]> | Delete }
    : T;

type Docs<C extends Contract> = TalosDocumentsFor<C>;

/** A strategic patch of the legacy `v1alpha1` document. */
export type LegacyPatchFor<C extends Contract> = DeepPatch<Omit<Docs<C>["v1alpha1"], "version">> & {
  version?: "v1alpha1";
  apiVersion?: never;
  kind?: never;
};

/** A strategic patch of one multi-document kind of a contract. */
export type DocumentPatchFor<C extends Contract> = {
  [K in Exclude<keyof Docs<C>, "v1alpha1">]: DeepPatch<Omit<Docs<C>[K], "apiVersion" | "kind">> & { apiVersion: "v1alpha1"; kind: K } & {
    $patch?: "delete";
  };
}[Exclude<keyof Docs<C>, "v1alpha1">];

/** JSON6902 operations aimed at one document of a contract. */
export interface DocumentOperationsFor<C extends Contract> {
  document: Extract<keyof Docs<C>, string>;
  name?: string;
  ops: JsonPatchOperation[];
}

/** Any patch a cluster on contract C may hold. */
export type PatchFor<C extends Contract> = LegacyPatchFor<C> | DocumentPatchFor<C> | DocumentOperationsFor<C>;

type WithPatches<T, P> = Omit<T, "patches"> & { patches?: P[] };

/** A definition as a cluster file writes it: patches typed by its Talos version. */
export type ClusterInput<V extends string> = Omit<ClusterDefinition, "talosVersion" | "patches" | "controlPlane" | "workers" | "nodes"> & {
  talosVersion: V;
  patches?: PatchFor<ContractOf<V>>[];
  controlPlane?: WithPatches<NonNullable<ClusterDefinition["controlPlane"]>, PatchFor<ContractOf<V>>>;
  workers?: WithPatches<NonNullable<ClusterDefinition["workers"]>, PatchFor<ContractOf<V>>>;
  nodes: Array<WithPatches<Node, PatchFor<ContractOf<V>>>>;
};
