// `talc lint`, `talc explain` and `talc rules` from the command line: config
// files and the repository's clusters, formats, exit codes, bad input.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { explainCommand, rulesCommand } from "../compiler/cli/explain.ts";
import { lintCommand } from "../compiler/cli/lint.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { applyPatches, parsePatch } from "../compiler/patch/index.ts";
import { allRuleDocs } from "../compiler/policy/lint.ts";
import type { Finding } from "../compiler/policy/types.ts";
import type { Contract } from "../compiler/talos/contract.ts";
import { runCommand as run, tempDir, tempRepo, type CliResult as Run } from "./helpers/cli.ts";
import { baseConfig } from "./rules/harness.ts";


function configFile(dir: string, name: string, contract: Contract, role: "controlplane" | "worker", patch?: string): string {
  let docs = baseConfig(contract, role);
  if (patch !== undefined) docs = applyPatches(docs, [parsePatch(patch, name, { contract })], { contract });
  writeFileSync(join(dir, name), encodeConfig(docs));
  return name;
}

const json = (r: Run): { findings: Finding[] } => JSON.parse(r.stdout) as { findings: Finding[] };
const rules = (r: Run): string[] => json(r).findings.filter((f) => f.suppression === undefined).map((f) => f.rule);

describe("talc lint --config", () => {
  const dir = tempDir();
  configFile(dir, "worker.yaml", "1.13", "worker");
  configFile(dir, "debug.yaml", "1.13", "worker", "debug: true\n");
  configFile(dir, "legacy-installer.yaml", "1.14", "controlplane", "machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.14.0\n");
  configFile(dir, "cp.yaml", "1.13", "controlplane", "cluster:\n  allowSchedulingOnControlPlanes: true\n  apiServer:\n    extraArgs:\n      anonymous-auth: \"true\"\n");
  configFile(dir, "newer-installer.yaml", "1.13", "controlplane", "machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.14.0\n");
  writeFileSync(join(dir, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n");
  writeFileSync(join(dir, "plain.yaml"), "foo: bar\n");
  writeFileSync(join(dir, "no-machine.yaml"), "version: v1alpha1\ncluster: {}\n");

  const cases: Array<{ name: string; argv: string[]; code: number; rules?: string[]; stderr?: RegExp }> = [
    { name: "a base config: warnings only", argv: ["--config", "worker.yaml", "--format", "json"], code: 0, rules: ["volume-encryption"] },
    { name: "--fail-on warning", argv: ["--config", "worker.yaml", "--fail-on", "warning"], code: 1 },
    { name: "--fail-on never", argv: ["--config", "cp.yaml", "--fail-on", "never"], code: 0 },
    { name: "the strict profile turns warnings into errors", argv: ["--config", "debug.yaml", "--profile", "strict", "--format", "json"], code: 1, rules: ["volume-encryption", "no-debug-mode"] },
    { name: "version from the installer tag", argv: ["--config", "legacy-installer.yaml", "--format", "json"], code: 1, rules: ["no-legacy-installer-registry", "volume-encryption"] },
    { name: "--talos-version overrides the installer tag", argv: ["--config", "newer-installer.yaml", "--talos-version", "v1.13.9", "--format", "json"], code: 1, rules: ["installer-image-pinned", "volume-encryption"] },
    { name: "a document the version does not have", argv: ["--config", "legacy-installer.yaml", "--talos-version", "v1.13.9"], code: 2, stderr: /legacy-installer\.yaml: document 2: document kind "DiscoveryServiceConfig" does not exist in talos 1\.13; it exists in talos 1\.14/ },
    { name: "several files: workers make control-plane scheduling a finding", argv: ["--config", "cp.yaml", "--config", "worker.yaml", "--format", "json"], code: 1, rules: ["apiserver-secure-args", "volume-encryption", "no-control-plane-scheduling", "volume-encryption"] },
    { name: "--role overrides machine.type", argv: ["--config", "cp.yaml", "--role", "worker", "--format", "json"], code: 0, rules: ["volume-encryption"] },
    { name: "a missing file", argv: ["--config", "nope.yaml"], code: 2, stderr: /nope\.yaml: cannot read the config/ },
    { name: "a Kubernetes manifest is no machine config", argv: ["--config", "pod.yaml"], code: 2, stderr: /pod\.yaml: document 1: unknown document kind "Pod"/ },
    { name: "a mapping with no kind is no machine config", argv: ["--config", "plain.yaml"], code: 2, stderr: /plain\.yaml: document 1: missing kind/ },
    { name: "a v1alpha1 document without machine is no machine config", argv: ["--config", "no-machine.yaml"], code: 2, stderr: /no-machine\.yaml: document 1: machine: the v1alpha1 document has no machine section/ },
    { name: "an unknown format", argv: ["--config", "worker.yaml", "--format", "pdf"], code: 2, stderr: /invalid format "pdf"; expected text, json, sarif, github, junit, markdown/ },
    { name: "an unknown --fail-on", argv: ["--config", "worker.yaml", "--fail-on", "fatal"], code: 2, stderr: /invalid fail-on/ },
    { name: "an unknown role", argv: ["--config", "worker.yaml", "--role", "master"], code: 2, stderr: /invalid role "master"/ },
    { name: "an unsupported Talos version", argv: ["--config", "worker.yaml", "--talos-version", "v1.9.0"], code: 2, stderr: /not a supported version contract/ },
    { name: "--cluster with --config", argv: ["--config", "worker.yaml", "--cluster", "x"], code: 2, stderr: /cannot be combined/ },
    { name: "a positional argument", argv: ["worker.yaml"], code: 2, stderr: /name config files with --config/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await run(lintCommand, c.argv, dir);
      assert.equal(r.code, c.code, r.stderr);
      if (c.rules !== undefined) assert.deepEqual(rules(r), c.rules);
      if (c.stderr !== undefined) assert.match(r.stderr, c.stderr);
    });
  }

  it("text output names file, line and rule", async () => {
    const r = await run(lintCommand, ["--config", "debug.yaml"], dir);
    assert.match(r.stdout, /debug\.yaml:2:1: debug mode is on: service logs go to the console \[no-debug-mode\]/);
    assert.doesNotMatch(r.stdout, /\x1b\[/, "no colour when not on a terminal");
  });

  it("--output writes the report to a file", async () => {
    const r = await run(lintCommand, ["--config", "debug.yaml", "--format", "sarif", "--output", "report.sarif"], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    const log = JSON.parse(readFileSync(join(dir, "report.sarif"), "utf8")) as { version: string; runs: Array<{ results: unknown[] }> };
    assert.equal(log.version, "2.1.0");
    assert.equal(log.runs[0].results.length, 2);
    assert.match(r.stderr, /talc lint: 0 errors, 2 warnings/);
  });

  it("--output makes missing folders, and a folder or a file in the way is bad input", async () => {
    const made = await run(lintCommand, ["--config", "debug.yaml", "-f", "sarif", "-o", "reports/ci/talc.sarif"], dir);
    assert.equal(made.code, 0, made.stderr);
    assert.equal((JSON.parse(readFileSync(join(dir, "reports/ci/talc.sarif"), "utf8")) as { version: string }).version, "2.1.0");
    const folder = await run(lintCommand, ["--config", "debug.yaml", "-f", "sarif", "-o", "reports"], dir);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /reports: is a folder; name a file to write instead/);
    const file = await run(lintCommand, ["--config", "debug.yaml", "-f", "sarif", "-o", "debug.yaml/talc.sarif"], dir);
    assert.equal(file.code, 2);
    assert.match(file.stderr, /debug\.yaml: is a file, not a folder, so it cannot hold talc\.sarif/);
  });

  it("reads talc.config.json from the folder", async () => {
    const sub = tempDir();
    configFile(sub, "debug.yaml", "1.13", "worker", "debug: true\n");
    writeFileSync(join(sub, "talc.config.json"), JSON.stringify({ policy: { rules: { "volume-encryption": "off", "no-debug-mode": "error" } } }));
    const r = await run(lintCommand, ["--config", "debug.yaml", "--format", "json"], sub);
    assert.equal(r.code, 1);
    assert.deepEqual(rules(r), ["no-debug-mode"]);
    writeFileSync(join(sub, "talc.config.json"), JSON.stringify({ policy: { rules: { "no-debug-mod": "off" } } }));
    const bad = await run(lintCommand, ["--config", "debug.yaml"], sub);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /talc\.config\.json: policy\.rules\["no-debug-mod"\]: unknown rule "no-debug-mod"; did you mean "no-debug-mode"\?/);
  });
});

function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe("talc lint (the repository)", () => {
  const cluster = (policy: string): string => `import { defineCluster } from "talc";

export default defineCluster({
  name: "lab",
  talosVersion: "v1.13.9",
  kubernetesVersion: "1.36.3",
  endpoint: "https://10.0.0.1:6443",
  install: { disk: "/dev/sda" },
  patches: [
    { debug: true },
  ],
  nodes: [
    { hostname: "cp-1", role: "controlplane" },
    { hostname: "w-1", role: "worker" },
  ],
  policy: ${policy},
});
`;
  const repo = tempRepo({ "lab.ts": cluster(`{ rules: { "no-debug-mode": "error", "volume-encryption": "off" }, waivers: [{ rule: "no-debug-mode", nodes: ["w-*"], reason: "watching the worker NICs boot", expires: "${daysFromNow(30)}" }] }`) });

  it("lints the compiled nodes, traced to the definition, waivers applied", async () => {
    const r = await run(lintCommand, ["--format", "json"], repo);
    assert.equal(r.code, 1, r.stderr);
    const findings = json(r).findings.filter((f) => f.rule === "no-debug-mode");
    assert.deepEqual(findings.map((f) => [f.node, f.severity, f.suppression === undefined]), [["cp-1", "error", true], ["w-1", "error", false]]);
    const cp = findings[0];
    assert.equal(cp.location.file, "out/lab/nodes/cp-1.yaml");
    assert.equal(cp.location.line, 2);
    assert.deepEqual(cp.definition, { file: "clusters/lab.ts", path: "patches[0].debug", line: 10 });
  });

  it("--no-waivers reports the waived finding too", async () => {
    const r = await run(lintCommand, ["--format", "json", "--no-waivers"], repo);
    assert.deepEqual(rules(r).filter((x) => x === "no-debug-mode").length, 2);
  });

  it("text output groups by cluster and node", async () => {
    const r = await run(lintCommand, [], repo);
    assert.match(r.stdout, /^cluster lab\n  cp-1\n    error   out\/lab\/nodes\/cp-1\.yaml:2:1: debug mode is on/m);
    assert.match(r.stdout, /set in clusters\/lab\.ts:10 \(patches\[0\]\.debug\)/);
    assert.match(r.stdout, /waived until \d{4}-\d{2}-\d{2}: watching the worker NICs boot/);
  });

  it("an unknown cluster is bad input", async () => {
    const r = await run(lintCommand, ["--cluster", "nope"], repo);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no cluster named "nope"/);
  });

  it("an expired waiver and a waiver that matches nothing are reported", async () => {
    const other = tempRepo({
      "lab.ts": cluster(`{ waivers: [{ rule: "no-debug-mode", reason: "watching the NICs boot", expires: "${daysFromNow(-1)}" }, { rule: "registry-tls-verify", reason: "lab registry without a CA", expires: "${daysFromNow(10)}" }] }`),
    });
    const r = await run(lintCommand, ["--format", "json"], other);
    const diags = json(r).findings.filter((f) => f.rule.startsWith("waiver-"));
    assert.deepEqual(diags.map((f) => [f.rule, f.location.file, f.path]), [
      ["waiver-expired", "clusters/lab.ts", "policy.waivers[0].expires"],
      ["waiver-unmatched", "clusters/lab.ts", "policy.waivers[1]"],
    ]);
    assert.ok(diags.every((f) => f.location.line !== undefined));
  });
});

describe("talc explain and talc rules", () => {
  const dir = tempDir();

  it("explains a rule with its examples", async () => {
    const r = await run(explainCommand, ["no-debug-mode"], dir);
    assert.equal(r.code, 0);
    for (const part of ["no-debug-mode: Debug mode is off", "severity:   warning (recommended), error (strict)", "waivable:   yes", "Why", "How to fix", "Good", "Bad", "debug: true", "https://talc.dev/rules/no-debug-mode"]) {
      assert.ok(r.stdout.includes(part), part);
    }
  });

  it("explains a waiver diagnostic and a locked rule", async () => {
    assert.match((await run(explainCommand, ["waiver-expired"], dir)).stdout, /Expired waivers are removed/);
    assert.match((await run(explainCommand, ["no-plaintext-secrets"], dir)).stdout, /waivable:   no; settings cannot change it/);
  });

  it("says why a rule cannot be waived, in text and Markdown, and not for a waivable rule", async () => {
    const text = (await run(explainCommand, ["no-plaintext-secrets"], dir)).stdout;
    assert.match(text, /\n {12}why not: it guards against leaking secrets, and a leaked secret cannot be taken back\n/);
    const markdown = (await run(explainCommand, ["waiver-expired", "--format", "markdown"], dir)).stdout;
    assert.match(markdown, /\*\*Why it cannot be waived\.\*\* It reports waivers past their expiry; renew or remove the expired waiver instead\./);
    assert.doesNotMatch((await run(explainCommand, ["no-debug-mode"], dir)).stdout, /why not/);
  });

  it("a waiver example said to be in force expires within the coming year, whatever the date", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const expires = async (rule: string, kind: "good" | "bad"): Promise<string[]> => {
      const docs = JSON.parse((await run(explainCommand, [rule, "--format", "json"], dir)).stdout) as { examples: Record<string, Array<{ definition?: { policy?: { waivers?: Array<{ expires: string }> } } }>> };
      return docs.examples[kind].flatMap((e) => e.definition?.policy?.waivers ?? []).map((w) => w.expires);
    };
    for (const rule of ["waiver-expired", "waiver-invalid", "waiver-unmatched"]) {
      const dates = await expires(rule, "good");
      assert.ok(dates.length > 0, `${rule} has a good example with a waiver`);
      for (const date of dates) assert.ok(date >= today && date <= daysFromNow(365), `${rule}: ${date}`);
    }
    const expired = await expires("waiver-expired", "bad");
    assert.ok(expired.length > 0, "waiver-expired has a bad example with a waiver");
    for (const date of expired) assert.ok(date < today, date);
  });

  it("explains as JSON and Markdown", async () => {
    const j = JSON.parse((await run(explainCommand, ["official-extension", "--format", "json"], dir)).stdout) as { id: string; check?: unknown; helpUri: string };
    assert.equal(j.id, "official-extension");
    assert.equal(j.check, undefined);
    assert.match((await run(explainCommand, ["official-extension", "--format", "markdown"], dir)).stdout, /^## official-extension/);
  });

  it("an unknown rule is bad input, with the closest one", async () => {
    const r = await run(explainCommand, ["no-debug-mod"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown rule "no-debug-mod"; did you mean "no-debug-mode"\?/);
    assert.equal((await run(explainCommand, [], dir)).code, 2);
  });

  it("lists every rule", async () => {
    const r = await run(rulesCommand, [], dir);
    assert.equal(r.code, 0);
    for (const rule of allRuleDocs()) assert.match(r.stdout, new RegExp(`^${rule.id} `, "m"));
    const listed = JSON.parse((await run(rulesCommand, ["--format", "json"], dir)).stdout) as Array<{ id: string; waivable: boolean }>;
    assert.equal(listed.length, allRuleDocs().length);
    assert.equal(listed.find((x) => x.id === "no-secret-manifest")?.waivable, false);
  });

  it("--help", async () => {
    for (const cmd of [lintCommand, explainCommand, rulesCommand]) {
      const r = await run(cmd, ["--help"], dir);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^usage: talc /);
    }
  });
});

