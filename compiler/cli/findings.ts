// How build and check report policy findings: the text report on stderr,
// and whether they fail the run.

import { formatReport } from "../report/index.ts";
import { allRuleDocs } from "../policy/lint.ts";
import { failing, type Finding } from "../policy/types.ts";
import type { Io } from "./main.ts";
import { VERSION } from "../version.ts";

/** Prints findings (if any) and says whether they fail the run (an unwaived error). */
export function reportFindings(findings: readonly Finding[], io: Io): boolean {
  const shown = findings.filter((f) => f.suppression === undefined);
  if (shown.length > 0) io.stderr(formatReport("text", shown, { rules: allRuleDocs(), version: VERSION, color: false }));
  return failing(findings, "error");
}
