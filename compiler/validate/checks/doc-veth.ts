// A VethConfig (1.14) creates a pair of linked interfaces, so the kernel names both ends itself:
// each name must be one it takes. Addresses, routes and the first end's name being set are
// link-documents' concern; a peer named like its own end, unique-documents'.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { mapping, quote, str, type Mapping } from "../../value.ts";

// Go's unicode.IsPrint without unicode.IsSpace: letters, marks, numbers, punctuation and symbols
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]*$/u;

/** Why the kernel would refuse an interface name, or undefined when it takes it. */
function linkNameProblem(name: string): string | undefined {
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > 15) return `${quote(name)} is ${bytes} bytes long; an interface name has at most 15`;
  if (name === "." || name === "..") return `${quote(name)} cannot name an interface`;
  if (/[/:]/.test(name)) return `${quote(name)} contains "/" or ":", which an interface name cannot`;
  if (!PRINTABLE.test(name)) return `${quote(name)} contains whitespace or a non-printable character, which an interface name cannot`;
  return undefined;
}

const EXAMPLE = "such as veth0";

function judgeVeth(data: Mapping): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  // an empty name is reported by link-documents
  const name = str(data.name);
  const nameProblem = name === "" ? undefined : linkNameProblem(name);
  if (nameProblem !== undefined) problems.push(["name", `${nameProblem}; expected a kernel interface name, ${EXAMPLE}`]);
  const peer = mapping(data.peer);
  const peerName = str(peer?.name);
  if (peerName === "") problems.push([peer === undefined ? "peer" : "peer.name", `${peer === undefined ? "is required: the other end of the pair, with its name" : "is required: the name of the other end of the pair"}, such as veth1`]);
  else {
    const peerProblem = linkNameProblem(peerName);
    if (peerProblem !== undefined) problems.push(["peer.name", `${peerProblem}; expected a kernel interface name, such as veth1`]);
  }
  return problems;
}

/** VethConfig names both ends as the kernel takes them. */
export const docVeth: Check = documentCheck({
  id: "doc-veth",
  summary: "a VethConfig names both ends of the pair with kernel interface names: at most 15 bytes, printable, no whitespace, / or :, not . or ..",
  kind: "VethConfig",
  judge: judgeVeth,
});
