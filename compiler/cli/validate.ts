// `talc validate --config <file>…`: Talos's schema and validation rules on
// any machine config file, like `talosctl validate`.

import { TalcError } from "../errors.ts";
import type { ConfigDocument } from "../load/config.ts";
import { parseImage } from "../policy/find.ts";
import { CONTRACTS, DEFAULT_CONTRACT, type Contract } from "../talos/contract.ts";
import { validateDocuments } from "../validate/index.ts";
import { VALIDATION_MODES, type ValidationMode } from "../validate/types.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { readConfigFile } from "./config-files.ts";
import type { Io } from "./main.ts";

const SPECS: Record<string, OptionSpec> = {
  config: { type: "list", short: "c", help: "a machine config file to validate (repeat for more)" },
  mode: { type: "string", short: "m", default: "metal", help: `how the machine runs: ${VALIDATION_MODES.join(", ")}` },
  "talos-version": {
    type: "string",
    help: `the Talos version to validate for (default: from the installer image tag, else v${DEFAULT_CONTRACT})`,
  },
};

/** The tag of an image reference ("ghcr.io/siderolabs/installer:v1.13.9" → "v1.13.9"). */
export function imageTag(image: string): string | undefined {
  return parseImage(image).tag;
}

/** `talc validate`: 0 when every config is valid, 1 when any has problems, 2 on bad input. */
export async function validateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("validate", argv, SPECS);
  if (values.help) {
    io.stdout(
      helpText(
        "talc validate --config <file>… [--mode metal|cloud|container] [--talos-version <version>]",
        `Checks machine configs against Talos's schema and Talos's own validation rules (Talos ${CONTRACTS.join(", ")}).`,
        SPECS,
      ),
    );
    return 0;
  }
  if (positionals.length > 0) {
    throw new TalcError(`unexpected argument "${positionals[0]}"; name config files with --config`, { code: "bad-arguments", stage: "cli" });
  }
  const files = values.config as string[];
  if (files.length === 0) throw new TalcError("no config to validate; pass --config <file>", { code: "bad-arguments", stage: "cli", path: "config" });
  const mode = values.mode as string;
  if (!(VALIDATION_MODES as readonly string[]).includes(mode)) {
    throw new TalcError(`unknown mode "${mode}"; expected ${VALIDATION_MODES.join(", ")}`, { code: "bad-arguments", stage: "cli", path: "mode" });
  }
  const flag = values["talos-version"] as string | undefined;

  // read everything first: bad input is reported before any finding
  const configs: Array<{ file: string; docs: ConfigDocument[]; contract: Contract }> = [];
  for (const file of files) {
    const { docs, contract } = await readConfigFile(io, file, flag, "validate");
    configs.push({ file, docs, contract });
  }
  let problems = 0;
  let bad = 0;
  for (const { file, docs, contract } of configs) {
    const found = validateDocuments(docs, { contract, mode: mode as ValidationMode });
    for (const p of found) io.stdout(`${[file, p.document, p.path, p.message].filter((s) => s !== "").join(": ")}\n`);
    problems += found.length;
    if (found.length > 0) bad++;
  }
  const versions = [...new Set(configs.map((c) => c.contract))].map((c) => `talos ${c}`).join(", ");
  if (problems === 0) {
    io.stderr(`talc: ${files.length === 1 ? files[0] : `${files.length} configs`} valid for ${versions} in ${mode} mode\n`);
    return 0;
  }
  io.stderr(`talc: ${problems} problem${problems === 1 ? "" : "s"} in ${bad} of ${files.length} config${files.length === 1 ? "" : "s"} (${versions}, ${mode} mode)\n`);
  return 1;
}
