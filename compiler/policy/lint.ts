// The policy stage's entry: a cluster's (or any config files') nodes in,
// located findings out. Rules only say what is wrong and where in a document;
// this runner picks the rules and their severity, adds the cluster, node,
// file, line and column, traces values back to the definition, and applies
// waivers.

import * as crypto from "node:crypto";
import type { ClusterDefinition } from "../define/definition.generated.ts";
import { encodeConfig } from "../emit/encode.ts";
import { TalcError } from "../errors.ts";
import type { ConfigDocument } from "../load/config.ts";
import { gates, type Contract } from "../talos/contract.ts";
import { parseKubernetesVersion } from "../talos/versions.ts";
import { describeDocument, docsByKind, machineTypeOf } from "../validate/documents.ts";
import type { Doc } from "../validate/types.ts";
import { at, isMapping, list, str } from "../value.ts";
import { componentSections, installerImages, installSections, parseImage } from "./find.ts";
import { definitionLocator, encodedLocator, yamlLocator, type DefinitionLocator, type YamlLocator } from "./locate.ts";
import { nodeDefinitionSource, nodePatchParts, perRun, perRunPair, runMap, withLintRun, type NodePatchParts } from "./provenance.ts";
import { RULES } from "./rules/index.ts";
import { checkSettings, definitionSettings, resolveSettings, type PolicySettings } from "./settings.ts";
import { type Finding, type NodeExtension, type Profile, type Role, type Rule, type RuleContext, type RuleDocs, type RuleReport, type Severity } from "./types.ts";
import { formatMessage } from "./util.ts";
import { applyWaivers, checkWaiverRules, WAIVER_RULES } from "./waivers.ts";

/** One node to lint: its config documents and where they are written. */
export interface LintNode {
  /** The hostname (for a config file: its file name). */
  hostname: string;
  /** The role; from `machine.type` when absent. */
  role?: Role;
  /** The file the config is in (out/<cluster>/nodes/<host>.yaml, or the --config file). */
  file: string;
  /** The file's text, for lines and columns; the encoded documents when absent. */
  text?: string;
  docs: readonly ConfigDocument[];
  /** The version contract; the input's when absent. */
  contract?: Contract;
  /** The exact Talos version, when known beyond the definition. */
  talosVersion?: string;
}

/** What to lint and how. */
export interface LintInput {
  /** The cluster's name, for a compiled cluster. */
  cluster?: string;
  definition?: ClusterDefinition;
  /** The cluster file, relative to the repository root. */
  definitionFile?: string;
  /** The cluster file's text, to locate definition paths by line. */
  definitionSource?: string;
  /** The version contract of every node that does not name its own. */
  contract?: Contract;
  nodes: readonly LintNode[];
  /** Settings of the repository (talc.config.json); the definition's own `policy` is read from the definition. */
  repository?: PolicySettings;
  /** A profile that overrides every other setting of it (the --profile flag). */
  profile?: Profile;
  /** False ignores every waiver (--no-waivers). */
  waivers?: boolean;
  /** Today as YYYY-MM-DD, for waiver expiry; the current UTC date when absent. */
  today?: string;
  /** The rules to run (all of them when absent). */
  rules?: readonly Rule[];
}

/** Every rule and waiver diagnostic, for documentation and reports. */
export function allRuleDocs(rules: readonly Rule[] = RULES): RuleDocs[] {
  return [...rules, ...WAIVER_RULES];
}

// Node 20.12 and later hash a string in one call, without a Hash object for each of a fleet's findings.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === "function" ? (text) => crypto.hash("sha256", text, "hex") : (text) => crypto.createHash("sha256").update(text).digest("hex");

function fingerprint(parts: ReadonlyArray<string | undefined>): string {
  return sha256Hex(parts.map((p) => p ?? "").join("\0")).slice(0, 32);
}

function roleOf(node: LintNode, docs: readonly Doc[]): Role {
  if (node.role !== undefined) return node.role;
  const type = machineTypeOf(docs.find((d) => d.kind === "v1alpha1"));
  return type === "controlplane" || type === "init" ? "controlplane" : "worker";
}

// A document as rules see it. The nodes of a role share most of their documents (the same objects):
// each is described once per lint run and place in the config, so that what the helpers of find.ts
// work out of a document (perRun) is worked out once for all those nodes.
function describeShared(doc: ConfigDocument, index: number): Doc {
  const byDocument = runMap<ConfigDocument, Doc>(describeShared);
  const known = byDocument.get(doc);
  if (known !== undefined && known.index === index) return known;
  const described = describeDocument(doc, index);
  if (known === undefined) byDocument.set(doc, described);
  return described;
}

// An exact version from an image tag such as v1.13.9 or v1.36.3, without a leading v.
function tagVersion(image: string | undefined): string | undefined {
  if (image === undefined) return undefined;
  const tag = parseImage(image).tag;
  if (tag === undefined) return undefined;
  try {
    return parseKubernetesVersion(tag).version;
  } catch {
    return undefined;
  }
}

// The extensions an install section names that are not in `seen` yet. (A module function, not a closure
// per node: tsx names each closure it creates.)
function addExtensions(out: NodeExtension[], seen: Set<string>, install: Record<string, unknown>, base: string): void {
  list(install.extensions).forEach((name, i) => {
    if (typeof name !== "string" || seen.has(name)) return;
    seen.add(name);
    out.push({ name, definitionPath: `${base}.extensions[${i}]` });
  });
}

// The extensions the node's image carries, as the definition names them, from the general to the specific layer.
function nodeExtensions(def: ClusterDefinition | undefined, node: RuleContext["node"], role: Role, legacy: Doc | undefined): readonly NodeExtension[] {
  const named = definitionExtensions(def, node, role);
  const listed = legacy === undefined ? [] : perRun(legacyExtensions, legacy);
  return listed.length === 0 ? named : named.length === 0 ? listed : [...named, ...listed];
}

// The extensions the definition names for a node: the same for every node of a role without install
// settings of its own, so those are worked out once per lint run.
function definitionExtensions(def: ClusterDefinition | undefined, node: RuleContext["node"], role: Role): readonly NodeExtension[] {
  if (node !== undefined && def !== undefined && isMapping(node.spec.install)) return findDefinitionExtensions(def, node, role);
  return perRunPair(definitionExtensions, def, role, () => findDefinitionExtensions(def, undefined, role));
}

function findDefinitionExtensions(def: ClusterDefinition | undefined, node: RuleContext["node"], role: Role): NodeExtension[] {
  const out: NodeExtension[] = [];
  const seen = new Set<string>();
  for (const [install, base] of installSections(def, role, node)) addExtensions(out, seen, install, base);
  return out;
}

// The images machine.install.extensions lists (ignored since Talos 1.10, and reported).
function legacyExtensions(legacy: Doc): NodeExtension[] {
  const out: NodeExtension[] = [];
  list(at(legacy.data, "machine.install.extensions")).forEach((e, i) => {
    const image = str(at(e, "image"));
    if (image !== "") out.push({ name: image, doc: legacy, path: `machine.install.extensions[${i}].image` });
  });
  return out;
}

/** A compiled cluster as the pipeline has it: the loaded definition and each node's final documents. */
export interface CompiledClusterInput {
  definition: ClusterDefinition;
  contract: Contract;
  /** The cluster file, relative to the repository root. */
  file: string;
  /** The cluster file's text, for definition lines. */
  source?: string;
  nodes: ReadonlyArray<{ hostname: string; role: Role; config: readonly ConfigDocument[] }>;
  /** The out/ file map, to take each node file's exact bytes from (encoded anew when absent). */
  files?: ReadonlyMap<string, string>;
}

/** Lints a compiled cluster: its nodes as written to out/<cluster>/nodes/<host>.yaml. */
export function lintCluster(cluster: CompiledClusterInput, opts: Pick<LintInput, "repository" | "profile" | "waivers" | "today" | "rules"> = {}): Finding[] {
  const name = cluster.definition.name;
  return lintNodes({
    ...opts,
    cluster: name,
    definition: cluster.definition,
    definitionFile: cluster.file,
    definitionSource: cluster.source,
    contract: cluster.contract,
    nodes: cluster.nodes.map((n) => ({
      hostname: n.hostname,
      role: n.role,
      file: `out/${name}/nodes/${n.hostname}.yaml`,
      text: cluster.files?.get(`${name}/nodes/${n.hostname}.yaml`),
      docs: n.config,
    })),
  });
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Checks the definition's policy settings and waivers against the rules; bad input throws a TalcError. */
function checkPolicy(def: ClusterDefinition | undefined, file: string | undefined, rules: readonly Rule[]): void {
  const docs = allRuleDocs(rules);
  checkSettings(definitionSettings(def), docs, file, "policy");
  checkWaiverRules(def, file, docs);
}

/** Lints the nodes of one cluster (or a set of config files): every finding, waived ones marked. */
export function lintNodes(input: LintInput): Finding[] {
  // every node's rules trace values to the same definition: its layers are planned once
  return withLintRun(() => lintNodesOnce(input));
}

function lintNodesOnce(input: LintInput): Finding[] {
  const rules = input.rules ?? RULES;
  const def = input.definition;
  const defFile = input.definitionFile;
  checkPolicy(def, defFile, rules);
  const settings = resolveSettings([input.repository, definitionSettings(def)], input.profile);
  // the rules that are on, with their severity: the same for every node
  const active = rules.map((rule) => [rule, settings.severity(rule)] as const).filter(([, setting]) => setting !== "off");
  // the definition's lines are scanned on the first finding that needs one (many runs have none)
  let defLines: DefinitionLocator | undefined;
  const defLocation = (path: string): Finding["definition"] => {
    if (defFile === undefined) return undefined;
    if (defLines === undefined && input.definitionSource !== undefined) defLines = definitionLocator(input.definitionSource);
    return { file: defFile, path, line: defLines?.line(path) };
  };

  const described = input.nodes.map((n) => n.docs.map(describeShared));
  const roles = input.nodes.map((n, i) => roleOf(n, described[i]));
  const clusterHasWorkers = def !== undefined ? def.nodes.some((n) => n.role === "worker") : roles.includes("worker");
  // each hostname's first node in the definition
  const nodeIndex = new Map<string, number>();
  if (def !== undefined) for (let i = 0; i < def.nodes.length; i++) if (!nodeIndex.has(def.nodes[i].hostname)) nodeIndex.set(def.nodes[i].hostname, i);

  // findings located in the definition only are about the cluster: one per place, whichever nodes led to it
  const findings: Finding[] = [];
  const byPlace = new Map<string, { finding: Finding; nodes: string[] }>();
  const nodesOf = new Map<Finding, string[]>();

  input.nodes.forEach((node, n) => {
    const docs = described[n];
    const role = roles[n];
    const contract = node.contract ?? input.contract;
    if (contract === undefined) throw new TalcError("no version contract for the config", { code: "no-contract", stage: "policy", file: node.file });
    const index = def === undefined ? undefined : nodeIndex.get(node.hostname);
    const nodeSpec = index === undefined ? undefined : { index, spec: def!.nodes[index] };
    const byKind = docsByKind(docs);
    const legacy = byKind.get("v1alpha1")?.[0];
    const text = node.text ?? encodeConfig(node.docs, contract);
    let locator: YamlLocator | undefined;
    // Tracing a finding to its definition patch needs the node's layers: worked out only for a node with findings.
    let layered: NodePatchParts | undefined;
    const extensions = nodeExtensions(def, nodeSpec, role, legacy);

    // One context for all the node's rules: what they see is the node's; each rule's reports are taken before the next runs.
    // (methods rather than arrow properties: tsx names every arrow function it creates, which is not free per node)
    const reports: RuleReport[] = [];
    const ctx: RuleContext = {
      contract,
      gates: gates(contract),
      role,
      profile: settings.profile,
      docs,
      legacy,
      ofKind(kind) {
        return byKind.get(kind) ?? [];
      },
      talosVersion: node.talosVersion ?? def?.talosVersion,
      kubernetesVersion: def?.kubernetesVersion,
      definition: def,
      node: nodeSpec,
      extensions,
      allowedExtensions: settings.allowExtensions,
      clusterHasWorkers,
      report(r) {
        reports.push(r);
      },
    };
    // A config without a definition says its versions only in its images.
    if (ctx.talosVersion === undefined) {
      const installerVersion = tagVersion(installerImages(ctx)[0]?.value);
      if (installerVersion !== undefined) ctx.talosVersion = `v${installerVersion}`;
    }
    if (ctx.kubernetesVersion === undefined) {
      const kubeletImage = componentSections(ctx, "kubelet").map((s) => str(s.value.image)).find((image) => image !== "");
      ctx.kubernetesVersion = tagVersion(kubeletImage);
    }

    // (an index loop: in code not yet optimized, for-of and array destructuring allocate per rule and node)
    for (let r = 0; r < active.length; r++) {
      const rule = active[r][0];
      const setting = active[r][1];
      if (rule.contracts !== undefined && !rule.contracts.includes(contract)) continue;
      if (rule.roles !== undefined && !rule.roles.includes(role)) continue;
      reports.length = 0;
      rule.check(ctx);
      for (const r of reports) {
        const template = rule.messages[r.messageId];
        if (template === undefined) throw new Error(`rule ${rule.id} reported unknown messageId "${r.messageId}"`);
        const data = r.data ?? {};
        // What every finding of this report carries, wherever it is placed.
        const common = {
          rule: rule.id,
          severity: setting as Severity,
          messageId: r.messageId,
          message: formatMessage(template, data),
          data,
          cluster: input.cluster,
          node: node.hostname,
        };
        if (r.doc === undefined) {
          const path = r.definitionPath ?? "";
          const key = [rule.id, r.messageId, path, JSON.stringify(data)].join("\0");
          const seen = byPlace.get(key);
          if (seen !== undefined) {
            seen.nodes.push(node.hostname);
            continue;
          }
          const where = defLocation(path);
          const finding: Finding = {
            ...common,
            location: where === undefined ? { file: node.file } : { file: where.file, line: where.line },
            path,
            definition: where,
            fingerprint: fingerprint([rule.id, input.cluster, path, r.messageId, JSON.stringify(data)]),
          };
          byPlace.set(key, { finding, nodes: [node.hostname] });
          findings.push(finding);
          continue;
        }
        const path = r.path ?? "";
        // talc's own output is located from how it was written; anything else is read
        locator ??= encodedLocator(text, node.docs, contract) ?? yamlLocator(text);
        const pos = locator.find(r.doc.index, path);
        let source = r.definitionPath;
        if (source === undefined && nodeSpec !== undefined) {
          layered ??= nodePatchParts(def!, contract, nodeSpec.index);
          source = nodeDefinitionSource(layered, r.doc.kind, r.doc.name, path);
        }
        const finding: Finding = {
          ...common,
          location: { file: node.file, line: pos?.line, column: pos?.column },
          document: r.doc.label,
          path,
          definition: source === undefined ? undefined : defLocation(source),
          fingerprint: fingerprint([rule.id, input.cluster, node.hostname, r.doc.label, path, r.messageId, JSON.stringify(data)]),
        };
        nodesOf.set(finding, [node.hostname]);
        findings.push(finding);
      }
    }
  });

  // a cluster-level finding names a node only when one node led to it
  for (const { finding, nodes } of byPlace.values()) {
    nodesOf.set(finding, nodes);
    if (nodes.length > 1) delete finding.node;
  }

  if (input.waivers === false || def === undefined) return findings;
  return applyWaivers(findings, nodesOf, {
    definition: def,
    rules: allRuleDocs(rules),
    today: input.today ?? today(),
    cluster: input.cluster,
    severity: (rule) => settings.severity(rule),
    locate: (path) => defLocation(path) ?? { file: input.nodes[0]?.file ?? "", path },
    fingerprint,
  });
}
