// `talc build` and `talc check`: compile clusters/ and write out/, or compare
// with it. The compiler does the work; these commands only report.

import { join, resolve } from "node:path";
import { recordBuild } from "../check/incremental.ts";
import { replaceOutTree } from "../emit/tree.ts";
import { helpText, parseCommand } from "./args.ts";
import { COMMON_OPTIONS as COMMON, mode, noPositionals } from "./common.ts";
import type { Io } from "./main.ts";

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
  const { compileRepository } = await import("../pipeline.ts");
  const { loadRepositorySettings } = await import("../policy/settings.ts");
  const { allRuleDocs } = await import("../policy/lint.ts");
  const { reportFindings } = await import("./findings.ts");
  const policy = { repository: await loadRepositorySettings(root, allRuleDocs()) };
  const { clusters, files } = await compileRepository(root, only, { mode: mode(values.mode), policy });
  if (reportFindings(clusters.flatMap((c) => c.findings), io)) {
    io.stderr("talc: policy errors: out/ was not written; fix them or waive them in the definition\n");
    return 1;
  }
  await replaceOutTree(root, files, only.length > 0 ? clusters.map((c) => c.name) : undefined);
  await recordBuild(root, clusters);
  const nodes = clusters.reduce((n, c) => n + c.nodes.length, 0);
  io.stderr(`built ${clusters.length} cluster(s), ${nodes} node(s) into ${join((values.root as string | undefined) ?? ".", "out")}/\n`);
  return 0;
}
