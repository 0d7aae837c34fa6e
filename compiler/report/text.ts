// Findings for people at a terminal: grouped by cluster and node, each with
// file:line:col, the rule id, and where in the definition the value comes from.

import type { Finding } from "../policy/types.ts";
import { origin, summarize, summaryLine, where } from "./summary.ts";

const COLORS = { error: "\x1b[31m", warning: "\x1b[33m", info: "\x1b[36m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" };

/** The text report; `color` adds ANSI colours (the CLI decides: a terminal and no NO_COLOR). */
export function formatText(findings: readonly Finding[], opts: { color?: boolean } = {}): string {
  const c = (code: keyof typeof COLORS, s: string): string => (opts.color ? `${COLORS[code]}${s}${COLORS.reset}` : s);
  const groups = new Map<string, Map<string, Finding[]>>();
  for (const f of findings) {
    const cluster = f.cluster ?? "";
    const node = f.node ?? "";
    const byNode = groups.get(cluster) ?? new Map<string, Finding[]>();
    byNode.set(node, [...(byNode.get(node) ?? []), f]);
    groups.set(cluster, byNode);
  }
  const lines: string[] = [];
  for (const [cluster, byNode] of groups) {
    if (cluster !== "") lines.push(c("bold", `cluster ${cluster}`));
    for (const [node, list] of byNode) {
      const indent = cluster === "" ? "" : "  ";
      lines.push(`${indent}${c("bold", node === "" ? "(whole cluster)" : node)}`);
      for (const f of list) {
        const label = f.suppression !== undefined ? c("dim", "waived ") : c(f.severity, f.severity.padEnd(7));
        lines.push(`${indent}  ${label} ${where(f)}: ${f.message} ${c("dim", `[${f.rule}]`)}`);
        const from = origin(f);
        if (from !== undefined) lines.push(`${indent}          ${c("dim", `set in ${from}`)}`);
        if (f.suppression !== undefined) lines.push(`${indent}          ${c("dim", `waived until ${f.suppression.expires}: ${f.suppression.reason}`)}`);
      }
    }
  }
  lines.push(findings.length === 0 ? "no findings" : summaryLine(summarize(findings)));
  return lines.join("\n") + "\n";
}
