// Cases: each family of weakening argument; lockdown kept; pti=on.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  ...["nopti", "spectre_v2=off", "mds=off", "lockdown=none", "nokaslr", "init_on_alloc=0"].map((arg): RuleCase => ({ title: arg, expect: "bad", messageId: "weakens", definition: { install: { extraKernelArgs: [arg] } } })),
  { title: "pti on and lockdown confidentiality", expect: "good", definition: { install: { extraKernelArgs: ["pti=on", "lockdown=confidentiality"] } } },
];
