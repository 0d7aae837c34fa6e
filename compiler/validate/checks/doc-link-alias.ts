// LinkAliasConfig gives a link chosen by a selector a name of its own; from
// 1.13 a name such as net%d numbers every link the selector matches.

import type { Contract } from "../../talos/contract.ts";
import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { at, quote, str, type Mapping } from "../../value.ts";

function judge(data: Mapping, patterns: boolean): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const name = str(data.name);
  if (name === "") problems.push(["name", "is required: the alias, such as net0 (or net%d to number every matching link)"]);
  else if (patterns && name.includes("%")) {
    const cut = name.indexOf("%");
    if (cut === 0 || name.slice(cut + 1) !== "d") problems.push(["name", `${quote(name)} is not a valid alias pattern; expected a prefix followed by %d, such as net%d`]);
  }
  // talc cannot compile the selector's CEL expression; Talos also refuses one that does not compile
  if (str(at(data, "selector.match")) === "") problems.push(["selector.match", "is required: an expression choosing the link, such as mac(link.permanent_addr) == \"00:11:22:33:44:55\""]);
  return problems;
}

/** LinkAliasConfig has a valid name and a link selector. */
export const docLinkAlias: Check = documentCheck({
  id: "doc-link-alias",
  summary: "a LinkAliasConfig has a name (from 1.13 optionally a prefix with %d) and a link selector",
  kind: "LinkAliasConfig",
  // name patterns exist from 1.13
  judge: (data: Mapping, contract: Contract) => judge(data, contract !== "1.12"),
});
