// Secrets at rest: a cluster's bundle is kept in the repository encrypted
// with age (age-encryption.org/v1), so it can be committed next to the
// definitions. Files are what the `age` tool reads and writes: binary, or
// ASCII-armored (`age -a`), to one or more X25519 recipients (`age1…`).
//
// Identities (private keys, `AGE-SECRET-KEY-1…`) come from, in order:
//   1. `--identity <file>`: an age identity file, as `age-keygen` writes it;
//   2. TALC_AGE_IDENTITY: the identity itself (one or more keys, one a line);
//   3. TALC_AGE_IDENTITY_FILE: the path of an identity file.
// Lines starting with `#` and blank lines of an identity file are skipped.

import { readFile } from "node:fs/promises";
import { armor, Decrypter, Encrypter, identityToRecipient } from "age-encryption";
import { TalcError } from "../errors.ts";

/** Where a repository keeps a cluster's encrypted bundle, relative to its root. */
export function encryptedBundlePath(cluster: string): string {
  return `secrets/${cluster}.age`;
}

/** The environment variable holding an age identity itself. */
export const IDENTITY_ENV = "TALC_AGE_IDENTITY";
/** The environment variable holding the path of an age identity file. */
export const IDENTITY_FILE_ENV = "TALC_AGE_IDENTITY_FILE";

const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
const BINARY_MAGIC = "age-encryption.org/v1\n";

function secretsError(message: string, code: string, file?: string, cause?: unknown): TalcError {
  return new TalcError(message, { code, stage: "secrets", file, cause });
}

/** Whether bytes are an age file, binary or armored. */
export function isAgeFile(data: Uint8Array): boolean {
  const head = Buffer.from(data.subarray(0, 64)).toString("latin1");
  return head.startsWith(BINARY_MAGIC) || head.trimStart().startsWith(ARMOR_BEGIN);
}

/** Checks a recipient: an age X25519 public key, `age1` followed by bech32 data. */
export function checkRecipient(recipient: string): string {
  const r = recipient.trim();
  if (!/^age1[02-9ac-hj-np-z]{58}$/.test(r)) {
    const hint = r.startsWith("AGE-SECRET-KEY-") ? "; that is a private key: pass its public key (age-keygen -y prints it)" : "; expected an X25519 public key like age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    throw secretsError(`"${r.length > 20 ? `${r.slice(0, 12)}…` : r}" is not an age recipient${hint}`, "bad-recipient");
  }
  return r;
}

/** Encrypts text to the recipients, as the age tool does; `armored` for the `age -a` text form. */
export async function encryptToRecipients(text: string, recipients: readonly string[], opts: { armored?: boolean } = {}): Promise<Uint8Array> {
  if (recipients.length === 0) throw secretsError("no recipients; pass at least one --recipient age1…", "no-recipients");
  const encrypter = new Encrypter();
  for (const r of recipients) encrypter.addRecipient(checkRecipient(r));
  const bytes = await encrypter.encrypt(text);
  return opts.armored === false ? bytes : new TextEncoder().encode(armor.encode(bytes));
}

/** Decrypts an age file (binary or armored) with any of the identities. */
export async function decryptWithIdentities(data: Uint8Array, identities: readonly string[], file?: string): Promise<string> {
  if (identities.length === 0) throw secretsError(`no age identity; pass --identity <file>, or set ${IDENTITY_ENV} or ${IDENTITY_FILE_ENV}`, "no-identity", file);
  let bytes = data;
  const text = Buffer.from(data).toString("latin1");
  if (text.trimStart().startsWith(ARMOR_BEGIN)) {
    try {
      bytes = armor.decode(text.trim() + "\n");
    } catch (e) {
      throw secretsError(`not a valid armored age file (${(e as Error).message})`, "secrets-undecryptable", file, e);
    }
  } else if (!text.startsWith(BINARY_MAGIC)) {
    throw secretsError("not an age-encrypted file; expected one written by talc secrets or the age tool", "secrets-undecryptable", file);
  }
  const decrypter = new Decrypter();
  for (const id of identities) decrypter.addIdentity(id);
  try {
    return await decrypter.decrypt(bytes, "text");
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const reason = /no identity matched/i.test(msg) ? "none of the given identities is a recipient of this file" : msg.toLowerCase();
    throw secretsError(`cannot decrypt: ${reason}`, "secrets-undecryptable", file, e);
  }
}

/** The identities in the text of an age identity file. */
export function parseIdentities(text: string, source: string): string[] {
  const ids: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (!/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(line)) {
      const what = line.startsWith("AGE-PLUGIN-") ? "plugin identities are not supported" : "expected AGE-SECRET-KEY-1…";
      throw new TalcError(`line ${i + 1} is not an age identity: ${what}`, { code: "bad-identity", stage: "secrets", file: source, line: i + 1 });
    }
    ids.push(line);
  });
  if (ids.length === 0) throw new TalcError("no age identity in it; expected a line AGE-SECRET-KEY-1… as age-keygen writes", { code: "bad-identity", stage: "secrets", file: source });
  return ids;
}

/** Reads the identities of an age identity file. */
async function readIdentityFile(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw secretsError(`cannot read age identity file (${e.code ?? e.message})`, "identity-unreadable", path, e);
  });
  return parseIdentities(text, path);
}

/**
 * The identities to decrypt with: the file given, else TALC_AGE_IDENTITY,
 * else the file TALC_AGE_IDENTITY_FILE names; none when nothing is set.
 */
export async function resolveIdentities(identityFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  if (identityFile !== undefined) return readIdentityFile(identityFile);
  const inline = env[IDENTITY_ENV];
  if (inline !== undefined && inline.trim() !== "") return parseIdentities(inline, `$${IDENTITY_ENV}`);
  const file = env[IDENTITY_FILE_ENV];
  if (file !== undefined && file !== "") return readIdentityFile(file);
  return [];
}

/** The public key (recipient) of an identity. */
export async function recipientOf(identity: string): Promise<string> {
  return identityToRecipient(identity);
}
