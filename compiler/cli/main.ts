// The talc command line: finds the command, runs it, and turns failures into
// one line on stderr and an exit code. Commands hold no compiler logic.

import { TalcError } from "../errors.ts";
import { fromClusterCode } from "../load/files.ts";

/** Exit codes shared by every command. */
const EXIT = { ok: 0, findings: 1, badInput: 2, stale: 3, internal: 70 } as const;

/** What a command needs from the outside world; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** The environment variables (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** A subcommand: takes its arguments, returns its exit code. */
export type Command = (argv: string[], io: Io) => Promise<number> | number;

// Commands load on first use, so a quick command (check on an unchanged tree) does not pay for the others.
const COMMANDS: Record<string, { run: Command; summary: string }> = {
  build: { run: async (a, io) => (await import("./build.ts")).buildCommand(a, io), summary: "compile clusters/ into out/" },
  check: { run: async (a, io) => (await import("./check.ts")).checkCommand(a, io), summary: "compile and compare with out/ (exit 3 when stale)" },
  diff: { run: async (a, io) => (await import("./diff.ts")).diffCommand(a, io), summary: "show which nodes the definitions change, and how" },
  explain: { run: async (a, io) => (await import("./explain.ts")).explainCommand(a, io), summary: "explain a policy rule" },
  gen: { run: async (a, io) => (await import("./gen.ts")).genCommand(a, io), summary: "generate a secrets bundle or machine configs (like talosctl gen)" },
  init: { run: async (a, io) => (await import("./init.ts")).initCommand(a, io), summary: "create a repository of cluster definitions" },
  lint: { run: async (a, io) => (await import("./lint.ts")).lintCommand(a, io), summary: "check the clusters (or --config files) against the policy rules" },
  materialize: {
    run: async (a, io) => (await import("./materialize.ts")).materializeCommand(a, io),
    summary: "write a cluster's configs with real secrets, for the apply step",
  },
  patch: { run: async (a, io) => (await import("./patch.ts")).patchCommand(a, io), summary: "apply patches to a machine config (like talosctl machineconfig patch)" },
  plan: { run: async (a, io) => (await import("./plan.ts")).planCommand(a, io), summary: "print the talosctl commands that apply what changed since the committed out/" },
  rules: { run: async (a, io) => (await import("./explain.ts")).rulesCommand(a, io), summary: "list the policy rules" },
  schematic: { run: async (a, io) => (await import("./schematic.ts")).schematicCommand(a, io), summary: "print the Image Factory schematic ID of a schematic file" },
  secrets: {
    run: async (a, io) => (await import("./secrets.ts")).secretsCommand(a, io),
    summary: "create, import, re-encrypt or show a cluster's age-encrypted secrets bundle",
  },
  validate: { run: async (a, io) => (await import("./validate.ts")).validateCommand(a, io), summary: "check machine config files against Talos's schema and rules" },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `usage: talc <command> [options]\n\ncommands:\n${rows.join("\n")}\n\nRun 'talc <command> --help' for a command's options.\n`;
}

/** Runs talc with the given arguments and returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === "--version") {
    io.stdout(`talc ${(await import("../version.ts")).VERSION}\n`);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr(`talc: unknown command "${printable(name)}"; expected one of: ${Object.keys(COMMANDS).join(", ")}\n`);
    return EXIT.badInput;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof TalcError) {
      for (const line of e.lines()) io.stderr(`talc: ${printable(line)}\n`);
      return EXIT.badInput;
    }
    return internalError(e, argv, io);
  }
}

// A failure that is talc's own: what it says, the stack with --debug, and exit 70.
function internalError(e: unknown, argv: readonly string[], io: Io): number {
  io.stderr(`talc: internal error: ${printable(describe(e))}\n`);
  io.stderr(argv.includes("--debug") ? `${(e as Error)?.stack ?? ""}\n` : "run again with --debug for a stack trace, and please report it\n");
  return EXIT.internal;
}

/**
 * What the process does with a promise rejected that nothing handled (bin/talc.js hands it here, then
 * exits with the code returned): one a cluster file left behind (say, an async helper it did not await)
 * is bad input in that file; any other is a bug in talc.
 */
export function unhandledRejection(reason: unknown, argv: readonly string[] = [], io: Io = defaultIo()): number {
  if (fromClusterCode(reason)) {
    io.stderr(`talc: a cluster file left a promise rejected that nothing handled: ${printable(describe(reason))}; await what it starts (or catch it), so a failure stops the load\n`);
    return EXIT.badInput;
  }
  return internalError(reason, argv, io);
}

const MAX_LINE = 2000;

/**
 * An error message as it may reach a terminal or a CI log: messages quote
 * input, and input can be hostile. Control characters (terminal escapes)
 * are shown escaped, a continuation line cannot start a CI workflow command
 * (`::`), and a huge quoted value is cut short.
 */
function printable(message: string): string {
  return message
    .split("\n")
    .map((line) => {
      const clean = line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
      const safe = clean.replace(/^(\s*)::/, "$1: :");
      return safe.length > MAX_LINE ? `${safe.slice(0, MAX_LINE)}… (${safe.length - MAX_LINE} more characters)` : safe;
    })
    .join("\n");
}

// The message of anything thrown, which need not be an Error (or may have a getter that throws).
function describe(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return "an exception that cannot be shown";
  }
}

function defaultIo(): Io {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
  };
}
