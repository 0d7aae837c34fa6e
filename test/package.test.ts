// talc as an ordinary dependency: a tarball made by npm pack installs offline
// into a repository talc init made, and its binary builds and checks there.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

type Lock = { packages: Record<string, { dev?: boolean; link?: boolean }> };

/**
 * Pins a repository talc init made to the tarball and to the versions of this project's lockfile.
 * What `npm ci` leaves in npm's cache is tarballs, not the registry's documents npm resolves a range
 * with, so on a machine whose cache only this project's `npm ci` filled, an offline install resolves
 * nothing; with every version locked, it takes each tarball from the cache.
 */
function lockLikeOurs(repo: string, tarball: string): void {
  const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));
  const talc = read(join(PROJECT, "package.json"));
  const ours: Lock = read(join(PROJECT, "package-lock.json"));
  const user = read(join(repo, "package.json"));
  const packages: Record<string, unknown> = {
    "": { name: user.name, devDependencies: user.devDependencies },
    "node_modules/talc": { version: talc.version, resolved: `file:${tarball}`, dev: true, license: talc.license, dependencies: talc.dependencies, bin: talc.bin, engines: talc.engines },
  };
  // what talc needs at run time, where our lockfile puts it, as a development dependency of the user's
  for (const [path, entry] of Object.entries(ours.packages)) if (path !== "" && entry.dev !== true && entry.link !== true) packages[path] = { ...entry, dev: true };
  writeFileSync(join(repo, "package-lock.json"), JSON.stringify({ name: user.name, lockfileVersion: 3, requires: true, packages }, null, 2) + "\n");
}

test("npm pack, talc init, npm install --offline, build, check", { skip: skipWithout("npm"), timeout: 180_000 }, () => {
  const packs = tempDir("talc-pack-");
  run("npm", ["pack", "--silent", "--pack-destination", packs], PROJECT);
  const tarball = join(packs, readdirSync(packs).find((f) => f.endsWith(".tgz"))!);

  const repo = tempDir("talc-user-");
  run(process.execPath, [join(PROJECT, "bin/talc.js"), "init", "--talc", `file:${tarball}`], repo);
  lockLikeOurs(repo, tarball);
  run("npm", ["install", "--offline", "--no-audit", "--no-fund"], repo);
  assert.ok(existsSync(join(repo, "node_modules/talc/compiler/validate/compiled/v1.13/HostnameConfig.cjs")), "the tarball carries the precompiled validators");
  run("npm", ["run", "build"], repo);
  assert.ok(existsSync(join(repo, "out/example/nodes/cp-1.yaml")));
  run("npx", ["--no-install", "talc", "check"], repo);
});
