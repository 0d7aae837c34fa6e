// Reading the committed out/ at a git revision, for diff and plan. Only git's
// plumbing is used, and nothing is checked out.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { TalcError } from "../errors.ts";
import type { FileMap } from "../emit/output.ts";

const run = promisify(execFile);

async function git(root: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run("git", ["-C", root, ...args], { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; code?: string | number };
    if (err.code === "ENOENT") throw new TalcError("git is not installed; it is needed to read earlier revisions", { code: "no-git", stage: "check" });
    const why = (err.stderr ?? "").trim().split("\n")[0] || "git failed";
    throw new TalcError(`${why.toLowerCase()}`, { code: "git-failed", stage: "check", path: args.join(" ") });
  }
}

/** Checks that a revision exists, naming it in the error. */
export async function resolveRevision(root: string, ref: string): Promise<string> {
  if (ref.startsWith("-")) throw new TalcError(`"${ref}" is not a git revision`, { code: "bad-arguments", stage: "check", path: "--since" });
  try {
    return (await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch {
    throw new TalcError(`"${ref}" is not a commit in this repository; give a branch, tag or commit such as HEAD~1`, { code: "bad-revision", stage: "check", path: "--since" });
  }
}

/** The files under `dir` (relative to the repository root) at a commit, relative to `dir`. */
export async function readTreeAt(root: string, commit: string, dir: string): Promise<FileMap> {
  const files: FileMap = new Map();
  const listing = await git(root, ["ls-tree", "-r", "-z", "--full-name", commit, "--", `${dir}/`]);
  const top = (await git(root, ["rev-parse", "--show-prefix"])).trim();
  for (const entry of listing.split("\0").filter((e) => e !== "")) {
    const tab = entry.indexOf("\t");
    const [, type, object] = entry.slice(0, tab).split(" ");
    const path = entry.slice(tab + 1);
    if (type !== "blob") continue;
    const rel = path.slice(top.length + dir.length + 1);
    files.set(rel, await git(root, ["cat-file", "blob", object]));
  }
  return files;
}
