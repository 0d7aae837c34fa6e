// Inline manifests are applied by name; names must be there and unique.

import type { Check } from "../types.ts";
import { at, child, list, mapping, str } from "../../value.ts";

/** cluster.inlineManifests have unique, non-empty names. */
export const inlineManifests: Check = {
  id: "inline-manifests",
  summary: "cluster.inlineManifests have unique, non-empty names",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    const seen = new Set<string>();
    list(at(legacy.data, "cluster.inlineManifests")).forEach((m, i) => {
      const name = str(mapping(m)?.name);
      const path = `${child("cluster.inlineManifests", i)}.name`;
      if (name.trim() === "") report(legacy, path, "is required: inline manifests are applied by name");
      else if (seen.has(name)) report(legacy, path, `${JSON.stringify(name)} is already used by an earlier inline manifest; names must be unique`);
      seen.add(name);
    });
  },
};
