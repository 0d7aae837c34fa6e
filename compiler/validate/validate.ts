// The validate stage: a config's documents in, the problems Talos would find
// out: first each document against the contract's schema (strict: unknown
// fields are errors), then Talos's own rules across the documents.

import type { ConfigDocument } from "../load/config.ts";
import { CHECKS } from "./checks/index.ts";
import { checkContext, describeDocument } from "./documents.ts";
import { schemaProblems } from "./schema.ts";
import type { Check, Report, ValidateOptions, ValidationProblem } from "./types.ts";

/** Validates the documents of one machine config; an empty list means Talos accepts it. */
export function validateDocuments(docs: readonly ConfigDocument[], opts: ValidateOptions, checks: readonly Check[] = CHECKS): ValidationProblem[] {
  const described = docs.map(describeDocument);
  const problems: Array<ValidationProblem | undefined> = [];
  // where the schema found something: a check's message about the same spot says more, so it takes its place
  const bySpot = new Map<string, number[]>();
  const seen = new Set<string>();
  // (every node comes through here: plain index loops, which the interpreter runs without an iterator per step)
  for (let d = 0; d < described.length; d++) {
    const found = schemaProblems(described[d], opts.contract);
    for (let i = 0; i < found.length; i++) {
      const p = found[i];
      const spot = `${p.document}\0${p.path}`;
      bySpot.set(spot, [...(bySpot.get(spot) ?? []), problems.length]);
      problems.push(p);
    }
  }
  const ctx = checkContext(described, opts.contract, opts.mode);
  // one report function for all checks (not a new closure per check and node)
  const report: Report = (doc, path, message) => {
    const problem = { document: typeof doc === "string" ? doc : doc.label, path, message };
    const key = `${problem.document}\0${path}\0${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const spot = bySpot.get(`${problem.document}\0${path}`);
    if (spot !== undefined && spot.length > 0) {
      problems[spot[0]] = problem;
      for (const i of spot.slice(1)) problems[i] = undefined;
      spot.length = 0;
      return;
    }
    problems.push(problem);
  };
  for (let c = 0; c < checks.length; c++) checks[c].run(ctx, report);
  return problems.filter((p) => p !== undefined);
}
