// Hostile input that is not merely malformed: YAML that expands without end
// or tries its tags and keys on talc, keys aimed at Object.prototype, names
// that would be unsafe paths, and symbolic links that would lead a write or
// a read out of out/ or the materialize folder.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readTree } from "../compiler/check/index.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { replaceOutTree } from "../compiler/emit/tree.ts";
import { TalcError } from "../compiler/errors.ts";
import { parseConfig } from "../compiler/load/config.ts";
import { validateDefinition } from "../compiler/load/definition.ts";
import { applyPatches, parseGoYaml, parsePatch } from "../compiler/patch/index.ts";
import { yamlToJson } from "../compiler/patch/jsonyaml.ts";
import { compileCluster } from "../compiler/pipeline.ts";
import { parseSecretsBundle } from "../compiler/secrets/bundle.ts";
import { BASE_CLUSTER } from "./corpus/cases.ts";
import { pathHash } from "./corpus/hash.ts";
import { runCli, tempDir, tempRepo } from "./helpers/cli.ts";

const SECRETS = fileURLToPath(new URL("./fixtures/test-secrets.yaml", import.meta.url));

function repo(clusters: Record<string, string> = { "tiny.ts": BASE_CLUSTER }): string {
  return tempRepo(clusters);
}

function outsideDir(): string {
  const dir = tempDir("talc-safety-outside-");
  writeFileSync(join(dir, "secret.txt"), "not for out/\n");
  return dir;
}

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TalcError, `not a TalcError: ${String(e)}`);
    assert.match(e.format(), pattern);
    return true;
  });
}

const MINIMAL = {
  name: "tiny",
  talosVersion: "v1.13.9",
  kubernetesVersion: "1.36.3",
  endpoint: "https://10.0.0.1:6443",
  install: { disk: "/dev/sda" },
  nodes: [{ hostname: "cp-1", role: "controlplane" }],
};

const BOMB = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
  .concat("bcdefghij".split("").map((c, i) => `${c}: &${c} [${Array(10).fill(`*${"abcdefghij"[i]}`).join(", ")}]`))
  .join("\n");

describe("YAML", () => {
  test("an alias bomb is rejected fast by every reader", () => {
    // The secrets bundle reader walks the syntax tree and never resolves an alias, so it has
    // nothing to expand: it must still be handed the whole bomb (as a value it reads) and refuse it.
    const readers: Array<[string, () => unknown, string, RegExp]> = [
      ["config", () => parseConfig(BOMB, "bomb.yaml"), "yaml-syntax", /bomb\.yaml(:\d+)?: not valid YAML: excessive alias count/],
      ["go-yaml", () => parseGoYaml(BOMB, "bomb.yaml"), "yaml-syntax", /bomb\.yaml:\d+: too many alias expansions/],
      ["patch", () => parsePatch(BOMB, "bomb.yaml"), "yaml-syntax", /bomb\.yaml:\d+: too many alias expansions/],
      ["go-yaml v2, before a JSON patch", () => yamlToJson(BOMB, "bomb.yaml"), "yaml-syntax", /bomb\.yaml:\d+: too many alias expansions/],
      [
        "bundle",
        () => parseSecretsBundle(`cluster:\n    id:\n${BOMB.replace(/^/gm, "        ")}\n`, "bomb.yaml"),
        "secrets-shape",
        /bomb\.yaml:3: cluster\.id: cluster\.id must be a string/,
      ],
    ];
    for (const [name, read, code, pattern] of readers) {
      const start = performance.now();
      assert.throws(read, (e: unknown) => {
        assert.ok(e instanceof TalcError, `${name}: not a TalcError: ${String(e)}`);
        assert.equal(e.code, code, `${name}: ${e.format()}`);
        assert.match(e.format(), pattern, name);
        return true;
      }, `${name} accepted the bomb`);
      assert.ok(performance.now() - start < 1000, `${name} took ${performance.now() - start}ms`);
    }
  });

  test("a recursive alias is an error, not endless recursion", () => {
    const text = "version: v1alpha1\nmachine:\n  certSANs: &a [*a]\n";
    rejects(() => parseConfig(text, "r.yaml"), /r\.yaml: machine\.certSANs\[0\]: an alias refers to a value that contains it/);
    rejects(() => parseGoYaml(text, "r.yaml"), /r\.yaml:3: anchor &a's value contains itself/);
    rejects(() => parseConfig("a: &a {b: *a}\n", "r.yaml"), /recursive alias/);
    rejects(() => yamlToJson(text, "r.yaml"), /r\.yaml:3: anchor &a's value contains itself/);
  });

  test("merge keys merge as go-yaml merges them: the mapping's own keys win", () => {
    const text = "version: v1alpha1\nmachine:\n  kubelet:\n    extraArgs: &args {a: '1', b: '2'}\n  nodeLabels:\n    <<: *args\n    b: own\n";
    for (const docs of [parseConfig(text, "m.yaml"), parseGoYaml(text, "m.yaml") as Array<Record<string, unknown>>]) {
      const machine = docs[0].machine as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(machine.nodeLabels).sort(), ["a", "b"]);
      assert.equal(String((machine.nodeLabels as Record<string, unknown>).b), "own");
    }
    const patched = encodeConfig(applyPatches(parseGoYaml("version: v1alpha1\nmachine:\n  type: worker\n", "c.yaml") as Array<Record<string, unknown>>, [parsePatch(text, "m.yaml")]));
    assert.match(patched, /nodeLabels:\n {8}a: "1"\n {8}b: own\n/);
  });

  test("tags: unknown ones keep the text, !!binary is its text, and what Talos cannot hold is refused", () => {
    const custom = "version: v1alpha1\nmachine:\n  type: !worker worker\n  nodeLabels: !labels {a: b}\n";
    for (const docs of [parseConfig(custom, "t.yaml"), parseGoYaml(custom, "t.yaml") as Array<Record<string, unknown>>]) {
      assert.deepEqual(docs[0].machine, { type: "worker", nodeLabels: { a: "b" } });
    }
    const binary = "version: v1alpha1\nmachine:\n  type: !!binary d29ya2Vy\n";
    assert.equal((parseConfig(binary, "b.yaml")[0].machine as Record<string, unknown>).type, "worker");
    assert.equal(((parseGoYaml(binary, "b.yaml")[0] as Record<string, Record<string, unknown>>).machine).type, "worker");
    rejects(() => parseConfig("version: v1alpha1\nmachine:\n  type: !!binary /w==\n", "b.yaml"), /b\.yaml: machine\.type: the !!binary value is not UTF-8 text/);
    // base64 as Go's StdEncoding reads it: padding required, line breaks skipped and no other space
    assert.equal((parseConfig("version: v1alpha1\nmachine:\n  type: !!binary |\n    d29y\n    a2Vy\n", "b.yaml")[0].machine as Record<string, unknown>).type, "worker");
    rejects(() => parseConfig("version: v1alpha1\nmachine:\n  type: !!binary d29y a2Vy\n", "b.yaml"), /b\.yaml:3: not valid YAML: a !!binary value that is not base64/);
    rejects(() => parseConfig("version: v1alpha1\nmachine:\n  type: !!binary aGVsbG8\n", "b.yaml"), /b\.yaml:3: not valid YAML: a !!binary value that is not base64/);
    rejects(() => parseGoYaml("version: v1alpha1\nmachine:\n  type: !!binary /w==\n", "b.yaml"), /b\.yaml:3: a !!binary value that is not base64 of UTF-8 text/);
    rejects(() => parseConfig("machine:\n  type: !!timestamp 2001-12-14\n", "d.yaml"), /d\.yaml: machine\.type: an explicit !!timestamp/);
    assert.deepEqual(parseConfig("machine: !!set {a, b}\n", "s.yaml")[0].machine, { a: null, b: null });
  });

  test("keys that are not strings: refused by the config reader, read as their text like go-yaml by the patch reader", () => {
    rejects(() => parseConfig("machine:\n  1: x\n", "k.yaml"), /k\.yaml: machine: a mapping key that is not a string/);
    rejects(() => parseConfig("? [a]\n: x\n", "k.yaml"), /k\.yaml: a mapping key that is not a string; Talos keys are strings \(at the document root\)/);
    assert.deepEqual(Object.keys((parseGoYaml("machine:\n  1: x\n  true: y\n", "k.yaml")[0] as Record<string, Record<string, unknown>>).machine), ["1", "true"]);
    rejects(() => parseGoYaml("machine:\n  ? [a]\n  : x\n", "k.yaml"), /k\.yaml:2: a mapping key that is not a scalar/);
    rejects(() => parsePatch("machine:\n  1: x\n", "k.yaml"), /k\.yaml: machine\.1: unknown field "1"/);
  });

  test("text that is not UTF-8 is refused with its line by every reader", () => {
    const text = Buffer.concat([Buffer.from("version: v1alpha1\nmachine:\n  type: w"), Buffer.from([0xff]), Buffer.from("\n")]).toString("utf8");
    rejects(() => parseConfig(text, "u.yaml"), /u\.yaml:3: not valid UTF-8/);
    rejects(() => parseGoYaml(text, "u.yaml"), /u\.yaml:3: not valid UTF-8/);
    rejects(() => parseSecretsBundle(text, "u.yaml"), /u\.yaml:3: not valid UTF-8/);
  });
});

describe("Object.prototype", () => {
  test("is untouched after hostile input through parseConfig, patches and definitions", () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const arrayBefore = Object.getOwnPropertyNames(Array.prototype).sort();
    const attempts: Array<() => unknown> = [
      () => parseConfig("__proto__:\n  polluted: 1\n", "p.yaml"),
      () => parseConfig("version: v1alpha1\nmachine:\n  constructor:\n    prototype:\n      polluted: 1\n", "p.yaml"),
      () => parseConfig("a: &x {polluted: 1}\n__proto__:\n  <<: *x\n", "p.yaml"),
      () => parseConfig('{"__proto__": {"polluted": 1}}', "p.json"),
      () => parseGoYaml("version: v1alpha1\n__proto__: {polluted: 1}\n", "p.yaml"),
      () => parseGoYaml("a: &x {polluted: 1}\nmachine:\n  <<: *x\n  __proto__: *x\n", "p.yaml"),
      () => applyPatches(parseConfig("version: v1alpha1\nmachine: {}\n", "c.yaml"), [parsePatch('[{"op": "add", "path": "/__proto__/polluted", "value": 1}]', "p.json")]),
      () => applyPatches(parseConfig("version: v1alpha1\nmachine: {}\n", "c.yaml"), [parsePatch('[{"op": "add", "path": "/machine/constructor/prototype/polluted", "value": 1}]', "p.json")]),
      () => applyPatches(parseConfig("version: v1alpha1\nmachine:\n  type: worker\n", "c.yaml"), [JSON.parse('{"machine": {"__proto__": {"polluted": 1}}}') as Record<string, unknown>]),
      () => applyPatches(parseConfig("version: v1alpha1\nmachine:\n  type: worker\n", "c.yaml"), [{ document: "v1alpha1", ops: [{ op: "add", path: "/__proto__/polluted", value: 1 }] }]),
      () => applyPatches(parseConfig("version: v1alpha1\nmachine:\n  type: worker\n", "c.yaml"), [JSON.parse('{"machine": {"nodeLabels": {"__proto__": {"polluted": "1"}}}}') as Record<string, unknown>]),
      () => parseSecretsBundle("__proto__:\n    polluted: 1\n", "s.yaml"),
      () => parseSecretsBundle("cluster:\n    __proto__: x\n", "s.yaml"),
      () => validateDefinition(JSON.parse(`{"__proto__": {"polluted": 1}, ${JSON.stringify(MINIMAL).slice(1)}`) as unknown, "clusters/p.ts"),
      () => validateDefinition({ ...MINIMAL, nodes: [JSON.parse('{"hostname": "cp-1", "role": "controlplane", "__proto__": {"polluted": 1}}') as unknown] }, "clusters/p.ts"),
      () => compileCluster(validateDefinition({ ...MINIMAL, patches: [JSON.parse('{"machine": {"nodeLabels": {"__proto__": {"polluted": "1"}}}}') as unknown] }, "clusters/p.ts")),
      () => compileCluster(validateDefinition({ ...MINIMAL, patches: [{ machine: { constructor: { prototype: { polluted: 1 } } } }] }, "clusters/p.ts")),
    ];
    attempts.forEach((attempt, i) => {
      assert.throws(attempt, (e: unknown) => e instanceof TalcError, `attempt ${i + 1} was not refused`);
    });
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
    assert.deepEqual(Object.getOwnPropertyNames(Array.prototype).sort(), arrayBefore);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
  });
});

describe("names that become paths", () => {
  const bad = ["..", ".", "a/b", "../x", "a\\b", "a\0b", ".hidden", "-a", "a-", "", "A", "a.b", " a", "ü", "a".repeat(64), "con", "NUL", "com1", "lpt9", "aux", "prn"];
  for (const [field, at] of [["name", "name"], ["hostname", "nodes[0].hostname"]] as const) {
    test(`an unsafe ${field} is refused by the definition schema`, () => {
      for (const value of bad) {
        const def = field === "name" ? { ...MINIMAL, name: value } : { ...MINIMAL, nodes: [{ hostname: value, role: "controlplane" }] };
        rejects(() => validateDefinition(def, "clusters/x.ts"), new RegExp(`clusters/x\\.ts: ${at.replace(/[[\].]/g, "\\$&")}: `));
      }
      for (const value of ["a", "cp-1", "1", "a".repeat(63), "console", "com10"]) {
        const def = field === "name" ? { ...MINIMAL, name: value } : { ...MINIMAL, nodes: [{ hostname: value, role: "controlplane" }] };
        validateDefinition(def, "clusters/x.ts");
      }
    });
  }

  test("every path a build writes is a plain path of DNS labels and known file names", () => {
    const compiled = compileCluster(validateDefinition({ ...MINIMAL, nodes: [{ hostname: "cp-1", role: "controlplane" }, { hostname: "w-1", role: "worker", patches: [{ machine: { nodeLabels: { a: "b" } } }] }] }, "clusters/x.ts"));
    for (const path of compiled.files.keys()) {
      assert.match(path, /^[a-z0-9-]+\/(manifest\.json|schematic\.yaml|(nodes|patches\/nodes)\/[a-z0-9-]+\.yaml|patches\/(cluster|controlplane|worker)\.yaml|schematics\/[0-9a-f]{64}\.yaml|omni\/[a-z0-9-]+\.yaml)$/, path);
    }
  });

  test("the writer refuses a path that would leave out/, writing nothing", async () => {
    const dir = repo();
    for (const rel of ["../escape.txt", "/etc/x", "tiny/../../x", "a//b", "a/./b"]) {
      await assert.rejects(replaceOutTree(dir, new Map([[rel, "x"]])), (e: unknown) => e instanceof TalcError && e.code === "unsafe-path");
    }
    assert.deepEqual(readdirSync(dir).sort(), ["clusters"]);
  });
});

describe("symbolic links", () => {
  test("out/ as a link: build and check refuse, and the target is untouched", async () => {
    const dir = repo();
    const elsewhere = outsideDir();
    symlinkSync(elsewhere, join(dir, "out"));
    const before = pathHash(elsewhere);
    for (const command of ["build", "check"]) {
      const r = await runCli([command], dir);
      assert.equal(r.code, 2, `${command}: ${r.stderr}`);
      assert.match(r.stderr, /out\/? ?:? ?(is a symbolic link)/);
    }
    assert.equal(pathHash(elsewhere), before);
  });

  test("out/<cluster> as a link elsewhere: build, a partial build and check refuse; nothing outside changes", async () => {
    const dir = repo();
    assert.equal((await runCli(["build"], dir)).code, 0);
    const elsewhere = outsideDir();
    mkdirSync(join(elsewhere, "nodes"));
    writeFileSync(join(elsewhere, "nodes/cp-1.yaml"), "secret: outside\n");
    rmSync(join(dir, "out/tiny"), { recursive: true });
    symlinkSync(elsewhere, join(dir, "out/tiny"));
    const before = pathHash(elsewhere);
    for (const argv of [["build"], ["build", "--cluster", "tiny"], ["check"]]) {
      const r = await runCli(argv, dir);
      assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /out\/tiny: is a symbolic link/);
      assert.doesNotMatch(r.stdout + r.stderr, /secret: outside/);
    }
    assert.equal(pathHash(elsewhere), before);
  });

  test("a linked file under out/ is never read into a diff or copied into out/", async () => {
    const dir = repo();
    assert.equal((await runCli(["build"], dir)).code, 0);
    const elsewhere = outsideDir();
    symlinkSync(join(elsewhere, "secret.txt"), join(dir, "out/README.md"));
    symlinkSync(join(elsewhere, "secret.txt"), join(dir, "out/tiny/manifest.json.link"));
    for (const argv of [["check"], ["build"], ["diff"]]) {
      const r = await runCli(argv, dir);
      assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout + r.stderr, /not for out/);
    }
    assert.equal(readFileSync(join(elsewhere, "secret.txt"), "utf8"), "not for out/\n");
  });

  test("a leftover .out.old-* that is a link is removed, never renamed into out/ or followed", async () => {
    const dir = repo();
    const elsewhere = outsideDir();
    symlinkSync(elsewhere, join(dir, ".out.old-0123456789ab"));
    const before = pathHash(elsewhere);
    const r = await runCli(["build"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(dir, ".out.old-0123456789ab")));
    assert.ok(existsSync(join(dir, "out/tiny/manifest.json")));
    assert.equal(pathHash(elsewhere), before);
  });

  test("readTree never follows a link", async () => {
    const dir = outsideDir();
    const tree = join(dir, "tree");
    mkdirSync(tree);
    symlinkSync(join(dir, "secret.txt"), join(tree, "a.yaml"));
    await assert.rejects(readTree(tree), (e: unknown) => e instanceof TalcError && e.code === "unsafe-path");
  });
});

describe("materialize destinations", () => {
  // A git repository with its out/ committed, and a bundle kept outside it.
  async function gitRepo(): Promise<string> {
    const dir = repo();
    execFileSync("git", ["init", "-q"], { cwd: dir });
    writeFileSync(join(dir, ".gitignore"), "/materialized\n");
    assert.equal((await runCli(["build"], dir)).code, 0);
    return dir;
  }

  const refusals: Array<[string, (dir: string, elsewhere: string) => string, RegExp]> = [
    ["inside out/", (dir) => join(dir, "out", "tiny"), /inside out\//],
    ["a tracked folder of the repository", (dir) => join(dir, "clusters", "live"), /where git would track them/],
    ["the repository's root", (dir) => dir, /where git would track them/],
    ["a link outside the repository that points into out/", (dir, elsewhere) => {
      symlinkSync(join(dir, "out"), join(elsewhere, "into-out"));
      return join(elsewhere, "into-out", "x");
    }, /inside out\//],
    ["a link outside the repository that points into a tracked folder", (dir, elsewhere) => {
      symlinkSync(join(dir, "clusters"), join(elsewhere, "into-clusters"));
      return join(elsewhere, "into-clusters");
    }, /where git would track them/],
    ["an ignored folder reached through a link into out/", (dir) => {
      symlinkSync(join(dir, "out"), join(dir, "materialized"));
      return join(dir, "materialized", "x");
    }, /inside out\//],
  ];
  for (const [name, target, message] of refusals) {
    test(`refuses ${name}, writing nothing`, async () => {
      const dir = await gitRepo();
      const elsewhere = outsideDir();
      const dest = target(dir, elsewhere);
      const before = [pathHash(dir), pathHash(elsewhere)];
      const r = await runCli(["materialize", "tiny", "--secrets", SECRETS, "--out", dest], dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.deepEqual([pathHash(dir), pathHash(elsewhere)], before);
    });
  }

  test("writes into a folder .gitignore covers, and only there", async () => {
    const dir = await gitRepo();
    const out = pathHash(join(dir, "out"));
    const r = await runCli(["materialize", "tiny", "--secrets", SECRETS, "--out", join(dir, "materialized")], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(dir, "materialized")).sort(), ["cp-1.yaml", "talosconfig"]);
    assert.equal(pathHash(join(dir, "out")), out);
  });

  test("the copied example clusters refuse a destination inside out/ too", async () => {
    const dir = repo({});
    cpSync(fileURLToPath(new URL("../clusters", import.meta.url)), join(dir, "clusters"), { recursive: true });
    const r = await runCli(["materialize", "edge", "--secrets", SECRETS, "--out", join(dir, "out", "edge", "real")], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /inside out\//);
    assert.ok(!existsSync(join(dir, "out")));
  });
});
