// GitHub Actions workflow commands: one annotation per unwaived finding, on
// the line it concerns, escaped as the runner expects.

import type { Finding } from "../policy/types.ts";
import { summarize, summaryLine } from "./summary.ts";

/** Escapes a workflow command's message. */
export function escapeData(s: string): string {
  return s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** Escapes a workflow command's property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

const LEVEL = { error: "error", warning: "warning", info: "notice" } as const;

/** The annotations, then a notice with the summary. */
export function formatGithub(findings: readonly Finding[]): string {
  const lines = findings
    .filter((f) => f.suppression === undefined)
    .map((f) => {
      const props = [`file=${escapeProperty(f.location.file)}`];
      if (f.location.line !== undefined) props.push(`line=${f.location.line}`);
      if (f.location.column !== undefined) props.push(`col=${f.location.column}`);
      props.push(`title=${escapeProperty(`talc ${f.rule}${f.node === undefined ? "" : ` (${f.node})`}`)}`);
      return `::${LEVEL[f.severity]} ${props.join(",")}::${escapeData(f.message)}`;
    });
  lines.push(`::notice title=talc lint::${escapeData(summaryLine(summarize(findings)))}`);
  return lines.join("\n") + "\n";
}
