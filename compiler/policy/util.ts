// Small helpers the policy stage shares: config paths, messages, globs and
// "did you mean".

import { boundedMemo } from "../memo.ts";
import { closest } from "../suggest.ts";

/** Segments of a config path as rules write it: `a.b[0]["x.y"]` → ["a", "b", 0, "x.y"]. */
export function parsePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === ".") {
      i++;
    } else if (ch === "[") {
      const end = path[i + 1] === '"' ? path.indexOf('"]', i + 2) + 1 : path.indexOf("]", i);
      const inner = path.slice(i + 1, end < 0 ? path.length : end);
      out.push(inner.startsWith('"') ? (JSON.parse(inner) as string) : Number(inner));
      i = end < 0 ? path.length : end + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** Fills `{name}` placeholders of a message from data; unknown placeholders stay as written. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (m, name: string) => (Object.hasOwn(data, name) ? String(data[name]) : m));
}

// A waiver's glob is matched against every node a finding concerns: each is made a RegExp once.
const globRegExp = boundedMemo(1_000, (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`));

/** Whether a hostname matches a glob of `*` (any run of characters) and `?` (one character). */
export function globMatch(glob: string, text: string): boolean {
  return globRegExp(glob).test(text);
}

/** The message for a rule id that is not a rule: the closest rule id, else where the ids are listed. */
export function unknownRuleMessage(id: string, ids: readonly string[]): string {
  const guess = closest(id, ids);
  return `unknown rule "${id}"; ${guess === undefined ? "see 'talc rules' for the rule ids" : `did you mean "${guess}"?`}`;
}

// A config path with one more key or index (`a.b`, `a[0]`, `a["x.y"]`), as validation writes them.
export { child } from "../value.ts";
export { closest };
