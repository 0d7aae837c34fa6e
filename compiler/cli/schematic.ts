// `talc schematic id <file|->`: the Image Factory schematic ID of a file,
// computed offline exactly as the factory computes it.

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { TalcError } from "../errors.ts";
import { parseSchematic, schematicId } from "../targets/schematic.ts";
import { helpText, parseCommand } from "./args.ts";
import type { Io } from "./main.ts";

async function readInput(path: string, io: Io, stdin: () => Promise<string>): Promise<string> {
  if (path === "-") return stdin();
  try {
    return await readFile(resolve(io.cwd, path), "utf8");
  } catch (e) {
    throw new TalcError(`cannot read the schematic (${(e as NodeJS.ErrnoException).code ?? "error"})`, { code: "unreadable", stage: "cli", file: path });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `talc schematic id <file|->`. */
export async function schematicCommand(argv: string[], io: Io, stdin: () => Promise<string> = readStdin): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseCommand("schematic id", rest, {});
  if (sub !== "id" || values.help) {
    io.stdout(helpText("talc schematic id <file|->", "Prints the Image Factory schematic ID of a schematic (YAML or JSON).", {}));
    return sub === "id" || sub === "--help" || sub === "-h" ? 0 : 2;
  }
  if (positionals.length !== 1) throw new TalcError("expected one schematic file, or - for standard input", { code: "bad-arguments", stage: "cli" });
  const file = positionals[0];
  const text = await readInput(file, io, stdin);
  io.stdout(`${schematicId(parseSchematic(text, file === "-" ? "<stdin>" : file), file)}\n`);
  return 0;
}
