// The patch engine against Talos's own test data: every configpatcher case
// as upstream/README.md tables it (byte-identical output or the stated
// error), the three patch forms Talos loads, and the stability "overrides"
// fixtures (the generated config with patch.yaml or patch-pre14.yaml applied).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { TalcError } from "../compiler/errors.ts";
import { generateConfig, type GenerateOptions, type Role } from "../compiler/generate/generate.ts";
import type { ConfigDocument } from "../compiler/load/config.ts";
import { applyPatches, JsonPatch, loadPatches, MULTI_DOCUMENT_REASON, parseGoYaml, StrategicPatch } from "../compiler/patch/index.ts";
import { loadSecretsBundle } from "../compiler/secrets/bundle.ts";
import { CONTRACTS, type Contract } from "../compiler/talos/contract.ts";
import { SKIP_UPSTREAM, UPSTREAM, upstreamFile } from "./helpers/upstream.ts";

const CP = "talos/configpatcher/";

function config(rel: string): ConfigDocument[] {
  return parseGoYaml(upstreamFile(CP + rel), rel) as ConfigDocument[];
}

async function patched(input: ConfigDocument[], patches: string[]): Promise<string> {
  const loaded = await loadPatches(
    patches.map((p) => `@${p}`),
    { cwd: UPSTREAM + CP },
  );
  return encodeConfig(applyPatches(input, loaded));
}

interface Case {
  name: string;
  input: string | null;
  patches: string[];
  expected?: string;
  error?: RegExp;
  check?: (out: ConfigDocument[]) => void;
}

// As upstream/README.md tables them.
const CASES: Case[] = [
  {
    name: "apply",
    input: "apply/config.yaml",
    patches: ["apply/strategic1.yaml", "apply/jsonpatch1.yaml", "apply/jsonpatch2.yaml", "apply/strategic2.yaml", "apply/strategic3.yaml"],
    expected: "apply/expected.yaml",
  },
  { name: "apply, manifests", input: "apply/config.yaml", patches: ["apply/strategic4.yaml"], expected: "apply/expected_manifests.yaml" },
  { name: "multidoc", input: "multidoc/config.yaml", patches: ["multidoc/strategic1.yaml", "multidoc/strategic2.yaml", "multidoc/strategic3.yaml"], expected: "multidoc/expected.yaml" },
  { name: "multidoc, JSON patch", input: "multidoc/config.yaml", patches: ["multidoc/jsonpatch.yaml", "multidoc/strategic1.yaml"], error: new RegExp(`^${MULTI_DOCUMENT_REASON}`) },
  { name: "empty input", input: null, patches: ["multidoc/strategic2.yaml"], check: (out) => assert.equal(out.length, 2) },
  { name: "audit policy", input: "auditpolicy/config.yaml", patches: ["auditpolicy/patch1.yaml"], expected: "auditpolicy/expected.yaml" },
  { name: "delete", input: "patchdelete/config.yaml", patches: ["patchdelete/strategic1.yaml"], expected: "patchdelete/expected.yaml" },
  {
    name: "delete, control plane",
    input: "patchdelete/controlplane_orig.yaml",
    patches: ["patchdelete/strategic2.yaml", "patchdelete/strategic3.yaml", "patchdelete/strategic4.yaml"],
    expected: "patchdelete/controlplane_expected.yaml",
  },
  { name: "delete a missing path", input: "patchdeletemissing/config.yaml", patches: ["patchdeletemissing/strategic1.yaml"], error: /machine\.network\.hostname/ },
  { name: "link", input: "patchlink/base.yaml", patches: ["patchlink/patch.yaml"], expected: "patchlink/expected.yaml" },
  { name: "mixed", input: "patchmixed/base.yaml", patches: ["patchmixed/patch.yaml"], expected: "patchmixed/expected.yaml" },
];

describe("configpatcher cases", { skip: SKIP_UPSTREAM }, () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const input = c.input === null ? [] : config(c.input);
      const before = JSON.stringify(input);
      if (c.error !== undefined) {
        await assert.rejects(patched(input, c.patches), (e: unknown) => {
          assert.ok(e instanceof TalcError, String(e));
          assert.match(e.path === undefined ? e.message : `${e.message} ${e.path}`, c.error!);
          return true;
        });
      } else if (c.expected !== undefined) {
        assert.equal(await patched(input, c.patches), upstreamFile(CP + c.expected));
      } else {
        const loaded = await loadPatches(c.patches.map((p) => `@${p}`), { cwd: UPSTREAM + CP });
        c.check!(applyPatches(input, loaded));
      }
      assert.equal(JSON.stringify(input), before, "the input was mutated");
    });
  }
});

describe("patch forms Talos loads", { skip: SKIP_UPSTREAM }, () => {
  test("JSON6902 written as JSON", async () => {
    const [p] = await loadPatches(["@patch.json"], { cwd: UPSTREAM + CP });
    assert.ok(p instanceof JsonPatch);
    assert.deepEqual(p.ops.map((o) => [o.op, o.path]), [["add", "/machine/certSANs"]]);
  });
  test("JSON6902 written as YAML", async () => {
    const [p] = await loadPatches(["@patch.yaml"], { cwd: UPSTREAM + CP });
    assert.ok(p instanceof JsonPatch);
    assert.equal(p.ops.length, 1);
    assert.equal(p.ops[0].path, "/some/path");
    assert.deepEqual(p.ops[0].value, ["a", "b", "c"]);
  });
  test("strategic merge patch", async () => {
    const [p] = await loadPatches(["@strategic.yaml"], { cwd: UPSTREAM + CP });
    assert.ok(p instanceof StrategicPatch);
    assert.equal(p.documents.length, 1);
  });
});

// The options of the stability "overrides" fixtures (upstream/README.md).
function overridesOptions(contract: Contract): GenerateOptions {
  return {
    clusterName: "base",
    endpoint: "https://base:6443",
    kubernetesVersion: "1.28.0",
    contract,
    secrets: loadSecretsBundle(upstreamFile("talos/stability/secrets.yaml"), "secrets.yaml"),
    additionalSANs: ["foo", "bar"],
    allowSchedulingOnControlPlanes: true,
    dnsDomain: "example.com",
    installDisk: "/dev/vda",
    installExtraKernelArgs: ["foo=bar", "bar=baz"],
    localAPIServerPort: 5443,
    sysctls: { foo: "bar" },
    cniCustomURL: "https://example.com/cni.yaml",
    registryMirrors: [["ghcr.io", "https://ghcr.io.my-mirror.com"]],
  };
}

describe("stability fixtures: overrides", { skip: SKIP_UPSTREAM }, () => {
  const ROLES: Role[] = ["controlplane", "worker"];
  for (const contract of CONTRACTS) {
    for (const role of ROLES) {
      test(`v${contract} ${role}`, async () => {
        const base = generateConfig(overridesOptions(contract), role);
        const patch = contract === "1.14" ? "patch.yaml" : "patch-pre14.yaml";
        const loaded = await loadPatches([`@${patch}`], { cwd: UPSTREAM + "talos/stability/", contract });
        const out = encodeConfig(applyPatches(base, loaded, { contract }));
        assert.equal(out, upstreamFile(`talos/stability/v${contract}/overrides-${role}.yaml`));
      });
    }
  }
});
