// Most of Talos's rules read one document at a time, and the nodes of a role share their
// documents (sealed, so they never change): such a rule is a judge of one document's data,
// which runs once per sealed document however many nodes hold it.

import type { Contract, ContractGates } from "../../talos/contract.ts";
import type { Check } from "../types.ts";
import { oncePerSealedAndContract } from "../../talos/typed.ts";
import type { Mapping } from "../../value.ts";

/** What a judge finds in one document: each problem's path in it and its message. */
export type Found = ReadonlyArray<readonly [string, string]>;

/** A judge of one document's data, for the contract of the config it is in. */
export type Judge = (data: Mapping, contract: Contract) => Found;

/** The documents a check judges: the v1alpha1 document (kind "v1alpha1") or each document of a kind. */
type Judged = { kind: string; judge: Judge } | { judges: ReadonlyArray<readonly [kind: string, judge: Judge]> };

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
      for (const [kind, judged] of judges) {
        const docs = kind === "v1alpha1" ? (ctx.legacy === undefined ? [] : [ctx.legacy]) : ctx.ofKind(kind);
        for (const doc of docs) for (const [path, message] of judged(doc.data, ctx.contract)) report(doc, path, message);
      }
    },
  };
}
