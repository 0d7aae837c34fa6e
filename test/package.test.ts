// talc as an ordinary dependency: a tarball made by npm pack installs offline
// into a repository talc init made, and its binary builds and checks there.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { skipWithout, tempDir } from "./helpers/cli.ts";

const PROJECT = fileURLToPath(new URL("../", import.meta.url));

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

test("npm pack, talc init, npm install --offline, build, check", { skip: skipWithout("npm"), timeout: 180_000 }, () => {
  const packs = tempDir("talc-pack-");
  run("npm", ["pack", "--silent", "--pack-destination", packs], PROJECT);
  const tarball = join(packs, readdirSync(packs).find((f) => f.endsWith(".tgz"))!);

  const repo = tempDir("talc-user-");
  run(process.execPath, [join(PROJECT, "bin/talc.js"), "init", "--talc", `file:${tarball}`], repo);
  run("npm", ["install", "--offline", "--no-audit", "--no-fund"], repo);
  assert.ok(existsSync(join(repo, "node_modules/talc/compiler/validate/compiled/v1.13/HostnameConfig.cjs")), "the tarball carries the precompiled validators");
  run("npm", ["run", "build"], repo);
  assert.ok(existsSync(join(repo, "out/example/nodes/cp-1.yaml")));
  run("npx", ["--no-install", "talc", "check"], repo);
});
