// `talc materialize <cluster>`: the node configs with the real secrets filled
// in, and a talosconfig, for the apply step. They are written outside out/
// (and outside what git tracks), mode 0600, and never committed. The bundle
// is the encrypted secrets/<cluster>.age of the repository (decrypted with an
// age identity), or a bundle file given with --secrets: encrypted, or plain
// text kept where git cannot commit it.

import { readFile, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { runGit, tryGit } from "../check/git.ts";
import { writeFilesAtomically, type FileToWrite } from "../emit/write.ts";
import { encodeConfig } from "../emit/encode.ts";
import { TalcError } from "../errors.ts";
import { compileCluster, loadClusters } from "../pipeline.ts";
import { decryptWithIdentities, encryptedBundlePath, IDENTITY_ENV, IDENTITY_FILE_ENV, isAgeFile, resolveIdentities } from "../secrets/age.ts";
import { loadSecretsBundle } from "../secrets/bundle.ts";
import { generateTalosconfig } from "../secrets/talosconfig.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { endpointsOf } from "./common.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  secrets: { type: "string", help: "a secrets bundle, age-encrypted or plain (default: the repository's secrets/<cluster>.age)" },
  identity: { type: "string", help: `an age identity file to decrypt with (default: $${IDENTITY_ENV}, or the file $${IDENTITY_FILE_ENV} names)` },
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

/** The age identities to decrypt with: from `--identity <file>` (relative to the working folder) or the environment. */
export function identitiesFor(io: Io, identityFile: string | undefined): Promise<string[]> {
  return resolveIdentities(identityFile === undefined ? undefined : resolve(io.cwd, identityFile), io.env);
}

/** Whether `child` is `parent` or lies below it. */
function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Whether git would track a path: it lies in the git work tree at root and no ignore rule covers it. */
export async function gitWouldTrack(root: string, path: string): Promise<boolean> {
  return (await gitTracked(root, [path])).length > 0;
}

// The paths git would track of those given: those in the git work tree at root that no ignore rule covers.
async function gitTracked(root: string, paths: readonly string[]): Promise<string[]> {
  const within = paths.filter((p) => inside(p, root));
  if (within.length === 0) return [];
  if ((await tryGit(root, ["rev-parse", "--is-inside-work-tree"])) === undefined) return [];
  // check-ignore lists the ignored ones and exits 1 when there are none; should it fail, none is ignored, so talc refuses rather than risk a commit.
  const ignored = await runGit(root, ["check-ignore", "-z", "--stdin"], within.map((p) => `${p}\0`).join("")).then(
    (r) => r.stdout.toString("utf8"),
    () => "",
  );
  const listed = new Set(ignored.split("\0").map((p) => resolve(root, p)));
  return within.filter((p) => !listed.has(p));
}

/**
 * Refuses a destination inside out/, or files in it git would track (the files themselves are asked
 * about: git says nothing of a folder that does not exist yet, whatever its folder rules).
 */
async function checkMaterializeTarget(root: string, dir: string, names: readonly string[]): Promise<void> {
  const target = await realTarget(resolve(dir));
  const realRoot = await realTarget(resolve(root));
  if (inside(target, join(realRoot, "out"))) {
    throw new TalcError("refusing to write configs with secrets inside out/, which is committed; choose a folder outside the repository", {
      code: "unsafe-path",
      stage: "secrets",
      file: dir,
    });
  }
  const tracked = await gitTracked(realRoot, names.map((n) => join(target, n)));
  if (tracked.length > 0) {
    throw new TalcError("refusing to write configs with secrets where git would track them; choose a folder outside the repository or one .gitignore covers", {
      code: "unsafe-path",
      stage: "secrets",
      file: join(dir, relative(target, tracked[0])),
    });
  }
}

/** Refuses a plaintext bundle inside the repository where git would commit it. */
async function checkPlaintextBundle(root: string, file: string, shown: string): Promise<void> {
  const path = await realTarget(resolve(file));
  const realRoot = await realTarget(resolve(root));
  if (await gitWouldTrack(realRoot, path)) {
    throw new TalcError(
      "refusing a plain-text secrets bundle inside the repository where git would commit it; encrypt it with 'talc secrets import', move it outside the repository, or make .gitignore cover it",
      { code: "unsafe-secrets", stage: "secrets", file: shown },
    );
  }
}

// The bundle's text: decrypted when it is an age file, checked for where it lies when it is not.
async function bundleText(root: string, cluster: string, values: Record<string, unknown>, io: Io): Promise<{ text: string; file: string }> {
  const given = values.secrets as string | undefined;
  const shown = given ?? encryptedBundlePath(cluster);
  const path = given === undefined ? join(root, shown) : resolve(io.cwd, given);
  const data = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    const hint = given === undefined && e.code === "ENOENT" ? `; pass --secrets <bundle>, or create it with 'talc secrets init ${cluster}'` : "";
    throw new TalcError(`cannot read secrets bundle (${e.code ?? e.message})${hint}`, { code: "secrets-unreadable", stage: "secrets", file: shown });
  });
  if (isAgeFile(data)) {
    const identityFile = values.identity as string | undefined;
    const identities = await identitiesFor(io, identityFile);
    return { text: await decryptWithIdentities(data, identities, shown), file: shown };
  }
  await checkPlaintextBundle(root, path, shown);
  return { text: Buffer.from(data).toString("utf8"), file: shown };
}

/** `talc materialize <cluster> [--secrets <bundle>] [--identity <file>] --out <dir>`. */
export async function materializeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("materialize", argv, SPECS);
  if (values.help) {
    io.stdout(
      helpText(
        "talc materialize <cluster> [--secrets <bundle>] [--identity <file>] --out <dir>",
        "Writes the cluster's node configs with real secrets and a talosconfig, mode 0600, for the apply step.",
        SPECS,
      ),
    );
    return 0;
  }
  if (positionals.length !== 1) {
    throw new TalcError("expected one cluster name; see 'talc materialize --help'", { code: "bad-arguments", stage: "cli" });
  }
  if (values.out === undefined) throw new TalcError("--out is required", { code: "bad-arguments", stage: "cli", path: "out" });
  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");
  const dir = resolve(io.cwd, values.out as string);
  const [cluster] = await loadClusters(root, positionals, "<cluster>");
  await checkMaterializeTarget(root, dir, [...cluster.definition.nodes.map((n) => `${n.hostname}.yaml`), "talosconfig"]);
  const { text, file } = await bundleText(root, cluster.definition.name, values, io);
  const secrets = loadSecretsBundle(text, file);
  const compiled = compileCluster(cluster, { secrets });
  const files: FileToWrite[] = compiled.nodes.map((n) => ({ path: join(dir, `${n.hostname}.yaml`), content: encodeConfig(n.config, compiled.contract), mode: 0o600 }));
  const talosconfig = await generateTalosconfig({ clusterName: cluster.definition.name, secrets, endpoints: endpointsOf(cluster.definition.nodes) });
  files.push({ path: join(dir, "talosconfig"), content: talosconfig, mode: 0o600 });
  await writeFilesAtomically(files, { force: values.force === true });
  io.stderr(`wrote ${files.length - 1} config(s) and a talosconfig with secrets to ${dir}\n`);
  return 0;
}
