// How Talos's loader tells what a document is (decoder.go's decode, Talos 1.12 to 1.14): it walks the
// document's top-level nodes, values as well as keys, and on a node "kind" or "apiVersion" decodes the
// node after it into that; a node "machine", "cluster", "debug" or "persist" makes the version
// v1alpha1. So a top-level value "kind" makes the key after it the document's kind, and one that ends
// the document sends the loader past its last node, where it fails. Talos then cannot load the config.

import { isMapping, type Mapping } from "../../value.ts";
import { oncePerSealedAndContract, scalarText, YamlScalar } from "../../talos/typed.ts";
import type { Check } from "../types.ts";
import type { Found } from "./judged.ts";

const LEGACY = ["machine", "cluster", "debug", "persist"];

// The text of a top-level node as the loader switches on it: a key's name, a scalar value's text.
function nodeText(v: unknown): string | undefined {
  return typeof v === "string" ? v : v instanceof YamlScalar ? v.text : undefined;
}

const NONE: Found = Object.freeze([]);

function judge(data: Mapping): Found {
  // nearly every document has no top-level value the loader acts on
  for (const key in data) {
    const text = nodeText(data[key]);
    if (text === "kind" || text === "apiVersion") return scan(data);
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
    } else if (LEGACY.includes(key)) read.apiVersion = "v1alpha1";
    const text = nodeText(value);
    if (text === "kind" || text === "apiVersion") {
      const next = keys[i + 1];
      if (next === undefined) {
        return [[key, `is "${text}" and ends the document: Talos's loader, which takes a top-level value "${text}" for the ${text} key, fails on it (quoting does not help); choose another value, or write ${key} before the document's ${text}`]];
      }
      read[text] = next;
      odd = [key, `is "${text}", which Talos's loader takes for the ${text} key, reading the key after it, "${next}", as this document's ${text}; choose another value, or write ${key} before the document's ${text}`];
    } else if (text !== undefined && LEGACY.includes(text)) read.apiVersion = "v1alpha1";
  }
  const own = { kind: scalarText(data.kind) ?? "", apiVersion: LEGACY.some((k) => Object.hasOwn(data, k)) ? "v1alpha1" : (scalarText(data.apiVersion) ?? "") };
  return odd !== undefined && (read.kind !== own.kind || read.apiVersion !== own.apiVersion) ? [odd] : NONE;
}

const judged = oncePerSealedAndContract((data: Mapping) => judge(data));

/** No top-level value makes Talos's loader misread a document's kind or apiVersion. */
export const loaderReading: Check = {
  id: "loader-reading",
  summary: "no top-level value \"kind\" or \"apiVersion\" makes Talos's loader misread what a document is",
  run(ctx, report) {
    // (index loops: every node runs this, in code the interpreter runs without an iterator per step)
    for (let d = 0; d < ctx.docs.length; d++) {
      const doc = ctx.docs[d];
      const found = isMapping(doc.data) ? judged(doc.data, ctx.contract) : NONE;
      for (let i = 0; i < found.length; i++) report(doc, found[i][0], found[i][1]);
    }
  },
};
