// A seeded mutation fuzzer over what talc reads from a pull request:
// definitions (as data, and as TypeScript source), patches and config files.
// Each input is a small random mutation of a valid one. The oracle: talc
// either accepts it or rejects it with a TalcError; any other exception is a
// crash, and so is a polluted Object.prototype. Whatever compiles is scanned
// for secrets, since the mutations also plant secrets at secret paths.
//
//   npm run fuzz -- --iterations 5000 --seed 7 [--target definition|source|patch|config] [--save]
//
// Same seed, same inputs. --save writes every crash's input to
// test/corpus/regressions/, where the corpus test replays it.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { readTree } from "../compiler/check/index.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { TalcError } from "../compiler/errors.ts";
import { generateConfig, type GenerateOptions } from "../compiler/generate/generate.ts";
import { parseConfig } from "../compiler/load/config.ts";
import { PACKAGE_ROOT as PROJECT } from "../compiler/paths.ts";
import { loadClusterFiles, validateDefinition } from "../compiler/load/definition.ts";
import { applyPatches, parsePatch } from "../compiler/patch/index.ts";
import { compileCluster, loadClusters } from "../compiler/pipeline.ts";
import { loadSecretsBundle } from "../compiler/secrets/bundle.ts";
import { REDACTED_BUNDLE } from "../compiler/secrets/redact.ts";
import { formatFindings, scanFiles } from "../compiler/secrets/scan.ts";
import { CONTRACTS, type Contract } from "../compiler/talos/contract.ts";
import { validateDocuments } from "../compiler/validate/index.ts";
import { readConfigText } from "../compiler/cli/config-files.ts";

/** What the fuzzer feeds. */
export type Target = "definition" | "source" | "patch" | "config";
/** Every target, in the order of their share of iterations. */
export const TARGETS: readonly Target[] = ["definition", "patch", "config", "source"];

/** An input that made talc fail in a way it must not. */
export interface Crash {
  target: Target;
  iteration: number;
  /** What went wrong: the exception, or the leak. */
  error: string;
  /** The input, as a file the corpus can replay: a cluster file (.ts) or YAML (.yaml). */
  input: string;
  ext: "ts" | "yaml";
}

/** What a run found. */
export interface FuzzReport {
  iterations: number;
  /** Per target: how many inputs were accepted, rejected with a TalcError, or crashed. */
  outcomes: Record<Target, { accepted: number; rejected: number; crashed: number }>;
  crashes: Crash[];
  /** The slowest input, in milliseconds, and its target. */
  slowest: { ms: number; target: Target; iteration: number };
}

/** How to fuzz. */
export interface FuzzOptions {
  iterations: number;
  seed: number;
  targets?: readonly Target[];
}

// ---------------------------------------------------------------------------
// Randomness

/** mulberry32: small, fast, and the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------
// Material

const SECRET_VALUES = [
  "abcdef.0123456789abcdef",
  "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oPqHyW0nXP1ZoAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n",
  Buffer.from("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n").toString("base64"),
  "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
  "Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV6cXV1enF1dXo=",
];

/** Patches that set a secret path, one per kind of secret field; `$` is where the secret goes. */
export const SECRET_PATCHES: readonly unknown[] = [
  { machine: { token: "$" } },
  { machine: { ca: { key: "$" } } },
  { cluster: { secret: "$", token: "$" } },
  { cluster: { secretboxEncryptionSecret: "$" } },
  { cluster: { ca: { key: "$" }, aggregatorCA: { key: "$" }, serviceAccount: { key: "$" }, etcd: { ca: { key: "$" } } } },
  { machine: { registries: { config: { "registry.example": { auth: { username: "u", password: "$", auth: "$", identityToken: "$" } } } } } },
  { machine: { registries: { config: { "registry.example": { tls: { clientIdentity: { crt: "", key: "$" } } } } } } },
  { machine: { systemDiskEncryption: { ephemeral: { provider: "luks2", keys: [{ slot: 0, static: { passphrase: "$" } }] } } } },
  { apiVersion: "v1alpha1", kind: "RegistryAuthConfig", name: "registry.example", username: "u", password: "$" },
  { apiVersion: "v1alpha1", kind: "WireguardConfig", name: "wg0", privateKey: "$", peers: [{ publicKey: "p", presharedKey: "$", allowedIPs: ["10.1.0.0/16"] }] },
  { apiVersion: "v1alpha1", kind: "VolumeConfig", name: "EPHEMERAL", encryption: { provider: "luks2", keys: [{ slot: 0, static: { passphrase: "$" } }] } },
  { document: "v1alpha1", ops: [{ op: "replace", path: "/machine/token", value: "$" }] },
];

const PATCH_POOL: readonly unknown[] = [
  { machine: { network: { hostname: "node-x" } } },
  { apiVersion: "v1alpha1", kind: "HostnameConfig", hostname: "h-1", auto: "off" },
  { apiVersion: "v1alpha1", kind: "LinkConfig", name: "eth0", addresses: [{ address: "10.0.0.5/24" }] },
  { apiVersion: "v1alpha1", kind: "KubeletConfig", clusterDNS: ["10.96.0.10"] },
  { apiVersion: "v1alpha1", kind: "KubeletConfig", $patch: "delete" },
  { machine: { install: { $patch: "delete" } } },
  { machine: { kubelet: { extraArgs: { "max-pods": "250" } } } },
  { machine: { nodeLabels: { "example.com/x": "y" } } },
  { machine: { files: [{ path: "/var/etc/x", content: "c", op: "create", permissions: 420 }] } },
  { machine: { sysctls: { "net.core.somaxconn": "65535" } } },
  { machine: { time: { servers: ["time.cloudflare.com"] } } },
  { cluster: { inlineManifests: [{ name: "ns", contents: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n" }] } },
  { cluster: { network: { cni: { name: "none" } } } },
  { cluster: { proxy: { disabled: true } } },
  { document: "v1alpha1", ops: [{ op: "add", path: "/machine/nodeLabels", value: { a: "b" } }] },
  { document: "v1alpha1", ops: [{ op: "remove", path: "/machine/install" }] },
  { document: "HostnameConfig", ops: [{ op: "replace", path: "/hostname", value: "y" }] },
  [{ machine: {} }],
  "machine: {}",
];

const STRINGS = [
  "", " ", "a", "..", "../../etc/passwd", "/", "a/b", "\0", "a\0b", ".hidden", "con", "nul", "x".repeat(64), "x".repeat(5000),
  "\u202e", "\ud800", "ü", "😀", "__proto__", "constructor", "prototype", "$patch", "delete", "replace", "v1alpha1",
  "v1.13.9", "v1.14.0-rc.1", "v1.12.0", "v9.9.9", "v1.13", "1.36.3", "1.20.0", "https://10.0.0.1:6443", "http://x", "https://[::1]:6443",
  "10.0.0.5/24", "10.0.0.5", "::1/128", "999.1.1.1/24", "/dev/sda", "/dev/nvme0n1", "eth0", "bond0", "controlplane", "worker",
  "siderolabs/iscsi-tools", "sha256:" + "a".repeat(64), "2027-03-01", "true", "1e999", "0x1F", "~", "null", "*a", "&a", "<<",
  "\n- x", ": y", "{", "[",
];
const NUMBERS = [0, -1, 1, 2, 255, 65535, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 63), 1e308, -1e308, NaN, Infinity, -Infinity, -0, 0.5, 1e-9, 2n ** 64n];
const KEYS = [
  "name", "talosVersion", "kubernetesVersion", "endpoint", "install", "disk", "image", "extensions", "kernelArgs", "extraKernelArgs",
  "patches", "controlPlane", "workers", "nodes", "hostname", "role", "address", "link", "gateway", "vip", "targets", "policy",
  "waivers", "omni", "machines", "additionalSANs", "dnsDomain", "kubeSpan", "discovery", "machine", "cluster", "network",
  "kubelet", "extraArgs", "apiVersion", "kind", "document", "ops", "op", "path", "value", "$patch", "token", "secret",
  "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "", "x".repeat(300),
];

// ---------------------------------------------------------------------------
// Structure-aware mutation of plain data

type Holder = { parent: Record<string, unknown> | unknown[]; key: string | number };

function holders(value: unknown, out: Holder[] = [], depth = 0): Holder[] {
  if (depth > 40 || typeof value !== "object" || value === null) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      holders(v, out, depth + 1);
    });
  } else {
    for (const k of Object.keys(value)) {
      out.push({ parent: value as Record<string, unknown>, key: k });
      holders((value as Record<string, unknown>)[k], out, depth + 1);
    }
  }
  return out;
}

function containers(value: unknown, out: Array<Record<string, unknown> | unknown[]> = [], depth = 0): Array<Record<string, unknown> | unknown[]> {
  if (depth > 40 || typeof value !== "object" || value === null) return out;
  out.push(value as Record<string, unknown> | unknown[]);
  for (const v of Array.isArray(value) ? value : Object.values(value)) containers(v, out, depth + 1);
  return out;
}

/** A secret patch with its "$" placeholders set to `secret`. */
export function withSecret(patch: unknown, secret: string): unknown {
  return JSON.parse(JSON.stringify(patch), (_k, v: unknown) => (v === "$" ? secret : v)) as unknown;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function randomValue(d: Dice, depth = 0): unknown {
  switch (d.int(depth > 2 ? 4 : 7)) {
    case 0:
      return d.pick(STRINGS);
    case 1:
      return d.pick(NUMBERS);
    case 2:
      return d.pick([true, false, null]);
    case 3:
      return structuredClone(d.pick(PATCH_POOL));
    case 4:
      return Array.from({ length: d.int(3) }, () => randomValue(d, depth + 1));
    case 5: {
      const o: Record<string, unknown> = {};
      for (let i = d.int(3); i > 0; i--) setKey(o, d.pick(KEYS), randomValue(d, depth + 1));
      return o;
    }
    default:
      return d.pick([undefined, [], {}, [null], { $patch: "delete" }]);
  }
}

function mutateString(d: Dice, s: string): string {
  const at = d.int(s.length + 1);
  switch (d.int(5)) {
    case 0:
      return s.slice(0, at);
    case 1:
      return s.slice(0, at) + d.pick(["\0", "/", ".", "-", "A", "\u202e", "\n", "..", " "]) + s.slice(at);
    case 2:
      return s + s;
    case 3:
      return s.toUpperCase();
    default:
      return d.pick(STRINGS);
  }
}

/** Applies one random mutation to plain data in place; returns a short description. */
function mutateData(d: Dice, root: Record<string, unknown>): string {
  const all = holders(root);
  const op = d.int(10);
  if (op <= 1 && all.length > 0) {
    const h = d.pick(all);
    if (Array.isArray(h.parent)) h.parent.splice(h.key as number, 1);
    else delete h.parent[h.key as string];
    return `delete ${String(h.key)}`;
  }
  if (op <= 4 && all.length > 0) {
    const h = d.pick(all);
    const old = Array.isArray(h.parent) ? h.parent[h.key as number] : h.parent[h.key as string];
    const value = typeof old === "string" && d.chance(0.6) ? mutateString(d, old) : randomValue(d);
    if (Array.isArray(h.parent)) h.parent[h.key as number] = value;
    else setKey(h.parent, h.key as string, value);
    return `set ${String(h.key)}`;
  }
  if (op <= 6) {
    const c = d.pick(containers(root));
    if (Array.isArray(c)) c.splice(d.int(c.length + 1), 0, c.length > 0 && d.chance(0.5) ? structuredClone(d.pick(c)) : randomValue(d));
    else setKey(c, d.pick(KEYS), randomValue(d));
    return "insert";
  }
  // a patch, or a secret at a secret path, on the cluster, a role or a node
  const patch = op === 9 ? withSecret(d.pick(SECRET_PATCHES), d.pick(SECRET_VALUES)) : structuredClone(d.pick(PATCH_POOL));
  const nodes = Array.isArray(root.nodes) ? (root.nodes as unknown[]) : [];
  const where = d.int(3);
  const owner =
    where === 0 || nodes.length === 0
      ? root
      : where === 1
        ? ((root[d.pick(["controlPlane", "workers"])] ??= {}) as Record<string, unknown>)
        : (d.pick(nodes) as Record<string, unknown>);
  if (typeof owner !== "object" || owner === null) return "patch skipped";
  const list = Array.isArray(owner.patches) ? (owner.patches as unknown[]) : [];
  list.push(patch);
  setKey(owner, "patches", list);
  return op === 9 ? "secret patch" : "patch";
}

// ---------------------------------------------------------------------------
// Text mutation

const TOKENS = [
  "\n", ": ", "- ", "{", "}", "[", "]", "&a ", "*a", "<<: *a\n", "!!binary ", "!!binary /w==", "!foo ", "? ", "---\n", "\t", "\0",
  "\ufffd", "'", '"', "#", "%YAML 1.1\n", "__proto__: 1\n", "constructor:\n  prototype: {}\n", "$patch: delete\n", "0x", "1e999",
  ".inf", "~", "a: &a [*a]\n", "9223372036854775808", "-18446744073709551617", "1_000", "\\", "`", "${", "/*", "*/", "//", "(", ")", ";", ",", "=>", "as any", "export default ", "import x from './x.ts';\n",
  "throw new Error('x');", "await 0;", "\ud800",
];

/** Applies one random mutation to a text. */
function mutateText(d: Dice, text: string): string {
  const at = d.int(text.length + 1);
  const lines = text.split("\n");
  switch (d.int(7)) {
    case 0:
      return text.slice(0, at) + d.pick(TOKENS) + text.slice(at);
    case 1: {
      const end = Math.min(text.length, at + 1 + d.int(20));
      return text.slice(0, at) + text.slice(end);
    }
    case 2: {
      const i = d.int(lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join("\n");
    }
    case 3: {
      const i = d.int(lines.length);
      const j = d.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join("\n");
    }
    case 4: {
      const i = d.int(lines.length);
      lines[i] = d.chance(0.5) ? `  ${lines[i]}` : lines[i].replace(/^ {1,2}/, "");
      return lines.join("\n");
    }
    case 5:
      return text.slice(0, at);
    default: {
      const m = [...text.matchAll(/[A-Za-z0-9./_-]{2,}/g)];
      if (m.length === 0) return text;
      const hit = d.pick(m);
      return text.slice(0, hit.index) + String(d.pick([...STRINGS, ...NUMBERS.map(String)])) + text.slice(hit.index + hit[0].length);
    }
  }
}

// ---------------------------------------------------------------------------
// Reproducers

/** A JavaScript expression for plain data, keeping what JSON cannot say (NaN, -0, undefined, own __proto__ keys). */
export function jsLiteral(value: unknown, indent = ""): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[\n${value.map((v) => `${inner}${jsLiteral(v, inner)}`).join(",\n")},\n${indent}]`;
  const keys = Object.keys(value);
  if (keys.length === 0) return "{}";
  // A computed key is an own property even for "__proto__".
  const entries = keys.map((k) => `${inner}${k === "__proto__" ? `["__proto__"]` : JSON.stringify(k)}: ${jsLiteral((value as Record<string, unknown>)[k], inner)}`);
  return `{\n${entries.join(",\n")},\n${indent}}`;
}

function clusterSource(def: unknown): string {
  return `// A fuzzed definition.\nexport default ${jsLiteral(def)};\n`;
}

// ---------------------------------------------------------------------------
// The run

interface Seeds {
  definitions: Array<Record<string, unknown>>;
  patches: string[];
  configs: string[];
  bundles: string[];
  bases: Map<Contract, ReturnType<typeof generateConfig>>;
}

let seeded: Promise<Seeds> | undefined;

// The seeds are read once per process: every run starts from the same valid inputs.
function loadSeeds(): Promise<Seeds> {
  seeded ??= readSeeds();
  return seeded;
}

async function readSeeds(): Promise<Seeds> {
  const definitions = (await loadClusters(PROJECT)).map((c) => structuredClone(c.definition) as unknown as Record<string, unknown>);
  definitions.push({
    name: "tiny",
    talosVersion: "v1.13.9",
    kubernetesVersion: "1.36.3",
    endpoint: "https://10.0.0.1:6443",
    install: { disk: "/dev/sda" },
    nodes: [
      { hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24", link: "eth0", gateway: "10.0.0.1" },
      { hostname: "w-1", role: "worker" },
    ],
  });
  // Sorted by path, so that a seed picks the same texts on every machine.
  const all = [...(await readTree(join(PROJECT, "out")))].filter(([p]) => p.endsWith(".yaml")).map(([, text]) => text);
  const patches = [
    ...all.filter((t) => !t.startsWith("version: v1alpha1\nmachine:\n    type:")),
    "- op: add\n  path: /machine/nodeLabels\n  value:\n    a: b\n",
    '[{"op": "replace", "path": "/machine/type", "value": "worker"}]',
    "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        $patch: delete\n",
    "apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\naddresses:\n  - address: 10.0.0.5/24\n",
    // short patches, which a mutation or two often leaves valid (most mutated addresses are not)
    "machine:\n  network:\n    hostname: fuzz-1\n",
    "machine:\n  nodeLabels:\n    rack: r1\n",
  ];
  const configs = all.filter((t) => t.startsWith("version: v1alpha1"));
  const bundles = [readFileSync(join(PROJECT, "test/fixtures/test-secrets.yaml"), "utf8")];
  const bases = new Map(CONTRACTS.map((c) => [c, generateConfig(baseOptions(c), "controlplane")] as const));
  return { definitions, patches, configs, bundles, bases };
}

function baseOptions(contract: Contract): GenerateOptions {
  return {
    clusterName: "fuzz",
    endpoint: "https://10.0.0.1:6443",
    kubernetesVersion: { "1.12": "1.35.0", "1.13": "1.36.3", "1.14": "1.37.0" }[contract],
    contract,
    secrets: REDACTED_BUNDLE,
  };
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(",");

function prototypeTouched(): string | undefined {
  const now = Object.getOwnPropertyNames(Object.prototype).sort().join(",");
  if (now !== PROTOTYPE_KEYS) return `Object.prototype changed: ${now}`;
  for (const proto of [Object.prototype, Array.prototype]) {
    for (const k of ["polluted", "x", "a"]) if (Object.hasOwn(proto, k)) return `a prototype gained "${k}"`;
  }
  return undefined;
}

/** Runs the fuzzer; never throws for what it finds. */
export async function fuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const d = new Dice(rng(opts.seed));
  const targets = opts.targets ?? TARGETS;
  const seeds = await loadSeeds();
  const report: FuzzReport = {
    iterations: opts.iterations,
    outcomes: Object.fromEntries(TARGETS.map((t) => [t, { accepted: 0, rejected: 0, crashed: 0 }])) as FuzzReport["outcomes"],
    crashes: [],
    slowest: { ms: 0, target: targets[0], iteration: 0 },
  };
  mkdirSync(join(PROJECT, ".tmp"), { recursive: true });
  const scratch = mkdtempSync(join(PROJECT, ".tmp", "fuzz-"));
  mkdirSync(join(scratch, "clusters"));
  try {
    for (let i = 0; i < opts.iterations; i++) {
      // The source target loads through esbuild and is slow: a small share.
      const target = targets.length === 1 ? targets[0] : d.chance(0.05) && targets.includes("source") ? "source" : d.pick(targets.filter((t) => t !== "source"));
      const { input, ext, run } = makeCase(d, target, seeds, scratch, i);
      const start = performance.now();
      let error: string | undefined;
      try {
        const accepted = await run();
        report.outcomes[target].accepted += accepted ? 1 : 0;
        report.outcomes[target].rejected += accepted ? 0 : 1;
      } catch (e) {
        if (e instanceof TalcError) report.outcomes[target].rejected++;
        else error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e);
      }
      error ??= prototypeTouched();
      const ms = performance.now() - start;
      if (ms > report.slowest.ms) report.slowest = { ms, target, iteration: i };
      if (error !== undefined) {
        report.outcomes[target].crashed++;
        report.crashes.push({ target, iteration: i, error, input: input(), ext });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return report;
}

class Leak extends Error {}

function assertNoSecrets(files: Iterable<readonly [string, string]>): void {
  const findings = scanFiles(files);
  if (findings.length > 0) throw new Leak(`a secret reached the output:\n${formatFindings(findings).join("\n")}`);
}

function makeCase(d: Dice, target: Target, seeds: Seeds, scratch: string, i: number): { input: () => string; ext: "ts" | "yaml"; run: () => Promise<boolean> } {
  switch (target) {
    case "definition":
    case "source": {
      const def = structuredClone(d.pick(seeds.definitions));
      for (let n = 1 + d.int(3); n > 0; n--) mutateData(d, def);
      let source = clusterSource(def);
      if (target === "source") for (let n = d.int(3); n > 0; n--) source = mutateText(d, source);
      const run = async (): Promise<boolean> => {
        const loaded =
          target === "definition"
            ? validateDefinition(def, "clusters/fuzz.ts")
            : await (async () => {
                const file = `clusters/f${i}.ts`;
                writeFileSync(join(scratch, file), source);
                try {
                  return (await loadClusterFiles(scratch, [file]))[0];
                } finally {
                  rmSync(join(scratch, file), { force: true });
                }
              })();
        assertNoSecrets(compileCluster(loaded).files);
        return true;
      };
      return { input: () => source, ext: "ts", run };
    }
    case "patch": {
      let text = d.pick(seeds.patches);
      for (let n = 1 + d.int(3); n > 0; n--) text = mutateText(d, text);
      const contract = d.pick(CONTRACTS);
      const run = async (): Promise<boolean> => {
        const patch = parsePatch(text, "fuzz.yaml", { contract });
        encodeConfig(applyPatches(seeds.bases.get(contract)!, [patch], { contract }));
        return true;
      };
      return { input: () => text, ext: "yaml", run };
    }
    case "config": {
      const bundle = d.chance(0.2);
      let text = bundle ? d.pick(seeds.bundles) : d.pick(seeds.configs);
      if (!bundle && d.chance(0.3)) {
        // structure-aware: mutate the data, then write it as YAML again
        const docs = parseConfig(text, "fuzz.yaml");
        for (const doc of docs) mutateData(d, doc);
        text = docs.map((doc) => stringify(doc)).join("---\n");
      }
      for (let n = 1 + d.int(3); n > 0; n--) text = mutateText(d, text);
      const contract = d.pick(CONTRACTS);
      const run = async (): Promise<boolean> => {
        if (bundle) {
          loadSecretsBundle(text, "fuzz.yaml");
          return true;
        }
        // as `talc validate --config` reads and judges a file
        const { docs, contract: read } = readConfigText(text, "fuzz.yaml", contract, "validate");
        validateDocuments(docs, { contract: read, mode: "metal" });
        return true;
      };
      return { input: () => text, ext: "yaml", run };
    }
  }
}

// ---------------------------------------------------------------------------
// Command line

/** The command line: `--iterations N --seed S [--target T]… [--save]`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
    options: {
      iterations: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      target: { type: "string", multiple: true },
      save: { type: "boolean", default: false },
    },
    });
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n`);
    return 2;
  }
  const { values } = parsed;
  const iterations = Number(values.iterations);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(iterations) || iterations < 0 || !Number.isSafeInteger(seed)) {
    process.stderr.write("fuzz: --iterations and --seed take whole numbers\n");
    return 2;
  }
  const targets = (values.target ?? [...TARGETS]) as Target[];
  const unknown = targets.find((t) => !TARGETS.includes(t));
  if (unknown !== undefined) {
    process.stderr.write(`fuzz: unknown target "${unknown}"; expected ${TARGETS.join(", ")}\n`);
    return 2;
  }
  const started = performance.now();
  const report = await fuzz({ iterations, seed, targets });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  for (const [t, o] of Object.entries(report.outcomes)) {
    if (o.accepted + o.rejected + o.crashed > 0) process.stdout.write(`${t.padEnd(10)} accepted ${o.accepted}, rejected ${o.rejected}, crashed ${o.crashed}\n`);
  }
  process.stdout.write(`${iterations} iterations, seed ${seed}, ${secs}s; slowest ${report.slowest.ms.toFixed(0)}ms (${report.slowest.target} #${report.slowest.iteration})\n`);
  const dir = join(PROJECT, "test/corpus/regressions");
  for (const c of report.crashes) {
    process.stdout.write(`\nCRASH ${c.target} #${c.iteration}: ${c.error.split("\n").slice(0, 4).join("\n  ")}\n`);
    if (values.save) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `fuzz-${c.target}-s${seed}-i${c.iteration}.${c.ext}`);
      writeFileSync(file, c.input);
      process.stdout.write(`  saved ${file}\n`);
    }
  }
  return report.crashes.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
