// machine.logging of the v1alpha1 document: Talos sends its service logs to
// each destination over TCP or UDP, as JSON lines, so every destination
// needs a tcp:// or udp:// endpoint with a host, and the json_lines format.
// Talos reads the endpoint with url.Parse as it decodes the config (a text Go
// refuses fails with Go's reason, as the parsed-field pass says too), then
// looks at the scheme and host that url.URL holds.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { goURLOptions, type Contract } from "../../talos/contract.ts";
import { goURLMessage, parseGoURL } from "../../talos/typed.ts";
import { at, child, isSet, list, mapping, quote, str, type Mapping } from "../../value.ts";

const EXAMPLE = "such as udp://10.0.0.1:5140";

// The problems of a v1alpha1 document's destinations (documentCheck runs it once for the nodes sharing the document).
function judge(data: Mapping, contract: Contract): Found {
  const found: Array<[string, string]> = [];
  list(at(data, "machine.logging.destinations")).forEach((d, i) => {
    const dest = mapping(d) ?? {};
    const path = child("machine.logging.destinations", i);
    if (!isSet(dest.endpoint)) {
      found.push([`${path}.endpoint`, `is required: where to send the logs, ${EXAMPLE}`]);
    } else {
      const endpoint = str(dest.endpoint);
      const url = parseGoURL(endpoint, goURLOptions(contract));
      if (typeof url === "string") found.push([`${path}.endpoint`, goURLMessage(endpoint, url, `tcp://host:port or udp://host:port, ${EXAMPLE}`)]);
      else {
        // Talos asks for url.URL's Host, a port alone included (udp://:5140 has one)
        if (url.host === "") found.push([`${path}.endpoint`, `${quote(endpoint)} has no host; expected tcp://host:port or udp://host:port, ${EXAMPLE}`]);
        if (url.scheme !== "tcp" && url.scheme !== "udp") {
          const what = url.scheme === "" ? "has no scheme" : `has scheme ${quote(url.scheme)}`;
          found.push([`${path}.endpoint`, `${quote(endpoint)} ${what}; expected tcp:// or udp://, ${EXAMPLE}`]);
        }
      }
    }
    // the schema refuses other formats; a missing one is refused too
    if (!isSet(dest.format) || dest.format === "") found.push([`${path}.format`, "is required: json_lines, the only format talos sends"]);
  });
  return found;
}

/** Logging destinations have a tcp or udp endpoint with a host, and the json_lines format. */
export const machineLogging: Check = documentCheck({
  id: "machine-logging",
  summary: "machine.logging destinations have a tcp:// or udp:// endpoint with a host, and format json_lines",
  kind: "v1alpha1",
  judge,
});
