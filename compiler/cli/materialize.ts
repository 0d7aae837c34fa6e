// `talc materialize <cluster>`: the node configs with the real secrets filled
// in, for the apply step. They are written outside out/ (and outside what git
// tracks), mode 0600, and never committed.

import { execFileSync } from "node:child_process";
import { readFile, realpath } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { writeFilesAtomically } from "../emit/write.ts";
import { encodeConfig } from "../emit/encode.ts";
import { TalcError } from "../errors.ts";
import { compileCluster, loadClusters } from "../pipeline.ts";
import { loadSecretsBundle } from "../secrets/bundle.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  secrets: { type: "string", help: "the cluster's secrets bundle (required)" },
  out: { type: "string", help: "the folder to write into, outside out/ and outside what git tracks (required)" },
  root: { type: "string", help: "the repository (default: the current folder)" },
  force: { type: "boolean", help: "overwrite existing files" },
};

// The deepest existing ancestor's real path, so a symbolic link cannot smuggle the target into out/.
async function realTarget(path: string): Promise<string> {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.push(existing.slice(parent.length + 1));
      existing = parent;
    }
  }
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
}

function gitIgnores(root: string, path: string): boolean | undefined {
  try {
    execFileSync("git", ["-C", root, "rev-parse", "--is-inside-work-tree"], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  try {
    execFileSync("git", ["-C", root, "check-ignore", "-q", path], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Refuses a destination inside out/, or inside the repository where git would track it. */
export async function checkMaterializeTarget(root: string, dir: string): Promise<void> {
  const target = await realTarget(resolve(dir));
  const realRoot = await realTarget(resolve(root));
  if (inside(target, join(realRoot, "out"))) {
    throw new TalcError("refusing to write configs with secrets inside out/, which is committed; choose a folder outside the repository", {
      code: "unsafe-path",
      stage: "secrets",
      file: dir,
    });
  }
  if (inside(target, realRoot) && gitIgnores(realRoot, target) === false) {
    throw new TalcError("refusing to write configs with secrets where git would track them; choose a folder outside the repository or one .gitignore covers", {
      code: "unsafe-path",
      stage: "secrets",
      file: dir,
    });
  }
}

/** `talc materialize <cluster> --secrets <bundle> --out <dir>`. */
export async function materializeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("materialize", argv, SPECS);
  if (values.help) {
    io.stdout(helpText("talc materialize <cluster> --secrets <bundle> --out <dir>", "Writes the cluster's node configs with real secrets, mode 0600, for the apply step.", SPECS));
    return 0;
  }
  if (positionals.length !== 1) {
    throw new TalcError("expected one cluster name; see 'talc materialize --help'", { code: "bad-arguments", stage: "cli" });
  }
  for (const flag of ["secrets", "out"]) {
    if (values[flag] === undefined) throw new TalcError(`--${flag} is required`, { code: "bad-arguments", stage: "cli", path: flag });
  }
  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");
  const dir = resolve(io.cwd, values.out as string);
  await checkMaterializeTarget(root, dir);
  const bundlePath = resolve(io.cwd, values.secrets as string);
  const text = await readFile(bundlePath, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw new TalcError(`cannot read secrets bundle (${e.code ?? e.message})`, { code: "secrets-unreadable", stage: "secrets", file: values.secrets as string });
  });
  const secrets = loadSecretsBundle(text, values.secrets as string);
  const [cluster] = await loadClusters(root, positionals);
  const compiled = compileCluster(cluster, { secrets });
  const files = compiled.nodes.map((n) => ({ path: join(dir, `${n.hostname}.yaml`), content: encodeConfig(n.config), mode: 0o600 }));
  await writeFilesAtomically(files, { force: values.force === true });
  io.stderr(`wrote ${files.length} config(s) with secrets to ${dir}\n`);
  return 0;
}
