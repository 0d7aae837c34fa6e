// talc materialize with secrets at rest: the encrypted bundle of the
// repository (or one given) decrypted with an age identity, a talosconfig
// beside the configs, and plain-text bundles git would commit refused.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { parse } from "yaml";
import { encryptToRecipients } from "../compiler/secrets/age.ts";
import { loadSecretsBundle } from "../compiler/secrets/bundle.ts";
import { runCli, skipWithout, tempDir, tempRepo } from "./helpers/cli.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/test-secrets.yaml", import.meta.url));
const PLAINTEXT = readFileSync(FIXTURE, "utf8");
const BUNDLE = loadSecretsBundle(PLAINTEXT, FIXTURE);

const CLUSTER = `import { defineCluster } from "talc";

export default defineCluster({
  name: "lab",
  talosVersion: "v1.13.9",
  kubernetesVersion: "1.36.3",
  endpoint: "https://10.0.0.10:6443",
  install: { disk: "/dev/sda" },
  nodes: [
    { hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24" },
    { hostname: "cp-2", role: "controlplane" },
    { hostname: "w-1", role: "worker", address: "10.0.0.21/24" },
  ],
});
`;

interface Setup {
  repo: string;
  key: string;
  identity: string;
  dest: string;
}

async function setup(opts: { git?: boolean } = {}): Promise<Setup> {
  const repo = tempRepo({ "lab.ts": CLUSTER });
  if (opts.git) execFileSync("git", ["init", "-q"], { cwd: repo });
  const identity = await generateX25519Identity();
  mkdirSync(join(repo, "secrets"));
  writeFileSync(join(repo, "secrets/lab.age"), await encryptToRecipients(PLAINTEXT, [await identityToRecipient(identity)]));
  const key = join(tempDir(), "key.txt");
  writeFileSync(key, `# test key\n${identity}\n`, { mode: 0o600 });
  return { repo, key, identity, dest: join(tempDir(), "configs") };
}

function checkOutput(dest: string): void {
  for (const name of ["cp-1.yaml", "cp-2.yaml", "w-1.yaml", "talosconfig"]) {
    assert.equal(statSync(join(dest, name)).mode & 0o777, 0o600, name);
  }
  assert.match(readFileSync(join(dest, "w-1.yaml"), "utf8"), new RegExp(`token: ${BUNDLE.trustdinfo.token.replace(".", "\\.")}`));
  const config = parse(readFileSync(join(dest, "talosconfig"), "utf8")) as {
    context: string;
    contexts: Record<string, { endpoints: string[]; ca: string; crt: string; key: string }>;
  };
  assert.equal(config.context, "lab");
  const ctx = config.contexts.lab;
  // Each control plane's address, or its hostname when it has none: never a worker.
  assert.deepEqual(ctx.endpoints, ["10.0.0.11", "cp-2"]);
  assert.equal(ctx.ca, BUNDLE.certs.os.crt);
  const ca = new X509Certificate(Buffer.from(BUNDLE.certs.os.crt, "base64"));
  const crt = new X509Certificate(Buffer.from(ctx.crt, "base64"));
  assert.ok(crt.verify(ca.publicKey), "the admin certificate is signed by the bundle's OS CA");
  assert.match(crt.subject, /O=os:admin/);
}

describe("talc materialize with secrets at rest", () => {
  test("decrypts secrets/<cluster>.age with --identity; writes configs and a talosconfig, mode 0600", async () => {
    const s = await setup();
    const r = await runCli(["materialize", "lab", "--identity", s.key, "--out", s.dest], s.repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote 3 config\(s\) and a talosconfig/);
    checkOutput(s.dest);
  });

  test("takes the identity from TALC_AGE_IDENTITY, and an encrypted --secrets file", async () => {
    const s = await setup();
    const elsewhere = join(tempDir(), "lab.age");
    writeFileSync(elsewhere, readFileSync(join(s.repo, "secrets/lab.age")));
    const saved = process.env.TALC_AGE_IDENTITY;
    process.env.TALC_AGE_IDENTITY = s.identity;
    try {
      const r = await runCli(["materialize", "lab", "--secrets", elsewhere, "--out", s.dest], s.repo);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      if (saved === undefined) delete process.env.TALC_AGE_IDENTITY;
      else process.env.TALC_AGE_IDENTITY = saved;
    }
    checkOutput(s.dest);
  });

  test("accepts a plain-text bundle inside the repository that .gitignore covers", { skip: skipWithout("git") }, async () => {
    const s = await setup({ git: true });
    writeFileSync(join(s.repo, ".gitignore"), "/private/\n");
    mkdirSync(join(s.repo, "private"));
    writeFileSync(join(s.repo, "private/secrets.yaml"), PLAINTEXT);
    const r = await runCli(["materialize", "lab", "--secrets", "private/secrets.yaml", "--out", s.dest], s.repo);
    assert.equal(r.code, 0, r.stderr);
    checkOutput(s.dest);
  });

  const refusals: Array<[string, (s: Setup) => string[], RegExp]> = [
    [
      "a plain-text bundle git would commit",
      (s) => (writeFileSync(join(s.repo, "secrets.yaml"), PLAINTEXT), ["--secrets", "secrets.yaml"]),
      /secrets\.yaml: refusing a plain-text secrets bundle inside the repository where git would commit it/,
    ],
    ["no identity for the encrypted bundle", () => [], /secrets\/lab\.age: no age identity; pass --identity <file>, or set TALC_AGE_IDENTITY/],
    [
      "an identity that is not a recipient",
      () => {
        const key = join(tempDir(), "other.txt");
        writeFileSync(key, "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n");
        return ["--identity", key];
      },
      /cannot decrypt: none of the given identities is a recipient/,
    ],
    [
      "no bundle at all",
      (s) => {
        execFileSync("rm", [join(s.repo, "secrets/lab.age")]);
        return [];
      },
      /secrets\/lab\.age: cannot read secrets bundle \(ENOENT\); pass --secrets <bundle>, or create it with 'talc secrets init lab'/,
    ],
  ];
  const noGit = skipWithout("git");
  for (const [name, args, message] of refusals) {
    test(`refuses ${name}`, { skip: noGit }, async () => {
      const s = await setup({ git: true });
      const r = await runCli(["materialize", "lab", ...args(s), "--out", s.dest], s.repo);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(existsSync(s.dest), false, "nothing is written");
    });
  }
});
