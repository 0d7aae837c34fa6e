// The entry point of the encoder: Talos documents in, Talos's bytes out.

import type { ConfigDocument } from "../load/config.ts";
import { orderDocument } from "./order.ts";
import { writeDocuments } from "./yaml.ts";

/** Encodes a machine config exactly as Talos writes it without comments. */
export function encodeConfig(docs: readonly ConfigDocument[]): string {
  return writeDocuments(docs.map(orderDocument));
}
