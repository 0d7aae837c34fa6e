// talc build and talc check on real repositories: the shipped examples, the
// invariant that patches reproduce every node, determinism, drift reports.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
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

// A new repository holding a copy of the cluster files (by default, the shipped examples).
function exampleRepo(clusters = join(PROJECT, "clusters")): string {
  const repo = tempRepo();
  cpSync(clusters, join(repo, "clusters"), { recursive: true });
  return repo;
}

// Edits a file in place: the first `from` becomes `to`.
function replaceIn(file: string, from: string, to: string): void {
  writeFileSync(file, readFileSync(file, "utf8").replace(from, to));
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
        // written as the talosctl of the cluster's release writes it
        assert.equal(encodeConfig(patched, cluster.contract), readFileSync(join(dir, node.config), "utf8"), `${cluster.definition.name}/${node.hostname}`);
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

    replaceIn(join(repo, "clusters/homelab.ts"), '"192.168.10.23/24"', '"192.168.10.33/24"');
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

  test("check --format json still reports the findings that fail it, on stderr", async () => {
    const repo = exampleRepo();
    // without its waiver, edge's control plane is a finding
    replaceIn(join(repo, "clusters/edge.ts"), 'nodes: ["edge-cp-1"]', 'nodes: ["edge-w-1"]');
    assert.equal((await runCli(["build"], repo)).code, 0);
    writeFileSync(join(repo, "talc.config.json"), JSON.stringify({ policy: { rules: { "no-control-plane-scheduling": "error" } } }));
    const r = await runCli(["check", "--format", "json"], repo);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), { current: true, stale: [], missing: [], orphaned: [] });
    assert.match(r.stderr, /error +out\/edge\/nodes\/edge-cp-1\.yaml:\d+:\d+: .*\[no-control-plane-scheduling\]/);
    assert.match(r.stderr, /^1 error, 1 warning, 0 info$/m);
  });

  test("an unknown --cluster is bad input", async () => {
    const r = await runCli(["build", "--cluster", "nope"], exampleRepo());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no cluster named "nope"; the clusters are: edge, homelab/);
  });

  test("a cluster file that fails to load is reported alone, not as a missing --cluster", async () => {
    const repo = exampleRepo();
    writeFileSync(join(repo, "clusters/broken.ts"), 'import { defineCluster } from "talc";\nexport default defineCluster({ name: "broken", talosVersion: "v1.13" } as any);\n');
    for (const argv of [["build", "--cluster", "homelab"], ["lint", "--cluster", "homelab"], ["plan", "homelab"]]) {
      const r = await runCli(argv, repo);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.stderr, /clusters\/broken\.ts:2: talosVersion: "v1\.13" is not a valid talosVersion/, argv.join(" "));
      assert.doesNotMatch(r.stderr, /no cluster named/, argv.join(" "));
    }
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

describe("talc build's input cache", () => {
  // What a build from nothing (no out/, no cache) writes for the repository as it is now.
  function fullBuild(repo: string): string {
    const copy = exampleRepo(join(repo, "clusters"));
    execFileSync(process.execPath, [join(PROJECT, "bin/talc.js"), "build"], { cwd: copy, stdio: "pipe" });
    return treeHash(join(copy, "out"));
  }

  test("with nothing changed, out/ is left as it is and its findings are reported again", async () => {
    const repo = exampleRepo();
    // without its waiver, edge has findings to report
    replaceIn(join(repo, "clusters/edge.ts"), 'nodes: ["edge-cp-1"]', 'nodes: ["edge-w-1"]');
    const first = await runCli(["build"], repo);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /no-control-plane-scheduling/);
    const file = join(repo, "out/homelab/nodes/cp-1.yaml");
    const before = statSync(file);
    const again = await runCli(["build"], repo);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /out\/ is up to date: 2 cluster\(s\), \d+ node\(s\) unchanged/);
    // the same findings, in the same order, as the build that compiled them
    const report = (stderr: string): string[] => stderr.split("\n").slice(0, -2);
    assert.deepEqual(report(again.stderr), report(first.stderr));
    const after = statSync(file);
    assert.equal(after.ino, before.ino);
    assert.equal(after.mtimeMs, before.mtimeMs);
  });

  test("compiles only the clusters that changed, and out/ is what a full build writes", async () => {
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    replaceIn(join(repo, "clusters/homelab.ts"), '"192.168.10.23/24"', '"192.168.10.33/24"');
    const r = await runCli(["build"], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /built 2 cluster\(s\), \d+ node\(s\) into out\/ \(1 compiled, 1 unchanged since the last build\)/);
    assert.match(readFileSync(join(repo, "out/homelab/nodes/w-3.yaml"), "utf8"), /192\.168\.10\.33\/24/);
    assert.equal(treeHash(join(repo, "out")), fullBuild(repo));
    assert.equal((await runCli(["check"], repo)).code, 0);
    assert.match((await runCli(["build"], repo)).stderr, /up to date/);
  });

  test("a stray file, a hand-edited file and a removed cluster are dealt with as a full build deals with them", async () => {
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    writeFileSync(join(repo, "out/README.md"), "not talc's\n");
    writeFileSync(join(repo, "out/homelab/nodes/old.yaml"), "x: 1\n");
    const edited = join(repo, "out/edge/nodes/edge-w-1.yaml");
    replaceIn(edited, "edge-w-1", "edge-w-9");
    const r = await runCli(["build"], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\(1 compiled, 1 unchanged since the last build\)/);
    assert.ok(!existsSync(join(repo, "out/homelab/nodes/old.yaml")));
    assert.doesNotMatch(readFileSync(edited, "utf8"), /edge-w-9/);
    assert.equal(readFileSync(join(repo, "out/README.md"), "utf8"), "not talc's\n");
    rmSync(join(repo, "out/README.md"));
    assert.equal(treeHash(join(repo, "out")), fullBuild(repo));

    rmSync(join(repo, "clusters/edge.ts"));
    const removed = await runCli(["build"], repo);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stderr, /built 1 cluster\(s\), \d+ node\(s\) into out\/ \(0 compiled, 1 unchanged since the last build\)/);
    assert.ok(!existsSync(join(repo, "out/edge")));
    assert.equal(treeHash(join(repo, "out")), fullBuild(repo));
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(repo, ".talc/cache.json"), "utf8"))), ["clusters/homelab.ts"]);
  });

  test("a cluster file edited while a build compiles is recorded with the inputs hashed before, so the next build compiles it", async () => {
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    const { expectedOutput, readBasis, recordBuild } = await import("../compiler/check/incremental.ts");
    // a build hashes the inputs, then the file is edited before the compile reads it
    const basis = await readBasis(repo);
    replaceIn(join(repo, "clusters/homelab.ts"), '"192.168.10.23/24"', '"192.168.10.33/24"');
    const { clusters, files } = await compileRepository(repo, ["homelab"]);
    for (const [p, content] of files) writeFileSync(join(repo, "out", p), content);
    await recordBuild(repo, clusters, basis);
    // out/ holds what the edited file compiles to, but the cache does not vouch for it
    assert.equal((await expectedOutput(repo)).compiled, 1);
    assert.equal((await expectedOutput(repo)).compiled, 0, "the check that compiled it recorded its inputs");
  });

  test("a build in another validation mode compiles again", async () => {
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    const r = await runCli(["build", "--mode", "container"], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /built 2 cluster\(s\), \d+ node\(s\) into out\/\n/);
    assert.match((await runCli(["build", "--mode", "container"], repo)).stderr, /up to date/);
    const { expectedOutput } = await import("../compiler/check/incremental.ts");
    assert.equal((await expectedOutput(repo)).compiled, 2, "check in metal mode does not take container-mode results");
  });

  test("an unwaived error among the cached findings fails the build and leaves out/ alone", async () => {
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    const before = treeHash(join(repo, "out"));
    const cachePath = join(repo, ".talc/cache.json");
    const cache = JSON.parse(readFileSync(cachePath, "utf8")) as Record<string, { findings: Array<Record<string, unknown>> }>;
    const entry = cache["clusters/edge.ts"];
    const [sample] = Object.values(cache).flatMap((e) => e.findings);
    assert.ok(sample !== undefined, "the examples have findings");
    entry.findings.push({ ...sample, severity: "error", suppression: undefined, message: "an error the last compile found" });
    writeFileSync(cachePath, JSON.stringify(cache));
    const r = await runCli(["build"], repo);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /an error the last compile found/);
    assert.match(r.stderr, /policy errors: out\/ was not written/);
    assert.equal(treeHash(join(repo, "out")), before);
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

  test("imports written as .js, as a folder or through package.json imports count as inputs; a compile reading anything else is never cached", async () => {
    const { expectedOutput } = await import("../compiler/check/incremental.ts");
    const repo = exampleRepo();
    mkdirSync(join(repo, "lib/pool"), { recursive: true });
    writeFileSync(join(repo, "lib/net.ts"), 'export const first = "time.cloudflare.com";\n');
    writeFileSync(join(repo, "lib/pool/index.ts"), 'export const second = "0.pool.ntp.org";\n');
    writeFileSync(join(repo, "lib/tags.ts"), 'export const third = "1.pool.ntp.org";\n');
    writeFileSync(join(repo, "lib/mapped.ts"), 'export const fourth = "2.pool.ntp.org";\n');
    writeFileSync(join(repo, "package.json"), JSON.stringify({ type: "module", imports: { "#lib/*": "./lib/*" } }));
    writeFileSync(join(repo, "tsconfig.json"), JSON.stringify({ compilerOptions: { paths: { "@mapped": ["./lib/mapped.ts"] } } }));
    const edge = join(repo, "clusters/edge.ts");
    const imports = 'import { first } from "../lib/net.js";\nimport { second } from "../lib/pool";\nimport { third } from "#lib/tags.ts";\n';
    const use = 'patches: [{ apiVersion: "v1alpha1", kind: "TimeSyncConfig", ntp: { servers: [first, second, third] } }, ';
    writeFileSync(edge, imports + readFileSync(edge, "utf8").replace("patches: [", use));
    assert.equal((await runCli(["build"], repo)).code, 0);
    assert.equal((await expectedOutput(repo)).compiled, 0, "nothing to compile right after a build");

    const edits: Array<[string, string, string]> = [
      ["lib/net.ts", "time.cloudflare.com", "ntp.se"],
      ["lib/pool/index.ts", "0.pool", "3.pool"],
      ["lib/tags.ts", "1.pool", "4.pool"],
      ["package.json", '"#lib/*"', '"#lib/*"'],
    ];
    for (const [file, from, to] of edits) {
      replaceIn(join(repo, file), from, to);
      writeFileSync(join(repo, file), `${readFileSync(join(repo, file), "utf8")}\n`);
      assert.equal((await expectedOutput(repo)).compiled, 1, `${file} is an input: its edit makes the cluster compile again`);
      assert.equal((await runCli(["check"], repo)).code, from === to ? 0 : 3, `${file} edited: out/ is stale exactly when the output changed`);
      assert.equal((await runCli(["build"], repo)).code, 0);
      assert.equal((await expectedOutput(repo)).compiled, 0, `${file}: cached again once built`);
    }

    // A tsconfig path esbuild follows and the hash cannot: that compile is not cached, so an edit there is never missed.
    writeFileSync(edge, 'import { fourth } from "@mapped";\n' + readFileSync(edge, "utf8").replace("servers: [first, second, third]", "servers: [first, second, third, fourth]"));
    assert.equal((await runCli(["build"], repo)).code, 0);
    assert.equal((await expectedOutput(repo)).compiled, 1, "not cached");
    replaceIn(join(repo, "lib/mapped.ts"), "2.pool", "5.pool");
    assert.equal((await runCli(["check"], repo)).code, 3);
  });

  test("files left alone for a while are known by their stats; an edit that keeps size and mtime is still caught", { skip: process.platform !== "linux" && "stats stand for content only on Linux file systems" }, async () => {
    const { expectedOutput } = await import("../compiler/check/incremental.ts");
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    const fileCount = readdirSync(join(repo, "out"), { recursive: true, encoding: "utf8" }).filter((p) => statSync(join(repo, "out", p)).isFile()).length;
    const justWritten = await expectedOutput(repo);
    assert.equal(justWritten.compiled, 0);
    assert.equal(justWritten.read, fileCount, "files written a moment ago are read and hashed");
    const stats = (): number => Object.values(JSON.parse(readFileSync(join(repo, ".talc/cache.json"), "utf8")) as Array<{ stats?: object }>).reduce((n, e) => n + Object.keys(e.stats ?? {}).length, 0);
    assert.equal(stats(), 0, "and their stats are not recorded yet");

    // Change times cannot be set back, so the test waits for the files to settle.
    await new Promise((r) => setTimeout(r, 2100));
    assert.match((await runCli(["build"], repo)).stderr, /up to date/);
    assert.equal(stats(), fileCount, "a build with nothing changed records the stats of every file");
    const known = await expectedOutput(repo);
    assert.deepEqual([known.compiled, known.read, known.files.size], [0, 0, 0], "then nothing is read");
    assert.deepEqual([...known.disk.keys()], [], "nor compared");
    assert.equal((await runCli(["check"], repo)).code, 0);

    // the same number of bytes, written back with the old modification time to the nanosecond: the change time tells
    const node = join(repo, "out/edge/nodes/edge-w-1.yaml");
    const { mtimeNs } = statSync(node, { bigint: true });
    replaceIn(node, "edge-w-1", "edge-w-9");
    execFileSync("touch", ["-m", "-d", `@${mtimeNs / 1_000_000_000n}.${String(mtimeNs % 1_000_000_000n).padStart(9, "0")}`, node]);
    assert.equal(statSync(node, { bigint: true }).mtimeNs, mtimeNs);
    const r = await runCli(["check"], repo);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /-hostname: edge-w-9\n\+hostname: edge-w-1/);
    const rebuilt = await runCli(["build"], repo);
    assert.match(rebuilt.stderr, /\(1 compiled, 1 unchanged since the last build\)/);
    assert.equal((await runCli(["check"], repo)).code, 0);
  });

  test("the file system's clock is read from a file of its own in .talc/, never through a link left there", { skip: process.platform !== "linux" && "the clock is read only where stats stand for content" }, async () => {
    const { expectedOutput } = await import("../compiler/check/incremental.ts");
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    const elsewhere = join(tempRepo(), "precious.txt");
    writeFileSync(elsewhere, "keep me\n");
    symlinkSync(elsewhere, join(repo, ".talc/clock"));
    assert.equal((await expectedOutput(repo)).compiled, 0);
    assert.equal(readFileSync(elsewhere, "utf8"), "keep me\n");
    assert.ok(!lstatSync(join(repo, ".talc/clock")).isSymbolicLink());
  });

  test("a hand-edited file under out/ is caught even when inputs are unchanged", async () => {
    const repo = exampleRepo();
    assert.equal((await runCli(["build"], repo)).code, 0);
    replaceIn(join(repo, "out/edge/nodes/edge-w-1.yaml"), "edge-w-1", "edge-w-9");
    const r = await runCli(["check"], repo);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /out\/edge\/nodes\/edge-w-1\.yaml/);
  });
});
