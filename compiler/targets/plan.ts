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
// Pure: both sides are out/ file maps (paths relative to out/); nothing here
// reads a disk, runs git or contacts a cluster.

import { TalcError } from "../errors.ts";
import { parseConfig, type ConfigDocument } from "../load/config.ts";

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
  /** How talosctl reaches each node (an address), by hostname; the hostname itself otherwise. */
  addresses?: ReadonlyMap<string, string>;
  /** Where `talc materialize` wrote the node configs. */
  configDir: string;
}

interface NodeState {
  hostname: string;
  role: "controlplane" | "worker";
  config: string;
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

function stateOf(files: ReadonlyMap<string, string>, cluster: string): ClusterState | undefined {
  const manifestText = files.get(`${cluster}/manifest.json`);
  if (manifestText === undefined) return undefined;
  const manifest = JSON.parse(manifestText) as { kubernetesVersion: string; talosVersion: string; nodes: ManifestNode[] };
  const nodes = manifest.nodes.map((n): NodeState => {
    const rel = `${cluster}/${n.config ?? `nodes/${n.hostname}.yaml`}`;
    const config = files.get(rel) ?? "";
    const installer = n.installer ?? (config === "" ? undefined : installerOf(parseConfig(config, rel)));
    return { hostname: n.hostname, role: n.role, config, ...(installer === undefined ? {} : { installer }) };
  });
  return { kubernetesVersion: manifest.kubernetesVersion, talosVersion: manifest.talosVersion, nodes };
}

// Control planes first, then workers, each in definition order.
function byRole(nodes: readonly NodeState[]): NodeState[] {
  return [...nodes.filter((n) => n.role === "controlplane"), ...nodes.filter((n) => n.role === "worker")];
}

/** The talosctl steps that take the cluster from the previous out/ to the current one. */
export function planChanges(input: PlanInput): Plan {
  const { cluster, configDir } = input;
  const now = stateOf(input.current, cluster);
  if (now === undefined) throw new TalcError(`the current build has no ${cluster}/manifest.json`, { code: "plan-no-cluster", stage: "targets", path: cluster });
  const before = input.previous === undefined ? undefined : stateOf(input.previous, cluster);
  const target = (hostname: string) => input.addresses?.get(hostname) ?? hostname;
  const file = (hostname: string) => `${configDir.replace(/\/+$/, "")}/${hostname}.yaml`;
  const apply = (n: NodeState, insecure: boolean, reason: string): PlanStep => ({
    action: "apply-config",
    node: n.hostname,
    role: n.role,
    reason,
    command: ["talosctl", "apply-config", ...(insecure ? ["--insecure"] : []), "--nodes", target(n.hostname), "--file", file(n.hostname)],
  });
  const steps: PlanStep[] = [];
  const nodes = byRole(now.nodes);

  if (before === undefined) {
    for (const n of nodes) steps.push(apply(n, true, "new cluster: the machine waits in maintenance mode for its first config"));
    const first = nodes.find((n) => n.role === "controlplane");
    if (first !== undefined) {
      steps.push({
        action: "bootstrap",
        node: first.hostname,
        role: "controlplane",
        reason: "new cluster: start etcd on one control plane, once",
        command: ["talosctl", "bootstrap", "--nodes", target(first.hostname), "--endpoints", target(first.hostname)],
      });
    }
    return { cluster, newCluster: true, steps };
  }

  const old = new Map(before.nodes.map((n) => [n.hostname, n]));
  const kept = nodes.filter((n) => old.has(n.hostname));
  for (const n of kept) {
    const was = old.get(n.hostname)!;
    if (n.installer !== undefined && n.installer !== was.installer) {
      steps.push({
        action: "upgrade",
        node: n.hostname,
        role: n.role,
        reason: `installer image ${was.installer ?? "(none)"} → ${n.installer}`,
        command: ["talosctl", "upgrade", "--nodes", target(n.hostname), "--image", n.installer],
      });
    }
  }
  if (now.kubernetesVersion !== before.kubernetesVersion) {
    const cp = kept.find((n) => n.role === "controlplane") ?? nodes.find((n) => n.role === "controlplane");
    steps.push({
      action: "upgrade-k8s",
      ...(cp === undefined ? {} : { node: cp.hostname, role: "controlplane" as const }),
      reason: `Kubernetes ${before.kubernetesVersion} → ${now.kubernetesVersion}`,
      command: ["talosctl", "upgrade-k8s", ...(cp === undefined ? [] : ["--nodes", target(cp.hostname)]), "--to", now.kubernetesVersion],
    });
  }
  for (const n of kept) if (n.config !== old.get(n.hostname)!.config) steps.push(apply(n, false, "config changed"));
  for (const n of nodes) if (!old.has(n.hostname)) steps.push(apply(n, true, "new node: the machine waits in maintenance mode for its first config"));
  const current = new Set(nodes.map((n) => n.hostname));
  const gone = before.nodes.filter((n) => !current.has(n.hostname));
  for (const n of [...gone.filter((g) => g.role === "worker"), ...gone.filter((g) => g.role === "controlplane")]) {
    steps.push({
      action: "reset",
      node: n.hostname,
      role: n.role,
      reason: n.role === "controlplane" ? "removed from the definition: leave etcd and wipe the machine" : "removed from the definition: wipe the machine",
      command: ["talosctl", "reset", "--nodes", target(n.hostname), "--graceful"],
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
