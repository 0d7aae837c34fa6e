// Schematic IDs computed offline equal the Image Factory's, and every node's
// installer image is derived from its schematic.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TalcError } from "../compiler/errors.ts";
import type { Install } from "../compiler/define/definition.generated.ts";
import { installerFor } from "../compiler/generate/layers.ts";
import { encodeSchematic, factoryImage, parseSchematic, schematicId, type ImageSettings } from "../compiler/targets/schematic.ts";
import { validateDefinition } from "../compiler/load/definition.ts";
import { schematicCommand } from "../compiler/cli/schematic.ts";
import { runCli, tempDir } from "./helpers/cli.ts";
import { SKIP_UPSTREAM, upstreamFile } from "./helpers/upstream.ts";

describe("the factory's own vectors", { skip: SKIP_UPSTREAM }, () => {
  const vectors = SKIP_UPSTREAM ? [] : (JSON.parse(upstreamFile("image-factory/schematic-ids.json")) as { vectors: Array<{ name: string; input: string; id: string }> }).vectors;
  for (const v of vectors) test(v.name, () => assert.equal(schematicId(parseSchematic(v.input, v.name)), v.id));
});

describe("schematic IDs", () => {
  // IDs the public factory serves for these schematics, as its users quote them.
  const known: Array<[string, string[], string]> = [
    ["the QEMU guest agent", ["siderolabs/qemu-guest-agent"], "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515"],
    ["iSCSI and util-linux tools", ["siderolabs/iscsi-tools", "siderolabs/util-linux-tools"], "613e1592b2da41ae5e265e8789429f22e121aab91cb4deb6bc3c0b6262961245"],
  ];
  for (const [name, extensions, id] of known) {
    test(name, () => assert.equal(schematicId({ customization: { systemExtensions: { officialExtensions: extensions } } }), id));
  }
  test("the vanilla schematic", () => assert.equal(schematicId({}), "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba"));

  const combined = {
    customization: { systemExtensions: { officialExtensions: ["siderolabs/iscsi-tools"] }, extraKernelArgs: ["console=ttyS0"] },
    overlay: { options: { zeta: 1, alpha: "x" }, name: "rpi_generic", image: "siderolabs/sbc-raspberrypi" },
  };
  const canonical = [
    "overlay:",
    "    image: siderolabs/sbc-raspberrypi",
    "    name: rpi_generic",
    "    options:",
    "        alpha: x",
    "        zeta: 1",
    "customization:",
    "    extraKernelArgs:",
    "        - console=ttyS0",
    "    systemExtensions:",
    "        officialExtensions:",
    "            - siderolabs/iscsi-tools",
    "",
  ].join("\n");
  test("extensions, kernel arguments and an overlay together: the factory's field order", () => {
    assert.equal(encodeSchematic(combined), canonical);
    assert.equal(schematicId(combined), createHash("sha256").update(canonical).digest("hex"));
  });
  test("key order of the input does not matter", () => {
    const text = JSON.stringify({ overlay: combined.overlay, customization: combined.customization });
    assert.equal(schematicId(parseSchematic(text, "s.json")), schematicId(combined));
  });

  // Values JSON cannot write exactly still get the ID their encoding hashes to.
  const hashed = (s: unknown): string => createHash("sha256").update(encodeSchematic(s)).digest("hex");
  const withOption = (a: unknown) => ({ overlay: { image: "siderolabs/sbc-raspberrypi", name: "rpi_generic", options: { a } } });
  test("a bigint in the overlay options", () => {
    const s = withOption(10n ** 20n);
    assert.equal(schematicId(s), hashed(s));
  });
  test("a Date and its JSON text are different schematics", () => {
    const date = new Date(0);
    for (const s of [withOption(date), withOption(date.toISOString()), withOption(date)]) assert.equal(schematicId(s), hashed(s));
    assert.notEqual(schematicId(withOption(date)), schematicId(withOption(date.toISOString())));
  });

  const bad: Array<[string, string, RegExp]> = [
    ["an unknown field", "customization: {extensions: [a]}", /customization\.extensions.*unknown field "extensions"/],
    ["a meta key out of range", "customization: {meta: [{key: 300, value: x}]}", /meta\[0\]\.key.*0 to 255/],
    ["an owner outside the enterprise factory", "owner: me", /owner.*enterprise/],
    ["a list where a mapping belongs", "customization: []", /expected a mapping/],
  ];
  for (const [name, text, message] of bad) {
    test(`refuses ${name}`, () => assert.throws(() => parseSchematic(text, "s.yaml"), (e: unknown) => e instanceof TalcError && message.test(e.format())));
  }
});

describe("installer images", () => {
  const id = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
  const cases: Array<[string, Parameters<typeof factoryImage>[0], string]> = [
    ["metal by default", {}, `factory.talos.dev/metal-installer/${id}:v1.13.9`],
    ["another platform", { platform: "aws" }, `factory.talos.dev/aws-installer/${id}:v1.13.9`],
    ["SecureBoot", { secureBoot: true }, `factory.talos.dev/metal-installer-secureboot/${id}:v1.13.9`],
    ["a self-hosted factory", { factory: "factory.internal:8443" }, `factory.internal:8443/metal-installer/${id}:v1.13.9`],
    ["a pinned digest", { digest: `sha256:${"a".repeat(64)}` }, `factory.talos.dev/metal-installer/${id}:v1.13.9@sha256:${"a".repeat(64)}`],
  ];
  for (const [name, settings, image] of cases) test(name, () => assert.equal(factoryImage(settings, "v1.13.9").installer, image));

  // installerFor remembers each distinct install's result: values JSON writes alike must not share one.
  test("a node's installer is the Image Factory's for its own settings, whatever was asked before", () => {
    const overlay = (a: unknown) => ({ image: "siderolabs/sbc-raspberrypi", name: "rpi_generic", options: { a } });
    const values = [Number.NaN, Number.POSITIVE_INFINITY, null, "NaN", 1, "1"];
    const ids = new Set<string>();
    for (const a of [...values, ...values]) {
      const { installer, schematic } = installerFor({ overlay: overlay(a) } as Install, "v1.13.9");
      const want = factoryImage({ overlay: overlay(a) } as ImageSettings, "v1.13.9");
      assert.deepEqual({ installer, schematic }, { installer: want.installer, schematic: { id: want.id, text: want.text } }, String(a));
      ids.add(want.id);
    }
    assert.equal(ids.size, values.length, "each value is a schematic of its own");
  });

  test("an explicit image and schematic fields exclude each other", () => {
    const def = {
      name: "demo",
      talosVersion: "v1.13.9",
      kubernetesVersion: "1.36.3",
      endpoint: "https://10.0.0.1:6443",
      install: { image: "ghcr.io/siderolabs/installer:v1.13.9" },
      nodes: [{ hostname: "cp-1", role: "controlplane", install: { extensions: ["siderolabs/iscsi-tools"] } }],
    };
    assert.throws(() => validateDefinition(def, "c.ts"), (e: unknown) => e instanceof TalcError && /nodes\[0\]\.install: an explicit installer image and "extensions" exclude each other/.test(e.format()));
  });
});

describe("talc schematic id", () => {
  test("reads a file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "s.yaml"), "customization:\n  systemExtensions:\n    officialExtensions: [siderolabs/qemu-guest-agent]\n");
    const r = await runCli(["schematic", "id", "s.yaml"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515\n");
  });
  test("reads standard input", async () => {
    let out = "";
    const io = { stdout: (t: string) => void (out += t), stderr: () => {}, cwd: tempDir() };
    assert.equal(await schematicCommand(["id", "-"], io, async () => "{}"), 0);
    assert.equal(out, "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba\n");
  });
  test("a missing file is bad input", async () => {
    const r = await runCli(["schematic", "id", "nope.yaml"], tempDir());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.yaml: cannot read the schematic \(ENOENT\)/);
  });
});
