// The benchmark script's arguments: usage on --help, a clear refusal of anything else.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { PACKAGE_ROOT } from "../compiler/paths.ts";

const bench = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", join(PACKAGE_ROOT, "scripts/bench.ts"), ...args], { encoding: "utf8", cwd: PACKAGE_ROOT });

describe("npm run bench", () => {
  test("--help prints the usage and builds nothing", () => {
    const r = bench("--help");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /npm run bench -- \[--sizes 100,1000,10000 \(default\)/);
    assert.match(r.stdout, /--fleet <dir>/);
    // the usage and nothing else: no fleet built, no figures
    assert.equal(r.stderr, "");
    assert.doesNotMatch(r.stdout, /nodes\/s|floor|talc check on the examples/);
  });

  for (const [args, message] of [
    [["--nodes", "0"], /--nodes takes a whole number of nodes per cluster, 1 or more; got "0"/],
    [["--runs", "two"], /--runs takes a whole number of builds, 1 or more; got "two"/],
    [["--sizes", "100,lots"], /--sizes takes a whole number of nodes \(item 2 of a comma-separated list\), 1 or more; got "lots"/],
    [["--fleet"], /--fleet <value>' argument missing/],
    [["--bogus"], /Unknown option '--bogus'/],
  ] as const) {
    test(`${args.join(" ")} is refused with the usage, exit 2`, () => {
      const r = bench(...args);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /npm run bench --/);
      assert.equal(r.stdout, "");
    });
  }
});
