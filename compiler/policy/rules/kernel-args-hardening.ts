// Kernel arguments that switch off the CPU and module protections Talos boots with.

import { kernelArgs } from "../find.ts";
import { REF } from "../references.ts";
import type { Rule } from "../types.ts";

/** Kernel arguments that weaken the kernel, and what each turns off. */
const WEAKENING_ARGS: ReadonlyArray<[RegExp, string]> = [
  [/^mitigations=off$/, "every CPU vulnerability mitigation"],
  [/^(nospectre_v1|nospectre_v2|spectre_v2=off|spectre_v2_user=off|spectre_bhi=off)$/, "Spectre mitigations"],
  [/^(nopti|pti=off)$/, "kernel page-table isolation (Meltdown)"],
  [/^(mds|tsx_async_abort|l1tf|mmio_stale_data|retbleed|srbds|gather_data_sampling|reg_file_data_sampling|spec_rstack_overflow|spec_store_bypass_disable)=off$/, "a CPU side-channel mitigation"],
  [/^module\.sig_enforce=(0|n|no|off)$/, "kernel module signature enforcement"],
  [/^lockdown=none$/, "kernel lockdown"],
  [/^nokaslr$/, "kernel address randomization"],
  [/^(init_on_alloc|init_on_free)=0$/, "memory zeroing"],
  [/^slub_debug=-$/, "slab hardening"],
];

export default {
  id: "kernel-args-hardening",
  title: "Kernel arguments keep CPU mitigations and module signing on",
  rationale:
    "Talos boots with CPU side-channel mitigations, kernel page-table isolation, address randomization and enforced module signatures. Arguments such as `mitigations=off` or `module.sig_enforce=0` trade them for a little speed or convenience, letting one workload read another's memory or load unsigned code into the kernel.",
  remediation: "Remove the argument from the install settings or the image's kernel arguments; measure before deciding a mitigation is too costly, and waive it with the measurement as the reason if so.",
  severity: { recommended: "error", strict: "error" },
  tags: ["security", "kernel"],
  references: [REF.kernelParameters],
  waivable: true,
  messages: { weakens: "kernel argument {arg} turns off {what}" },
  examples: {
    good: [{ title: "a console argument", definition: { install: { extraKernelArgs: ["console=ttyS0"] } } }],
    bad: [
      { title: "mitigations off", patch: "machine:\n  install:\n    extraKernelArgs:\n      - mitigations=off\n" },
      { title: "unsigned modules in the image's arguments", definition: { install: { kernelArgs: ["module.sig_enforce=0"] } } as never },
    ],
  },
  check(ctx) {
    for (const arg of kernelArgs(ctx)) {
      const value = arg.value.trim().toLowerCase();
      const hit = WEAKENING_ARGS.find(([re]) => re.test(value));
      if (hit !== undefined) ctx.report({ doc: arg.doc, path: arg.path, definitionPath: arg.definitionPath, messageId: "weakens", data: { arg: arg.value, what: hit[1] } });
    }
  },
} satisfies Rule;
