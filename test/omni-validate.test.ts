// validateOmniTemplate: the structural rules Omni applies to a cluster
// template, each case a valid baseline with one change.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatOmniProblem, isMachineId, parsesAsTolerantSemver, validateOmniTemplate } from "../compiler/targets/omni.ts";

const CP = "430d882a-51a8-48b3-ae00-90c5b0b5b0b0";
const W1 = "430d882a-51a8-48b3-ab00-d4b5b0b5b0b0";
const W2 = "530d882a-51a8-48b3-ab00-d4b5b0b5b0b0";

const CLUSTER = `kind: Cluster
name: lab
kubernetes:
  version: v1.36.3
talos:
  version: v1.13.9
patches:
  - name: kubelet
    inline: |
      machine:
        kubelet:
          extraArgs:
            rotate-server-certificates: "true"
`;
const CONTROL_PLANE = `kind: ControlPlane
machines:
  - ${CP}
`;
const WORKERS = `kind: Workers
machines:
  - ${W1}
`;
const MACHINE = `kind: Machine
name: ${CP}
install:
  disk: /dev/sda
patches:
  - name: hostname
    inline:
      apiVersion: v1alpha1
      kind: HostnameConfig
      auto: "off"
      hostname: cp-1
`;

function template(...docs: string[]): string {
  return docs.join("---\n");
}

const BASE = [CLUSTER, CONTROL_PLANE, WORKERS, MACHINE];

function replace(index: number, doc: string): string {
  const docs = [...BASE];
  docs[index] = doc;
  return template(...docs);
}

describe("validateOmniTemplate", () => {
  const good: Array<[string, string]> = [
    ["the baseline", template(...BASE)],
    ["no workers", template(CLUSTER, CONTROL_PLANE, MACHINE)],
    ["named worker sets", template(...BASE, `kind: Workers\nname: gpu\nmachines:\n  - ${W2}\n`)],
    ["a machine class with a size", template(CLUSTER, CONTROL_PLANE, WORKERS, `kind: Workers\nname: pool\nmachineClass:\n  name: small\n  size: 3\n`)],
    ["an unlimited machine class", template(CLUSTER, CONTROL_PLANE, `kind: Workers\nmachineClass:\n  name: any\n  size: unlimited\n`)],
    ["a tolerant Kubernetes version", replace(0, CLUSTER.replace("v1.36.3", "1.36"))],
    ["a pre-release Talos version", replace(0, CLUSTER.replace("v1.13.9", "v1.14.0-rc.1"))],
    ["a multi-document inline patch as a list", replace(3, MACHINE.replace(/inline:[\s\S]*$/, "inline:\n      - apiVersion: v1alpha1\n        kind: HostnameConfig\n        hostname: cp-1\n      - apiVersion: v1alpha1\n        kind: KubePrismConfig\n        port: 7445\n"))],
    ["a patch by file (not read)", replace(0, CLUSTER.replace(/patches:[\s\S]*$/, "patches:\n  - file: patches/x.yaml\n"))],
    ["an idOverride instead of a name", replace(0, CLUSTER.replace("  - name: kubelet\n", "  - idOverride: 200-mine\n"))],
    ["a locked worker machine", template(...BASE, `kind: Machine\nname: ${W1}\nlocked: true\n`)],
    ["features and update strategies", template(CLUSTER + "features:\n  diskEncryption: true\n  backupConfiguration:\n    interval: 1h0m0s\n", CONTROL_PLANE, WORKERS + "updateStrategy:\n  type: Rolling\n  rolling:\n    maxParallelism: 2\n", MACHINE)],
    ["a backup interval of half a second written .5s, which Go's ParseDuration reads", template(CLUSTER + "features:\n  backupConfiguration:\n    interval: .5s\n", CONTROL_PLANE, WORKERS, MACHINE)],
    ["a backup interval of +1h, which Go's ParseDuration reads", template(CLUSTER + "features:\n  backupConfiguration:\n    interval: +1h\n", CONTROL_PLANE, WORKERS, MACHINE)],
    ["a backup interval of \"0\" (backups off), which Go's ParseDuration reads", template(CLUSTER + "features:\n  backupConfiguration:\n    interval: \"0\"\n", CONTROL_PLANE, WORKERS, MACHINE)],
    ["a backup interval of -1h (backups off, as 0), which Go's ParseDuration reads", template(CLUSTER + "features:\n  backupConfiguration:\n    interval: -1h\n", CONTROL_PLANE, WORKERS, MACHINE)],
    ["a backup interval of the integer 0, which go-yaml takes for a duration", template(CLUSTER + "features:\n  backupConfiguration:\n    interval: 0\n", CONTROL_PLANE, WORKERS, MACHINE)],
    ["an empty backup interval", template(CLUSTER + "features:\n  backupConfiguration:\n    interval:\n", CONTROL_PLANE, WORKERS, MACHINE)],
  ];
  for (const [name, text] of good) {
    test(`accepts ${name}`, () => assert.deepEqual(validateOmniTemplate(text).map(formatOmniProblem), []));
  }

  const bad: Array<[string, string, RegExp]> = [
    ["two clusters", template(...BASE, CLUSTER), /template should contain 1 cluster, got 2/],
    ["no cluster", template(CONTROL_PLANE, WORKERS, MACHINE), /template should contain 1 cluster, got 0/],
    ["no control plane", template(CLUSTER, WORKERS), /template should contain 1 controlplane, got 0/],
    ["two control planes", template(...BASE, `kind: ControlPlane\nmachines:\n  - ${W2}\n`), /template should contain 1 controlplane, got 2/],
    ["duplicate worker set names", template(...BASE, `kind: Workers\nmachines:\n  - ${W2}\n`), /duplicate workers with name ""/],
    ["a machine in two worker sets", template(...BASE, `kind: Workers\nname: b\nmachines:\n  - ${W1}\n`), /machine "430d882a-51a8-48b3-ab00-d4b5b0b5b0b0" is used in multiple workers/],
    ["a machine in the control plane and workers", template(CLUSTER, CONTROL_PLANE, `kind: Workers\nmachines:\n  - ${CP}\n`), /are used in both controlplane and workers/],
    ["machines and a machine class", replace(2, WORKERS + "machineClass:\n  name: small\n  size: 1\n"), /both machines and machine class/],
    ["kernel arguments with a machine class", template(CLUSTER, CONTROL_PLANE, `kind: Workers\nmachineClass:\n  name: small\n  size: 1\nkernelArgs:\n  - console=ttyS0\n`), /kernelArgs cannot be defined for machine set/],
    ["cluster kernel arguments with a machine class", template(CLUSTER + "kernelArgs:\n  - console=ttyS0\n", CONTROL_PLANE, `kind: Workers\nmachineClass:\n  name: small\n  size: 1\n`), /at cluster level for this machine set/],
    ["a bad machine class size", template(CLUSTER, CONTROL_PLANE, `kind: Workers\nmachineClass:\n  name: small\n  size: lots\n`), /invalid machine count/],
    ["a cluster name with a space", replace(0, CLUSTER.replace("name: lab", "name: my lab")), /name should only contain letters, digits, dashes and underscores/],
    ["no cluster name", replace(0, CLUSTER.replace("name: lab\n", "")), /name is required/],
    ["a bad Kubernetes version", replace(0, CLUSTER.replace("v1.36.3", "vN.2")), /Kubernetes version "vN.2" should be in semver format/],
    ["no Talos version", replace(0, CLUSTER.replace("talos:\n  version: v1.13.9\n", "")), /Talos version is required/],
    ["a Talos version without v", replace(0, CLUSTER.replace("v1.13.9", "1.13.9")), /should start with 'v'/],
    ["a malformed Talos version", replace(0, CLUSTER.replace("v1.13.9", "v1.3.0gamma.0")), /Talos version "v1.3.0gamma.0" should be in semver format/],
    ["a named control plane", replace(1, CONTROL_PLANE + "name: dodo\n"), /custom name is not allowed in the controlplane/],
    ["an update strategy on the control plane", replace(1, CONTROL_PLANE + "updateStrategy:\n  type: Rolling\n"), /updateStrategy is not allowed in the controlplane/],
    ["an incomplete bootstrap spec", replace(1, CONTROL_PLANE + "bootstrapSpec:\n  snapshot: x.snapshot\n"), /clusterUUID is required in bootstrapSpec/],
    ["workers named control-planes", replace(2, WORKERS + "name: control-planes\n"), /name "control-planes" cannot be used in workers/],
    ["a bootstrap spec on workers", replace(2, WORKERS + "bootstrapSpec:\n  clusterUUID: x\n  snapshot: y\n"), /bootstrapSpec is not allowed in workers/],
    ["a machine ID that is no UUID", replace(1, "kind: ControlPlane\nmachines:\n  - cp-1\n"), /invalid machine ID "cp-1"/],
    ["a machine that no set uses", template(...BASE, `kind: Machine\nname: ${W2}\n`), /machine "530d882a-51a8-48b3-ab00-d4b5b0b5b0b0" is not used in controlplane or workers/],
    ["a locked control plane machine", replace(3, MACHINE + "locked: true\n"), /is locked and used in controlplane/],
    ["a disk and a disk selector", replace(3, MACHINE.replace("  disk: /dev/sda\n", "  disk: /dev/sda\n  diskSelector: disk.size > 10u * GB\n")), /mutually exclusive/],
    ["a backup interval without a unit", template(CLUSTER + "features:\n  backupConfiguration:\n    interval: \"90\"\n", CONTROL_PLANE, WORKERS, MACHINE), /backupConfiguration\.interval must be a duration/],
    ["a backup interval given as a number of seconds", template(CLUSTER + "features:\n  backupConfiguration:\n    interval: 3600\n", CONTROL_PLANE, WORKERS, MACHINE), /backupConfiguration\.interval must be a duration/],
    ["a backup interval past Go's duration range", template(CLUSTER + "features:\n  backupConfiguration:\n    interval: 2562048h\n", CONTROL_PLANE, WORKERS, MACHINE), /backupConfiguration\.interval must be a duration/],
    ["an unknown kind", template(...BASE, "kind: FunnyCluster\n"), /unknown model kind "FunnyCluster"/],
    ["a document without a kind", template(...BASE, "name: x\n"), /kind field not found/],
    ["an unknown field", replace(0, CLUSTER + "containerd: {}\n"), /field containerd not found in Cluster/],
    ["an unknown nested field", replace(1, CONTROL_PLANE + "machineClass:\n  name: x\n  count: 1\n"), /field count not found in machineClass/],
    ["a reserved label", replace(0, CLUSTER + "labels:\n  omni.sidero.dev/cluster: x\n"), /prefix "omni.sidero.dev\/" is reserved/],
    ["an inline patch without a name", replace(0, CLUSTER.replace("  - name: kubelet\n    inline:", "  - inline:")), /either name or idOverride is required for inline patches/],
    ["a patch with file and inline", replace(0, CLUSTER.replace("  - name: kubelet\n", "  - name: kubelet\n    file: x.yaml\n")), /path and inline are mutually exclusive/],
    ["an empty patch", replace(0, CLUSTER.replace(/patches:[\s\S]*$/, "patches:\n  - {}\n")), /path or inline is required/],
    ["a patch naming the cluster", replace(0, CLUSTER.replace("machine:\n        kubelet:", "cluster:\n        clusterName: x\n      machine:\n        kubelet:")), /cluster\.clusterName/],
    ["a patch with the install disk", replace(3, MACHINE.replace(/inline:[\s\S]*$/, "inline:\n      machine:\n        install:\n          disk: /dev/sdb\n")), /machine\.install\.disk/],
    ["a patch with a document Omni manages", replace(3, MACHINE.replace("kind: HostnameConfig", "kind: KubeClusterConfig")), /KubeClusterConfig document/],
    ["a patch with the service account key", replace(3, MACHINE.replace(/inline:[\s\S]*$/, "inline:\n      apiVersion: v1alpha1\n      kind: KubeServiceAccountConfig\n      issuer:\n        privateKey: x\n")), /issuer\.privateKey/],
    ["a patch granting os:admin", replace(3, MACHINE.replace(/inline:[\s\S]*$/, "inline:\n      apiVersion: v1alpha1\n      kind: KubeTalosAPIAccessConfig\n      allowedRoles: [os:reader, os:admin]\n")), /"os:admin" in allowedRoles/],
    ["the same worker set ID twice", template(...BASE, `kind: Workers\nname: workers\nmachines:\n  - ${W2}\n`), /machine set ID "lab-workers" is used by documents 3 and 5/],
    ["the same patch ID twice", replace(0, CLUSTER.replace("  - name: kubelet\n", "  - idOverride: same\n") + "  - idOverride: same\n    inline:\n      machine: {}\n"), /patch ID "same" is used twice/],
    ["not YAML", "kind: Cluster\n  name: [\n", /yaml/i],
  ];
  for (const [name, text, message] of bad) {
    test(`refuses ${name}`, () => {
      const problems = validateOmniTemplate(text).map(formatOmniProblem);
      assert.ok(
        problems.some((p) => message.test(p)),
        `expected ${message}; got:\n${problems.join("\n") || "(nothing)"}`,
      );
    });
  }

  test("machine IDs in every form Omni parses", () => {
    const cases: Array<[string, boolean]> = [
      [CP, true],
      [CP.toUpperCase(), true],
      [`{${CP}}`, true],
      [`urn:uuid:${CP}`, true],
      [CP.replaceAll("-", ""), true],
      ["cp-1", false],
      [CP.slice(1), false],
      [CP.replace("-", "x"), false],
      [`${CP.slice(0, -1)}g`, false],
    ];
    for (const [id, ok] of cases) assert.equal(isMachineId(id), ok, id);
  });

  test("versions as Omni's tolerant semver parsing takes them", () => {
    const cases: Array<[string, boolean]> = [
      ["v1.36.3", true],
      ["1.36.3", true],
      ["1.36", true],
      ["v1", true],
      ["v1.14.0-rc.1", true],
      ["1.2.3+build.5", true],
      [" v1.2.3 ", true],
      ["v01.02.03", true],
      ["vN.2", false],
      ["v1.3.0gamma.0", false],
      ["1.2-rc.1", false],
      ["1.2.3-01", false],
      ["", false],
    ];
    for (const [v, ok] of cases) assert.equal(parsesAsTolerantSemver(v), ok, v);
  });
});
