// `talc diff [--since <ref>]`: what the current definitions change, per
// cluster and node, against out/ at a git revision (or out/ on disk).

import { join, resolve } from "node:path";
import { readTree } from "../check/index.ts";
import { diffTrees } from "../check/diff.ts";
import { readTreeAt, resolveRevision } from "../check/git.ts";
import { renderMarkdown, renderText } from "../check/render.ts";
import { TalcError } from "../errors.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { noPositionals } from "./common.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  since: { type: "string", help: "compare with out/ as committed at this git revision (default: out/ on disk)" },
  format: { type: "string", default: "text", help: "text, markdown or json" },
  root: { type: "string", help: "the repository (default: the current folder)" },
};

/** `talc diff`. */
export async function diffCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("diff", argv, SPECS);
  if (values.help) {
    io.stdout(helpText("talc diff [--since <git ref>] [--format text|markdown|json]", "Shows which nodes the current definitions change, and how.", SPECS));
    return 0;
  }
  noPositionals("diff", positionals);
  const format = values.format as string;
  if (!["text", "markdown", "json"].includes(format)) {
    throw new TalcError(`invalid format "${format}"; expected text, markdown or json`, { code: "bad-arguments", stage: "cli", path: "format" });
  }
  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");
  const since = values.since as string | undefined;
  const before = since === undefined ? await readTree(join(root, "out")) : await readTreeAt(root, await resolveRevision(root, since), "out");
  const { compileRepository } = await import("../pipeline.ts");
  const { files } = await compileRepository(root);
  const diffs = diffTrees(before, files);
  const { findingChanges } = await import("../check/findings-diff.ts");
  const findings = findingChanges(before, files);
  if (format === "json") io.stdout(JSON.stringify({ since: since ?? null, clusters: diffs, findings }, null, 2) + "\n");
  else if (format === "markdown") io.stdout(renderMarkdown(diffs, findings));
  else io.stdout(renderText(diffs, findings));
  return 0;
}
