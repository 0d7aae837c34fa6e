// `talc secrets …`: a cluster's secrets bundle, kept encrypted with age at
// secrets/<cluster>.age in the repository, where it can be committed. The
// plaintext only ever leaves memory on stdout (`show`).

import { lstat, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFilesAtomically } from "../emit/write.ts";
import { TalcError } from "../errors.ts";
import { loadClusters } from "../pipeline.ts";
import {
  checkRecipient,
  decryptWithIdentities,
  encryptedBundlePath,
  encryptToRecipients,
  IDENTITY_ENV,
  IDENTITY_FILE_ENV,
  recipientOf,
} from "../secrets/age.ts";
import { encodeSecretsBundle, generateSecretsBundle, loadSecretsBundle } from "../secrets/bundle.ts";
import { parseContract, type Contract } from "../talos/contract.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { gitWouldTrack, identitiesFor } from "./materialize.ts";
import type { Io } from "./main.ts";

const ROOT: OptionSpec = { type: "string", help: "the repository (default: the current folder)" };
const RECIPIENT: OptionSpec = { type: "list", commas: true, help: "an age public key (age1…) to encrypt to; repeat for several" };
const RECIPIENTS_FILE: OptionSpec = { type: "list", help: "a file of age public keys, one a line (# comments), like age -R" };
const IDENTITY: OptionSpec = { type: "string", help: `an age identity file (default: $${IDENTITY_ENV}, or the file $${IDENTITY_FILE_ENV} names)` };
const ARMOR: OptionSpec = { type: "boolean", default: true, help: "write the ASCII-armored form (age -a); --armor=false for binary" };
const FORCE: OptionSpec = { type: "boolean", help: "replace an existing encrypted bundle" };

const SPECS: Record<string, Record<string, OptionSpec>> = {
  init: { recipient: RECIPIENT, "recipients-file": RECIPIENTS_FILE, "talos-version": { type: "string", help: "the Talos version the bundle is for (default: the cluster definition's)" }, armor: ARMOR, force: FORCE, root: ROOT },
  import: { from: { type: "string", help: "the talosctl secrets.yaml to import (required)" }, recipient: RECIPIENT, "recipients-file": RECIPIENTS_FILE, armor: ARMOR, force: FORCE, root: ROOT },
  "rotate-recipients": { identity: IDENTITY, recipient: RECIPIENT, "recipients-file": RECIPIENTS_FILE, armor: ARMOR, root: ROOT },
  show: { identity: IDENTITY, root: ROOT },
};

const USAGE: Record<string, [string, string]> = {
  init: ["talc secrets init <cluster> --recipient <age1…>… [--talos-version <v>] [--force]", "Generates the cluster's secrets bundle and stores it encrypted at secrets/<cluster>.age."],
  import: ["talc secrets import <cluster> --from <secrets.yaml> --recipient <age1…>… [--force]", "Encrypts an existing talosctl secrets bundle into secrets/<cluster>.age."],
  "rotate-recipients": ["talc secrets rotate-recipients <cluster> --recipient <age1…>… [--identity <file>]", "Re-encrypts secrets/<cluster>.age to exactly the given recipients; the secrets stay the same."],
  show: ["talc secrets show <cluster> [--identity <file>]", "Prints the decrypted bundle on stdout."],
};

const SUMMARY = `usage: talc secrets <command> <cluster> [options]

commands:
  init               generate a cluster's bundle, encrypted to age recipients, at secrets/<cluster>.age
  import             encrypt an existing talosctl secrets.yaml into secrets/<cluster>.age
  rotate-recipients  re-encrypt secrets/<cluster>.age to a new set of recipients
  show               print the decrypted bundle

Identities (private keys) are read from --identity <file>, else $${IDENTITY_ENV}
(the key itself), else the file $${IDENTITY_FILE_ENV} names.
`;

function cliError(message: string, path?: string): TalcError {
  return new TalcError(message, { code: "bad-arguments", stage: "cli", path });
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function recipientsOf(values: Record<string, unknown>, io: Io): Promise<string[]> {
  const out = [...((values.recipient as string[] | undefined) ?? [])];
  for (const file of (values["recipients-file"] as string[] | undefined) ?? []) {
    const text = await readFile(resolve(io.cwd, file), "utf8").catch((e: NodeJS.ErrnoException) => {
      throw new TalcError(`cannot read recipients file (${e.code ?? e.message})`, { code: "recipients-unreadable", stage: "secrets", file });
    });
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t !== "" && !t.startsWith("#")) out.push(t);
    }
  }
  if (out.length === 0) throw cliError("at least one --recipient (an age public key, age1…) is required", "recipient");
  return [...new Set(out.map(checkRecipient))];
}

function clusterName(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw cliError(`expected one cluster name; see 'talc secrets ${command} --help'`);
  const name = positionals[0];
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw cliError(`"${name}" is not a cluster name; cluster names are DNS labels such as homelab`);
  return name;
}

// Refuses to replace a bundle: new secrets for a running cluster lock its machines out.
async function refuseExisting(root: string, cluster: string): Promise<void> {
  const rel = encryptedBundlePath(cluster);
  if (await exists(join(root, rel))) {
    throw new TalcError(`${rel} already exists; replacing it changes every secret of a running cluster. Pass --force if that is what you want, or use rotate-recipients to change who can read it`, {
      code: "file-exists",
      stage: "secrets",
      file: rel,
    });
  }
}

async function writeEncrypted(root: string, cluster: string, plaintext: string, recipients: string[], values: Record<string, unknown>, io: Io): Promise<void> {
  const rel = encryptedBundlePath(cluster);
  const path = join(root, rel);
  const content = await encryptToRecipients(plaintext, recipients, { armored: values.armor !== false });
  await writeFilesAtomically([{ path, content, mode: 0o644 }], { force: true });
  io.stderr(`wrote ${rel}, encrypted to ${recipients.length} recipient(s)\n`);
}

// The bundle's text, and the identities that decrypted it.
async function readEncrypted(root: string, cluster: string, identityFile: string | undefined, io: Io): Promise<{ text: string; identities: string[] }> {
  const rel = encryptedBundlePath(cluster);
  const data = await readFile(join(root, rel)).catch((e: NodeJS.ErrnoException) => {
    const hint = e.code === "ENOENT" ? `; create it with 'talc secrets init ${cluster}' or 'talc secrets import ${cluster}'` : "";
    throw new TalcError(`cannot read the encrypted bundle (${e.code ?? e.message})${hint}`, { code: "secrets-unreadable", stage: "secrets", file: rel });
  });
  const identities = await identitiesFor(io, identityFile);
  const text = await decryptWithIdentities(data, identities, rel);
  loadSecretsBundle(text, rel);
  return { text, identities };
}

/** `talc secrets <init|import|rotate-recipients|show> <cluster>`. */
export async function secretsCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    io.stdout(SUMMARY);
    return sub === undefined ? 2 : 0;
  }
  if (!Object.hasOwn(SPECS, sub)) throw cliError(`unknown secrets command "${sub}"; expected one of: ${Object.keys(SPECS).join(", ")}`);
  const specs = SPECS[sub];
  const { values, positionals } = parseCommand(`secrets ${sub}`, rest, specs);
  if (values.help) {
    io.stdout(helpText(...USAGE[sub], specs));
    return 0;
  }
  const cluster = clusterName(positionals, sub);
  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");

  switch (sub) {
    case "init": {
      const recipients = await recipientsOf(values, io);
      if (values.force !== true) await refuseExisting(root, cluster);
      let contract: Contract;
      if (values["talos-version"] !== undefined) contract = parseContract(values["talos-version"] as string);
      else contract = (await loadClusters(root, [cluster], "<cluster>"))[0].contract;
      const bundle = await generateSecretsBundle({ contract });
      await writeEncrypted(root, cluster, encodeSecretsBundle(bundle), recipients, values, io);
      return 0;
    }
    case "import": {
      if (values.from === undefined) throw cliError("--from <secrets.yaml> is required", "from");
      const recipients = await recipientsOf(values, io);
      const from = resolve(io.cwd, values.from as string);
      const text = await readFile(from, "utf8").catch((e: NodeJS.ErrnoException) => {
        throw new TalcError(`cannot read secrets bundle (${e.code ?? e.message})`, { code: "secrets-unreadable", stage: "secrets", file: values.from as string });
      });
      const bundle = loadSecretsBundle(text, values.from as string);
      if (values.force !== true) await refuseExisting(root, cluster);
      await writeEncrypted(root, cluster, encodeSecretsBundle(bundle), recipients, values, io);
      if (await gitWouldTrack(root, from)) {
        io.stderr(`warning: ${values.from as string} holds the secrets in plain text where git would track it; delete it\n`);
      }
      return 0;
    }
    case "rotate-recipients": {
      const recipients = await recipientsOf(values, io);
      const { text, identities } = await readEncrypted(root, cluster, values.identity as string | undefined, io);
      await writeEncrypted(root, cluster, text, recipients, values, io);
      const own = await Promise.all(identities.map(recipientOf));
      if (!own.some((r) => recipients.includes(r))) io.stderr("note: the identity used to decrypt is not among the new recipients, so it can no longer read the bundle\n");
      return 0;
    }
    case "show": {
      io.stdout((await readEncrypted(root, cluster, values.identity as string | undefined, io)).text);
      return 0;
    }
  }
  return 2;
}
