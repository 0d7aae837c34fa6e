// The product's list of official extensions: its lookups and "did you mean",
// and, when ../shared is beside the checkout, that it matches the catalogue.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closestExtensions, extensionName, EXTENSION_TIERS, OFFICIAL_EXTENSIONS, officialExtension } from "../compiler/talos/extensions.ts";
import { SKIP_UPSTREAM, upstreamFile } from "./helpers/upstream.ts";

describe("official extensions", () => {
  it("names are unique, namespaced and sorted within their tier", () => {
    const names = OFFICIAL_EXTENSIONS.map((e) => e.name);
    assert.equal(new Set(names).size, names.length);
    for (const e of OFFICIAL_EXTENSIONS) assert.match(e.name, /^siderolabs\/[a-z0-9][a-z0-9-]*$/);
    for (const tier of EXTENSION_TIERS) {
      const inTier = OFFICIAL_EXTENSIONS.filter((e) => e.tier === tier).map((e) => e.name);
      assert.deepEqual(inTier, [...inTier].sort(), tier);
    }
  });

  const lookups: Array<[string, string | undefined, string | undefined]> = [
    ["siderolabs/iscsi-tools", "siderolabs/iscsi-tools", "core"],
    ["ghcr.io/siderolabs/gvisor:20250505.0", "siderolabs/gvisor", "core"],
    ["ghcr.io/siderolabs/tailscale@sha256:" + "a".repeat(64), "siderolabs/tailscale", "extra"],
    ["siderolabs/mdadm", "siderolabs/mdadm", "deprecated"],
    ["iscsi-tools", "iscsi-tools", undefined],
    ["ghcr.io/example/agent:1.0", "ghcr.io/example/agent:1.0", undefined],
  ];
  for (const [ref, name, tier] of lookups) {
    it(`looks up ${ref}`, () => {
      assert.equal(extensionName(ref), name);
      assert.equal(officialExtension(ref)?.tier, tier);
    });
  }

  const guesses: Array<[string, string[]]> = [
    ["siderolabs/iscsi-tool", ["siderolabs/iscsi-tools"]],
    ["iscsi-tools", ["siderolabs/iscsi-tools"]],
    ["sidero/tailscale", ["siderolabs/tailscale"]],
    ["siderolabs/qemu-guest-agnet", ["siderolabs/qemu-guest-agent"]],
    ["siderolabs/intel-ucod", ["siderolabs/intel-ucode"]],
    ["completely-unrelated-name", []],
  ];
  for (const [name, best] of guesses) {
    it(`did you mean, for ${name}`, () => {
      const got = closestExtensions(name);
      assert.ok(got.length <= 3);
      if (best.length === 0) assert.deepEqual(got, []);
      else assert.equal(got[0], best[0]);
    });
  }

  it("matches the extensions catalogue in ../shared/upstream", { skip: SKIP_UPSTREAM }, () => {
    const catalog = JSON.parse(upstreamFile("extensions-catalog.json")) as { extensions: Array<{ name: string; tier: string; image: string }> };
    const ours = new Map(OFFICIAL_EXTENSIONS.map((e) => [e.name, e.tier]));
    const theirs = new Map(catalog.extensions.map((e) => [e.name, e.tier]));
    assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort(), "names");
    for (const [name, tier] of theirs) assert.equal(ours.get(name), tier, `tier of ${name}`);
    for (const e of catalog.extensions) assert.equal(e.image, `ghcr.io/${e.name}`, "images follow the name");
  });
});
