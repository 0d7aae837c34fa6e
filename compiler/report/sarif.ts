// SARIF 2.1.0 for code scanning (GitHub and others): every rule's metadata
// with help and security-severity, one result per finding with a region,
// stable partial fingerprints, waived findings as accepted suppressions.

import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Location as SarifLocation, Log, ReportingDescriptor, Result } from "sarif";
import { RULE_DOCS } from "../policy/references.ts";
import type { Finding, Location, RuleDocs, Severity } from "../policy/types.ts";

/** The SARIF schema the log declares. */
const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

const LEVEL: Record<Severity, Result.level> = { error: "error", warning: "warning", info: "note" };

// GitHub buckets security-severity: 9+ critical, 7+ high, 4+ medium, else low.
const SECURITY_SEVERITY: Record<Severity, number> = { error: 7.5, warning: 5.0, info: 2.0 };

/** A rule id as a PascalCase name ("no-debug-mode" → "NoDebugMode"). */
export function ruleName(id: string): string {
  return id
    .split("-")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split("\\").join("/").split("/").map(encodeURIComponent).join("/");
}

function helpMarkdown(rule: RuleDocs): string {
  const refs = rule.references.map((r) => `- [${r.title}](${r.url})`).join("\n");
  return `${rule.rationale}\n\n**Remediation.** ${rule.remediation}${refs === "" ? "" : `\n\n**References**\n${refs}`}`;
}

function descriptor(rule: RuleDocs): ReportingDescriptor {
  const level = rule.severity.recommended === "off" ? "none" : LEVEL[rule.severity.recommended];
  const security = rule.securitySeverity ?? (rule.severity.recommended === "off" ? 2.0 : SECURITY_SEVERITY[rule.severity.recommended]);
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: `${rule.rationale}\n\nRemediation: ${rule.remediation}`, markdown: helpMarkdown(rule) },
    helpUri: `${RULE_DOCS}${rule.id}`,
    defaultConfiguration: { level },
    properties: {
      tags: [...rule.tags],
      precision: "very-high",
      "problem.severity": rule.severity.recommended === "info" ? "recommendation" : rule.severity.recommended === "off" ? "recommendation" : rule.severity.recommended,
      "security-severity": security.toFixed(1),
    },
  };
}

function physical(loc: Location): SarifLocation["physicalLocation"] {
  return {
    artifactLocation: { uri: artifactUri(loc.file) },
    region: { startLine: loc.line ?? 1, ...(loc.column === undefined ? {} : { startColumn: loc.column }) },
  };
}

/** The SARIF log of a lint run. */
export function formatSarif(findings: readonly Finding[], opts: { rules: readonly RuleDocs[]; version: string }): string {
  const rules = opts.rules.map(descriptor);
  const index = new Map(opts.rules.map((r, i) => [r.id, i]));
  const results: Result[] = findings.map((f) => {
    const result: Result = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: physical(f.location),
          ...(f.cluster !== undefined || f.node !== undefined
            ? { logicalLocations: [{ fullyQualifiedName: [f.cluster, f.node].filter((x) => x !== undefined).join("/"), kind: "resource" }] }
            : {}),
        },
      ],
      partialFingerprints: { "talcFinding/v1": f.fingerprint },
      properties: {
        ...(f.cluster === undefined ? {} : { cluster: f.cluster }),
        ...(f.node === undefined ? {} : { node: f.node }),
        ...(f.document === undefined ? {} : { document: f.document }),
        path: f.path,
      },
    };
    const ruleIndex = index.get(f.rule);
    if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
    const d = f.definition;
    if (d !== undefined && !(d.file === f.location.file && d.line === f.location.line)) {
      result.relatedLocations = [{ id: 1, physicalLocation: physical(d), message: { text: `set in the definition at ${d.path}` } }];
    }
    if (f.suppression !== undefined) {
      result.suppressions = [{ kind: "external", status: "accepted", justification: `${f.suppression.reason} (waived until ${f.suppression.expires} by ${f.suppression.source})` }];
    }
    return result;
  });
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "talc", version: opts.version, semanticVersion: opts.version, informationUri: "https://talc.dev", rules } },
        columnKind: "unicodeCodePoints",
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
