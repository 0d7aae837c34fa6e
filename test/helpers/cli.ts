// Runs the CLI in-process with captured output, and snapshots folders so a
// test can prove a failed command wrote nothing.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../compiler/cli/main.ts";

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
 * A test's `skip` for a command-line tool: false when `name` runs here, else
 * the one-line reason. `args` is what asks the tool for its version.
 */
export function skipWithout(name: string, args: string[] = ["--version"]): false | string {
  return spawnSync(name, args, { stdio: "ignore" }).status === 0 ? false : `${name} is not installed`;
}

/** A new empty folder under the system temp folder. */
export function tempDir(prefix = "talc-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A hash of every file's path, mode and bytes below a folder. */
export function treeHash(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, `${rel}${name}/`);
      else h.update(`${rel}${name}\0${(st.mode & 0o777).toString(8)}\0`).update(readFileSync(p));
    }
  };
  walk(dir, "");
  return h.digest("hex");
}

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A throwaway repository inside the project (under .tmp/, ignored by git), so
 * its cluster files can `import { defineCluster } from "talc"` as users do.
 */
export function tempRepo(clusters: Record<string, string> = {}): string {
  mkdirSync(join(PROJECT, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(PROJECT, ".tmp", "repo-"));
  mkdirSync(join(dir, "clusters"));
  for (const [name, source] of Object.entries(clusters)) writeFileSync(join(dir, "clusters", name), source);
  return dir;
}
