// Most of Talos's rules read one document at a time, and the nodes of a role share their
// documents (sealed, so they never change): such a rule is a judge of one document's data,
// which runs once per sealed document however many nodes hold it.

import type { Check, Doc, Report } from "../types.ts";
import { oncePerSealed } from "../../talos/typed.ts";
import type { Mapping } from "../../value.ts";

/** What a judge finds in one document: each problem's path in it and its message. */
export type Found = ReadonlyArray<readonly [string, string]>;

/** Reports what a judge found in a document. */
function reportFound(doc: Doc, found: Found, report: Report): void {
  for (const [path, message] of found) report(doc, path, message);
}

/**
 * A check made of a judge of one document: the v1alpha1 document (kind "v1alpha1"), or each
 * document of a kind. The judge sees only the document's data, so it is run once per sealed one.
 */
export function documentCheck(check: { id: string; summary: string; kind: string; judge: (data: Mapping) => Found }): Check {
  const judged = oncePerSealed(check.judge);
  return {
    id: check.id,
    summary: check.summary,
    run(ctx, report) {
      if (check.kind === "v1alpha1") {
        if (ctx.legacy !== undefined) reportFound(ctx.legacy, judged(ctx.legacy.data), report);
        return;
      }
      for (const doc of ctx.ofKind(check.kind)) reportFound(doc, judged(doc.data), report);
    },
  };
}
