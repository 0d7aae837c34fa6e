// Talos reads machine.type as controlplane or worker, and still takes the old
// spellings init, join and "" (a worker); anything else stops the machine. The
// schema, like Talos's published one, allows only the two current names, so
// this check says what an old spelling means.

import type { Check } from "../types.ts";
import { at, isSet, quote } from "../../value.ts";

const OLD_SPELLINGS: Record<string, string> = {
  "": '"" is read as worker; write worker',
  join: '"join" is an old name for worker; write worker',
  init: '"init" is an old name for the first control plane; write controlplane',
};

/** machine.type is controlplane or worker. */
export const machineType: Check = {
  id: "machine-type",
  summary: "machine.type is controlplane or worker",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy === undefined || !isSet(legacy.data.machine)) return;
    const t = at(legacy.data, "machine.type");
    if (t === "controlplane" || t === "worker") return;
    if (typeof t === "string" && Object.hasOwn(OLD_SPELLINGS, t)) report(legacy, "machine.type", OLD_SPELLINGS[t]);
    else if (t === undefined || t === null) report(legacy, "machine.type", "is required: controlplane or worker");
    else report(legacy, "machine.type", `unknown machine type ${quote(t)}; expected controlplane or worker`);
  },
};
