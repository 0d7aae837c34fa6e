// `talc patch`: `talosctl machineconfig patch`, printing what it prints:
// Talos's encoding, or, when the last patch is a JSON6902 patch, the bytes of
// Talos's JSON round trip (compiler/patch/text.ts). The config and every
// patch are read and applied in memory first, so bad input writes nothing.

import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { writeFilesAtomically } from "../emit/write.ts";
import { TalcError } from "../errors.ts";
import { loadPatches, patchConfigText } from "../patch/index.ts";
import { parseContract } from "../talos/contract.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { unreadWarnings } from "./common.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  config: { type: "string", short: "c", help: "the machine config to patch (or give it as the only argument, as talosctl does)" },
  patch: { type: "list", short: "p", help: "a patch: @file, a file name, or inline YAML/JSON; repeat to apply several in order" },
  output: { type: "string", short: "o", help: "where to write the patched config, or - for stdout (default: stdout)" },
  "talos-version": { type: "string", help: "the Talos version whose types and merge rules apply (default: the newest talc knows)" },
  force: { type: "boolean", help: "overwrite an existing output file" },
};

function resolve(io: Io, path: string): string {
  return isAbsolute(path) ? path : join(io.cwd, path);
}

/** `talc patch --config <file> --patch @<file>|<inline> [--patch …] [--output <file>|-]`. */
export async function patchCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("patch", argv, SPECS);
  if (values.help) {
    io.stdout(
      helpText(
        "talc patch --config <file> --patch @<file>|<inline> [--patch …] [--output <file>|-]",
        "Applies strategic merge and JSON6902 patches to a machine config exactly as `talosctl machineconfig patch` does, and writes what it writes: Talos's encoding, or, after a last JSON6902 patch, the YAML of Talos's JSON round trip (keys sorted, two-space indentation, no comments).",
        SPECS,
      ),
    );
    return 0;
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.config !== undefined)) {
    throw new TalcError(`unexpected argument "${positionals[values.config === undefined ? 1 : 0]}"; give the config once, with --config or as the only argument`, {
      code: "bad-arguments",
      stage: "cli",
    });
  }
  const configFile = (values.config as string | undefined) ?? positionals[0];
  if (configFile === undefined) throw new TalcError("missing --config <file>: the machine config to patch", { code: "bad-arguments", stage: "cli", path: "--config" });
  const patchSpecs = values.patch as string[];
  if (patchSpecs.length === 0) throw new TalcError("missing --patch: give at least one patch (@file or inline YAML/JSON)", { code: "bad-arguments", stage: "cli", path: "--patch" });
  const contract = values["talos-version"] === undefined ? undefined : parseContract(values["talos-version"] as string, "--talos-version");

  let text: string;
  try {
    text = await readFile(resolve(io, configFile), "utf8");
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
    throw new TalcError(missing ? "config file not found" : `cannot read the config file: ${(e as Error).message}`, { code: "config-file", stage: "cli", file: configFile });
  }
  const patches = await loadPatches(patchSpecs, { cwd: io.cwd, contract });
  const out = patchConfigText(text, patches, { contract, file: configFile });
  unreadWarnings(patches, io);

  const output = values.output as string | undefined;
  if (output === undefined || output === "-") {
    // talosctl prints the config with a newline after it (patch.go: Printf("%s\n")), so its
    // stdout ends with an empty line; --output gets the config alone, as talosctl's -o does
    io.stdout(`${out}\n`);
    return 0;
  }
  await writeFilesAtomically([{ path: resolve(io, output), content: out, mode: 0o644 }], { force: values.force === true });
  io.stderr(`wrote ${output}\n`);
  return 0;
}
