// machine.logging of the v1alpha1 document: Talos sends its service logs to
// each destination over TCP or UDP, as JSON lines, so every destination
// needs a tcp:// or udp:// endpoint with a host, and the json_lines format.

import type { Check } from "../types.ts";
import { documentCheck, type Found } from "./judged.ts";
import { at, child, isSet, list, mapping, quote, str, type Mapping } from "../../value.ts";

const EXAMPLE = "such as udp://10.0.0.1:5140";

/** The scheme (lowercased) and host (with any port) of a URL, read as Go's url.Parse reads them. */
function urlSchemeAndHost(s: string): { scheme: string; host: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s);
  const scheme = m === null ? "" : m[1].toLowerCase();
  const rest = m === null ? s : s.slice(m[0].length);
  if (!rest.startsWith("//")) return { scheme, host: "" };
  const authority = /^[^/?#]*/.exec(rest.slice(2))![0];
  return { scheme, host: authority.slice(authority.lastIndexOf("@") + 1) };
}

// The problems of a v1alpha1 document's destinations (documentCheck runs it once for the nodes sharing the document).
function judge(data: Mapping): Found {
  const found: Array<[string, string]> = [];
  list(at(data, "machine.logging.destinations")).forEach((d, i) => {
    const dest = mapping(d) ?? {};
    const path = child("machine.logging.destinations", i);
    if (!isSet(dest.endpoint)) {
      found.push([`${path}.endpoint`, `is required: where to send the logs, ${EXAMPLE}`]);
    } else {
      const endpoint = str(dest.endpoint);
      const { scheme, host } = urlSchemeAndHost(endpoint);
      if (host === "") found.push([`${path}.endpoint`, `${quote(endpoint)} has no host; expected tcp://host:port or udp://host:port, ${EXAMPLE}`]);
      if (scheme !== "tcp" && scheme !== "udp") {
        const what = scheme === "" ? "has no scheme" : `has scheme ${quote(scheme)}`;
        found.push([`${path}.endpoint`, `${quote(endpoint)} ${what}; expected tcp:// or udp://, ${EXAMPLE}`]);
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
