// Machine config files named on the command line (lint --config, validate
// --config): reading them, and which Talos version they are for.

import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { TalcError } from "../errors.ts";
import { configDocuments, type ConfigDocument } from "../load/config.ts";
import { parseGoYaml } from "../patch/yaml.ts";
import { parseImage } from "../policy/find.ts";
import { DEFAULT_CONTRACT, parseContract, type Contract } from "../talos/contract.ts";
import { asDecoded, documentId, typeSystem } from "../talos/typed.ts";
import type { Io } from "./main.ts";

const EXACT_TALOS = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

// The installer image a config names, and where: machine.install.image or UnattendedInstallConfig's.
function installerImage(docs: readonly ConfigDocument[]): { image: string; path: string } | undefined {
  for (const doc of docs) {
    if (doc.kind === undefined) {
      const image = ((doc.machine as Record<string, unknown> | undefined)?.install as Record<string, unknown> | undefined)?.image;
      if (typeof image === "string" && image !== "") return { image, path: "machine.install.image" };
    } else if (doc.kind === "UnattendedInstallConfig") {
      const image = (doc.installer as Record<string, unknown> | undefined)?.image;
      if (typeof image === "string" && image !== "") return { image, path: "UnattendedInstallConfig installer.image" };
    }
  }
  return undefined;
}

/** The version contract and exact Talos version of a config file: the flag, else the installer image's tag, else the newest contract. */
function configVersion(
  flag: string | undefined,
  docs: readonly ConfigDocument[],
  file: string,
  command: "lint" | "validate",
): { contract: Contract; talosVersion?: string } {
  if (flag !== undefined) return { contract: parseContract(flag), talosVersion: EXACT_TALOS.test(flag) ? flag : undefined };
  const found = installerImage(docs);
  const tag = found === undefined ? undefined : parseImage(found.image).tag;
  if (tag === undefined || !/^v?\d+\.\d+/.test(tag)) return { contract: DEFAULT_CONTRACT };
  try {
    const talosVersion = tag.startsWith("v") ? tag : `v${tag}`;
    return { contract: parseContract(tag, found!.path), talosVersion: EXACT_TALOS.test(talosVersion) ? talosVersion : undefined };
  } catch (e) {
    const err = e as TalcError;
    throw new TalcError(`${err.message}; the installer image ${JSON.stringify(found!.image)} names it. Pass --talos-version to ${command} for another version`, {
      code: err.code,
      stage: "cli",
      file,
      path: found!.path,
    });
  }
}

/**
 * Reads a machine config file named on the command line, for the release it is for (see configVersion):
 * its text, and its documents as Talos decodes them. The YAML is read as go-yaml reads it (`0644` is
 * octal, `1_000` a thousand), and a scalar in a field of a Go string type keeps its text, as Talos's
 * decoder gives it: `net.ipv4.ip_forward: 1` among sysctls is the string "1", which Talos accepts.
 */
export async function readConfigFile(
  io: Io,
  file: string,
  flag: string | undefined,
  command: "lint" | "validate",
): Promise<{ text: string; docs: ConfigDocument[]; contract: Contract; talosVersion?: string }> {
  let text: string;
  try {
    text = await readFile(isAbsolute(file) ? file : join(io.cwd, file), "utf8");
  } catch (e) {
    throw new TalcError(`cannot read the config (${(e as NodeJS.ErrnoException).code ?? "error"}); expected a readable machine config file`, { code: "config-unreadable", stage: "cli", file });
  }
  return { text, ...readConfigText(text, file, flag, command) };
}

/** The documents of a config file's text, as readConfigFile reads them. */
export function readConfigText(text: string, file: string, flag: string | undefined, command: "lint" | "validate"): { docs: ConfigDocument[]; contract: Contract; talosVersion?: string } {
  const read = parseGoYaml(text, file);
  if (read.length === 0) throw new TalcError("has no documents; expected a machine config", { code: "config-empty", stage: "cli", file });
  const docs = configDocuments(read, file);
  // (the installer image the version is read from is a string, which the reader holds as it is)
  const { contract, talosVersion } = configVersion(flag, docs, file, command);
  const sys = typeSystem(contract);
  return { docs: docs.map((doc) => asDecoded(doc, sys)), contract, talosVersion };
}

/**
 * Refuses a file that is not a Talos machine config for the contract: a document of a kind it does not
 * know (a Kubernetes manifest, a typo), or a v1alpha1 document without a machine section. Policy rules
 * judge machine configs; on anything else they would find nothing, and say so as if it were clean.
 */
export function assertMachineConfig(docs: readonly ConfigDocument[], contract: Contract, file: string): void {
  const sys = typeSystem(contract);
  docs.forEach((doc, i) => {
    // (documentId refuses a kind the contract does not know, naming the document)
    const { kind } = documentId(doc, sys, { file, stage: "cli", doc: `document ${i + 1}` });
    if (kind === "v1alpha1" && (typeof doc.machine !== "object" || doc.machine === null || Array.isArray(doc.machine))) {
      throw new TalcError("the v1alpha1 document has no machine section; expected a Talos machine config", { code: "config-kind", stage: "cli", file, path: `document ${i + 1}: machine` });
    }
  });
}
