// talc diff's output: text for a terminal, Markdown (with a small Mermaid
// picture) for a pull-request comment, JSON for tools.

import type { ClusterDiff, SettingChange } from "./diff.ts";

/** Policy findings a change introduces or fixes, per cluster and node, as one-line summaries. */
export interface FindingChanges {
  introduced: Array<{ cluster: string; node: string; rule: string; severity: string; message: string }>;
  fixed: Array<{ cluster: string; node: string; rule: string; severity: string; message: string }>;
}

function value(v: string | undefined): string {
  return v === undefined ? "(unset)" : v;
}

function setting(c: SettingChange): string {
  const where = c.document === "v1alpha1" ? c.path : `${c.document}: ${c.path}`;
  return `${where}: ${value(c.before)} → ${value(c.after)}${c.atUpgrade ? "  [at next install/upgrade]" : ""}`;
}

/** Plain text, one block per cluster. */
export function renderText(diffs: readonly ClusterDiff[], findings?: FindingChanges): string {
  if (diffs.length === 0 && (findings === undefined || (findings.introduced.length === 0 && findings.fixed.length === 0))) return "no changes\n";
  const lines: string[] = [];
  for (const d of diffs) {
    lines.push(`cluster ${d.cluster}${d.status === "changed" ? "" : ` (${d.status})`}`);
    for (const u of d.upgrades) {
      lines.push(`  upgrade ${u.what}: ${u.before} → ${u.after}${u.nodes ? ` (${u.nodes.join(", ")})` : ""}`);
    }
    for (const n of d.nodes) {
      lines.push(`  node ${n.hostname} (${n.role})${n.status === "changed" ? "" : `: ${n.status}`}`);
      for (const c of n.changes) lines.push(`    ${setting(c)}`);
    }
  }
  for (const [label, list] of [["introduced", findings?.introduced ?? []], ["fixed", findings?.fixed ?? []]] as const) {
    for (const f of list) lines.push(`finding ${label}: ${f.cluster}/${f.node}: ${f.severity} ${f.rule}: ${f.message}`);
  }
  return lines.join("\n") + "\n";
}

function id(...parts: string[]): string {
  return parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

function escapeCell(s: string): string {
  return s.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** Markdown for a pull-request comment: a picture of what changes, then a table per node. */
export function renderMarkdown(diffs: readonly ClusterDiff[], findings?: FindingChanges): string {
  const out: string[] = ["## talc: what this change does", ""];
  if (diffs.length === 0) out.push("No node configuration changes.", "");
  if (diffs.length > 0) {
    out.push("```mermaid", "flowchart LR");
    for (const d of diffs) {
      const c = id("c", d.cluster);
      out.push(`  ${c}["${d.cluster}"]`);
      for (const role of ["controlplane", "worker"]) {
        const nodes = d.nodes.filter((n) => n.role === role);
        if (nodes.length === 0) continue;
        const r = id("r", d.cluster, role);
        out.push(`  ${c} --> ${r}["${role === "controlplane" ? "control plane" : "workers"}"]`);
        for (const n of nodes) out.push(`  ${r} --> ${id("n", d.cluster, n.hostname)}["${n.hostname}: ${n.status}"]:::${n.status}`);
      }
    }
    out.push("  classDef added fill:#d3f9d8,stroke:#2b8a3e", "  classDef removed fill:#ffe3e3,stroke:#c92a2a", "  classDef changed fill:#fff3bf,stroke:#e67700", "```", "");
  }
  for (const d of diffs) {
    out.push(`### ${d.cluster}${d.status === "changed" ? "" : ` (${d.status})`}`, "");
    for (const u of d.upgrades) out.push(`- **upgrade ${u.what}**: \`${u.before}\` → \`${u.after}\`${u.nodes ? ` on ${u.nodes.join(", ")}` : ""}`);
    if (d.upgrades.length > 0) out.push("");
    for (const n of d.nodes) {
      if (n.status !== "changed") {
        out.push(`- node **${n.hostname}** (${n.role}) is ${n.status}`);
        continue;
      }
      out.push(`#### ${n.hostname} (${n.role})`, "", "| setting | before | after | takes effect |", "| --- | --- | --- | --- |");
      for (const c of n.changes) {
        const where = c.document === "v1alpha1" ? c.path : `${c.document}: ${c.path}`;
        out.push(`| \`${escapeCell(where)}\` | ${escapeCell(value(c.before))} | ${escapeCell(value(c.after))} | ${c.atUpgrade ? "next install/upgrade" : "on apply"} |`);
      }
      out.push("");
    }
  }
  if (findings !== undefined && (findings.introduced.length > 0 || findings.fixed.length > 0)) {
    out.push("### Policy findings", "", "| | node | rule | severity | message |", "| --- | --- | --- | --- | --- |");
    for (const f of findings.introduced) out.push(`| new | ${f.cluster}/${f.node} | \`${f.rule}\` | ${f.severity} | ${escapeCell(f.message)} |`);
    for (const f of findings.fixed) out.push(`| fixed | ${f.cluster}/${f.node} | \`${f.rule}\` | ${f.severity} | ${escapeCell(f.message)} |`);
    out.push("");
  }
  return out.join("\n");
}
