// Runs a rule on an example: the base config Talos generates for the
// contract and role, with the example's patch applied, linted alone or with
// the example's definition. Rule examples and the per-rule cases in this
// folder both run through here.

import type { ClusterDefinition } from "../../compiler/define/definition.generated.ts";
import { generateConfig } from "../../compiler/generate/generate.ts";
import type { ConfigDocument } from "../../compiler/load/config.ts";
import { applyPatches, parsePatch } from "../../compiler/patch/index.ts";
import { lintNodes, type LintInput } from "../../compiler/policy/lint.ts";
import { RULES } from "../../compiler/policy/rules/index.ts";
import type { PolicySettings } from "../../compiler/policy/settings.ts";
import type { Example, Finding, Profile, Role, Rule } from "../../compiler/policy/types.ts";
import { REDACTED_BUNDLE } from "../../compiler/secrets/redact.ts";
import { parseContract, type Contract } from "../../compiler/talos/contract.ts";
import { RELEASES } from "../../compiler/talos/versions.ts";

/** The fixed date tests of waiver dates lint on. Examples are linted on the real date, from which the waiver examples count. */
export const TODAY = "2026-03-01";

/** One case of a rule: an example plus what it must give. */
export interface RuleCase extends Example {
  /** good: no finding of the rule; bad: at least one (unwaived). */
  expect: "good" | "bad";
  /** For bad cases: the messageId every finding must have. */
  messageId?: string;
  profile?: Profile;
  repository?: PolicySettings;
}

/** A minimal valid definition for a contract: one control plane, one worker. */
export function baseDefinition(contract: Contract): ClusterDefinition {
  const release = RELEASES[contract];
  return {
    name: "example",
    talosVersion: release.talosVersion,
    kubernetesVersion: release.defaultKubernetesVersion,
    endpoint: "https://10.0.0.1:6443",
    nodes: [
      { hostname: "cp-1", role: "controlplane" },
      { hostname: "w-1", role: "worker" },
    ],
  };
}

const baseCache = new Map<string, ConfigDocument[]>();

/** The base config of a contract and role (cached: generation is the slow part). */
export function baseConfig(contract: Contract, role: Role, kubernetesVersion = RELEASES[contract].defaultKubernetesVersion): ConfigDocument[] {
  const key = `${contract}/${role}/${kubernetesVersion}`;
  let docs = baseCache.get(key);
  if (docs === undefined) {
    docs = generateConfig({ clusterName: "example", endpoint: "https://10.0.0.1:6443", kubernetesVersion, contract, secrets: REDACTED_BUNDLE }, role);
    baseCache.set(key, docs);
  }
  return docs;
}

/** The lint input of an example. */
export function exampleInput(example: Example & { profile?: Profile; repository?: PolicySettings }, rules: readonly Rule[]): LintInput {
  const contract = example.contract ?? (example.definition?.talosVersion !== undefined ? tryContract(example.definition.talosVersion) : undefined) ?? "1.13";
  const role = example.role ?? "controlplane";
  const definition = example.definition === undefined ? undefined : { ...baseDefinition(contract), ...example.definition };
  const hostname = definition?.nodes.find((n) => n.role === role)?.hostname ?? (role === "controlplane" ? "cp-1" : "w-1");
  let docs = baseConfig(contract, role, definition?.kubernetesVersion ?? RELEASES[contract].defaultKubernetesVersion);
  if (example.patch !== undefined) docs = applyPatches(docs, [parsePatch(example.patch, "example", { contract })], { contract });
  return {
    cluster: definition === undefined ? undefined : "example",
    definition,
    definitionFile: definition === undefined ? undefined : "clusters/example.ts",
    contract,
    nodes: [{ hostname, role, file: definition === undefined ? "example.yaml" : `out/example/nodes/${hostname}.yaml`, docs }],
    profile: example.profile,
    repository: example.repository,
    rules,
  };
}

function tryContract(version: string): Contract | undefined {
  try {
    return parseContract(version);
  } catch {
    return undefined;
  }
}

/** The findings of one rule (or waiver diagnostic) on an example. */
export function runExample(ruleId: string, example: Example & { profile?: Profile; repository?: PolicySettings }): Finding[] {
  const rule = RULES.find((r) => r.id === ruleId);
  // waiver diagnostics need every rule, so the waived rule runs too
  const rules = rule === undefined ? RULES : [rule];
  return lintNodes(exampleInput(example, rules)).filter((f) => f.rule === ruleId && f.suppression === undefined);
}
