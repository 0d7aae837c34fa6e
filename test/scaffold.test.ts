// What `talc init` writes: the CI workflow does what the README says of it, as
// the repository's own workflow does.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { scaffoldFiles } from "../compiler/scaffold/index.ts";
import { PACKAGE_ROOT } from "../compiler/paths.ts";

describe("talc init's workflow", () => {
  const workflow = scaffoldFiles({ name: "clusters", talcSpec: "^0.1.0" }).get(".github/workflows/talc.yml")!;

  test("is the repository's own workflow, with talc from npm", () => {
    const own = readFileSync(join(PACKAGE_ROOT, ".github/workflows/talc.yml"), "utf8");
    assert.equal(workflow, own.replaceAll("node bin/talc.js", "npx talc"));
  });

  test("checks, summarizes the diff, annotates findings and uploads SARIF, the one step that needs security-events: write", () => {
    const job = (parse(workflow) as { jobs: { check: { permissions: Record<string, string>; steps: Array<{ run?: string; uses?: string; if?: string }> } } }).jobs.check;
    assert.equal(job.permissions["security-events"], "write");
    const runs = job.steps.map((s) => s.run ?? s.uses ?? "");
    for (const want of [/^npx talc check$/, /^npx talc diff .*--format markdown >> "\$GITHUB_STEP_SUMMARY"$/, /^npx talc lint --format github$/, /^npx talc lint --format sarif .*> talc\.sarif$/, /^github\/codeql-action\/upload-sarif@/]) {
      assert.ok(runs.some((r) => want.test(r)), `no step ${want}`);
    }
    // forks get no write token: the upload is skipped there
    const upload = job.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    assert.match(upload?.if ?? "", /head\.repo\.full_name == github\.repository/);
  });
});
