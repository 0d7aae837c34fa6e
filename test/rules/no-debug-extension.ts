// Cases: each debug tool; a service config alone (a config file).
import type { RuleCase } from "./harness.ts";

export const cases: RuleCase[] = [
  ...["ctr", "util-linux-tools", "mellanox-mstflint", "gvisor-debug"].map((name): RuleCase => ({ title: name, expect: "bad", messageId: "extension", definition: { install: { extensions: [`siderolabs/${name}`] } } })),
  { title: "gvisor itself is not a debug tool", expect: "good", definition: { install: { extensions: ["siderolabs/gvisor"] } } },
];
