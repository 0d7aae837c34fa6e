// No secret reaches out/: the scanner (compiler/secrets/scan.ts) finds the
// shapes secrets take, finds nothing in what build writes for every example,
// for definitions that plant secrets at every kind of secret path, and for
// fuzzed definitions; and build and check never open a secrets bundle.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readTree } from "../compiler/check/index.ts";
import { TalcError } from "../compiler/errors.ts";
import { validateDefinition } from "../compiler/load/definition.ts";
import { PACKAGE_ROOT as PROJECT } from "../compiler/paths.ts";
import { compileCluster } from "../compiler/pipeline.ts";
import { formatFindings, scanFiles, scanText, type SecretKind } from "../compiler/secrets/scan.ts";
import { SECRET_PATHS } from "../compiler/talos/secrets.ts";
import { fuzz, SECRET_PATCHES, withSecret } from "../scripts/fuzz.ts";
import { runCli, tempDir, tempRepo } from "./helpers/cli.ts";

const SECRETS = fileURLToPath(new URL("./fixtures/test-secrets.yaml", import.meta.url));
const PRELOAD = fileURLToPath(new URL("./crash-preload.mjs", import.meta.url));
const TALC = fileURLToPath(new URL("../bin/talc.js", import.meta.url));

function exampleRepo(): string {
  const dir = tempRepo();
  cpSync(join(PROJECT, "clusters"), join(dir, "clusters"), { recursive: true });
  return dir;
}

const PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oPqHyW0nXP1ZoAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n";
const b64 = (s: string): string => Buffer.from(s).toString("base64");

describe("the scanner", () => {
  const positives: Array<[string, string, string, SecretKind]> = [
    ["a PEM private key", "a.yaml", `x: |\n  ${PEM.replaceAll("\n", "\n  ")}`, "pem-block"],
    ["a PEM certificate", "a.txt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "pem-block"],
    ["base64 of PEM", "a.yaml", `crt: ${b64(PEM)}\n`, "pem-base64"],
    ["base64 of PEM, shifted by one byte", "a.yaml", `v: ${b64(`x${PEM}`)}\n`, "pem-base64"],
    ["base64 of PEM, shifted by two bytes", "a.yaml", `v: ${b64(`xy${PEM}`)}\n`, "pem-base64"],
    ["base64 of a key inside a JSON string", "a.json", JSON.stringify({ data: { "tls.key": b64(PEM) } }), "pem-base64"],
    ["a bootstrap token", "a.yaml", "token: h0hpl4.qk1dacd3ydkvvbqn\n", "talos-token"],
    ["a token in a command line", "a.json", '{"args": ["--token=abcdef.0123456789abcdef"]}', "talos-token"],
    ["an age secret key", "a.txt", "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSSCYX9NQ\n", "age-secret-key"],
    ["a value at machine.token", "a.yaml", "version: v1alpha1\nmachine:\n  token: hunter2\n", "secret-field"],
    ["a value at cluster.secretboxEncryptionSecret", "a.yaml", "version: v1alpha1\ncluster:\n  secretboxEncryptionSecret: short\n", "secret-field"],
    ["a registry password", "a.yaml", "machine:\n  registries:\n    config:\n      r.example:\n        auth:\n          password: p\n", "secret-field"],
    ["a WireguardConfig private key", "a.yaml", "apiVersion: v1alpha1\nkind: WireguardConfig\nname: wg0\nprivateKey: x\n", "secret-field"],
    ["a random value under a secret-like key", "a.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  apiToken: 9fK2mQ7xLp4Zr8Wt1Yb6Nc3Vd5Hj0Sg2\n", "high-entropy"],
  ];
  for (const [name, file, text, kind] of positives) {
    test(`finds ${name}`, () => {
      const found = scanText(file, text);
      assert.ok(found.some((f) => f.kind === kind), `${kind} not among ${formatFindings(found).join("; ")}`);
      for (const f of found) assert.ok(!f.message.includes("qk1dacd3ydkvvbqn") && !f.message.includes("hunter2"), "a finding quotes the secret");
    });
  }

  test("reports the line of a secret field", () => {
    const [finding] = scanText("n.yaml", "version: v1alpha1\nmachine:\n  type: worker\n  token: hunter2\n");
    assert.deepEqual([finding.line, finding.path], [4, "machine.token"]);
  });

  const negatives: Array<[string, string, string]> = [
    ["the redaction marker", "a.yaml", "version: v1alpha1\nmachine:\n  token: '******'\n  ca:\n    crt: '******'\n    key: '******'\n"],
    ["a delete directive at a secret path", "a.yaml", "version: v1alpha1\nmachine:\n  token:\n    $patch: delete\n"],
    ["host names and versions", "a.yaml", "endpoint: https://edge.example.internal:6443\nimage: ghcr.io/siderolabs/installer:v1.13.9\nserver: time.cloudflare.com\n"],
    ["digests and schematic ids", "a.json", JSON.stringify({ schematic: "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515", sha: "sha256:" + "ab".repeat(32) })],
    ["a short value under a secret-like key", "a.yaml", "tokenTTL: 24h\nsecretName: x\n"],
  ];
  for (const [name, file, text] of negatives) {
    test(`ignores ${name}`, () => assert.deepEqual(formatFindings(scanText(file, text)), []));
  }

  test("finds the secrets in a real bundle and in what materialize writes", async () => {
    assert.ok(scanText("secrets.yaml", readFileSync(SECRETS, "utf8")).length >= 10);
    const dir = exampleRepo();
    const dest = tempDir("talc-scan-materialized-");
    const r = await runCli(["materialize", "edge", "--secrets", SECRETS, "--out", join(dest, "edge")], dir);
    assert.equal(r.code, 0, r.stderr);
    const kinds = new Set(scanFiles(await readTree(join(dest, "edge"))).map((f) => f.kind));
    for (const kind of ["pem-base64", "talos-token", "secret-field"] as const) assert.ok(kinds.has(kind), `materialized configs: no ${kind}`);
  });
});

describe("what build writes", () => {
  test("for every example holds no secret (and the committed out/ neither)", async () => {
    const dir = exampleRepo();
    const r = await runCli(["build"], dir);
    assert.equal(r.code, 0, r.stderr);
    const written = await readTree(join(dir, "out"));
    assert.ok(written.size > 10);
    assert.deepEqual(formatFindings(scanFiles(written)), []);
    assert.deepEqual(formatFindings(scanFiles(await readTree(join(PROJECT, "out")))), []);
  });

  test("holds no secret when definitions set every kind of secret field, in every layer", () => {
    const values = [
      "abcdef.0123456789abcdef",
      PEM,
      b64(PEM),
      "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSSCYX9NQ",
      "c2VjcmV0IHNlY3JldCBzZWNyZXQgc2VjcmV0IHNlY3JldA==",
    ];
    let compiled = 0;
    const refused: string[] = [];
    for (const [p, template] of SECRET_PATCHES.entries()) {
      for (const [v, value] of values.entries()) {
        const patch = withSecret(template, value);
        // Each patch and value once, in a layer that rotates, so every layer meets every patch.
        for (const layer of [(["cluster", "controlPlane", "node"] as const)[(p + v) % 3]]) {
          const def = {
            name: "leak",
            talosVersion: v % 2 === 0 ? "v1.13.9" : "v1.14.0-rc.1",
            kubernetesVersion: v % 2 === 0 ? "1.36.3" : "1.37.0-rc.0",
            endpoint: "https://10.0.0.1:6443",
            install: { disk: "/dev/sda" },
            ...(layer === "cluster" ? { patches: [patch] } : {}),
            ...(layer === "controlPlane" ? { controlPlane: { patches: [patch] } } : {}),
            nodes: [{ hostname: "cp-1", role: "controlplane", ...(layer === "node" ? { patches: [patch] } : {}) }, { hostname: "w-1", role: "worker" }],
          };
          try {
            const files = compileCluster(validateDefinition(def, "clusters/leak.ts")).files;
            compiled++;
            assert.deepEqual(formatFindings(scanFiles(files)), [], `secret patch ${p + 1}, value ${v + 1}, ${layer}`);
          } catch (e) {
            if (!(e instanceof TalcError)) throw e;
            refused.push(`${p + 1}: ${e.message}`);
          }
        }
      }
    }
    // Most of them must compile, or the test proves little.
    assert.ok(compiled >= (SECRET_PATCHES.length * values.length * 3) / 4, `only ${compiled} compiled; refused: ${[...new Set(refused)].join("\n")}`);
  });

  test("the secret patches reach every document kind with secret paths that the releases share", () => {
    const kinds = new Set(SECRET_PATCHES.map((p) => (p as { kind?: string }).kind ?? "v1alpha1"));
    for (const kind of ["v1alpha1", "RegistryAuthConfig", "WireguardConfig", "VolumeConfig"]) assert.ok(kinds.has(kind), kind);
    // the kinds left out, each on purpose: generated by talc (the secrets bundle's), or with secret paths not every release has
    assert.deepEqual(
      Object.keys(SECRET_PATHS)
        .filter((k) => !kinds.has(k))
        .sort(),
      [
        "DiscoveryIdentityConfig",
        "HCloudVIPConfig",
        "KubeAPIServerCAConfig",
        "KubeAggregatorCAConfig",
        "KubeEtcdEncryptionConfig",
        "KubeServiceAccountConfig",
        "RawVolumeConfig",
        "RegistryTLSConfig",
        "SwapVolumeConfig",
        "UserVolumeConfig",
      ],
    );
  });

  test("holds no secret for fuzzed definitions", async () => {
    const report = await fuzz({ iterations: 150, seed: 20260901, targets: ["definition"] });
    assert.deepEqual(report.crashes.map((c) => c.error.split("\n")[0]), []);
    assert.ok(report.outcomes.definition.accepted > 5, "too few fuzzed definitions compiled");
  });
});

describe("build and check", () => {
  test("never open a secrets bundle", { timeout: 60_000 }, async () => {
    const dir = exampleRepo();
    // Named pipes where bundles live: opening one to read blocks until someone writes, so a build
    // that opened a bundle would never finish; and every file opened for reading is logged.
    mkdirSync(join(dir, "secrets"));
    for (const f of ["secrets/edge.age", "secrets/homelab.age", "secrets/edge.yaml", "secrets.yaml", "talosconfig"]) execFileSync("mkfifo", [join(dir, f)]);
    for (const command of ["build", "check"]) {
      const log = join(dir, `.reads-${command}.json`);
      const code = await new Promise<number | null>((done, fail) => {
        const child = spawn(process.execPath, ["--import", PRELOAD, TALC, command], { cwd: dir, env: { ...process.env, TALC_CRASH_READS: log }, stdio: "ignore" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        child.on("error", fail);
        child.on("close", (c) => {
          clearTimeout(timer);
          done(c);
        });
      });
      assert.equal(code, 0, `${command} did not finish (did it open a bundle?)`);
      const opened = JSON.parse(readFileSync(log, "utf8")) as string[];
      assert.ok(opened.some((p) => p.endsWith("clusters/edge.ts") || p.includes("/out/")), `${command}: the spy saw no reads at all`);
      const bundles = opened.filter((p) => /\/secrets\/|secrets\.yaml$|talosconfig$|test-secrets/.test(p) && p.startsWith(dir));
      assert.deepEqual(bundles, [], `${command} opened a secrets bundle`);
    }
  });
});
