// talc materialize: the configs the apply step uses, with real secrets, are
// exactly Talos's base (from the real bundle) with out/'s patches applied.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { generateConfig } from "../compiler/generate/generate.ts";
import { generatorOptions } from "../compiler/generate/layers.ts";
import { parseConfig } from "../compiler/load/config.ts";
import { applyPatches } from "../compiler/patch/index.ts";
import { loadClusters } from "../compiler/pipeline.ts";
import { loadSecretsBundle } from "../compiler/secrets/bundle.ts";
import { runCli, tempDir, tempRepo, treeHash } from "./helpers/cli.ts";

const PROJECT = fileURLToPath(new URL("../", import.meta.url));
const SECRETS = fileURLToPath(new URL("./fixtures/test-secrets.yaml", import.meta.url));

describe("talc materialize", () => {
  test("writes every node with real secrets, equal to the base plus out/'s patches", async () => {
    const repo = tempRepo();
    cpSync(join(PROJECT, "clusters"), join(repo, "clusters"), { recursive: true });
    assert.equal((await runCli(["build"], repo)).code, 0);
    const dest = tempDir();
    const r = await runCli(["materialize", "homelab", "--secrets", SECRETS, "--out", dest], repo);
    assert.equal(r.code, 0, r.stderr);

    const secrets = loadSecretsBundle(readFileSync(SECRETS, "utf8"), SECRETS);
    const [cluster] = await loadClusters(repo, ["homelab"]);
    const manifest = JSON.parse(readFileSync(join(repo, "out/homelab/manifest.json"), "utf8")) as {
      nodes: Array<{ hostname: string; role: "controlplane" | "worker"; patches: string[] }>;
    };
    for (const node of manifest.nodes) {
      const file = join(dest, `${node.hostname}.yaml`);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const text = readFileSync(file, "utf8");
      assert.match(text, new RegExp(`token: ${secrets.trustdinfo.token.replace(".", "\\.")}`));
      const base = generateConfig(generatorOptions(cluster.definition, cluster.contract, secrets), node.role);
      const patches = node.patches.map((p) => parseConfig(readFileSync(join(repo, "out/homelab", p), "utf8"), p));
      const expected = patches.reduce((docs, p) => applyPatches(docs, [p], { contract: cluster.contract }), base);
      // written as the cluster's release writes it, as out/ is: homelab is a 1.13 cluster
      assert.equal(text, encodeConfig(expected, cluster.contract), node.hostname);
      assert.match(text, /^auto: "off"$/m, node.hostname);
    }
  });

  const refusals: Array<[string, (repo: string) => string, RegExp]> = [
    ["a folder inside out/", (repo) => join(repo, "out", "secret"), /inside out\//],
    ["a folder git would track", (repo) => join(repo, "materialized-here"), /where git would track them/],
  ];
  for (const [name, target, message] of refusals) {
    test(`refuses ${name}`, async () => {
      const repo = tempRepo();
      cpSync(join(PROJECT, "clusters"), join(repo, "clusters"), { recursive: true });
      execFileSync("git", ["init", "-q"], { cwd: repo });
      assert.equal((await runCli(["build"], repo)).code, 0);
      const before = treeHash(repo);
      const r = await runCli(["materialize", "edge", "--secrets", SECRETS, "--out", target(repo)], repo);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(treeHash(repo), before);
    });
  }

  test("writes into a folder not made yet that a folder rule of .gitignore covers (as talc init's does)", async () => {
    const repo = tempRepo();
    cpSync(join(PROJECT, "clusters"), join(repo, "clusters"), { recursive: true });
    execFileSync("git", ["init", "-q"], { cwd: repo });
    writeFileSync(join(repo, ".gitignore"), "materialized/\n");
    const r = await runCli(["materialize", "edge", "--secrets", SECRETS, "--out", join(repo, "materialized")], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(repo, "materialized", "talosconfig")));
    // a rule that leaves one of the files to git is refused, naming that file
    writeFileSync(join(repo, ".gitignore"), "partial/*.yaml\n");
    const partial = await runCli(["materialize", "edge", "--secrets", SECRETS, "--out", join(repo, "partial")], repo);
    assert.equal(partial.code, 2);
    assert.match(partial.stderr, /partial\/talosconfig: refusing to write configs with secrets where git would track them/);
    assert.ok(!existsSync(join(repo, "partial")));
  });
});
