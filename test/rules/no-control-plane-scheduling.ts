// Cases: the deprecated field name; 1.14 base keeps the taint; unknown workers (a config file alone).
import type { ClusterDefinition } from "../../compiler/define/definition.generated.ts";
import type { RuleCase } from "./harness.ts";

const withWorkers: Partial<ClusterDefinition> = { nodes: [{ hostname: "cp-1", role: "controlplane" }, { hostname: "w-1", role: "worker" }] };
export const cases: RuleCase[] = [
  { title: "allowSchedulingOnMasters", expect: "bad", messageId: "legacy-allowed", patch: "cluster:\n  allowSchedulingOnMasters: true\n", definition: withWorkers },
  { title: "1.14 base keeps the taint", expect: "good", contract: "1.14", definition: withWorkers },
  { title: "a lone control-plane config file", expect: "good", patch: "cluster:\n  allowSchedulingOnControlPlanes: true\n" },
];
