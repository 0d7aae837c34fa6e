// `talc lint`: the policy rules on the repository's compiled clusters, or on
// any machine config files given with --config. The policy stage finds, the
// report stage formats; this command only wires them to files and flags.

import { resolve } from "node:path";
import { writeFilesAtomically } from "../emit/write.ts";
import { TalcError } from "../errors.ts";
import { compileCluster, loadClusters } from "../pipeline.ts";
import { VERSION } from "../version.ts";
import { allRuleDocs, lintNodes, type LintNode } from "../policy/lint.ts";
import { loadRepositorySettings, REPOSITORY_SETTINGS_FILE } from "../policy/settings.ts";
import { FAIL_ON, failing, PROFILES, type Finding, type Profile, type Role } from "../policy/types.ts";
import { FORMATS, formatReport, summarize, summaryLine, type Format } from "../report/index.ts";
import { CONTRACTS, DEFAULT_CONTRACT } from "../talos/contract.ts";
import type { ValidationMode } from "../validate/types.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { assertMachineConfig, readConfigFile } from "./config-files.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  config: { type: "list", short: "c", help: "a machine config file to lint instead of the repository's clusters (repeat for more)" },
  "talos-version": { type: "string", help: `with --config: the Talos version (default: from the installer image tag, else v${DEFAULT_CONTRACT})` },
  role: { type: "string", help: "with --config: controlplane or worker (default: from machine.type)" },
  cluster: { type: "list", help: "only this cluster (repeatable)" },
  format: { type: "string", short: "f", default: "text", help: FORMATS.join(", ") },
  "fail-on": { type: "string", default: "error", help: `exit 1 when an unwaived finding is at least this severe: ${FAIL_ON.join(", ")}` },
  profile: { type: "string", help: `rule profile, overriding talc.config.json and the definitions: ${PROFILES.join(", ")}` },
  waivers: { type: "boolean", default: true, help: "apply the definitions' waivers (--no-waivers reports everything)" },
  output: { type: "string", short: "o", help: "write the report to this file instead of stdout, making missing folders" },
  mode: { type: "string", default: "metal", help: "validation mode of the machines when compiling: metal, cloud or container" },
  root: { type: "string", help: "the repository (default: the current folder)" },
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new TalcError(`invalid ${flag} "${String(value)}"; expected ${allowed.join(", ")}`, { code: "bad-arguments", stage: "cli", path: flag });
}

/** What a lint run found, and what it looked at (for reports that list clean nodes). */
interface LintRun {
  findings: Finding[];
  suites: Map<string, string[]>;
}

async function lintConfigs(io: Io, files: readonly string[], values: Record<string, unknown>, profile: Profile | undefined, root: string): Promise<LintRun> {
  const roleFlag = values.role === undefined ? undefined : oneOf<Role>(values.role, ["controlplane", "worker"], "role");
  const flag = values["talos-version"] as string | undefined;
  const nodes: LintNode[] = [];
  // read everything first: bad input is reported before any finding
  for (const file of files) {
    const { text, docs, contract, talosVersion } = await readConfigFile(io, file, flag, "lint");
    assertMachineConfig(docs, contract, file);
    nodes.push({ hostname: file, role: roleFlag, file, text, docs, contract, talosVersion });
  }
  const repository = await loadRepositorySettings(root, allRuleDocs());
  const findings = lintNodes({ nodes, repository, profile, waivers: values.waivers !== false });
  return { findings, suites: new Map(files.map((f) => [f, [f]])) };
}

async function lintRepository(root: string, values: Record<string, unknown>, profile: Profile | undefined): Promise<LintRun> {
  const mode = oneOf<ValidationMode>(values.mode, ["metal", "cloud", "container"], "mode");
  const repository = await loadRepositorySettings(root, allRuleDocs());
  const findings: Finding[] = [];
  const suites = new Map<string, string[]>();
  const problems: TalcError[] = [];
  for (const loaded of await loadClusters(root, values.cluster as string[])) {
    try {
      const compiled = compileCluster(loaded, { mode, policy: { repository, profile, waivers: values.waivers !== false } });
      suites.set(loaded.definition.name, compiled.nodes.map((n) => n.hostname));
      findings.push(...compiled.findings);
    } catch (e) {
      if (!(e instanceof TalcError)) throw e;
      problems.push(...e.all);
    }
  }
  if (problems.length > 0) throw TalcError.many(problems);
  return { findings, suites };
}

/** `talc lint`: 0 clean, 1 when an unwaived finding reaches --fail-on, 2 on bad input. */
export async function lintCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("lint", argv, SPECS);
  if (values.help) {
    io.stdout(
      helpText(
        "talc lint [--config <file>…] [--format text|json|sarif|github|junit|markdown] [--fail-on error|warning|info|never]",
        `Checks the repository's compiled clusters (or the config files given with --config, Talos ${CONTRACTS.join(", ")}) against the policy rules.\nRepository settings are read from ${REPOSITORY_SETTINGS_FILE}; see 'talc rules' and 'talc explain <rule>'.`,
        SPECS,
      ),
    );
    return 0;
  }
  if (positionals.length > 0) throw new TalcError(`unexpected argument "${positionals[0]}"; name config files with --config`, { code: "bad-arguments", stage: "cli" });
  const format = oneOf<Format>(values.format, FORMATS, "format");
  const failOn = oneOf(values["fail-on"], FAIL_ON, "fail-on");
  const profile = values.profile === undefined ? undefined : oneOf<Profile>(values.profile, PROFILES, "profile");
  const files = values.config as string[];
  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");
  if (files.length === 0) {
    for (const flag of ["talos-version", "role"]) {
      if (values[flag] !== undefined) throw new TalcError(`--${flag} applies to config files; pass them with --config`, { code: "bad-arguments", stage: "cli", path: flag });
    }
  } else if ((values.cluster as string[]).length > 0) {
    throw new TalcError("--cluster selects the repository's clusters and cannot be combined with --config", { code: "bad-arguments", stage: "cli", path: "cluster" });
  }
  const run = files.length > 0 ? await lintConfigs(io, files, values, profile, root) : await lintRepository(root, values, profile);
  const color = format === "text" && values.output === undefined && process.stdout.isTTY === true && process.env.NO_COLOR === undefined && process.env.NODE_TEST_CONTEXT === undefined;
  const report = formatReport(format, run.findings, { rules: allRuleDocs(), version: VERSION, color, suites: run.suites });
  if (values.output !== undefined) {
    // As gen's and patch's --output: missing folders are made (a CI job's reports/ need not exist),
    // a folder or a file in the way is bad input, and the report is replaced whole.
    await writeFilesAtomically([{ path: resolve(io.cwd, values.output as string), content: report, mode: 0o644 }], { force: true });
  } else io.stdout(report);
  const fail = failing(run.findings, failOn);
  if (format !== "text" || values.output !== undefined) io.stderr(`talc lint: ${run.findings.length === 0 ? "no findings" : summaryLine(summarize(run.findings))}\n`);
  return fail ? 1 : 0;
}
