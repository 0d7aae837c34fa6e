// A Markdown summary for a pull request: counts, then a table of findings,
// waived ones folded away.

import type { Finding } from "../policy/types.ts";
import { RULE_DOCS } from "../policy/references.ts";
import { origin, summarize, subject, where } from "./summary.ts";

/** Escapes text for a Markdown table cell. */
export function escapeCell(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll("|", "\\|").replaceAll("\n", " ").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const ICON = { error: "❌ error", warning: "⚠️ warning", info: "ℹ️ info" } as const;

function table(findings: readonly Finding[]): string[] {
  const rows = ["| severity | rule | where | message |", "| --- | --- | --- | --- |"];
  for (const f of findings) {
    const from = origin(f);
    const loc = `${escapeCell(subject(f))}<br>\`${escapeCell(where(f))}\`${from === undefined ? "" : `<br>set in \`${escapeCell(from)}\``}`;
    rows.push(`| ${ICON[f.severity]} | [\`${f.rule}\`](${RULE_DOCS}${f.rule}) | ${loc} | ${escapeCell(f.message)} |`);
  }
  return rows;
}

/** The Markdown report. */
export function formatMarkdown(findings: readonly Finding[]): string {
  const s = summarize(findings);
  const open = findings.filter((f) => f.suppression === undefined);
  const waived = findings.filter((f) => f.suppression !== undefined);
  const lines = ["## talc lint", ""];
  lines.push("| errors | warnings | info | waived |", "| ---: | ---: | ---: | ---: |", `| ${s.error} | ${s.warning} | ${s.info} | ${s.waived} |`, "");
  if (open.length === 0) lines.push("No findings.", "");
  else lines.push(...table(open), "");
  if (waived.length > 0) {
    lines.push(`<details><summary>${waived.length} waived finding${waived.length === 1 ? "" : "s"}</summary>`, "");
    const rows = ["| rule | where | reason | until |", "| --- | --- | --- | --- |"];
    for (const f of waived) rows.push(`| \`${f.rule}\` | ${escapeCell(subject(f))} | ${escapeCell(f.suppression!.reason)} | ${f.suppression!.expires} |`);
    lines.push(...rows, "", "</details>", "");
  }
  return lines.join("\n");
}
