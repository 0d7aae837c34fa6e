// The vocabulary of the policy stage: rules, what a rule sees, what it
// reports, and the findings the runner makes of those reports.

import type { ClusterDefinition, Node as DefinitionNode } from "../define/definition.generated.ts";
import type { Contract, ContractGates } from "../talos/contract.ts";
import type { Doc } from "../validate/types.ts";

/** How much a finding matters. */
export type Severity = "error" | "warning" | "info";

/** Severities, most severe first. */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** The --fail-on thresholds: a severity, or never. */
export const FAIL_ON = ["error", "warning", "info", "never"] as const;

/** Whether any unwaived finding is at least as severe as `failOn` (what makes lint and build exit 1). */
export function failing(findings: readonly Finding[], failOn: (typeof FAIL_ON)[number] = "error"): boolean {
  if (failOn === "never") return false;
  const limit = SEVERITIES.indexOf(failOn);
  return findings.some((f) => f.suppression === undefined && SEVERITIES.indexOf(f.severity) <= limit);
}

/** A rule's setting: a severity, or off. */
export type RuleSetting = Severity | "off";

/** A named set of rule severities. */
export type Profile = "recommended" | "strict";

/** The profiles, the default first. */
export const PROFILES: readonly Profile[] = ["recommended", "strict"];

/** A machine role. */
export type Role = "controlplane" | "worker";

/** A link to further reading. */
export interface Reference {
  title: string;
  url: string;
}

/**
 * A good or bad example of a rule: a strategic patch (YAML, one or more
 * documents) on top of the base config Talos generates for the contract and
 * role, and/or parts of a cluster definition.
 */
export interface Example {
  /** What the example shows, one line. */
  title: string;
  /** The version contract (default 1.13). */
  contract?: Contract;
  /** The machine role (default controlplane). */
  role?: Role;
  /** A strategic merge patch in YAML, applied to the generated base config. */
  patch?: string;
  /** Fields of the cluster definition, merged over a minimal valid definition. */
  definition?: Partial<ClusterDefinition>;
}

/** Why the secret-leak rules cannot be waived (their `notWaivable`). */
export const SECRET_LEAK = "it guards against leaking secrets, and a leaked secret cannot be taken back";

/** A rule's documentation: everything `talc explain` prints. */
export interface RuleDocs {
  /** Stable kebab-case id, also the file name under rules/. */
  id: string;
  /** One line: what the rule wants. */
  title: string;
  /** Why it matters, in a few sentences. */
  rationale: string;
  /** What to change to satisfy it. */
  remediation: string;
  /** The severity in each profile. */
  severity: { recommended: RuleSetting; strict: RuleSetting };
  /** Topics, such as security or supply-chain. */
  tags: readonly string[];
  /** Talos documentation, CIS benchmark items and the like. */
  references: readonly Reference[];
  /** The version contracts the rule applies to; all when absent. */
  contracts?: readonly Contract[];
  /** The roles the rule applies to; all when absent. */
  roles?: readonly Role[];
  /** Whether a waiver may silence it; secret leaks may not be waived. */
  waivable: boolean;
  /** Why not, when it is not waivable: the clause after "cannot be waived: " in the waiver's error. */
  notWaivable?: string;
  /** Settings cannot turn it off or change its severity (the secret-leak rules). */
  locked?: boolean;
  /** The message of each messageId; `{name}` is replaced by `data.name`. */
  messages: Readonly<Record<string, string>>;
  /** A GitHub security-severity (0.1–10) when the default by severity does not fit. */
  securitySeverity?: number;
  examples: { good: readonly Example[]; bad: readonly Example[] };
}

/** A rule: its documentation and its check. */
export interface Rule extends RuleDocs {
  check(ctx: RuleContext): void;
}

/** What a rule reports: where, and which message with which values. */
export interface RuleReport {
  /**
   * The document the path is in; without one, the path is a path in the
   * cluster definition (`definitionPath` is then required).
   */
  doc?: Doc;
  /** The config path inside `doc` (`machine.install.image`, `extraArgs["anonymous-auth"]`). */
  path?: string;
  messageId: string;
  data?: Readonly<Record<string, string | number>>;
  /** The definition path the value comes from, when the rule knows it (or when there is no document). */
  definitionPath?: string;
}

/** One system extension a node runs, and where it is named. */
export interface NodeExtension {
  /** The schematic name ("siderolabs/iscsi-tools") or the image reference as written. */
  name: string;
  /** Where it is named in the definition, e.g. `install.extensions[0]`. */
  definitionPath?: string;
  /** Where it is named in the config, for `machine.install.extensions`. */
  doc?: Doc;
  path?: string;
}

/** Everything a rule sees of one node. */
export interface RuleContext {
  contract: Contract;
  gates: ContractGates;
  role: Role;
  profile: Profile;
  /** The node's documents, in config order. */
  docs: readonly Doc[];
  /** The v1alpha1 document. */
  legacy?: Doc;
  /** The documents of a kind, in config order. */
  ofKind(kind: string): Doc[];
  /** The exact Talos version when known (the definition's, the flag's, or the installer tag's). */
  talosVersion?: string;
  /** The exact Kubernetes version when known (the definition's, else the kubelet image tag). */
  kubernetesVersion?: string;
  /** The cluster definition, for a compiled cluster. */
  definition?: ClusterDefinition;
  /** The node in the definition and its index in `nodes`. */
  node?: { index: number; spec: DefinitionNode };
  /** The system extensions the node's image carries, from the definition (and legacy machine.install.extensions). */
  extensions: readonly NodeExtension[];
  /** Extension names allowed besides the official catalogue. */
  allowedExtensions: readonly string[];
  /** Whether the cluster has worker nodes; undefined when unknown. */
  clusterHasWorkers?: boolean;
  report(r: RuleReport): void;
}

/** A waiver as the definition states it. */
export interface Waiver {
  rule: string;
  nodes?: string[];
  reason: string;
  expires: string;
}

/** A waiver that silenced a finding. */
export interface Suppression {
  reason: string;
  expires: string;
  /** The definition path of the waiver, e.g. `policy.waivers[0]`. */
  source: string;
}

/** A place in a file. */
export interface Location {
  /** Relative to the repository root (or as given on the command line). */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

/** One finding, located and ready to report. */
export interface Finding {
  rule: string;
  severity: Severity;
  messageId: string;
  message: string;
  data: Readonly<Record<string, string | number>>;
  /** The cluster, for a compiled cluster. */
  cluster?: string;
  /** The node's hostname; absent for a finding about the whole cluster. */
  node?: string;
  /** The primary location: the node's config file, else the definition. */
  location: Location;
  /** The document label ("v1alpha1", "KubeletConfig", "LinkConfig/eth0") when the finding is in a config. */
  document?: string;
  /** The config path, or the definition path when there is no document. */
  path: string;
  /** Where in the definition the value comes from, when known. */
  definition?: Location & { path: string };
  /** Set when a waiver silenced the finding. */
  suppression?: Suppression;
  /** A stable hash of what the finding is about, independent of line numbers. */
  fingerprint: string;
}
