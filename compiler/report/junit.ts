// JUnit XML, for CI systems that show test reports: a suite per cluster (or
// per config file), a failing case per finding, a skipped case per waived
// finding, and a passing case for each node without findings.

import type { Finding } from "../policy/types.ts";
import { origin, where } from "./summary.ts";

/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")
    // characters XML 1.0 cannot carry at all
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");
}

/** What was linted: each cluster's (or file's) nodes, so clean nodes appear as passing cases. */
interface JunitSubjects {
  /** Suite name → node names. */
  suites: ReadonlyMap<string, readonly string[]>;
}

/** The JUnit report. */
export function formatJunit(findings: readonly Finding[], subjects: JunitSubjects): string {
  const suites = new Map<string, { nodes: string[]; findings: Finding[] }>();
  for (const [name, nodes] of subjects.suites) suites.set(name, { nodes: [...nodes], findings: [] });
  for (const f of findings) {
    const name = f.cluster ?? f.location.file;
    const suite = suites.get(name) ?? { nodes: [], findings: [] };
    suite.findings.push(f);
    suites.set(name, suite);
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  const body: string[] = [];
  for (const [name, suite] of suites) {
    const cases: string[] = [];
    let sFail = 0;
    let sSkip = 0;
    for (const f of suite.findings) {
      const caseName = escapeXml(`${f.rule}: ${f.document === undefined ? f.path : `${f.document} ${f.path}`}`);
      const cls = escapeXml(`talc.${name}${f.node === undefined ? "" : `.${f.node}`}`);
      if (f.suppression !== undefined) {
        sSkip++;
        cases.push(`    <testcase name="${caseName}" classname="${cls}" file="${escapeXml(f.location.file)}">\n      <skipped message="${escapeXml(`waived until ${f.suppression.expires}: ${f.suppression.reason}`)}"/>\n    </testcase>`);
        continue;
      }
      sFail++;
      const detail = [`${f.severity} ${where(f)}`, f.message, origin(f) === undefined ? undefined : `set in ${origin(f)}`].filter((x) => x !== undefined).join("\n");
      cases.push(
        `    <testcase name="${caseName}" classname="${cls}" file="${escapeXml(f.location.file)}">\n      <failure message="${escapeXml(f.message)}" type="${f.severity}">${escapeXml(detail)}</failure>\n    </testcase>`,
      );
    }
    const withFindings = new Set(suite.findings.map((f) => f.node));
    for (const node of suite.nodes) {
      if (!withFindings.has(node)) cases.push(`    <testcase name="policy" classname="${escapeXml(`talc.${name}.${node}`)}"/>`);
    }
    total += cases.length;
    failures += sFail;
    skipped += sSkip;
    body.push(`  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${sFail}" errors="0" skipped="${sSkip}">`, ...cases, "  </testsuite>");
  }
  out.push(`<testsuites name="talc lint" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}">`, ...body, "</testsuites>");
  return out.join("\n") + "\n";
}
