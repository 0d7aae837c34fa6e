// Same definitions, same bytes: out/ does not depend on the time zone, the
// locale, the umask, the order the file system lists files in, the order keys
// are written in a definition, or where the repository is.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT as PROJECT } from "../compiler/paths.ts";
import { compileCluster, compileRepository, loadClusters } from "../compiler/pipeline.ts";
import { validateDefinition } from "../compiler/load/definition.ts";
import { jsLiteral } from "../scripts/fuzz.ts";
import { pathHash } from "./corpus/hash.ts";
import { runCli, tempRepo } from "./helpers/cli.ts";

const TALC = fileURLToPath(new URL("../bin/talc.js", import.meta.url));

/** Every object's keys in reverse order, lists kept as they are (their order means something). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).reverse()) out[k] = reverseKeys((value as Record<string, unknown>)[k]);
  return out;
}

// The examples' files, in the order given, optionally rewritten.
function repoWith(order: "sorted" | "reversed", rewrite?: (file: string, source: string) => string): string {
  const dir = tempRepo();
  const names = readdirSync(join(PROJECT, "clusters")).sort();
  if (order === "reversed") names.reverse();
  for (const name of names) {
    const from = join(PROJECT, "clusters", name);
    if (name.endsWith(".ts")) writeFileSync(join(dir, "clusters", name), rewrite === undefined ? readFileSync(from, "utf8") : rewrite(name, readFileSync(from, "utf8")));
    else cpSync(from, join(dir, "clusters", name), { recursive: true });
  }
  return dir;
}

function childBuild(dir: string, env: Record<string, string>, umask: string): void {
  // A shell sets the umask; node inherits it.
  const r = spawnSync("sh", ["-c", `umask ${umask} && exec "$0" "$1" build`, process.execPath, TALC], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
}

let baseline: string;
let definitions: Map<string, unknown>;

before(async () => {
  const dir = repoWith("sorted");
  const r = await runCli(["build"], dir);
  assert.equal(r.code, 0, r.stderr);
  baseline = pathHash(join(dir, "out"));
  definitions = new Map((await loadClusters(PROJECT)).map((c) => [c.file.replace(/^clusters\//, ""), c.definition]));
});

describe("out/ is the same bytes", () => {
  test("under another time zone, locale and umask, in another folder", () => {
    const dir = repoWith("reversed");
    childBuild(dir, { TZ: "Pacific/Kiritimati", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8", LANGUAGE: "tr" }, "077");
    assert.equal(pathHash(join(dir, "out")), baseline);
  });

  test("with every definition's keys in reverse order, files created in reverse order, another umask and locale", () => {
    const dir = repoWith("reversed", (name, source) => {
      const def = definitions.get(name);
      return def === undefined ? source : `// ${name}, keys reversed\nexport default ${jsLiteral(reverseKeys(def))};\n`;
    });
    // Unrelated files around the definitions change nothing either.
    mkdirSync(join(dir, "clusters", "_notes"));
    writeFileSync(join(dir, "clusters", "_notes", "readme.md"), "notes\n");
    writeFileSync(join(dir, "clusters", "_draft.ts"), "export default 1;\n");
    childBuild(dir, { TZ: "America/St_Johns", LANG: "C", LC_ALL: "C" }, "002");
    assert.equal(pathHash(join(dir, "out")), baseline);
  });

  test("when the same definitions compile twice in one process, or with their keys reversed", async () => {
    const a = await compileRepository(PROJECT);
    const b = await compileRepository(PROJECT);
    assert.deepEqual([...b.files], [...a.files]);
    for (const cluster of await loadClusters(PROJECT)) {
      const forward = compileCluster(cluster).files;
      const reversed = compileCluster(validateDefinition(reverseKeys(cluster.definition), cluster.file)).files;
      assert.deepEqual([...reversed].sort(), [...forward].sort(), cluster.file);
    }
  });

  test("with no absolute path of the machine in it", async () => {
    const { files } = await compileRepository(PROJECT);
    const text = [...files.values()].join("\n");
    for (const path of [PROJECT, PROJECT.replace(/\/$/, ""), process.cwd(), "/tmp/"]) assert.ok(!text.includes(path), `${path} reached the output`);
  });
});
