// Cluster discovery: the service registry's endpoint, and the cluster
// identity (id and secret) every member shares.

import type { Check } from "../types.ts";
import { goURLOptions, type Contract } from "../../talos/contract.ts";
import { REDACTED } from "../../talos/secrets.ts";
import { goURLHostname, goURLMessage, parseGoRequestURI, parseGoURL } from "../../talos/typed.ts";
import { at, quote, str } from "../../value.ts";
import { legacyDiscoveryService } from "./kubespan.ts";

const DEFAULT_ENDPOINT = "https://discovery.talos.dev/";

/** Whether a cluster secret is standard base64 of 32 bytes (or redacted). */
function validClusterSecret(s: string): boolean {
  return s === REDACTED || /^[A-Za-z0-9+/]{43}=$/.test(s);
}

// Why the v1alpha1 discovery service endpoint is not usable, or undefined: Talos reads it with
// url.ParseRequestURI, which cuts off no fragment (https://d.example/#x has the path /#x), and wants
// no path. (The path as written: Go compares it unescaped, but no escape reads as "" or "/" alone.)
// Every node of a cluster names the same endpoint, which parseGoRequestURI reads once.
function legacyEndpointProblem(endpoint: string, contract: Contract): string | undefined {
  const url = parseGoRequestURI(endpoint, goURLOptions(contract));
  if (typeof url === "string") return `is not a valid URL (${url}); expected such as ${DEFAULT_ENDPOINT}`;
  return url.path !== "/" && url.path !== "" ? `has a path; expected the service root, such as ${DEFAULT_ENDPOINT}` : undefined;
}

// Why a DiscoveryServiceConfig endpoint is not usable, or undefined. Talos decodes it with url.Parse
// (a text Go refuses fails with Go's reason, as the parsed-field pass says too, and stands where the
// schema's pattern found the text wrong); the schema asks for its scheme, and Validate for a host.
function endpointProblem(endpoint: string, contract: Contract): string | undefined {
  const url = parseGoURL(endpoint, goURLOptions(contract));
  if (typeof url === "string") return goURLMessage(endpoint, url, `such as ${DEFAULT_ENDPOINT}`);
  return goURLHostname(url.host) === "" ? `${quote(endpoint)} has no host; expected such as ${DEFAULT_ENDPOINT}` : undefined;
}

/** Discovery has a usable endpoint and a cluster identity. */
export const discovery: Check = {
  id: "discovery",
  summary: "cluster discovery has a valid service endpoint and a cluster id and secret",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy !== undefined && legacyDiscoveryService(legacy)) {
      const endpoint = str(at(legacy.data, "cluster.discovery.registries.service.endpoint")) || DEFAULT_ENDPOINT;
      const path = "cluster.discovery.registries.service.endpoint";
      const problem = legacyEndpointProblem(endpoint, ctx.contract);
      if (problem !== undefined) report(legacy, path, `${JSON.stringify(endpoint)} ${problem}`);
      if (str(at(legacy.data, "cluster.id")) === "") report(legacy, "cluster.id", "is required while the discovery service is enabled");
      if (str(at(legacy.data, "cluster.secret")) === "") report(legacy, "cluster.secret", "is required while the discovery service is enabled");
    }
    for (const doc of ctx.ofKind("DiscoveryIdentityConfig")) {
      if (str(doc.data.clusterID) === "") report(doc, "clusterID", "is required: the cluster's shared id, as talosctl gen secrets makes it");
      const secret = str(doc.data.clusterSecret);
      if (secret === "") report(doc, "clusterSecret", "is required: 32 random bytes in base64, as talosctl gen secrets makes it");
      else if (!validClusterSecret(secret)) report(doc, "clusterSecret", "is not valid; expected 32 bytes in standard base64 (44 characters ending in =)");
    }
    if (!ctx.gates.discoveryDocuments) return;
    const services = ctx.ofKind("DiscoveryServiceConfig");
    for (const doc of services) {
      // an endpoint left out is the schema's to report
      const endpoint = str(doc.data.endpoint);
      const problem = endpoint === "" ? undefined : endpointProblem(endpoint, ctx.contract);
      if (problem !== undefined) report(doc, "endpoint", problem);
    }
    if (services.length === 0 && !legacyDiscoveryService(legacy)) return;
    const identity = ctx.ofKind("DiscoveryIdentityConfig")[0];
    const legacyID = legacy === undefined ? "" : str(at(legacy.data, "cluster.id"));
    const legacySecret = legacy === undefined ? "" : str(at(legacy.data, "cluster.secret"));
    const where = services[0] ?? legacy!;
    // the v1alpha1 identity wins when it has either part; otherwise the document's
    const fromLegacy = legacyID !== "" || legacySecret !== "";
    const id = fromLegacy ? legacyID : str(identity?.data.clusterID);
    const secret = fromLegacy ? legacySecret : str(identity?.data.clusterSecret);
    if (id === "") report(where, "", "cluster discovery needs a cluster id: set clusterID in a DiscoveryIdentityConfig document");
    if (secret === "") report(where, "", "cluster discovery needs a cluster secret: set clusterSecret in a DiscoveryIdentityConfig document");
  },
};
