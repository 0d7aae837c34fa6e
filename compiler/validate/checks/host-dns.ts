// Host DNS: forwarding kube-dns to the host needs host DNS on, and a machine
// running in a container needs both (its DNS comes from the host).

import type { Check, Doc } from "../types.ts";
import { at, isTrue, isZero, mapping, type Mapping } from "../../value.ts";

/** Host DNS settings agree, and are on in container mode. */
export const hostDNS: Check = {
  id: "host-dns",
  summary: "forwardKubeDNSToHost needs hostDNS enabled; container mode needs both on",
  run(ctx, report) {
    const legacy = ctx.legacy;
    const legacyDNS = legacy === undefined ? undefined : mapping(at(legacy.data, "machine.features.hostDNS"));
    if (legacy !== undefined && legacyDNS !== undefined && ctx.contract !== "1.12" && isTrue(legacyDNS.forwardKubeDNSToHost) && !isTrue(legacyDNS.enabled)) {
      report(legacy, "machine.features.hostDNS.enabled", "must be true when forwardKubeDNSToHost is true");
    }
    const resolver = ctx.ofKind("ResolverConfig")[0];
    const docDNS = resolver === undefined ? undefined : mapping(resolver.data.hostDNS);
    if (resolver !== undefined && docDNS !== undefined && !isZero(docDNS) && !isTrue(docDNS.enabled)) {
      if (isTrue(docDNS.forwardKubeDNSToHost)) report(resolver, "hostDNS.forwardKubeDNSToHost", "cannot be enabled while hostDNS.enabled is false");
      if (isTrue(docDNS.resolveMemberNames)) report(resolver, "hostDNS.resolveMemberNames", "cannot be enabled while hostDNS.enabled is false");
    }
    if (ctx.mode !== "container") return;
    // which settings Talos reads: the ResolverConfig's when it turns host DNS on (1.14), else the v1alpha1 ones
    let source: [Doc, string, Mapping] | undefined;
    if (ctx.gates.hostDNSDocument && resolver !== undefined && docDNS !== undefined && isTrue(docDNS.enabled)) source = [resolver, "hostDNS", docDNS];
    else if (legacy !== undefined && legacyDNS !== undefined) source = [legacy, "machine.features.hostDNS", legacyDNS];
    if (source === undefined) {
      if (ctx.gates.hostDNSDocument) report(resolver ?? legacy ?? "config", resolver !== undefined ? "hostDNS" : "", "host DNS is required in container mode: set hostDNS.enabled and hostDNS.forwardKubeDNSToHost in a ResolverConfig document");
      else if (legacy !== undefined) report(legacy, "machine.features.hostDNS", "is required in container mode: set enabled: true and forwardKubeDNSToHost: true");
      return;
    }
    const [doc, path, dns] = source;
    if (!isTrue(dns.enabled)) report(doc, `${path}.enabled`, "must be true in container mode: the machine's DNS comes from the host");
    if (!isTrue(dns.forwardKubeDNSToHost)) report(doc, `${path}.forwardKubeDNSToHost`, "must be true in container mode: kube-dns must forward to the host");
  },
};
