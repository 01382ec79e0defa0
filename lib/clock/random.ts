/**
 * A seeded pseudo-random source (mulberry32): the same sequence on every run and on both
 * runtimes, so jitter and shuffles are reproducible.
 *
 * @module
 */
import { $imul, $isFinite, $RangeError } from "./intrinsics.ts";

/**
 * Creates a seeded random function returning numbers in [0, 1).
 *
 * @param seed Any 32-bit integer.
 * @returns A function like `Math.random`, deterministic for the seed.
 *
 * @example
 * ```ts
 * import { seededRandom } from "./random.ts";
 * const a = seededRandom(42), b = seededRandom(42);
 * a() === b(); // true
 * ```
 */
export function seededRandom(seed: number): () => number {
  if (!$isFinite(seed)) {
    throw new $RangeError(
      `Cannot create a seeded random source: seed must be a finite number; received ${seed}`,
    );
  }
  let state = seed >>> 0;
  return function random() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = $imul(t ^ (t >>> 15), t | 1);
    t ^= t + $imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
