// KubePrismConfig (1.14) runs the local Kubernetes API load balancer on a port.

import type { Check } from "../types.ts";
import { num, quote } from "../../value.ts";

/** KubePrismConfig has a port from 1 to 65535. */
export const docKubePrism: Check = {
  id: "doc-kubeprism",
  summary: "a KubePrismConfig listens on a port from 1 to 65535",
  run(ctx, report) {
    if (!ctx.gates.kubernetesDocuments) return;
    // one number per document: cheaper to compare than to look up a memo
    for (const doc of ctx.ofKind("KubePrismConfig")) {
      const port = num(doc.data.port);
      if (port <= 0 || port > 65535) report(doc, "port", `${quote(doc.data.port ?? 0)} is not a port; expected 1 to 65535, such as 7445`);
    }
  },
};
