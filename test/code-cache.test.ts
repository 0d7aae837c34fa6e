// The bundled CLI runs from V8 code caches: its ES modules are turned into
// CommonJS (scripts/commonjs.ts) and loaded through bin/code-cache.js, which
// uses a cache only for the exact text it was made from.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { requireBundled } from "../bin/code-cache.js";
import { importCycle, toCommonJS } from "../scripts/commonjs.ts";
import { PACKAGE_ROOT as PROJECT } from "../compiler/paths.ts";
import { tempDir } from "./helpers/cli.ts";

// Writes modules as the bundle step does, converted, into a new folder, and loads `entry` as bin/talc.js loads the bundle.
function run(modules: Record<string, string>, entry: string): { exports: Record<string, unknown>; dir: string } {
  const dir = tempDir("talc-commonjs-");
  for (const [name, code] of Object.entries(modules)) writeFileSync(join(dir, name), toCommonJS(code, name));
  return { exports: requireBundled(join(dir, entry)), dir };
}

describe("esbuild's modules as CommonJS", () => {
  test("imports become requires read once, and exports are set when the module has run", async () => {
    const modules = {
      "./a.cjs": 'import {\n  twice,\n  base as start\n} from "./b.cjs";\nimport "./c.cjs";\nfunction f(x) {\n  return twice(x) + start;\n}\nconst later = () => import("./c.cjs");\nconst fs = () => import("node:fs");\nexport {\n  f as compute,\n  later,\n  fs\n};\n',
      "./b.cjs": "var base = 1;\nfunction twice(x) {\n  return 2 * x;\n}\nexport {\n  base,\n  twice\n};\n",
      "./c.cjs": "globalThis.__talcSideEffect = (globalThis.__talcSideEffect ?? 0) + 1;\nvar c = 3;\nexport {\n  c\n};\n",
    };
    const { exports: a } = run(modules, "./a.cjs");
    assert.deepEqual(Object.keys(a), ["compute", "later", "fs"]);
    assert.equal(typeof (await (a.fs as () => Promise<{ readFileSync: unknown }>)()).readFileSync, "function", "Node's modules too");
    assert.equal((a.compute as (x: number) => number)(5), 11);
    assert.deepEqual(await (a.later as () => Promise<unknown>)(), { c: 3 }, "import() gives the module's exports, on a later turn");
    assert.equal((globalThis as { __talcSideEffect?: number }).__talcSideEffect, 1, "a module runs once");
    assert.equal(toCommonJS(modules["./a.cjs"], "a").includes('const { twice, base: start } = require("./b.cjs");\nrequire("./c.cjs");\n'), true);
  });

  test("keeps a module strict, with its own import.meta.url", () => {
    const { exports: m, dir } = run({ "./s.cjs": "const frozen = Object.freeze({ a: 1 });\nfunction self() {\n  return this;\n}\nfunction write() {\n  frozen.a = 2;\n}\nconst url = import.meta.url;\nexport {\n  self,\n  url,\n  write\n};\n" }, "./s.cjs");
    const self = m.self as () => unknown;
    assert.equal(self(), undefined, "a plain call has no this");
    assert.throws(m.write as () => void, TypeError, "a write to a frozen object throws, as it does in an ES module");
    assert.equal(m.url, pathToFileURL(join(dir, "s.cjs")).href);
  });

  test("leaves import and export words that are not statements as they are", () => {
    const code = 'import { readFileSync } from "node:fs";\nconst template = `\nimport { defineCluster } from "talc";\nexport default defineCluster({});\n`;\nconst o = { import(x) { return x; }, export: 1 };\nconst load = (s) => import(s);\nconst data = (b) => import(`data:text/javascript;base64,${b}`);\nexport {\n  template\n};\n';
    const out = toCommonJS(code, "m");
    assert.ok(out.startsWith('"use strict";\nconst __talc_import = globalThis[Symbol.for("talc.import")] ?? ((specifier) => import(specifier));\nconst { readFileSync } = require("node:fs");'), out);
    assert.ok(out.includes('`\nimport { defineCluster } from "talc";\nexport default defineCluster({});\n`'), "the template is untouched");
    assert.ok(out.includes("import(x) { return x; }, export: 1"));
    assert.ok(out.includes("(s) => __talc_import(s)"), "an import() of a computed name goes through the loader's");
    assert.ok(out.includes("(b) => __talc_import(`data:text/javascript;base64,${b}`)"), "and of a template with a computed part");
    assert.ok(out.endsWith("module.exports = { template };\n"));
  });

  test("refuses an exported binding assigned after its declaration, which importers would no longer see", () => {
    for (const body of ["let n = 0;\nfunction bump() { n = n + 1; }", "let n = 0;\nfunction bump() { n++; }", "let n = 0;\nfunction bump() { n += 2; }", "var n;\nvar init = () => { n = {}; };", "let n;\nfor (n of [1, 2]) ;"]) {
      assert.throws(() => toCommonJS(`${body}\nexport {\n  n\n};\n`, "m.cjs"), /m\.cjs: n is exported and assigned after it is declared/, body);
    }
    // a property, another name, a comparison or an arrow are no assignment
    const fine = "const n = {};\nn.count = 1;\nlet n2 = 0;\nn2 = 1;\nconst same = n === n2;\nconst f = (n) => n;\nexport {\n  n,\n  same,\n  f\n};\n";
    assert.ok(toCommonJS(fine, "m").endsWith("module.exports = { n, same, f };\n"));
  });

  test("refuses what esbuild is not expected to write", () => {
    assert.throws(() => toCommonJS('import x from "./x.cjs";\nexport {\n  x\n};\n', "d.cjs"), /d\.cjs: an import esbuild is not expected to write/);
    assert.throws(() => toCommonJS("var a = 1;\nexport {\n  a\n};\nvar b = 2;\n", "e.cjs"), /e\.cjs: exports not in one statement at the end/);
    assert.throws(() => toCommonJS("var module = {};\nexport {\n  module\n};\n", "f.cjs"), /f\.cjs: declares module, which a CommonJS module is handed/);
    assert.throws(() => toCommonJS("const dir = import.meta.dirname;\n", "g.cjs"), /g\.cjs: import\.meta is read for more than its url/);
  });

  test("finds a cycle of imports among the output modules", () => {
    const output = (...imports: string[]) => ({ imports: imports.map((path) => ({ path, kind: "import-statement" as const })), exports: [], inputs: {}, bytes: 0 });
    assert.equal(importCycle({ outputs: { a: output("b", "c"), b: output("c"), c: output() } }), undefined);
    assert.deepEqual(importCycle({ outputs: { a: output("b"), b: output("c"), c: output("a") } }), ["a", "b", "c", "a"]);
    const lazy = { imports: [{ path: "a", kind: "dynamic-import" as const }], exports: [], inputs: {}, bytes: 0 };
    assert.equal(importCycle({ outputs: { a: output("b"), b: lazy } }), undefined, "a module loaded on demand closes no cycle");
  });
});

// A package folder holding bin/code-cache.js (its caches go to the folder's dist/code-cache/) and a module.
function cachePackage(): { dir: string; module: string; runs: (env?: NodeJS.ProcessEnv) => { out: string; err: string } } {
  const dir = tempDir("talc-code-cache-");
  mkdirSync(join(dir, "bin"));
  copyFileSync(join(PROJECT, "bin", "code-cache.js"), join(dir, "bin", "code-cache.js"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const module = join(dir, "m.cjs");
  const script = `import { requireCached } from ${JSON.stringify(pathToFileURL(join(dir, "bin", "code-cache.js")).href)};\nconsole.log(requireCached(${JSON.stringify(module)}).answer());\n`;
  writeFileSync(join(dir, "main.js"), script);
  const runs = (env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [join(dir, "main.js")], { encoding: "utf8", env: { ...process.env, TALC_WRITE_CODE_CACHE: undefined, TALC_DEBUG_CODE_CACHE: "1", ...env } });
    assert.equal(r.status, 0, r.stderr);
    return { out: r.stdout.trim(), err: r.stderr.trim() };
  };
  return { dir, module, runs };
}

describe("code caches", () => {
  test("a module runs from the cache made for its text, and from its text alone once that changes", () => {
    const { dir, module, runs } = cachePackage();
    writeFileSync(module, "function inner() { return 41 + 1; }\nexports.answer = () => inner();\n");
    assert.deepEqual(runs(), { out: "42", err: `code cache: ${module}: none` });
    assert.deepEqual(runs({ TALC_WRITE_CODE_CACHE: "1" }).out, "42");
    assert.equal(readdirSync(join(dir, "dist", "code-cache")).length, 1);
    assert.deepEqual(runs(), { out: "42", err: `code cache: ${module}: used` });
    // V8 checks a cache against its source's length only: the same length with other text must not use it
    writeFileSync(module, "function inner() { return 40 + 3; }\nexports.answer = () => inner();\n");
    assert.deepEqual(runs(), { out: "43", err: `code cache: ${module}: none` });
  });

  test("a module run through it imports a computed name, from its cache too", () => {
    const { module, runs } = cachePackage();
    writeFileSync(module, toCommonJS('const load = (s) => import(s);\nconst answer = async () => typeof (await load("node:path")).join;\nexport {\n  answer\n};\n', "m.cjs"));
    // (main.js prints what answer() gives: a promise, awaited here through its text)
    writeFileSync(join(module, "..", "main.js"), readFileSync(join(module, "..", "main.js"), "utf8").replace("console.log(requireCached", "console.log(await requireCached"));
    assert.deepEqual(runs({ TALC_WRITE_CODE_CACHE: "1" }), { out: "function", err: `code cache: ${module}: none` });
    assert.deepEqual(runs(), { out: "function", err: `code cache: ${module}: used` });
  });

  test("a cache V8 turns down is passed over", () => {
    const { dir, module, runs } = cachePackage();
    writeFileSync(module, "exports.answer = () => 7;\n");
    runs({ TALC_WRITE_CODE_CACHE: "1" });
    const [cache] = readdirSync(join(dir, "dist", "code-cache"));
    writeFileSync(join(dir, "dist", "code-cache", cache), "not a code cache");
    assert.deepEqual(runs(), { out: "7", err: `code cache: ${module}: rejected` });
  });
});
