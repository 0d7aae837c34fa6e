// `talc build`: compile clusters/ and write out/. The compiler does the
// work; this command only reports.

import { join, resolve } from "node:path";
import { openOutTree, type OutTree } from "../emit/tree.ts";
import type { Finding } from "../policy/types.ts";
import type { ClusterResult } from "../workers/pool.ts";
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
  const buildMode = mode(values.mode);
  // A full build compiles only the clusters whose inputs changed since the cache last saw them; the rest of out/ is
  // carried over as it is. With no cache (a first build) everything is compiled, as the cluster files are bundled on
  // another core while the compiler's modules load.
  const { buildClusters, planBuild, readBasis, recordBuild } = await import("../check/incremental.ts");
  const { sharesLocalCode } = await import("../check/cache.ts");
  // The cache records each compile against inputs hashed before any cluster file is read for compiling.
  const basis = await readBasis(root, buildMode);
  const plan = only.length === 0 ? await planBuild(root, basis) : undefined;
  // Cluster files that share a local module cannot be one module: each is then bundled alone from the start.
  if (plan === undefined) (await import("../load/files.ts")).startBundler(root, sharesLocalCode(basis.inputs.values()));
  const { reportFindings } = await import("./findings.ts");
  // An unwaived error among the findings fails the build before out/ is written.
  const failsPolicy = (clusters: ReadonlyArray<{ findings: Finding[] }>): boolean => {
    if (!reportFindings(clusters.flatMap((c) => c.findings), io)) return false;
    io.stderr("talc: policy errors: out/ was not written; fix them or waive them in the definition\n");
    return true;
  };
  const out = join((values.root as string | undefined) ?? ".", "out");
  if (plan?.current) {
    // out/ is what this build would write: its findings are reported as a build would, and nothing is written.
    const clusters = buildClusters([], plan.unchanged);
    if (failsPolicy(clusters)) return 1;
    io.stderr(`${out}/ is up to date: ${clusters.length} cluster(s), ${countNodes(clusters)} node(s) unchanged since the last build\n`);
    return 0;
  }
  const { compileClusterFiles, compileRepository } = await import("../pipeline.ts");
  const { loadRepositorySettings } = await import("../policy/settings.ts");
  const { allRuleDocs } = await import("../policy/lint.ts");
  const policy = { repository: await loadRepositorySettings(root, allRuleDocs()) };
  // TALC_TIMINGS=<file> (npm run bench): milliseconds per stage, summed over threads, and peak memory go there.
  const timings: Record<string, number> | undefined = process.env.TALC_TIMINGS ? {} : undefined;
  // Each cluster's files go into a new tree as soon as they are compiled, so a fleet is never held in memory
  // whole. The tree (and the build lock) is taken once the clusters are loaded, and it replaces out/ only
  // when every cluster compiled and passed the policy.
  let tree: Promise<OutTree> | undefined;
  const openTree = (nodes?: number): Promise<OutTree> => (tree ??= openOutTree(root, only.length > 0 ? only : undefined, "out", { nodes, keep: plan?.keep }));
  const discard = async (): Promise<void> => (await tree?.catch(() => undefined))?.abort();
  let compiled, threads;
  const opts = { mode: buildMode, policy, timings };
  // With timings, also when the compile began and ended, in milliseconds since the process started: the bench
  // tells start-up and finishing apart from the stages.
  const compileStartMs = performance.now();
  let compileEndMs = compileStartMs;
  const pool = {
    // Opened as soon as the fleet's size is known: it decides the writer, and a writer thread starts while the first
    // cluster compiles. A failure to open it (another build holds the lock) is thrown by the first sink.
    fleet: ({ nodes }: { nodes: number }) => void openTree(nodes).catch(() => undefined),
    sink: async (c: ClusterResult) => (await openTree()).write(c.files),
  };
  // Whatever fails before the swap, the new tree (and its writer thread) is thrown away.
  let clusters: Array<Pick<ClusterResult, "name" | "nodes" | "findings">>;
  try {
    if (plan === undefined) {
      ({ clusters: compiled, threads } = await compileRepository(root, only, opts, pool));
      clusters = compiled;
    } else {
      ({ results: compiled, threads } = await compileClusterFiles(root, plan.compile, opts, pool));
      clusters = buildClusters(compiled, plan.unchanged);
    }
    compileEndMs = performance.now();
    if (failsPolicy(clusters)) {
      await discard();
      return 1;
    }
    const committing = performance.now();
    await (await openTree()).commit();
    if (timings !== undefined) timings.commit = performance.now() - committing;
  } catch (e) {
    await discard();
    throw e;
  }
  await recordBuild(root, compiled, basis);
  if (timings !== undefined) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(process.env.TALC_TIMINGS!, JSON.stringify({ stagesMs: timings, threads, maxRssKb: process.resourceUsage().maxRSS, compileStartMs, compileEndMs, recordedMs: performance.now() }) + "\n");
  }
  const kept = plan === undefined ? "" : ` (${compiled.length} compiled, ${plan.unchanged.length} unchanged since the last build)`;
  io.stderr(`built ${clusters.length} cluster(s), ${countNodes(clusters)} node(s) into ${out}/${kept}\n`);
  return 0;
}

function countNodes(clusters: ReadonlyArray<{ nodes: number }>): number {
  return clusters.reduce((n, c) => n + c.nodes, 0);
}
