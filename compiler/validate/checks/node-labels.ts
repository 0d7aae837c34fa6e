// Node labels, annotations and taints go to the Kubernetes node object and
// must pass Kubernetes's syntax rules.

import type { Check, Doc, Report } from "../types.ts";
import { annotationProblems, labelProblems, taintProblems } from "../labels.ts";
import { oncePerSealed } from "../../talos/typed.ts";
import { at, child, stringMap, type Mapping } from "../../value.ts";

function each(doc: Doc, path: string, problems: Array<[string, string]>, report: Report): void {
  for (const [key, message] of problems) report(doc, key === "" ? path : child(path, key), message);
}

/** Each of a document's three maps (by path) with its problems. */
type Judged = ReadonlyArray<readonly [string, Array<[string, string]>]>;

function judge(data: Mapping, labels: string, annotations: string, taints: string): Judged {
  return [
    [labels, labelProblems(stringMap(at(data, labels)))],
    [annotations, annotationProblems(stringMap(at(data, annotations)))],
    [taints, taintProblems(stringMap(at(data, taints)))],
  ];
}

// The nodes of a role share their sealed documents: each one's maps are judged once.
const judgeLegacy = oncePerSealed((data: Mapping) => judge(data, "machine.nodeLabels", "machine.nodeAnnotations", "machine.nodeTaints"));
const judgeDocument = oncePerSealed((data: Mapping) => judge(data, "labels", "annotations", "taints"));

/** Labels, annotations and taints have valid keys and values. */
export const nodeLabels: Check = {
  id: "node-labels",
  summary: "node labels, annotations and taints have valid Kubernetes keys and values",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy !== undefined) for (const [path, problems] of judgeLegacy(legacy.data)) each(legacy, path, problems, report);
    for (const doc of ctx.ofKind("KubeNodeConfig")) for (const [path, problems] of judgeDocument(doc.data)) each(doc, path, problems, report);
  },
};
