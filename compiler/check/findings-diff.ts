// Which policy findings a change introduces and which it fixes: the rules run
// over the node files of both out/ trees alike, and findings are matched by
// their fingerprints, which do not move with line numbers.

import type { FileMap } from "../emit/output.ts";
import { parseConfig } from "../load/config.ts";
import { lintNodes } from "../policy/lint.ts";
import type { Finding } from "../policy/types.ts";
import { parseContract } from "../talos/contract.ts";
import type { FindingChanges } from "./render.ts";

function treeFindings(files: FileMap): Finding[] {
  const out: Finding[] = [];
  for (const [path, text] of files) {
    if (!path.endsWith("/manifest.json")) continue;
    const cluster = path.split("/")[0];
    const manifest = JSON.parse(text) as { talosVersion: string; nodes: Array<{ hostname: string; role: "controlplane" | "worker"; config: string }> };
    const contract = parseContract(manifest.talosVersion);
    const nodes = manifest.nodes.flatMap((n) => {
      const file = `${cluster}/${n.config}`;
      const config = files.get(file);
      return config === undefined
        ? []
        : [{ hostname: n.hostname, role: n.role, file: `out/${file}`, text: config, docs: parseConfig(config, file), contract, talosVersion: manifest.talosVersion }];
    });
    out.push(...lintNodes({ cluster, contract, nodes }));
  }
  return out;
}

function summary(f: Finding): FindingChanges["introduced"][number] {
  return { cluster: f.cluster ?? "", node: f.node ?? "", rule: f.rule, severity: f.severity, message: f.message };
}

/** Findings in `after` but not in `before` (introduced), and the reverse (fixed). */
export function findingChanges(before: FileMap, after: FileMap): FindingChanges {
  const old = treeFindings(before);
  const now = treeFindings(after);
  const oldPrints = new Set(old.map((f) => f.fingerprint));
  const newPrints = new Set(now.map((f) => f.fingerprint));
  return {
    introduced: now.filter((f) => !oldPrints.has(f.fingerprint)).map(summary),
    fixed: old.filter((f) => !newPrints.has(f.fingerprint)).map(summary),
  };
}
