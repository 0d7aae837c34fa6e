// `talc build`: compile clusters/ and write out/. The compiler does the
// work; this command only reports.

import { join, resolve } from "node:path";
import { recordBuild } from "../check/incremental.ts";
import { openOutTree, type OutTree } from "../emit/tree.ts";
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
  // the cluster files are bundled on another core while the compiler's modules load
  (await import("../load/files.ts")).startBundler(root);
  const { compileRepository } = await import("../pipeline.ts");
  const { loadRepositorySettings } = await import("../policy/settings.ts");
  const { allRuleDocs } = await import("../policy/lint.ts");
  const { reportFindings } = await import("./findings.ts");
  const policy = { repository: await loadRepositorySettings(root, allRuleDocs()) };
  // TALC_TIMINGS=<file> (npm run bench): milliseconds per stage, summed over threads, and peak memory go there.
  const timings: Record<string, number> | undefined = process.env.TALC_TIMINGS ? {} : undefined;
  // Each cluster's files go into a new tree as soon as they are compiled, so a fleet is never held in memory
  // whole. The tree (and the build lock) is taken once the clusters are loaded, and it replaces out/ only
  // when every cluster compiled and passed the policy.
  let tree: Promise<OutTree> | undefined;
  const openTree = (nodes?: number): Promise<OutTree> => (tree ??= openOutTree(root, only.length > 0 ? only : undefined, "out", { nodes }));
  const discard = async (): Promise<void> => (await tree?.catch(() => undefined))?.abort();
  let clusters, threads;
  // Whatever fails before the swap, the new tree (and its writer thread) is thrown away.
  try {
    ({ clusters, threads } = await compileRepository(root, only, { mode: mode(values.mode), policy, timings }, {
      // Opened as soon as the fleet's size is known: it decides the writer, and a writer thread starts while the first
      // cluster compiles. A failure to open it (another build holds the lock) is thrown by the first sink.
      fleet: ({ nodes }) => void openTree(nodes).catch(() => undefined),
      sink: async (c) => (await openTree()).write(c.files),
    }));
    if (reportFindings(clusters.flatMap((c) => c.findings), io)) {
      await discard();
      io.stderr("talc: policy errors: out/ was not written; fix them or waive them in the definition\n");
      return 1;
    }
    const committing = performance.now();
    await (await openTree()).commit();
    if (timings !== undefined) timings.commit = performance.now() - committing;
  } catch (e) {
    await discard();
    throw e;
  }
  await recordBuild(root, clusters);
  if (timings !== undefined) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(process.env.TALC_TIMINGS!, JSON.stringify({ stagesMs: timings, threads, maxRssKb: process.resourceUsage().maxRSS }) + "\n");
  }
  const nodes = clusters.reduce((n, c) => n + c.nodes, 0);
  io.stderr(`built ${clusters.length} cluster(s), ${nodes} node(s) into ${join((values.root as string | undefined) ?? ".", "out")}/\n`);
  return 0;
}
