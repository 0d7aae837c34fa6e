// Node labels, annotations and taints go to the Kubernetes node object and
// must pass Kubernetes's syntax rules.

import type { Check, Doc, Report } from "../types.ts";
import { annotationProblems, labelProblems, taintProblems } from "../labels.ts";
import { at, child, stringMap } from "../../value.ts";

function each(doc: Doc, path: string, problems: Array<[string, string]>, report: Report): void {
  for (const [key, message] of problems) report(doc, key === "" ? path : child(path, key), message);
}

/** Labels, annotations and taints have valid keys and values. */
export const nodeLabels: Check = {
  id: "node-labels",
  summary: "node labels, annotations and taints have valid Kubernetes keys and values",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy !== undefined) {
      each(legacy, "machine.nodeLabels", labelProblems(stringMap(at(legacy.data, "machine.nodeLabels"))), report);
      each(legacy, "machine.nodeAnnotations", annotationProblems(stringMap(at(legacy.data, "machine.nodeAnnotations"))), report);
      each(legacy, "machine.nodeTaints", taintProblems(stringMap(at(legacy.data, "machine.nodeTaints"))), report);
    }
    for (const doc of ctx.ofKind("KubeNodeConfig")) {
      each(doc, "labels", labelProblems(stringMap(doc.data.labels)), report);
      each(doc, "annotations", annotationProblems(stringMap(doc.data.annotations)), report);
      each(doc, "taints", taintProblems(stringMap(doc.data.taints)), report);
    }
  },
};
