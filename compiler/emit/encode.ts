// The entry point of the encoder: Talos documents in, Talos's bytes out.

import type { ConfigDocument } from "../load/config.ts";
import { isSealed } from "../talos/typed.ts";
import { orderDocument } from "./order.ts";
import { writeDocument, writeDocumentLayout, type Layout } from "./yaml.ts";

// The text of each sealed (never-changing) document: the nodes of a role share most of theirs.
const written = new WeakMap<object, string>();

/** One document's text as encodeConfig writes it (without the `---` that joins documents). */
export function documentText(doc: ConfigDocument): string {
  if (!isSealed(doc)) return writeDocument(orderDocument(doc));
  let text = written.get(doc);
  if (text === undefined) {
    text = writeDocument(orderDocument(doc));
    written.set(doc, text);
  }
  return text;
}

/** Encodes a machine config exactly as Talos writes it without comments. */
export function encodeConfig(docs: readonly ConfigDocument[]): string {
  // documents joined the way Talos joins them: `---` between, none before the first
  return docs.map(documentText).join("---\n");
}

/** One document's text, with where each key and list item is in it. */
export function documentLayout(doc: ConfigDocument): { text: string; layout: Layout } {
  return writeDocumentLayout(orderDocument(doc));
}
