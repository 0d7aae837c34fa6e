// Routing documents (1.13+): a BlackholeRouteConfig is named by the prefix it
// drops, a RoutingRuleConfig by its priority, which must not be one the
// kernel or KubeSpan already uses.

import type { Check } from "../types.ts";
import { isCIDR } from "../net.ts";
import { goLower } from "../../talos/enums.ts";
import { documentCheck, type Found } from "./judged.ts";
import { num, quote, str, type Mapping } from "../../value.ts";

/** Rule priorities taken by the kernel's local, main and default rules and by KubeSpan. */
const RESERVED_PRIORITIES = [0, 32500, 32766, 32767];

/** Whether a field holds Talos's zero value or another of the names given (unset, or named so in any case). */
function unspecified(v: unknown, ...names: string[]): boolean {
  return v === undefined || v === null || names.includes(goLower(str(v)));
}

function judgeRule(data: Mapping): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const name = str(data.name);
  // strconv.ParseUint(name, 10, 32): decimal digits only
  const priority = /^[0-9]+$/.test(name) && Number(name) <= 0xffffffff ? Number(name) : undefined;
  if (priority === undefined) problems.push(["name", `${name === "" ? "is required" : `${quote(name)} is not a priority`}; a RoutingRuleConfig is named by its priority, a number from 1 to 32765 such as 1000`]);
  else if (RESERVED_PRIORITIES.includes(priority)) problems.push(["name", `priority ${priority} is reserved (${RESERVED_PRIORITIES.join(", ")} belong to the kernel and KubeSpan); choose another, such as 1000`]);
  // a unicast rule is a plain table lookup, which needs a table
  if (unspecified(data.table, "unspec") && unspecified(data.action, "unspec", "unicast")) {
    problems.push(["table", "is required unless action is blackhole, unreachable or prohibit: the routing table to look up, such as main or 100"]);
  }
  if (num(data.fwMask) !== 0 && num(data.fwMark) === 0) problems.push(["fwMask", "needs fwMark: the mask applies to the firewall mark a packet must carry"]);
  return problems;
}

function judgeBlackhole(data: Mapping): Found {
  const name = str(data.name);
  return isCIDR(name) ? [] : [["name", `${name === "" ? "is required" : `${quote(name)} is not a prefix`}; a BlackholeRouteConfig is named by the prefix it drops, such as 10.0.0.0/8`]];
}

/** BlackholeRouteConfig is named by a prefix; RoutingRuleConfig by a free priority, with a table or a non-unicast action. */
export const docRouting: Check = documentCheck({
  id: "doc-routing",
  summary: "a BlackholeRouteConfig is named by a prefix, a RoutingRuleConfig by an unreserved priority, with a table or a non-unicast action",
  judges: [
    ["BlackholeRouteConfig", judgeBlackhole],
    ["RoutingRuleConfig", judgeRule],
  ],
});
