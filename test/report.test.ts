// The report formats, on a fixed set of findings: text, JSON, GitHub
// annotations, JUnit and Markdown against golden files; SARIF against the
// SARIF 2.1.0 JSON Schema shipped by Microsoft's SARIF multitool package.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Log } from "sarif";
import { allRuleDocs, lintNodes } from "../compiler/policy/lint.ts";
import type { Finding } from "../compiler/policy/types.ts";
import { escapeData, escapeProperty, formatGithub } from "../compiler/report/github.ts";
import { FORMATS, formatReport } from "../compiler/report/index.ts";
import { escapeXml, formatJunit } from "../compiler/report/junit.ts";
import { escapeCell, formatMarkdown } from "../compiler/report/markdown.ts";
import { formatSarif, ruleName } from "../compiler/report/sarif.ts";
import { formatText } from "../compiler/report/text.ts";
import { checkGolden } from "./helpers/golden.ts";
import { exampleInput } from "./rules/harness.ts";
import { RULES } from "../compiler/policy/rules/index.ts";

const base = { data: {}, fingerprint: "0".repeat(32) };

/** A cluster with a node finding traced to the definition, a cluster-level one, a waived one, and a config file. */
const FINDINGS: Finding[] = [
  {
    ...base,
    rule: "kubelet-secure-args",
    severity: "error",
    messageId: "anonymous",
    message: "the kubelet allows anonymous requests (anonymous-auth=true)",
    cluster: "homelab",
    node: "cp-1",
    location: { file: "out/homelab/nodes/cp-1.yaml", line: 14, column: 13 },
    document: "v1alpha1",
    path: "machine.kubelet.extraArgs.anonymous-auth",
    definition: { file: "clusters/homelab.ts", path: "patches[3].machine.kubelet.extraArgs.anonymous-auth", line: 21 },
    fingerprint: "1".repeat(32),
  },
  {
    ...base,
    rule: "exact-versions",
    severity: "error",
    messageId: "talos-version",
    message: "talosVersion v1.13 is not an exact release; expected e.g. v1.13.9",
    cluster: "homelab",
    location: { file: "clusters/homelab.ts", line: 3 },
    path: "talosVersion",
    definition: { file: "clusters/homelab.ts", path: "talosVersion", line: 3 },
    fingerprint: "2".repeat(32),
  },
  {
    ...base,
    rule: "no-debug-mode",
    severity: "warning",
    messageId: "debug",
    message: "debug mode is on: service logs go to the console",
    cluster: "homelab",
    node: "w-1",
    location: { file: "out/homelab/nodes/w-1.yaml", line: 2, column: 1 },
    document: "v1alpha1",
    path: "debug",
    suppression: { reason: "watching the NIC driver | boot, <for now>", expires: "2026-06-01", source: "policy.waivers[0]" },
    fingerprint: "3".repeat(32),
  },
  {
    ...base,
    rule: "remote-manifest-pinned",
    severity: "info",
    messageId: "mutable",
    message: "manifest URL https://example.com/main/x.yaml follows a moving reference (main); pin a release tag or commit",
    node: "configs/cp.yaml",
    location: { file: "configs/cp.yaml", line: 40, column: 9 },
    document: "v1alpha1",
    path: "cluster.extraManifests[0]",
    fingerprint: "4".repeat(32),
  },
];

const SUITES = new Map([
  ["homelab", ["cp-1", "w-1", "w-2"]],
  ["configs/cp.yaml", ["configs/cp.yaml"]],
]);

function sarifValidator(): (log: unknown) => string[] {
  const require = createRequire(import.meta.url);
  const path = require.resolve("@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
  const schema = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addFormat("uri", (s: string) => URL.canParse(s));
  ajv.addFormat("uri-reference", (s: string) => URL.canParse(s, "file:///base/"));
  ajv.addFormat("date-time", (s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  const validate = ajv.compile(schema);
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`));
}

describe("report formats", () => {
  it("text", () => checkGolden("report/findings.txt", formatText(FINDINGS)));
  it("text without findings", () => assert.equal(formatText([]), "no findings\n"));
  it("text in colour", () => assert.match(formatText(FINDINGS, { color: true }), /\x1b\[31merror/));
  it("markdown", () => checkGolden("report/findings.md", formatMarkdown(FINDINGS)));
  it("github", () => checkGolden("report/findings.github.txt", formatGithub(FINDINGS)));
  it("junit", () => checkGolden("report/findings.junit.xml", formatJunit(FINDINGS, { suites: SUITES })));
  it("json", () => {
    const parsed = JSON.parse(formatReport("json", FINDINGS, { rules: allRuleDocs(), version: "0.1.0" })) as { summary: unknown; findings: Finding[] };
    assert.deepEqual(parsed.summary, { error: 2, warning: 0, info: 1, waived: 1 });
    assert.deepEqual(parsed.findings, FINDINGS);
  });
  it("every format handles no findings", () => {
    for (const format of FORMATS) assert.ok(formatReport(format, [], { rules: allRuleDocs(), version: "0.1.0" }).length > 0, format);
  });
});

describe("escaping", () => {
  const cases: Array<[string, (s: string) => string, string, string]> = [
    ["github data", escapeData, "50% done\r\nnext", "50%25 done%0D%0Anext"],
    ["github property", escapeProperty, "a:b,c%", "a%3Ab%2Cc%25"],
    ["xml", escapeXml, `<a href="x">&'\u0001`, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"],
    ["markdown cell", escapeCell, "a | b\n<c>", "a \\| b &lt;c&gt;"],
  ];
  for (const [name, fn, input, output] of cases) it(name, () => assert.equal(fn(input), output));
});

describe("sarif", () => {
  const validate = sarifValidator();
  const sarif = (findings: readonly Finding[]): Log => JSON.parse(formatSarif(findings, { rules: allRuleDocs(), version: "0.1.0" })) as Log;

  it("the schema rejects what is not SARIF", () => {
    assert.ok(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, level: "fatal" }] }] }).length > 0);
  });

  it("the fixed findings are valid SARIF 2.1.0", () => assert.deepEqual(validate(sarif(FINDINGS)), []));

  it("findings of every rule's bad examples are valid SARIF 2.1.0", () => {
    const findings = RULES.flatMap((rule) => rule.examples.bad.flatMap((ex) => lintNodes(exampleInput(ex, [rule]))));
    assert.ok(findings.length >= RULES.length);
    const log = sarif(findings);
    assert.deepEqual(validate(log), []);
    assert.equal(log.runs[0].results!.length, findings.length);
  });

  it("describes every rule for code scanning", () => {
    const rules = sarif([]).runs[0].tool.driver.rules!;
    assert.deepEqual(rules.map((r) => r.id), allRuleDocs().map((r) => r.id));
    for (const r of rules) {
      assert.equal(r.name, ruleName(r.id));
      assert.match(r.helpUri!, /^https:\/\/talc\.dev\/rules\//);
      assert.ok(r.help?.text && r.help.markdown && r.shortDescription?.text && r.fullDescription?.text);
      const severity = Number(r.properties?.["security-severity"]);
      assert.ok(severity > 0 && severity <= 10, `${r.id} security-severity ${severity}`);
      assert.ok(Array.isArray(r.properties?.tags));
    }
  });

  it("gives every result a region, its rule index and a stable fingerprint", () => {
    const log = sarif(FINDINGS);
    const rules = log.runs[0].tool.driver.rules!;
    for (const [i, r] of log.runs[0].results!.entries()) {
      const region = r.locations![0].physicalLocation!.region!;
      assert.ok(region.startLine! >= 1);
      assert.equal(rules[r.ruleIndex!].id, r.ruleId);
      assert.equal(r.partialFingerprints!["talcFinding/v1"], FINDINGS[i].fingerprint);
    }
    assert.deepEqual(log.runs[0].results![0].relatedLocations![0].physicalLocation!.region, { startLine: 21 });
    assert.equal(log.runs[0].results![3].level, "note");
  });

  it("reports waived findings as accepted suppressions", () => {
    const [, , waived] = sarif(FINDINGS).runs[0].results!;
    assert.equal(waived.suppressions?.[0].status, "accepted");
    assert.match(waived.suppressions![0].justification!, /watching the NIC driver/);
  });

  it("names an absolute file by its file URI", () => {
    const log = sarif([{ ...FINDINGS[3], location: { file: "/tmp/a b/cp.yaml", line: 1 } }]);
    assert.equal(log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri, "file:///tmp/a%20b/cp.yaml");
    assert.deepEqual(validate(log), []);
  });
});
