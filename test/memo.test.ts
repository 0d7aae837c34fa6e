// The bounded cache the compiler's small pure functions share.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { boundedMemo } from "../compiler/memo.ts";

describe("boundedMemo", () => {
  test("remembers undefined results, not throws, and starts again when full", () => {
    const calls: string[] = [];
    const memo = boundedMemo(2, (key: string) => {
      calls.push(key);
      if (key === "bad") throw new Error("bad");
      return key === "none" ? undefined : key.toUpperCase();
    });
    assert.equal(memo("none"), undefined);
    assert.equal(memo("none"), undefined);
    assert.throws(() => memo("bad"), /bad/);
    assert.throws(() => memo("bad"), /bad/);
    assert.equal(memo("a"), "A");
    assert.equal(memo("a"), "A");
    assert.equal(memo("b"), "B");
    assert.equal(memo("a"), "A");
    assert.deepEqual(calls, ["none", "bad", "bad", "a", "b", "a"]);
  });
});
