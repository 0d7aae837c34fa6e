// The entry point of the encoder: Talos documents in, Talos's bytes out.

import type { ConfigDocument } from "../load/config.ts";
import { DEFAULT_CONTRACT, type Contract } from "../talos/contract.ts";
import { oncePerSealedAndContract } from "../talos/typed.ts";
import { orderDocument } from "./order.ts";
import { yamlDialect } from "./scalar.ts";
import { writeDocument, writeDocumentLayout, type Layout } from "./yaml.ts";

// Each contract's release writes a few strings differently (see YamlDialect), so texts are remembered per contract.
const textOf = oncePerSealedAndContract((doc: ConfigDocument, contract: Contract) => writeDocument(orderDocument(doc), yamlDialect(contract)));

/**
 * One document's text as encodeConfig writes it (without the `---` that joins documents); the
 * nodes of a role share most documents, each written once. `contract` picks the Talos release
 * whose talosctl writes it (the newest when none is given).
 */
export function documentText(doc: ConfigDocument, contract: Contract = DEFAULT_CONTRACT): string {
  return textOf(doc, contract);
}

/** Encodes a machine config exactly as the talosctl of the contract's release writes it without comments. */
export function encodeConfig(docs: readonly ConfigDocument[], contract: Contract = DEFAULT_CONTRACT): string {
  // documents joined the way Talos joins them: `---` between, none before the first
  return docs.map((doc) => documentText(doc, contract)).join("---\n");
}

/** Where each key and list item is in one document's text. */
export function documentLayout(doc: ConfigDocument, contract: Contract = DEFAULT_CONTRACT): Layout {
  return writeDocumentLayout(orderDocument(doc), yamlDialect(contract));
}
