// Extracts the Go types of the OCI runtime spec that Talos decodes base runtime spec overrides
// into (specs.Spec and every struct it holds), with the JSON key of each field, for the
// base-runtime-spec validation check.
//
// Usage:
//   node_modules/.bin/tsx scripts/extract-oci-spec.ts <runtime-spec-repo> <ref> [--out <file>]
//
// <runtime-spec-repo> is a git repository of opencontainers/runtime-spec; <ref> the version
// Talos's go.mod names (v1.3.0 for Talos 1.12 to 1.14). specs-go/config.go is read with the Go
// declaration parser of extract-talos-fields.ts. A field's type is written as a Go type
// expression over basic kinds and the spec's struct names ("*uint64", "[]LinuxDevice",
// "map[string]string", "any" for interface{}); a named type that is not a struct is written as
// its underlying type, since encoding/json reads it as that. Embedded structs without a JSON
// name have their fields promoted, as encoding/json does.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { BASIC_KINDS } from "../compiler/talos/typed.ts";
import type { OciSpecFacts, SpecField } from "../compiler/validate/checks/base-runtime-spec.ts";
import { GitSource, Parser, tagGet, tokenize, type FieldDecl, type TypeDecl, type TypeExpr } from "./extract-talos-fields.ts";

const FILE = "specs-go/config.go";
// The types of other packages config.go names: how Go spells each in an error (os.FileMode is an
// alias of fs.FileMode) and its underlying type.
const EXTERNAL: Readonly<Record<string, { spelled: string; underlying: string }>> = { "os.FileMode": { spelled: "fs.FileMode", underlying: "uint32" } };
// The package name Go's errors give the spec's own types.
const PACKAGE = "specs";

/** The facts of the spec's type declarations (those of specs-go/config.go, by name). */
export function extractSpec(decls: ReadonlyMap<string, TypeDecl>, source: string): OciSpecFacts {
  const types: Record<string, SpecField[]> = {};
  const named: Record<string, string> = {};
  const render = (t: TypeExpr): string => {
    switch (t.k) {
      case "ptr":
        return `*${render(t.elem)}`;
      case "slice":
        return `[]${render(t.elem)}`;
      case "map":
        return `map[${render(t.key)}]${render(t.val)}`;
      case "interface":
        if (!t.empty) throw new Error(`${FILE}: a non-empty interface type`);
        return "interface {}";
      case "named": {
        if (t.qual !== null) {
          const external = EXTERNAL[`${t.qual}.${t.name}`];
          if (external === undefined) throw new Error(`${FILE}: ${t.qual}.${t.name} is not known; add it to EXTERNAL`);
          named[external.spelled] = external.underlying;
          return external.spelled;
        }
        if (BASIC_KINDS.has(t.name)) return t.name;
        const decl = decls.get(t.name);
        if (decl === undefined) throw new Error(`${FILE}: type ${t.name} is not declared`);
        const spelled = `${PACKAGE}.${t.name}`;
        if (decl.type.k !== "struct") named[spelled] = render(decl.type);
        else if (!(spelled in types)) visit(spelled, decl.type.fields);
        return spelled;
      }
      default:
        throw new Error(`${FILE}: a ${t.k} type in the spec`);
    }
  };
  // A struct's fields as encoding/json sees them: exported, by JSON key, embedded ones promoted.
  const fieldsOf = (fields: readonly FieldDecl[]): SpecField[] => {
    const out: SpecField[] = [];
    const add = (field: SpecField): void => {
      if (!out.some(([k]) => k === field[0])) out.push(field);
    };
    const promoted: SpecField[] = [];
    for (const f of fields) {
      const json = tagGet(f.tag, "json");
      const name = json?.split(",")[0] ?? "";
      if (json === "-") continue;
      if (f.names.length === 0) {
        const embedded = f.type.k === "ptr" ? f.type.elem : f.type;
        if (embedded.k !== "named" || embedded.qual !== null) throw new Error(`${FILE}: an embedded field of another package`);
        const decl = decls.get(embedded.name);
        // (Go's errors name the embedded struct on the way to a promoted field)
        if (name === "" && decl?.type.k === "struct") promoted.push(...fieldsOf(decl.type.fields).map(([k, t, via]): SpecField => [k, t, via === undefined ? embedded.name : `${embedded.name}.${via}`]));
        else add([name === "" ? embedded.name : name, render(f.type)]);
        continue;
      }
      for (const n of f.names) if (/^[A-Z]/.test(n)) add([name === "" ? n : name, render(f.type)]);
    }
    // a promoted field gives way to one of the same key declared in the struct itself
    for (const field of promoted) add(field);
    return out;
  };
  const visit = (name: string, fields: readonly FieldDecl[]): void => {
    types[name] = []; // (placed first: a struct reached again through its own fields is not walked twice)
    types[name] = fieldsOf(fields);
  };
  const root = decls.get("Spec");
  if (root?.type.k !== "struct") throw new Error(`${FILE}: no Spec struct`);
  visit(`${PACKAGE}.Spec`, root.type.fields);
  const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return {
    about:
      "The Go types of the OCI runtime spec Talos reads base runtime spec overrides into (machine.baseRuntimeSpecOverrides; CRIBaseRuntimeSpecConfig from 1.14): its Validate marshals the overrides to JSON and unmarshals them into specs.Spec with encoding/json. Written by scripts/extract-oci-spec.ts.",
    source,
    root: `${PACKAGE}.Spec`,
    types: sorted(types),
    named: sorted(named),
  };
}

/** The type declarations of a Go file, by name. */
export function declsOf(text: string): Map<string, TypeDecl> {
  return new Map(new Parser(tokenize(text, FILE), FILE).parseFile(FILE).types.map((t) => [t.name, t]));
}

/** The facts as JSON, one struct a line. */
export function render(facts: OciSpecFacts): string {
  const structs = Object.entries(facts.types).map(([name, fields]) => `    ${JSON.stringify(name)}: ${JSON.stringify(fields)}`);
  return `{\n  "about": ${JSON.stringify(facts.about)},\n  "source": ${JSON.stringify(facts.source)},\n  "root": ${JSON.stringify(facts.root)},\n  "types": {\n${structs.join(",\n")}\n  },\n  "named": ${JSON.stringify(facts.named)}\n}\n`;
}

function main(argv: string[]): void {
  let out = fileURLToPath(new URL("../compiler/talos/fields/oci-spec.json", import.meta.url));
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = argv[++i];
    else if (argv[i].startsWith("-")) throw new Error(`unknown option ${argv[i]}`);
    else positional.push(argv[i]);
  }
  if (positional.length !== 2) {
    process.stderr.write("usage: extract-oci-spec.ts <runtime-spec-repo> <ref> [--out file]\n");
    process.exit(2);
  }
  const [repo, ref] = positional;
  const source = new GitSource(repo, ref);
  const text = source.read([FILE]).get(FILE)!;
  const facts = extractSpec(declsOf(text), `github.com/opencontainers/runtime-spec ${ref} ${FILE} (${source.commit})`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, render(facts));
  process.stderr.write(`wrote ${out}: ${Object.keys(facts.types).length} structs\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2));
}
