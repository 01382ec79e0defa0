import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { discoverExercises } from "../engine/discover.ts";
import { finish, MAX_POINTS } from "../engine/score.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import { toClassroom } from "./classroom.ts";
import { toGradescope } from "./gradescope.ts";
import { passedPoints, testPoints } from "./points.ts";
import type { ExerciseResult, Report, TestResult } from "./result.ts";

const cents = (xs: number[]) => xs.reduce((s, x) => s + Math.round(x * 100), 0);
/** Adds as Gradescope and Classroom do: plain floating-point sums, rounded to the cent. */
const shown = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) * 100) / 100;

function exercise(dir: string, weights: number[], passed: (i: number) => boolean): ExerciseResult {
  const tests: TestResult[] = weights.map((weight, i) => ({
    name: `t${i}`,
    file: "x.test.ts",
    hidden: i % 2 === 1,
    status: passed(i) ? "pass" : "fail",
    message: passed(i) ? "" : "AssertionError: no",
    output: "",
    reason: passed(i) ? null : "assertion",
    weight,
    time: 0,
  }));
  return finish({
    id: dir.slice(0, 2),
    dir,
    slug: dir.slice(3),
    title: dir,
    score: 0,
    max_score: MAX_POINTS,
    status: "in-progress",
    tests,
    type_errors: [],
    warnings: [],
    time: 0,
  });
}

function report(exercises: ExerciseResult[]): Report {
  const score = cents(exercises.map((e) => e.score)) / 100;
  const max = exercises.length * MAX_POINTS;
  return {
    mode: "submission",
    runs: [{ runtime: "deno", score, max_score: max, exercises, time: 1 }],
    exercises,
    score,
    max_score: max,
    runtime: "deno",
    time: 1,
    warnings: [],
  };
}

describe("testPoints()", () => {
  it("testPoints() shares 10 points over 3 tests of weight 1 as 3.33 + 3.34 + 3.33, never 9.99", () => {
    assert.deepEqual(testPoints(10, [1, 1, 1]), [3.33, 3.34, 3.33]);
    assert.equal(cents(testPoints(10, [1, 1, 1])), 1000);
  });

  it("testPoints() adds up to the cent for awkward weights, each test within a cent of its share", () => {
    const cases: number[][] = [
      [1, 1, 1],
      [1, 1, 1, 1, 1, 1, 1],
      [2, 1, 1, 2, 1, 1, 3],
      [0.5, 1.5, 1, 1],
      Array.from({ length: 49 }, () => 1),
      Array.from({ length: 31 }, (_, i) => 1 + (i % 3)),
      [1, 0, 1],
    ];
    for (const w of cases) {
      const p = testPoints(10, w);
      assert.equal(cents(p), 1000, `weights ${w}`);
      const total = w.reduce((s, x) => s + x, 0);
      for (const [i, x] of p.entries()) {
        assert.ok(Math.abs(x - (10 * w[i]!) / total) < 0.01 + 1e-9, `weights ${w}: test ${i} ${x}`);
      }
    }
    assert.deepEqual(testPoints(10, [1, 0, 1]), [5, 0, 5]);
    assert.deepEqual(testPoints(10, []), []);
    assert.deepEqual(testPoints(10, [0, 0]), [0, 0]);
  });

  it("passedPoints() adds the passed tests' points in cents", () => {
    const t = (weight: number, status: string) => ({ weight, status });
    assert.equal(passedPoints(10, [t(1, "pass"), t(1, "pass"), t(1, "fail")]), 6.67);
    assert.equal(passedPoints(10, [t(1, "fail"), t(1, "pass"), t(1, "pass")]), 6.67);
    assert.equal(passedPoints(10, [t(1, "pass"), t(1, "fail"), t(1, "pass")]), 6.66);
    assert.equal(passedPoints(10, [t(1, "pass"), t(1, "pass"), t(1, "pass")]), 10);
  });
});

describe("per-test points add up in every format", () => {
  it("3 tests of weight 1 in a 10-point exercise: Gradescope and Classroom add up to the score for every outcome", () => {
    for (let mask = 0; mask < 8; mask++) {
      const e = exercise("01_add", [1, 1, 1], (i) => ((mask >> i) & 1) === 1);
      const r = report([e]);
      const g = toGradescope(r);
      assert.equal(shown(g.tests.map((t) => t.max_score)), 10, `mask ${mask}`);
      assert.equal(shown(g.tests.map((t) => t.score)), e.score, `mask ${mask}`);
      assert.equal(g.score, e.score);
      const c = toClassroom(r);
      assert.equal(shown(c.tests.map((t) => t.score)), e.score, `mask ${mask}`);
      for (const t of g.tests) assert.ok(t.score <= t.max_score);
    }
  });

  it(
    "the whole workbook's tests, with its real weights, are worth exactly its total in Gradescope (was 239.08 of 240)",
    { timeout: 120_000 },
    () => {
      const all = discoverExercises(TOOL_ROOT);
      assert.ok(all.length > 1);
      const weightsOf = (ex: (typeof all)[number]) =>
        ex.expected.filter((t) => !t.group).map((t) => ex.meta.weights[t.name] ?? 1);
      const done = all.map((ex) => exercise(ex.dir, weightsOf(ex), () => true));
      const r = report(done);
      const g = toGradescope(r);
      assert.equal(r.max_score, all.length * MAX_POINTS);
      assert.equal(cents(g.tests.map((t) => t.max_score)), r.max_score * 100);
      assert.equal(shown(g.tests.map((t) => t.max_score)), r.max_score);
      assert.equal(shown(g.tests.map((t) => t.score)), r.max_score);
      assert.equal(g.score, r.max_score);
      for (const e of done) assert.equal(e.score, MAX_POINTS, e.dir);
      // Half the tests passed, every other one: the tests still add up to each exercise's score.
      const half = all.map((ex) => exercise(ex.dir, weightsOf(ex), (i) => i % 2 === 0));
      const rh = report(half);
      const gh = toGradescope(rh);
      assert.equal(cents(gh.tests.map((t) => t.score)), Math.round(rh.score * 100));
      assert.equal(
        cents(toClassroom(rh).tests.map((t) => t.score)),
        Math.round(rh.score * 100),
      );
    },
  );
});
