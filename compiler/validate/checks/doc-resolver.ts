// ResolverConfig nameservers (1.14): each has an address, and encrypted DNS
// (DoT, DoH) names the server its certificate is for. Only host DNS speaks
// encrypted DNS, so it must be on when a nameserver uses it.

import type { Check } from "../types.ts";
import { canonicalName, enumFacts } from "../../talos/enums.ts";
import { oncePerSealed } from "../../talos/typed.ts";
import { at, child, isTrue, list, mapping, quote, str, type Mapping } from "../../value.ts";
import { isAddr } from "../net.ts";

/** A protocol as Talos reads it (in any letter case; unset is Do53), or undefined for one it does not know. */
function protocolOf(v: unknown): string | undefined {
  const protocols = enumFacts("nethelpers.DNSProtocol")!;
  return v === undefined || v === null ? protocols.zero! : canonicalName(protocols, str(v));
}

interface Judged {
  problems: Array<[string, string]>;
  /** Where the first nameserver using DoT or DoH is, if any. */
  encrypted?: string;
}

function judge(data: Mapping): Judged {
  const judged: Judged = { problems: [] };
  list(data.nameservers).forEach((n, i) => {
    const ns = mapping(n) ?? {};
    const path = child("nameservers", i);
    const protocol = protocolOf(ns.protocol);
    const server = str(ns.tlsServerName);
    if (protocol === undefined) judged.problems.push([`${path}.protocol`, `${quote(ns.protocol)} is not a DNS protocol; expected Do53, DoT or DoH`]);
    else if (protocol === "Do53" && server !== "") judged.problems.push([`${path}.tlsServerName`, "must be empty for plain DNS (Do53); set protocol: DoT or DoH to use TLS"]);
    else if (protocol !== "Do53" && server === "") judged.problems.push([`${path}.tlsServerName`, `is required for ${protocol}: the name on the server's certificate, such as dns.google`]);
    if (protocol !== undefined && protocol !== "Do53" && judged.encrypted === undefined) judged.encrypted = `${path}.protocol`;
    const address = str(ns.address);
    if (!isAddr(address)) judged.problems.push([`${path}.address`, address === "" ? "is required: the nameserver's IP address, such as 1.1.1.1" : `${quote(address)} is not an IP address; expected such as 1.1.1.1`]);
  });
  return judged;
}

// the nodes of a role share their ResolverConfig: each sealed one is judged once
const judgeOnce = oncePerSealed(judge);

/** ResolverConfig nameservers are valid, and encrypted ones have host DNS. */
export const docResolver: Check = {
  id: "doc-resolver",
  summary: "ResolverConfig nameservers have an IP address, DoT and DoH ones a tlsServerName, and encrypted DNS needs host DNS enabled",
  run(ctx, report) {
    // nameserver protocols came with the 1.14 ResolverConfig, as did host DNS in it
    if (!ctx.gates.hostDNSDocument) return;
    const resolver = ctx.ofKind("ResolverConfig")[0];
    if (resolver === undefined) return;
    const judged = judgeOnce(resolver.data);
    for (const [path, message] of judged.problems) report(resolver, path, message);
    if (judged.encrypted === undefined) return;
    const legacy = ctx.legacy;
    const hostDNS = isTrue(at(resolver.data, "hostDNS.enabled")) || (legacy !== undefined && isTrue(at(legacy.data, "machine.features.hostDNS.enabled")));
    if (!hostDNS) report(resolver, judged.encrypted, "encrypted DNS (DoT, DoH) goes through host DNS, which is off; set hostDNS.enabled: true");
  },
};
