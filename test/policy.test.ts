// The policy runner: settings and profiles, waivers, locations in the
// emitted YAML and in the definition, and cluster-level findings.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClusterDefinition } from "../compiler/define/definition.generated.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { TalcError } from "../compiler/errors.ts";
import { applyPatches, parsePatch } from "../compiler/patch/index.ts";
import { lintNodes, type LintInput } from "../compiler/policy/lint.ts";
import { definitionLocator, yamlLocator } from "../compiler/policy/locate.ts";
import { RULES } from "../compiler/policy/rules/index.ts";
import { parseRepositorySettings, type PolicySettings } from "../compiler/policy/settings.ts";
import type { Finding } from "../compiler/policy/types.ts";
import { globMatch, parsePath } from "../compiler/policy/util.ts";
import { realReason } from "../compiler/policy/waivers.ts";
import type { Contract } from "../compiler/talos/contract.ts";
import { baseConfig, baseDefinition, TODAY } from "./rules/harness.ts";

const DEBUG = "debug: true\n";

// A compiled-looking cluster: each node's config is the base with the patch, located in out/.
function cluster(opts: { def?: Partial<ClusterDefinition>; patch?: string; source?: string; repository?: PolicySettings; profile?: LintInput["profile"]; waivers?: boolean; contract?: Contract; today?: string }): LintInput {
  const contract = opts.contract ?? "1.13";
  const def = { ...baseDefinition(contract), ...opts.def };
  return {
    cluster: "example",
    definition: def,
    definitionFile: "clusters/example.ts",
    definitionSource: opts.source,
    contract,
    nodes: def.nodes.map((n) => {
      let docs = baseConfig(contract, n.role, def.kubernetesVersion);
      if (opts.patch !== undefined) docs = applyPatches(docs, [parsePatch(opts.patch, "test", { contract })], { contract });
      // the definition's own patches, general to specific, as the pipeline applies them
      const role = n.role === "controlplane" ? def.controlPlane?.patches : def.workers?.patches;
      for (const patch of [...(def.patches ?? []), ...(role ?? []), ...(n.patches ?? [])]) docs = applyPatches(docs, [patch], { contract });
      return { hostname: n.hostname, role: n.role, file: `out/example/nodes/${n.hostname}.yaml`, docs };
    }),
    repository: opts.repository,
    profile: opts.profile,
    waivers: opts.waivers,
    today: opts.today ?? TODAY,
  };
}

const of = (findings: Finding[], rule: string): Finding[] => findings.filter((f) => f.rule === rule);
const open = (findings: Finding[], rule: string): Finding[] => of(findings, rule).filter((f) => f.suppression === undefined);

describe("settings and profiles", () => {
  const cases: Array<{ name: string; input: Parameters<typeof cluster>[0]; severity: string | undefined }> = [
    { name: "recommended by default", input: { patch: DEBUG }, severity: "warning" },
    { name: "the definition's strict profile", input: { patch: DEBUG, def: { policy: { profile: "strict" } } }, severity: "error" },
    { name: "the repository's strict profile", input: { patch: DEBUG, repository: { profile: "strict" } }, severity: "error" },
    { name: "the definition's profile beats the repository's", input: { patch: DEBUG, repository: { profile: "strict" }, def: { policy: { profile: "recommended" } } }, severity: "warning" },
    { name: "the command-line profile beats both", input: { patch: DEBUG, profile: "strict", def: { policy: { profile: "recommended" } } }, severity: "error" },
    { name: "a repository rule setting", input: { patch: DEBUG, repository: { rules: { "no-debug-mode": "info" } } }, severity: "info" },
    { name: "the cluster's rule setting beats the repository's", input: { patch: DEBUG, repository: { rules: { "no-debug-mode": "info" } }, def: { policy: { rules: { "no-debug-mode": "error" } } } }, severity: "error" },
    { name: "off", input: { patch: DEBUG, def: { policy: { rules: { "no-debug-mode": "off" } } } }, severity: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const found = of(lintNodes(cluster(c.input)), "no-debug-mode");
      assert.deepEqual([...new Set(found.map((f) => f.severity))], c.severity === undefined ? [] : [c.severity]);
    });
  }

  const bad: Array<{ name: string; input: Parameters<typeof cluster>[0]; message: RegExp }> = [
    { name: "an unknown rule id, with the closest one", input: { def: { policy: { rules: { "no-debug-mod": "off" } } } }, message: /unknown rule "no-debug-mod"; did you mean "no-debug-mode"/ },
    { name: "a secret-leak rule cannot be turned off", input: { def: { policy: { rules: { "no-plaintext-secrets": "off" } } } }, message: /cannot be turned off/ },
    { name: "a waiver for an unknown rule", input: { def: { policy: { waivers: [{ rule: "debug-mode", reason: "testing the console", expires: "2026-06-01" }] } } }, message: /unknown rule "debug-mode"/ },
  ];
  for (const c of bad) {
    it(`bad input: ${c.name}`, () => {
      assert.throws(() => lintNodes(cluster(c.input)), (e: unknown) => e instanceof TalcError && c.message.test(e.message) && e.file === "clusters/example.ts");
    });
  }

  it("a locked rule keeps its severity even when settings name it", () => {
    const input = cluster({ def: { patches: [{ machine: { token: "abcdef.0123456789abcdef" } }] }, repository: { rules: {} } });
    assert.ok(of(lintNodes(input), "no-plaintext-secrets").every((f) => f.severity === "error"));
  });

  describe("talc.config.json", () => {
    const rules = RULES;
    it("reads profile, rules and allowExtensions", () => {
      const s = parseRepositorySettings('{"policy": {"profile": "strict", "rules": {"no-debug-mode": "off"}, "allowExtensions": ["ghcr.io/example/*"]}}', "talc.config.json", rules);
      assert.deepEqual(s, { profile: "strict", rules: { "no-debug-mode": "off" }, allowExtensions: ["ghcr.io/example/*"] });
    });
    const errors: Array<[string, string, RegExp]> = [
      ["not JSON", "{", /not valid JSON/],
      ["an unknown top-level field", '{"polcy": {}}', /unknown field "polcy"/],
      ["a misspelt policy field", '{"policy": {"rule": {}}}', /did you mean "rules"/],
      ["an unknown severity", '{"policy": {"rules": {"no-debug-mode": "fatal"}}}', /not a rule setting/],
      ["an unknown profile", '{"policy": {"profile": "paranoid"}}', /unknown profile/],
    ];
    for (const [name, text, message] of errors) {
      it(`rejects ${name}`, () => assert.throws(() => parseRepositorySettings(text, "talc.config.json", rules), (e: unknown) => e instanceof TalcError && message.test(e.message)));
    }
  });
});

describe("waivers", () => {
  const waiver = (w: Partial<{ rule: string; nodes: [string, ...string[]]; reason: string; expires: string }>) => ({ rule: "no-debug-mode", reason: "watching the new NICs boot", expires: "2026-06-01", ...w });
  const cases: Array<{ name: string; waivers: ReturnType<typeof waiver>[]; waived: string[]; diagnostics: string[]; opts?: Partial<Parameters<typeof cluster>[0]> }> = [
    { name: "all nodes", waivers: [waiver({})], waived: ["cp-1", "w-1"], diagnostics: [] },
    { name: "a glob", waivers: [waiver({ nodes: ["w-*"] })], waived: ["w-1"], diagnostics: [] },
    { name: "a ? glob", waivers: [waiver({ nodes: ["cp-?"] })], waived: ["cp-1"], diagnostics: [] },
    { name: "a glob that matches nothing", waivers: [waiver({ nodes: ["gpu-*"] })], waived: [], diagnostics: ["waiver-unmatched:unmatched"] },
    { name: "expired", waivers: [waiver({ expires: "2026-02-28" })], waived: [], diagnostics: ["waiver-expired:expired"] },
    { name: "expiring today still applies", waivers: [waiver({ expires: TODAY })], waived: ["cp-1", "w-1"], diagnostics: [] },
    { name: "a placeholder reason", waivers: [waiver({ reason: "todo" })], waived: [], diagnostics: ["waiver-invalid:no-reason"] },
    { name: "a blank reason", waivers: [waiver({ reason: "   " })], waived: [], diagnostics: ["waiver-invalid:no-reason"] },
    { name: "more than a year ahead", waivers: [waiver({ expires: "2027-03-02" })], waived: [], diagnostics: ["waiver-invalid:too-far"] },
    { name: "exactly a year ahead", waivers: [waiver({ expires: "2027-03-01" })], waived: ["cp-1", "w-1"], diagnostics: [] },
    { name: "not a real date", waivers: [waiver({ expires: "2026-02-30" })], waived: [], diagnostics: ["waiver-invalid:bad-date"] },
    { name: "a secret-leak rule", waivers: [waiver({ rule: "no-plaintext-secrets" })], waived: [], diagnostics: ["waiver-invalid:not-waivable"] },
    { name: "--no-waivers ignores them all", waivers: [waiver({}), waiver({ reason: "todo" })], waived: [], diagnostics: [], opts: { waivers: false } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const findings = lintNodes(cluster({ patch: DEBUG, def: { policy: { waivers: c.waivers } }, ...c.opts }));
      assert.deepEqual(of(findings, "no-debug-mode").filter((f) => f.suppression !== undefined).map((f) => f.node), c.waived);
      assert.deepEqual(findings.filter((f) => f.rule.startsWith("waiver-")).map((f) => `${f.rule}:${f.messageId}`), c.diagnostics);
      for (const f of of(findings, "no-debug-mode")) if (f.suppression !== undefined) assert.equal(f.suppression.source, "policy.waivers[0]");
    });
  }

  it("a waiver of a rule that cannot be waived says that rule's own reason", () => {
    const reasons: Array<[string, RegExp]> = [
      ["no-plaintext-secrets", /rule no-plaintext-secrets cannot be waived: it guards against leaking secrets/],
      ["waiver-expired", /rule waiver-expired cannot be waived: it reports waivers past their expiry; renew or remove the expired waiver instead/],
      ["waiver-unmatched", /rule waiver-unmatched cannot be waived: it reports waivers that silence nothing/],
      ["waiver-invalid", /rule waiver-invalid cannot be waived: it reports waivers that cannot apply/],
    ];
    for (const [rule, message] of reasons) {
      const [d] = lintNodes(cluster({ patch: DEBUG, def: { policy: { waivers: [waiver({ rule })] } } })).filter((f) => f.rule === "waiver-invalid");
      assert.equal(d?.path, "policy.waivers[0].rule", rule);
      assert.match(d.message, message);
    }
  });

  it("a waiver diagnostic points at the waiver in the cluster file", () => {
    const source = 'export default defineCluster({\n  name: "example",\n  policy: {\n    waivers: [\n      { rule: "no-debug-mode", reason: "todo", expires: "2026-06-01" },\n    ],\n  },\n});\n';
    const [d] = lintNodes(cluster({ patch: DEBUG, source, def: { policy: { waivers: [waiver({ reason: "todo" })] } } })).filter((f) => f.rule === "waiver-invalid");
    assert.deepEqual([d.location.file, d.location.line, d.path], ["clusters/example.ts", 5, "policy.waivers[0].reason"]);
  });

  it("reasons", () => {
    for (const r of ["todo", "TODO: later", "tbd", "", "n/a", "-", "x"]) assert.equal(realReason(r), false, r);
    for (const r of ["vendor firmware needs it until Q3", "lab cluster"]) assert.equal(realReason(r), true, r);
  });

  it("globs", () => {
    assert.ok(globMatch("w-*", "w-12"));
    assert.ok(!globMatch("w-*", "cp-1"));
    assert.ok(globMatch("*", "anything"));
    assert.ok(!globMatch("w.1", "w-1"), "a dot is literal");
  });
});

describe("locations", () => {
  it("a finding in a config points at the key's line and column in the emitted YAML", () => {
    const input = cluster({ patch: "machine:\n  kubelet:\n    extraArgs:\n      anonymous-auth: \"true\"\n" });
    const [f] = lintNodes(input).filter((x) => x.rule === "kubelet-secure-args" && x.node === "cp-1");
    const text = encodeConfig(input.nodes[0].docs);
    const line = text.split("\n")[f.location.line! - 1];
    assert.equal(line.slice(f.location.column! - 1), 'anonymous-auth: "true"');
    assert.equal(f.document, "v1alpha1");
    assert.equal(f.path, "machine.kubelet.extraArgs.anonymous-auth");
  });

  it("the value is traced to the patch in the definition, and its line", () => {
    const source = [
      'import { defineCluster } from "talc";',
      "export default defineCluster({",
      '  name: "example",',
      "  patches: [",
      '    { machine: { time: { disabled: false } } },',
      "    {",
      '      machine: { kubelet: { extraArgs: { "anonymous-auth": "true" } } },',
      "    },",
      "  ],",
      "});",
    ].join("\n");
    const input = cluster({ source, def: { patches: [{ machine: { time: { disabled: false } } }, { machine: { kubelet: { extraArgs: { "anonymous-auth": "true" } } } }] } });
    const found = lintNodes(input).filter((x) => x.rule === "kubelet-secure-args");
    assert.equal(found.length, 2, "one per node");
    for (const f of found) assert.deepEqual(f.definition, { file: "clusters/example.ts", path: "patches[1].machine.kubelet.extraArgs.anonymous-auth", line: 7 });
  });

  it("a node's own patch wins over the cluster's", () => {
    const def: Partial<ClusterDefinition> = {
      patches: [{ debug: true }],
      nodes: [
        { hostname: "cp-1", role: "controlplane", patches: [{ debug: true }] },
        { hostname: "w-1", role: "worker" },
      ],
    };
    const found = of(lintNodes(cluster({ def })), "no-debug-mode");
    assert.deepEqual(found.map((f) => [f.node, f.definition?.path]), [["cp-1", "nodes[0].patches[0].debug"], ["w-1", "patches[0].debug"]]);
  });

  it("a definition-only finding is reported once for the cluster, located in the definition", () => {
    const found = of(lintNodes(cluster({ def: { talosVersion: "v1.13" }, source: 'defineCluster({\n  name: "example",\n  talosVersion: "v1.13",\n})' })), "exact-versions");
    assert.equal(found.length, 1);
    assert.equal(found[0].node, undefined);
    assert.deepEqual(found[0].location, { file: "clusters/example.ts", line: 3 });
    assert.equal(found[0].path, "talosVersion");
  });

  it("fingerprints do not depend on line numbers", () => {
    const a = lintNodes(cluster({ patch: DEBUG }));
    const b = lintNodes(cluster({ patch: "debug: true\nmachine:\n  certSANs: [a, b, c]\n" }));
    assert.deepEqual(of(a, "no-debug-mode").map((f) => f.fingerprint), of(b, "no-debug-mode").map((f) => f.fingerprint));
    assert.equal(new Set(a.map((f) => f.fingerprint)).size, a.length, "fingerprints are unique");
  });

  it("the YAML locator falls back to the deepest existing key", () => {
    const loc = yamlLocator("version: v1alpha1\nmachine:\n    type: worker\n---\napiVersion: v1alpha1\nkind: KubeletConfig\nimage: x\n");
    assert.deepEqual(loc.find(0, "machine.kubelet.image"), { line: 2, column: 1 });
    assert.deepEqual(loc.find(1, "image"), { line: 7, column: 1 });
    assert.equal(loc.find(2, "image"), undefined);
  });

  it("the definition locator skips comments, strings and helper calls", () => {
    const src = [
      "// patches: [ not this ]",
      "export default defineCluster({",
      '  name: "a, b", /* nodes: */',
      "  patches: [timeServers([\"x\"]), { machine: {",
      '    "weird.key": `${1}`, kubelet: {} } }],',
      "  nodes: [{ hostname: 'cp-1', role: \"controlplane\" }],",
      "});",
    ].join("\n");
    const loc = definitionLocator(src);
    assert.equal(loc.line("name"), 3);
    assert.equal(loc.line("patches[0]"), 4);
    assert.equal(loc.line("patches[1].machine.kubelet"), 5);
    assert.equal(loc.line('patches[1].machine["weird.key"]'), 5);
    assert.equal(loc.line("nodes[0].role"), 6);
    assert.equal(loc.line("nodes[3]"), 6, "a missing element falls back to its list");
  });

  it("parses config paths", () => {
    assert.deepEqual(parsePath('machine.registries.config["a.b:5000"].tls[0].x'), ["machine", "registries", "config", "a.b:5000", "tls", 0, "x"]);
  });
});

describe("config files without a definition", () => {
  it("takes the role from machine.type and knows workers from the other files", () => {
    const cp = applyPatches(baseConfig("1.13", "controlplane"), [parsePatch("cluster:\n  allowSchedulingOnControlPlanes: true\n", "t", { contract: "1.13" })], { contract: "1.13" });
    const worker = baseConfig("1.13", "worker");
    const alone = lintNodes({ contract: "1.13", nodes: [{ hostname: "cp.yaml", file: "cp.yaml", docs: cp }], today: TODAY });
    const both = lintNodes({ contract: "1.13", nodes: [{ hostname: "cp.yaml", file: "cp.yaml", docs: cp }, { hostname: "w.yaml", file: "w.yaml", docs: worker }], today: TODAY });
    assert.equal(of(alone, "no-control-plane-scheduling").length, 0);
    assert.equal(of(both, "no-control-plane-scheduling").length, 1);
  });

  it("ignores waivers without a definition and reports nothing about them", () => {
    const docs = applyPatches(baseConfig("1.13", "worker"), [parsePatch(DEBUG, "t", { contract: "1.13" })], { contract: "1.13" });
    const found = lintNodes({ contract: "1.13", nodes: [{ hostname: "w.yaml", file: "w.yaml", docs }], today: TODAY });
    assert.equal(open(found, "no-debug-mode").length, 1);
  });
});
