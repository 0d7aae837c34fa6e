// Which document is which: the legacy v1alpha1 document has no kind; every
// other document is named by its kind, and by kind/name when it has a name.

import type { ConfigDocument } from "../load/config.ts";
import { gates, type Contract } from "../talos/contract.ts";
import type { CheckContext, Doc, MachineType, ValidationMode } from "./types.ts";
import { at } from "../value.ts";

/** How a document is referred to in problems: "v1alpha1", "KubeletConfig", "LinkConfig/eth0". */
export function describeDocument(doc: ConfigDocument, index: number): Doc {
  if (doc.kind === undefined) return { index, kind: "v1alpha1", label: "v1alpha1", data: doc };
  const kind = typeof doc.kind === "string" && doc.kind !== "" ? doc.kind : `document ${index + 1}`;
  const name = typeof doc.name === "string" ? doc.name : undefined;
  return { index, kind, name, label: name === undefined ? kind : `${kind}/${name}`, data: doc };
}

/** The machine type Talos reads from `machine.type`: "" and "join" are workers; undefined without a machine section or for an unknown type. */
export function machineTypeOf(legacy: Doc | undefined): MachineType | undefined {
  if (legacy === undefined || legacy.data.machine === undefined || legacy.data.machine === null) return undefined;
  const t = at(legacy.data, "machine.type");
  if (t === undefined || t === null || t === "" || t === "worker" || t === "join") return "worker";
  if (t === "controlplane" || t === "init") return t;
  return undefined;
}

/** A config's documents by kind, each kind's in config order. */
export function docsByKind(docs: readonly Doc[]): Map<string, Doc[]> {
  const byKind = new Map<string, Doc[]>();
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    const same = byKind.get(d.kind);
    if (same === undefined) byKind.set(d.kind, [d]);
    else same.push(d);
  }
  return byKind;
}

/** The context the checks of one config share. */
export function checkContext(docs: readonly Doc[], contract: Contract, mode: ValidationMode): CheckContext {
  const legacy = docs.find((d) => d.kind === "v1alpha1");
  const machineType = machineTypeOf(legacy);
  const byKind = docsByKind(docs);
  return {
    contract,
    gates: gates(contract),
    mode,
    docs,
    legacy,
    machineType,
    controlPlane: machineType === "controlplane" || machineType === "init",
    // (a method: tsx names every arrow function it creates, a defineProperty per node)
    ofKind(kind) {
      return byKind.get(kind) ?? [];
    },
  };
}
