// Talos refuses a config with two documents of the same kind and name, with
// documents of kinds that configure the same thing under one name, and with
// two documents that configure the same network link.

import type { Check, Doc } from "../types.ts";
import { at, str } from "../../value.ts";

/** Kinds that each configure a network link, named by the link. */
export const LINK_KINDS: readonly string[] = [
  "BondConfig", "BridgeConfig", "DummyLinkConfig", "LinkConfig", "VethConfig", "VLANConfig", "VRFConfig", "WireguardConfig",
];

// kind → kinds that may not share its name
const CONFLICTS: ReadonlyMap<string, readonly string[]> = new Map([
  ...LINK_KINDS.map((k): [string, string[]] => [k, LINK_KINDS.filter((o) => o !== k)]),
  ["UserVolumeConfig", ["ExistingVolumeConfig"]],
  ["ExistingVolumeConfig", ["UserVolumeConfig"]],
  ["Layer2VIPConfig", ["HCloudVIPConfig"]],
  ["HCloudVIPConfig", ["Layer2VIPConfig"]],
]);

/** No duplicate or conflicting documents. */
export const uniqueDocuments: Check = {
  id: "unique-documents",
  summary: "a config has one v1alpha1 document, one document per kind and name, and one document per network link",
  run(ctx, report) {
    const legacy = ctx.docs.filter((d) => d.kind === "v1alpha1");
    for (const d of legacy.slice(1)) report(d, "", `duplicate v1alpha1 document (document ${d.index + 1}); a config has at most one, merge them`);

    const seen = new Map<string, Doc>();
    const links = new Map<string, Doc>();
    for (const d of ctx.docs) {
      if (d.kind === "v1alpha1") continue;
      const name = d.name ?? "";
      const first = seen.get(`${d.kind}/${name}`);
      if (first !== undefined) {
        report(d, "", `duplicate document: ${first.label} is already document ${first.index + 1}; merge them into one`);
        continue;
      }
      const rival = (CONFLICTS.get(d.kind) ?? []).map((k) => seen.get(`${k}/${name}`)).find((x) => x !== undefined);
      if (rival !== undefined) {
        report(d, "", `conflicts with ${rival.label} (document ${rival.index + 1}): both configure ${JSON.stringify(name)}; keep one of them`);
        continue;
      }
      seen.set(`${d.kind}/${name}`, d);
      if (!LINK_KINDS.includes(d.kind)) continue;
      const claims: Array<[string, string]> = [["name", name]];
      if (d.kind === "VethConfig") claims.push(["peer.name", str(at(d.data, "peer.name"))]);
      for (const [path, link] of claims) {
        const owner = links.get(link);
        if (owner !== undefined) report(d, path, `link ${JSON.stringify(link)} is already configured by ${owner.label}; configure each link in one document`);
        else links.set(link, d);
      }
    }
  },
};
