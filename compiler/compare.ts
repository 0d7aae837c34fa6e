// Orderings that do not depend on the locale, so output sorts the same on every machine.

/** Orders strings by UTF-16 code unit. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders [key, value] entries by key, by code unit. */
export function byEntryKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return byCodeUnit(a[0], b[0]);
}
