// Most of Talos's rules read one document at a time, and the nodes of a role share their
// documents (sealed, so they never change): such a rule is a judge of one document's data,
// which runs once per sealed document however many nodes hold it.

import type { Contract, ContractGates } from "../../talos/contract.ts";
import type { Check, Doc, Report } from "../types.ts";
import { oncePerSealedAndContract } from "../../talos/typed.ts";
import type { Mapping } from "../../value.ts";

/** What a judge finds in one document: each problem's path in it and its message. */
export type Found = ReadonlyArray<readonly [string, string]>;

/** A judge of one document's data, for the contract of the config it is in. */
export type Judge = (data: Mapping, contract: Contract) => Found;

/** The documents a check judges: the v1alpha1 document (kind "v1alpha1") or each document of a kind. */
type Judged = { kind: string; judge: Judge } | { judges: ReadonlyArray<readonly [kind: string, judge: Judge]> };

/** Reports each problem a judge found in a document. */
export function reportAll(doc: Doc, found: Found, report: Report): void {
  for (let i = 0; i < found.length; i++) report(doc, found[i][0], found[i][1]);
}

/**
 * A check made of judges of one document each, run kind by kind in the order given, and only
 * for contracts with `gate` when one is named. A judge sees only the document's data and the
 * contract, so it runs once per sealed document (and contract).
 */
export function documentCheck(check: { id: string; summary: string; gate?: keyof ContractGates } & Judged): Check {
  const judges = ("judges" in check ? check.judges : [[check.kind, check.judge] as const]).map(([kind, judge]) => [kind, oncePerSealedAndContract(judge)] as const);
  return {
    id: check.id,
    summary: check.summary,
    run(ctx, report) {
      if (check.gate !== undefined && !ctx.gates[check.gate]) return;
      // (every node runs every check: plain index loops, which the interpreter runs without an iterator or a pair per step)
      for (let j = 0; j < judges.length; j++) {
        const kind = judges[j][0];
        const judged = judges[j][1];
        if (kind === "v1alpha1") {
          if (ctx.legacy !== undefined) reportAll(ctx.legacy, judged(ctx.legacy.data, ctx.contract), report);
          continue;
        }
        const docs = ctx.ofKind(kind);
        for (let i = 0; i < docs.length; i++) reportAll(docs[i], judged(docs[i].data, ctx.contract), report);
      }
    },
  };
}
