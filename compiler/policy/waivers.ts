// Waivers: a definition may silence a rule on some nodes for a while, with a
// reason. A waiver that is not well-formed, has expired or silenced nothing is
// itself reported, under one of the diagnostics below.

import type { ClusterDefinition } from "../define/definition.generated.ts";
import { TalcError } from "../errors.ts";
import type { Finding, Location, RuleDocs, RuleSetting, Severity, Waiver } from "./types.ts";
import { formatMessage, globMatch, unknownRuleMessage } from "./util.ts";

const WAIVER_REFERENCES = [{ title: "talc: policy settings and waivers", url: "https://talc.dev/docs/policy#waivers" }];

// The examples' expiries count from the day they are read (talc explain) or checked: a fixed
// date is past one day, and none stays ahead for good within the one-year limit.
const exampleDay = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const IN_FORCE = exampleDay(90);
const EXPIRED = exampleDay(-60);

/** A waiver that cannot apply: no real reason, no valid expiry, too far ahead, or a rule that cannot be waived. */
const waiverInvalid: RuleDocs = {
  id: "waiver-invalid",
  title: "Waivers have a real reason, a valid expiry at most a year ahead, and a waivable rule",
  rationale:
    "A waiver is a recorded decision to accept a risk for a while. Without a reason a reviewer cannot judge it, and without a near expiry it quietly becomes permanent. Some rules cannot be waived at all: those that guard against leaking secrets, because a leaked secret cannot be taken back, and the waiver diagnostics themselves, which are settled by mending the waiver they name.",
  remediation: "Write why the exception is acceptable in `reason`, set `expires` to a date (YYYY-MM-DD) within the next year, or fix the finding instead of waiving it.",
  severity: { recommended: "error", strict: "error" },
  tags: ["policy"],
  references: WAIVER_REFERENCES,
  waivable: false,
  notWaivable: "it reports waivers that cannot apply; correct the reported waiver instead",
  messages: {
    "no-reason": "waiver for {rule} has no real reason ({reason}); say why the exception is acceptable",
    "bad-date": "waiver for {rule} expires on {expires}, which is not a date; expected YYYY-MM-DD",
    "too-far": "waiver for {rule} expires on {expires}, more than a year ahead (at most {limit})",
    "not-waivable": "rule {rule} cannot be waived: {why}",
  },
  examples: {
    good: [{ title: "a reason and an expiry within a year", definition: { policy: { waivers: [{ rule: "no-debug-mode", reason: "debugging the boot of the new NICs", expires: IN_FORCE }] } } }],
    bad: [{ title: "a placeholder reason", definition: { policy: { waivers: [{ rule: "no-debug-mode", reason: "TODO", expires: IN_FORCE }] } } }],
  },
};

/** A waiver past its expiry: it no longer applies. */
const waiverExpired: RuleDocs = {
  id: "waiver-expired",
  title: "Expired waivers are removed",
  rationale: "An expired waiver no longer silences anything; the findings it covered are reported again. Keeping it in the definition suggests an exception that no longer exists.",
  remediation: "Fix what the waiver covered and remove it, or renew it with a new expiry and an updated reason.",
  severity: { recommended: "warning", strict: "error" },
  tags: ["policy"],
  references: WAIVER_REFERENCES,
  waivable: false,
  notWaivable: "it reports waivers past their expiry; renew or remove the expired waiver instead",
  messages: { expired: "waiver for {rule} expired on {expires}; it no longer applies" },
  examples: {
    good: [{ title: "a waiver still in force", definition: { policy: { waivers: [{ rule: "no-debug-mode", reason: "debugging the boot of the new NICs", expires: IN_FORCE }] } } }],
    bad: [{ title: "a waiver past its date", definition: { policy: { waivers: [{ rule: "no-debug-mode", reason: "debugging the boot of the new NICs", expires: EXPIRED }] } } }],
  },
};

/** A waiver that matched no finding. */
const waiverUnmatched: RuleDocs = {
  id: "waiver-unmatched",
  title: "Waivers silence something",
  rationale: "A waiver that matches no finding is stale (the problem was fixed) or mistyped (its node globs match nothing); either way it misleads the reader of the definition.",
  remediation: "Remove the waiver, or correct its rule id or node globs.",
  severity: { recommended: "warning", strict: "warning" },
  tags: ["policy"],
  references: WAIVER_REFERENCES,
  waivable: false,
  notWaivable: "it reports waivers that silence nothing; correct or remove the unmatched waiver instead",
  messages: { unmatched: "waiver for {rule} on {nodes} matched no finding; remove it or correct it" },
  examples: {
    good: [{ title: "a waiver that silences a finding", patch: "debug: true\n", definition: { policy: { waivers: [{ rule: "no-debug-mode", reason: "debugging the boot of the new NICs", expires: IN_FORCE }] } } }],
    bad: [{ title: "a waiver for a problem that is gone", definition: { policy: { waivers: [{ rule: "no-debug-mode", reason: "debugging the boot of the new NICs", expires: IN_FORCE }] } } }],
  },
};

/** The waiver diagnostics, reported like rules. */
export const WAIVER_RULES: readonly RuleDocs[] = [waiverInvalid, waiverExpired, waiverUnmatched];

const PLACEHOLDERS = new Set(["", "todo", "tbd", "fixme", "xxx", "n/a", "na", "none", "-", "...", "…", "?", "wip", "later"]);

/** Whether a waiver reason says something. */
export function realReason(reason: string): boolean {
  const r = reason.trim().toLowerCase().replace(/[.!:]+$/, "");
  return !PLACEHOLDERS.has(r) && !/^todo\b/.test(r) && r.length >= 3;
}

/** Parses YYYY-MM-DD into a day number (UTC), or undefined when it is not a real date. */
function dayNumber(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(t);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
  return t / 86_400_000;
}

// The latest allowed expiry: the same day a year later (Feb 29 → Mar 1).
function oneYearAhead(today: string): string {
  const [y, m, d] = today.split("-").map(Number);
  return new Date(Date.UTC(y + 1, m - 1, d)).toISOString().slice(0, 10);
}

function waiversOf(def: ClusterDefinition | undefined): Waiver[] {
  return (def?.policy?.waivers ?? []) as Waiver[];
}

/** Every waiver names a known rule (bad input otherwise, with the closest rule id). */
export function checkWaiverRules(def: ClusterDefinition | undefined, file: string | undefined, rules: readonly RuleDocs[]): void {
  const ids = rules.map((r) => r.id);
  const problems = waiversOf(def).flatMap((w, i) => {
    if (ids.includes(w.rule)) return [];
    return [
      new TalcError(unknownRuleMessage(w.rule, ids), {
        code: "bad-policy-settings",
        stage: "policy",
        file,
        path: `policy.waivers[${i}].rule`,
      }),
    ];
  });
  if (problems.length > 0) throw TalcError.many(problems);
}

/** What applying waivers needs besides the findings. */
export interface WaiverOptions {
  definition: ClusterDefinition;
  rules: readonly RuleDocs[];
  /** YYYY-MM-DD. */
  today: string;
  cluster?: string;
  severity(rule: RuleDocs): RuleSetting;
  locate(path: string): Location & { path: string };
  fingerprint(parts: ReadonlyArray<string | undefined>): string;
}

/**
 * Marks the findings waivers silence and adds the waiver diagnostics. A
 * waiver applies to a finding of its rule when every node the finding
 * concerns matches one of its globs (all nodes when it has none).
 */
export function applyWaivers(findings: readonly Finding[], nodesOf: ReadonlyMap<Finding, readonly string[]>, opts: WaiverOptions): Finding[] {
  const out = findings.map((f) => ({ ...f }));
  const diagnostics: Finding[] = [];
  const todayN = dayNumber(opts.today);
  const limit = oneYearAhead(opts.today);
  const limitN = dayNumber(limit)!;
  const report = (rule: RuleDocs, messageId: string, path: string, data: Record<string, string>): void => {
    const setting = opts.severity(rule);
    if (setting === "off") return;
    const where = opts.locate(path);
    diagnostics.push({
      rule: rule.id,
      severity: setting as Severity,
      messageId,
      message: formatMessage(rule.messages[messageId], data),
      data,
      cluster: opts.cluster,
      location: { file: where.file, line: where.line },
      path,
      definition: where,
      fingerprint: opts.fingerprint([rule.id, opts.cluster, path, messageId, data.rule]),
    });
  };
  waiversOf(opts.definition).forEach((w, i) => {
    const path = `policy.waivers[${i}]`;
    const rule = opts.rules.find((r) => r.id === w.rule);
    const data = { rule: w.rule, reason: JSON.stringify(w.reason), expires: w.expires, limit, nodes: (w.nodes ?? ["*"]).join(", ") };
    if (rule === undefined) return;
    if (!rule.waivable) return report(waiverInvalid, "not-waivable", `${path}.rule`, { ...data, why: rule.notWaivable ?? `see 'talc explain ${rule.id}'` });
    if (!realReason(w.reason)) return report(waiverInvalid, "no-reason", `${path}.reason`, data);
    const expires = dayNumber(w.expires);
    if (expires === undefined) return report(waiverInvalid, "bad-date", `${path}.expires`, data);
    if (expires > limitN) return report(waiverInvalid, "too-far", `${path}.expires`, data);
    if (todayN !== undefined && expires < todayN) return report(waiverExpired, "expired", `${path}.expires`, data);
    let matched = false;
    for (let k = 0; k < out.length; k++) {
      const f = findings[k];
      if (f.rule !== w.rule) continue;
      const nodes = nodesOf.get(f) ?? [];
      // an empty list never gets here: the definition schema refuses it rather than read it as every node
      const covered = w.nodes === undefined || nodes.every((n) => w.nodes!.some((g) => globMatch(g, n)));
      if (!covered) continue;
      matched = true;
      out[k].suppression ??= { reason: w.reason, expires: w.expires, source: path };
    }
    if (!matched) report(waiverUnmatched, "unmatched", path, data);
  });
  return [...out, ...diagnostics];
}
