// `talc validate` through its command function: problems as `file: document:
// path: message`, exit 0 clean, 1 with problems, and bad input refused with a
// TalcError (which the CLI prints as one line, exit 2).

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readConfigText } from "../compiler/cli/config-files.ts";
import { validateCommand, imageTag } from "../compiler/cli/validate.ts";
import { TalcError } from "../compiler/errors.ts";
import { tempDir } from "./helpers/cli.ts";

const GOLDEN = fileURLToPath(new URL("./golden/gen/", import.meta.url));

const WORKER_112 = `version: v1alpha1
machine:
    type: worker
    token: "******"
    ca:
        crt: LS0t
        key: ""
    install:
        disk: /dev/sda
        image: ghcr.io/siderolabs/installer:v1.12.11
cluster:
    controlPlane:
        endpoint: https://10.0.0.1:6443
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], files: Record<string, string> = {}): Promise<Run> {
  const cwd = tempDir("talc-validate-");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  let stdout = "";
  let stderr = "";
  const code = await validateCommand(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe("talc validate", () => {
  test("a valid config: exit 0, nothing on stdout", async () => {
    const r = await run(["--config", "w.yaml"], { "w.yaml": WORKER_112 });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "talc: w.yaml valid for talos 1.12 in metal mode\n");
  });

  test("scalars reach their fields as Talos's decoder hands them over", async () => {
    // a string field or map of strings takes any scalar's text; a ByteSize reads the text too; a bool
    // field takes YAML 1.1's yes and off; a YAML number is read as go-yaml reads it (0644 is octal)
    const text = WORKER_112.replace(
      "    type: worker\n",
      "    type: worker\n    sysctls:\n        net.ipv4.ip_forward: 1\n        vm.swappiness: 0.5\n    nodeLabels:\n        rack: 7\n        spare: true\n    files:\n        - path: /var/etc/x\n          op: create\n          content: \"x\"\n          permissions: 0644\n",
    )
      .replace("version: v1alpha1\nmachine:", "version: v1alpha1\ndebug: off\nmachine:")
      .concat("---\napiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning:\n    maxSize: 1000000000\n");
    const r = await run(["--config", "w.yaml"], { "w.yaml": text });
    assert.equal(r.stdout, "");
    assert.equal(r.code, 0, r.stderr);
    // what the validation judged: each value as Talos's decoder holds it
    const [legacy, volume] = readConfigText(text, "w.yaml", undefined, "validate").docs as Array<Record<string, any>>;
    assert.equal(legacy.debug, false);
    assert.deepEqual(legacy.machine.sysctls, { "net.ipv4.ip_forward": "1", "vm.swappiness": "0.5" });
    assert.deepEqual(legacy.machine.nodeLabels, { rack: "7", spare: "true" });
    assert.equal(legacy.machine.files[0].permissions, 0o644);
    assert.equal(volume.provisioning.maxSize, "1000000000");
  });

  test("a word in a bool field and a size ByteSize cannot read are still refused", async () => {
    const text = WORKER_112.replace("    type: worker\n", "    type: worker\n    kubelet:\n        skipNodeRegistration: \"maybe\"\n") + "---\napiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning:\n    maxSize: 1e9\n";
    const r = await run(["--config", "w.yaml"], { "w.yaml": text });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^w\.yaml: v1alpha1: machine\.kubelet\.skipNodeRegistration: expected true or false/m);
    assert.match(r.stdout, /^w\.yaml: VolumeConfig\/EPHEMERAL: provisioning\.maxSize: .*1e9/m);
  });

  test("integers beyond 2^53 are held to their Go kind's range, not refused as numbers JavaScript cannot hold", async () => {
    const text = (mtu: string): string =>
      WORKER_112.replace("    type: worker\n", `    type: worker\n    network:\n        interfaces:\n            - interface: eth1\n              mtu: ${mtu}\n`);
    const fits = await run(["--config", "w.yaml"], { "w.yaml": text("9007199254740993") });
    assert.equal(fits.code, 0, fits.stdout);
    const past = await run(["--config", "w.yaml"], { "w.yaml": text("9223372036854775808") });
    assert.equal(past.code, 1);
    assert.equal(past.stdout, "w.yaml: v1alpha1: machine.network.interfaces[0].mtu: 9223372036854775808 is out of range for int (-9223372036854775808 to 9223372036854775807)\n");
  });

  test("an argument given as a list takes each item's text, as Talos decodes it into []string", async () => {
    const text = WORKER_112.replace("ghcr.io/siderolabs/installer:v1.12.11", "ghcr.io/siderolabs/installer:v1.14.0-rc.1").replace(
      "    type: worker\n",
      "    type: worker\n    kubelet:\n        extraArgs:\n            feature-gates:\n                - 1.10\n                - 0x10\n                - true\n",
    );
    const r = await run(["--config", "w.yaml"], { "w.yaml": text });
    assert.equal(r.stdout, "");
    assert.equal(r.code, 0);
  });

  test("a mapping in base runtime spec overrides with a key YAML reads as no string is refused, as json.Marshal refuses it", async () => {
    const text = (overrides: string): string => WORKER_112.replace("    type: worker\n", `    type: worker\n    baseRuntimeSpecOverrides:\n${overrides}`);
    const bad = await run(["--config", "w.yaml"], { "w.yaml": text("        annotations:\n            1: x\n        process:\n            env: [{true: 1}]\n") });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^w\.yaml: v1alpha1: machine\.baseRuntimeSpecOverrides\.annotations: has a key YAML reads as no string .*json: unsupported type: map\[interface \{\}\]interface \{\}/m);
    assert.match(bad.stdout, /^w\.yaml: v1alpha1: machine\.baseRuntimeSpecOverrides\.process\.env\[0\]: has a key YAML reads as no string/m);
    // quoted keys are strings, and the overrides' own keys are read into a map of strings
    const good = await run(["--config", "w.yaml"], { "w.yaml": text("        annotations:\n            \"1\": x\n            2001-01-01x: y\n        7: ignored\n") });
    assert.equal(good.stdout, "");
    assert.equal(good.code, 0);
  });

  test("keys and tagged scalars are read as go-yaml reads them into Talos's types", async () => {
    // go-yaml matches a struct field by the key's text, and a !!timestamp into a string field is its text
    const r = await run(["--config", "w.yaml"], { "w.yaml": WORKER_112.replace("    type: worker\n", "    type: !!timestamp 2001-12-14\n    1: x\n") });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^w\.yaml: v1alpha1: machine\["1"\]: unknown field "1"/m);
    assert.match(r.stdout, /^w\.yaml: v1alpha1: machine\.type: unknown machine type "2001-12-14"/m);
  });

  test("null documents (a trailing ---, --- ~) are skipped, as Talos skips them", async () => {
    for (const text of [`${WORKER_112}---\n`, `--- ~\n---\n${WORKER_112}--- null\n---\n`]) {
      const r = await run(["--config", "w.yaml"], { "w.yaml": text });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stderr, "talc: w.yaml valid for talos 1.12 in metal mode\n");
    }
  });

  test("problems: one line each, file: document: path: message, exit 1", async () => {
    const bad = WORKER_112.replace("disk: /dev/sda", "disk: /dev/sda\n        wipe: maybe").replace("    type: worker", "    type: worker\n    instal: {}");
    const r = await run(["--config", "bad.yaml", "--config", "w.yaml"], { "bad.yaml": bad, "w.yaml": WORKER_112 });
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      'bad.yaml: v1alpha1: machine.instal: unknown field "instal"; did you mean "install"?\n' +
        'bad.yaml: v1alpha1: machine.install.wipe: expected true or false, got the string "maybe"\n',
    );
    assert.equal(r.stderr, "talc: 2 problems in 1 of 2 configs (talos 1.12, metal mode)\n");
  });

  const contracts: Array<[string, string[], string, string]> = [
    ["the installer image's tag picks the version", [], WORKER_112, "talos 1.12"],
    ["--talos-version wins over the image", ["--talos-version", "v1.13.9"], WORKER_112, "talos 1.13"],
    ["without an image, the newest version", [], WORKER_112.replace(/\n {8}image: .*/, ""), "talos 1.14"],
    ["an Image Factory installer tag", [], WORKER_112.replace("ghcr.io/siderolabs/installer:v1.12.11", "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.13.2"), "talos 1.13"],
  ];
  for (const [name, args, text, version] of contracts) {
    test(name, async () => {
      const r = await run(["--config", "c.yaml", "--mode", "cloud", ...args], { "c.yaml": text });
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stderr, new RegExp(`valid for ${version.replace(".", "\\.")} in cloud mode`));
    });
  }

  test("the mode changes the rules", async () => {
    const noDisk = WORKER_112.replace("        disk: /dev/sda\n", "");
    assert.equal((await run(["--config", "c.yaml", "--mode", "cloud"], { "c.yaml": noDisk })).code, 0);
    const metal = await run(["--config", "c.yaml", "--mode", "metal"], { "c.yaml": noDisk });
    assert.equal(metal.code, 1);
    assert.match(metal.stdout, /^c\.yaml: v1alpha1: machine\.install\.disk: is required in metal mode/);
  });

  test("the project's generated configs are valid", async () => {
    for (const c of ["v1.12", "v1.13", "v1.14"]) {
      for (const role of ["controlplane", "worker"]) {
        const path = join(GOLDEN, c, `${role}.yaml`);
        const r = await run(["--config", path, "--talos-version", c]);
        assert.equal(r.code, 0, `${c} ${role}: ${r.stdout}`);
      }
    }
  });

  test("--help", async () => {
    const r = await run(["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: talc validate --config <file>… \[--mode metal\|cloud\|container\]/);
    assert.match(r.stdout, /--talos-version <value>/);
  });

  const bad: Array<[string, string[], Record<string, string>, RegExp]> = [
    ["no --config", [], {}, /^no config to validate; pass --config <file>$/],
    ["an unknown mode", ["--config", "c.yaml", "--mode", "vm"], { "c.yaml": WORKER_112 }, /^unknown mode "vm"; expected metal, cloud, container$/],
    ["an unknown flag", ["--config", "c.yaml", "--strict"], { "c.yaml": WORKER_112 }, /unknown option '--strict'; see 'talc validate --help'$/],
    ["a positional argument", ["c.yaml"], { "c.yaml": WORKER_112 }, /^unexpected argument "c\.yaml"; name config files with --config$/],
    ["a missing file", ["--config", "nope.yaml"], {}, /^cannot read the config \(ENOENT\); expected a readable machine config file$/],
    ["YAML that does not parse", ["--config", "c.yaml"], { "c.yaml": "machine: [\n" }, /^not valid YAML/],
    ["an empty file", ["--config", "c.yaml"], { "c.yaml": "" }, /^has no documents; expected a machine config$/],
    ["an unsupported version", ["--config", "c.yaml", "--talos-version", "v1.9"], { "c.yaml": WORKER_112 }, /^Talos v1\.9 is not a supported version contract/],
    ["an installer of an unsupported version", ["--config", "c.yaml"], { "c.yaml": WORKER_112.replace("v1.12.11", "v1.10.3") }, /the installer image "ghcr\.io\/siderolabs\/installer:v1\.10\.3" names it\. Pass --talos-version/],
  ];
  for (const [name, argv, files, message] of bad) {
    test(`bad input: ${name}`, async () => {
      await assert.rejects(run(argv, files), (e: unknown) => e instanceof TalcError && message.test(e.message));
    });
  }
});

test("imageTag", () => {
  assert.equal(imageTag("ghcr.io/siderolabs/installer:v1.13.9"), "v1.13.9");
  assert.equal(imageTag("registry.local:5000/installer:v1.12.0@sha256:abcd"), "v1.12.0");
  assert.equal(imageTag("registry.local:5000/installer"), undefined);
});
