// A short, fixed-seed run of the fuzzer (scripts/fuzz.ts) over definitions,
// TypeScript sources, patches and config files: no input may crash talc,
// touch Object.prototype or leak a secret. Longer runs: npm run fuzz.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { fuzz, jsLiteral, main, rng, TARGETS } from "../scripts/fuzz.ts";

const SCRIPT = fileURLToPath(new URL("../scripts/fuzz.ts", import.meta.url));
const PROJECT = fileURLToPath(new URL("../", import.meta.url));

describe("the fuzzer", () => {
  test("200 mutated inputs with a fixed seed: no crash, no leak", async () => {
    const report = await fuzz({ iterations: 200, seed: 424242 });
    assert.deepEqual(
      report.crashes.map((c) => `${c.target} #${c.iteration}: ${c.error.split("\n")[0]}`),
      [],
      "run `npm run fuzz -- --iterations 200 --seed 424242 --save` to keep the inputs as regressions",
    );
    for (const target of TARGETS) {
      const o = report.outcomes[target];
      assert.ok(o.accepted + o.rejected > 0, `${target} was never fuzzed`);
    }
    assert.ok(report.outcomes.definition.accepted > 0 && report.outcomes.patch.accepted > 0, "mutations should leave some inputs valid");
    assert.ok(report.slowest.ms < 5000, `an input took ${report.slowest.ms}ms (${report.slowest.target} #${report.slowest.iteration})`);
  });

  test("is deterministic: the same seed gives the same run", async () => {
    const a = await fuzz({ iterations: 40, seed: 7, targets: ["definition", "patch", "config"] });
    const b = await fuzz({ iterations: 40, seed: 7, targets: ["definition", "patch", "config"] });
    assert.deepEqual(b.outcomes, a.outcomes);
    // the generator is the same on every machine and Node version: its first numbers are fixed
    const r = rng(99);
    assert.deepEqual([r(), r(), r()], [0.2604658124037087, 0.8048227655235678, 0.5408715349622071]);
  });

  test("writes reproducers that keep what JSON cannot say", () => {
    assert.equal(jsLiteral({ a: [NaN, -0, undefined, 1n] }), '{\n  "a": [\n    NaN,\n    -0,\n    undefined,\n    1n,\n  ],\n}');
    const proto = JSON.parse('{"__proto__": 1}') as unknown;
    assert.match(jsLiteral(proto), /\["__proto__"\]: 1/);
  });

  test("runs from the command line with --iterations and --seed", async () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, "--iterations", "10", "--seed", "3", "--target", "patch"], { cwd: PROJECT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^patch +accepted \d+, rejected \d+, crashed 0$/m);
    assert.match(r.stdout, /10 iterations, seed 3/);
    for (const args of [["--iterations", "many"], ["--target", "nothing"], ["--frobnicate"]]) assert.equal(await main(args), 2, args.join(" "));
  });
});
