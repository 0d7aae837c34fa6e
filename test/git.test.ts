// Reading the committed out/ from git: every byte of every file comes back,
// from a root at or below the work tree's top, with a fixed number of git
// processes however many files there are.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { readBlobs, readTreeAt } from "../compiler/check/git.ts";
import { TalcError } from "../compiler/errors.ts";
import { skipWithout, tempDir } from "./helpers/cli.ts";

function git(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=talc", "-c", "user.email=talc@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
}

// Bytes that are easy to get wrong: multi-byte characters (git gives sizes in bytes), an empty file, no final
// newline, nothing but newlines, and a line that looks like the header of one of cat-file's records.
const FILES: Record<string, string> = {
  "lab/manifest.json": '{"cluster":"lab"}\n',
  "lab/nodes/café.yaml": "hostname: café\nnote: 🚀 déjà vu\n",
  "lab/nodes/emoji.yaml": "🙂é".repeat(5000),
  "lab/nodes/empty.yaml": "",
  "lab/nodes/no-newline.yaml": "machine:\n    type: worker",
  "lab/nodes/newlines.yaml": "\n\n",
  "lab/patches/header.yaml": "0000000000000000000000000000000000000000 blob 12\nnot a record\n",
};

// Writes the files under <top>/<under>out/ and commits everything.
function commitOut(top: string, under: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(top, under, "out", path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  git(top, "add", "-A");
  git(top, "commit", "-qm", "out");
}

describe("readTreeAt", { skip: skipWithout("git") }, () => {
  test("gives back every byte of every committed file, and only those under the folder", async () => {
    const top = tempDir("talc-git-");
    git(top, "init", "-q");
    writeFileSync(join(top, "README.md"), "not out/\n");
    commitOut(top, "", FILES);
    // the work tree moves on; the commit is what is read
    writeFileSync(join(top, "out/lab/manifest.json"), "changed\n");
    const read = await readTreeAt(top, "HEAD", "out");
    assert.deepEqual([...read.keys()].sort(), Object.keys(FILES).sort());
    for (const [path, text] of Object.entries(FILES)) {
      assert.equal(read.get(path), text, path);
      assert.deepEqual(Buffer.from(read.get(path)!, "utf8"), Buffer.from(text, "utf8"), path);
    }
  });

  test("reads out/ of a root below the work tree's top", async () => {
    const top = tempDir("talc-git-");
    git(top, "init", "-q");
    commitOut(top, "", { "lab/manifest.json": "the top's own out/\n" });
    commitOut(top, "infra/", FILES);
    const read = await readTreeAt(join(top, "infra"), "HEAD", "out");
    assert.deepEqual(Object.fromEntries(read), FILES);
    assert.deepEqual(Object.fromEntries(await readTreeAt(join(top, "infra"), "HEAD~1", "out")), {});
  });

  test("runs the same few git processes for 3 files as for 300", async () => {
    const top = tempDir("talc-git-");
    git(top, "init", "-q");
    commitOut(top, "", Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`lab/nodes/n-${i}.yaml`, `n: ${i}\n`])));
    commitOut(top, "", Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`lab/nodes/n-${i}.yaml`, `n: ${i} é\n`])));
    // a git on PATH that logs each run and hands over to the real one
    const bin = tempDir("talc-git-bin-");
    const log = join(bin, "log");
    const real = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(join(bin, "git"), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
    chmodSync(join(bin, "git"), 0o755);
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved ?? ""}`;
    const runs = (): number => readFileSync(log, "utf8").split("\n").length - 1;
    try {
      assert.equal((await readTreeAt(top, "HEAD~1", "out")).size, 3);
      const few = runs();
      const many = await readTreeAt(top, "HEAD", "out");
      assert.equal(many.size, 300);
      assert.equal(many.get("lab/nodes/n-299.yaml"), "n: 299 é\n");
      assert.equal(runs() - few, few);
      assert.ok(few <= 2, `${few} git processes`);
    } finally {
      if (saved === undefined) delete process.env.PATH;
      else process.env.PATH = saved;
    }
  });
});

describe("readBlobs", { skip: skipWithout("git") }, () => {
  test("keeps the order given, repeats included, and names an object git does not have", async () => {
    const top = tempDir("talc-git-");
    git(top, "init", "-q");
    commitOut(top, "", { "a.yaml": "a: é\n", "b.yaml": "b\n" });
    const [a, b] = ["out/a.yaml", "out/b.yaml"].map((p) => git(top, "rev-parse", `HEAD:${p}`).trim());
    assert.deepEqual(await readBlobs(top, [b, a, b]), ["b\n", "a: é\n", "b\n"]);
    assert.deepEqual(await readBlobs(top, []), []);
    const missing = "0123456789012345678901234567890123456789";
    await assert.rejects(readBlobs(top, [a, missing]), (e: unknown) => e instanceof TalcError && e.code === "git-failed" && e.message === `git could not read object ${missing}`);
  });
});
