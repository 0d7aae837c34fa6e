// The report stage: findings in, one of six formats out. Each format is a
// pure function of the findings (and the rule docs for SARIF).

import type { Finding, RuleDocs } from "../policy/types.ts";
import { formatGithub } from "./github.ts";
import { formatJson } from "./json.ts";
import { formatJunit } from "./junit.ts";
import { formatMarkdown } from "./markdown.ts";
import { formatSarif } from "./sarif.ts";
import { formatText } from "./text.ts";

/** The report formats. */
export const FORMATS = ["text", "json", "sarif", "github", "junit", "markdown"] as const;

/** A report format. */
export type Format = (typeof FORMATS)[number];

/** What a report may need besides the findings. */
interface ReportOptions {
  /** Every rule's documentation (SARIF lists them all). */
  rules: readonly RuleDocs[];
  /** talc's version. */
  version: string;
  /** ANSI colours in the text format. */
  color?: boolean;
  /** What was linted, suite name → node names (JUnit lists clean nodes as passing). */
  suites?: ReadonlyMap<string, readonly string[]>;
}

/** Formats findings. */
export function formatReport(format: Format, findings: readonly Finding[], opts: ReportOptions): string {
  switch (format) {
    case "text":
      return formatText(findings, { color: opts.color });
    case "json":
      return formatJson(findings, { version: opts.version });
    case "sarif":
      return formatSarif(findings, { rules: opts.rules, version: opts.version });
    case "github":
      return formatGithub(findings);
    case "junit":
      return formatJunit(findings, { suites: opts.suites ?? new Map() });
    case "markdown":
      return formatMarkdown(findings);
  }
}

export { summarize, summaryLine, type Summary } from "./summary.ts";
