// What every report format shares: counts and naming of findings.

import type { Finding } from "../policy/types.ts";

/** How many findings there are of each severity, and how many were waived. */
export interface Summary {
  error: number;
  warning: number;
  info: number;
  waived: number;
}

/** Counts unwaived findings by severity, and waived ones apart. */
export function summarize(findings: readonly Finding[]): Summary {
  const s: Summary = { error: 0, warning: 0, info: 0, waived: 0 };
  for (const f of findings) {
    if (f.suppression !== undefined) s.waived++;
    else s[f.severity]++;
  }
  return s;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "2 errors, 1 warning, 0 infos (1 waived)". */
export function summaryLine(s: Summary): string {
  const main = [plural(s.error, "error"), plural(s.warning, "warning"), `${s.info} info`].join(", ");
  return s.waived > 0 ? `${main} (${s.waived} waived)` : main;
}

/** "file:line:col", as far as known. */
export function where(f: Finding): string {
  const { file, line, column } = f.location;
  return line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

/** Where a definition value comes from, "clusters/x.ts:12 (patches[0]...)", when known. */
export function origin(f: Finding): string | undefined {
  const d = f.definition;
  if (d === undefined || (d.file === f.location.file && d.line === f.location.line)) return undefined;
  return `${d.line === undefined ? d.file : `${d.file}:${d.line}`} (${d.path})`;
}

/** The subject of a finding: "cluster/node", "cluster", "node" or the file. */
export function subject(f: Finding): string {
  if (f.cluster !== undefined) return f.node === undefined ? f.cluster : `${f.cluster}/${f.node}`;
  return f.node ?? f.location.file;
}
