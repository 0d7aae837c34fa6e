// Every git command talc runs: reading the committed out/ at a revision, for
// diff and plan, and asking what git would track, for materialize and secrets.
// Only git's plumbing is used, and nothing is checked out. A tree is read with
// a fixed number of git processes however many files it holds: a fleet's out/
// has tens of thousands, and one process per file took minutes.

import { spawn } from "node:child_process";
import { TalcError } from "../errors.ts";
import type { FileMap } from "../emit/output.ts";

export interface GitResult {
  /** The exit code; null when a signal ended git. */
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs git in `root`, with `input` on its standard input; rejects only when git cannot be started. */
export function runGit(root: string, args: readonly string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", root, ...args]);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString("utf8") }));
    // git may exit before reading all of its input (a bad revision, say); its exit code tells, not the broken pipe.
    child.stdin.on("error", () => {}).end(input);
  });
}

/** Git's output, or a TalcError naming why git failed. */
async function git(root: string, args: readonly string[], input?: string): Promise<Buffer> {
  let result: GitResult;
  try {
    result = await runGit(root, args, input);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new TalcError("git is not installed; it is needed to read earlier revisions", { code: "no-git", stage: "check" });
    throw e;
  }
  if (result.code !== 0) {
    const why = result.stderr.trim().split("\n")[0] || "git failed";
    throw new TalcError(`${why.toLowerCase()}`, { code: "git-failed", stage: "check", path: args.join(" ") });
  }
  return result.stdout;
}

/** Git's output as text, or undefined when git fails or is missing. */
export async function tryGit(root: string, args: readonly string[]): Promise<string | undefined> {
  const result = await runGit(root, args).catch(() => undefined);
  return result?.code === 0 ? result.stdout.toString("utf8") : undefined;
}

/** Checks that a revision exists, naming it in the error. */
export async function resolveRevision(root: string, ref: string): Promise<string> {
  if (ref.startsWith("-")) throw new TalcError(`"${ref}" is not a git revision`, { code: "bad-arguments", stage: "check", path: "--since" });
  try {
    return (await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).toString("utf8").trim();
  } catch {
    throw new TalcError(`"${ref}" is not a commit in this repository; give a branch, tag or commit such as HEAD~1`, { code: "bad-revision", stage: "check", path: "--since" });
  }
}

/** A file of a committed tree: its path relative to the root given and its blob's object id. */
export interface CommittedFile {
  path: string;
  object: string;
}

/** The files under `dir` (relative to the root given, which may sit below the work tree's top) at a commit. */
export async function listTreeAt(root: string, commit: string, dir: string): Promise<CommittedFile[]> {
  // Without --full-name, ls-tree takes and gives paths relative to the folder it runs in, as `dir` is.
  const listing = (await git(root, ["ls-tree", "-r", "-z", commit, "--", `${dir}/`])).toString("utf8");
  const files: CommittedFile[] = [];
  for (const entry of listing.split("\0")) {
    const tab = entry.indexOf("\t");
    if (tab < 0) continue;
    const [, type, object] = entry.slice(0, tab).split(" ");
    if (type === "blob") files.push({ path: entry.slice(tab + 1), object });
  }
  return files;
}

/** The UTF-8 text of blobs, in the order given, read by one git process. */
export async function readBlobs(root: string, objects: readonly string[]): Promise<string[]> {
  if (objects.length === 0) return [];
  // Each object comes back as "<object> <type> <size>\n<content>\n", the size in bytes: content is cut from
  // the bytes, and decoded one blob at a time, so a multi-byte character never straddles a cut.
  const out = await git(root, ["cat-file", "--batch", "--buffer"], objects.map((o) => `${o}\n`).join(""));
  const texts: string[] = [];
  let at = 0;
  for (const object of objects) {
    const eol = out.indexOf(0x0a, at);
    const header = eol < 0 ? "" : out.toString("latin1", at, eol);
    const [, type, size] = header.split(" ");
    const start = eol + 1;
    const end = start + Number(size);
    if (type !== "blob" || !/^\d+$/.test(size ?? "") || out[end] !== 0x0a) {
      throw new TalcError(`git could not read object ${object}`, { code: "git-failed", stage: "check", path: "cat-file --batch" });
    }
    texts.push(out.toString("utf8", start, end));
    at = end + 1;
  }
  return texts;
}

/** The files under `dir` (relative to the root given) at a commit, relative to `dir`. */
export async function readTreeAt(root: string, commit: string, dir: string): Promise<FileMap> {
  const listed = await listTreeAt(root, commit, dir);
  const texts = await readBlobs(root, listed.map((f) => f.object));
  return new Map(listed.map((f, i) => [f.path.slice(dir.length + 1), texts[i]]));
}
