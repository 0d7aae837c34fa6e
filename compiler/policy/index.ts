// The policy stage's public surface.

export { allRuleDocs, checkPolicy, FAIL_ON, failing, lintCluster, lintNodes, type CompiledClusterInput, type LintInput, type LintNode } from "./lint.ts";
export { RULES } from "./rules/index.ts";
export { WAIVER_RULES } from "./waivers.ts";
export { loadRepositorySettings, parseRepositorySettings, REPOSITORY_SETTINGS_FILE, type PolicySettings } from "./settings.ts";
export { RULE_DOCS } from "./references.ts";
export { PROFILES, SEVERITIES, type Finding, type Profile, type Role, type Rule, type RuleDocs, type Severity } from "./types.ts";
