// talc build and talc check on real repositories: the shipped examples, the
// invariant that patches reproduce every node, determinism, drift reports.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { compareTrees, readTree } from "../compiler/check/index.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { sha256 } from "../compiler/emit/output.ts";
import { generateConfig } from "../compiler/generate/generate.ts";
import { generatorOptions } from "../compiler/generate/layers.ts";
import { parseConfig } from "../compiler/load/config.ts";
import { applyPatches } from "../compiler/patch/index.ts";
import { compileRepository, loadClusters } from "../compiler/pipeline.ts";
import { REDACTED_BUNDLE } from "../compiler/secrets/redact.ts";
import { runCli, tempRepo, treeHash } from "./helpers/cli.ts";

const PROJECT = fileURLToPath(new URL("../", import.meta.url));

function exampleRepo(): string {
  const repo = tempRepo();
  cpSync(join(PROJECT, "clusters"), join(repo, "clusters"), { recursive: true });
  return repo;
}

describe("the shipped examples", () => {
  test("out/ is current for clusters/", async () => {
    const { files } = await compileRepository(PROJECT);
    const drift = compareTrees(files, await readTree(join(PROJECT, "out")));
    assert.deepEqual(drift.map((d) => `${d.kind} ${d.path}`), []);
  });

  test("every node is the generated base with its patches applied", async () => {
    for (const cluster of await loadClusters(PROJECT)) {
      const dir = join(PROJECT, "out", cluster.definition.name);
      const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
        nodes: Array<{ hostname: string; role: "controlplane" | "worker"; config: string; patches: string[] }>;
        files: Record<string, string>;
      };
      for (const node of manifest.nodes) {
        const base = generateConfig(generatorOptions(cluster.definition, cluster.contract, REDACTED_BUNDLE), node.role);
        const patches = node.patches.map((p) => parseConfig(readFileSync(join(dir, p), "utf8"), p));
        const patched = patches.reduce((docs, patch) => applyPatches(docs, [patch]), base);
        assert.equal(encodeConfig(patched), readFileSync(join(dir, node.config), "utf8"), `${cluster.definition.name}/${node.hostname}`);
      }
      for (const [rel, hash] of Object.entries(manifest.files)) assert.equal(sha256(readFileSync(join(dir, rel), "utf8")), hash, rel);
    }
  });

  test("no secret reaches out/", async () => {
    const { files } = await compileRepository(PROJECT);
    for (const [path, content] of files) {
      assert.doesNotMatch(content, /BEGIN [A-Z0-9 ]*PRIVATE KEY|LS0tLS1CRUdJTi/, path);
      assert.doesNotMatch(content, /\b[0-9a-z]{6}\.[0-9a-z]{16}\b/, `${path}: a token`);
    }
  });
});

describe("talc build", () => {
  test("writes out/, then check passes; editing a definition makes check fail with a diff", async () => {
    const repo = exampleRepo();
    const built = await runCli(["build"], repo);
    assert.equal(built.code, 0, built.stderr);
    assert.ok(existsSync(join(repo, "out/homelab/nodes/cp-1.yaml")));
    assert.ok(existsSync(join(repo, "out/homelab/patches/cluster.yaml")));
    assert.equal((await runCli(["check"], repo)).code, 0);

    const file = join(repo, "clusters/homelab.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace('"192.168.10.23/24"', '"192.168.10.33/24"'));
    const stale = await runCli(["check"], repo);
    assert.equal(stale.code, 3);
    assert.match(stale.stdout, /--- a\/out\/homelab\/nodes\/w-3\.yaml/);
    assert.match(stale.stdout, /-\s+- address: 192\.168\.10\.23\/24\n\+\s+- address: 192\.168\.10\.33\/24/);
    const json = await runCli(["check", "--format", "json"], repo);
    assert.equal(json.code, 3);
    assert.deepEqual(JSON.parse(json.stdout), {
      current: false,
      stale: ["out/homelab/manifest.json", "out/homelab/nodes/w-3.yaml", "out/homelab/patches/nodes/w-3.yaml"],
      missing: [],
      orphaned: [],
    });
  });

  test("removes files no longer produced and keeps other clusters on a partial build", async () => {
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    mkdirSync(join(repo, "out/homelab/nodes"), { recursive: true });
    writeFileSync(join(repo, "out/homelab/nodes/old.yaml"), "x: 1\n");
    const edgeBefore = treeHash(join(repo, "out/edge"));
    const orphan = await runCli(["check", "--format", "json"], repo);
    assert.deepEqual(JSON.parse(orphan.stdout).orphaned, ["out/homelab/nodes/old.yaml"]);
    assert.equal((await runCli(["build", "--cluster", "homelab"], repo)).code, 0);
    assert.ok(!existsSync(join(repo, "out/homelab/nodes/old.yaml")));
    assert.equal(treeHash(join(repo, "out/edge")), edgeBefore);
  });

  test("an unknown --cluster is bad input", async () => {
    const r = await runCli(["build", "--cluster", "nope"], exampleRepo());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no cluster named "nope"; the clusters are: edge, homelab/);
  });

  test("a second build while one holds the lock fails cleanly", async () => {
    const repo = exampleRepo();
    writeFileSync(join(repo, ".talc-build.lock"), `${process.ppid}\n`);
    const r = await runCli(["build"], repo);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /another talc build is running/);
    assert.ok(!existsSync(join(repo, "out")));
    rmSync(join(repo, ".talc-build.lock"));
  });

  test("is deterministic across TZ, LANG, definition key order and file order", () => {
    const run = (repo: string, env: Record<string, string>): string => {
      execFileSync(process.execPath, [join(PROJECT, "bin/talc.js"), "build"], { cwd: repo, env: { ...process.env, ...env }, stdio: "pipe" });
      return treeHash(join(repo, "out"));
    };
    const a = exampleRepo();
    const b = exampleRepo();
    // Reverse the key order of every object literal line in the definitions, and add files in another order.
    rmSync(join(b, "clusters"), { recursive: true });
    mkdirSync(join(b, "clusters"));
    for (const name of ["homelab.ts", "edge.ts"]) {
      const src = readFileSync(join(PROJECT, "clusters", name), "utf8");
      writeFileSync(join(b, "clusters", name), src.replace(/\{ hostname: ("[^"]+"), role: ("[^"]+")/g, "{ role: $2, hostname: $1"));
    }
    const ha = run(a, { TZ: "UTC", LANG: "C", LC_ALL: "C" });
    const hb = run(b, { TZ: "Pacific/Kiritimati", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" });
    assert.equal(hb, ha);
  });
});

describe("talc check's input cache", () => {
  test("recompiles only clusters whose inputs changed, including files they import", async () => {
    const { expectedOutput } = await import("../compiler/check/incremental.ts");
    const repo = exampleRepo();
    mkdirSync(join(repo, "clusters/lib"));
    writeFileSync(join(repo, "clusters/lib/servers.ts"), 'export const servers = ["time.cloudflare.com"];\n');
    const edge = join(repo, "clusters/edge.ts");
    writeFileSync(edge, 'import { servers } from "./lib/servers.ts";\n' + readFileSync(edge, "utf8").replace("patches: [", "patches: [{ apiVersion: \"v1alpha1\", kind: \"TimeSyncConfig\", ntp: { servers } }, "));
    assert.equal((await runCli(["build"], repo)).code, 0);

    assert.equal((await expectedOutput(repo)).compiled, 0, "nothing to compile right after a build");
    writeFileSync(join(repo, "clusters/homelab.ts"), readFileSync(join(repo, "clusters/homelab.ts"), "utf8") + "\n// touched\n");
    assert.equal((await expectedOutput(repo)).compiled, 1, "only the edited cluster");
    assert.equal((await expectedOutput(repo)).compiled, 0, "and then it is cached");
    writeFileSync(join(repo, "clusters/lib/servers.ts"), 'export const servers = ["ntp.se"];\n');
    const after = await expectedOutput(repo);
    assert.equal(after.compiled, 1, "an imported file counts as an input");
    assert.equal((await runCli(["check"], repo)).code, 3);

    writeFileSync(join(repo, ".talc/cache.json"), "{not json");
    assert.equal((await expectedOutput(repo)).compiled, 2, "a corrupt cache is ignored");
  });

  test("a hand-edited file under out/ is caught even when inputs are unchanged", async () => {
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    const file = join(repo, "out/edge/nodes/edge-w-1.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("edge-w-1", "edge-w-9"));
    const r = await runCli(["check"], repo);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /out\/edge\/nodes\/edge-w-1\.yaml/);
  });
});
