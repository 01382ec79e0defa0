/**
 * Points per test, in cents, that add up exactly: an exercise's points are shared out by weight
 * with cumulative rounding. So three tests of weight 1 in a 10-point exercise are worth 3.33, 3.34
 * and 3.33, never 3.33 three times (9.99), and the tests of a workbook add up to its total. An exercise's score is the sum of its passed tests' points (engine/score.ts), so every
 * format that shows points per test (Gradescope, Classroom) adds up to the score shown.
 *
 * @module
 */

/**
 * Shares `points` out over tests by weight, to the cent.
 *
 * @param points The exercise's points (two decimals at most).
 * @param weights Each test's weight, in order.
 * @returns Each test's points; they add up to `points` exactly (in cents), or all 0 when the
 *   weights add up to 0.
 *
 * @example
 * ```ts
 * testPoints(10, [1, 1, 1]); // [3.33, 3.34, 3.33]
 * ```
 */
export function testPoints(points: number, weights: readonly number[]): number[] {
  const cents = Math.round(points * 100);
  const w = weights.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  const total = w.reduce((s, x) => s + x, 0);
  if (total <= 0 || cents <= 0) return weights.map(() => 0);
  // Cumulative rounding: each running total is rounded to the cent, each test gets the step. The
  // last running total is the exercise's points exactly, each test is within a cent of its exact
  // share, and the extra cents are spread over the tests rather than heaped on the first ones.
  let sum = 0;
  let before = 0;
  return w.map((x) => {
    sum += x;
    const upTo = Math.round((cents * sum) / total);
    const mine = upTo - before;
    before = upTo;
    return mine / 100;
  });
}

/**
 * The points of the passed tests, added in cents (no floating-point drift).
 *
 * @param points The exercise's points.
 * @param tests The tests, with their weight and status.
 * @returns The sum, to the cent.
 *
 * @example
 * ```ts
 * passedPoints(10, [{ weight: 1, status: "pass" }, { weight: 2, status: "fail" }]); // 3.33
 * ```
 */
export function passedPoints(
  points: number,
  tests: readonly { weight: number; status: string }[],
): number {
  const each = testPoints(points, tests.map((t) => t.weight));
  const cents = tests.reduce(
    (s, t, i) => s + (t.status === "pass" ? Math.round(each[i]! * 100) : 0),
    0,
  );
  return cents / 100;
}
