// talc's version, read from its package.json: the one place it is written.

import pkg from "../package.json" with { type: "json" };

/** talc's version, e.g. "0.1.0". */
export const VERSION: string = pkg.version;
