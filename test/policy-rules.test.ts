// The rule catalogue: every rule file is registered and documented, its own
// good and bad examples behave as documented, and its cases in
// test/rules/<id>.ts pass.

import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { RULES } from "../compiler/policy/rules/index.ts";
import type { Example, RuleDocs } from "../compiler/policy/types.ts";
import { WAIVER_RULES } from "../compiler/policy/waivers.ts";
import { runExample, type RuleCase } from "./rules/harness.ts";

const RULES_DIR = fileURLToPath(new URL("../compiler/policy/rules/", import.meta.url));
const CASES_DIR = fileURLToPath(new URL("./rules/", import.meta.url));
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function check(rule: RuleDocs, c: Example & Partial<RuleCase>, expect: "good" | "bad"): void {
  const findings = runExample(rule.id, c);
  if (expect === "good") {
    assert.deepEqual(findings.map((f) => f.message), [], `good case "${c.title}" of ${rule.id} has findings`);
  } else {
    assert.ok(findings.length > 0, `bad case "${c.title}" of ${rule.id} has no finding`);
    if (c.messageId !== undefined) assert.ok(findings.some((f) => f.messageId === c.messageId), `bad case "${c.title}" gave ${findings.map((f) => f.messageId).join(", ")}, not ${c.messageId}`);
    for (const f of findings) {
      assert.ok(f.location.file !== "", "a finding has a file");
      assert.ok(f.document !== undefined ? f.location.line !== undefined : f.definition !== undefined, `finding "${f.message}" is located`);
    }
  }
}

describe("rule registry", () => {
  const files = readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts").map((f) => f.slice(0, -3)).sort();

  it("has at least 30 rules", () => assert.ok(RULES.length >= 30, `${RULES.length} rules`));

  it("lists every rule file exactly once, and nothing else", () => {
    assert.deepEqual([...RULES.map((r) => r.id)].sort(), files);
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
  });

  it("rule ids do not collide with waiver diagnostics", () => {
    for (const w of WAIVER_RULES) assert.ok(!files.includes(w.id), w.id);
  });

  for (const rule of [...RULES, ...WAIVER_RULES]) {
    it(`${rule.id} is documented`, () => {
      assert.match(rule.id, ID);
      for (const field of ["title", "rationale", "remediation"] as const) assert.ok(rule[field].trim().length >= 10, `${field} is too short`);
      assert.ok(rule.tags.length > 0, "tags");
      assert.ok(rule.references.length > 0, "references");
      for (const r of rule.references) assert.match(r.url, /^https:\/\//);
      assert.ok(Object.keys(rule.messages).length > 0, "messages");
      for (const [id, text] of Object.entries(rule.messages)) {
        assert.match(id, ID);
        assert.ok(!text.endsWith("."), `message ${id} ends with a full stop`);
      }
      assert.ok(rule.examples.good.length > 0 && rule.examples.bad.length > 0, "a good and a bad example");
      if (!rule.waivable) assert.notEqual(rule.severity.recommended, "off");
      // a waiver of it is refused with this reason, so each rule that refuses one says its own
      assert.equal(rule.notWaivable === undefined, rule.waivable, "notWaivable is set exactly when the rule is not waivable");
    });
  }
});

describe("rule examples", () => {
  for (const rule of [...RULES, ...WAIVER_RULES]) {
    describe(rule.id, () => {
      for (const ex of rule.examples.good) it(`good: ${ex.title}`, () => check(rule, ex, "good"));
      for (const ex of rule.examples.bad) it(`bad: ${ex.title}`, () => check(rule, ex, "bad"));
    });
  }
});

describe("rule cases", () => {
  for (const rule of RULES) {
    const file = `${CASES_DIR}${rule.id}.ts`;
    it(`${rule.id} has its own cases in test/rules/${rule.id}.ts`, () => assert.ok(existsSync(file), `test/rules/${rule.id}.ts is missing`));
    if (!existsSync(file)) continue;
    describe(rule.id, async () => {
      const { cases } = (await import(file)) as { cases: RuleCase[] };
      it("has a good and a bad case", () => {
        assert.ok(cases.some((c) => c.expect === "good"), "no good case");
        assert.ok(cases.some((c) => c.expect === "bad"), "no bad case");
      });
      for (const c of cases) it(`${c.expect}: ${c.title}`, () => check(rule, c, c.expect));
    });
  }
});
