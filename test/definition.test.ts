// Bad definitions are refused with the file, the definition path and what
// would be valid; `talc build` exits 2 and leaves out/ exactly as it was.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { inputsReader, sharesLocalCode } from "../compiler/check/cache.ts";
import { TalcError } from "../compiler/errors.ts";
import { closest, loadAsOne, loadClusterFiles, pointerToPath, validateDefinition } from "../compiler/load/definition.ts";
import { startBundler, takeEarlyBundle } from "../compiler/load/files.ts";
import { PACKAGE_ROOT } from "../compiler/paths.ts";
import { BASE_CLUSTER } from "./corpus/cases.ts";
import { runCli, tempDir, tempRepo, treeHash } from "./helpers/cli.ts";

type Def = Record<string, unknown> & { nodes: Array<Record<string, unknown>> };

function baseline(): Def {
  return {
    name: "demo",
    talosVersion: "v1.13.9",
    kubernetesVersion: "1.36.3",
    endpoint: "https://10.0.0.1:6443",
    install: { disk: "/dev/sda" },
    nodes: [
      { hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24", gateway: "10.0.0.1" },
      { hostname: "w-1", role: "worker" },
    ],
  };
}

// One change to the baseline per case, and the path and message it must give.
const CASES: Array<[string, (d: Def) => void, string, RegExp]> = [
  ["a misspelt top-level field", (d) => ((d.talosVerison = d.talosVersion), delete d.talosVersion), "talosVerison", /unknown field "talosVerison"; did you mean "talosVersion"\?/],
  ["a misspelt node field", (d) => (d.nodes[1].hostnme = "x"), "nodes[1].hostnme", /unknown field "hostnme"; did you mean "hostname"\?.*takes: hostname, role/],
  ["a wrong type", (d) => (d.kubeSpan = "yes"), "kubeSpan", /expected boolean, got "yes"/],
  ["a duplicate hostname", (d) => (d.nodes[1].hostname = "cp-1"), "nodes[1].hostname", /duplicate hostname "cp-1"; nodes\[0\] has it already/],
  ["an address out of range", (d) => (d.nodes[0].address = "10.0.0.300/24"), "nodes[0].address", /"10\.0\.0\.300\/24" is not an address in CIDR notation/],
  ["a prefix length with a leading zero, which netip refuses", (d) => (d.nodes[0].address = "10.0.0.11/024"), "nodes[0].address", /"10\.0\.0\.11\/024" is not an address in CIDR notation/],
  ["an address without a prefix", (d) => (d.nodes[0].address = "10.0.0.11"), "nodes[0].address", /not an address in CIDR notation; expected e\.g\. 192\.168\.10\.11\/24/],
  ["a gateway that is not an IP", (d) => (d.nodes[0].gateway = "router"), "nodes[0].gateway", /"router" is not an IP address/],
  ["a gateway without an address", (d) => (d.nodes[1].gateway = "10.0.0.1"), "nodes[1]", /"gateway" and "link" go with a static "address"/],
  ["an http endpoint", (d) => (d.endpoint = "http://10.0.0.1:6443"), "endpoint", /is not a valid endpoint; give an https URL/],
  ["an endpoint port out of range", (d) => (d.endpoint = "https://10.0.0.1:65536"), "endpoint", /"https:\/\/10\.0\.0\.1:65536" has port 65536, outside 1 to 65535; expected e\.g\. https:\/\/192\.168\.10\.10:6443$/],
  ["an endpoint with a second colon, which Talos 1.13 refuses", (d) => (d.endpoint = "https://cp:1:6443"), "endpoint", /"https:\/\/cp:1:6443" is not a valid URL \(invalid port ":1:6443" after host\)/],
  ["a node without a role", (d) => delete d.nodes[1].role, "nodes[1]", /nodes\[1\] needs "role"/],
  ["an unknown role", (d) => (d.nodes[1].role = "master"), "nodes[1].role", /"master" is not allowed; expected one of: controlplane, worker/],
  ["a Talos version that is not exact", (d) => (d.talosVersion = "v1.13"), "talosVersion", /"v1\.13" is not a valid talosVersion; give an exact release such as v1\.13\.9/],
  ["an unsupported Talos version", (d) => (d.talosVersion = "v1.11.5"), "talosVersion", /Talos v1\.11 is not a supported version contract/],
  ["a Kubernetes version that is not exact", (d) => (d.kubernetesVersion = "1.36"), "kubernetesVersion", /give an exact version such as 1\.36\.3/],
  ["a Kubernetes version outside the window", (d) => (d.kubernetesVersion = "1.29.0"), "kubernetesVersion", /kubernetes 1\.29\.0 is outside what Talos 1\.13 supports \(1\.31 to 1\.36\)/],
  ["a Kubernetes version outside the window Talos 1.15 is checked against", (d) => ((d.talosVersion = "v1.15.0"), (d.kubernetesVersion = "1.31.0")), "kubernetesVersion", /kubernetes 1\.31\.0 is outside what Talos 1\.14 supports \(1\.32 to 1\.37\), the window talc checks Talos 1\.15 against/],
  ["no nodes", (d) => (d.nodes = []), "nodes", /needs at least 1 item/],
  ["no control plane", (d) => (d.nodes[0].role = "worker"), "nodes", /needs at least one node with role controlplane/],
  ["a cluster name that is not a DNS label", (d) => (d.name = "Home_Lab"), "name", /is not a valid name; use lowercase letters, digits and dashes/],
  ["a hostname with a dot", (d) => (d.nodes[0].hostname = "cp.1"), "nodes[0].hostname", /"cp\.1" is not a valid hostname/],
  ["an install disk that is not a device", (d) => (d.install = { disk: "sda" }), "install.disk", /"sda" is not a valid disk; give a device path such as \/dev\/sda/],
  ["a VIP that is not an IP", (d) => (d.controlPlane = { vip: { address: "vip.local", link: "eth0" } }), "controlPlane.vip.address", /"vip\.local" is not an IP address/],
  ["two nodes on one address", (d) => (d.nodes[1].address = "10.0.0.11/16"), "nodes[1].address", /10\.0\.0\.11 is nodes\[0\]'s address \(cp-1\) already; each node needs an address of its own/],
  ["two nodes on one IPv6 address written two ways", (d) => ((d.nodes[0].address = "fd00::11/64"), (d.nodes[0].gateway = "fd00::1"), (d.nodes[1].address = "fd00:0:0::11/64")), "nodes[1].address", /fd00:0:0::11 is nodes\[0\]'s address \(cp-1\) already/],
  ["a static address with an IPv6 zone", (d) => (d.nodes[0].address = "fe80::1%eth0/64"), "nodes[0].address", /"fe80::1%eth0\/64" has an IPv6 zone, which a static address cannot have; drop the "%eth0" and name the link in "link"/],
  ["a zoned VIP that is a node's own address", (d) => ((d.nodes[0].address = "fd00::11/64"), (d.nodes[0].gateway = "fd00::1"), (d.controlPlane = { vip: { address: "FD00:0::11%eth0", link: "eth0" } })), "controlPlane.vip.address", /FD00:0::11%eth0 is nodes\[0\]'s own address \(cp-1\)/],
  ["a VIP that is a node's own address", (d) => (d.controlPlane = { vip: { address: "10.0.0.11", link: "eth0" } }), "controlPlane.vip.address", /10\.0\.0\.11 is nodes\[0\]'s own address \(cp-1\); the VIP is an address of its own/],
  ["kernel arguments on Talos 1.14", (d) => ((d.talosVersion = "v1.14.0-rc.1"), (d.kubernetesVersion = "1.37.0-rc.0"), (d.install = { extraKernelArgs: ["a=b"] })), "install.extraKernelArgs", /Talos 1\.14 takes kernel arguments from the boot image/],
  ["a waiver expiry that is not a date", (d) => (d.policy = { waivers: [{ rule: "x", reason: "because", expires: "2027/01/01" }] }), "policy.waivers[0].expires", /give a date as YYYY-MM-DD/],
  ["a waiver with an empty node list", (d) => (d.policy = { waivers: [{ rule: "x", nodes: [], reason: "because", expires: "2027-01-01" }] }), "policy.waivers[0].nodes", /is empty; name at least one hostname glob \(such as "w-\*"\), or leave nodes out to waive the rule on every node/],
  ["an invalid DNS domain", (d) => (d.dnsDomain = "Cluster..local"), "dnsDomain", /give a DNS domain such as cluster\.local/],
  ["an unknown target", (d) => (d.targets = { terraform: {} }), "targets.terraform", /unknown field "terraform"; targets takes: omni/],
];

describe("definition checks", () => {
  test("the baseline is valid", () => assert.equal(validateDefinition(baseline(), "clusters/demo.ts").contract, "1.13"));
  test("a VIP with an IPv6 zone of its own is valid, as Talos reads a VIP with netip.ParseAddr", () => {
    const def = baseline();
    def.controlPlane = { vip: { address: "fe80::5%eth0", link: "eth0" } };
    assert.equal(validateDefinition(def, "clusters/demo.ts").contract, "1.13");
  });
  for (const [name, change, path, message] of CASES) {
    test(name, () => {
      const def = baseline();
      change(def);
      assert.throws(
        () => validateDefinition(def, "clusters/demo.ts"),
        (e: unknown) => {
          assert.ok(e instanceof TalcError);
          const hit = e.all.find((p) => p.path === path);
          assert.ok(hit, `no problem at ${path}: ${e.lines().join(" | ")}`);
          assert.match(hit.message, message);
          assert.equal(hit.file, "clusters/demo.ts");
          return true;
        },
      );
    });
  }
  test("every problem is reported at once", () => {
    const def = baseline();
    def.nodes[0].hostname = "CP_1";
    def.nodes[1].role = "master";
    assert.throws(() => validateDefinition(def, "f.ts"), (e: unknown) => e instanceof TalcError && e.all.length === 2);
  });
  test("a problem points at the line of its value", () => {
    const source = 'export default defineCluster({\n  name: "demo",\n  endpoint: "http://x:6443",\n});\n';
    const def = baseline();
    def.endpoint = "http://x:6443";
    assert.throws(() => validateDefinition(def, "f.ts", source), (e: unknown) => e instanceof TalcError && e.format().startsWith("f.ts:3: endpoint: "));
  });
  test("paths and suggestions", () => {
    assert.equal(pointerToPath("/nodes/2/address"), "nodes[2].address");
    assert.equal(closest("hostnme", ["hostname", "role"]), "hostname");
    assert.equal(closest("zzz", ["hostname", "role"]), undefined);
  });
});

describe("talc build refuses every bad definition with exit 2 and leaves out/ as it was", () => {
  for (const [name, change, path, message] of CASES) {
    test(name, async () => {
      const def = baseline();
      change(def);
      const repo = tempRepo({ "demo.ts": `import { defineCluster } from "talc";\nexport default defineCluster(${JSON.stringify(def, null, 2)} as never);\n` });
      mkdirSync(join(repo, "out", "demo"), { recursive: true });
      writeFileSync(join(repo, "out", "demo", "manifest.json"), "{}\n");
      const before = treeHash(join(repo, "out"));
      const r = await runCli(["build"], repo);
      assert.equal(r.code, 2, r.stderr);
      const line = r.stderr.split("\n").find((l) => l.includes(`: ${path}: `));
      assert.ok(line?.startsWith("talc: clusters/demo.ts"), `names the file and ${path}: ${r.stderr}`);
      assert.match(line ?? "", message);
      assert.equal(treeHash(join(repo, "out")), before);
    });
  }
});

describe("talc build refuses bad cluster files and leaves out/ as it was", () => {
  const files: Array<[string, string, RegExp]> = [
    ["a file that throws", 'throw new Error("boom");\n', /clusters\/bad\.ts: the cluster file failed to load: boom/],
    ["a file without a default export", "export const x = 1;\n", /clusters\/bad\.ts: the cluster file does not default-export a cluster/],
    ["a file that does not parse", "export default defineCluster({ name: \n", /clusters\/bad\.ts:2: the cluster file failed to load: unexpected end of file/],
    [
      "a patch that deletes a missing path",
      `import { defineCluster } from "talc";\nexport default defineCluster(${JSON.stringify({ ...baseline(), patches: [{ machine: { network: { hostname: { $patch: "delete" } } } }] })} as never);\n`,
      /clusters\/bad\.ts: patches\[0\].*machine\.network/,
    ],
    [
      "a legacy field together with its 1.14 document",
      `import { defineCluster } from "talc";\nexport default defineCluster(${JSON.stringify({
        ...baseline(),
        talosVersion: "v1.14.0-rc.1",
        kubernetesVersion: "1.37.0-rc.0",
        patches: [{ machine: { kubelet: { image: "ghcr.io/siderolabs/kubelet:v1.37.0-rc.0" } } }],
      })} as never);\n`,
      /clusters\/bad\.ts: node cp-1: .*kubelet/i,
    ],
    ["a definition with a typo", `import { defineCluster } from "talc";\nexport default defineCluster(${JSON.stringify({ ...baseline(), nmae: "x" })} as never);\n`, /clusters\/bad\.ts:2: nmae: unknown field "nmae"; did you mean "name"\?/],
  ];
  for (const [name, source, message] of files) {
    test(name, async () => {
      const repo = tempRepo({ "bad.ts": source });
      mkdirSync(join(repo, "out", "old"), { recursive: true });
      writeFileSync(join(repo, "out", "old", "keep.yaml"), "x: 1\n");
      const before = treeHash(join(repo, "out"));
      const r = await runCli(["build"], repo);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
      assert.equal(treeHash(join(repo, "out")), before);
    });
  }
});

describe("loading several cluster files at once", () => {
  const cluster = (name: string, labels: string): string =>
    `import { defineCluster } from "talc";\n${labels}\nexport default defineCluster({ ...${JSON.stringify({ ...baseline(), name })}, patches: [{ machine: { nodeLabels: labels } }] } as never);\n`;

  test("gives each cluster its own copy of a module they share, as loading each alone does", async () => {
    const repo = tempRepo({
      "a.ts": cluster("a", `import { labels } from "./shared/labels.ts";\nlabels.owner = "a";`),
      "b.ts": cluster("b", `import { labels } from "./shared/labels.ts";`),
      "c.ts": cluster("c", `const labels = await Promise.resolve({ tier: "top-level await" });`),
    });
    mkdirSync(join(repo, "clusters", "shared"));
    writeFileSync(join(repo, "clusters", "shared", "labels.ts"), `export const labels: Record<string, string> = { site: "x" };\n`);
    const all = await loadClusterFiles(repo, ["clusters/a.ts", "clusters/b.ts", "clusters/c.ts"]);
    const alone = await loadClusterFiles(repo, ["clusters/b.ts"]);
    const labelsOf = (c: { definition: { patches?: unknown[] } }): unknown => (c.definition.patches?.[0] as { machine: { nodeLabels: unknown } }).machine.nodeLabels;
    assert.deepEqual(labelsOf(all[0]), { site: "x", owner: "a" });
    assert.deepEqual(labelsOf(all[1]), { site: "x" }, "a's change to the shared module does not reach b");
    assert.deepEqual(labelsOf(all[1]), labelsOf(alone[0]));
    assert.deepEqual(labelsOf(all[2]), { tier: "top-level await" });
  });

  test("names the file that throws, and reports the others' problems with it", async () => {
    const repo = tempRepo({
      "a.ts": cluster("a", `const labels = {};`),
      "b.ts": `throw new Error("boom in b");\n`,
      "c.ts": `import { defineCluster } from "talc";\nexport default defineCluster({ ...${JSON.stringify(baseline())}, name: "c", nmae: 1 } as never);\n`,
    });
    await assert.rejects(loadClusterFiles(repo, ["clusters/a.ts", "clusters/b.ts", "clusters/c.ts"]), (e: unknown) => {
      assert.ok(e instanceof TalcError);
      assert.deepEqual(e.lines(), ["clusters/b.ts: the cluster file failed to load: boom in b", 'clusters/c.ts:2: nmae: unknown field "nmae"; did you mean "name"? the definition takes: ' + e.all[1].message.split("takes: ")[1]]);
      return true;
    });
  });
});

describe("loading cluster files as one module", () => {
  const plain = (name: string, extra = ""): string => `import { defineCluster } from "talc";\n${extra}\nexport default defineCluster(${JSON.stringify({ ...baseline(), name })} as never);\n`;

  test("is taken when no local module is shared, with top-level await", async () => {
    const repo = tempRepo({ "a.ts": plain("a", `import { x } from "./lib/a.ts";\nawait Promise.resolve(x);`), "b.ts": plain("b") });
    mkdirSync(join(repo, "clusters", "lib"));
    writeFileSync(join(repo, "clusters", "lib", "a.ts"), "export const x = 1;\n");
    const modules = await loadAsOne(repo, ["clusters/a.ts", "clusters/b.ts"]);
    assert.deepEqual(
      modules?.modules.map((m) => (m.default as { name: string }).name),
      ["a", "b"],
    );
  });

  test("is not taken when a module is shared, when a file throws or fails to build", async () => {
    const shared = tempRepo({ "a.ts": plain("a", `import "./lib/x.ts";`), "b.ts": plain("b", `import "./lib/y.ts";`) });
    mkdirSync(join(shared, "clusters", "lib"));
    writeFileSync(join(shared, "clusters", "lib", "x.ts"), `import "./y.ts";\n`);
    writeFileSync(join(shared, "clusters", "lib", "y.ts"), "export {};\n");
    assert.equal(await loadAsOne(shared, ["clusters/a.ts", "clusters/b.ts"]), undefined, "b imports y directly and a through x");
    const throwing = tempRepo({ "a.ts": plain("a"), "b.ts": `throw new Error("no");\n` });
    assert.equal(await loadAsOne(throwing, ["clusters/a.ts", "clusters/b.ts"]), undefined);
    const broken = tempRepo({ "a.ts": plain("a"), "b.ts": `export default {\n` });
    assert.equal(await loadAsOne(broken, ["clusters/a.ts", "clusters/b.ts"]), undefined);
  });

  // The module is written to a temporary folder to be imported from; TMPDIR says where.
  async function withTmpdir<T>(dir: string, work: () => Promise<T>): Promise<T> {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      return await work();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  }

  test("leaves no file behind, whether it was taken or not", async () => {
    const tmp = tempDir();
    const repo = tempRepo({ "a.ts": plain("a"), "b.ts": plain("b") });
    const throwing = tempRepo({ "a.ts": plain("a"), "b.ts": `throw new Error("no");\n` });
    await withTmpdir(tmp, async () => {
      assert.equal((await loadAsOne(repo, ["clusters/a.ts", "clusters/b.ts"]))?.modules.length, 2);
      assert.equal(await loadAsOne(throwing, ["clusters/a.ts", "clusters/b.ts"]), undefined);
    });
    assert.deepEqual(readdirSync(tmp), []);
  });

  // The early bundle's folders under a TMPDIR (tsx keeps its cache there too).
  const bundleDirs = (tmp: string): string[] => readdirSync(tmp).filter((d) => d.startsWith("talc-clusters-"));
  async function bundleWritten(tmp: string): Promise<void> {
    while (!bundleDirs(tmp).some((d) => readdirSync(join(tmp, d)).includes("clusters.mjs"))) await new Promise((r) => setTimeout(r, 10));
  }

  // `talc build` starts bundling before the loader is imported; the loader takes that bundle only for the same files.
  test("takes the bundle started early, and only for the files it was started for", async () => {
    const tmp = tempDir();
    const repo = tempRepo({ "a.ts": plain("a"), "b.ts": plain("b") });
    const names = async (files: string[]) => (await loadClusterFiles(repo, files)).map((c) => c.definition.name);
    await withTmpdir(tmp, async () => {
      startBundler(repo);
      await bundleWritten(tmp);
      // b.ts became c.ts after the early bundle was made: a and c are bundled anew
      writeFileSync(join(repo, "clusters", "c.ts"), plain("c"));
      rmSync(join(repo, "clusters", "b.ts"));
      assert.deepEqual(await names(["clusters/a.ts", "clusters/c.ts"]), ["a", "c"]);
      assert.deepEqual(bundleDirs(tmp), [], "the early bundle that was not taken is removed");
      // for the same files, the early bundle is what is imported: c's source is gone by the time it is taken
      startBundler(repo);
      await bundleWritten(tmp);
      rmSync(join(repo, "clusters", "c.ts"));
      assert.deepEqual(await names(["clusters/a.ts", "clusters/c.ts"]), ["a", "c"]);
    });
    assert.deepEqual(bundleDirs(tmp), []);
  });

  // When the files are known to share a local module, `talc build` bundles each alone from the start.
  test("takes the files bundled each alone early, and reads their failures as its own", async () => {
    const repo = tempRepo({ "a.ts": plain("a", `import { x } from "./lib/x.ts";\nvoid x;`), "b.ts": plain("b", `import { x } from "./lib/x.ts";\nvoid x;`) });
    mkdirSync(join(repo, "clusters", "lib"));
    writeFileSync(join(repo, "clusters", "lib", "x.ts"), "export const x = 1;\n");
    const files = ["clusters/a.ts", "clusters/b.ts"];
    startBundler(repo, true);
    const early = await takeEarlyBundle(repo, files);
    assert.equal(early?.one, undefined, "no one-module bundle is made");
    const result = await early?.each;
    assert.ok(result !== undefined);
    assert.deepEqual(result.outputFiles.map((o) => relative(repo, o.path)).sort(), [".talc/bundles/clusters/a.js", ".talc/bundles/clusters/b.js"]);
    assert.equal(await takeEarlyBundle(repo, files), undefined, "taken once");

    startBundler(repo, true);
    const loaded = await loadClusterFiles(repo, files);
    assert.deepEqual(loaded.map((c) => [c.definition.name, c.reads]), [["a", ["clusters/a.ts", "clusters/lib/x.ts"]], ["b", ["clusters/b.ts", "clusters/lib/x.ts"]]]);

    writeFileSync(join(repo, "clusters", "b.ts"), "export default {\n");
    const direct = await loadClusterFiles(repo, files).then(() => assert.fail("loads"), (e: TalcError) => e.lines());
    startBundler(repo, true);
    assert.deepEqual(await loadClusterFiles(repo, files).then(() => assert.fail("loads"), (e: TalcError) => e.lines()), direct);
    assert.match(direct.join("\n"), /^clusters\/b\.ts:2: the cluster file failed to load: /);
  });

  test("is known to be out of reach before bundling when two cluster files' inputs share a code file", async () => {
    const repo = tempRepo({ "a.ts": plain("a", `import "./lib/x.ts";`), "b.ts": plain("b", `import "./lib/y.ts";`) });
    mkdirSync(join(repo, "clusters", "lib"));
    writeFileSync(join(repo, "clusters", "lib", "x.ts"), "export {};\n");
    writeFileSync(join(repo, "clusters", "lib", "y.ts"), "export {};\n");
    writeFileSync(join(repo, "tsconfig.json"), "{}\n");
    const shared = async (): Promise<boolean> => sharesLocalCode(await Promise.all(["clusters/a.ts", "clusters/b.ts"].map(inputsReader(repo))));
    assert.equal(await shared(), false, "a tsconfig.json both read is no module");
    writeFileSync(join(repo, "clusters", "lib", "x.ts"), `import "./y.ts";\n`);
    assert.equal(await shared(), true, "b imports y directly and a through x");
  });

  test("leaves no file behind when the early bundle is never taken", () => {
    const tmp = tempDir();
    const repo = tempRepo({ "a.ts": plain("a"), "b.ts": plain("b") });
    const script = `import { startBundler } from ${JSON.stringify(join(PACKAGE_ROOT, "compiler", "load", "files.ts"))};
      import { readdirSync } from "node:fs";
      const tmp = process.env.TMPDIR;
      startBundler(${JSON.stringify(repo)});
      while (!readdirSync(tmp).some((d) => d.startsWith("talc-clusters-") && readdirSync(tmp + "/" + d).includes("clusters.mjs"))) await new Promise((r) => setTimeout(r, 10));
      process.stdout.write("bundled");
      process.exit(0);`;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...process.env, TMPDIR: tmp }, encoding: "utf8" });
    assert.equal(out, "bundled");
    assert.deepEqual(bundleDirs(tmp), []);
  });

  test("gives way to loading file by file where no temporary folder can be made", async () => {
    const repo = tempRepo({ "a.ts": plain("a"), "b.ts": plain("b") });
    const missing = join(tempDir(), "gone");
    await withTmpdir(missing, async () => {
      assert.equal(await loadAsOne(repo, ["clusters/a.ts", "clusters/b.ts"]), undefined);
      const loaded = await loadClusterFiles(repo, ["clusters/a.ts", "clusters/b.ts"]);
      assert.deepEqual(loaded.map((c) => c.definition.name), ["a", "b"]);
    });
  });
});

describe("a cluster file that goes wrong asynchronously", () => {
  const TALC = join(PACKAGE_ROOT, "bin", "talc.js");
  // `talc build` in a new process, as a user runs it: what Node does with the promise is the point.
  const build = (repo: string): { code: number | null; stderr: string } => {
    const r = spawnSync(process.execPath, [TALC, "build"], { cwd: repo, encoding: "utf8" });
    return { code: r.status, stderr: r.stderr };
  };
  const other = BASE_CLUSTER.replace('name: "tiny"', 'name: "other"');

  test("a top-level await that never settles is named, exit 2, and nothing is written", () => {
    const repo = tempRepo({ "tiny.ts": BASE_CLUSTER.replace("export default", "await new Promise(() => {});\nexport default"), "other.ts": other });
    const r = build(repo);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, "talc: clusters/tiny.ts: the cluster file never finished loading: a top-level await in it waits for something that never happens\n");
    assert.ok(!existsSync(join(repo, "out")));
  });

  for (const [name, code] of [
    ["at once", 'Promise.reject(new Error("lookup failed"));'],
    ["later, with something not an Error", 'setTimeout(() => Promise.reject("lookup failed"), 5);'],
  ]) {
    test(`a promise it rejects and never handles (${name}) is bad input, exit 2, not Node's crash report`, () => {
      const repo = tempRepo({ "tiny.ts": BASE_CLUSTER.replace("export default", `${code}\nexport default`), "other.ts": other });
      const r = build(repo);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, "talc: a cluster file left a promise rejected that nothing handled: lookup failed; await what it starts (or catch it), so a failure stops the load\n");
    });
  }

  test("an error whose message cannot be read is still reported as the file's", async () => {
    const repo = tempRepo({ "tiny.ts": `throw { get message() { throw new Error("no"); } };\n${BASE_CLUSTER}` });
    const r = await runCli(["build"], repo);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /clusters\/tiny\.ts: the cluster file failed to load: it threw something that cannot be shown/);
  });
});
