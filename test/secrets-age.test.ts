// Secrets at rest: age encryption of bundles (interoperable with the `age`
// tool both ways) and `talc secrets init|import|rotate-recipients|show`.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import type { Command } from "../compiler/cli/main.ts";
import { secretsCommand } from "../compiler/cli/secrets.ts";
import {
  checkRecipient,
  decryptWithIdentities,
  encryptToRecipients,
  isAgeFile,
  parseIdentities,
  resolveIdentities,
} from "../compiler/secrets/age.ts";
import { encodeSecretsBundle, loadSecretsBundle } from "../compiler/secrets/bundle.ts";
import { runCommand, skipWithout, tempDir, tempRepo } from "./helpers/cli.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/test-secrets.yaml", import.meta.url));
// An empty environment unless the test gives one: nothing of the caller's (an age key) leaks in.
const run = (command: Command, argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => runCommand(command, argv, cwd, env);

const PLAINTEXT = encodeSecretsBundle(loadSecretsBundle(readFileSync(FIXTURE, "utf8"), FIXTURE));


async function keyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

// An identity file as age-keygen writes it.
function identityFile(dir: string, name: string, pair: { identity: string; recipient: string }): string {
  const path = join(dir, name);
  writeFileSync(path, `# created: 2026-01-01T00:00:00Z\n# public key: ${pair.recipient}\n${pair.identity}\n`, { mode: 0o600 });
  return path;
}

describe("age encryption", () => {
  for (const armored of [true, false]) {
    test(`round trip, ${armored ? "armored" : "binary"}`, async () => {
      const a = await keyPair();
      const b = await keyPair();
      const data = await encryptToRecipients(PLAINTEXT, [a.recipient, b.recipient], { armored });
      assert.ok(isAgeFile(data));
      assert.equal(Buffer.from(data).toString("latin1").startsWith("-----BEGIN AGE ENCRYPTED FILE-----"), armored);
      assert.equal(await decryptWithIdentities(data, [a.identity]), PLAINTEXT);
      assert.equal(await decryptWithIdentities(data, [b.identity]), PLAINTEXT);
    });
  }

  test("a wrong identity, no identity, not an age file", async () => {
    const a = await keyPair();
    const other = await keyPair();
    const data = await encryptToRecipients("x", [a.recipient]);
    await assert.rejects(decryptWithIdentities(data, [other.identity], "f.age"), /none of the given identities is a recipient/);
    await assert.rejects(decryptWithIdentities(data, []), /no age identity; pass --identity/);
    await assert.rejects(decryptWithIdentities(new TextEncoder().encode(PLAINTEXT), [a.identity]), /not an age-encrypted file/);
  });

  test("recipients are X25519 public keys", async () => {
    const a = await keyPair();
    assert.equal(checkRecipient(` ${a.recipient} `), a.recipient);
    assert.throws(() => checkRecipient(a.identity), /that is a private key/);
    assert.throws(() => checkRecipient("age1short"), /not an age recipient/);
    assert.throws(() => checkRecipient("ssh-ed25519 AAAA"), /not an age recipient/);
  });

  test("identity files: comments and blank lines skipped, anything else refused", async () => {
    const a = await keyPair();
    assert.deepEqual(parseIdentities(`# comment\n\n${a.identity}\n`, "k"), [a.identity]);
    assert.throws(() => parseIdentities("# only comments\n", "k"), /no age identity/);
    assert.throws(() => parseIdentities(`${a.identity}\nAGE-PLUGIN-YUBIKEY-1ABC\n`, "k"), /line 2 .*plugin identities/);
  });

  test("identities: --identity, then TALC_AGE_IDENTITY, then TALC_AGE_IDENTITY_FILE", async () => {
    const dir = tempDir();
    const [flag, inline, file] = await Promise.all([keyPair(), keyPair(), keyPair()]);
    const flagFile = identityFile(dir, "flag.txt", flag);
    const envFile = identityFile(dir, "env.txt", file);
    const env = { TALC_AGE_IDENTITY: inline.identity, TALC_AGE_IDENTITY_FILE: envFile };
    assert.deepEqual(await resolveIdentities(flagFile, env), [flag.identity]);
    assert.deepEqual(await resolveIdentities(undefined, env), [inline.identity]);
    assert.deepEqual(await resolveIdentities(undefined, { TALC_AGE_IDENTITY_FILE: envFile }), [file.identity]);
    assert.deepEqual(await resolveIdentities(undefined, {}), []);
    await assert.rejects(resolveIdentities(join(dir, "missing"), {}), /cannot read age identity file \(ENOENT\)/);
  });
});

describe("interoperability with the age tool", () => {
  const skip = skipWithout("age");

  test("age decrypts what talc encrypts, armored and binary", { skip }, async () => {
    const dir = tempDir();
    const pair = await keyPair();
    const key = identityFile(dir, "key.txt", pair);
    for (const armored of [true, false]) {
      const file = join(dir, `bundle-${armored}.age`);
      writeFileSync(file, await encryptToRecipients(PLAINTEXT, [pair.recipient], { armored }));
      assert.equal(execFileSync("age", ["--decrypt", "-i", key, file], { encoding: "utf8" }), PLAINTEXT);
    }
  });

  test("talc decrypts what age encrypts, armored and binary, with a key from age-keygen", { skip }, async () => {
    const dir = tempDir();
    const key = join(dir, "key.txt");
    execFileSync("age-keygen", ["-o", key], { stdio: "ignore" });
    const recipient = execFileSync("age-keygen", ["-y", key], { encoding: "utf8" }).trim();
    const plain = join(dir, "secrets.yaml");
    writeFileSync(plain, PLAINTEXT);
    for (const armor of [["-a"], []]) {
      const file = join(dir, `bundle${armor.length}.age`);
      execFileSync("age", [...armor, "-r", recipient, "-o", file, plain]);
      assert.equal(await decryptWithIdentities(readFileSync(file), await resolveIdentities(key, {})), PLAINTEXT);
    }
  });
});

const CLUSTER = `import { defineCluster } from "talc";

export default defineCluster({
  name: "lab",
  talosVersion: "v1.14.0-rc.1",
  kubernetesVersion: "1.37.0-rc.0",
  endpoint: "https://10.0.0.10:6443",
  install: { disk: "/dev/sda" },
  nodes: [{ hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24" }],
});
`;

describe("talc secrets", () => {
  test("init generates a bundle for the definition's Talos version and refuses to replace it", async () => {
    const repo = tempRepo({ "lab.ts": CLUSTER });
    const pair = await keyPair();
    const key = identityFile(tempDir(), "key.txt", pair);
    const r = await run(secretsCommand, ["init", "lab", "--recipient", pair.recipient], repo);
    assert.equal(r.code, 0, r.stderr);
    const file = join(repo, "secrets/lab.age");
    const sealed = readFileSync(file);
    assert.match(sealed.toString("latin1"), /^-----BEGIN AGE ENCRYPTED FILE-----/);
    const shown = await run(secretsCommand, ["show", "lab", "--identity", key], repo);
    assert.equal(shown.code, 0, shown.stderr);
    const bundle = loadSecretsBundle(shown.stdout, "shown");
    // Talos 1.14 writes the cluster id in standard base64.
    assert.match(bundle.cluster.id, /^[A-Za-z0-9+/]+=*$/);

    const again = await run(secretsCommand, ["init", "lab", "--recipient", pair.recipient], repo);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /secrets\/lab\.age already exists; replacing it changes every secret/);
    assert.deepEqual(readFileSync(file), sealed);
  });

  test("import, show (flag and environment), rotate-recipients", async () => {
    const repo = tempDir();
    const keys = tempDir();
    const [a, b] = await Promise.all([keyPair(), keyPair()]);
    const aFile = identityFile(keys, "a.txt", a);
    const bFile = identityFile(keys, "b.txt", b);

    const imported = await run(secretsCommand, ["import", "lab", "--from", FIXTURE, "--recipient", a.recipient, "--armor=false"], repo);
    assert.equal(imported.code, 0, imported.stderr);
    assert.ok(readFileSync(join(repo, "secrets/lab.age")).toString("latin1").startsWith("age-encryption.org/v1\n"));

    assert.equal((await run(secretsCommand, ["show", "lab", "--identity", aFile], repo)).stdout, PLAINTEXT);
    assert.equal((await run(secretsCommand, ["show", "lab"], repo, { TALC_AGE_IDENTITY: a.identity })).stdout, PLAINTEXT);
    assert.equal((await run(secretsCommand, ["show", "lab"], repo, { TALC_AGE_IDENTITY_FILE: aFile })).stdout, PLAINTEXT);

    const rotated = await run(secretsCommand, ["rotate-recipients", "lab", "--identity", aFile, "--recipient", b.recipient], repo);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stderr, /no longer read/);
    assert.equal((await run(secretsCommand, ["show", "lab", "--identity", bFile], repo)).stdout, PLAINTEXT);
    const locked = await run(secretsCommand, ["show", "lab", "--identity", aFile], repo);
    assert.equal(locked.code, 2);
    assert.match(locked.stderr, /none of the given identities is a recipient/);
  });

  const refusals: Array<[string, (ctx: { repo: string; recipient: string }) => string[], RegExp]> = [
    ["a missing recipient", () => ["import", "lab", "--from", FIXTURE], /at least one --recipient/],
    ["a private key as recipient", ({ recipient }) => ["import", "lab", "--from", FIXTURE, "--recipient", recipient.replace("age1", "AGE-SECRET-KEY-1")], /is not an age recipient; that is a private key/],
    ["an invalid bundle", ({ recipient, repo }) => (writeFileSync(join(repo, "bad.yaml"), "cluster: {}\n"), ["import", "lab", "--from", join(repo, "bad.yaml"), "--recipient", recipient]), /invalid secrets bundle/],
    ["a cluster name that is a path", ({ recipient }) => ["import", "../x", "--from", FIXTURE, "--recipient", recipient], /is not a cluster name/],
    ["show without an identity", () => ["show", "lab"], /no age identity/],
    ["show without a bundle", () => ["show", "nothere"], /cannot read the encrypted bundle \(ENOENT\); create it with 'talc secrets init nothere'/],
    ["an unknown subcommand", () => ["rotate", "lab"], /unknown secrets command "rotate"/],
  ];
  for (const [name, argv, message] of refusals) {
    test(`refuses ${name}`, async () => {
      const repo = tempDir();
      const pair = await keyPair();
      mkdirSync(join(repo, "secrets"));
      writeFileSync(join(repo, "secrets/lab.age"), await encryptToRecipients(PLAINTEXT, [pair.recipient]));
      const before = readFileSync(join(repo, "secrets/lab.age"));
      const r = await run(secretsCommand, argv({ repo, recipient: pair.recipient }), repo);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, message);
      assert.deepEqual(readFileSync(join(repo, "secrets/lab.age")), before);
      assert.equal(existsSync(join(repo, "secrets/nothere.age")), false);
    });
  }

  test("import warns about a plaintext source git would commit", { skip: skipWithout("git") }, async () => {
    const repo = tempDir();
    execFileSync("git", ["init", "-q"], { cwd: repo });
    writeFileSync(join(repo, "secrets.yaml"), PLAINTEXT);
    const pair = await keyPair();
    const r = await run(secretsCommand, ["import", "lab", "--from", "secrets.yaml", "--recipient", pair.recipient], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /holds the secrets in plain text where git would track it; delete it/);
  });
});
