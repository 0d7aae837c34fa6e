// Files are written whole or not at all, with the asked-for mode.

import assert from "node:assert/strict";
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TalcError } from "../compiler/errors.ts";
import { writeFilesAtomically } from "../compiler/emit/write.ts";
import { tempDir } from "./helpers/cli.ts";

describe("writeFilesAtomically", () => {
  test("writes mode 0600 and leaves no temporary file", async () => {
    const dir = tempDir();
    await writeFilesAtomically([{ path: join(dir, "a.yaml"), content: "one\n", mode: 0o600 }], { force: false });
    assert.equal(readFileSync(join(dir, "a.yaml"), "utf8"), "one\n");
    assert.equal(statSync(join(dir, "a.yaml")).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ["a.yaml"]);
  });

  test("refuses every file when one exists, naming it and --force", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "b.yaml"), "first\n");
    const files = [
      { path: join(dir, "a.yaml"), content: "new\n", mode: 0o644 },
      { path: join(dir, "b.yaml"), content: "second\n", mode: 0o644 },
    ];
    await assert.rejects(writeFilesAtomically(files, { force: false }), (err: unknown) => {
      assert.ok(err instanceof TalcError);
      assert.equal(err.code, "file-exists");
      assert.equal(err.file, join(dir, "b.yaml"));
      assert.match(err.format(), /b\.yaml: file already exists; pass --force/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), ["b.yaml"]);
    assert.equal(readFileSync(join(dir, "b.yaml"), "utf8"), "first\n");
  });

  test("replaces a file with force and sets the mode", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "c.yaml"), "old\n", { mode: 0o644 });
    await writeFilesAtomically([{ path: join(dir, "c.yaml"), content: "new\n", mode: 0o600 }], { force: true });
    assert.equal(readFileSync(join(dir, "c.yaml"), "utf8"), "new\n");
    assert.equal(statSync(join(dir, "c.yaml")).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ["c.yaml"]);
  });

  test("creates missing folders", async () => {
    const dir = tempDir();
    await writeFilesAtomically([{ path: join(dir, "x/y/d.yaml"), content: "d\n", mode: 0o644 }], { force: false });
    assert.equal(readFileSync(join(dir, "x/y/d.yaml"), "utf8"), "d\n");
  });

  test("a folder where a file goes, or a file where a folder goes, is refused by path before anything is written", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "f"), "a file\n");
    const cases: Array<{ path: string; code: string; file: string; message: RegExp }> = [
      { path: dir, code: "not-a-file", file: dir, message: /is a folder; name a file to write instead/ },
      { path: join(dir, "f/g/h.yaml"), code: "not-a-folder", file: join(dir, "f"), message: /is a file, not a folder, so it cannot hold g\/h\.yaml/ },
    ];
    for (const c of cases) {
      for (const force of [false, true]) {
        const files = [
          { path: join(dir, "new.yaml"), content: "new\n", mode: 0o644 },
          { path: c.path, content: "x\n", mode: 0o644 },
        ];
        await assert.rejects(writeFilesAtomically(files, { force }), (err: unknown) => {
          assert.ok(err instanceof TalcError, String(err));
          assert.equal(err.code, c.code);
          assert.equal(err.file, c.file);
          assert.match(err.message, c.message);
          return true;
        });
        assert.deepEqual(readdirSync(dir), ["f"]);
      }
    }
  });

  test("a folder it cannot write to is an error naming the path, and nothing is left behind", { skip: process.getuid?.() === 0 ? "root can write anywhere" : false }, async () => {
    const dir = tempDir();
    chmodSync(dir, 0o500);
    await assert.rejects(
      writeFilesAtomically([{ path: join(dir, "e.yaml"), content: "e\n", mode: 0o644 }], { force: false }),
      (err: unknown) => err instanceof TalcError && err.code === "write-failed",
    );
    chmodSync(dir, 0o700);
    assert.deepEqual(readdirSync(dir), []);
  });

  test("a write that fails part-way leaves no temporary file and no folder it made", async () => {
    const dir = tempDir();
    // content that fails after its first chunk is written, as a full disk would
    const failing = (function* () {
      yield "first chunk\n";
      throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    })();
    const files = [
      { path: join(dir, "a/ok.yaml"), content: "ok\n", mode: 0o644 },
      { path: join(dir, "b/c/broken.yaml"), content: failing as unknown as string, mode: 0o644 },
    ];
    await assert.rejects(writeFilesAtomically(files, { force: false }), (err: unknown) => {
      assert.ok(err instanceof TalcError, String(err));
      assert.equal(err.code, "write-failed");
      assert.equal(err.file, join(dir, "b/c/broken.yaml"));
      assert.match(err.message, /ENOSPC/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), []);
  });
});
