// `npm run bench`: builds a synthetic fleet and prints where the time goes.
//   npm run bench -- [--clusters 50] [--nodes 20] [--json] [--sizes 100,1000,10000] [--cpu-prof <dir>]
//   npm run bench -- --fleet <dir> [--clusters 50] [--nodes 20]   (only writes the fleet, for profiling by hand)
// --nodes is nodes per cluster. Figures are wall-clock on this machine; run it
// on an otherwise idle machine.

import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const PROJECT = fileURLToPath(new URL("../", import.meta.url));
const BIN = join(PROJECT, "bin/talc.js");

const VERSIONS = [
  { talosVersion: "v1.12.11", kubernetesVersion: "1.35.4" },
  { talosVersion: "v1.13.9", kubernetesVersion: "1.36.3" },
  { talosVersion: "v1.14.0-rc.1", kubernetesVersion: "1.37.0-rc.0" },
];

// One realistic cluster file: three control planes behind a VIP on a bond, the
// rest workers with static addresses, extensions, mirrors, NTP, a waiver.
function clusterFile(index: number, nodes: number): string {
  const v = VERSIONS[index % VERSIONS.length];
  const net = `10.${Math.floor(index / 200)}.${index % 200}`;
  const list = Array.from({ length: nodes }, (_, i) => {
    const role = i < Math.min(3, nodes) ? "controlplane" : "worker";
    const host = role === "controlplane" ? `cp-${i + 1}` : `w-${i + 1}`;
    const extra = i % 5 === 4 ? `, patches: [{ ${v.talosVersion.startsWith("v1.14") ? `apiVersion: "v1alpha1", kind: "KubeletConfig", clusterDNS: ["10.96.0.10"]` : `machine: { nodeLabels: { "tier": "batch" } }`} }]` : "";
    return `    { hostname: "${host}", role: "${role}", address: "${net}.${i + 10}/16", link: "bond0", gateway: "${net}.1"${extra} },`;
  });
  return `import { bond, defineCluster, registryMirror, timeServers } from "talc";

export default defineCluster({
  name: "c${String(index).padStart(5, "0")}",
  talosVersion: "${v.talosVersion}",
  kubernetesVersion: "${v.kubernetesVersion}",
  endpoint: "https://${net}.5:6443",
  install: { disk: "/dev/sda", extensions: ["siderolabs/iscsi-tools", "siderolabs/intel-ucode"] },
  patches: [
    timeServers(["time.cloudflare.com"]),
    registryMirror("docker.io", "https://mirror.internal/v2/docker.io"),
    bond({ name: "bond0", links: ["enp1s0", "enp2s0"] }),
  ],
  controlPlane: { vip: { address: "${net}.5", link: "bond0" } },
  workers: { install: { disk: "/dev/nvme0n1" } },
  policy: { waivers: [{ rule: "volume-encryption", nodes: ["w-*"], reason: "benchmark fleet: workers hold no data", expires: "2027-06-30" }] },
  nodes: [
${list.join("\n")}
  ],
} as never);
`;
}

function makeFleet(clusters: number, nodes: number, into?: string): string {
  mkdirSync(join(PROJECT, ".tmp"), { recursive: true });
  const dir = into ?? mkdtempSync(join(PROJECT, ".tmp", "bench-"));
  mkdirSync(join(dir, "clusters"), { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  for (let i = 0; i < clusters; i++) writeFileSync(join(dir, "clusters", `c${String(i).padStart(5, "0")}.ts`), clusterFile(i, nodes));
  return dir;
}

interface Figures {
  clusters: number;
  nodes: number;
  wallMs: number;
  nodesPerSecond: number;
  peakRssMb: number;
  stagesMs: Record<string, number>;
  floorMs: number;
  ratioToFloor: number;
}

// Runs the full build in a child process (so peak memory is the build's own) and reads its timings.
function measure(clusters: number, nodes: number, profileDir?: string): Figures {
  const repo = makeFleet(clusters, nodes);
  try {
    const prof = profileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}`];
    const r = spawnSync(process.execPath, [...prof, "--import", "tsx", fileURLToPath(import.meta.url), "--inner", repo], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`bench build failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as Figures;
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

// Inside the child: build with per-stage timings, then the floor on the same documents.
async function inner(repo: string): Promise<void> {
  const { compileRepository } = await import("../compiler/pipeline.ts");
  const { replaceOutTree } = await import("../compiler/emit/tree.ts");
  const { encodeConfig } = await import("../compiler/emit/encode.ts");
  const stages: Record<string, number> = {};
  const start = performance.now();
  const { clusters, files } = await compileRepository(repo, [], { timings: stages, policy: {} });
  const t = performance.now();
  await replaceOutTree(repo, files);
  stages.write = performance.now() - t;
  const wallMs = performance.now() - start;
  const nodes = clusters.reduce((n, c) => n + c.nodes.length, 0);

  // The floor: encoding the same documents and hashing them, nothing else.
  const docs = clusters.flatMap((c) => c.nodes.map((n) => n.config));
  const f = performance.now();
  for (const d of docs) createHash("sha256").update(encodeConfig(d)).digest("hex");
  const floorMs = performance.now() - f;

  const figures: Figures = {
    clusters: clusters.length,
    nodes,
    wallMs: Math.round(wallMs),
    nodesPerSecond: Math.round((nodes / wallMs) * 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    stagesMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Math.round(v)])),
    floorMs: Math.round(floorMs),
    ratioToFloor: Math.round((wallMs / floorMs) * 10) / 10,
  };
  process.stdout.write(JSON.stringify(figures) + "\n");
}

function cli(args: string[], cwd: string): number {
  const s = performance.now();
  execFileSync(process.execPath, [BIN, ...args], { cwd, stdio: "ignore" });
  return Math.round(performance.now() - s);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: "string" },
      nodes: { type: "string" },
      sizes: { type: "string" },
      json: { type: "boolean" },
      inner: { type: "string" },
      "cpu-prof": { type: "string" },
      fleet: { type: "string" },
    },
  });
  if (values.inner !== undefined) return inner(values.inner);

  const perCluster = Number(values.nodes ?? 20);
  if (values.fleet !== undefined) {
    makeFleet(Number(values.clusters ?? 50), perCluster, values.fleet);
    return;
  }
  const runs: Array<[number, number]> =
    values.clusters !== undefined
      ? [[Number(values.clusters), perCluster]]
      : (values.sizes ?? "100,1000").split(",").map((n) => [Math.max(1, Math.round(Number(n) / perCluster)), perCluster]);
  const results = runs.map(([c, n]) => measure(c, n, values["cpu-prof"]));

  // talc check on the repository's own examples from a new process: the first run may compile, the next is answered from the cache.
  const cold = cli(["check"], PROJECT);
  const warm = cli(["check"], PROJECT);

  if (values.json) {
    process.stdout.write(JSON.stringify({ builds: results, check: { coldMs: cold, warmMs: warm } }, null, 2) + "\n");
    return;
  }
  for (const r of results) {
    process.stdout.write(
      `${r.clusters} clusters × ${r.nodes / r.clusters} nodes = ${r.nodes} nodes: ${r.wallMs} ms wall, ${r.nodesPerSecond} nodes/s, peak ${r.peakRssMb} MB\n` +
        `  stages: ${Object.entries(r.stagesMs).map(([k, v]) => `${k} ${v} ms`).join(", ")}\n` +
        `  floor (encode + hash only): ${r.floorMs} ms; full build is ${r.ratioToFloor}× the floor\n`,
    );
  }
  if (results.length > 1) {
    const [a, b] = [results[0], results[results.length - 1]];
    process.stdout.write(`growth: ${b.nodes / a.nodes}× the nodes took ${Math.round((b.wallMs / a.wallMs) * 10) / 10}× the time\n`);
  }
  process.stdout.write(`talc check on the examples (new process): ${cold} ms, then ${warm} ms\n`);
}

await main();
