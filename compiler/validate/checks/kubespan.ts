// KubeSpan is a WireGuard mesh: its link MTU has a floor, and its endpoint
// filters are subnets.

import type { Check, Doc, Report } from "../types.ts";
import { isCIDR, isSubnetOrAddress } from "../net.ts";
import { at, child, isSet, isTrue, list, mapping, num, quote, str, type Mapping } from "../../value.ts";

/** The smallest link MTU KubeSpan works with. */
const KUBESPAN_MIN_MTU = 1280;

function filters(doc: Doc, base: string, ks: Mapping, report: Report, excluded: boolean): void {
  list(at(ks, "filters.endpoints")).forEach((e, i) => {
    if (!isSubnetOrAddress(str(e).replace(/^!/, ""))) {
      report(doc, child(`${base}filters.endpoints`, i), `${quote(e)} is not valid; expected a subnet or address such as 10.0.0.0/8, optionally negated with !`);
    }
  });
  if (!excluded) return;
  list(at(ks, "filters.excludeAdvertisedNetworks")).forEach((e, i) => {
    if (!isCIDR(str(e))) report(doc, child(`${base}filters.excludeAdvertisedNetworks`, i), `${quote(e)} is not valid; expected a prefix such as 10.0.0.0/8`);
  });
}

/** KubeSpan MTU is at least 1280 and its filters are valid. */
export const kubespanSettings: Check = {
  id: "kubespan-settings",
  summary: `KubeSpan's mtu is at least ${KUBESPAN_MIN_MTU} and its endpoint filters are subnets`,
  run(ctx, report) {
    const legacy = ctx.legacy;
    const ks = legacy === undefined ? undefined : mapping(at(legacy.data, "machine.network.kubespan"));
    if (legacy !== undefined && ks !== undefined && isTrue(ks.enabled)) {
      if (isSet(ks.mtu) && num(ks.mtu) < KUBESPAN_MIN_MTU) report(legacy, "machine.network.kubespan.mtu", `${quote(ks.mtu)} is too small; KubeSpan needs a link MTU of at least ${KUBESPAN_MIN_MTU}`);
      filters(legacy, "machine.network.kubespan.", ks, report, true);
    }
    for (const doc of ctx.ofKind("KubeSpanConfig")) {
      if (isSet(doc.data.mtu) && num(doc.data.mtu) < KUBESPAN_MIN_MTU) report(doc, "mtu", `${quote(doc.data.mtu)} is too small; KubeSpan needs a link MTU of at least ${KUBESPAN_MIN_MTU}`);
      filters(doc, "", doc.data, report, false);
    }
  },
};

/** Whether legacy discovery is on with the discovery service registry (what 1.14 counts as a discovery service). */
export function legacyDiscoveryService(legacy: Doc | undefined): boolean {
  if (legacy === undefined) return false;
  return isTrue(at(legacy.data, "cluster.discovery.enabled")) && !isTrue(at(legacy.data, "cluster.discovery.registries.service.disabled"));
}

/** KubeSpan needs cluster discovery (and, before 1.14, the cluster identity). */
export const kubespanDiscovery: Check = {
  id: "kubespan-discovery",
  summary: "KubeSpan needs cluster discovery to find its peers",
  run(ctx, report) {
    const legacy = ctx.legacy;
    const legacyOn = legacy !== undefined && isTrue(at(legacy.data, "machine.network.kubespan.enabled"));
    if (!ctx.gates.discoveryDocuments) {
      // up to 1.13 Talos checks only the legacy switch, against the legacy cluster settings
      if (!legacyOn) return;
      if (!isTrue(at(legacy.data, "cluster.discovery.enabled"))) report(legacy, "cluster.discovery.enabled", "must be true when KubeSpan is enabled: KubeSpan finds its peers through discovery");
      if (str(at(legacy.data, "cluster.id")) === "") report(legacy, "cluster.id", "is required when KubeSpan is enabled");
      if (str(at(legacy.data, "cluster.secret")) === "") report(legacy, "cluster.secret", "is required when KubeSpan is enabled");
      return;
    }
    const doc = ctx.ofKind("KubeSpanConfig")[0];
    const enabled = doc !== undefined ? isTrue(doc.data.enabled) : legacyOn;
    if (!enabled) return;
    if (legacyDiscoveryService(legacy) || ctx.ofKind("DiscoveryServiceConfig").length > 0) return;
    report(doc ?? legacy!, doc !== undefined ? "enabled" : "machine.network.kubespan.enabled", "needs cluster discovery, which KubeSpan finds its peers through: add a DiscoveryServiceConfig document (or enable cluster.discovery)");
  },
};
