/** Where the code caches are (dist/code-cache/). */
export const CODE_CACHE_DIR: string;
/** Where the cache of a module with this text is. */
export function cacheFile(text: Uint8Array): string;
/** Runs a CommonJS module from its V8 code cache where V8 takes it, and returns its exports. */
export function requireCached(file: string, require?: (id: string) => unknown): any;
/** requireCached of a module that may not be there: undefined when it is not. */
export function requireIfPresent(file: string): any;
/** Loads a module of the bundled CLI, and the bundle's modules it requires, from their code caches. */
export function requireBundled(entry: string): any;
