// Policy settings: which profile, and each rule's severity or "off". They
// come from three places, general to specific: the profile's defaults, the
// repository's talc.config.json, and the cluster definition's `policy`; a
// command-line --profile overrides the profile everywhere.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ClusterDefinition } from "../define/definition.generated.ts";
import { TalcError } from "../errors.ts";
import { isMapping } from "../value.ts";
import { closest, unknownRuleMessage } from "./util.ts";
import { PROFILES, SEVERITIES, type Profile, type RuleDocs, type RuleSetting } from "./types.ts";

/** The repository settings file, at the repository root. */
export const REPOSITORY_SETTINGS_FILE = "talc.config.json";

/** Policy settings of a repository or a cluster. */
export interface PolicySettings {
  profile?: Profile;
  /** Severity per rule id, or off. */
  rules?: Readonly<Record<string, RuleSetting>>;
  /** Extension names or image repositories allowed besides the official catalogue. */
  allowExtensions?: readonly string[];
}

/** What the runner needs to decide a rule's severity. */
export interface ResolvedSettings {
  profile: Profile;
  /** The effective setting of every rule. */
  severity(rule: RuleDocs): RuleSetting;
  allowExtensions: readonly string[];
}

const SETTINGS = [...SEVERITIES, "off"] as readonly string[];

function bad(message: string, file: string | undefined, path: string): TalcError {
  return new TalcError(message, { code: "bad-policy-settings", stage: "policy", file, path });
}

/**
 * Checks policy settings against the known rules: an unknown rule id (with
 * the closest known one), an unknown severity, or a rule that cannot be
 * changed (a secret leak) is bad input.
 */
export function checkSettings(settings: PolicySettings | undefined, rules: readonly RuleDocs[], file: string | undefined, base: string): void {
  if (settings === undefined) return;
  const problems: TalcError[] = [];
  if (settings.profile !== undefined && !(PROFILES as readonly string[]).includes(settings.profile)) {
    problems.push(bad(`unknown profile ${JSON.stringify(settings.profile)}; expected ${PROFILES.join(" or ")}`, file, `${base}.profile`));
  }
  const ids = rules.map((r) => r.id);
  for (const [id, value] of Object.entries(settings.rules ?? {})) {
    const path = `${base}.rules[${JSON.stringify(id)}]`;
    const rule = rules.find((r) => r.id === id);
    if (rule === undefined) {
      problems.push(bad(unknownRuleMessage(id, ids), file, path));
    } else if (!SETTINGS.includes(value)) {
      problems.push(bad(`${JSON.stringify(value)} is not a rule setting; expected ${SETTINGS.join(", ")}`, file, path));
    } else if (rule.locked === true) {
      problems.push(bad(`rule "${id}" guards against leaking secrets and cannot be turned off or changed`, file, path));
    }
  }
  for (const [i, name] of (settings.allowExtensions ?? []).entries()) {
    if (typeof name !== "string" || name.trim() === "") problems.push(bad("an allowed extension is a non-empty name or image repository", file, `${base}.allowExtensions[${i}]`));
  }
  if (problems.length > 0) throw TalcError.many(problems);
}

/** The policy settings a definition states (`policy.profile`, `policy.rules`, `policy.allowExtensions`). */
export function definitionSettings(def: ClusterDefinition | undefined): PolicySettings | undefined {
  const policy = def?.policy as (PolicySettings & { waivers?: unknown }) | undefined;
  if (policy === undefined) return undefined;
  return { profile: policy.profile, rules: policy.rules as PolicySettings["rules"], allowExtensions: policy.allowExtensions };
}

/** Combines the layers of settings; later layers win, allow-lists add up. */
export function resolveSettings(layers: ReadonlyArray<PolicySettings | undefined>, profileOverride?: Profile): ResolvedSettings {
  let profile: Profile = "recommended";
  const overrides = new Map<string, RuleSetting>();
  const allow: string[] = [];
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer.profile !== undefined) profile = layer.profile;
    for (const [id, value] of Object.entries(layer.rules ?? {})) overrides.set(id, value);
    for (const name of layer.allowExtensions ?? []) if (!allow.includes(name)) allow.push(name);
  }
  if (profileOverride !== undefined) profile = profileOverride;
  return {
    profile,
    severity: (rule) => (rule.locked === true ? undefined : overrides.get(rule.id)) ?? rule.severity[profile],
    allowExtensions: allow,
  };
}

/**
 * Parses a repository settings file: `{"policy": {"profile", "rules",
 * "allowExtensions"}}`. Unknown fields are errors, so a typo is not silently
 * ignored.
 */
export function parseRepositorySettings(text: string, file: string, rules: readonly RuleDocs[]): PolicySettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad(`not valid JSON: ${(e as Error).message.toLowerCase()}`, file, "");
  }
  if (!isMapping(raw)) throw bad('expected an object such as {"policy": {"profile": "strict"}}', file, "");
  for (const key of Object.keys(raw)) {
    if (key !== "policy" && key !== "$schema") throw bad(`unknown field "${key}"; the file takes: policy`, file, key);
  }
  const policy = raw.policy ?? {};
  if (!isMapping(policy)) throw bad("expected an object", file, "policy");
  const known = ["profile", "rules", "allowExtensions"];
  for (const key of Object.keys(policy)) {
    if (!known.includes(key)) {
      const guess = closest(key, known);
      throw bad(`unknown field "${key}"; ${guess === undefined ? "" : `did you mean "${guess}"? `}policy takes: ${known.join(", ")}`, file, `policy.${key}`);
    }
  }
  if (policy.rules !== undefined && !isMapping(policy.rules)) throw bad('expected an object of rule id → "error", "warning", "info" or "off"', file, "policy.rules");
  if (policy.allowExtensions !== undefined && !Array.isArray(policy.allowExtensions)) throw bad("expected a list of extension names", file, "policy.allowExtensions");
  const settings: PolicySettings = {
    profile: policy.profile as Profile | undefined,
    rules: policy.rules as Record<string, RuleSetting> | undefined,
    allowExtensions: policy.allowExtensions as string[] | undefined,
  };
  checkSettings(settings, rules, file, "policy");
  return settings;
}

/** Reads the repository settings file at `root`, if there is one. */
export async function loadRepositorySettings(root: string, rules: readonly RuleDocs[]): Promise<PolicySettings | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, REPOSITORY_SETTINGS_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw bad(`cannot read the settings (${(e as NodeJS.ErrnoException).code ?? "error"})`, REPOSITORY_SETTINGS_FILE, "");
  }
  return parseRepositorySettings(text, REPOSITORY_SETTINGS_FILE, rules);
}
