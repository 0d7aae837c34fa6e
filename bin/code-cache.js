// Runs talc's own JavaScript (the bundled CLI in dist/ and the precompiled
// schema validators) from V8 code caches. Node 20 keeps none for ES modules,
// nor, unless asked, for code compiled through node:vm, so each new process
// parsed and compiled again every function it ran: a tenth of the instructions
// of a new-process 1,000-node build. Here each module is compiled through
// vm.Script with the cache made for its exact text, which `npm run bundle`
// writes by running talc (scripts/bundle.ts); a module without one, or whose
// cache V8 turns down (another Node, other V8 flags), compiles as before.
// Plain JavaScript: bin/talc.js loads the bundled CLI through it.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

/** Where the caches are: bin/ and dist/ both sit one folder below the package root, so either finds it. */
export const CODE_CACHE_DIR = fileURLToPath(new URL("../dist/code-cache/", import.meta.url));

// Node 20 runs no import() in code compiled through vm.Script (from a code cache or not), so the bundle's
// import() of a computed name (the bundles of cluster files) calls this module's (scripts/commonjs.ts).
globalThis[Symbol.for("talc.import")] = (specifier) => import(specifier);

// With TALC_WRITE_CODE_CACHE=1 (scripts/bundle.ts), the cache of every module the process compiled is
// written as it ends, with the bytecode of each function that ran by then: a cache made when a module
// is compiled would hold its top level only.
const recording = process.env.TALC_WRITE_CODE_CACHE === "1" ? new Map() : undefined;
if (recording !== undefined) process.once("exit", writeRecorded);

// TALC_DEBUG_CODE_CACHE=1: say on stderr, for each module, whether its cache was used.
const report = process.env.TALC_DEBUG_CODE_CACHE === "1";

function readCache(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Where the cache of a module with this text is: named by the text's hash, since V8 checks a cache
 * against the length of its source only.
 * @param {Uint8Array} text
 * @returns {string}
 */
export function cacheFile(text) {
  return join(CODE_CACHE_DIR, `${createHash("sha256").update(text).digest("hex").slice(0, 32)}.bin`);
}

// As Node wraps a CommonJS module.
const PARAMS = "exports, require, module, __filename, __dirname";

/**
 * Runs a CommonJS module from its code cache where V8 takes it, and returns its exports.
 * @param {string} file the module's absolute path
 * @param {(id: string) => unknown} [require] what the module's `require` does (default: Node's, from its folder)
 * @returns {any}
 */
export function requireCached(file, require = createRequire(file)) {
  const bytes = readFileSync(file);
  const cache = cacheFile(bytes);
  // (read when recording too: the cache an earlier run wrote keeps what that run compiled)
  const script = new Script(`(function (${PARAMS}) {${bytes.toString("utf8")}\n})`, { filename: file, cachedData: readCache(cache) });
  recording?.set(cache, script);
  if (report) process.stderr.write(`code cache: ${file}: ${script.cachedDataRejected === undefined ? "none" : script.cachedDataRejected ? "rejected" : "used"}\n`);
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file));
  return module.exports;
}

/**
 * requireCached of a module that may not be there (talc's precompiled validators, before an install
 * made them): undefined when it is not.
 * @param {string} file
 * @returns {any}
 */
export function requireIfPresent(file) {
  try {
    return requireCached(file);
  } catch (e) {
    if (e?.code === "ENOENT" && e.path === file) return undefined;
    throw e;
  }
}

function writeRecorded() {
  mkdirSync(CODE_CACHE_DIR, { recursive: true });
  for (const [file, script] of recording) {
    // written aside and renamed, so a process starting meanwhile reads a whole cache or none
    const part = `${file}.${process.pid}`;
    writeFileSync(part, script.createCachedData());
    renameSync(part, file);
  }
}

const LOADING = Symbol("loading");

/**
 * Loads a module of the bundled CLI (dist/*.cjs, see scripts/bundle.ts) and, through the `require` it is
 * handed, the bundle's modules it requires (a `./` path), each once and from its code cache; anything
 * else (Node's modules, dependencies) is Node's require.
 * @param {string} entry the module's absolute path
 * @returns {any} its exports
 */
export function requireBundled(entry) {
  const loaded = new Map();
  const load = (file) => {
    let exports = loaded.get(file);
    if (exports === LOADING) throw new Error(`${file} requires itself through others; the bundle's modules export only once they have run`);
    if (exports === undefined) {
      loaded.set(file, LOADING);
      const nodeRequire = createRequire(file);
      const require = (id) => (id.startsWith("./") ? load(resolve(dirname(file), id)) : nodeRequire(id));
      require.resolve = nodeRequire.resolve;
      try {
        exports = requireCached(file, require);
      } catch (e) {
        // (so that requiring it again reports what it threw, not a cycle)
        loaded.delete(file);
        throw e;
      }
      loaded.set(file, exports);
    }
    return exports;
  };
  return load(entry);
}
