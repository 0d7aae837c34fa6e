// The load stage: cluster files → validated definitions. A definition is
// checked against schemas/cluster.schema.json (every problem at once) and then
// for what a schema cannot say: unique hostnames, valid addresses, supported
// versions. Each problem names the file, the definition path and, where the
// offending value appears once in the file, its line.

import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Ajv, CodeOptions, ErrorObject } from "ajv";
import type { Metafile } from "esbuild";
import { requireIfPresent } from "../../bin/code-cache.js";
import { ajv } from "../lazy.ts";
import schema from "../../schemas/cluster.schema.json" with { type: "json" };
import type { ClusterDefinition } from "../define/definition.generated.ts";
import { TalcError } from "../errors.ts";
import { closest } from "../suggest.ts";
import { assertUtf8 } from "./config.ts";
import { plainDefinition, quote, reservedName } from "./plain.ts";
import { goURLOptions, parseContract, type Contract } from "../talos/contract.ts";
import { endpointProblem } from "../validate/net.ts";
import { addressKey } from "../talos/netip.ts";
import { kubernetesSupport } from "../talos/versions.ts";
import { nodeInstalls } from "../generate/layers.ts";
import { COMPILED_VALIDATORS } from "../paths.ts";
import { pointerSegments } from "../value.ts";
import { bundleAsOne, bundleEach, dropBundle, type EarlyBundle, inTwo, type OneBundle, TALC_API, takeEarlyBundle } from "./files.ts";

export { findClusterFiles } from "./files.ts";

/** A definition that passed every check, with where it came from. */
export interface LoadedCluster {
  definition: ClusterDefinition;
  contract: Contract;
  /** The cluster file, relative to the repository root. */
  file: string;
  /** The cluster file's text, for lines in messages. */
  source?: string;
  /** The files esbuild read to load it (relative to the repository root): what a cached compile depends on. */
  reads?: string[];
}

let validator: ReturnType<Ajv["compile"]> | undefined;

/** The ajv setup definitions are checked with, at run time and when precompiled. */
export function definitionAjv(code: CodeOptions = {}): Ajv {
  // `tsType` is a code generation hint for json-schema-to-typescript, not a JSON Schema keyword.
  // `verbose` keeps each error's schema, which lists the fields a misspelt one could have meant.
  return new (ajv().Ajv)({ allErrors: true, strict: true, verbose: true, keywords: ["tsType"], code });
}

function schemaValidator(): ReturnType<Ajv["compile"]> {
  if (validator === undefined) {
    // scripts/validators.ts precompiles it at install; compiling here is the fallback.
    validator = (requireIfPresent(join(COMPILED_VALIDATORS, "cluster.cjs")) as ReturnType<Ajv["compile"]> | undefined) ?? definitionAjv().compile(schema);
  }
  return validator;
}

/** A config path like `nodes[2].address` from a JSON pointer like `/nodes/2/address`. */
export function pointerToPath(pointer: string): string {
  return pointerSegments(pointer).reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc === "" ? seg : `${acc}.${seg}`), "");
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const seg of pointerSegments(pointer)) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

export { closest } from "../suggest.ts";

function describeAjvError(e: ErrorObject, def: unknown): { pointer: string; message: string } {
  const path = pointerToPath(e.instancePath);
  const where = path === "" ? "the definition" : path;
  switch (e.keyword) {
    case "additionalProperties": {
      const extra = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const guess = closest(extra, allowed);
      const pointer = `${e.instancePath}/${extra}`;
      const hint = guess !== undefined ? `did you mean "${guess}"? ` : "";
      return { pointer, message: `unknown field "${extra}"; ${hint}${where} takes: ${allowed.join(", ")}` };
    }
    case "required":
      return {
        pointer: e.instancePath,
        message: `${where} needs "${String(e.params.missingProperty)}"`,
      };
    case "enum":
      return {
        pointer: e.instancePath,
        message: `${quote(valueAt(def, e.instancePath))} is not allowed; expected one of: ${(e.params.allowedValues as unknown[]).join(", ")}`,
      };
    case "pattern": {
      const field = path.split(".").pop()?.replace(/\[\d+\]$/, "") ?? path;
      return { pointer: e.instancePath, message: `${quote(valueAt(def, e.instancePath))} is not a valid ${field}; ${PATTERN_HINTS[field] ?? `it must match ${String(e.params.pattern)}`}` };
    }
    case "type":
      return { pointer: e.instancePath, message: `expected ${String(e.params.type)}, got ${quote(valueAt(def, e.instancePath))}` };
    case "minItems":
      return { pointer: e.instancePath, message: MIN_ITEMS_HINTS[path.replace(/\[\d+\]/g, "[]")] ?? `needs at least ${String(e.params.limit)} item(s)` };
    case "minLength":
      return { pointer: e.instancePath, message: "must not be empty" };
    default:
      return { pointer: e.instancePath, message: e.message ?? "is not valid" };
  }
}

const PATTERN_HINTS: Record<string, string> = {
  name: "use lowercase letters, digits and dashes (a DNS label), e.g. homelab",
  hostname: "use lowercase letters, digits and dashes (a DNS label), e.g. cp-1",
  talosVersion: "give an exact release such as v1.13.9",
  kubernetesVersion: "give an exact version such as 1.36.3",
  endpoint: "give an https URL such as https://192.168.10.10:6443",
  dnsDomain: "give a DNS domain such as cluster.local",
  disk: "give a device path such as /dev/sda",
  expires: "give a date as YYYY-MM-DD",
};

// Where an empty list is read one way and meant another, what to write instead.
const MIN_ITEMS_HINTS: Record<string, string> = {
  "policy.waivers[].nodes": "is empty; name at least one hostname glob (such as \"w-*\"), or leave nodes out to waive the rule on every node",
};

// A node's address goes into a link document, where Talos reads it with netip.ParsePrefix: no leading zero in the length.
function isCidr(value: string): boolean {
  const [ip, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || prefix === undefined || !/^(?:0|[1-9]\d{0,2})$/.test(prefix)) return false;
  const family = isIP(ip);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}

interface Problem {
  pointer: string;
  message: string;
}

// What the schema cannot express.
function semanticProblems(def: ClusterDefinition): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  // Whose each static address is: two machines on one address answer for each other, and talosctl reaches either.
  const owners = new Map<string, number>();
  if (reservedName(def.name)) problems.push({ pointer: "/name", message: `"${def.name}" is a reserved file name on Windows, and the name is a folder under out/; choose another name` });
  def.nodes.forEach((node, i) => {
    if (reservedName(node.hostname)) problems.push({ pointer: `/nodes/${i}/hostname`, message: `"${node.hostname}" is a reserved file name on Windows, and the hostname names files under out/; choose another hostname` });
    const first = seen.get(node.hostname);
    if (first !== undefined) problems.push({ pointer: `/nodes/${i}/hostname`, message: `duplicate hostname "${node.hostname}"; nodes[${first}] has it already` });
    else seen.set(node.hostname, i);
    if (node.address !== undefined && !isCidr(node.address)) {
      problems.push({ pointer: `/nodes/${i}/address`, message: `"${node.address}" is not an address in CIDR notation; expected e.g. 192.168.10.11/24` });
    } else if (node.address?.includes("%")) {
      // Talos reads a link's addresses as netip prefixes, which have no zone
      problems.push({ pointer: `/nodes/${i}/address`, message: `"${node.address}" has an IPv6 zone, which a static address cannot have; drop the "%${node.address.split("%")[1].split("/")[0]}" and name the link in "link"` });
    } else if (node.address !== undefined) {
      const key = addressKey(node.address.split("/")[0]);
      const owner = owners.get(key);
      if (owner !== undefined) {
        problems.push({ pointer: `/nodes/${i}/address`, message: `${node.address.split("/")[0]} is nodes[${owner}]'s address (${def.nodes[owner].hostname}) already; each node needs an address of its own` });
      } else owners.set(key, i);
    }
    if (node.gateway !== undefined && isIP(node.gateway) === 0) {
      problems.push({ pointer: `/nodes/${i}/gateway`, message: `"${node.gateway}" is not an IP address` });
    }
    if ((node.gateway !== undefined || node.link !== undefined) && node.address === undefined) {
      problems.push({ pointer: `/nodes/${i}`, message: `"gateway" and "link" go with a static "address"; add one or remove them` });
    }
  });
  const imageFields = ["extensions", "kernelArgs", "overlay", "secureBoot", "platform", "factory", "imageDigest"] as const;
  const installOf = nodeInstalls(def);
  def.nodes.forEach((node, i) => {
    const install = installOf(node);
    const schematicField = imageFields.find((f) => install[f] !== undefined);
    if (install.image !== undefined && schematicField !== undefined) {
      problems.push({
        pointer: `/nodes/${i}/install`,
        message: `an explicit installer image and "${schematicField}" exclude each other: the image is either given or built from the schematic; remove one`,
      });
    }
  });
  if (!def.nodes.some((n) => n.role === "controlplane")) {
    problems.push({ pointer: "/nodes", message: "a cluster needs at least one node with role controlplane" });
  }
  const vip = def.controlPlane?.vip;
  if (vip !== undefined && isIP(vip.address) === 0) {
    problems.push({ pointer: "/controlPlane/vip/address", message: `"${vip.address}" is not an IP address` });
  } else if (vip !== undefined && owners.has(addressKey(vip.address.split("%")[0]))) {
    // a zone names the link, not another address
    const owner = owners.get(addressKey(vip.address.split("%")[0]))!;
    problems.push({
      pointer: "/controlPlane/vip/address",
      message: `${vip.address} is nodes[${owner}]'s own address (${def.nodes[owner].hostname}); the VIP is an address of its own, which the control planes share, so pick a free one`,
    });
  }
  let contract: Contract | undefined;
  try {
    contract = parseContract(def.talosVersion);
  } catch (e) {
    problems.push({ pointer: "/talosVersion", message: (e as Error).message });
  }
  // the endpoint goes into the config as written, where Talos reads it as its release's Go does
  const endpoint = endpointProblem(def.endpoint, goURLOptions(contract));
  if (endpoint !== undefined) problems.push({ pointer: "/endpoint", message: `"${def.endpoint}" ${endpoint}; expected e.g. https://192.168.10.10:6443` });
  if (contract !== undefined) {
    const support = kubernetesSupport(contract, def.kubernetesVersion, def.talosVersion);
    if (!support.supported) problems.push({ pointer: "/kubernetesVersion", message: `${support.message}; pick a version in that window` });
    if (contract === "1.14") {
      const installs: Array<[string, { extraKernelArgs?: string[] } | undefined]> = [
        ["/install", def.install],
        ["/controlPlane/install", def.controlPlane?.install],
        ["/workers/install", def.workers?.install],
        ...def.nodes.map((n, i): [string, { extraKernelArgs?: string[] } | undefined] => [`/nodes/${i}/install`, n.install]),
      ];
      for (const [pointer, install] of installs) {
        if (install?.extraKernelArgs !== undefined) {
          problems.push({ pointer: `${pointer}/extraKernelArgs`, message: "Talos 1.14 takes kernel arguments from the boot image, not the config; remove them here" });
        }
      }
    }
  }
  return problems;
}

// The line of a value in the cluster file, when it occurs there exactly once.
function lineOf(source: string | undefined, value: unknown, pointer: string): number | undefined {
  if (source === undefined) return undefined;
  const needles: string[] = [];
  if (typeof value === "string" && value !== "") needles.push(JSON.stringify(value), `'${value}'`);
  const key = pointer.split("/").pop();
  if (needles.length === 0 && key !== undefined && !/^\d+$/.test(key)) needles.push(`${key}:`);
  for (const needle of needles) {
    const first = source.indexOf(needle);
    if (first >= 0 && source.indexOf(needle, first + 1) < 0) return source.slice(0, first).split("\n").length;
  }
  return undefined;
}

/** Checks a definition; every problem is reported, each with its path. */
export function validateDefinition(input: unknown, file: string, source?: string): LoadedCluster {
  if (source !== undefined) assertUtf8(source, file, "load");
  const def = plainDefinition(input, file);
  const validate = schemaValidator();
  const problems: Problem[] = validate(def) ? semanticProblems(def as ClusterDefinition) : (validate.errors ?? []).map((e) => describeAjvError(e, def));
  if (problems.length > 0) {
    throw TalcError.many(
      problems.map(
        (p) =>
          new TalcError(p.message, {
            code: "bad-definition",
            stage: "load",
            file,
            path: pointerToPath(p.pointer),
            line: lineOf(source, valueAt(def, p.pointer), p.pointer),
          }),
      ),
    );
  }
  const definition = def as ClusterDefinition;
  return { definition, contract: parseContract(definition.talosVersion), file, source };
}

// esbuild's "file:line:column: message" for the first error of a build that failed.
function buildErrors(e: unknown, root: string): TalcError[] {
  const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return [];
  return errors.map(
    (err) =>
      new TalcError(`the cluster file failed to load: ${err.text.toLowerCase()}`, {
        code: "definition-syntax",
        stage: "load",
        file: err.location ? relative(root, resolve(root, err.location.file)) : undefined,
        line: err.location?.line,
      }),
  );
}

/**
 * Bundles cluster files (each with the local files it imports and the "talc"
 * API) in one esbuild run and returns each bundle's code. Loading a bundle is a
 * single module without imports, however many files the cluster spans; each
 * cluster gets its own copy of a shared local module, so one cluster file
 * cannot change what another sees; and an edit anywhere changes the code and
 * so loads afresh.
 */
async function bundleClusterFiles(root: string, files: readonly string[], started?: EarlyBundle["each"]): Promise<{ code: Map<string, string>; inputs: Metafile["inputs"] }> {
  let result;
  try {
    result = await (started ?? bundleEach(root, files));
  } catch (e) {
    const problems = buildErrors(e, root);
    // An error without a place (a folder or a dangling link named like a cluster file) belongs to the one file it came from.
    if (problems.length > 0 && problems.every((p) => p.file !== undefined)) throw TalcError.many(problems);
    if (problems.length > 0 && files.length === 1) {
      throw TalcError.many(problems.map((p) => new TalcError(p.message, { code: p.code, stage: p.stage, file: p.file ?? files[0], line: p.line })));
    }
    if (problems.length > 0) {
      // Several files: build each alone to find the one that fails.
      for (const file of files) await bundleClusterFiles(root, [file]);
    }
    throw e;
  }
  const code = new Map<string, string>();
  for (const out of result.outputFiles) {
    const rel = relative(join(root, ".talc", "bundles"), out.path).replace(/\.js$/, ".ts");
    code.set(files.find((f) => f.replace(/\.[cm]?tsx?$/, ".ts") === rel) ?? rel, out.text);
  }
  return { code, inputs: result.metafile.inputs };
}

// What esbuild read for one cluster file: the file and, transitively, what it imports, as esbuild names them
// (relative to the root), short of the talc API, which is talc's own.
function readsOf(root: string, inputs: Metafile["inputs"], file: string): string[] {
  const api = relative(root, TALC_API);
  const seen = new Set<string>();
  const stack = [file];
  while (stack.length > 0) {
    const path = stack.pop()!;
    if (seen.has(path) || path === api) continue;
    seen.add(path);
    for (const imp of inputs[path]?.imports ?? []) if (!imp.external) stack.push(imp.path);
  }
  return [...seen].sort();
}

/**
 * All cluster files as one module, when that is the same as loading each on
 * its own: one esbuild output and one import instead of one per file, several
 * times faster for a fleet. It is the same only when no local module is
 * imported by two cluster files (each must get its own copy, see above), and
 * when no file fails to build or throws; otherwise the answer is undefined
 * and the files are loaded one by one, which also says which file failed.
 */
export async function loadAsOne(root: string, files: readonly string[], made?: OneBundle): Promise<{ modules: Array<{ default?: unknown }>; reads: string[][] } | undefined> {
  const bundle = made ?? (await bundleAsOne(root, files));
  if (bundle === undefined) return undefined;
  try {
    // a module other than the talc API in the import closure of two cluster files is shared
    const reads = files.map((f) => readsOf(root, bundle.inputs, f));
    if (inTwo(reads)) return undefined;
    const mod = (await unlessStalled(import(pathToFileURL(bundle.file).href)).catch(() => undefined)) as Record<string, { default?: unknown }> | undefined;
    return mod === undefined ? undefined : { modules: files.map((_, i) => mod[`c${i}`]), reads };
  } finally {
    await dropBundle(bundle);
  }
}

// Rejects a load with this once the process has nothing else to wait for: a cluster file's top-level await that
// nothing will ever settle (Node would end the process in silence, exit 13).
const STALLED = Symbol("stalled");

function unlessStalled<T>(load: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stalled = (): void => reject(STALLED);
    process.once("beforeExit", stalled);
    load.then(resolve, reject).finally(() => process.off("beforeExit", stalled));
  });
}

// The message of anything a cluster file throws, which need not be an Error, or may have a getter that throws.
function messageOf(e: unknown): string {
  try {
    return String((e as Error)?.message ?? e);
  } catch {
    return "it threw something that cannot be shown";
  }
}

async function importBundle(file: string, code: string, source: string | undefined): Promise<LoadedCluster> {
  let mod: { default?: unknown };
  try {
    // one cluster's bundle is small: imported from its text, with nothing to write or remove
    mod = (await unlessStalled(import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`))) as { default?: unknown };
  } catch (e) {
    if (e === STALLED) {
      throw new TalcError("the cluster file never finished loading: a top-level await in it waits for something that never happens", { code: "definition-stalled", stage: "load", file });
    }
    const first = messageOf(e).split("\n")[0];
    throw new TalcError(`the cluster file failed to load: ${first}`, { code: "definition-threw", stage: "load", file, cause: e });
  }
  return checkModule(file, mod, source);
}

function checkModule(file: string, mod: { default?: unknown }, source: string | undefined): LoadedCluster {
  const def = mod.default;
  if (typeof def !== "object" || def === null || Array.isArray(def)) {
    throw new TalcError("the cluster file does not default-export a cluster; end it with `export default defineCluster({...})`", {
      code: "no-default-export",
      stage: "load",
      file,
    });
  }
  return validateDefinition(def, file, source);
}

/** Loads and validates cluster files; every file's problems are reported together. */
export async function loadClusterFiles(rootDir: string, files: readonly string[]): Promise<LoadedCluster[]> {
  const root = resolve(rootDir);
  if (files.length === 0) return [];
  // What `talc build` started bundling early: the files as one module or, when they share a local module, each alone.
  const early = await takeEarlyBundle(root, files);
  const each = early?.each;
  const [one, sources] = await Promise.all([
    each === undefined ? loadAsOne(root, files, early?.one) : undefined,
    Promise.all(files.map((f) => readFile(join(root, f), "utf8").catch(() => undefined))),
  ]);
  const bundles = one === undefined ? await bundleClusterFiles(root, files, each) : undefined;
  const loaded: LoadedCluster[] = [];
  const problems: TalcError[] = [];
  for (const [i, file] of files.entries()) {
    try {
      const cluster = one !== undefined ? checkModule(file, one.modules[i], sources[i]) : await importBundle(file, bundles!.code.get(file) ?? "", sources[i]);
      loaded.push({ ...cluster, reads: one?.reads[i] ?? readsOf(root, bundles!.inputs, file) });
    } catch (e) {
      if (!(e instanceof TalcError)) throw e;
      problems.push(...e.all);
    }
  }
  if (problems.length > 0) throw TalcError.many(problems);
  return loaded;
}
