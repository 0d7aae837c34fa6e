// A StaticHostConfig is an /etc/hosts entry: named by its IP address, with
// the hostnames that resolve to it.

import type { Check } from "../types.ts";
import { isAddr } from "../net.ts";
import { documentCheck } from "./judged.ts";
import { list, quote, str, type Mapping } from "../../value.ts";

function judge(data: Mapping): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const name = str(data.name);
  if (name === "") problems.push(["name", "is required: the IP address the hostnames resolve to, such as 10.0.0.5"]);
  else if (!isAddr(name)) problems.push(["name", `${quote(name)} is not an IP address; a StaticHostConfig is named by the address its hostnames resolve to, such as 10.0.0.5`]);
  if (list(data.hostnames).length === 0) problems.push(["hostnames", "needs at least one hostname to resolve to the address"]);
  return problems;
}

/** StaticHostConfig is named by an IP and lists hostnames. */
export const docStaticHost: Check = documentCheck({
  id: "doc-static-host",
  summary: "a StaticHostConfig is named by an IP address and lists at least one hostname",
  kind: "StaticHostConfig",
  judge,
});
