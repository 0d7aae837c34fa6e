import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, X509Certificate } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";

import { TalcError } from "../compiler/errors.ts";
import {
  CA_VALIDITY_MS,
  encodeSecretsBundle,
  generateSecretsBundle,
  generateToken,
  loadSecretsBundle,
  parseSecretsBundle,
  TOKEN_PATTERN,
  validateSecretsBundle,
  type ParsedSecretsBundle,
  type RandomSource,
  type SecretsBundle,
} from "../compiler/secrets/bundle.ts";
import { encodePem, encodeStdBase64, encodeUrlBase64 } from "../compiler/secrets/pem.ts";
import type { Contract } from "../compiler/talos/contract.ts";
import { skipWithout, tempDir } from "./helpers/cli.ts";
import { SKIP_UPSTREAM, upstreamFile } from "./helpers/upstream.ts";

const noOpenssl = skipWithout("openssl", ["version"]);

const b64 = (text: string): string => Buffer.from(text).toString("base64");
const unb64 = (text: string): string => Buffer.from(text, "base64").toString("latin1");
const clone = <T>(value: T): T => structuredClone(value);

/** A reproducible byte stream: SHA-256 of seed and counter, block after block. */
function seeded(seed: string): RandomSource {
  let pool = Buffer.alloc(0);
  let counter = 0;
  return (size) => {
    while (pool.length < size) {
      pool = Buffer.concat([pool, createHash("sha256").update(`${seed}:${counter++}`).digest()]);
    }
    const out = pool.subarray(0, size);
    pool = pool.subarray(size);
    return new Uint8Array(out);
  };
}

const NOW = new Date("2026-03-04T05:06:07.890Z");
const CONTRACTS: readonly Contract[] = ["1.12", "1.13", "1.14"];
const generated = new Map<Contract, SecretsBundle>();

before(async () => {
  // RSA-4096 takes seconds: one key, generated with the first bundle, serves every contract.
  const first = await generateSecretsBundle({ contract: "1.14", now: NOW });
  generated.set("1.14", first);
  for (const contract of CONTRACTS.filter((c) => c !== "1.14")) {
    generated.set(
      contract,
      await generateSecretsBundle({ contract, now: NOW, serviceAccountKey: first.certs.k8sserviceaccount.key }),
    );
  }
});

const baseline = (): SecretsBundle => clone(generated.get("1.14")!);

describe("upstream fixtures", { skip: SKIP_UPSTREAM }, () => {
  const cases: { name: string; file: string; want: string[] }[] = [
    {
      name: "invalid-secrets.yaml is rejected with Talos's six problems",
      file: "talos/secrets/invalid-secrets.yaml",
      want: [
        "cluster.secret is required",
        "one of secrets.secretboxencryptionsecret or secrets.aescbcencryptionsecret is required",
        "trustdinfo is required",
        "certs.etcd is invalid: its PEM block does not parse",
        "certs.k8saggregator is required",
        'certs.os is invalid: unsupported key type "CERTIFICATE"',
      ],
    },
    { name: "secrets.yaml is valid", file: "talos/secrets/secrets.yaml", want: [] },
    { name: "stability/secrets.yaml is valid", file: "talos/stability/secrets.yaml", want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(validateSecretsBundle(parseSecretsBundle(upstreamFile(c.file), c.file)), c.want);
    });
  }

  for (const file of ["talos/secrets/secrets.yaml", "talos/stability/secrets.yaml"]) {
    it(`${file} re-encodes to the same bytes (comments aside)`, () => {
      const text = upstreamFile(file);
      const bundle = loadSecretsBundle(text, file);
      assert.equal(encodeSecretsBundle(bundle), text.replace(/^#.*\n/gm, ""));
    });
  }

  it("loadSecretsBundle lists every problem of invalid-secrets.yaml", () => {
    const file = "talos/secrets/invalid-secrets.yaml";
    assert.throws(
      () => loadSecretsBundle(upstreamFile(file), file),
      (err: unknown) =>
        err instanceof TalcError &&
        err.code === "secrets-invalid" &&
        err.file === file &&
        err.message.includes("  - trustdinfo is required\n") &&
        err.message.split("\n  - ").length === 7,
    );
  });
});

describe("validateSecretsBundle: one change to a valid generated bundle", () => {
  const ed25519Pem = () => unb64(baseline().certs.os.key);
  const ecPem = () => unb64(baseline().certs.etcd.key);
  const secp256k1 = () =>
    b64(generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey.export({ type: "sec1", format: "pem" }) as string);

  const cases: { name: string; change: (b: ParsedSecretsBundle) => void; want: string[] }[] = [
    { name: "baseline", change: () => {}, want: [] },
    { name: "no cluster", change: (b) => delete b.cluster, want: ["cluster is required"] },
    { name: "empty cluster id", change: (b) => (b.cluster!.id = ""), want: ["cluster.id is required"] },
    { name: "any non-empty cluster id", change: (b) => (b.cluster!.id = "my-cluster"), want: [] },
    {
      name: "cluster secret of 16 bytes",
      change: (b) => (b.cluster!.secret = encodeStdBase64(new Uint8Array(16))),
      want: ["cluster.secret is invalid: decodes to 16 bytes; want 32 random bytes in standard base64"],
    },
    {
      name: "cluster secret in the url-safe alphabet",
      change: (b) => (b.cluster!.secret = encodeUrlBase64(new Uint8Array(32).fill(0xff))),
      want: ["cluster.secret is invalid: not standard base64; want 32 random bytes in standard base64"],
    },
    { name: "no secrets", change: (b) => delete b.secrets, want: ["secrets is required"] },
    {
      name: "no bootstrap token",
      change: (b) => delete b.secrets!.bootstraptoken,
      want: ["secrets.bootstraptoken is required"],
    },
    {
      name: "bootstrap token with capitals",
      change: (b) => (b.secrets!.bootstraptoken = "ABCDEF.0123456789abcdef"),
      want: [
        "secrets.bootstraptoken is invalid: want 6 and 16 characters of [0-9a-z] joined by a dot, like abcdef.0123456789abcdef",
      ],
    },
    {
      name: "both encryption secrets",
      change: (b) => (b.secrets!.aescbcencryptionsecret = encodeStdBase64(new Uint8Array(32))),
      want: ["only one of secrets.secretboxencryptionsecret or secrets.aescbcencryptionsecret is allowed"],
    },
    {
      name: "aescbc (AES-128) instead of secretbox",
      change: (b) => {
        delete b.secrets!.secretboxencryptionsecret;
        b.secrets!.aescbcencryptionsecret = encodeStdBase64(new Uint8Array(16));
      },
      want: [],
    },
    {
      name: "secretbox secret of 24 bytes",
      change: (b) => (b.secrets!.secretboxencryptionsecret = encodeStdBase64(new Uint8Array(24))),
      want: ["secrets.secretboxencryptionsecret is invalid: decodes to 24 bytes; want 32 random bytes in standard base64"],
    },
    { name: "no trustdinfo token", change: (b) => (b.trustdinfo = {}), want: ["trustdinfo.token is required"] },
    {
      name: "trustd token without a dot",
      change: (b) => (b.trustdinfo!.token = "abcdef0123456789abcdef"),
      want: ["trustdinfo.token is invalid: want 6 and 16 characters of [0-9a-z] joined by a dot, like abcdef.0123456789abcdef"],
    },
    { name: "no certs", change: (b) => delete b.certs, want: ["certs is required"] },
    {
      name: "os pair swapped for the etcd pair",
      change: (b) => (b.certs!.os = clone(b.certs!.etcd)),
      want: ["certs.os is invalid: its key is ecdsa; want ed25519"],
    },
    {
      name: "etcd certificate of another key",
      change: (b) => (b.certs!.etcd!.crt = b.certs!.k8s!.crt),
      want: ["certs.etcd is invalid: its certificate does not match its key"],
    },
    {
      name: "etcd certificate not base64",
      change: (b) => (b.certs!.etcd!.crt = "not base64!"),
      want: ["certs.etcd is invalid: its certificate is not valid base64"],
    },
    {
      name: "etcd certificate missing",
      change: (b) => delete b.certs!.etcd!.crt,
      want: ["certs.etcd is invalid: its certificate PEM block does not parse"],
    },
    {
      name: "aggregator certificate field holds its key",
      change: (b) => (b.certs!.k8saggregator!.crt = b.certs!.k8saggregator!.key),
      want: ['certs.k8saggregator is invalid: its certificate PEM block has type "EC PRIVATE KEY"; want "CERTIFICATE"'],
    },
    {
      name: "k8s key redacted",
      change: (b) => (b.certs!.k8s!.key = "******"),
      want: ['certs.k8s is invalid: its key is redacted ("******"); a bundle needs the real key'],
    },
    {
      name: "k8s key is ed25519",
      change: (b) => (b.certs!.k8s!.key = b.certs!.os!.key),
      want: ["certs.k8s is invalid: its key is ed25519; want ecdsa or rsa"],
    },
    {
      name: "k8s key body is not DER",
      change: (b) => (b.certs!.k8s!.key = b64("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")),
      want: ['certs.k8s is invalid: its "EC PRIVATE KEY" block does not parse as a sec1 private key'],
    },
    {
      name: "os key in a plain PKCS#8 block",
      change: (b) => (b.certs!.os!.key = b64(ed25519Pem().replace(/ED25519 PRIVATE KEY/g, "PRIVATE KEY"))),
      want: [],
    },
    {
      name: "ED25519 PRIVATE KEY label on an ecdsa key",
      change: (b) => {
        const pkcs8 = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "der" });
        b.certs!.os!.key = b64(encodePem("ED25519 PRIVATE KEY", pkcs8));
      },
      want: ['certs.os is invalid: its "ED25519 PRIVATE KEY" block holds an ecdsa key'],
    },
    { name: "no aggregator pair", change: (b) => delete b.certs!.k8saggregator, want: ["certs.k8saggregator is required"] },
    {
      name: "no service account section",
      change: (b) => delete b.certs!.k8sserviceaccount,
      want: ["certs.k8sserviceaccount is required"],
    },
    {
      name: "service account without its key",
      change: (b) => (b.certs!.k8sserviceaccount = {}),
      want: ["certs.k8sserviceaccount.key is invalid: its PEM block does not parse"],
    },
    {
      name: "service account key is ecdsa (bundles before Talos 1.7)",
      change: (b) => (b.certs!.k8sserviceaccount!.key = b64(ecPem())),
      want: [],
    },
    {
      name: "service account key is ed25519",
      change: (b) => (b.certs!.k8sserviceaccount!.key = b64(ed25519Pem())),
      want: ["certs.k8sserviceaccount.key is invalid: its key is ed25519; want rsa or ecdsa"],
    },
    {
      name: "service account key on curve secp256k1",
      change: (b) => (b.certs!.k8sserviceaccount!.key = secp256k1()),
      want: ["certs.k8sserviceaccount.key is invalid: its ecdsa key uses curve secp256k1; want P-256, P-384 or P-521"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const bundle: ParsedSecretsBundle = baseline();
      c.change(bundle);
      assert.deepEqual(validateSecretsBundle(bundle), c.want);
    });
  }
});

describe("generateSecretsBundle", () => {
  const idCases: { contract: Contract; alphabet: RegExp; encoding: BufferEncoding }[] = [
    { contract: "1.12", alphabet: /^[A-Za-z0-9_-]{43}=$/, encoding: "base64url" },
    { contract: "1.13", alphabet: /^[A-Za-z0-9_-]{43}=$/, encoding: "base64url" },
    { contract: "1.14", alphabet: /^[A-Za-z0-9+/]{43}=$/, encoding: "base64" },
  ];
  for (const c of idCases) {
    describe(`contract ${c.contract}`, () => {
      const bundle = () => generated.get(c.contract)!;

      it("validates clean", () => assert.deepEqual(validateSecretsBundle(bundle()), []));

      it("round-trips through encode and parse", () => {
        const text = encodeSecretsBundle(bundle());
        assert.deepEqual(parseSecretsBundle(text, "generated.yaml"), bundle());
        assert.match(text, /^cluster:\n {4}id: .+\n {4}secret: .+\nsecrets:\n {4}bootstraptoken: .+\n {4}secretboxencryptionsecret: .+\ntrustdinfo:\n {4}token: .+\ncerts:\n {4}etcd:\n {8}crt: /);
      });

      it("draws tokens of the kubeadm shape", () => {
        assert.match(bundle().secrets.bootstraptoken, TOKEN_PATTERN);
        assert.match(bundle().trustdinfo.token, TOKEN_PATTERN);
      });

      it(`writes the cluster id as 32 bytes of ${c.encoding}`, () => {
        assert.match(bundle().cluster.id, c.alphabet);
        assert.equal(Buffer.from(bundle().cluster.id, c.encoding).length, 32);
      });

      it("writes the cluster and secretbox secrets as 32 bytes of standard base64", () => {
        for (const value of [bundle().cluster.secret, bundle().secrets.secretboxencryptionsecret!]) {
          assert.match(value, /^[A-Za-z0-9+/]{43}=$/);
        }
      });
    });
  }

  const caCases = [
    { name: "etcd", algorithm: "Public Key Algorithm: id-ecPublicKey", subject: "Subject: O = etcd\n" },
    { name: "k8s", algorithm: "Public Key Algorithm: id-ecPublicKey", subject: "Subject: O = kubernetes\n" },
    { name: "k8saggregator", algorithm: "Public Key Algorithm: id-ecPublicKey", subject: "Subject: \n" },
    { name: "os", algorithm: "Public Key Algorithm: ED25519", subject: "Subject: O = talos\n" },
  ] as const;

  describe("CA certificates", () => {
    let dir: string;
    before(() => (dir = tempDir("talc-secrets-")));
    const pem = (name: (typeof caCases)[number]["name"], field: "crt" | "key") =>
      unb64(generated.get("1.14")!.certs[name][field]);

    for (const c of caCases) {
      it(`${c.name}: openssl reads a self-signed CA with Talos's extensions`, { skip: noOpenssl }, () => {
        const file = join(dir, `${c.name}.crt`);
        writeFileSync(file, pem(c.name, "crt"));
        const text = spawnSync("openssl", ["x509", "-noout", "-text", "-in", file], { encoding: "utf8" }).stdout;
        assert.ok(text.includes(c.algorithm), text);
        if (c.algorithm.includes("ecPublicKey")) assert.ok(text.includes("ASN1 OID: prime256v1"), text);
        assert.ok(text.includes(c.subject), text);
        assert.ok(text.includes(c.subject.replace("Subject", "Issuer")), text);
        assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Certificate Sign\n/);
        assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/);
        assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
        assert.match(text, /X509v3 Subject Key Identifier: \n\s+([0-9A-F]{2}:){19}[0-9A-F]{2}\n/);
        const verify = spawnSync("openssl", ["verify", "-CAfile", file, file], { encoding: "utf8" });
        assert.equal(verify.stdout.trim(), `${file}: OK`, verify.stderr);
      });

      it(`${c.name}: valid from now for 3650 days with a positive 128-bit serial`, () => {
        const cert = new X509Certificate(pem(c.name, "crt"));
        const second = Math.floor(NOW.getTime() / 1000) * 1000;
        assert.equal(Date.parse(cert.validFrom), second);
        assert.equal(Date.parse(cert.validTo), second + CA_VALIDITY_MS);
        assert.ok(cert.ca);
        assert.match(cert.serialNumber, /^[0-9A-F]{1,32}$/);
        assert.ok(BigInt(`0x${cert.serialNumber}`) > 0n);
      });
    }

    it("keys carry Talos's PEM labels", () => {
      assert.match(pem("os", "key"), /^-----BEGIN ED25519 PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI/);
      for (const name of ["etcd", "k8s", "k8saggregator"] as const) {
        assert.match(pem(name, "key"), /^-----BEGIN EC PRIVATE KEY-----\n[\s\S]+-----END EC PRIVATE KEY-----\n$/);
      }
    });

    it("openssl accepts the ecdsa keys", { skip: noOpenssl }, () => {
      for (const name of ["etcd", "k8s", "k8saggregator"] as const) {
        const file = join(dir, `${name}.key`);
        writeFileSync(file, pem(name, "key"));
        const check = spawnSync("openssl", ["ec", "-check", "-noout", "-in", file], { encoding: "utf8" });
        assert.equal(check.status, 0, check.stderr);
      }
    });

    it("the service account key is PKCS#1 RSA-4096 that openssl checks", { skip: noOpenssl }, () => {
      const key = unb64(generated.get("1.14")!.certs.k8sserviceaccount.key);
      assert.match(key, /^-----BEGIN RSA PRIVATE KEY-----\n/);
      const file = join(dir, "sa.key");
      writeFileSync(file, key);
      const check = spawnSync("openssl", ["rsa", "-check", "-noout", "-in", file], { encoding: "utf8" });
      assert.equal(check.stdout.trim(), "RSA key ok", check.stderr);
      const text = spawnSync("openssl", ["rsa", "-text", "-noout", "-in", file], { encoding: "utf8" }).stdout;
      assert.match(text, /Private-Key: \(4096 bit/);
    });
  });

  it("a seeded random source gives the same tokens, ids and secrets", async () => {
    const serviceAccountKey = generated.get("1.14")!.certs.k8sserviceaccount.key;
    const make = () => generateSecretsBundle({ contract: "1.13", now: NOW, random: seeded("talc"), serviceAccountKey });
    const [a, b] = [await make(), await make()];
    assert.deepEqual([a.cluster, a.secrets, a.trustdinfo], [b.cluster, b.secrets, b.trustdinfo]);
    assert.equal(new X509Certificate(unb64(a.certs.os.crt)).serialNumber, new X509Certificate(unb64(b.certs.os.crt)).serialNumber);
  });

  it("rejects a service account key that is not base64 of PEM", async () => {
    await assert.rejects(
      generateSecretsBundle({ contract: "1.14", serviceAccountKey: "not a key" }),
      (err: unknown) => err instanceof TalcError && err.code === "bad-service-account-key",
    );
  });
});

describe("generateToken", () => {
  const from = (bytes: number[]): RandomSource => {
    let at = 0;
    return (size) => new Uint8Array(Array.from({ length: size }, () => bytes[at++ % bytes.length]!));
  };
  const cases: { name: string; bytes: number[]; want: string }[] = [
    { name: "maps bytes modulo 36", bytes: [0, 10, 35, 36, 71], want: "0az0z0.az0z0az0z0az0z0a" },
    { name: "skips bytes 252 and above", bytes: [252, 255, 1], want: "111111.1111111111111111" },
  ];
  for (const c of cases) it(c.name, () => assert.equal(generateToken(from(c.bytes)), c.want));
});

describe("parseSecretsBundle rejects what is not a bundle", () => {
  const valid = "cluster:\n    id: a\n    secret: b\n";
  const cases: { name: string; text: string; code: string; message: RegExp; line?: number }[] = [
    { name: "empty file", text: "", code: "secrets-empty", message: /secrets bundle is empty/ },
    { name: "broken yaml", text: "cluster: [\n", code: "bad-yaml", message: /^invalid yaml: / },
    {
      name: "unknown top-level key",
      text: `${valid}cert: {}\n`,
      code: "secrets-unknown-key",
      message: /unknown key "cert" in the document; valid keys: cluster, secrets, trustdinfo, certs/,
      line: 4,
    },
    {
      name: "unknown certificate",
      text: "certs:\n    etcd2: {}\n",
      code: "secrets-unknown-key",
      message: /unknown key "etcd2" in certs; valid keys: etcd, k8s, k8saggregator, k8sserviceaccount, os/,
      line: 2,
    },
    {
      name: "scalar where a mapping belongs",
      text: "certs:\n    etcd: abc\n",
      code: "secrets-shape",
      message: /certs\.etcd must be a mapping with keys crt, key/,
      line: 2,
    },
    {
      name: "list where a string belongs",
      text: "trustdinfo:\n    token: [a]\n",
      code: "secrets-shape",
      message: /trustdinfo\.token must be a string/,
      line: 2,
    },
    { name: "two documents", text: `${valid}---\n${valid}`, code: "secrets-shape", message: /holds 2 yaml documents; want one/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => parseSecretsBundle(c.text, "s.yaml"),
        (err: unknown) => {
          assert.ok(err instanceof TalcError);
          assert.equal(err.code, c.code);
          assert.equal(err.stage, "secrets");
          assert.equal(err.file, "s.yaml");
          assert.match(err.message, c.message);
          if (c.line !== undefined) assert.equal(err.line, c.line);
          return true;
        },
      );
    });
  }

  it("skips null documents around the bundle (a trailing ---, --- ~), as talosctl does", () => {
    assert.deepEqual(parseSecretsBundle(`${valid}---\n`, "s.yaml"), parseSecretsBundle(valid, "s.yaml"));
    assert.deepEqual(parseSecretsBundle(`--- ~\n---\n${valid}--- null\n`, "s.yaml"), parseSecretsBundle(valid, "s.yaml"));
    assert.throws(() => parseSecretsBundle("---\n--- ~\n", "s.yaml"), /secrets bundle is empty/);
  });

  it("reads scalars of other types as their text, and null as absent", () => {
    const parsed = parseSecretsBundle("cluster:\n    id: 0x12\n    secret: ~\nsecrets:\n", "s.yaml");
    assert.deepEqual(parsed, { cluster: { id: "0x12" } });
  });
});

describe("encodeSecretsBundle", () => {
  const cases: { name: string; token: string; line: string }[] = [
    { name: "writes tokens plain", token: "abcdef.0123456789abcdef", line: "    token: abcdef.0123456789abcdef" },
    { name: "quotes a token that reads as a number", token: "123456.0123456789012345", line: '    token: "123456.0123456789012345"' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const bundle = baseline();
      bundle.trustdinfo.token = c.token;
      const text = encodeSecretsBundle(bundle);
      assert.ok(text.split("\n").includes(c.line), text);
      assert.equal(parseSecretsBundle(text, "s.yaml").trustdinfo?.token, c.token);
    });
  }

  it("puts aescbc before secretbox and omits the unset one", () => {
    const bundle = baseline();
    bundle.secrets.aescbcencryptionsecret = "QUFBQQ==";
    delete bundle.secrets.secretboxencryptionsecret;
    assert.match(encodeSecretsBundle(bundle), /\nsecrets:\n {4}bootstraptoken: \S+\n {4}aescbcencryptionsecret: QUFBQQ==\ntrustdinfo:\n/);
  });
});
