// talc plan: the ordered talosctl steps between the committed out/ and the
// current build; the pure planner on synthetic out/ trees, and the command
// on real temporary git repositories.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
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
  /** The static address its config gives eth0. */
  address?: string;
  /** A node label, to change a config without changing anything else. */
  label?: string;
  /** The whole config, instead of one made from the fields above. */
  config?: string;
  installer?: string;
}

const IMAGE_A = "factory.talos.dev/metal-installer/aaaa:v1.13.9";
const IMAGE_B = "factory.talos.dev/metal-installer/bbbb:v1.13.9";

function link(name: string, address: string, kind = "LinkConfig"): string {
  return `---\napiVersion: v1alpha1\nkind: ${kind}\nname: ${name}\naddresses:\n    - address: ${address}\n`;
}

function config(n: N): string {
  const labels = n.label === undefined ? "" : `    nodeLabels:\n        change: ${n.label}\n`;
  return `version: v1alpha1\nmachine:\n    type: ${n.role}\n    install:\n        image: ${n.installer ?? IMAGE_A}\n${labels}${n.address === undefined ? "" : link("eth0", n.address)}`;
}

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
  for (const n of nodes) files.set(`lab/nodes/${n.hostname}.yaml`, n.config ?? config(n));
  return files;
}

const NODES: N[] = [
  { hostname: "w-1", role: "worker", address: "10.0.0.21/24" },
  { hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24" },
  { hostname: "cp-2", role: "controlplane", address: "10.0.0.12/24" },
  { hostname: "w-2", role: "worker" },
];

// What the definition of these nodes gives plan: each node's address, without the prefix.
function addressesOf(nodes: N[]): Map<string, string> {
  return new Map(nodes.filter((n) => n.address !== undefined).map((n) => [n.hostname, n.address!.split("/")[0]]));
}

function edit(nodes: N[], hostname: string, change: Partial<N>): N[] {
  return nodes.map((n) => (n.hostname === hostname ? { ...n, ...change } : n));
}

function without(nodes: N[], hostname: string): N[] {
  return nodes.filter((n) => n.hostname !== hostname);
}

function lines(steps: PlanStep[]): string[] {
  return steps.map((s) => commandLine(s.command));
}

// The current build of some nodes: its out/ tree, and the addresses its definition gives them.
function build(nodes: N[], k8s?: string, withInstaller?: boolean): { files: Map<string, string>; addresses: Map<string, string> } {
  return { files: tree(nodes, k8s, withInstaller), addresses: addressesOf(nodes) };
}

const LEGACY = (interfaces: string) => `version: v1alpha1\nmachine:\n    type: worker\n    install:\n        image: ${IMAGE_A}\n    network:\n        interfaces:\n${interfaces}`;

describe("planChanges", () => {
  const W1_MOVES = edit(NODES, "w-1", { address: "10.0.0.121/24" });
  // w-1 with an address every node shares (an anycast loopback, say) before its own
  const withDummy = (address: string) => `${config({ hostname: "w-1", role: "worker" })}${link("dummy0", "10.9.9.9/32", "DummyLinkConfig")}${link("eth0", address)}`;
  const cases: Array<[string, Map<string, string> | undefined, ReturnType<typeof build>, string[]]> = [
    [
      "a new cluster: every node in maintenance mode, control planes first, then bootstrap",
      undefined,
      build(NODES),
      [
        "talosctl apply-config --insecure --nodes 10.0.0.11 --file cfg/cp-1.yaml",
        "talosctl apply-config --insecure --nodes 10.0.0.12 --file cfg/cp-2.yaml",
        "talosctl apply-config --insecure --nodes 10.0.0.21 --file cfg/w-1.yaml",
        "talosctl apply-config --insecure --nodes w-2 --file cfg/w-2.yaml",
        "talosctl bootstrap --nodes 10.0.0.11 --endpoints 10.0.0.11",
      ],
    ],
    ["nothing changed", tree(NODES), build(NODES), []],
    ["one worker's config changed", tree(NODES), build(edit(NODES, "w-1", { label: "x" })), ["talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml"]],
    [
      "control planes one at a time before workers, whatever the definition order",
      tree(NODES),
      build(edit(edit(edit(NODES, "w-1", { label: "x" }), "cp-2", { label: "y" }), "cp-1", { label: "z" })),
      [
        "talosctl apply-config --nodes 10.0.0.11 --file cfg/cp-1.yaml",
        "talosctl apply-config --nodes 10.0.0.12 --file cfg/cp-2.yaml",
        "talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml",
      ],
    ],
    [
      "a new installer image: upgrades first, then the configs that name it",
      tree(NODES),
      build(NODES.map((n) => ({ ...n, installer: IMAGE_B }))),
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
      build(edit(NODES, "cp-2", { installer: IMAGE_B }), "1.36.3", false),
      [`talosctl upgrade --nodes 10.0.0.12 --image ${IMAGE_B}`, "talosctl apply-config --nodes 10.0.0.12 --file cfg/cp-2.yaml"],
    ],
    [
      "a new Kubernetes version: upgrade-k8s before the configs",
      tree(NODES),
      build(edit(NODES, "w-1", { label: "x" }), "1.36.4"),
      ["talosctl upgrade-k8s --nodes 10.0.0.11 --to 1.36.4", "talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml"],
    ],
    [
      "a node added and one removed: the new one joins at its new address, then the old one leaves from the committed one",
      tree(NODES),
      build([...without(NODES, "cp-2"), { hostname: "cp-3", role: "controlplane", address: "10.0.0.13/24" }]),
      ["talosctl apply-config --insecure --nodes 10.0.0.13 --file cfg/cp-3.yaml", "talosctl reset --nodes 10.0.0.12 --graceful"],
    ],
    [
      "the whole control plane replaced with a new Kubernetes version: upgrade-k8s through a leaving control plane, which runs until its reset",
      tree(NODES),
      build([...without(without(NODES, "cp-1"), "cp-2"), { hostname: "cp-3", role: "controlplane", address: "10.0.0.13/24" }], "1.36.4"),
      [
        "talosctl upgrade-k8s --nodes 10.0.0.11 --to 1.36.4",
        "talosctl apply-config --insecure --nodes 10.0.0.13 --file cfg/cp-3.yaml",
        "talosctl reset --nodes 10.0.0.11 --graceful",
        "talosctl reset --nodes 10.0.0.12 --graceful",
      ],
    ],
    ["a node whose address changes: its new config goes to the address it has until then", tree(NODES), build(W1_MOVES), ["talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml"]],
    [
      "a control plane whose address changes: upgrades and upgrade-k8s reach it where it is, as does its new config",
      tree(NODES),
      build(edit(NODES, "cp-1", { address: "10.0.0.111/24", installer: IMAGE_B }), "1.36.4"),
      [`talosctl upgrade --nodes 10.0.0.11 --image ${IMAGE_B}`, "talosctl upgrade-k8s --nodes 10.0.0.11 --to 1.36.4", "talosctl apply-config --nodes 10.0.0.11 --file cfg/cp-1.yaml"],
    ],
    ["a removed worker: reset at the address its committed config gives it", tree(NODES), build(without(NODES, "w-1")), ["talosctl reset --nodes 10.0.0.21 --graceful"]],
    [
      "several committed addresses: the one on the link the new address is on",
      tree(edit(NODES, "w-1", { config: withDummy("10.0.0.21/24") })),
      { files: tree(edit(NODES, "w-1", { config: withDummy("10.0.0.121/24") })), addresses: addressesOf(W1_MOVES) },
      ["talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml"],
    ],
    [
      "an address in machine.network.interfaces (before Talos 1.12)",
      tree(edit(NODES, "w-1", { config: LEGACY("            - interface: eth0\n              addresses:\n                  - 10.0.0.21/24\n") })),
      build(without(NODES, "w-1")),
      ["talosctl reset --nodes 10.0.0.21 --graceful"],
    ],
    [
      "an address of a VLAN in machine.network.interfaces, an ignored interface skipped",
      tree(edit(NODES, "w-1", { config: LEGACY("            - interface: eth1\n              ignore: true\n              cidr: 10.0.9.21/24\n            - interface: eth0\n              dhcp: true\n              vlans:\n                  - vlanId: 10\n                    addresses: [10.0.10.21/24]\n") })),
      build(without(NODES, "w-1")),
      ["talosctl reset --nodes 10.0.10.21 --graceful"],
    ],
    [
      "a node the committed config gives no static address: by name, though its new config gives one",
      tree(NODES),
      build(edit(NODES, "w-2", { address: "10.0.0.22/24" })),
      ["talosctl apply-config --nodes w-2 --file cfg/w-2.yaml"],
    ],
  ];
  for (const [name, previous, current, expected] of cases) {
    test(name, () => {
      const plan = planChanges({ cluster: "lab", previous, current: current.files, addresses: current.addresses, configDir: "cfg/" });
      assert.deepEqual(lines(plan.steps), expected);
      assert.equal(plan.newCluster, previous === undefined);
    });
  }

  const reasons: Array<[string, Map<string, string> | undefined, ReturnType<typeof build>, string[]]> = [
    [
      "a node whose address changes: applied where it answers now, and where it answers after",
      tree(NODES),
      build(W1_MOVES),
      ["# w-1: config changed; applied at 10.0.0.21, where the machine answers now; from then on it answers at 10.0.0.121"],
    ],
    [
      "no address known: the plan says the hostname stands in",
      tree(NODES),
      build(edit(NODES, "w-2", { address: "10.0.0.22/24" })),
      ["# w-2: config changed; no static address in the committed config, so talosctl must resolve the name w-2; from then on it answers at 10.0.0.22"],
    ],
    [
      "new nodes: assumed to answer at their new address in maintenance mode, or by name",
      tree(without(without(NODES, "w-1"), "w-2")),
      build(NODES),
      [
        "# w-1: new node: the machine waits in maintenance mode for its first config, assumed to answer at 10.0.0.21 already (else pass --reach w-1=<address>)",
        "# w-2: new node: the machine waits in maintenance mode for its first config; no static address known, so talosctl must resolve the name w-2",
      ],
    ],
    [
      "an address the definition writes in a longer form than out/ is the same address: the node does not move",
      tree(edit(NODES, "w-1", { address: "fd00::21/64" })),
      { files: tree(edit(NODES, "w-1", { address: "fd00::21/64", label: "b" })), addresses: new Map([["w-1", "fd00:0:0::21"]]) },
      ["# w-1: config changed"],
    ],
    [
      "a removed node without a static address",
      tree(NODES),
      build(without(NODES, "w-2")),
      ["# w-2: removed from the definition: wipe the machine; no static address in the committed config, so talosctl must resolve the name w-2"],
    ],
  ];
  for (const [name, previous, current, expected] of reasons) {
    test(`reasons: ${name}`, () => {
      const plan = planChanges({ cluster: "lab", previous, current: current.files, addresses: current.addresses, configDir: "cfg/" });
      assert.deepEqual(formatPlanText(plan, { since: "HEAD" }).split("\n").filter((l) => l.startsWith("# ") && !l.startsWith("# talc plan")), expected);
    });
  }

  // --reach: where a machine answers until its new config holds; each case's whole script, reasons and commands
  const reached: Array<[string, Map<string, string> | undefined, ReturnType<typeof build>, Record<string, string>, string[]]> = [
    [
      "a new cluster: the first configs go to the DHCP addresses given, bootstrap to the address the config gives",
      undefined,
      build(NODES),
      { "cp-1": "192.168.1.50", "w-2": "192.168.1.52" },
      [
        "# cp-1: new cluster: the machine waits in maintenance mode for its first config, at 192.168.1.50 (--reach); from then on it answers at 10.0.0.11",
        "talosctl apply-config --insecure --nodes 192.168.1.50 --file cfg/cp-1.yaml",
        "# cp-2: new cluster: the machine waits in maintenance mode for its first config, assumed to answer at 10.0.0.12 already (else pass --reach cp-2=<address>)",
        "talosctl apply-config --insecure --nodes 10.0.0.12 --file cfg/cp-2.yaml",
        "# w-1: new cluster: the machine waits in maintenance mode for its first config, assumed to answer at 10.0.0.21 already (else pass --reach w-1=<address>)",
        "talosctl apply-config --insecure --nodes 10.0.0.21 --file cfg/w-1.yaml",
        "# w-2: new cluster: the machine waits in maintenance mode for its first config, at 192.168.1.52 (--reach)",
        "talosctl apply-config --insecure --nodes 192.168.1.52 --file cfg/w-2.yaml",
        "# cp-1: new cluster: start etcd on one control plane, once",
        "talosctl bootstrap --nodes 10.0.0.11 --endpoints 10.0.0.11",
      ],
    ],
    [
      "a new node of a running cluster: its first config goes to the address given",
      tree(NODES),
      build([...NODES, { hostname: "cp-3", role: "controlplane", address: "10.0.0.13/24" }]),
      { "cp-3": "fd00::53" },
      [
        "# cp-3: new node: the machine waits in maintenance mode for its first config, at fd00::53 (--reach); from then on it answers at 10.0.0.13",
        "talosctl apply-config --insecure --nodes fd00::53 --file cfg/cp-3.yaml",
      ],
    ],
    [
      "a kept node: every step before its new config holds, the config included",
      tree(NODES),
      build(edit(NODES, "cp-1", { address: "10.0.0.111/24", installer: IMAGE_B }), "1.36.4"),
      { "cp-1": "192.168.1.50" },
      [
        `# cp-1: installer image ${IMAGE_A} → ${IMAGE_B}; at 192.168.1.50, where the machine answers now (--reach)`,
        `talosctl upgrade --nodes 192.168.1.50 --image ${IMAGE_B}`,
        "# cp-1: Kubernetes 1.36.3 → 1.36.4; at 192.168.1.50, where the machine answers now (--reach)",
        "talosctl upgrade-k8s --nodes 192.168.1.50 --to 1.36.4",
        "# cp-1: config changed; applied at 192.168.1.50, where the machine answers now (--reach); from then on it answers at 10.0.0.111",
        "talosctl apply-config --nodes 192.168.1.50 --file cfg/cp-1.yaml",
      ],
    ],
    [
      "a kept node that stays where it is, no longer resolved by name",
      tree(NODES),
      build(edit(NODES, "w-2", { label: "x" })),
      { "w-2": "192.168.1.52" },
      ["# w-2: config changed; applied at 192.168.1.52, where the machine answers now (--reach)", "talosctl apply-config --nodes 192.168.1.52 --file cfg/w-2.yaml"],
    ],
    [
      "a node that leaves the definition: reset where it answers",
      tree(NODES),
      build(without(NODES, "w-2")),
      { "w-2": "192.168.1.52" },
      ["# w-2: removed from the definition: wipe the machine; at 192.168.1.52, where the machine answers now (--reach)", "talosctl reset --nodes 192.168.1.52 --graceful"],
    ],
  ];
  for (const [name, previous, current, reach, expected] of reached) {
    test(`--reach: ${name}`, () => {
      const plan = planChanges({ cluster: "lab", previous, current: current.files, addresses: current.addresses, configDir: "cfg/", reach: new Map(Object.entries(reach)) });
      assert.deepEqual(formatPlanText(plan, { since: "HEAD" }).split("\n").slice(1, -1), expected);
      // the steps that use a given address say so to machines too
      for (const step of plan.steps) assert.equal(step.reach, step.node !== undefined && step.command.includes(reach[step.node]) ? reach[step.node] : undefined, commandLine(step.command));
    });
  }

  test("--reach: a hostname that is no node, old or new, is refused with the nodes it could mean", () => {
    const current = build(without(NODES, "w-2"));
    const plan = (reach: string) => () => planChanges({ cluster: "lab", previous: tree(NODES), current: current.files, configDir: "cfg", reach: new Map([[reach, "192.168.1.9"]]) });
    assert.throws(plan("w-3"), (e: TalcError) => e.code === "plan-unknown-node" && e.format() === 'reach: no node named "w-3" in cluster lab; did you mean "w-1"? its nodes are w-1, cp-1, cp-2, w-2');
    assert.throws(plan("storage"), (e: TalcError) => e.format() === 'reach: no node named "storage" in cluster lab; its nodes are w-1, cp-1, cp-2, w-2');
    assert.doesNotThrow(plan("w-2"));
  });

  // The talosconfig's endpoints are the control planes' addresses in the current definition: a command run while
  // none of them answers connects to its machine itself. Each case's commands, then the endpoints given.
  const ONE_CP = NODES.filter((n) => n.hostname === "cp-1" || n.hostname === "w-1");
  const NONE = "none of the talosconfig's endpoints";
  const connecting: Array<[string, Map<string, string> | undefined, ReturnType<typeof build>, string[], Record<string, string>, string[]]> = [
    [
      "the only control plane moves: every step until its new config holds connects to the machine itself",
      tree(ONE_CP),
      build(edit(ONE_CP, "cp-1", { address: "10.0.0.111/24" }).map((n) => ({ ...n, installer: IMAGE_B, label: "x" })), "1.36.4"),
      ["10.0.0.111"],
      {},
      [
        `talosctl upgrade --nodes 10.0.0.11 --endpoints 10.0.0.11 --image ${IMAGE_B}`,
        `talosctl upgrade --nodes 10.0.0.21 --endpoints 10.0.0.21 --image ${IMAGE_B}`,
        "talosctl upgrade-k8s --nodes 10.0.0.11 --endpoints 10.0.0.11 --to 1.36.4",
        "talosctl apply-config --nodes 10.0.0.11 --endpoints 10.0.0.11 --file cfg/cp-1.yaml",
        "talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml",
      ],
    ],
    [
      "one of two control planes moves: the other still answers",
      tree(NODES),
      build(edit(edit(NODES, "cp-1", { address: "10.0.0.111/24" }), "w-1", { label: "x" })),
      ["10.0.0.111", "10.0.0.12"],
      {},
      ["talosctl apply-config --nodes 10.0.0.11 --file cfg/cp-1.yaml", "talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml"],
    ],
    [
      "every control plane moves: the first connects to itself, the next through the first at its new address",
      tree(NODES),
      build(edit(edit(NODES, "cp-1", { address: "10.0.0.111/24" }), "cp-2", { address: "10.0.0.112/24" })),
      ["10.0.0.111", "10.0.0.112"],
      {},
      ["talosctl apply-config --nodes 10.0.0.11 --endpoints 10.0.0.11 --file cfg/cp-1.yaml", "talosctl apply-config --nodes 10.0.0.12 --file cfg/cp-2.yaml"],
    ],
    [
      "the only control plane answers elsewhere (--reach) until its config is applied",
      tree(ONE_CP),
      build(ONE_CP.map((n) => ({ ...n, label: "x" }))),
      ["10.0.0.11"],
      { "cp-1": "192.168.1.50" },
      ["talosctl apply-config --nodes 192.168.1.50 --endpoints 192.168.1.50 --file cfg/cp-1.yaml", "talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml"],
    ],
    [
      "the control plane replaced: the new one is configured (--insecure needs no endpoint), then the old one reset through it",
      tree(ONE_CP),
      build([{ hostname: "cp-3", role: "controlplane", address: "10.0.0.13/24" }, ...without(ONE_CP, "cp-1")]),
      ["10.0.0.13"],
      {},
      ["talosctl apply-config --insecure --nodes 10.0.0.13 --file cfg/cp-3.yaml", "talosctl reset --nodes 10.0.0.11 --graceful"],
    ],
    [
      "the control plane replaced with a new Kubernetes version: upgrade-k8s through the leaving one, connecting to it",
      tree(ONE_CP),
      build([{ hostname: "cp-3", role: "controlplane", address: "10.0.0.13/24" }, ...without(ONE_CP, "cp-1")], "1.36.4"),
      ["10.0.0.13"],
      {},
      ["talosctl upgrade-k8s --nodes 10.0.0.11 --endpoints 10.0.0.11 --to 1.36.4", "talosctl apply-config --insecure --nodes 10.0.0.13 --file cfg/cp-3.yaml", "talosctl reset --nodes 10.0.0.11 --graceful"],
    ],
    [
      "an IPv6 endpoint written another way is the same address",
      tree(edit(ONE_CP, "cp-1", { address: "fd00::11/64" })),
      build(edit(edit(ONE_CP, "cp-1", { address: "fd00::11/64" }), "w-1", { label: "x" })),
      ["FD00:0:0::0011"],
      {},
      ["talosctl apply-config --nodes 10.0.0.21 --file cfg/w-1.yaml"],
    ],
    [
      "endpoints by hostname (no address in the definition): taken to resolve to the machine wherever it is",
      tree(ONE_CP),
      { files: tree(edit(ONE_CP, "cp-1", { address: "10.0.0.111/24" })), addresses: new Map() },
      ["cp-1"],
      {},
      ["talosctl apply-config --nodes 10.0.0.11 --file cfg/cp-1.yaml"],
    ],
    [
      "a new cluster: only bootstrap needs an endpoint, and names its own",
      undefined,
      build(ONE_CP),
      ["10.0.0.11"],
      {},
      ["talosctl apply-config --insecure --nodes 10.0.0.11 --file cfg/cp-1.yaml", "talosctl apply-config --insecure --nodes 10.0.0.21 --file cfg/w-1.yaml", "talosctl bootstrap --nodes 10.0.0.11 --endpoints 10.0.0.11"],
    ],
  ];
  for (const [name, previous, current, endpoints, reach, expected] of connecting) {
    test(`endpoints: ${name}`, () => {
      const plan = planChanges({ cluster: "lab", previous, current: current.files, addresses: current.addresses, configDir: "cfg", reach: new Map(Object.entries(reach)), endpoints });
      assert.deepEqual(lines(plan.steps), expected);
      for (const step of plan.steps) {
        const i = step.command.indexOf("--endpoints");
        // JSON consumers see the endpoints a command connects through
        assert.deepEqual(step.endpoints, i < 0 ? undefined : [step.command[i + 1]]);
        // and the reason says why, but for bootstrap, which always names its node
        assert.equal(step.reason.includes(`; ${NONE} (${endpoints.join(", ")}) answers at this point, so talosctl connects to the machine itself`), i >= 0 && step.action !== "bootstrap", step.reason);
      }
      // without the talosconfig's endpoints to go by, the commands are as before
      const plain = planChanges({ cluster: "lab", previous, current: current.files, addresses: current.addresses, configDir: "cfg", reach: new Map(Object.entries(reach)) });
      assert.deepEqual(lines(plain.steps), expected.map((l) => (l.startsWith("talosctl bootstrap") ? l : l.replace(/ --endpoints \S+/, ""))));
    });
  }

  test("endpoints: a talosconfig without any connects every command to its machine", () => {
    const plan = planChanges({ cluster: "lab", previous: tree(NODES), current: tree(edit(NODES, "w-1", { label: "x" })), configDir: "cfg", endpoints: [] });
    assert.deepEqual(
      plan.steps.map((s) => [s.reason, commandLine(s.command)]),
      [["config changed; the talosconfig has no endpoints, so talosctl connects to the machine itself", "talosctl apply-config --nodes 10.0.0.21 --endpoints 10.0.0.21 --file cfg/w-1.yaml"]],
    );
  });

  test("text output is a shell script with the reasons as comments", () => {
    const plan = planChanges({ cluster: "lab", previous: tree(NODES), current: tree(edit(NODES, "w-2", { label: "x" })), configDir: "my configs" });
    assert.equal(
      formatPlanText(plan, { since: "HEAD", talosconfig: "my configs/talosconfig" }),
      "# talc plan for cluster lab, against out/ at HEAD\nexport TALOSCONFIG='my configs/talosconfig'\n# w-2: config changed; no static address in the committed config, so talosctl must resolve the name w-2\ntalosctl apply-config --nodes w-2 --file 'my configs/w-2.yaml'\n",
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

  test("a moved node gets its config at the address it has until then, a removed one is reset at its committed address", async () => {
    const repo = tempRepo({ "lab.ts": CLUSTER("1.35.4", "a") });
    git(repo, "init", "-q");
    await buildAndCommit(repo, "first");
    const moved = CLUSTER("1.35.4", "a").replace('"10.0.0.21/24"', '"10.0.0.121/24"');
    writeFileSync(join(repo, "clusters/lab.ts"), moved.replace(/^.*"w-2".*\n/m, ""));
    const r = await plan(["lab"], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n").slice(2, -1), [
      "# w-1: config changed; applied at 10.0.0.21, where the machine answers now; from then on it answers at 10.0.0.121",
      "talosctl apply-config --nodes 10.0.0.21 --file configs/w-1.yaml",
      "# w-2: removed from the definition: wipe the machine",
      "talosctl reset --nodes 10.0.0.22 --graceful",
    ]);
  });

  test("reads the out/ committed for a repository below the work tree's top", async () => {
    const top = tempRepo({ "lab.ts": CLUSTER("1.35.4", "a") });
    git(top, "init", "-q");
    const repo = join(top, "infra");
    mkdirSync(repo);
    renameSync(join(top, "clusters"), join(repo, "clusters"));
    await buildAndCommit(repo, "first");
    writeFileSync(join(repo, "clusters/lab.ts"), CLUSTER("1.35.4", "b"));
    for (const argv of [["lab"], ["lab", "--root", "infra"]]) {
      const r = await plan(argv, argv.length === 1 ? repo : top);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /a new cluster/);
      assert.deepEqual(r.stdout.split("\n").filter((l) => l.startsWith("talosctl")), ["talosctl apply-config --nodes 10.0.0.21 --file configs/w-1.yaml"]);
    }
  });

  test("--reach: new machines get their first config where they answer in maintenance mode", async () => {
    const repo = tempRepo({ "lab.ts": CLUSTER("1.35.4", "a") });
    git(repo, "init", "-q");
    const r = await plan(["lab", "--reach", "cp-1=192.168.1.50,w-2=192.168.1.52", "--reach", "w-2=192.168.1.52", "--format", "json"], repo);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { steps: Array<{ action: string; node?: string; reach?: string; line: string }> };
    assert.deepEqual(
      json.steps.map((s) => [s.node, s.reach, s.line]),
      [
        ["cp-1", "192.168.1.50", "talosctl apply-config --insecure --nodes 192.168.1.50 --file configs/cp-1.yaml"],
        ["w-1", undefined, "talosctl apply-config --insecure --nodes 10.0.0.21 --file configs/w-1.yaml"],
        ["w-2", "192.168.1.52", "talosctl apply-config --insecure --nodes 192.168.1.52 --file configs/w-2.yaml"],
        ["cp-1", undefined, "talosctl bootstrap --nodes 10.0.0.11 --endpoints 10.0.0.11"],
      ],
    );
  });

  test("a moved control plane: its config goes through --endpoints, as the talosconfig's endpoint does not answer yet", async () => {
    const repo = tempRepo({ "lab.ts": CLUSTER("1.35.4", "a") });
    git(repo, "init", "-q");
    await buildAndCommit(repo, "first");
    writeFileSync(join(repo, "clusters/lab.ts"), CLUSTER("1.35.4", "b").replace('"10.0.0.11/24"', '"10.0.0.111/24"'));
    const r = await plan(["lab"], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n").slice(2, -1), [
      "# cp-1: config changed; applied at 10.0.0.11, where the machine answers now; from then on it answers at 10.0.0.111; none of the talosconfig's endpoints (10.0.0.111) answers at this point, so talosctl connects to the machine itself",
      "talosctl apply-config --nodes 10.0.0.11 --endpoints 10.0.0.11 --file configs/cp-1.yaml",
      "# w-1: config changed",
      "talosctl apply-config --nodes 10.0.0.21 --file configs/w-1.yaml",
    ]);
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ["an unknown ref", ["lab", "--since", "no-such-branch"], /"no-such-branch" is not a commit of this repository/],
    ["a ref that looks like an option", ["lab", "--since=--output=x"], /is not a commit of this repository/],
    ["an unknown format", ["lab", "--format", "yaml"], /unknown format "yaml"; expected text or json/],
    ["an unknown cluster", ["nope"], /^<cluster>: no cluster named "nope"/],
    ["a --reach without =", ["lab", "--reach", "w-1"], /^reach: "w-1" has no "="; expected <hostname>=<address> with an IPv4 or IPv6 address \(no prefix length, no port\), such as w-1=192\.168\.1\.50$/],
    ["a --reach without a hostname", ["lab", "--reach", "=10.0.0.5"], /^reach: "=10\.0\.0\.5" names no node; expected <hostname>=<address>/],
    ["a --reach address that is no address", ["lab", "--reach", "w-1=10.0.0.300"], /^reach: "10\.0\.0\.300" \(for w-1\) is not an IP address; expected <hostname>=<address> with an IPv4 or IPv6 address/],
    ["a --reach address with a prefix length", ["lab", "--reach", "w-1=10.0.0.5/24"], /^reach: "10\.0\.0\.5\/24" \(for w-1\) is not an IP address/],
    ["a --reach naming a host by name", ["lab", "--reach", "w-1=w-1.lan"], /^reach: "w-1\.lan" \(for w-1\) is not an IP address/],
    ["two --reach addresses for one node", ["lab", "--reach", "w-1=10.0.0.5", "--reach", "w-1=10.0.0.6"], /^reach: w-1 is given two addresses, 10\.0\.0\.5 and 10\.0\.0\.6; give one$/],
    ["a --reach hostname that is no node", ["lab", "--reach", "w-2=10.0.0.5,w-3=10.0.0.6"], /^reach: no node named "w-3" in cluster lab; did you mean "w-1"\? its nodes are cp-1, w-1, w-2$/],
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
