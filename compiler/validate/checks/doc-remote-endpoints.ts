// Documents that make a machine talk to a remote service: SideroLinkConfig
// (Omni), KmsgLogConfig (kernel log shipping) and EventSinkConfig (event
// streaming). Each needs an address Talos can dial, read as Go's url.Parse
// and net.SplitHostPort read them.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { quote, str, type Mapping } from "../../value.ts";

/** The parts of a URL as Go's url.Parse gives them, or undefined where it fails. */
function goURL(s: string): { scheme: string; path: string; port: string } | undefined {
  const noFragment = s.split("#")[0];
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(noFragment);
  if (noFragment.startsWith(":")) return undefined;
  const scheme = m === null ? "" : m[1].toLowerCase();
  let rest = (m === null ? noFragment : m[2]).split("?")[0];
  let port = "";
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const host = authority.slice(authority.lastIndexOf("@") + 1);
    const colon = host.lastIndexOf(":");
    const bracket = host.lastIndexOf("]");
    if (colon > bracket) {
      port = host.slice(colon + 1);
      if (!/^[0-9]*$/.test(port)) return undefined;
    }
  }
  return { scheme, path: rest, port };
}

/** Why Go's net.SplitHostPort refuses a host:port, or undefined when it accepts it. */
function splitHostPortProblem(s: string): string | undefined {
  const i = s.lastIndexOf(":");
  if (i < 0) return "has no port";
  let j = 0;
  let k = 0;
  if (s.startsWith("[")) {
    const end = s.indexOf("]");
    if (end < 0) return "has a [ without its ]";
    if (end + 1 === s.length) return "has no port";
    if (end + 1 !== i) return s[end + 1] === ":" ? "has too many colons" : "has no port";
    j = 1;
    k = end + 1;
  } else if (s.slice(0, i).includes(":")) {
    return "has too many colons; write an IPv6 address in brackets, such as [fd00::1]:4000";
  }
  if (s.slice(j).includes("[")) return "has an unexpected [";
  if (s.slice(k).includes("]")) return "has an unexpected ]";
  return undefined;
}

type Problems = Array<[string, string]>;

function judgeSideroLink(data: Mapping): Problems {
  const text = str(data.apiUrl);
  if (text === "") return [["apiUrl", "is required: the Omni SideroLink API URL, such as https://omni.example.com"]];
  const url = goURL(text);
  if (url === undefined) return [["apiUrl", `${quote(text)} is not a valid URL; expected such as https://omni.example.com`]];
  if (url.scheme !== "https" && url.scheme !== "grpc") return [["apiUrl", `${quote(text)} has scheme ${quote(url.scheme)}; expected https:// or grpc://`]];
  if (url.path !== "" && url.path !== "/") return [["apiUrl", `${quote(text)} has a path; expected the API root, such as https://omni.example.com/?jointoken=...`]];
  return [];
}

function judgeKmsgLog(data: Mapping): Problems {
  // Talos stops at the first problem
  if (str(data.name) === "") return [["name", "is required: a name for this log destination"]];
  const text = str(data.url);
  if (text === "") return [["url", "is required: where to send kernel logs, such as udp://10.0.0.1:5140"]];
  const url = goURL(text);
  if (url === undefined) return [["url", `${quote(text)} is not a valid URL; expected such as udp://10.0.0.1:5140`]];
  if (url.scheme !== "tcp" && url.scheme !== "udp") return [["url", `${quote(text)} has scheme ${quote(url.scheme)}; expected tcp:// or udp://`]];
  if (url.path !== "" && url.path !== "/") return [["url", `${quote(text)} has a path; expected only a host and port, such as udp://10.0.0.1:5140`]];
  if (url.port === "") return [["url", `${quote(text)} has no port; expected a host and port, such as udp://10.0.0.1:5140`]];
  return [];
}

function judgeEventSink(data: Mapping): Problems {
  const endpoint = str(data.endpoint);
  if (endpoint === "") return [["endpoint", "is required: the host and port to stream events to, such as 10.0.0.1:4002"]];
  const problem = splitHostPortProblem(endpoint);
  return problem === undefined ? [] : [["endpoint", `${quote(endpoint)} ${problem}; expected host:port, such as 10.0.0.1:4002`]];
}

/** SideroLink, kernel log and event sink documents name an address Talos can dial. */
export const docRemoteEndpoints: Check = documentCheck({
  id: "doc-remote-endpoints",
  summary: "SideroLinkConfig has an https or grpc apiUrl without a path, KmsgLogConfig a name and a tcp or udp url with a port, EventSinkConfig a host:port endpoint",
  judges: [
    ["SideroLinkConfig", judgeSideroLink],
    ["KmsgLogConfig", judgeKmsgLog],
    ["EventSinkConfig", judgeEventSink],
  ],
});
