// talc plan: the ordered talosctl steps between the committed out/ and the
// current build; the pure planner on synthetic out/ trees, and the command
// on real temporary git repositories.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Io } from "../compiler/cli/main.ts";
import { planCommand } from "../compiler/cli/plan.ts";
import { TalcError } from "../compiler/errors.ts";
import { commandLine, formatPlanText, planChanges, type PlanStep } from "../compiler/targets/plan.ts";
import { runCli, skipWithout, tempRepo } from "./helpers/cli.ts";

interface N {
  hostname: string;
  role: "controlplane" | "worker";
  config?: string;
  installer?: string;
}

const IMAGE_A = "factory.talos.dev/metal-installer/aaaa:v1.13.9";
const IMAGE_B = "factory.talos.dev/metal-installer/bbbb:v1.13.9";

// A synthetic out/ tree: a manifest and one config per node.
function tree(nodes: N[], k8s = "1.36.3", withInstaller = true): Map<string, string> {
  const files = new Map<string, string>();
  const manifest = {
    cluster: "lab",
    talosVersion: "v1.13.9",
    kubernetesVersion: k8s,
    nodes: nodes.map((n) => ({ hostname: n.hostname, role: n.role, config: `nodes/${n.hostname}.yaml`, patches: [], ...(withInstaller ? { installer: n.installer ?? IMAGE_A } : {}) })),
  };
  files.set("lab/manifest.json", JSON.stringify(manifest));
  for (const n of nodes) {
    files.set(`lab/nodes/${n.hostname}.yaml`, n.config ?? `version: v1alpha1\nmachine:\n    type: ${n.role}\n    install:\n        image: ${n.installer ?? IMAGE_A}\n`);
  }
  return files;
}

const NODES: N[] = [
  { hostname: "w-1", role: "worker" },
  { hostname: "cp-1", role: "controlplane" },
  { hostname: "cp-2", role: "controlplane" },
  { hostname: "w-2", role: "worker" },
];
const ADDRESSES = new Map([
  ["cp-1", "10.0.0.11"],
  ["cp-2", "10.0.0.12"],
  ["w-1", "10.0.0.21"],
]);

function edit(nodes: N[], hostname: string, change: Partial<N>): N[] {
  return nodes.map((n) => (n.hostname === hostname ? { ...n, ...change } : n));
}

function lines(steps: PlanStep[]): string[] {
  return steps.map((s) => commandLine(s.command));
}

describe("planChanges", () => {
  const cases: Array<[string, Map<string, string> | undefined, Map<string, string>, string[]]> = [
    [
      "a new cluster: every node in maintenance mode, control planes first, then bootstrap",
      undefined,
      tree(NODES),
      [
        "talosctl apply-config --insecure --nodes 10.0.0.11 --file cfg/cp-1.yaml",
        "talosctl apply-config --insecure --nodes 10.0.0.12 --file cfg/cp-2.yaml",
        "talosctl apply-config --insecure --nodes 10.0.0.21 --file cfg/w-1.yaml",
        "talosctl apply-config --insecure --nodes w-2 --file cfg/w-2.yaml",
        "talosctl bootstrap --nodes 10.0.0.11 --endpoints 10.0.0.11",
      ],
    ],
    ["nothing changed", tree(NODES), tree(NODES), []],
    ["one worker's config changed", tree(NODES), tree(edit(NODES, "w-2", { config: "changed\n" })), ["talosctl apply-config --nodes w-2 --file cfg/w-2.yaml"]],
    [
      "control planes one at a time before workers, whatever the definition order",
      tree(NODES),
      tree(edit(edit(edit(NODES, "w-1", { config: "x\n" }), "cp-2", { config: "y\n" }), "cp-1", { config: "z\n" })),
      [
        "talosctl apply-config --nodes 10.0.0.11 --file cfg/cp-1.yaml",
        "talosctl apply-config --nodes 10.0.0.12 --file cfg/cp-2.yaml",
        "talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml",
      ],
    ],
    [
      "a new installer image: upgrades first, then the configs that name it",
      tree(NODES),
      tree(NODES.map((n) => ({ ...n, installer: IMAGE_B }))),
      [
        `talosctl upgrade --nodes 10.0.0.11 --image ${IMAGE_B}`,
        `talosctl upgrade --nodes 10.0.0.12 --image ${IMAGE_B}`,
        `talosctl upgrade --nodes 10.0.0.21 --image ${IMAGE_B}`,
        `talosctl upgrade --nodes w-2 --image ${IMAGE_B}`,
        "talosctl apply-config --nodes 10.0.0.11 --file cfg/cp-1.yaml",
        "talosctl apply-config --nodes 10.0.0.12 --file cfg/cp-2.yaml",
        "talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml",
        "talosctl apply-config --nodes w-2 --file cfg/w-2.yaml",
      ],
    ],
    [
      "the installer read from the configs when the manifest does not name it",
      tree(NODES, "1.36.3", false),
      tree(edit(NODES, "cp-2", { installer: IMAGE_B }), "1.36.3", false),
      [`talosctl upgrade --nodes 10.0.0.12 --image ${IMAGE_B}`, "talosctl apply-config --nodes 10.0.0.12 --file cfg/cp-2.yaml"],
    ],
    [
      "a new Kubernetes version: upgrade-k8s before the configs",
      tree(NODES),
      tree(edit(NODES, "w-1", { config: "x\n" }), "1.36.4"),
      ["talosctl upgrade-k8s --nodes 10.0.0.11 --to 1.36.4", "talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml"],
    ],
    [
      "a node added and one removed: the new one joins, then the old one leaves",
      tree(NODES),
      tree([...NODES.filter((n) => n.hostname !== "cp-2"), { hostname: "cp-3", role: "controlplane" }]),
      ["talosctl apply-config --insecure --nodes cp-3 --file cfg/cp-3.yaml", "talosctl reset --nodes 10.0.0.12 --graceful"],
    ],
  ];
  for (const [name, previous, current, expected] of cases) {
    test(name, () => {
      const plan = planChanges({ cluster: "lab", previous, current, addresses: ADDRESSES, configDir: "cfg/" });
      assert.deepEqual(lines(plan.steps), expected);
      assert.equal(plan.newCluster, previous === undefined);
    });
  }

  test("text output is a shell script with the reasons as comments", () => {
    const plan = planChanges({ cluster: "lab", previous: tree(NODES), current: tree(edit(NODES, "w-2", { config: "x\n" })), configDir: "my configs" });
    assert.equal(
      formatPlanText(plan, { since: "HEAD", talosconfig: "my configs/talosconfig" }),
      "# talc plan for cluster lab, against out/ at HEAD\nexport TALOSCONFIG='my configs/talosconfig'\n# w-2: config changed\ntalosctl apply-config --nodes w-2 --file 'my configs/w-2.yaml'\n",
    );
  });
});

const CLUSTER = (k8s: string, workerLabel: string) => `import { defineCluster } from "talc";

export default defineCluster({
  name: "lab",
  talosVersion: "v1.13.9",
  kubernetesVersion: "${k8s}",
  endpoint: "https://10.0.0.10:6443",
  install: { disk: "/dev/sda" },
  nodes: [
    { hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24" },
    { hostname: "w-1", role: "worker", address: "10.0.0.21/24", patches: [{ machine: { nodeLabels: { pool: "${workerLabel}" } } }] },
    { hostname: "w-2", role: "worker", address: "10.0.0.22/24" },
  ],
});
`;

async function plan(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd };
  try {
    return { code: await planCommand(argv, io), stdout, stderr };
  } catch (e) {
    if (!(e instanceof TalcError)) throw e;
    return { code: 2, stdout, stderr: e.lines().join("\n") };
  }
}

function git(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=talc", "-c", "user.email=talc@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
}

async function buildAndCommit(repo: string, message: string): Promise<void> {
  const r = await runCli(["build"], repo);
  assert.equal(r.code, 0, r.stderr);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", message);
}

describe("talc plan", { skip: skipWithout("git") }, () => {
  test("against a real repository: new cluster, nothing, a changed worker, a new Kubernetes version", async () => {
    const repo = tempRepo({ "lab.ts": CLUSTER("1.35.4", "a") });
    git(repo, "init", "-q");

    // nothing committed yet: the whole cluster is new
    const fresh = await plan(["lab", "--configs", "/run/configs"], repo);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stdout, /a new cluster/);
    assert.match(fresh.stdout, /^talosctl bootstrap --nodes 10\.0\.0\.11 --endpoints 10\.0\.0\.11$/m);

    await buildAndCommit(repo, "first");
    const same = await plan(["lab"], repo);
    assert.equal(same.stdout, "# talc plan for cluster lab, against out/ at HEAD\n# nothing to apply\n");

    writeFileSync(join(repo, "clusters/lab.ts"), CLUSTER("1.35.4", "b"));
    const changed = await plan(["lab", "--configs", "/run/configs"], repo);
    assert.equal(changed.code, 0, changed.stderr);
    assert.deepEqual(
      changed.stdout.split("\n").filter((l) => l.startsWith("talosctl")),
      ["talosctl apply-config --nodes 10.0.0.21 --file /run/configs/w-1.yaml"],
    );
    assert.match(changed.stdout, /^export TALOSCONFIG=\/run\/configs\/talosconfig$/m);

    await buildAndCommit(repo, "second");
    writeFileSync(join(repo, "clusters/lab.ts"), CLUSTER("1.36.3", "b"));
    const upgrade = await plan(["lab", "--format", "json"], repo);
    const json = JSON.parse(upgrade.stdout) as { since: string; newCluster: boolean; steps: Array<{ action: string; node?: string; line: string }> };
    assert.equal(json.newCluster, false);
    assert.deepEqual(
      json.steps.map((s) => [s.action, s.node]),
      [
        ["upgrade-k8s", "cp-1"],
        ["apply-config", "cp-1"],
        ["apply-config", "w-1"],
        ["apply-config", "w-2"],
      ],
    );
    assert.equal(json.steps[0].line, "talosctl upgrade-k8s --nodes 10.0.0.11 --to 1.36.3");

    // against the first commit, w-1's label change shows too: with the second commit's definition back (the new
    // Kubernetes version would change every node), HEAD has nothing to apply and HEAD~1 has w-1's config
    writeFileSync(join(repo, "clusters/lab.ts"), CLUSTER("1.35.4", "b"));
    assert.equal((await plan(["lab"], repo)).stdout, "# talc plan for cluster lab, against out/ at HEAD\n# nothing to apply\n");
    const since = await plan(["lab", "--since", "HEAD~1", "--format", "json"], repo);
    assert.equal(since.code, 0, since.stderr);
    const sinceJson = JSON.parse(since.stdout) as { since: string; newCluster: boolean; steps: Array<{ action: string; node?: string; reason: string; line: string }> };
    assert.equal(sinceJson.since, "HEAD~1");
    assert.equal(sinceJson.newCluster, false);
    assert.deepEqual(
      sinceJson.steps.map((s) => [s.action, s.node, s.reason, s.line]),
      [["apply-config", "w-1", "config changed", "talosctl apply-config --nodes 10.0.0.21 --file configs/w-1.yaml"]],
    );
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ["an unknown ref", ["lab", "--since", "no-such-branch"], /"no-such-branch" is not a commit of this repository/],
    ["a ref that looks like an option", ["lab", "--since=--output=x"], /is not a commit of this repository/],
    ["an unknown format", ["lab", "--format", "yaml"], /unknown format "yaml"; expected text or json/],
    ["an unknown cluster", ["nope"], /no cluster named "nope"/],
  ];
  for (const [name, argv, message] of refusals) {
    test(`refuses ${name}`, async () => {
      const repo = tempRepo({ "lab.ts": CLUSTER("1.35.4", "a") });
      git(repo, "init", "-q");
      await buildAndCommit(repo, "first");
      const r = await plan(argv, repo);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, message);
    });
  }

  test("refuses a folder outside git", async () => {
    const repo = tempRepo({ "lab.ts": CLUSTER("1.35.4", "a") });
    // tempRepo lives in the project's git-ignored .tmp/, so point git away from it
    const saved = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = join(repo, "..");
    try {
      const r = await plan(["lab"], repo);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not inside a git repository/);
    } finally {
      if (saved === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = saved;
    }
  });
});
