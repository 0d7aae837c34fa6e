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

const NONE: readonly string[] = [];

// Talos tells documents apart by "kind/name". They are filed here under kind, then name, rather
// than by a "kind/name" key: a config's documents are looked up on every node, and building and
// hashing a new key string each time was most of this check's cost. A kind with a "/" in it (never
// a real one) files under the part before its first "/", so the same documents meet as by key.
type Filed = Map<string, Map<string, Doc>>;

function filed(seen: Filed, kind: string, name: string): Doc | undefined {
  const slash = kind.indexOf("/");
  return slash < 0 ? seen.get(kind)?.get(name) : seen.get(kind.slice(0, slash))?.get(`${kind.slice(slash + 1)}/${name}`);
}

function file(seen: Filed, kind: string, name: string, doc: Doc): void {
  const slash = kind.indexOf("/");
  const k = slash < 0 ? kind : kind.slice(0, slash);
  const n = slash < 0 ? name : `${kind.slice(slash + 1)}/${name}`;
  const named = seen.get(k);
  if (named === undefined) seen.set(k, new Map([[n, doc]]));
  else named.set(n, doc);
}

/** No duplicate or conflicting documents. */
export const uniqueDocuments: Check = {
  id: "unique-documents",
  summary: "a config has one v1alpha1 document, one document per kind and name, and one document per network link",
  run(ctx, report) {
    // (index loops: every node runs this, in code the interpreter runs without an iterator per step)
    const docs = ctx.docs;
    let legacies = 0;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (d.kind === "v1alpha1" && legacies++ > 0) report(d, "", `duplicate v1alpha1 document (document ${d.index + 1}); a config has at most one, merge them`);
    }

    // kind → name → the first document of that kind and name
    const seen: Filed = new Map();
    const links = new Map<string, Doc>();
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (d.kind === "v1alpha1") continue;
      const name = d.name ?? "";
      const first = filed(seen, d.kind, name);
      if (first !== undefined) {
        report(d, "", `duplicate document: ${first.label} is already document ${first.index + 1}; merge them into one`);
        continue;
      }
      let rival: Doc | undefined;
      for (const k of CONFLICTS.get(d.kind) ?? NONE) {
        rival = filed(seen, k, name);
        if (rival !== undefined) break;
      }
      if (rival !== undefined) {
        report(d, "", `conflicts with ${rival.label} (document ${rival.index + 1}): both configure ${JSON.stringify(name)}; keep one of them`);
        continue;
      }
      file(seen, d.kind, name, d);
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
