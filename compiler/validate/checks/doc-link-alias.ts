// LinkAliasConfig gives a link chosen by a selector a name of its own; from
// 1.13 a name such as net%d numbers every link the selector matches.

import type { Check } from "../types.ts";
import { oncePerSealed } from "../../talos/typed.ts";
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

// the nodes of a role share their alias documents: each sealed one is judged once (name patterns exist from 1.13)
const judgeOnce = { plain: oncePerSealed((d: Mapping) => judge(d, false)), patterns: oncePerSealed((d: Mapping) => judge(d, true)) };

/** LinkAliasConfig has a valid name and a link selector. */
export const docLinkAlias: Check = {
  id: "doc-link-alias",
  summary: "a LinkAliasConfig has a name (from 1.13 optionally a prefix with %d) and a link selector",
  run(ctx, report) {
    const judgeDoc = ctx.contract === "1.12" ? judgeOnce.plain : judgeOnce.patterns;
    for (const doc of ctx.ofKind("LinkAliasConfig")) for (const [path, message] of judgeDoc(doc.data)) report(doc, path, message);
  },
};
