// `talc build` and `talc check`: compile clusters/ and write out/, or compare
// with it. The compiler does the work; these commands only report.

import { join, resolve } from "node:path";
import { compareTrees, readTree } from "../check/index.ts";
import { replaceOutTree } from "../emit/tree.ts";
import { TalcError } from "../errors.ts";
import { compileRepository } from "../pipeline.ts";
import type { ValidationMode } from "../validate/index.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import type { Io } from "./main.ts";

const COMMON: Record<string, OptionSpec> = {
  cluster: { type: "list", help: "only this cluster (repeatable)" },
  mode: { type: "string", default: "metal", help: "validation mode of the machines: metal, cloud or container" },
  root: { type: "string", help: "the repository (default: the current folder)" },
};

const CHECK: Record<string, OptionSpec> = {
  ...COMMON,
  format: { type: "string", default: "text", help: "text (unified diffs) or json" },
};

function mode(value: unknown): ValidationMode {
  if (value === "metal" || value === "cloud" || value === "container") return value;
  throw new TalcError(`invalid mode "${String(value)}"; expected metal, cloud or container`, { code: "bad-arguments", stage: "cli", path: "mode" });
}

function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new TalcError(`unexpected argument "${positionals[0]}"; see 'talc ${command} --help'`, { code: "bad-arguments", stage: "cli" });
  }
}

/** `talc build`: compile every cluster and replace out/ when all of it passed. */
export async function buildCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("build", argv, COMMON);
  if (values.help) {
    io.stdout(helpText("talc build [--cluster <name>]…", "Compiles clusters/*.ts into out/, replacing it only when everything passed.", COMMON));
    return 0;
  }
  noPositionals("build", positionals);
  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");
  const only = values.cluster as string[];
  const { clusters, files } = await compileRepository(root, only, { mode: mode(values.mode) });
  await replaceOutTree(root, files, only.length > 0 ? clusters.map((c) => c.name) : undefined);
  const nodes = clusters.reduce((n, c) => n + c.nodes.length, 0);
  io.stderr(`built ${clusters.length} cluster(s), ${nodes} node(s) into ${join((values.root as string | undefined) ?? ".", "out")}/\n`);
  return 0;
}

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
  const { clusters, files } = await compileRepository(root, only, { mode: mode(values.mode) });
  const drift = compareTrees(files, await readTree(join(root, "out")), only.length > 0 ? clusters.map((c) => c.name) : undefined);
  if (format === "json") {
    const of = (kind: string): string[] => drift.filter((d) => d.kind === kind).map((d) => `out/${d.path}`);
    io.stdout(JSON.stringify({ current: drift.length === 0, stale: of("stale"), missing: of("missing"), orphaned: of("orphaned") }, null, 2) + "\n");
  } else if (drift.length > 0) {
    for (const d of drift) io.stdout(d.diff);
    io.stderr(`talc: out/ is stale: ${drift.length} file(s) differ; run 'talc build'\n`);
  } else {
    io.stderr(`out/ is current (${clusters.length} cluster(s))\n`);
  }
  return drift.length > 0 ? 3 : 0;
}
