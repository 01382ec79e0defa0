// seededRandom(): mulberry32, the same numbers for a seed on every run and on both runtimes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import "../mod.ts";
import { seededRandom } from "./random.ts";

const take = (next: () => number, n: number) => Array.from({ length: n }, () => next());

describe("seededRandom()", () => {
  it("seededRandom() gives mulberry32's first values for seeds 0, 1 and 42", () => {
    assert.deepEqual(take(seededRandom(0), 3), [
      0.26642920868471265,
      0.0003297457005828619,
      0.2232720274478197,
    ]);
    assert.deepEqual(take(seededRandom(1), 3), [
      0.6270739405881613,
      0.002735721180215478,
      0.5274470399599522,
    ]);
    assert.deepEqual(take(seededRandom(42), 3), [
      0.6011037519201636,
      0.44829055899754167,
      0.8524657934904099,
    ]);
  });

  it("seededRandom() repeats the whole sequence for one seed", () => {
    assert.deepEqual(take(seededRandom(7), 500), take(seededRandom(7), 500));
  });

  it("seededRandom(): two sources of one seed do not share state", () => {
    const a = seededRandom(9), b = seededRandom(9);
    const first = a();
    a();
    a();
    assert.equal(b(), first, "drawing from a does not advance b");
  });

  it("seededRandom() gives different sequences for neighbouring seeds", () => {
    const seqs = [1, 2, 3, 4].map((s) => take(seededRandom(s), 5).join());
    assert.equal(new Set(seqs).size, 4);
  });

  it("seededRandom() stays in [0, 1) in steps of 2^-32, spread evenly", () => {
    const xs = take(seededRandom(123), 20_000);
    assert.ok(xs.every((x) => x >= 0 && x < 1), "every value in [0, 1)");
    assert.ok(xs.every((x) => Number.isInteger(x * 2 ** 32)), "every value a multiple of 2^-32");
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean} is near 0.5`);
    const deciles = new Array(10).fill(0);
    for (const x of xs) deciles[Math.floor(x * 10)]++;
    assert.ok(deciles.every((n) => n > 1800 && n < 2200), `deciles ${deciles} are even`);
    assert.ok(new Set(xs).size > 19_900, "values hardly repeat");
  });

  it("seededRandom() reads the seed as a 32-bit unsigned integer", () => {
    const ref = take(seededRandom(5), 4);
    assert.deepEqual(take(seededRandom(5.9), 4), ref, "the fraction is cut");
    assert.deepEqual(take(seededRandom(2 ** 32 + 5), 4), ref, "bits above 32 are dropped");
    assert.deepEqual(take(seededRandom(-1), 4), take(seededRandom(0xffffffff), 4));
    assert.deepEqual(take(seededRandom(-0), 4), take(seededRandom(0), 4));
  });

  it("seededRandom() refuses a seed that is not a finite number, with a RangeError naming it", () => {
    for (const seed of [NaN, Infinity, -Infinity]) {
      assert.throws(() => seededRandom(seed), {
        name: "RangeError",
        message:
          `Cannot create a seeded random source: seed must be a finite number; received ${seed}`,
      });
    }
  });
});
