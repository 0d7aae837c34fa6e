// Runs the bad-input corpus (test/corpus/cases.ts) and the fuzzer's
// regressions (test/corpus/regressions/): every bad input is exit 2 with one
// error naming the file and line or the config path, never a stack trace, and
// out/ (and anything outside the repository) is byte for byte as before.

import assert from "node:assert/strict";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { BASE_CLUSTER, CORPUS, type CorpusCase } from "./corpus/cases.ts";
import { pathHash } from "./corpus/hash.ts";
import { runCli, tempDir, tempRepo, type CliResult } from "./helpers/cli.ts";

const REGRESSIONS = fileURLToPath(new URL("./corpus/regressions/", import.meta.url));
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

function assertCleanFailure(r: CliResult, what: string): void {
  assert.equal(r.code, 2, `${what}: expected exit 2\n${r.stdout}${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/, what);
  assert.doesNotMatch(r.stderr, STACK_LINE, `${what}: a stack trace was printed`);
}

let built: string;
let outside: string;

before(async () => {
  built = tempRepo({ "tiny.ts": BASE_CLUSTER });
  const r = await runCli(["build"], built);
  assert.equal(r.code, 0, r.stderr);
  outside = tempDir("talc-corpus-outside-");
  writeFileSync(join(outside, "secret.txt"), "not for out/\n");
});

// A repository with the base cluster, its built out/, and the case's files and links.
function repoFor(c: CorpusCase): string {
  const repo = tempRepo({ "tiny.ts": BASE_CLUSTER });
  cpSync(join(built, "out"), join(repo, "out"), { recursive: true });
  for (const [rel, content] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(repo, rel)), { recursive: true });
    writeFileSync(join(repo, rel), content);
  }
  for (const [rel, target] of Object.entries(c.links ?? {})) {
    mkdirSync(dirname(join(repo, rel)), { recursive: true });
    symlinkSync(target.replace("@outside", outside), join(repo, rel));
  }
  if (c.outIsFile !== undefined) {
    rmSync(join(repo, "out"), { recursive: true });
    writeFileSync(join(repo, "out"), c.outIsFile);
  }
  return repo;
}

describe("the bad-input corpus", () => {
  test("has at least 50 named cases, some of every kind, each name once", () => {
    assert.ok(CORPUS.length >= 50, `${CORPUS.length} cases`);
    assert.equal(new Set(CORPUS.map((c) => c.name)).size, CORPUS.length, "duplicate case names");
    for (const kind of ["definition", "patch", "config", "secrets", "arguments", "repository"]) {
      assert.ok(CORPUS.some((c) => c.kind === kind), `no ${kind} case`);
    }
  });

  for (const c of CORPUS) {
    test(`${c.kind}: ${c.name}`, async () => {
      const repo = repoFor(c);
      const argv = c.argv.map((a) => a.replace("@outside", join(outside, "materialized")));
      const out = pathHash(join(repo, "out"));
      const elsewhere = pathHash(outside);
      const r = await runCli(argv, repo);
      assertCleanFailure(r, c.name);
      assert.match(r.stderr, c.where);
      if (c.message !== undefined) assert.match(r.stderr, c.message);
      assert.equal(pathHash(join(repo, "out")), out, "out/ changed");
      assert.equal(pathHash(outside), elsewhere, "something outside the repository changed");
      if (c.kind === "definition") {
        // check reads the same definitions: the same refusal, and out/ untouched
        const checked = await runCli(["check"], repo);
        assertCleanFailure(checked, `${c.name} (check)`);
        assert.match(checked.stderr, c.where);
        if (c.message !== undefined) assert.match(checked.stderr, c.message);
        assert.equal(pathHash(join(repo, "out")), out, "out/ changed by check");
      }
    });
  }
});

describe("the fuzzer's regressions", () => {
  const files = readdirSync(REGRESSIONS).filter((f) => /\.(ts|yaml)$/.test(f)).sort();
  test("are there", () => assert.ok(files.length > 0));
  for (const file of files) {
    test(file, async () => {
      const text = readFileSync(join(REGRESSIONS, file));
      const repo = tempRepo({ "tiny.ts": BASE_CLUSTER });
      cpSync(join(built, "out"), join(repo, "out"), { recursive: true });
      const out = pathHash(join(repo, "out"));
      const runs: Array<[string[], string]> = [];
      if (file.endsWith(".ts")) {
        writeFileSync(join(repo, "clusters/fuzzed.ts"), text);
        runs.push([["build"], "clusters/fuzzed.ts"]);
      } else {
        writeFileSync(join(repo, file), text);
        writeFileSync(join(repo, "c.yaml"), "version: v1alpha1\nmachine:\n  type: worker\n");
        runs.push([["validate", "--config", file], file], [["patch", "--config", "c.yaml", "--patch", `@${file}`], file], [["patch", "--config", file, "--patch", "@c.yaml"], file]);
      }
      for (const [argv, named] of runs) {
        const r = await runCli(argv, repo);
        assert.notEqual(r.code, 70, `${argv.join(" ")}: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, STACK_LINE);
        if (r.code === 2) assert.ok(r.stderr.includes(named), `${argv.join(" ")}: the error does not name ${named}: ${r.stderr}`);
      }
      assert.equal(pathHash(join(repo, "out")), out);
    });
  }
});
