// Probe documents test a machine's connectivity: TCPProbeConfig (1.13+) dials a host:port,
// HTTPProbeConfig (1.14) fetches a URL. Each is named, has a target, and no negative time or count
// (the schema takes a leading minus on a duration, and any integer).

import type { Check } from "../types.ts";
import { goURLOptions, type Contract } from "../../talos/contract.ts";
import { documentCheck } from "./judged.ts";
import { goURLHostname, goURLMessage, parseGoDuration, parseGoURL } from "../../talos/typed.ts";
import { quote, str, type Mapping } from "../../value.ts";

type Problems = Array<[string, string]>;

/** Each probe's timeout, and the interval and threshold both share, in the order Talos reports them. */
function common(data: Mapping, problems: Problems): void {
  for (const [key, what] of [["timeout", "how long one probe may take, such as 10s"], ["interval", "the time between probes, such as 1s"]] as const) {
    const text = str(data[key]);
    const ns = text === "" ? undefined : parseGoDuration(text);
    if (ns !== undefined && ns < 0n) problems.push([key, `${quote(text)} is negative; expected ${what} (or left out for the default)`]);
  }
  const threshold = data.failureThreshold;
  if (typeof threshold === "number" && threshold < 0) problems.push(["failureThreshold", `${threshold} is negative; expected the number of failed probes before the target counts as down, such as 3`]);
}

function name(data: Mapping, problems: Problems): void {
  if (str(data.name) === "") problems.push(["name", "is required: a name for the probe, such as proxy-check"]);
}

function judgeTCP(data: Mapping): Problems {
  const problems: Problems = [];
  name(data, problems);
  if (str(data.endpoint) === "") problems.push(["endpoint", "is required: the host and port to dial, such as proxy.example.com:3128"]);
  common(data, problems);
  return problems;
}

function judgeHTTP(data: Mapping, contract: Contract): Problems {
  const problems: Problems = [];
  name(data, problems);
  const text = str(data.url);
  const example = "an http or https URL such as https://example.com/healthz";
  if (text === "") problems.push(["url", `is required: ${example}`]);
  else {
    const url = parseGoURL(text, goURLOptions(contract));
    // Talos reads the scheme in any letter case
    if (typeof url === "string") problems.push(["url", goURLMessage(text, url, example)]);
    else if (url.scheme !== "http" && url.scheme !== "https") problems.push(["url", `${quote(text)} has scheme ${quote(url.scheme)}; expected ${example}`]);
    else if (url.opaque !== "" || goURLHostname(url.host) === "") problems.push(["url", `${quote(text)} has no host; expected ${example}`]);
  }
  common(data, problems);
  return problems;
}

/** TCPProbeConfig has a name and an endpoint, and no negative interval, timeout or threshold. */
export const docTCPProbe: Check = documentCheck({
  id: "doc-tcp-probe",
  summary: "a TCPProbeConfig has a name and an endpoint, and no negative interval, timeout or failureThreshold",
  kind: "TCPProbeConfig",
  judge: judgeTCP,
});

/** HTTPProbeConfig has a name and an http(s) URL with a host, and no negative interval, timeout or threshold. */
export const docHTTPProbe: Check = documentCheck({
  id: "doc-http-probe",
  summary: "an HTTPProbeConfig has a name and an http or https url with a host, and no negative interval, timeout or failureThreshold",
  kind: "HTTPProbeConfig",
  judge: judgeHTTP,
});
