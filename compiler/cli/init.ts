// `talc init [dir]`: a new repository of cluster definitions.

import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { writeFilesAtomically } from "../emit/write.ts";
import { VERSION } from "../version.ts";
import { PACKAGE_ROOT } from "../paths.ts";
import { TalcError } from "../errors.ts";
import { scaffoldFiles } from "../scaffold/index.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  talc: { type: "string", help: "where npm installs talc from: a version range, a tarball (npm pack) or a folder" },
  force: { type: "boolean", help: "overwrite files that exist" },
};

// A talc run from a checkout (not from node_modules) points new repositories at that checkout.
function defaultSpec(version: string): string {
  return PACKAGE_ROOT.includes("/node_modules/") ? `^${version}` : `file:${PACKAGE_ROOT.replace(/\/$/, "")}`;
}

/** `talc init [dir]`. */
export async function initCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("init", argv, SPECS);
  if (values.help) {
    io.stdout(helpText("talc init [dir]", "Creates a repository of cluster definitions: package.json, a first cluster, hooks and CI.", SPECS));
    return 0;
  }
  if (positionals.length > 1) throw new TalcError("expected at most one folder", { code: "bad-arguments", stage: "cli" });
  const dir = resolve(io.cwd, positionals[0] ?? ".");
  // Said here in init's terms; writing would only find that the file cannot hold package.json.
  if ((await stat(dir).catch(() => undefined))?.isDirectory() === false) {
    throw new TalcError("is not a folder; talc init needs a new folder, or an existing one without the files it writes (--force replaces them)", {
      code: "bad-arguments",
      stage: "cli",
      file: dir,
    });
  }
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "clusters";
  const files = scaffoldFiles({ name, talcSpec: (values.talc as string | undefined) ?? defaultSpec(VERSION) });
  await writeFilesAtomically(
    [...files].map(([rel, content]) => ({ path: join(dir, rel), content, mode: 0o644 })),
    { force: values.force === true },
  );
  io.stderr(`created ${files.size} files in ${dir}${existsSync(join(dir, "node_modules")) ? "" : "; next: npm install && npm run build"}\n`);
  return 0;
}
