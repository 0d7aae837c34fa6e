// EnvironmentConfig (1.13+) sets environment variables for Talos's own services: each name is
// one POSIX shells take (a letter or underscore, then letters, digits and underscores).

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { child, mapping, quote, type Mapping } from "../../value.ts";

const POSIX_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function judge(data: Mapping): Array<[string, string]> {
  return Object.keys(mapping(data.variables) ?? {})
    .filter((name) => !POSIX_NAME.test(name))
    .map((name): [string, string] => [child("variables", name), `${quote(name)} is not a valid environment variable name; expected a letter or underscore followed by letters, digits and underscores, such as HTTP_PROXY`]);
}

/** EnvironmentConfig's variables have POSIX names. */
export const docEnvironment: Check = documentCheck({
  id: "doc-environment",
  summary: "an EnvironmentConfig names its variables as POSIX does: a letter or underscore, then letters, digits and underscores",
  kind: "EnvironmentConfig",
  judge,
});
