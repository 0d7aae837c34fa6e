// `talc gen config` and `talc gen secrets` through the command line: same
// bytes as talosctl, bad input refused with one line, exit 2 and no files.

import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { CONTRACTS } from "../compiler/talos/contract.ts";
import { X509Certificate } from "node:crypto";
import { parseConfig, parseYamlDocuments } from "../compiler/load/config.ts";
import { runCli, tempDir, treeHash } from "./helpers/cli.ts";
import { SKIP_UPSTREAM, UPSTREAM, upstreamFile } from "./helpers/upstream.ts";
import { checkGolden } from "./helpers/golden.ts";

const FIXTURE_SECRETS = fileURLToPath(new URL("./fixtures/test-secrets.yaml", import.meta.url));
interface Talosconfig {
  contexts: Record<string, { endpoints: string[]; ca: string; crt: string; key: string }>;
}

const BASE_ARGS = ["base", "https://base:6443", "--kubernetes-version", "1.28.0"];

describe("gen config reproduces talosctl's stability fixtures", { skip: SKIP_UPSTREAM }, () => {
  for (const contract of CONTRACTS) {
    for (const role of ["controlplane", "worker"]) {
      test(`v${contract} ${role}`, async () => {
        const secrets = join(UPSTREAM ?? "", "talos/stability/secrets.yaml");
        const r = await runCli(["gen", "config", ...BASE_ARGS, "--talos-version", `v${contract}`, "--with-secrets", secrets, "-t", role, "-o", "-"], tempDir());
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, upstreamFile(`talos/stability/v${contract}/base-${role}.yaml`));
        assert.match(r.stderr, /warning: kubernetes 1\.28\.0 is outside what Talos/);
      });
    }
  }
});

describe("gen config with the project's own test bundle", () => {
  for (const contract of CONTRACTS) {
    for (const role of ["controlplane", "worker"]) {
      test(`v${contract} ${role} matches its golden file`, async () => {
        const args = ["gen", "config", "demo", "https://10.0.0.1:6443", "--talos-version", `v${contract}`, "--with-secrets", FIXTURE_SECRETS];
        const extra = ["--additional-sans", "api.demo.internal", "--install-disk", "/dev/nvme0n1", "--registry-mirror", "docker.io=https://mirror.demo.internal"];
        const r = await runCli([...args, ...extra, "-t", role, "-o", "-"], tempDir());
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, "");
        checkGolden(`gen/v${contract}/${role}.yaml`, r.stdout);
      });
    }
  }

  test("writes controlplane.yaml, worker.yaml and talosconfig into a folder", async () => {
    const dir = tempDir();
    const r = await runCli(["gen", "config", "demo", "https://10.0.0.1:6443", "--with-secrets", FIXTURE_SECRETS, "-o", "out"], dir);
    assert.equal(r.code, 0, r.stderr);
    for (const f of ["controlplane.yaml", "worker.yaml", "talosconfig"]) assert.ok(existsSync(join(dir, "out", f)), f);
    assert.equal(statSync(join(dir, "out/talosconfig")).mode & 0o777, 0o600);
    const cp = parseConfig(readFileSync(join(dir, "out/controlplane.yaml"), "utf8"), "controlplane.yaml");
    assert.equal((cp[0].machine as Record<string, unknown>).type, "controlplane");
    const ctx = (parseYamlDocuments(readFileSync(join(dir, "out/talosconfig"), "utf8"), "talosconfig")[0] as Talosconfig).contexts.demo;
    const ca = new X509Certificate(Buffer.from(ctx.ca, "base64"));
    const admin = new X509Certificate(Buffer.from(ctx.crt, "base64"));
    assert.ok(admin.verify(ca.publicKey), "the admin certificate is signed by the OS CA");
    assert.equal(admin.subject, "O=os:admin");
    assert.deepEqual(ctx.endpoints, []);

    const before = treeHash(dir);
    const again = await runCli(["gen", "config", "demo", "https://10.0.0.1:6443", "--with-secrets", FIXTURE_SECRETS, "-o", "out"], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists; pass --force/);
    assert.equal(treeHash(dir), before);

    const forced = await runCli(["gen", "config", "demo", "https://10.0.0.2:6443", "--with-secrets", FIXTURE_SECRETS, "-o", "out", "--force"], dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(dir, "out/worker.yaml"), "utf8"), /10\.0\.0\.2/);
  });

  test("generates a fresh bundle when none is given", async () => {
    const r = await runCli(["gen", "config", "demo", "https://10.0.0.1:6443", "-t", "controlplane", "-o", "-"], tempDir());
    assert.equal(r.code, 0, r.stderr);
    const docs = parseConfig(r.stdout, "-");
    assert.match(String((docs[0].machine as Record<string, unknown>).token), /^[0-9a-z]{6}\.[0-9a-z]{16}$/);
  });
});

describe("gen config applies --config-patch flags as talosctl does", () => {
  test("common patches reach both roles, role patches only theirs", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "labels.yaml"), "machine:\n  nodeLabels:\n    tier: edge\n");
    const args = ["gen", "config", "demo", "https://10.0.0.1:6443", "--talos-version", "v1.12", "--with-secrets", FIXTURE_SECRETS, "-o", "-"];
    const patches = ["--config-patch", "@labels.yaml", "--config-patch-worker", '{"machine":{"nodeLabels":{"role":"worker"}}}'];
    const cp = await runCli([...args, ...patches, "-t", "controlplane"], dir);
    const w = await runCli([...args, ...patches, "-t", "worker"], dir);
    assert.equal(cp.code, 0, cp.stderr);
    assert.equal(w.code, 0, w.stderr);
    const labels = (out: string): unknown => (parseConfig(out, "-")[0].machine as Record<string, unknown>).nodeLabels;
    assert.deepEqual(labels(cp.stdout), { "node.kubernetes.io/exclude-from-external-load-balancers": "", tier: "edge" });
    assert.deepEqual(labels(w.stdout), { role: "worker", tier: "edge" });
  });

  test("the config is written as the talosctl of --talos-version writes it", async () => {
    const dir = tempDir();
    const label = async (version: string) => {
      const args = ["gen", "config", "demo", "https://10.0.0.1:6443", "--talos-version", version, "--with-secrets", FIXTURE_SECRETS, "-t", "worker", "-o", "-"];
      const r = await runCli([...args, "--config-patch", '{"machine":{"nodeLabels":{"ingress":"yes"}}}'], dir);
      assert.equal(r.code, 0, r.stderr);
      return /ingress: (\S+)/.exec(r.stdout)?.[1];
    };
    assert.equal(await label("v1.12"), '"yes"');
    assert.equal(await label("v1.13"), '"yes"');
    assert.equal(await label("v1.14"), "'yes'");
  });

  test("a patch talosctl reads as an empty JSON6902 patch fails as there, saying why", async () => {
    const dir = tempDir();
    // talosctl reads JSON6902 operations from the first YAML document only, here a null one
    writeFileSync(join(dir, "ops.yaml"), "---\n# drop the label\n---\n- op: remove\n  path: /machine/nodeLabels\n");
    const args = ["gen", "config", "demo", "https://10.0.0.1:6443", "--talos-version", "v1.12", "--with-secrets", FIXTURE_SECRETS, "-t", "worker", "-o", "-"];
    const r = await runCli([...args, "--config-patch-worker", "@ops.yaml"], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /ops\.yaml: JSON6902 patches are not supported for multi-document machine configuration \(talosctl reads this patch as an empty JSON6902 patch: .*ignores document 2/);
    assert.equal(r.stdout, "");
  });

  test("a patch file that does not exist is bad input", async () => {
    const dir = tempDir();
    const r = await runCli(["gen", "config", "demo", "https://10.0.0.1:6443", "--with-secrets", FIXTURE_SECRETS, "--config-patch", "@nope.yaml", "-o", "out"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.yaml/);
    assert.ok(!existsSync(join(dir, "out")));
  });
});

describe("gen config refuses bad input", () => {
  const badSecrets = join(tempDir(), "bad-secrets.yaml");
  writeFileSync(badSecrets, "cluster: {}\n");
  const cases: Array<[string, string[], RegExp]> = [
    ["an unknown contract", ["demo", "https://a:6443", "--talos-version", "v1.11"], /talos v1\.11 is not a supported version contract; expected one of v1\.12, v1\.13, v1\.14, v1\.15 \(which builds as v1\.14\)/i],
    ["a version that is not one", ["demo", "https://a:6443", "--talos-version", "latest"], /"latest" is not a Talos version/],
    ["an endpoint without a scheme", ["demo", "a:6443"], /cluster endpoint "a:6443" has no scheme; expected an https URL such as https:\/\/a:6443/],
    ["an http endpoint", ["demo", "http://a:6443"], /must use https/],
    // Go's url.Parse refuses these, so talosctl does
    ["an endpoint with a bad escape in its path", ["demo", "https://a:6443/x%zz"], /cluster endpoint "https:\/\/a:6443\/x%zz" is not a valid URL \(invalid URL escape "%zz"\); expected an https URL such as https:\/\/a:6443$/m],
    ["an endpoint with a space in its userinfo", ["demo", "https://a b@a:6443"], /is not a valid URL \(net\/url: invalid userinfo\); expected an https URL such as https:\/\/a:6443$/m],
    ["an endpoint with an empty authority", ["demo", "https:///k8s"], /cluster endpoint "https:\/\/\/k8s" has no host; expected an https URL such as/],
    // talosctl's checks (siderolabs/net ValidateEndpointURI), which talc validate applies to the result too
    ["an endpoint with port 0", ["demo", "https://1.2.3.4:0"], /"https:\/\/1\.2\.3\.4:0" has port 0, outside 1 to 65535; expected an https URL such as https:\/\/1\.2\.3\.4:6443$/m],
    ["an endpoint with port 99999", ["demo", "https://1.2.3.4:99999"], /has port 99999, outside 1 to 65535; expected an https URL such as https:\/\/1\.2\.3\.4:6443$/m],
    ["an IPv6 endpoint with port 0", ["demo", "https://[fd00::1]:0"], /has port 0, outside 1 to 65535; expected an https URL such as https:\/\/\[fd00::1\]:6443$/m],
    // Go 1.25 (talosctl 1.12) reads the last colon as the port's, Go 1.26 (1.13 on) an https host's first one
    ["an IPv6 endpoint without brackets", ["demo", "https://fd00::1:6443", "--talos-version", "v1.12"], /has an IPv6 address without square brackets; expected an https URL such as https:\/\/192\.168\.1\.10:6443$/m],
    ["an IPv6 endpoint without brackets, in Go 1.26", ["demo", "https://fd00::1:6443"], /"https:\/\/fd00::1:6443" is not a valid URL \(invalid port "::1:6443" after host\); expected an https URL such as https:\/\/192\.168\.1\.10:6443$/m],
    ["an endpoint without a host", ["demo", "https://:6443"], /cluster endpoint "https:\/\/:6443" has no host; expected an https URL such as https:\/\/192\.168\.1\.10:6443$/m],
    ["a malformed kubernetes version", ["demo", "https://a:6443", "--kubernetes-version", "1.28"], /"1\.28" is not an exact Kubernetes version/],
    ["a missing secrets file", ["demo", "https://a:6443", "--with-secrets", "/nonexistent/secrets.yaml"], /\/nonexistent\/secrets\.yaml: cannot read secrets bundle \(ENOENT\)/],
    ["an invalid secrets bundle", ["demo", "https://a:6443", "--with-secrets", badSecrets], /bad-secrets\.yaml: invalid secrets bundle:\n  - cluster\.id is required\n/],
    ["an unknown output type", ["demo", "https://a:6443", "-t", "kubeconfig"], /invalid output type "kubeconfig"/],
    ["stdout with two output types", ["demo", "https://a:6443", "-o", "-"], /stdout \(-o -\) takes one output type/],
    ["a bad registry mirror", ["demo", "https://a:6443", "--registry-mirror", "docker.io"], /invalid registry mirror "docker\.io"/],
    ["an unknown flag", ["demo", "https://a:6443", "--frobnicate"], /unknown option '--frobnicate'/],
    ["a missing endpoint", ["demo"], /expected <cluster name> <cluster endpoint>/],
  ];
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const dir = tempDir();
      const before = treeHash(dir);
      const r = await runCli(["gen", "config", ...args], dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      // Every problem of an invalid bundle is listed, one per line; everything else is one line.
      if (name !== "an invalid secrets bundle") assert.equal(r.stderr.trimEnd().split("\n").length, 1, `one line: ${r.stderr}`);
      assert.equal(r.stdout, "");
      assert.equal(treeHash(dir), before);
    });
  }
});

// talosctl keeps a path, query, fragment or userinfo of the endpoint (validateClusterEndpoint and
// siderolabs/net's ValidateEndpointURI check only the scheme, host and port) and writes the URL as
// Go's url.URL.String prints it; the values written were checked against Go's net/url.
describe("gen config writes an endpoint with a path or userinfo as talosctl does", () => {
  const cases: Array<[string, string]> = [
    ["https://a:6443/k8s", "https://a:6443/k8s"],
    ["https://user:pw@a:6443/", "https://user:pw@a:6443/"],
    ["https://user:p:w@a:6443", "https://user:p%3Aw@a:6443"],
    ["https://a@b@c:6443", "https://a%40b@c:6443"],
    ["https://a:6443/a b/é", "https://a:6443/a%20b/%C3%A9"],
    ["https://a:6443/p?q=1#f", "https://a:6443/p?q=1#f"],
    ["HTTPS://A:6443/P", "https://A:6443/P"],
  ];
  for (const contract of CONTRACTS) {
    for (const [endpoint, written] of cases) {
      test(`v${contract} ${endpoint}`, async () => {
        const r = await runCli(["gen", "config", "demo", endpoint, "--talos-version", `v${contract}`, "--with-secrets", FIXTURE_SECRETS, "-t", "controlplane", "-o", "-"], tempDir());
        assert.equal(r.code, 0, r.stderr);
        const docs = parseConfig(r.stdout, "-");
        const kind = (k: string): Record<string, unknown> => docs.find((d) => d.kind === k) as Record<string, unknown>;
        const found =
          contract === "1.14"
            ? [kind("KubeClusterConfig").endpoint, (kind("KubeServiceAccountConfig").issuer as Record<string, unknown>).issuerURL]
            : [((docs[0].cluster as Record<string, unknown>).controlPlane as Record<string, unknown>).endpoint];
        assert.deepEqual(found, found.map(() => written));
      });
    }
  }
});

describe("gen config accepts the endpoints talosctl accepts, and talc validate agrees", () => {
  for (const endpoint of ["https://a:65535", "https://[fd00::1]:1", "https://a", "https://a:6443/k8s", "https://user:pw@a:6443"]) {
    test(endpoint, async () => {
      const dir = tempDir();
      const gen = await runCli(["gen", "config", "demo", endpoint, "--with-secrets", FIXTURE_SECRETS, "-t", "controlplane", "-o", "cp.yaml"], dir);
      assert.equal(gen.code, 0, gen.stderr);
      const validate = await runCli(["validate", "--config", "cp.yaml", "--mode", "metal"], dir);
      assert.equal(validate.code, 0, validate.stdout + validate.stderr);
    });
  }
});

describe("gen secrets", () => {
  test("writes a valid bundle with mode 0600 and refuses to overwrite", async () => {
    const dir = tempDir();
    const r = await runCli(["gen", "secrets", "-o", "s.yaml"], dir);
    assert.equal(r.code, 0, r.stderr);
    const path = join(dir, "s.yaml");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const first = readFileSync(path, "utf8");
    assert.match(first, /^cluster:\n    id: /);

    const again = await runCli(["gen", "secrets", "-o", "s.yaml"], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /s\.yaml: file already exists; pass --force/);
    assert.equal(readFileSync(path, "utf8"), first);

    const forced = await runCli(["gen", "secrets", "-o", "s.yaml", "--force"], dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(readFileSync(path, "utf8"), first);

    const used = await runCli(["gen", "config", "demo", "https://10.0.0.1:6443", "--with-secrets", "s.yaml", "-t", "worker", "-o", "-"], dir);
    assert.equal(used.code, 0, used.stderr);
  });
});
