// machine.install of the v1alpha1 document, beyond choosing a disk: a system
// extension is installed once, and (where Talos builds the disk selector,
// in metal mode) a disk cannot be selected by its name.

import type { Check } from "../types.ts";
import { oncePerSealed } from "../../talos/typed.ts";
import { at, child, isMapping, list, mapping, quote, str, type Mapping } from "../../value.ts";

interface Judged {
  duplicates: ReadonlyArray<readonly [string, string]>;
  /** diskSelector.name is set. */
  selectorName: boolean;
}

// The nodes of a role share one sealed v1alpha1 document: its install section is read once.
const judge = oncePerSealed((data: Mapping): Judged => {
  const install = at(data, "machine.install");
  if (!isMapping(install)) return { duplicates: [], selectorName: false };
  const seen = new Set<string>();
  const duplicates: Array<[string, string]> = [];
  list(install.extensions).forEach((e, i) => {
    const image = str(mapping(e)?.image);
    if (seen.has(image)) duplicates.push([`${child("machine.install.extensions", i)}.image`, `${quote(image)} is already listed; install each system extension once`]);
    seen.add(image);
  });
  const selector = mapping(install.diskSelector);
  return { duplicates, selectorName: selector !== undefined && str(selector.name) !== "" };
});

/** machine.install lists each extension once, and selects no disk by name in metal mode. */
export const machineInstall: Check = {
  id: "machine-install",
  summary: "machine.install lists each system extension once; in metal mode its disk selector does not use name",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined) return;
    const judged = judge(legacy.data);
    if (judged.selectorName && ctx.mode === "metal") {
      report(legacy, "machine.install.diskSelector.name", "is not supported: talos cannot select the install disk by name; use size, model, serial, wwid, busPath or type");
    }
    for (const [path, message] of judged.duplicates) report(legacy, path, message);
  },
};
