// Findings as JSON, for scripts: the summary and every finding as the runner made it.

import type { Finding } from "../policy/types.ts";
import { summarize } from "./summary.ts";

/** The JSON report. */
export function formatJson(findings: readonly Finding[], opts: { version: string }): string {
  return JSON.stringify({ tool: { name: "talc", version: opts.version }, summary: summarize(findings), findings }, null, 2) + "\n";
}
