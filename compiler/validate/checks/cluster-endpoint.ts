// The Kubernetes API endpoint every node joins: required, and a URL with a
// host and a valid port. Talos decodes it with url.Parse, so a text Go refuses
// fails with Go's reason (the parsed-field pass's message, said here again so
// that it also stands where the schema's pattern found the text wrong), and
// checks the URL as Go prints it with siderolabs/net's ValidateEndpointURI.

import type { Check, Doc, Report } from "../types.ts";
import { goURLOptions, type Contract } from "../../talos/contract.ts";
import { formatGoURL, goURLMessage, parseGoURL } from "../../talos/typed.ts";
import { endpointProblem } from "../net.ts";
import { at, isSet, mapping, quote, str } from "../../value.ts";

function checkURL(doc: Doc, path: string, value: string, contract: Contract, report: Report): void {
  const opts = goURLOptions(contract);
  const url = parseGoURL(value, opts);
  if (typeof url === "string") return report(doc, path, goURLMessage(value, url, "a URL such as https://192.168.1.10:6443"));
  const why = endpointProblem(formatGoURL(url), opts);
  if (why !== undefined) report(doc, path, `${quote(value)} ${why}; expected a URL such as https://192.168.1.10:6443`);
}

/** The cluster endpoint is set and is a valid URL. */
export const clusterEndpoint: Check = {
  id: "cluster-endpoint",
  summary: "the cluster endpoint is set and is a URL with a host and a valid port",
  run(ctx, report) {
    const legacy = ctx.legacy;
    const cluster = legacy === undefined ? undefined : mapping(legacy.data.cluster);
    if (legacy !== undefined && cluster !== undefined) {
      const controlPlane = mapping(cluster.controlPlane);
      // until 1.14 the endpoint lives only here; from 1.14 it may move to KubeClusterConfig
      const required = !ctx.gates.kubernetesDocuments || controlPlane !== undefined;
      const endpoint = controlPlane?.endpoint;
      if (!isSet(endpoint) || endpoint === "") {
        if (required) report(legacy, "cluster.controlPlane.endpoint", "is required: set the Kubernetes API endpoint, such as https://192.168.1.10:6443");
      } else if (typeof endpoint === "string") checkURL(legacy, "cluster.controlPlane.endpoint", endpoint, ctx.contract, report);
    }
    for (const d of ctx.ofKind("KubeClusterConfig")) {
      if (str(d.data.clusterName) === "") report(d, "clusterName", "is required: name the cluster");
      const endpoint = at(d.data, "endpoint");
      if (typeof endpoint !== "string" || endpoint === "") report(d, "endpoint", "is required: set the Kubernetes API endpoint, such as https://192.168.1.10:6443");
      else checkURL(d, "endpoint", endpoint, ctx.contract, report);
    }
  },
};
