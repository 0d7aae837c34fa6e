// Compiling on several threads: the same results whatever the number of
// threads, problems reported in cluster order, files handed to a sink as
// they come, and a build that streams into out/ and still writes nothing
// when any cluster fails.

import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TalcError } from "../compiler/errors.ts";
import { compileRepository, loadClusters } from "../compiler/pipeline.ts";
import { compileAll } from "../compiler/workers/pool.ts";
import type { FileMap } from "../compiler/emit/output.ts";
import { CONTRACTS } from "../compiler/talos/contract.ts";
import { RELEASES } from "../compiler/talos/versions.ts";
import { leftovers, runCli, tempRepo, treeHash } from "./helpers/cli.ts";

// The newest release of every line talc knows, with its default Kubernetes.
const VERSIONS = CONTRACTS.map((c) => [RELEASES[c].talosVersion, RELEASES[c].defaultKubernetesVersion] as const);

function cluster(i: number, extra = ""): string {
  const [talos, kube] = VERSIONS[i % VERSIONS.length];
  const nodes = Array.from({ length: 4 }, (_, n) => `{ hostname: "${n === 0 ? "cp" : "w"}-${n}", role: "${n === 0 ? "controlplane" : "worker"}", address: "10.0.${i}.${n + 10}/24" }`);
  return `import { defineCluster, timeServers } from "talc";
export default defineCluster({
  name: "c${i}", talosVersion: "${talos}", kubernetesVersion: "${kube}", endpoint: "https://10.0.${i}.5:6443",
  install: { disk: "/dev/sda", extensions: ["siderolabs/iscsi-tools"] },
  patches: [timeServers(["time.cloudflare.com"])],
  nodes: [${nodes.join(", ")}],${extra}
} as never);
`;
}

function fleet(count: number, edit: (i: number) => string = () => ""): string {
  return tempRepo(Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}.ts`, cluster(i, edit(i))])));
}

describe("compiling on worker threads", () => {
  test("gives the same files, findings and order as the main thread alone", async () => {
    const repo = fleet(6);
    const alone = await compileRepository(repo, [], { policy: {} }, { workers: 0 });
    // The main thread takes none, so the workers' results are what is compared.
    const pooled = await compileRepository(repo, [], { policy: {} }, { workers: 2, mainThread: false });
    assert.equal(alone.threads, 1);
    assert.equal(pooled.threads, 3);
    assert.deepEqual([...pooled.files], [...alone.files]);
    assert.deepEqual(pooled.clusters, alone.clusters);
    assert.deepEqual(
      pooled.clusters.map((c) => c.name),
      ["c0", "c1", "c2", "c3", "c4", "c5"],
    );
    assert.ok(alone.clusters.some((c) => c.findings.length > 0), "the fleet has findings to compare");
  });

  test("reports every cluster's problems, in cluster order, whichever thread found them", async () => {
    // A field Talos does not have, in two clusters compiled on different threads.
    const repo = fleet(5, (i) => (i === 1 || i === 4 ? `\n  patches: [{ machine: { kubelet: { notAField: true } } }],` : ""));
    for (const workers of [0, 2]) {
      await assert.rejects(compileRepository(repo, [], {}, { workers, mainThread: workers === 0 }), (e: unknown) => {
        assert.ok(e instanceof TalcError);
        const files = e.all.map((p) => p.file);
        assert.ok(files.includes("clusters/c1.ts") && files.includes("clusters/c4.ts"), `${workers} workers: ${e.lines().join("\n")}`);
        assert.deepEqual(files, [...files].sort(), "in cluster order");
        return true;
      });
    }
  });

  test("hands each cluster's files to a sink once, keeping only their hashes", async () => {
    const repo = fleet(4);
    const seen: FileMap = new Map();
    const sunk: string[] = [];
    const streamed = await compileRepository(repo, [], {}, {
      workers: 1,
      mainThread: false,
      sink: (c) => {
        sunk.push(c.name);
        c.files.forEach((v, k) => seen.set(k, v));
      },
    });
    assert.deepEqual(sunk.sort(), ["c0", "c1", "c2", "c3"], "each cluster once");
    const whole = await compileRepository(repo, [], {}, { workers: 0 });
    assert.equal(streamed.files.size, 0);
    assert.ok(streamed.clusters.every((c) => c.files.size === 0 && Object.keys(c.hashes).length > 0));
    assert.deepEqual(
      streamed.clusters.map((c) => c.hashes),
      whole.clusters.map((c) => c.hashes),
    );
    assert.deepEqual(new Map([...seen].sort()), new Map([...whole.files].sort()));
  });

  test("tells the fleet's size once, before the first cluster reaches the sink", async () => {
    const repo = fleet(3);
    const events: string[] = [];
    await compileRepository(repo, [], {}, {
      workers: 0,
      fleet: ({ clusters, nodes }) => void events.push(`fleet ${clusters} clusters, ${nodes} nodes`),
      sink: (c) => void events.push(c.name),
    });
    assert.deepEqual(events, ["fleet 3 clusters, 12 nodes", "c0", "c1", "c2"]);
  });

  test("stops taking clusters once a sink has failed, and reports the sink's error", async () => {
    const loaded = await loadClusters(fleet(8));
    const lost = new Error("disk full");
    // compileCluster times its generate stage once per cluster: each write here is one cluster compiled.
    let compiled = 0;
    const timings = new Proxy<Record<string, number>>({}, {
      set: (target, stage, ms) => {
        if (stage === "generate") compiled++;
        return Reflect.set(target, stage, ms);
      },
    });
    let sunk = 0;
    const sink = async (): Promise<void> => {
      sunk++;
      throw lost;
    };
    await assert.rejects(compileAll(loaded, { timings }, { workers: 0, sink }), (e: unknown) => e === lost);
    assert.equal(sunk, 1);
    assert.equal(compiled, 1, "the cluster the sink failed on, and no other");
  });
});

describe("talc build streaming into out/", () => {
  test("writes the same tree whether worker threads are started or not", async () => {
    const repo = fleet(5);
    const hashes: string[] = [];
    for (const workers of ["0", "2"]) {
      process.env.TALC_WORKERS = workers;
      // With the main thread compiling too, it takes every cluster before a worker has started.
      if (workers !== "0") process.env.TALC_MAIN_THREAD = "0";
      try {
        const r = await runCli(["build"], repo);
        assert.equal(r.code, 0, r.stderr);
      } finally {
        delete process.env.TALC_WORKERS;
        delete process.env.TALC_MAIN_THREAD;
      }
      hashes.push(treeHash(join(repo, "out")));
    }
    assert.equal(hashes[0], hashes[1]);
  });

  test("leaves out/ as it was, and no staging folder, when a late cluster fails", async () => {
    const repo = fleet(4);
    assert.equal((await runCli(["build"], repo)).code, 0);
    const before = treeHash(join(repo, "out"));
    writeFileSync(join(repo, "clusters", "c3.ts"), cluster(3, `\n  patches: [{ machine: { kubelet: { notAField: true } } }],`));
    for (const workers of ["0", "1"]) {
      process.env.TALC_WORKERS = workers;
      if (workers !== "0") process.env.TALC_MAIN_THREAD = "0";
      try {
        const r = await runCli(["build"], repo);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /clusters\/c3\.ts/);
      } finally {
        delete process.env.TALC_WORKERS;
        delete process.env.TALC_MAIN_THREAD;
      }
      assert.equal(treeHash(join(repo, "out")), before);
      assert.deepEqual(leftovers(repo), []);
    }
    assert.ok(existsSync(join(repo, "out", "c0", "manifest.json")));
  });
});
