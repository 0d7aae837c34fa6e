// What the apply step must do to go from the out/ that was applied last to
// the out/ of the current build: a list of talosctl commands in a safe order.
//
//   new cluster:  apply-config --insecure to every node (control planes
//                 first), then bootstrap on the first control plane;
//   otherwise:    1. upgrade nodes whose installer image changed, control
//                    planes one at a time, then workers (Talos before
//                    Kubernetes, and before configs only the new release reads);
//                 2. upgrade-k8s when the Kubernetes version changed (it rolls
//                    the control plane before the kubelets, which a config
//                    apply would not);
//                 3. apply-config to every node whose config changed, control
//                    planes one at a time, then workers;
//                 4. apply-config --insecure to new nodes (in maintenance mode);
//                 5. reset nodes that left the definition, workers first.
//
// A command reaches a machine where it answers when the command runs. Until
// its new config holds, that is where the user says it answers (`--reach`,
// for a new machine usually a DHCP address in maintenance mode), else for a
// node of the old out/ the static address its committed config gives it (a
// new address holds only once its new config is applied) and for a new node
// the address of its new config, as if it answered there already. Once its
// new config holds, a machine answers at the address that config gives it:
// bootstrap, after the first configs, goes there.
//
// Every command but apply-config --insecure (which dials the machine in
// maintenance mode itself) connects through the talosconfig's endpoints, the
// control planes' addresses in the current definition, any one that answers,
// and is relayed from there to its node. When none of them answers at that
// point of the plan (the control planes move, or answer elsewhere until their
// new configs are applied; an endpoint by name is taken to follow its
// machine), the command names its own machine with --endpoints, at the
// address --nodes gives; bootstrap always does.
//
// Pure: both sides are out/ file maps (paths relative to out/); nothing here
// reads a disk, runs git or contacts a cluster.

import { TalcError } from "../errors.ts";
import { addressKey } from "../talos/netip.ts";
import { parseConfig, type ConfigDocument } from "../load/config.ts";
import { closest } from "../suggest.ts";
import { legacyDevices } from "../validate/checks/legacy-network.ts";
import { LINK_KINDS } from "../validate/checks/unique-documents.ts";
import { describeDocument } from "../validate/documents.ts";
import { list, mapping, str } from "../value.ts";

/** What a step does. */
type PlanAction = "upgrade" | "upgrade-k8s" | "apply-config" | "bootstrap" | "reset";

/** One talosctl command and why it is needed. */
export interface PlanStep {
  action: PlanAction;
  /** The node the command acts on, when it acts on one. */
  node?: string;
  role?: "controlplane" | "worker";
  reason: string;
  /** The command line, as arguments (the first is `talosctl`). */
  command: string[];
  /** The address given with --reach that the command reaches the node at, when it does. */
  reach?: string;
  /** The endpoints the command connects through (`--endpoints`), when not the talosconfig's. */
  endpoints?: string[];
}

/** The plan of one cluster. */
interface Plan {
  cluster: string;
  /** Whether the cluster is not in the old out/ at all. */
  newCluster: boolean;
  steps: PlanStep[];
}

/** What a plan is made from. */
interface PlanInput {
  cluster: string;
  /** The out/ files last applied (relative to out/), or undefined when there were none. */
  previous: ReadonlyMap<string, string> | undefined;
  /** The out/ files of the current build (relative to out/). */
  current: ReadonlyMap<string, string>;
  /**
   * The address each node of the current build answers at once its config is
   * applied (the definition's, without the prefix), by hostname; otherwise
   * its config's first static address, else its hostname.
   */
  addresses?: ReadonlyMap<string, string>;
  /** Where `talc materialize` wrote the node configs. */
  configDir: string;
  /**
   * Where a machine answers until its new config holds, by hostname, as the user
   * knows it (`--reach`): a new machine's address in maintenance mode (usually
   * from DHCP), or a node's address when out/ does not tell it.
   */
  reach?: ReadonlyMap<string, string>;
  /**
   * The endpoints of the talosconfig the commands run with (`talc materialize`
   * writes the control planes' addresses); when given, a command run while none
   * of them answers connects to its machine directly instead.
   */
  endpoints?: readonly string[];
}

interface NodeState {
  hostname: string;
  role: "controlplane" | "worker";
  config: string;
  /** The config's path relative to out/, for errors. */
  file: string;
  installer?: string;
}

interface ClusterState {
  kubernetesVersion: string;
  talosVersion: string;
  nodes: NodeState[];
}

interface ManifestNode {
  hostname: string;
  role: "controlplane" | "worker";
  config?: string;
  installer?: string;
}

// The installer image a config installs and upgrades from.
function installerOf(config: readonly ConfigDocument[]): string | undefined {
  for (const doc of config) {
    if (doc.kind === "UnattendedInstallConfig") {
      const image = (doc.installer as { image?: unknown } | undefined)?.image;
      if (typeof image === "string" && image !== "") return image;
    }
    if (doc.kind === undefined) {
      const image = ((doc.machine as { install?: { image?: unknown } } | undefined)?.install)?.image;
      if (typeof image === "string" && image !== "") return image;
    }
  }
  return undefined;
}

// A node's config documents, parsed when first asked: most plans read few of them.
const parsed = new WeakMap<NodeState, ConfigDocument[]>();
function docsOf(n: NodeState): ConfigDocument[] {
  let docs = parsed.get(n);
  if (docs === undefined) parsed.set(n, (docs = n.config === "" ? [] : parseConfig(n.config, n.file)));
  return docs;
}

/** One static address a config gives a link, without its prefix. */
interface LinkAddress {
  link: string;
  address: string;
}

// The static addresses of a config in config order: those of its link documents (LinkConfig, BondConfig, …),
// then those of machine.network.interfaces and their VLANs in the v1alpha1 document, where releases before
// 1.12 put them.
function staticAddresses(config: readonly ConfigDocument[]): LinkAddress[] {
  const found: LinkAddress[] = [];
  const add = (link: string, address: string) => {
    if (address !== "") found.push({ link, address: addressKey(address.split("/")[0]) });
  };
  const docs = config.map(describeDocument);
  for (const doc of docs) {
    if (!LINK_KINDS.includes(doc.kind)) continue;
    for (const a of list(doc.data.addresses)) add(doc.name ?? "", str(mapping(a)?.address));
  }
  for (const { device, name, ignored } of legacyDevices({ legacy: docs.find((d) => d.kind === "v1alpha1") })) {
    if (ignored) continue;
    const legacy = (link: string, item: Record<string, unknown>) => [str(item.cidr), ...list(item.addresses).map(str)].forEach((a) => add(link, a));
    legacy(name, device);
    for (const v of list(device.vlans)) {
      const vlan = mapping(v);
      if (vlan !== undefined) legacy(`${name}.${String(vlan.vlanId ?? "")}`, vlan);
    }
  }
  return found;
}

function stateOf(files: ReadonlyMap<string, string>, cluster: string): ClusterState | undefined {
  const manifestText = files.get(`${cluster}/manifest.json`);
  if (manifestText === undefined) return undefined;
  const manifest = JSON.parse(manifestText) as { kubernetesVersion: string; talosVersion: string; nodes: ManifestNode[] };
  const nodes = manifest.nodes.map((n): NodeState => {
    const file = `${cluster}/${n.config ?? `nodes/${n.hostname}.yaml`}`;
    const node: NodeState = { hostname: n.hostname, role: n.role, config: files.get(file) ?? "", file };
    const installer = n.installer ?? (node.config === "" ? undefined : installerOf(docsOf(node)));
    if (installer !== undefined) node.installer = installer;
    return node;
  });
  return { kubernetesVersion: manifest.kubernetesVersion, talosVersion: manifest.talosVersion, nodes };
}

// Control planes first, then workers, each in definition order.
function byRole(nodes: readonly NodeState[]): NodeState[] {
  return [...nodes.filter((n) => n.role === "controlplane"), ...nodes.filter((n) => n.role === "worker")];
}

/** Where a machine answers at one point of the plan. */
interface Where {
  /** The address commands name, or the hostname when no address is known. */
  at: string;
  /** Why `at` is the hostname, for the steps' reasons; undefined when it is an address. */
  unknown?: string;
}

/** Where the commands for one node reach it while the plan runs. */
interface Reach {
  /** Until its new config holds (for a node that leaves, until it is reset). */
  before: Where;
  /** Once its new config holds. */
  after: Where;
  /** Whether `before` is the address the user gave with --reach. */
  given: boolean;
}

// Where a node answers. Until its new config holds: where the user says it answers now (--reach), else a node
// of the old out/ at an address its committed config gives it (the one it keeps, else the one on the link its
// new address is on, else the first) and a new node at its new address, as if maintenance mode had put it
// there already. Once its new config holds: at its new address, when known.
function reachOf(hostname: string, was: NodeState | undefined, now: NodeState | undefined, next: string | undefined, given: string | undefined): Reach {
  const byName = (unknown: string): Where => ({ at: hostname, unknown });
  const held = was === undefined ? [] : staticAddresses(docsOf(was));
  let before: Where;
  if (given !== undefined) before = { at: given };
  else if (was === undefined) before = next === undefined ? byName("no static address known") : { at: next };
  else if (held.length === 0) before = byName("no static address in the committed config");
  else if (next !== undefined && held.some((a) => a.address === next)) before = { at: next };
  else {
    const link = next === undefined || now === undefined ? undefined : staticAddresses(docsOf(now)).find((a) => a.address === next)?.link;
    before = { at: (held.find((a) => a.link === link) ?? held[0]).address };
  }
  // a new machine's first config that gives no address leaves it nowhere the plan knows; a kept one stays put
  const after = next !== undefined ? { at: next } : was === undefined ? byName("no static address known") : before;
  return { before, after, given: given !== undefined };
}

/** The talosctl steps that take the cluster from the previous out/ to the current one. */
export function planChanges(input: PlanInput): Plan {
  const { cluster, configDir } = input;
  const now = stateOf(input.current, cluster);
  if (now === undefined) throw new TalcError(`the current build has no ${cluster}/manifest.json`, { code: "plan-no-cluster", stage: "targets", path: cluster });
  const before = input.previous === undefined ? undefined : stateOf(input.previous, cluster);
  const old = new Map((before?.nodes ?? []).map((n) => [n.hostname, n]));
  const fresh = new Map(now.nodes.map((n) => [n.hostname, n]));
  const given = input.reach ?? new Map<string, string>();
  const hostnames = [...fresh.keys(), ...[...old.keys()].filter((h) => !fresh.has(h))];
  for (const hostname of given.keys()) {
    if (hostnames.includes(hostname)) continue;
    const guess = closest(hostname, hostnames);
    throw new TalcError(`no node named "${hostname}" in cluster ${cluster}; ${guess === undefined ? "" : `did you mean "${guess}"? `}its nodes are ${hostnames.join(", ") || "(none)"}`, {
      code: "plan-unknown-node",
      stage: "targets",
      path: "reach",
    });
  }
  const reaches = new Map<string, Reach>();
  const reach = (hostname: string): Reach => {
    let r = reaches.get(hostname);
    if (r === undefined) {
      const n = fresh.get(hostname);
      // Addresses are compared, and shown, in Go's form: the definition and --reach may write one longer.
      const canonical = (address: string | undefined) => (address === undefined ? undefined : addressKey(address));
      const next = n === undefined ? undefined : canonical(input.addresses?.get(hostname) ?? staticAddresses(docsOf(n))[0]?.address);
      reaches.set(hostname, (r = reachOf(hostname, old.get(hostname), n, next, canonical(given.get(hostname)))));
    }
    return r;
  };
  // Where commands run before the node's new config holds reach it, and where those after do.
  const target = (hostname: string) => reach(hostname).before.at;
  const targetAfter = (hostname: string) => reach(hostname).after.at;
  // A step's reason, and what it assumes about where the node answers.
  const why = (hostname: string, reason: string, where: Where = reach(hostname).before) =>
    where.unknown === undefined ? reason : `${reason}; ${where.unknown}, so talosctl must resolve the name ${hostname}`;
  // ... and, before the node's new config holds, where the user said it answers.
  const whyNow = (hostname: string, reason: string) => {
    const r = reach(hostname);
    return r.given ? `${reason}; at ${r.before.at}, where the machine answers now (--reach)` : why(hostname, reason);
  };
  // Once its new config holds, the machine answers elsewhere: the address, or undefined.
  const movesTo = (hostname: string) => {
    const { before: b, after: a } = reach(hostname);
    return a.unknown === undefined && a.at !== b.at ? a.at : undefined;
  };
  // The address given with --reach, on the steps that use it.
  const reachField = (hostname: string): { reach?: string } => (reach(hostname).given ? { reach: reach(hostname).before.at } : {});
  const file = (hostname: string) => `${configDir.replace(/\/+$/, "")}/${hostname}.yaml`;
  const apply = (n: NodeState, insecure: boolean, reason: string): PlanStep => ({
    action: "apply-config",
    node: n.hostname,
    role: n.role,
    reason,
    command: ["talosctl", "apply-config", ...(insecure ? ["--insecure"] : []), "--nodes", target(n.hostname), "--file", file(n.hostname)],
    ...reachField(n.hostname),
  });
  // A machine in maintenance mode has no config yet: it answers where the user says (--reach), else it is taken
  // to answer at the address its first one gives it.
  const applyFirst = (n: NodeState, reason: string) => {
    const r = reach(n.hostname);
    const moves = movesTo(n.hostname);
    if (r.given) return apply(n, true, `${reason}, at ${r.before.at} (--reach)${moves === undefined ? "" : `; from then on it answers at ${moves}`}`);
    return apply(n, true, r.before.unknown !== undefined ? why(n.hostname, reason) : `${reason}, assumed to answer at ${r.before.at} already (else pass --reach ${n.hostname}=<address>)`);
  };
  // Which machines answer where, as the steps so far leave them: a machine whose new config a step applied
  // answers where that config puts it, one that a step reset no longer answers. A machine that answers is
  // also taken to answer at its hostname, which the plan cannot resolve and assumes follows it. Counted, by
  // address (as addressKey gives it) and hostname, when a command first asks, then kept up to date step by
  // step: counting afresh for each command would take time in the square of the nodes.
  const applied = new Set<string>();
  const wiped = new Set<string>();
  const answers = (h: string) => !wiped.has(h) && (applied.has(h) || old.has(h));
  let counted: Map<string, number> | undefined;
  // adds (by 1) or takes away (by -1) a machine that answers, where it answers now
  const count = (h: string, by: number) => {
    for (const k of [addressKey(applied.has(h) ? reach(h).after.at : reach(h).before.at), h]) counted!.set(k, (counted!.get(k) ?? 0) + by);
  };
  const answering = () => {
    if (counted === undefined) {
      counted = new Map();
      for (const h of hostnames) if (answers(h)) count(h, 1);
    }
    return counted;
  };
  // A step, with --endpoints naming its own machine when the talosconfig's would leave it unreachable.
  const steps: PlanStep[] = [];
  const push = (step: PlanStep) => {
    const nodesAt = step.command.indexOf("--nodes");
    const secure = !step.command.includes("--insecure") && !step.command.includes("--endpoints") && nodesAt > 0;
    if (secure && input.endpoints !== undefined) {
      const up = answering();
      if (!input.endpoints.some((e) => (up.get(addressKey(e)) ?? 0) > 0)) {
        const at = step.command[nodesAt + 1];
        const none = input.endpoints.length === 0 ? "the talosconfig has no endpoints" : `none of the talosconfig's endpoints (${input.endpoints.join(", ")}) answers at this point`;
        step.command.splice(nodesAt + 2, 0, "--endpoints", at);
        step.reason += `; ${none}, so talosctl connects to the machine itself`;
      }
    }
    const e = step.command.indexOf("--endpoints");
    if (e > 0) step.endpoints = [step.command[e + 1]];
    steps.push(step);
    if (step.node === undefined || (step.action !== "apply-config" && step.action !== "reset")) return;
    if (counted !== undefined && answers(step.node)) count(step.node, -1);
    if (step.action === "apply-config") applied.add(step.node);
    if (step.action === "reset") wiped.add(step.node);
    if (counted !== undefined && answers(step.node)) count(step.node, 1);
  };
  const nodes = byRole(now.nodes);

  if (before === undefined) {
    for (const n of nodes) push(applyFirst(n, "new cluster: the machine waits in maintenance mode for its first config"));
    const cp = nodes.find((n) => n.role === "controlplane");
    if (cp !== undefined) {
      // after its first config, wherever the machine answered in maintenance mode
      const at = targetAfter(cp.hostname);
      push({
        action: "bootstrap",
        node: cp.hostname,
        role: "controlplane",
        reason: why(cp.hostname, "new cluster: start etcd on one control plane, once", reach(cp.hostname).after),
        command: ["talosctl", "bootstrap", "--nodes", at, "--endpoints", at],
      });
    }
    return { cluster, newCluster: true, steps };
  }

  const kept = nodes.filter((n) => old.has(n.hostname));
  for (const n of kept) {
    const was = old.get(n.hostname)!;
    if (n.installer !== undefined && n.installer !== was.installer) {
      push({
        action: "upgrade",
        node: n.hostname,
        role: n.role,
        reason: whyNow(n.hostname, `installer image ${was.installer ?? "(none)"} → ${n.installer}`),
        command: ["talosctl", "upgrade", "--nodes", target(n.hostname), "--image", n.installer],
        ...reachField(n.hostname),
      });
    }
  }
  if (now.kubernetesVersion !== before.kubernetesVersion) {
    // a control plane that runs now: a kept one, else one leaving the definition (it runs until its reset, the last step)
    const cp = kept.find((n) => n.role === "controlplane") ?? before.nodes.find((n) => n.role === "controlplane") ?? nodes.find((n) => n.role === "controlplane");
    const reason = `Kubernetes ${before.kubernetesVersion} → ${now.kubernetesVersion}`;
    push({
      action: "upgrade-k8s",
      ...(cp === undefined ? {} : { node: cp.hostname, role: "controlplane" as const }),
      reason: cp === undefined ? reason : whyNow(cp.hostname, reason),
      command: ["talosctl", "upgrade-k8s", ...(cp === undefined ? [] : ["--nodes", target(cp.hostname)]), "--to", now.kubernetesVersion],
      ...(cp === undefined ? {} : reachField(cp.hostname)),
    });
  }
  for (const n of kept) {
    if (n.config === old.get(n.hostname)!.config) continue;
    // the new address holds only once this config is applied: the steps before reach the machine where it is now
    const r = reach(n.hostname);
    const moves = movesTo(n.hostname);
    const here = r.before.unknown !== undefined || (moves === undefined && !r.given) ? "" : `; applied at ${r.before.at}, where the machine answers now${r.given ? " (--reach)" : ""}`;
    push(apply(n, false, why(n.hostname, "config changed") + here + (moves === undefined ? "" : `; from then on it answers at ${moves}`)));
  }
  for (const n of nodes) if (!old.has(n.hostname)) push(applyFirst(n, "new node: the machine waits in maintenance mode for its first config"));
  const current = new Set(nodes.map((n) => n.hostname));
  const gone = before.nodes.filter((n) => !current.has(n.hostname));
  for (const n of [...gone.filter((g) => g.role === "worker"), ...gone.filter((g) => g.role === "controlplane")]) {
    push({
      action: "reset",
      node: n.hostname,
      role: n.role,
      reason: whyNow(n.hostname, n.role === "controlplane" ? "removed from the definition: leave etcd and wipe the machine" : "removed from the definition: wipe the machine"),
      command: ["talosctl", "reset", "--nodes", target(n.hostname), "--graceful"],
      ...reachField(n.hostname),
    });
  }
  return { cluster, newCluster: false, steps };
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** A command as one shell line. */
export function commandLine(command: readonly string[]): string {
  return command.map(shellQuote).join(" ");
}

/** The plan as a shell script: a comment with each step's reason, then its command. */
export function formatPlanText(plan: Plan, opts: { since: string; talosconfig?: string }): string {
  const lines = [`# talc plan for cluster ${plan.cluster}, against out/ at ${opts.since}${plan.newCluster ? " (not there: a new cluster)" : ""}`];
  if (plan.steps.length === 0) return `${lines[0]}\n# nothing to apply\n`;
  if (opts.talosconfig !== undefined) lines.push(`export TALOSCONFIG=${shellQuote(opts.talosconfig)}`);
  for (const step of plan.steps) {
    lines.push(`# ${step.node === undefined ? "" : `${step.node}: `}${step.reason}`, commandLine(step.command));
  }
  return lines.join("\n") + "\n";
}

/** The plan as JSON, for machines. */
export function formatPlanJson(plan: Plan, opts: { since: string; talosconfig?: string }): string {
  return (
    JSON.stringify(
      {
        cluster: plan.cluster,
        since: opts.since,
        newCluster: plan.newCluster,
        ...(opts.talosconfig === undefined ? {} : { talosconfig: opts.talosconfig }),
        steps: plan.steps.map((s) => ({ ...s, line: commandLine(s.command) })),
      },
      null,
      2,
    ) + "\n"
  );
}
