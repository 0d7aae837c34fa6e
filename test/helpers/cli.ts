// Runs the CLI in-process with captured output, and snapshots folders so a
// test can prove a failed command wrote nothing.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command, Io } from "../../compiler/cli/main.ts";
import { main } from "../../compiler/cli/main.ts";
import { TalcError } from "../../compiler/errors.ts";
import { PACKAGE_ROOT } from "../../compiler/paths.ts";
import { pathHash } from "../corpus/hash.ts";

/** What a CLI run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `talc <argv>` in `cwd`. */
export async function runCli(argv: string[], cwd: string): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd });
  return { code, stdout, stderr };
}

/**
 * Runs one command's function as talc's main does: a TalcError is exit 2 with one `talc:` line
 * per problem on stderr; anything else is thrown.
 */
export async function runCommand(command: Command, argv: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, ...(env === undefined ? {} : { env }) };
  try {
    return { code: await command(argv, io), stdout, stderr };
  } catch (e) {
    if (!(e instanceof TalcError)) throw e;
    return { code: 2, stdout, stderr: stderr + e.lines().map((l) => `talc: ${l}\n`).join("") };
  }
}

/**
 * A test's `skip` for a command-line tool: false when `name` runs here, else
 * the one-line reason. `args` is what asks the tool for its version.
 */
export function skipWithout(name: string, args: string[] = ["--version"]): false | string {
  return spawnSync(name, args, { stdio: "ignore" }).status === 0 ? false : `${name} is not installed`;
}

// The folders this test file made, removed when its process ends: a test run leaves nothing behind.
const made: string[] = [];

function removedAtExit(dir: string): string {
  if (made.length === 0) {
    process.once("exit", () => {
      for (const d of made) {
        try {
          rmSync(d, { recursive: true, force: true });
        } catch {
          // a folder a test made unreadable on purpose stays; the system's temp folder is cleaned in time
        }
      }
    });
  }
  made.push(dir);
  return dir;
}

/** A new empty folder under the system temp folder, removed when the test process ends. */
export function tempDir(prefix = "talc-test-"): string {
  return removedAtExit(mkdtempSync(join(tmpdir(), prefix)));
}

/**
 * A hash of everything below a folder, which must exist: files by path, mode
 * and bytes, and folders and links as well, so a folder left behind (empty or
 * not) or a link changes it.
 */
export function treeHash(dir: string): string {
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
  return pathHash(dir);
}

/** What a build leaves beside out/ only while it runs, or when it was killed: staging trees and lock files. */
export function leftovers(root: string): string[] {
  return readdirSync(root).filter((n) => n.startsWith(".out.") || n.startsWith(".talc-build.lock"));
}

/**
 * A throwaway repository inside the project (under .tmp/, ignored by git), so
 * its cluster files can `import { defineCluster } from "talc"` as users do;
 * removed when the test process ends.
 */
export function tempRepo(clusters: Record<string, string> = {}): string {
  mkdirSync(join(PACKAGE_ROOT, ".tmp"), { recursive: true });
  const dir = removedAtExit(mkdtempSync(join(PACKAGE_ROOT, ".tmp", "repo-")));
  mkdirSync(join(dir, "clusters"));
  for (const [name, source] of Object.entries(clusters)) writeFileSync(join(dir, "clusters", name), source);
  return dir;
}
