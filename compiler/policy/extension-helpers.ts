// What the extension rules share: reporting an extension where it is named,
// and the extension services a config configures.

import { officialExtension } from "../talos/extensions.ts";
import { str } from "../value.ts";
import type { NodeExtension, RuleContext } from "./types.ts";

/** Reports at the place an extension is named: the definition, or machine.install.extensions. */
export function reportExtension(ctx: RuleContext, ext: NodeExtension, messageId: string, data: Record<string, string>): void {
  if (ext.doc !== undefined) ctx.report({ doc: ext.doc, path: ext.path, messageId, data, definitionPath: ext.definitionPath });
  else ctx.report({ messageId, data, definitionPath: ext.definitionPath });
}

/** The short name of an official extension ("siderolabs/tailscale" → "tailscale"), else undefined. */
function officialShortName(name: string): string | undefined {
  const official = officialExtension(name);
  return official === undefined ? undefined : official.name.slice(official.name.indexOf("/") + 1);
}

/**
 * Reports each extension the node carries whose official short name is in
 * `names` (message "extension"), and each ExtensionServiceConfig of such a
 * name whose extension the node does not list (message "service": a config
 * file names its services, not its image).
 */
export function reportNamedExtensions(ctx: RuleContext, names: ReadonlySet<string>): void {
  const seen = new Set<string>();
  for (const ext of ctx.extensions) {
    const short = officialShortName(ext.name);
    if (short !== undefined && names.has(short)) {
      seen.add(short);
      reportExtension(ctx, ext, "extension", { name: ext.name });
    }
  }
  for (const doc of ctx.ofKind("ExtensionServiceConfig")) {
    const name = str(doc.data.name);
    if (names.has(name) && !seen.has(name)) {
      seen.add(name);
      ctx.report({ doc, path: "name", messageId: "service", data: { name } });
    }
  }
}
