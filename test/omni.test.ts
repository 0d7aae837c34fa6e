// The Omni target: templates talc writes from definitions (valid by Omni's
// rules, free of what Omni refuses in patches, deterministic), and the
// definitions it refuses, each naming the definition path.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import type { ClusterDefinition } from "../compiler/define/definition.generated.ts";
import { TalcError } from "../compiler/errors.ts";
import { parseConfig } from "../compiler/load/config.ts";
import { compileCluster } from "../compiler/pipeline.ts";
import { omniPatchProblems, omniTemplate, validateOmniTemplate } from "../compiler/targets/omni.ts";
import { parseContract } from "../compiler/talos/contract.ts";
import { checkGolden } from "./helpers/golden.ts";

const FILE = "clusters/lab.ts";
const IDS: Record<string, string> = {
  "cp-1": "0a4c6a6e-1b2c-4d3e-8f90-a1b2c3d4e5f6",
  "w-1": "1b5d7b7f-2c3d-4e4f-9a01-b2c3d4e5f6a7",
  "w-2": "2c6e8c80-3d4e-4f50-ab12-c3d4e5f6a7b8",
};

type Def = ClusterDefinition & { targets?: { omni?: Record<string, unknown> } };

function labels(version: "1.13" | "1.14", key: string, value: string): Record<string, unknown> {
  return version === "1.13" ? { machine: { nodeLabels: { [key]: value } } } : { apiVersion: "v1alpha1", kind: "KubeNodeConfig", labels: { [key]: value } };
}

function baseline(version: "1.13" | "1.14" = "1.13"): Def {
  return {
    name: "lab",
    talosVersion: version === "1.13" ? "v1.13.9" : "v1.14.0-rc.1",
    kubernetesVersion: version === "1.13" ? "1.36.3" : "1.37.0-rc.0",
    endpoint: "https://10.0.0.10:6443",
    install: { disk: "/dev/sda" },
    patches: [
      version === "1.13"
        ? { machine: { kubelet: { extraArgs: { "rotate-server-certificates": "true" } } } }
        : { apiVersion: "v1alpha1", kind: "KubeletConfig", extraArgs: { "rotate-server-certificates": "true" } },
    ],
    controlPlane: { vip: { address: "10.0.0.10", link: "eth0" } },
    workers: { patches: [labels(version, "lab.example/pool", "general")] },
    nodes: [
      { hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24", gateway: "10.0.0.1" },
      { hostname: "w-1", role: "worker" },
      { hostname: "w-2", role: "worker", patches: [labels(version, "lab.example/gpu", "true")] },
    ],
    targets: { omni: { machines: { ...IDS } } },
  };
}

// Compiles the definition as the pipeline does (without the Omni target, so
// only omniTemplate judges it), then makes the template.
function template(def: Def): string {
  const contract = parseContract(def.talosVersion);
  const compiled = compileCluster({ definition: { ...def, targets: undefined }, contract, file: FILE });
  const layerPatches = new Map(
    [...compiled.files].filter(([path]) => path.startsWith(`${def.name}/patches/`)).map(([path, text]) => [path.slice(def.name.length + 1), parseConfig(text, path)]),
  );
  return omniTemplate({ definition: def as ClusterDefinition, contract, nodes: compiled.nodes, layerPatches, file: FILE });
}

function docs(text: string): Array<Record<string, unknown>> {
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

function inlinePatches(doc: Record<string, unknown>): Array<{ name: string; docs: unknown[] }> {
  return ((doc.patches as Array<{ name: string; inline: string }> | undefined) ?? []).map((p) => ({ name: p.name, docs: parseAllDocuments(p.inline).map((d) => d.toJS()) }));
}

function change(edit: (def: Def) => void, version: "1.13" | "1.14" = "1.13"): Def {
  const def = structuredClone(baseline(version));
  edit(def);
  return def;
}

// Workers from a machine class: Omni picks their disk, so the definition selects one instead of naming it.
function classWorkers(d: Def, workers: Record<string, unknown>): void {
  d.install = {};
  d.controlPlane = { ...d.controlPlane, install: { disk: "/dev/sda" } };
  d.workers = { patches: [{ machine: { install: { diskSelector: { size: ">= 100GB" } } } }] };
  omni(d).machines = { "cp-1": IDS["cp-1"] };
  omni(d).workers = workers;
  delete d.nodes[2].patches;
}

function omni(def: Def): Record<string, unknown> {
  def.targets ??= {};
  def.targets.omni ??= {};
  return def.targets.omni;
}

describe("omni template", () => {
  for (const version of ["1.13", "1.14"] as const) {
    test(`baseline ${version}: valid, layered, nothing Omni manages`, () => {
      const text = template(baseline(version));
      checkGolden(`omni/lab-${version}.yaml`, text);
      assert.deepEqual(validateOmniTemplate(text), []);
      const all = docs(text);
      assert.deepEqual(
        all.map((d) => d.kind),
        ["Cluster", "ControlPlane", "Workers", "Machine", "Machine", "Machine"],
      );
      const [cluster, cp, workers, ...machines] = all;
      assert.equal(cluster.name, "lab");
      assert.equal((cluster.talos as { version: string }).version, baseline(version).talosVersion);
      assert.deepEqual(cp.machines, [IDS["cp-1"]]);
      assert.deepEqual(workers.machines, [IDS["w-1"], IDS["w-2"]]);
      assert.deepEqual(
        machines.map((m) => [m.name, (m.install as { disk?: string } | undefined)?.disk]),
        Object.values(IDS).map((id) => [id, "/dev/sda"]),
      );
      assert.deepEqual(inlinePatches(cluster).map((p) => p.name), ["talc-cluster"]);
      assert.deepEqual(inlinePatches(cp).map((p) => p.name), ["talc-controlplane"]);
      assert.deepEqual(inlinePatches(workers).map((p) => p.name), ["talc-workers"]);
      assert.deepEqual(machines.map((m) => inlinePatches(m).map((p) => p.name)), [["talc-node-cp-1"], ["talc-node-w-1"], ["talc-node-w-2"]]);
      for (const doc of all) {
        for (const p of inlinePatches(doc)) {
          assert.deepEqual(omniPatchProblems(p.docs), [], `${String(doc.kind)} ${p.name}`);
          assert.doesNotMatch(JSON.stringify(p.docs), /install"?:\{"(disk|image)"|UnattendedInstallConfig|\*\*\*\*\*\*/);
        }
      }
    });
  }

  test("is deterministic: the same bytes whatever the order of the machine map", () => {
    const a = template(baseline());
    const shuffled = change((d) => void (omni(d).machines = Object.fromEntries(Object.entries(IDS).reverse())));
    assert.equal(template(shuffled), a);
    assert.equal(template(baseline()), a);
  });

  const good: Array<[string, Def, (all: Array<Record<string, unknown>>) => void]> = [
    [
      "system extensions accumulate per level, the most specific level lists all",
      change((d) => {
        d.install = { disk: "/dev/sda", extensions: ["siderolabs/iscsi-tools"] };
        d.workers = { install: { extensions: ["siderolabs/nvidia-open-gpu-kernel-modules-lts"] } };
        d.nodes[2].install = { extensions: ["siderolabs/zfs"] };
      }),
      (all) => {
        assert.deepEqual(all[0].systemExtensions, ["siderolabs/iscsi-tools"]);
        assert.equal(all[1].systemExtensions, undefined);
        assert.deepEqual(all[2].systemExtensions, ["siderolabs/iscsi-tools", "siderolabs/nvidia-open-gpu-kernel-modules-lts"]);
        assert.equal(all[4].systemExtensions, undefined);
        assert.deepEqual(all[5].systemExtensions, ["siderolabs/iscsi-tools", "siderolabs/nvidia-open-gpu-kernel-modules-lts", "siderolabs/zfs"]);
      },
    ],
    [
      "schematic kernel arguments become Omni kernelArgs",
      change((d) => void (d.install = { disk: "/dev/sda", kernelArgs: ["console=ttyS0"] })),
      (all) => assert.deepEqual(all[0].kernelArgs, ["console=ttyS0"]),
    ],
    [
      "workers from a machine class, sized by the definition's workers",
      change((d) => classWorkers(d, { name: "pool", machineClass: { name: "small" } })),
      (all) => {
        assert.deepEqual(all.map((d) => d.kind), ["Cluster", "ControlPlane", "Workers", "Machine"]);
        assert.equal(all[2].name, "pool");
        assert.deepEqual(all[2].machineClass, { name: "small", size: 2 });
        assert.equal(all[2].machines, undefined);
      },
    ],
    [
      "an unlimited machine class",
      change((d) => classWorkers(d, { machineClass: { name: "any", size: "unlimited" } })),
      (all) => assert.deepEqual(all[2].machineClass, { name: "any", size: "Unlimited" }),
    ],
    [
      "features are carried",
      change((d) => void (omni(d).features = { diskEncryption: true, enableWorkloadProxy: true, backupConfiguration: { interval: "2h0m0s" } })),
      (all) => assert.deepEqual(all[0].features, { diskEncryption: true, enableWorkloadProxy: true, backupConfiguration: { interval: "2h0m0s" } }),
    ],
    [
      "a backup interval in microseconds written with the Greek letter, which Go reads",
      change((d) => void (omni(d).features = { backupConfiguration: { interval: "1500\u03bcs" } })),
      (all) => assert.deepEqual(all[0].features, { backupConfiguration: { interval: "1500\u03bcs" } }),
    ],
    [
      "a backup interval Go's ParseDuration reads though no digit leads it (.5s)",
      change((d) => void (omni(d).features = { backupConfiguration: { interval: ".5s" } })),
      (all) => assert.deepEqual(all[0].features, { backupConfiguration: { interval: ".5s" } }),
    ],
    [
      "a backup interval of \"0\", which turns backups off",
      change((d) => void (omni(d).features = { backupConfiguration: { interval: "0" } })),
      (all) => assert.deepEqual(all[0].features, { backupConfiguration: { interval: "0" } }),
    ],
    [
      "generator options become a patch, per set when the roles differ",
      change((d) => void (d.additionalSANs = ["lab.example.internal"]), "1.14"),
      (all) => {
        assert.deepEqual(inlinePatches(all[1]).map((p) => p.name), ["talc-options", "talc-controlplane"]);
        assert.match(JSON.stringify(inlinePatches(all[1])[0].docs), /certExtraSANs/);
        assert.deepEqual(inlinePatches(all[2]).map((p) => p.name), ["talc-options", "talc-workers"]);
      },
    ],
    [
      "generator options shared by every role go to the cluster",
      change((d) => void (d.dnsDomain = "lab.local")),
      (all) => assert.deepEqual(inlinePatches(all[0]).map((p) => p.name), ["talc-options", "talc-cluster"]),
    ],
    [
      "a control plane only cluster has no Workers",
      change((d) => {
        d.nodes = [d.nodes[0]];
        omni(d).machines = { "cp-1": IDS["cp-1"] };
      }),
      (all) => assert.deepEqual(all.map((d) => d.kind), ["Cluster", "ControlPlane", "Machine"]),
    ],
    [
      "1.14: a deleted document does not drag Omni's documents into the patch",
      change((d) => void d.patches!.push({ apiVersion: "v1alpha1", kind: "KubePrismConfig", $patch: "delete" }), "1.14"),
      (all) => assert.match(JSON.stringify(inlinePatches(all[0])[0].docs), /KubePrismConfig/),
    ],
  ];
  for (const [name, def, check] of good) {
    test(`good: ${name}`, () => {
      const text = template(def);
      assert.deepEqual(validateOmniTemplate(text), []);
      check(docs(text));
    });
  }

  const bad: Array<[string, Def, string, RegExp]> = [
    ["a node without a machine ID", change((d) => delete omni(d).machines!["w-2" as keyof object]), "targets.omni.machines", /node w-2 has no Omni machine ID/],
    ["a machine ID that is no UUID", change((d) => void ((omni(d).machines as Record<string, string>)["w-1"] = "w1")), "targets.omni.machines.w-1", /not an Omni machine ID/],
    ["one machine for two nodes", change((d) => void ((omni(d).machines as Record<string, string>)["w-2"] = IDS["w-1"])), "targets.omni.machines.w-2", /given to w-1 too/],
    ["a machine ID for an unknown hostname", change((d) => void ((omni(d).machines as Record<string, string>)["w-9"] = "3d7f9d91-4e5f-4061-bc23-d4e5f6a7b8c9")), "targets.omni.machines.w-9", /no node has hostname "w-9"/],
    ["a patch naming the cluster", change((d) => d.patches!.push({ cluster: { clusterName: "other" } })), "patches[1]", /cluster\.clusterName.*Omni names the cluster/],
    ["a patch setting the endpoint", change((d) => d.patches!.push({ cluster: { controlPlane: { endpoint: "https://x:6443" } } })), "patches[1]", /cluster\.controlPlane\.endpoint/],
    ["a patch setting the install disk", change((d) => d.workers!.patches!.push({ machine: { install: { disk: "/dev/nvme0n1" } } })), "workers.patches[1]", /machine\.install\.disk.*per machine/],
    ["a patch setting the machine type", change((d) => void (d.nodes[1].patches = [{ machine: { type: "worker" } }])), "nodes[1].patches[0]", /machine\.type/],
    ["a patch setting the installer image", change((d) => d.patches!.push({ machine: { install: { image: "ghcr.io/siderolabs/installer:v1.13.9" } } })), "patches[1]", /installer image/],
    ["a forbidden document", change((d) => d.patches!.push({ apiVersion: "v1alpha1", kind: "KubeAPIServerCAConfig", $patch: "delete" }), "1.14"), "patches[1]", /KubeAPIServerCAConfig document.*Kubernetes CA/],
    ["a JSON6902 patch of the machine token", change((d) => d.patches!.push({ document: "v1alpha1", ops: [{ op: "replace", path: "/machine/token", value: "abcdef.0123456789abcdef" }] })), "patches[1]", /machine\.token/],
    ["a JSON6902 patch adding a parent with a forbidden field", change((d) => d.patches!.push({ document: "v1alpha1", ops: [{ op: "add", path: "/cluster/controlPlane", value: { endpoint: "https://x:6443" } }] })), "patches[1]", /cluster\.controlPlane\.endpoint/],
    // (on the control planes: Talos serves its API to Kubernetes only there)
    ["the Talos admin role for workloads", change((d) => void (d.controlPlane = { ...d.controlPlane, patches: [{ machine: { features: { kubernetesTalosAPIAccess: { enabled: true, allowedRoles: ["os:admin"], allowedKubernetesNamespaces: ["kube-system"] } } } }] })), "controlPlane.patches[0]", /os:admin/],
    ["an explicit installer image", change((d) => void (d.install = { disk: "/dev/sda", image: "ghcr.io/siderolabs/installer:v1.13.9" })), "install.image", /cannot pin the installer image/],
    ["wipe on Talos 1.14", change((d) => void (d.install = { disk: "/dev/sda", wipe: true }), "1.14"), "install.wipe", /UnattendedInstallConfig/],
    ["a secret in a patch", change((d) => d.patches!.push({ machine: { registries: { config: { "r.example": { auth: { username: "u", password: "p" } } } } } })), "patches", /sets a secret \(machine\.registries\.config\.r\.example\.auth\.password\)/],
    [
      "a machine class with an install disk",
      change((d) => {
        classWorkers(d, { machineClass: { name: "small" } });
        d.install = { disk: "/dev/sda" };
      }),
      "install.disk",
      /install disk per machine/,
    ],
    [
      "a machine class with node settings",
      change((d) => {
        classWorkers(d, { machineClass: { name: "small" } });
        d.nodes[2].patches = [{ machine: { nodeLabels: { "lab.example/gpu": "true" } } }];
      }),
      "nodes[2].patches",
      /machine class "small"/,
    ],
    [
      "a machine class and a machine ID for the same node",
      change((d) => {
        classWorkers(d, { machineClass: { name: "small" } });
        omni(d).machines = { ...IDS };
      }),
      "targets.omni.machines.w-1",
      /remove one or the other/,
    ],
    [
      "cluster kernel arguments with a machine class",
      change((d) => {
        classWorkers(d, { machineClass: { name: "small" } });
        d.install = { kernelArgs: ["console=ttyS0"] };
      }),
      "install.kernelArgs",
      /machine class/,
    ],
    ["workers named like the control plane set", change((d) => void (omni(d).workers = { name: "control-planes" })), "targets.omni.workers.name", /control plane set's name/],
    ["a misspelt Omni setting", change((d) => void (omni(d).worker = {})), "targets.omni.worker", /unknown Omni setting "worker"/],
    ["public discovery off before Talos 1.14", change((d) => void (omni(d).features = { disablePublicDiscoveryService: true })), "targets.omni.features.disablePublicDiscoveryService", /1\.14/],
    ["a backup interval without a unit", change((d) => void (omni(d).features = { backupConfiguration: { interval: "90" } })), "targets.omni.features.backupConfiguration", /expected \{interval: <duration>\}/],
    ["a bad machine class size", change((d) => void (omni(d).workers = { machineClass: { name: "x", size: -1 } })), "targets.omni.workers.machineClass.size", /not a machine count/],
  ];
  for (const [name, def, path, message] of bad) {
    test(`refuses ${name}`, () => {
      assert.throws(
        () => template(def),
        (e: unknown) => {
          assert.ok(e instanceof TalcError, String(e));
          const hit = e.all.find((p) => p.path === path && message.test(p.message));
          assert.ok(hit, `expected ${path}: ${message}; got:\n${e.lines().join("\n")}`);
          assert.equal(hit.file, FILE);
          assert.equal(hit.stage, "targets");
          return true;
        },
      );
    });
  }
});
