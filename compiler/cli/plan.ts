// `talc plan <cluster>`: the talosctl commands the apply step must run to go
// from the out/ committed at a git ref (default HEAD, the last applied state)
// to the current build. It reads git and compiles in memory; it never
// contacts a cluster.

import { isIP } from "node:net";
import { resolve } from "node:path";
import { listTreeAt, readBlobs, tryGit } from "../check/git.ts";
import { TalcError } from "../errors.ts";
import { compileCluster, loadClusters } from "../pipeline.ts";
import { formatPlanJson, formatPlanText, planChanges } from "../targets/plan.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { endpointsOf } from "./common.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  since: { type: "string", default: "HEAD", help: "the git ref whose committed out/ was applied last" },
  format: { type: "string", default: "text", help: "text (a shell script) or json" },
  configs: { type: "string", default: "configs", help: "the folder 'talc materialize --out' wrote the configs and talosconfig to" },
  reach: {
    type: "list",
    commas: true,
    help: "<hostname>=<address>: where a machine answers until its new config holds, such as a new machine's DHCP address in maintenance mode (repeatable)",
  },
  root: { type: "string", help: "the repository (default: the current folder)" },
};

/**
 * The cluster's out/ files committed at a ref, relative to out/; undefined
 * when the ref has no such cluster (or, for HEAD, when nothing is committed yet).
 */
async function committedOut(root: string, ref: string, cluster: string): Promise<Map<string, string> | undefined> {
  if ((await tryGit(root, ["rev-parse", "--is-inside-work-tree"])) === undefined) {
    throw new TalcError("not inside a git repository; talc plan compares the build with the out/ committed in git", { code: "no-git", stage: "cli", file: root });
  }
  if (ref.startsWith("-") || (await tryGit(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])) === undefined) {
    if (ref === "HEAD" && (await tryGit(root, ["rev-parse", "--verify", "--quiet", "HEAD"])) === undefined) return undefined;
    throw new TalcError(`"${ref}" is not a commit of this repository; pass --since <branch, tag or commit>`, { code: "bad-ref", stage: "cli", path: "since" });
  }
  const listed = await listTreeAt(root, ref, `out/${cluster}`);
  if (listed.length === 0) return undefined;
  const wanted = listed.filter(({ path }) => path === `out/${cluster}/manifest.json` || path.startsWith(`out/${cluster}/nodes/`));
  const texts = await readBlobs(root, wanted.map((f) => f.object));
  return new Map(wanted.map((f, i) => [f.path.slice("out/".length), texts[i]]));
}

// Where each node answers once its new config is applied: its static address without the prefix. Until
// then a node of the committed out/ answers where that config put it; the planner reads that from out/.
function addressesOf(nodes: ReadonlyArray<{ hostname: string; address?: string }>): Map<string, string> {
  return new Map(nodes.filter((n) => n.address !== undefined).map((n) => [n.hostname, n.address!.split("/")[0]]));
}

// --reach values, by hostname; the planner checks the hostnames, which only it knows with the removed nodes.
function parseReach(values: readonly string[]): Map<string, string> {
  const reach = new Map<string, string>();
  const valid = "expected <hostname>=<address> with an IPv4 or IPv6 address (no prefix length, no port), such as w-1=192.168.1.50";
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq < 0) throw new TalcError(`"${value}" has no "="; ${valid}`, { code: "bad-arguments", stage: "cli", path: "reach" });
    const hostname = value.slice(0, eq);
    const address = value.slice(eq + 1);
    if (hostname === "") throw new TalcError(`"${value}" names no node; ${valid}`, { code: "bad-arguments", stage: "cli", path: "reach" });
    if (isIP(address) === 0) throw new TalcError(`"${address}" (for ${hostname}) is not an IP address; ${valid}`, { code: "bad-arguments", stage: "cli", path: "reach" });
    const earlier = reach.get(hostname);
    if (earlier !== undefined && earlier !== address) {
      throw new TalcError(`${hostname} is given two addresses, ${earlier} and ${address}; give one`, { code: "bad-arguments", stage: "cli", path: "reach" });
    }
    reach.set(hostname, address);
  }
  return reach;
}

/** `talc plan <cluster> [--since <ref>] [--format text|json] [--configs <dir>] [--reach <hostname>=<address>]…`. */
export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("plan", argv, SPECS);
  if (values.help) {
    io.stdout(helpText("talc plan <cluster> [--since <git ref>] [--format text|json] [--configs <dir>] [--reach <hostname>=<address>]…", "Prints, in a safe order, the talosctl commands that apply what changed since the committed out/.", SPECS));
    return 0;
  }
  if (positionals.length !== 1) throw new TalcError("expected one cluster name; see 'talc plan --help'", { code: "bad-arguments", stage: "cli" });
  const format = values.format as string;
  if (format !== "text" && format !== "json") throw new TalcError(`unknown format "${format}"; expected text or json`, { code: "bad-arguments", stage: "cli", path: "format" });
  const reach = parseReach(values.reach as string[]);
  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");
  const since = values.since as string;
  const [loaded] = await loadClusters(root, positionals, "<cluster>");
  const compiled = compileCluster(loaded);
  const name = loaded.definition.name;
  const previous = await committedOut(root, since, name);
  const configDir = values.configs as string;
  const plan = planChanges({
    cluster: name,
    previous,
    current: compiled.files,
    addresses: addressesOf(loaded.definition.nodes),
    configDir,
    reach,
    // the endpoints of the talosconfig that 'talc materialize' writes for this definition
    endpoints: endpointsOf(loaded.definition.nodes),
  });
  const opts = { since, talosconfig: `${configDir.replace(/\/+$/, "")}/talosconfig` };
  io.stdout(format === "json" ? formatPlanJson(plan, opts) : formatPlanText(plan, opts));
  return 0;
}
