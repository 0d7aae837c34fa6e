// Conformance with Talos's own test data (../shared/upstream): what Talos
// generates validates clean, and the configpatcher outputs that are complete
// configs do too. Files are read as `talc validate --config` reads them.
// Skips, with its reason, when the data is not there.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, test } from "node:test";
import { readConfigText } from "../compiler/cli/config-files.ts";
import { CONTRACTS } from "../compiler/talos/contract.ts";
import { validateDocuments, type ValidationMode } from "../compiler/validate/index.ts";
import { SKIP_UPSTREAM, UPSTREAM, upstreamFile } from "./helpers/upstream.ts";

const lines = (problems: Array<{ document: string; path: string; message: string }>): string[] =>
  problems.map((p) => `${p.document}: ${p.path}: ${p.message}`);

describe("Talos's stability fixtures validate clean for their contract", { skip: SKIP_UPSTREAM }, () => {
  for (const c of CONTRACTS) {
    const files = UPSTREAM === undefined ? [] : readdirSync(`${UPSTREAM}talos/stability/v${c}`).filter((f) => f.endsWith(".yaml")).sort();
    for (const f of files) {
      test(`v${c}/${f}`, () => {
        const { docs } = readConfigText(upstreamFile(`talos/stability/v${c}/${f}`), f, c, "validate");
        for (const mode of ["cloud", "container"] as ValidationMode[]) assert.deepEqual(lines(validateDocuments(docs, { contract: c, mode })), [], mode);
        // Metal mode is stricter, and Talos's generator does not satisfy it before 1.14: without an
        // install disk (base), or with extra kernel arguments beside grubUseUKICmdline (overrides).
        const metal = lines(validateDocuments(docs, { contract: c, mode: "metal" }));
        const expected =
          c === "1.14"
            ? []
            : f.startsWith("base")
              ? ["v1alpha1: machine.install.disk: is required in metal mode unless machine.install.diskSelector is set: the disk to install to, such as /dev/sda"]
              : ["v1alpha1: machine.install.extraKernelArgs: cannot be used with grubUseUKICmdline: true; set grubUseUKICmdline: false to pass extra kernel arguments"];
        assert.deepEqual(metal, expected, "metal");
      });
    }
  }
});

// Which configpatcher outputs are whole configs: the ones a real machine could run. The others are
// fragments made to exercise merging (machine.type "", no CA, no cluster endpoint); for those only
// the schema-level structure is checked, and their problems must be the missing parts, nothing else.
const COMPLETE = ["patchdelete/controlplane_expected.yaml", "patchlink/expected.yaml", "patchmixed/expected.yaml"];
const FRAGMENTS = ["apply/expected.yaml", "apply/expected_manifests.yaml", "auditpolicy/expected.yaml", "multidoc/expected.yaml", "patchdelete/expected.yaml"];
const MISSING_PARTS = [
  /^v1alpha1: machine\.type: "" is read as worker; write worker$/,
  /^v1alpha1: machine\.ca: is required: set the Talos API CA/,
  /^v1alpha1: cluster: is required/,
  /^v1alpha1: cluster\.controlPlane\.endpoint: is required/,
  // apply/expected.yaml puts a VIP on what is, without a type, a worker
  /^v1alpha1: machine\.network\.interfaces\[0\]\.vip: is only allowed on control plane nodes/,
  // multidoc/expected.yaml's SideroLink URL has a path (/join), which Talos's SideroLinkConfig refuses;
  // the fixture only exercises merging
  /^SideroLinkConfig: apiUrl: "https:\/\/siderolink\.api\/join\?jointoken=secret&user=bob" has a path/,
];

describe("configpatcher outputs", { skip: SKIP_UPSTREAM }, () => {
  for (const f of COMPLETE) {
    test(`${f} is a complete config and validates clean`, () => {
      for (const c of CONTRACTS) {
        const { docs } = readConfigText(upstreamFile(`talos/configpatcher/${f}`), f, c, "validate");
        assert.deepEqual(lines(validateDocuments(docs, { contract: c, mode: "cloud" })), [], `v${c}`);
      }
    });
  }
  for (const f of FRAGMENTS) {
    test(`${f} is a fragment: only its missing parts are problems`, () => {
      for (const c of CONTRACTS) {
        const { docs } = readConfigText(upstreamFile(`talos/configpatcher/${f}`), f, c, "validate");
        const problems = lines(validateDocuments(docs, { contract: c, mode: "cloud" }));
        assert.ok(problems.length > 0, `v${c}: expected the missing parts to be reported`);
        for (const p of problems) assert.ok(MISSING_PARTS.some((re) => re.test(p)), `v${c}: unexpected ${p}`);
      }
    });
  }
});
