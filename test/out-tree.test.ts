// Writing out/: unchanged files are carried into the new tree as links, never
// shared with anything outside out/; files are written on a thread of their
// own (or, for a small fleet, on the main thread), and a failure either way
// still leaves out/ exactly as it was.

import assert from "node:assert/strict";
import { chmodSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readTree } from "../compiler/check/index.ts";
import { replaceOutTree as replaceWith, TreeWriter, type OutTreeOptions } from "../compiler/emit/tree.ts";
import { leftovers, tempDir } from "./helpers/cli.ts";

const ino = (path: string): number => statSync(path).ino;

// A fleet of unknown size gets the writer thread; one of a few nodes is written on the main thread.
const WRITERS: Array<[string, OutTreeOptions]> = [
  ["on the writer thread", {}],
  ["on the main thread, for a small fleet", { nodes: 3 }],
];

for (const [writer, opts] of WRITERS) describe(`replacing out/, ${writer}`, () => {
  const replaceOutTree = (root: string, files: Map<string, string>): Promise<void> => replaceWith(root, files, undefined, "out", opts);

  test("an unchanged file is the same file afterwards, a changed one is new, and every byte is as given", async () => {
    const root = tempDir("talc-out-tree-");
    const first = new Map([
      ["a/nodes/one.yaml", "one: 1\n"],
      ["a/nodes/two.yaml", "two: 2\n"],
      ["b/manifest.json", "{}\n"],
    ]);
    await replaceOutTree(root, first);
    const before = { one: ino(join(root, "out/a/nodes/one.yaml")), two: ino(join(root, "out/a/nodes/two.yaml")) };
    const second = new Map([
      ["a/nodes/one.yaml", "one: 1\n"],
      ["a/nodes/two.yaml", "two: 22\n"],
      ["c/new.yaml", "new: true\n"],
    ]);
    await replaceOutTree(root, second);
    assert.deepEqual(await readTree(join(root, "out")), second);
    assert.equal(ino(join(root, "out/a/nodes/one.yaml")), before.one, "the unchanged file was written again");
    assert.notEqual(ino(join(root, "out/a/nodes/two.yaml")), before.two);
    assert.equal(statSync(join(root, "out/a/nodes/one.yaml")).nlink, 1, "the old tree still holds a link");
    assert.deepEqual(leftovers(root), []);
  });

  test("a file linked from outside out/, or not 0644, is written afresh even when its bytes are the same", async () => {
    const root = tempDir("talc-out-tree-");
    const files = new Map([
      ["a/linked.yaml", "x: 1\n"],
      ["a/private.yaml", "y: 2\n"],
    ]);
    await replaceOutTree(root, files);
    const outside = join(tempDir("talc-out-tree-"), "elsewhere.yaml");
    linkSync(join(root, "out/a/linked.yaml"), outside);
    chmodSync(join(root, "out/a/private.yaml"), 0o600);
    await replaceOutTree(root, files);
    assert.notEqual(ino(join(root, "out/a/linked.yaml")), ino(outside));
    assert.equal(statSync(join(root, "out/a/linked.yaml")).nlink, 1);
    writeFileSync(outside, "changed outside\n");
    assert.equal(readFileSync(join(root, "out/a/linked.yaml"), "utf8"), "x: 1\n");
    assert.equal(statSync(join(root, "out/a/private.yaml")).mode & 0o777, 0o644);
  });

  test("a write that fails fails the replacement and leaves out/ as it was", async () => {
    const root = tempDir("talc-out-tree-");
    const first = new Map([["a/one.yaml", "1\n"]]);
    await replaceOutTree(root, first);
    const files = new Map<string, string>();
    for (let i = 0; i < 200; i++) files.set(`a/f${i}.yaml`, `${i}\n`);
    // "x" is a file, so "x/y.yaml" cannot be written: its folder cannot be made.
    files.set("x", "file\n");
    files.set("x/y.yaml", "nested\n");
    await assert.rejects(replaceOutTree(root, files), (e: NodeJS.ErrnoException) => e.code === "EEXIST" || e.code === "ENOTDIR");
    assert.deepEqual(await readTree(join(root, "out")), first);
    assert.deepEqual(leftovers(root), []);
  });
});

describe("the writer thread", () => {
  // A writer into a new staging folder, with room for `waiting` bytes in waiting (the default when undefined).
  const started = (waiting?: number): { staging: string; writer: TreeWriter } => {
    const root = tempDir("talc-out-tree-");
    const staging = join(root, "new");
    mkdirSync(staging);
    return { staging, writer: new TreeWriter({ staging, out: join(root, "out"), previous: [] }, waiting) };
  };

  test("with no room for bytes in waiting, write() resolves only once its files are on disk", async () => {
    const { staging, writer } = started(0);
    try {
      await writer.write(new Map([["a/b/c.yaml", "c: 1\n"]]));
      assert.equal(readFileSync(join(staging, "a/b/c.yaml"), "utf8"), "c: 1\n");
      assert.equal(statSync(join(staging, "a/b/c.yaml")).mode & 0o777, 0o644);
    } finally {
      await writer.close();
    }
  });

  test("the first failure is thrown by drain() and by every later write(), and nothing after it is written", async () => {
    // With room for bytes in waiting, every batch is posted before the writer has run any of them: the writer
    // itself must skip what follows its first failure.
    const { staging, writer } = started();
    try {
      await Promise.all([
        writer.write(new Map([["x", "file\n"]])),
        // "x" is a file, so "x/y.yaml" cannot be written: its folder cannot be made.
        writer.write(new Map([["x/y.yaml", "nested\n"]])),
        writer.write(new Map([["second.yaml", "2\n"], ["w", "file\n"], ["w/v.yaml", "nested\n"]])),
        writer.write(new Map([["later.yaml", "l\n"]])),
      ]);
      let first: unknown;
      await assert.rejects(writer.drain(), (e: NodeJS.ErrnoException) => {
        assert.ok(e.code === "EEXIST" || e.code === "ENOTDIR", String(e));
        assert.ok(e.message.endsWith(`mkdir '${join(staging, "x")}'`), `not the first failure: ${e.message}`);
        first = e;
        return true;
      });
      await assert.rejects(writer.write(new Map([["after.yaml", "a\n"]])), (e: unknown) => e === first);
      await assert.rejects(writer.drain(), (e: unknown) => e === first);
      assert.deepEqual(readdirSync(staging).sort(), ["x"]);
    } finally {
      await writer.close();
    }
  });
});
