// `talc check`: what out/ should be against what it is. Kept apart from
// build so that an unchanged tree is answered from the input cache without
// loading the compiler.

import { resolve } from "node:path";
import { compareTrees } from "../check/index.ts";
import { expectedOutput } from "../check/incremental.ts";
import { TalcError } from "../errors.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { COMMON_OPTIONS, mode, noPositionals } from "./common.ts";
import type { Io } from "./main.ts";
import { failing } from "../policy/types.ts";

const CHECK: Record<string, OptionSpec> = {
  ...COMMON_OPTIONS,
  format: { type: "string", default: "text", help: "text (unified diffs) or json (stale, missing and orphaned files); findings go to stderr either way" },
};

/** `talc check`: compile in memory and compare with out/; exit 3 when out/ is stale. */
export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("check", argv, CHECK);
  if (values.help) {
    io.stdout(helpText("talc check [--cluster <name>]…", "Compiles in memory and compares with out/: exit 0 when current, 3 when stale.", CHECK));
    return 0;
  }
  noPositionals("check", positionals);
  const format = values.format as string;
  if (format !== "text" && format !== "json") {
    throw new TalcError(`invalid format "${format}"; expected text or json`, { code: "bad-arguments", stage: "cli", path: "format" });
  }
  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");
  const only = values.cluster as string[];
  const { files, disk, clusters, findings } = await expectedOutput(root, { mode: mode(values.mode) });
  const names = [...new Set(clusters.values())].sort();
  for (const name of only) {
    if (!names.includes(name)) {
      throw new TalcError(`no cluster named "${name}"; the clusters are: ${names.join(", ") || "(none)"}`, { code: "unknown-cluster", stage: "load", path: "--cluster" });
    }
  }
  const drift = compareTrees(files, disk, only.length > 0 ? only : undefined);
  if (format === "json") {
    const of = (kind: string): string[] => drift.filter((d) => d.kind === kind).map((d) => `out/${d.path}`);
    io.stdout(JSON.stringify({ current: drift.length === 0, stale: of("stale"), missing: of("missing"), orphaned: of("orphaned") }, null, 2) + "\n");
  } else if (drift.length > 0) {
    for (const d of drift) io.stdout(d.diff);
    io.stderr(`talc: out/ is stale: ${drift.length} file(s) differ; run 'talc build'\n`);
  } else {
    io.stderr(`out/ is current (${only.length > 0 ? only.length : names.length} cluster(s))\n`);
  }
  const scoped = only.length > 0 ? findings.filter((f) => f.cluster !== undefined && only.includes(f.cluster)) : findings;
  const fails = failing(scoped);
  // The report code loads only when there is something to report: the quick path stays quick.
  // Findings go to stderr in both formats: JSON on stdout lists files only, and an exit 1 with
  // nothing saying why would leave a hook's user guessing.
  if (scoped.some((f) => f.suppression === undefined)) (await import("./findings.ts")).reportFindings(scoped, io);
  return drift.length > 0 ? 3 : fails ? 1 : 0;
}
