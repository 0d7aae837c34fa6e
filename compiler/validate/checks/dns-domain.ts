// The cluster DNS domain ends up in every pod's resolv.conf.

import type { Check } from "../types.ts";
import { at, quote, str } from "../../value.ts";

const DNS_NAME = /^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$/;

/** Whether a name is a DNS name as Talos checks one. */
function isDNSName(name: string): boolean {
  return name !== "" && name.length - (name.match(/\./g) ?? []).length <= 255 && DNS_NAME.test(name);
}

/** cluster.network.dnsDomain is a DNS name. */
export const dnsDomain: Check = {
  id: "dns-domain",
  summary: "the cluster DNS domain is a valid DNS name",
  run(ctx, report) {
    if (ctx.legacy === undefined) return;
    const domain = str(at(ctx.legacy.data, "cluster.network.dnsDomain"));
    if (domain !== "" && !isDNSName(domain)) {
      report(ctx.legacy, "cluster.network.dnsDomain", `${quote(domain)} is not a valid DNS domain; expected dot-separated labels of letters, digits, "-" and "_", such as cluster.local`);
    }
  },
};
