// The entry point of the encoder: Talos documents in, Talos's bytes out.

import type { ConfigDocument } from "../load/config.ts";
import { oncePerSealed } from "../talos/typed.ts";
import { orderDocument } from "./order.ts";
import { writeDocument, writeDocumentLayout, type Layout } from "./yaml.ts";

/** One document's text as encodeConfig writes it (without the `---` that joins documents); the nodes of a role share most documents, each written once. */
export const documentText: (doc: ConfigDocument) => string = oncePerSealed((doc: ConfigDocument) => writeDocument(orderDocument(doc)));

/** Encodes a machine config exactly as Talos writes it without comments. */
export function encodeConfig(docs: readonly ConfigDocument[]): string {
  // documents joined the way Talos joins them: `---` between, none before the first
  return docs.map(documentText).join("---\n");
}

/** Where each key and list item is in one document's text. */
export function documentLayout(doc: ConfigDocument): Layout {
  return writeDocumentLayout(orderDocument(doc));
}
