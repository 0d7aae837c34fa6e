// Documents that make a machine talk to a remote service: SideroLinkConfig
// (Omni), KmsgLogConfig (kernel log shipping) and EventSinkConfig (event
// streaming). Each needs an address Talos can dial, read as Go's url.Parse
// and net.SplitHostPort read them.

import type { Check } from "../types.ts";
import { goURLOptions, type Contract } from "../../talos/contract.ts";
import { documentCheck } from "./judged.ts";
import { goURLMessage, goURLPort, parseGoURL } from "../../talos/typed.ts";
import { quote, str, type Mapping } from "../../value.ts";

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

function judgeSideroLink(data: Mapping, contract: Contract): Problems {
  const text = str(data.apiUrl);
  if (text === "") return [["apiUrl", "is required: the Omni SideroLink API URL, such as https://omni.example.com"]];
  const url = parseGoURL(text, goURLOptions(contract));
  if (typeof url === "string") return [["apiUrl", goURLMessage(text, url, "such as https://omni.example.com")]];
  if (url.scheme !== "https" && url.scheme !== "grpc") return [["apiUrl", `${quote(text)} has scheme ${quote(url.scheme)}; expected https:// or grpc://`]];
  // (the path as written: Go compares it unescaped, but no escape reads as "" or "/" alone)
  if (url.path !== "" && url.path !== "/") return [["apiUrl", `${quote(text)} has a path; expected the API root, such as https://omni.example.com/?jointoken=...`]];
  return [];
}

function judgeKmsgLog(data: Mapping, contract: Contract): Problems {
  // Talos stops at the first problem
  if (str(data.name) === "") return [["name", "is required: a name for this log destination"]];
  const text = str(data.url);
  if (text === "") return [["url", "is required: where to send kernel logs, such as udp://10.0.0.1:5140"]];
  const url = parseGoURL(text, goURLOptions(contract));
  if (typeof url === "string") return [["url", goURLMessage(text, url, "such as udp://10.0.0.1:5140")]];
  if (url.scheme !== "tcp" && url.scheme !== "udp") return [["url", `${quote(text)} has scheme ${quote(url.scheme)}; expected tcp:// or udp://`]];
  if (url.path !== "" && url.path !== "/") return [["url", `${quote(text)} has a path; expected only a host and port, such as udp://10.0.0.1:5140`]];
  if (goURLPort(url.host) === "") return [["url", `${quote(text)} has no port; expected a host and port, such as udp://10.0.0.1:5140`]];
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
