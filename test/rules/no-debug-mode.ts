// Cases: 1.14; the strict profile; a worker.
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  { title: "1.14 worker", expect: "bad", messageId: "debug", contract: "1.14", role: "worker", patch: "debug: true\n" },
  { title: "1.12 default", expect: "good", contract: "1.12" },
];
