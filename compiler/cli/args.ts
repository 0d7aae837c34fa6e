// Command-line parsing on top of node's util.parseArgs, with the conventions
// talosctl users type: `--flag=false` for booleans, and comma-separated or
// repeated values for list flags.

import { parseArgs } from "node:util";
import { TalcError } from "../errors.ts";

/** How one option is parsed. */
export interface OptionSpec {
  type: "string" | "boolean" | "list";
  short?: string;
  default?: string | boolean | string[];
  /** For list options: split each value on commas, as talosctl's string-slice flags do. */
  commas?: boolean;
  /** One line for --help. */
  help: string;
}

/** Parsed options and positional arguments. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parses argv against the specs; unknown options and missing values are errors naming the option. */
export function parseCommand(command: string, argv: string[], specs: Record<string, OptionSpec>): Parsed {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type === "boolean" ? "boolean" : "string", multiple: spec.type === "list" };
    if (spec.short !== undefined) options[name].short = spec.short;
    if (spec.type === "boolean") options[`no-${name}`] = { type: "boolean" };
  }
  options.help = { type: "boolean", short: "h" };
  options.debug = { type: "boolean" };

  // `--flag=true|false` for booleans, which parseArgs does not accept.
  const args = argv.map((arg) => {
    const m = /^--([^=]+)=(true|false)$/.exec(arg);
    if (m && specs[m[1]]?.type === "boolean") return m[2] === "true" ? `--${m[1]}` : `--no-${m[1]}`;
    return arg;
  });

  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "").toLowerCase();
    throw new TalcError(`${msg}; see 'talc ${command} --help'`, { code: "bad-arguments", stage: "cli" });
  }
  const values: Parsed["values"] = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = parsed.values[name];
    if (spec.type === "boolean") {
      const negated = parsed.values[`no-${name}`] === true;
      values[name] = negated ? false : raw === true ? true : (spec.default as boolean | undefined);
    } else if (spec.type === "list") {
      const list = (raw as string[] | undefined) ?? (spec.default as string[] | undefined) ?? [];
      values[name] = spec.commas ? list.flatMap((v) => v.split(",")).filter((v) => v !== "") : list;
    } else {
      values[name] = (raw as string | undefined) ?? (spec.default as string | undefined);
    }
  }
  values.help = parsed.values.help === true;
  values.debug = parsed.values.debug === true;
  return { values, positionals: parsed.positionals };
}

/** The --help text of a command. */
export function helpText(usage: string, summary: string, specs: Record<string, OptionSpec>): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "boolean" ? "" : " <value>"}`;
    const def =
      spec.default === undefined || (Array.isArray(spec.default) && spec.default.length === 0) ? "" : ` (default: ${String(spec.default)})`;
    return `  ${flag.padEnd(38)} ${spec.help}${def}`;
  });
  return `usage: ${usage}\n\n${summary}\n\noptions:\n${rows.join("\n")}\n  ${"-h, --help".padEnd(38)} show this help\n`;
}
