// `talc explain <rule>` and `talc rules`: the rule documentation, from the
// rules themselves.

import { TalcError } from "../errors.ts";
import { allRuleDocs } from "../policy/lint.ts";
import { RULE_DOCS } from "../policy/references.ts";
import type { Example, RuleDocs } from "../policy/types.ts";
import { closest } from "../policy/util.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  format: { type: "string", short: "f", default: "text", help: "text, json or markdown" },
};

function format(value: unknown): "text" | "json" | "markdown" {
  if (value === "text" || value === "json" || value === "markdown") return value;
  throw new TalcError(`invalid format "${String(value)}"; expected text, json or markdown`, { code: "bad-arguments", stage: "cli", path: "format" });
}

function indent(text: string, by: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

function exampleText(ex: Example): string {
  const parts = [`- ${ex.title}${ex.contract !== undefined ? ` (Talos ${ex.contract})` : ""}${ex.role === "worker" ? " (worker)" : ""}`];
  if (ex.definition !== undefined) parts.push(`    definition: ${JSON.stringify(ex.definition)}`);
  if (ex.patch !== undefined) parts.push("    patch:", indent(ex.patch, "      "));
  return parts.join("\n");
}

function applies(rule: RuleDocs): string {
  const versions = rule.contracts === undefined ? "every Talos version" : `Talos ${rule.contracts.join(", ")}`;
  const roles = rule.roles === undefined ? "every role" : rule.roles.join(" and ") + " nodes";
  return `${versions}; ${roles}`;
}

/** A rule's documentation as text. */
function explainText(rule: RuleDocs): string {
  const lines = [
    `${rule.id}: ${rule.title}`,
    "",
    `severity:   ${rule.severity.recommended} (recommended), ${rule.severity.strict} (strict)`,
    `waivable:   ${rule.waivable ? "yes" : "no"}${rule.locked === true ? "; settings cannot change it" : ""}`,
    ...(rule.notWaivable === undefined ? [] : [`            why not: ${rule.notWaivable}`]),
    `applies to: ${applies(rule)}`,
    `tags:       ${rule.tags.join(", ")}`,
    "",
    "Why",
    indent(rule.rationale, "  "),
    "",
    "How to fix",
    indent(rule.remediation, "  "),
    "",
    "Good",
    ...rule.examples.good.map((e) => indent(exampleText(e), "  ")),
    "",
    "Bad",
    ...rule.examples.bad.map((e) => indent(exampleText(e), "  ")),
    "",
    "References",
    ...rule.references.map((r) => `  - ${r.title}: ${r.url}`),
    `  - talc: ${RULE_DOCS}${rule.id}`,
  ];
  return lines.join("\n") + "\n";
}

// A clause as a sentence of its own: capitalised, with a full stop.
function sentence(clause: string): string {
  return clause.charAt(0).toUpperCase() + clause.slice(1) + (/[.!?]$/.test(clause) ? "" : ".");
}

/** A rule's documentation as Markdown. */
function explainMarkdown(rule: RuleDocs): string {
  const ex = (e: Example): string =>
    [`**${e.title}**${e.contract !== undefined ? ` (Talos ${e.contract})` : ""}`, e.definition === undefined ? "" : `\n\`\`\`json\n${JSON.stringify(e.definition, null, 2)}\n\`\`\``, e.patch === undefined ? "" : `\n\`\`\`yaml\n${e.patch.trimEnd()}\n\`\`\``].join("");
  return [
    `## ${rule.id}`,
    "",
    rule.title,
    "",
    `| severity (recommended) | severity (strict) | waivable | applies to |`,
    `| --- | --- | --- | --- |`,
    `| ${rule.severity.recommended} | ${rule.severity.strict} | ${rule.waivable ? "yes" : "no"} | ${applies(rule)} |`,
    "",
    ...(rule.notWaivable === undefined ? [] : [`**Why it cannot be waived.** ${sentence(rule.notWaivable)}`, ""]),
    `**Why.** ${rule.rationale}`,
    "",
    `**How to fix.** ${rule.remediation}`,
    "",
    "### Good",
    "",
    ...rule.examples.good.map(ex),
    "",
    "### Bad",
    "",
    ...rule.examples.bad.map(ex),
    "",
    "### References",
    "",
    ...rule.references.map((r) => `- [${r.title}](${r.url})`),
    "",
  ].join("\n");
}

/** `talc explain <rule>`. */
export async function explainCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("explain", argv, SPECS);
  if (values.help) {
    io.stdout(helpText("talc explain <rule>", "Prints a rule's documentation: why it exists, how to fix a finding, good and bad examples.", SPECS));
    return 0;
  }
  const fmt = format(values.format);
  if (positionals.length !== 1) throw new TalcError("name one rule, e.g. 'talc explain no-debug-mode'; 'talc rules' lists them", { code: "bad-arguments", stage: "cli" });
  const rules = allRuleDocs();
  const id = positionals[0];
  const rule = rules.find((r) => r.id === id);
  if (rule === undefined) {
    const guess = closest(id, rules.map((r) => r.id));
    throw new TalcError(`unknown rule "${id}"; ${guess === undefined ? "'talc rules' lists the rules" : `did you mean "${guess}"?`}`, { code: "unknown-rule", stage: "cli" });
  }
  if (fmt === "json") {
    const { check: _check, ...docs } = rule as RuleDocs & { check?: unknown };
    io.stdout(JSON.stringify({ ...docs, helpUri: `${RULE_DOCS}${rule.id}` }, null, 2) + "\n");
  } else io.stdout(fmt === "markdown" ? explainMarkdown(rule) : explainText(rule));
  return 0;
}

/** `talc rules`. */
export async function rulesCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("rules", argv, SPECS);
  if (values.help) {
    io.stdout(helpText("talc rules", "Lists the policy rules with their severity in each profile and whether they can be waived.", SPECS));
    return 0;
  }
  if (positionals.length > 0) throw new TalcError(`unexpected argument "${positionals[0]}"; 'talc explain <rule>' explains one rule`, { code: "bad-arguments", stage: "cli" });
  const fmt = format(values.format);
  const rules = allRuleDocs();
  if (fmt === "json") {
    io.stdout(JSON.stringify(rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, waivable: r.waivable, tags: r.tags, contracts: r.contracts, roles: r.roles })), null, 2) + "\n");
  } else if (fmt === "markdown") {
    const rows = ["| rule | recommended | strict | waivable | title |", "| --- | --- | --- | --- | --- |", ...rules.map((r) => `| [\`${r.id}\`](${RULE_DOCS}${r.id}) | ${r.severity.recommended} | ${r.severity.strict} | ${r.waivable ? "yes" : "no"} | ${r.title} |`)];
    io.stdout(rows.join("\n") + "\n");
  } else {
    const width = Math.max(...rules.map((r) => r.id.length));
    io.stdout(`${"rule".padEnd(width)}  recommended  strict   waivable  title\n`);
    for (const r of rules) io.stdout(`${r.id.padEnd(width)}  ${r.severity.recommended.padEnd(11)}  ${r.severity.strict.padEnd(7)}  ${(r.waivable ? "yes" : "no").padEnd(8)}  ${r.title}\n`);
  }
  return 0;
}
