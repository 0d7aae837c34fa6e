// Cases: the image's kernel arguments in a node's install; uppercase scheme; other arguments.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "a node's image kernel arguments", expect: "bad", messageId: "http", definition: { nodes: [{ hostname: "cp-1", role: "controlplane", install: { kernelArgs: ["talos.config=HTTP://10.0.0.1/c.yaml"] } as never }] } },
  { title: "metal-iso config source", expect: "good", patch: "machine:\n  install:\n    extraKernelArgs:\n      - talos.config=metal-iso\n" },
];
