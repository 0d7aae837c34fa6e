// The whole loop in a real git repository, through the real binary: init,
// build, commit, change a definition, check fails with a diff, build, check
// passes, diff names the change, plan lists the node.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "./helpers/cli.ts";

const BIN = fileURLToPath(new URL("../bin/talc.js", import.meta.url));

function talc(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
}

test("init, build, commit, change, check, build, diff, plan", { timeout: 120_000 }, () => {
  const repo = tempDir("talc-git-");
  assert.equal(talc(repo, "init").code, 0);
  git(repo, "init", "-q", "-b", "main");
  const built = talc(repo, "build");
  assert.equal(built.code, 0, built.stderr);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "first cluster");
  assert.equal(git(repo, "status", "--porcelain"), "", ".gitignore keeps the cache out of git");

  const file = join(repo, "clusters/example.ts");
  writeFileSync(file, readFileSync(file, "utf8").replace('"192.168.1.21/24"', '"192.168.1.22/24"'));
  const stale = talc(repo, "check");
  assert.equal(stale.code, 3, stale.stderr);
  assert.match(stale.stdout, /--- a\/out\/example\/nodes\/worker-1\.yaml/);
  assert.match(stale.stdout, /\+\s+- address: 192\.168\.1\.22\/24/);

  assert.equal(talc(repo, "build").code, 0);
  assert.equal(talc(repo, "check").code, 0);
  git(repo, "commit", "-qam", "move worker-1");

  const diff = talc(repo, "diff", "--since", "HEAD~1");
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /node worker-1 \(worker\)\n\s+LinkConfig\/eth0: addresses\[0\]\.address: "192\.168\.1\.21\/24" → "192\.168\.1\.22\/24"/);
  assert.doesNotMatch(diff.stdout, /node cp-1/);

  const json = JSON.parse(talc(repo, "diff", "--since", "HEAD~1", "--format", "json").stdout) as { clusters: Array<{ nodes: Array<{ hostname: string }> }> };
  assert.deepEqual(json.clusters[0].nodes.map((n) => n.hostname), ["worker-1"]);
  const md = talc(repo, "diff", "--since", "HEAD~1", "--format", "markdown").stdout;
  assert.match(md, /```mermaid\nflowchart LR/);
  assert.match(md, /\| `LinkConfig\/eth0: addresses\[0\]\.address` \| "192\.168\.1\.21\/24" \| "192\.168\.1\.22\/24" \| on apply \|/);

  const plan = talc(repo, "plan", "example", "--since", "HEAD~1");
  assert.equal(plan.code, 0, plan.stderr);
  // worker-1 answers at its old address until this very config is applied
  assert.match(plan.stdout, /^talosctl apply-config --nodes 192\.168\.1\.21 --file configs\/worker-1\.yaml$/m);
  assert.doesNotMatch(plan.stdout, /apply-config .*cp-1/);

  const bad = talc(repo, "diff", "--since", "no-such-ref");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /"no-such-ref" is not a commit in this repository/);
});
