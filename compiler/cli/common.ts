// Options and checks the commands share, kept light so check loads little.

import { TalcError } from "../errors.ts";
import type { Patch } from "../patch/types.ts";
import type { ValidationMode } from "../validate/types.ts";
import type { OptionSpec } from "./args.ts";
import type { Io } from "./main.ts";

/** Options build and check share. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  cluster: { type: "list", help: "only this cluster (repeatable)" },
  mode: { type: "string", default: "metal", help: "validation mode of the machines: metal, cloud or container" },
  root: { type: "string", help: "the repository (default: the current folder)" },
};

/** The validation mode a --mode value names. */
export function mode(value: unknown): ValidationMode {
  if (value === "metal" || value === "cloud" || value === "container") return value;
  throw new TalcError(`invalid mode "${String(value)}"; expected metal, cloud or container`, { code: "bad-arguments", stage: "cli", path: "mode" });
}

/** Refuses positional arguments to a command that takes none. */
export function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new TalcError(`unexpected argument "${positionals[0]}"; see 'talc ${command} --help'`, { code: "bad-arguments", stage: "cli" });
  }
}

/** Warns of patch text that talosctl leaves unread, as talc does to give the same bytes. */
export function unreadWarnings(patches: readonly Patch[], io: Io): void {
  for (const p of patches) if (p.kind === "json6902" && p.unread !== undefined) io.stderr(`talc: warning: ${p.source ?? "patch"}: ${p.unread}\n`);
}

/**
 * The endpoints of the talosconfig 'talc materialize' writes: each control plane's own address (a VIP
 * moves, so it is no endpoint). Here, not in materialize.ts, so that `talc plan`, which reads them too,
 * does not load the secrets and age code.
 */
export function endpointsOf(nodes: ReadonlyArray<{ hostname: string; role: string; address?: string }>): string[] {
  return nodes.filter((n) => n.role === "controlplane").map((n) => (n.address === undefined ? n.hostname : n.address.split("/")[0]));
}
