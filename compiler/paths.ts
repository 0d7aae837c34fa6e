// Where talc's own files are. Both the sources (compiler/*.ts) and the bundled
// CLI (dist/*.cjs) sit one folder below the package root, so every module that
// reads a file of the package finds it from here, whichever form is running.

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's root folder, with a trailing separator. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** A file or folder of the package. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** Where `npm install` puts the precompiled schema validators (scripts/validators.ts). */
export const COMPILED_VALIDATORS = packagePath("compiler", "validate", "compiled");
