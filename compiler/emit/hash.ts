// The content hash talc records for every file it writes.

import { createHash } from "node:crypto";

/** The sha256 of a file's bytes, as hex. */
export function sha256(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}
