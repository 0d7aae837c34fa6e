// How Talos's loader tells what a document is (decoder.go's decode, Talos 1.12 to 1.14): it walks the
// document's top-level nodes, values as well as keys, and on a node "kind" or "apiVersion" decodes the
// node after it into that; a node "machine", "cluster", "debug" or "persist" makes the version
// v1alpha1. So a top-level value "kind" makes the key after it the document's kind, and one that ends
// the document sends the loader past its last node, where it fails. Talos then cannot load the config.

import { LEGACY_KEYS, oncePerSealed, ownKindAndVersion, scalarText } from "../../talos/typed.ts";
import type { Mapping } from "../../value.ts";
import type { Check } from "../types.ts";
import { reportAll, type Found } from "./judged.ts";

const NONE: Found = Object.freeze([]);

function judge(data: Mapping): Found {
  // nearly every document has no top-level value the loader acts on (the values it reads are strings:
  // a number or boolean is never one of its words)
  for (const key in data) {
    const value = data[key];
    if (value === "kind" || value === "apiVersion") return scan(data);
  }
  return NONE;
}

function scan(data: Mapping): Found {
  const keys = Object.keys(data);
  const read: Record<string, string> = { kind: "", apiVersion: "" };
  let odd: [string, string] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = data[key];
    if (key === "kind" || key === "apiVersion") {
      const text = scalarText(value);
      if (text !== undefined) read[key] = text;
    } else if (LEGACY_KEYS.includes(key)) read.apiVersion = "v1alpha1";
    if (value === "kind" || value === "apiVersion") {
      const next = keys[i + 1];
      if (next === undefined) {
        return [[key, `is "${value}" and ends the document: Talos's loader, which takes a top-level value "${value}" for the ${value} key, fails on it (quoting does not help); choose another value, or write ${key} before the document's ${value}`]];
      }
      read[value] = next;
      odd = [key, `is "${value}", which Talos's loader takes for the ${value} key, reading the key after it, "${next}", as this document's ${value}; choose another value, or write ${key} before the document's ${value}`];
    } else if (typeof value === "string" && LEGACY_KEYS.includes(value)) read.apiVersion = "v1alpha1";
  }
  const own = ownKindAndVersion(data);
  return odd !== undefined && (read.kind !== own.kind || read.apiVersion !== own.apiVersion) ? [odd] : NONE;
}

const judged = oncePerSealed(judge);

/** No top-level value makes Talos's loader misread a document's kind or apiVersion. */
export const loaderReading: Check = {
  id: "loader-reading",
  summary: "no top-level value \"kind\" or \"apiVersion\" makes Talos's loader misread what a document is",
  run(ctx, report) {
    // (an index loop: every node runs this, in code the interpreter runs without an iterator per step)
    for (let d = 0; d < ctx.docs.length; d++) reportAll(ctx.docs[d], judged(ctx.docs[d].data), report);
  },
};
