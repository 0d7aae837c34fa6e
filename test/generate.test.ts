// The generator reproduces `talosctl gen config` byte for byte on Talos's own
// stability fixtures, for every supported contract.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generateConfig, type GenerateOptions, type Role } from "../compiler/generate/generate.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { loadSecretsBundle } from "../compiler/secrets/bundle.ts";
import { CONTRACTS, parseContract } from "../compiler/talos/contract.ts";
import { kubernetesSupport } from "../compiler/talos/versions.ts";
import { SKIP_UPSTREAM, upstreamFile } from "./helpers/upstream.ts";

const ROLES: Role[] = ["controlplane", "worker"];

describe("stability fixtures: base", { skip: SKIP_UPSTREAM }, () => {
  for (const contract of CONTRACTS) {
    for (const role of ROLES) {
      test(`v${contract} ${role}`, () => {
        const secrets = loadSecretsBundle(upstreamFile("talos/stability/secrets.yaml"), "secrets.yaml");
        const opts: GenerateOptions = { clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract, secrets };
        assert.equal(encodeConfig(generateConfig(opts, role)), upstreamFile(`talos/stability/v${contract}/base-${role}.yaml`));
      });
    }
  }
});

describe("contracts", () => {
  const cases: Array<[string, string]> = [
    ["v1.12", "1.12"],
    ["1.13.9", "1.13"],
    ["v1.14.0-rc.1", "1.14"],
    ["v1.15.0", "1.14"],
  ];
  for (const [version, contract] of cases) test(`${version} → ${contract}`, () => assert.equal(parseContract(version), contract));
  for (const bad of ["v1.11", "1", "latest", "v2.0"]) {
    test(`${bad} is refused`, () => assert.throws(() => parseContract(bad), /talos|version/i));
  }
  test("kubernetes 1.28 is outside 1.12's window", () => assert.equal(kubernetesSupport("1.12", "1.28.0").supported, false));
  test("kubernetes 1.35.4 is inside 1.12's window", () => assert.equal(kubernetesSupport("1.12", "1.35.4").supported, true));
  test("kubernetes 1.37.0-rc.0 is inside 1.14's window", () => assert.equal(kubernetesSupport("1.14", "1.37.0-rc.0").supported, true));
  test("a version built as 1.14 is told whose window it was checked against", () => {
    assert.equal(kubernetesSupport("1.14", "1.31.0", "v1.15.2").message, "kubernetes 1.31.0 is outside what Talos 1.14 supports (1.32 to 1.37), the window talc checks Talos 1.15 against");
    assert.equal(kubernetesSupport("1.14", "1.31.0", "v1.14.0").message, "kubernetes 1.31.0 is outside what Talos 1.14 supports (1.32 to 1.37)");
    assert.equal(kubernetesSupport("1.14", "1.31.0").message, "kubernetes 1.31.0 is outside what Talos 1.14 supports (1.32 to 1.37)");
  });
});
