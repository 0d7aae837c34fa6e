// Hashing a path for "nothing changed" assertions, links included.

import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/** A hash of a path: files by bytes and mode, links by target (never followed), folders by their entries. */
export function pathHash(path: string): string {
  const h = createHash("sha256");
  const walk = (p: string, rel: string): void => {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      h.update(`${rel}\0absent\0`);
      return;
    }
    if (st.isSymbolicLink()) h.update(`${rel}\0link\0${readlinkSync(p)}\0`);
    else if (st.isDirectory()) {
      h.update(`${rel}\0dir\0`);
      for (const name of readdirSync(p).sort()) walk(join(p, name), `${rel}/${name}`);
    } else h.update(`${rel}\0file\0${(st.mode & 0o777).toString(8)}\0`).update(readFileSync(p));
  };
  walk(path, "");
  return h.digest("hex");
}
