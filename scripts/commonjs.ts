// Turns the ES modules esbuild splits the CLI into (scripts/bundle.ts) into
// CommonJS modules, so that bin/code-cache.js can run them from V8 code caches.
// What another module imports is read once, when the importing module starts:
// `import { a as b } from "./x.cjs"` becomes `const { a: b } = require("./x.cjs")`,
// and a module's exports are set when it has run. So a call across modules
// stays a plain call, where esbuild's own CommonJS output reads each use
// through a getter (about 3% more instructions in a build than this). The
// module stays strict code, and `import.meta.url` its own file's URL. ES
// modules would see a later assignment to an exported binding and a cycle of
// imports; this refuses a bundle with either rather than change what it does.

import type { Metafile } from "esbuild";
import { init, parse, type Import } from "es-module-lexer";

await init;

// What `import.meta` and an import() of a computed name become.
const IMPORT_META = "__talc_import_meta";
const IMPORT = "__talc_import";

/** `a, b as c` → [local or imported name, name given], e.g. [["a", "a"], ["b", "c"]]. */
function bindings(list: string): Array<[string, string]> {
  return list
    .split(",")
    .map((b) => b.trim())
    .filter((b) => b !== "")
    .map((b) => {
      const [name, as] = b.split(/\s+as\s+/);
      return [name, as ?? name];
    });
}

// An import statement esbuild writes, as a require (its semicolon, outside what the lexer spans, stays).
function required(statement: string, specifier: string, where: string): string {
  const from = JSON.stringify(specifier);
  const named = /^import\s*\{([^}]*)\}\s*from\s*"[^"]*";?$/.exec(statement);
  if (named !== null) return `const { ${bindings(named[1]).map(([name, as]) => (name === as ? name : `${name}: ${as}`)).join(", ")} } = require(${from})`;
  const namespace = /^import\s*\*\s*as\s+([\w$]+)\s*from\s*"[^"]*";?$/.exec(statement);
  if (namespace !== null) return `const ${namespace[1]} = require(${from})`;
  if (/^import\s*"[^"]*";?$/.test(statement)) return `require(${from})`;
  throw new Error(`${where}: an import esbuild is not expected to write: ${statement}`);
}

// Whether `name` is assigned anywhere but where it is declared: by `=`, an operator and `=`, `++` or `--`, or
// as a for-in or for-of loop's variable. (A destructuring assignment to it is not seen; esbuild writes none,
// and talc's sources export no variable they assign.)
function reassigned(code: string, name: string): boolean {
  const escaped = name.replace(/\$/g, "\\$");
  const assignment = new RegExp(`(^|[^\\w$.])(var\\s+|let\\s+|const\\s+)?${escaped}\\s*([-+*/%&|^]|\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?)?=(?![=>])|(\\+\\+|--)\\s*${escaped}(?![\\w$])|(^|[^\\w$.])${escaped}\\s*(\\+\\+|--)|for\\s*\\(\\s*${escaped}\\s+(of|in)\\s`, "g");
  for (const m of code.matchAll(assignment)) if (m[0].startsWith("for") || m[2] === undefined || m[3] !== undefined) return true;
  return false;
}

/** One module of esbuild's ES module output (`where` names it in errors) as CommonJS. */
export function toCommonJS(code: string, where: string): string {
  const [imports, exports] = parse(code, where);
  let out = "";
  let at = 0;
  let meta = false;
  let dynamic = false;
  for (const imp of imports as readonly Import[]) {
    // (a template with a part worked out at run time has a specifier with * for it: a glob)
    if (imp.type === "dynamic" && (imp.specifier === undefined || imp.glob)) {
      // an import() of a name worked out at run time: through the loader's (code run from a code cache
      // runs no import() on Node 20, see bin/code-cache.js), or Node's where no loader ran the module
      out += `${code.slice(at, imp.importStart)}${IMPORT}(`;
      at = imp.start;
      dynamic = true;
      continue;
    }
    if (imp.type === "dynamic") {
      // a module loaded on demand (another of the bundle's, or Node's): required on a later turn, as import() would load it
      out += `${code.slice(at, imp.importStart)}Promise.resolve().then(() => require(${JSON.stringify(imp.specifier)}))`;
    } else if (imp.type === "static") {
      out += code.slice(at, imp.importStart) + required(code.slice(imp.importStart, imp.importEnd), imp.specifier, where);
    } else {
      if (code.slice(imp.importEnd, imp.importEnd + 4) !== ".url" || /[\w$]/.test(code[imp.importEnd + 4] ?? "")) {
        throw new Error(`${where}: import.meta is read for more than its url, which only an ES module has`);
      }
      out += `${code.slice(at, imp.importStart)}${IMPORT_META}`;
      meta = true;
    }
    at = imp.importEnd;
  }
  out += code.slice(at);
  // an ES module is strict code, and its import.meta.url is its own file's URL
  const prologue = [
    '"use strict";',
    ...(meta ? [`const ${IMPORT_META} = { url: require("node:url").pathToFileURL(__filename).href };`] : []),
    ...(dynamic ? [`const ${IMPORT} = globalThis[Symbol.for("talc.import")] ?? ((specifier) => import(specifier));`] : []),
  ];
  out = `${prologue.join("\n")}\n${out}`;
  const shadow = /^(?:var|let|const|function|class)\s+(module|exports|require|__filename|__dirname)(?![\w$])/m.exec(out);
  if (shadow !== null) throw new Error(`${where}: declares ${shadow[1]}, which a CommonJS module is handed`);
  if (exports.length === 0) return out;
  // esbuild ends a module with one `export { ... };` of all it exports
  const starts = new Set(exports.map((e) => e.exportStart));
  const statement = /^export\s*\{([^}]*)\};?\s*$/.exec(code.slice(exports[0].exportStart));
  if (starts.size !== 1 || statement === null) throw new Error(`${where}: exports not in one statement at the end`);
  const names = bindings(statement[1]);
  for (const [local] of names) if (reassigned(out, local)) throw new Error(`${where}: ${local} is exported and assigned after it is declared`);
  const body = out.slice(0, out.length - (code.length - exports[0].exportStart));
  return `${body}module.exports = { ${names.map(([local, as]) => (local === as ? local : `${as}: ${local}`)).join(", ")} };\n`;
}

/**
 * A cycle of static imports among esbuild's output modules, as the paths around it (the first again at the
 * end), or undefined: as CommonJS (above), a module in one would read another's exports before they exist.
 */
export function importCycle(metafile: Pick<Metafile, "outputs">): string[] | undefined {
  const imports = new Map(Object.entries(metafile.outputs).map(([path, o]) => [path, o.imports.filter((i) => i.kind === "import-statement" && !i.external).map((i) => i.path)]));
  const done = new Set<string>();
  const visit = (path: string, trail: string[]): string[] | undefined => {
    if (trail.includes(path)) return [...trail.slice(trail.indexOf(path)), path];
    if (done.has(path)) return undefined;
    for (const next of imports.get(path) ?? []) {
      const cycle = visit(next, [...trail, path]);
      if (cycle !== undefined) return cycle;
    }
    done.add(path);
    return undefined;
  };
  for (const path of imports.keys()) {
    const cycle = visit(path, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
