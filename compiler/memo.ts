// A cache that stays bounded over a long run, for the compiler's many small
// pure functions called with the same arguments over and over.

/**
 * `compute` remembered for up to `limit` keys; when full it starts again, so a long run keeps a bounded amount.
 * The key alone must decide the result: `input` (what the key was made from) only reaches `compute` on a miss.
 */
export function boundedMemo<K, V, I = void>(limit: number, compute: (key: K, input: I) => V): (key: K, input: I) => V {
  const results = new Map<K, V>();
  return (key, input) => {
    const known = results.get(key);
    // has() only when get() is inconclusive: an undefined result is remembered too.
    if (known !== undefined || results.has(key)) return known as V;
    const result = compute(key, input);
    if (results.size >= limit) results.clear();
    results.set(key, result);
    return result;
  };
}
