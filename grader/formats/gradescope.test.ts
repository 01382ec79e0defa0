import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatGradescope, toGradescope } from "./gradescope.ts";
import type { ExerciseResult } from "./result.ts";
import { sampleExercise, sampleReport } from "./testdata/sample_report.ts";

const exercise = sampleExercise();
const report = sampleReport(exercise);

describe("toGradescope()", () => {
  it("toGradescope() writes results.json: score, execution_time, output, tests with visibility", () => {
    const g = toGradescope(report);
    assert.equal(typeof g.score, "number");
    assert.equal(typeof g.execution_time, "number");
    assert.equal(typeof g.output, "string");
    assert.equal(g.tests.length, 4);
    for (const t of g.tests) {
      assert.equal(typeof t.score, "number");
      assert.equal(typeof t.max_score, "number");
      assert.ok(t.status === "passed" || t.status === "failed");
      assert.equal(typeof t.name, "string");
      assert.equal(typeof t.output, "string");
      assert.ok(["hidden", "after_due_date", "after_published", "visible"].includes(t.visibility));
    }
    assert.deepEqual(g.tests.map((t) => t.visibility), ["visible", "visible", "hidden", "hidden"]);
    const sum = g.tests.reduce((s, t) => s + t.score, 0);
    assert.equal(Math.round(sum * 100), Math.round(g.score * 100), "the tests add up to the score");
    assert.deepEqual(
      toGradescope(report, "after_published").tests.map((t) => t.visibility).slice(2),
      ["after_published", "after_published"],
    );
    assert.match(g.output, /type error exercises\/01_add\/add.ts:2:9/);
  });

  it("toGradescope() splits an exercise's points by weight and credits only passing tests", () => {
    const g = toGradescope(report);
    // Weights 1, 1, 2, 1 share 10 points: 2, 2, 4, 2.
    assert.deepEqual(g.tests.map((t) => t.max_score), [2, 2, 4, 2]);
    assert.deepEqual(g.tests.map((t) => t.score), [2, 0, 4, 0]);
    assert.deepEqual(g.tests.map((t) => t.status), ["passed", "failed", "passed", "failed"]);
    assert.equal(g.score, 6);
  });

  it("toGradescope() gives passing tests no points when type errors scored the exercise 0", () => {
    const zeroed: ExerciseResult = {
      ...exercise,
      score: 0,
      reason: "type-error: 1 type error(s) in the stub files",
    };
    const g = toGradescope({ ...report, exercises: [zeroed], score: 0 });
    assert.deepEqual(g.tests.map((t) => t.score), [0, 0, 0, 0]);
    assert.deepEqual(g.tests.map((t) => t.max_score), [2, 2, 4, 2]);
    assert.match(g.output, /01_add: 0\/10 \(in-progress\) - type-error: 1 type error/);
  });

  it("toGradescope() names tests by exercise, tags them with the exercise and the reason", () => {
    const g = toGradescope(report);
    assert.deepEqual(g.tests.map((t) => t.name), [
      "01_add: add() > adds",
      "01_add: add() > adds negatives",
      "01_add: add() adds zero",
      "01_add: loops",
    ]);
    assert.deepEqual(g.tests.map((t) => t.tags), [
      ["01_add"],
      ["01_add", "assertion"],
      ["01_add"],
      ["01_add", "cpu-loop"],
    ]);
  });

  it("toGradescope() puts the reason, the message and the output in a failing test's output", () => {
    const g = toGradescope(report);
    assert.equal(g.tests[0]!.output, "");
    assert.equal(g.tests[1]!.output, "[assertion] AssertionError: 1 !== 2\noutput:\nprinted\n");
    assert.equal(g.tests[3]!.output, "[cpu-loop] CPU loop / no progress: killed after 30 s");
  });

  it("toGradescope() sums up the run at the top: total, runtime, each exercise, whole seconds", () => {
    const g = toGradescope({ ...report, time: 2.6 });
    assert.equal(g.execution_time, 3);
    assert.equal(g.visibility, "visible");
    assert.equal(
      g.output,
      "Total 6/10 (bun)\n01_add: 6/10 (in-progress)\n  type error exercises/01_add/add.ts:2:9 TS2322: nope",
    );
  });

  it("toGradescope() writes no tests for an empty report", () => {
    const g = toGradescope({ ...report, exercises: [], score: 0, max_score: 0 });
    assert.deepEqual(g.tests, []);
    assert.equal(g.score, 0);
  });
});

describe("formatGradescope()", () => {
  it("formatGradescope() marks hidden tests hidden unless asked otherwise", () => {
    const visibility = (text: string) =>
      (JSON.parse(text) as { tests: { visibility: string }[] }).tests.map((t) => t.visibility);
    assert.deepEqual(visibility(formatGradescope(report)), [
      "visible",
      "visible",
      "hidden",
      "hidden",
    ]);
    for (const v of ["after_due_date", "after_published", "visible"] as const) {
      assert.deepEqual(visibility(formatGradescope(report, v)), ["visible", "visible", v, v]);
    }
  });

  it("formatGradescope() writes toGradescope()'s document as JSON ending with a newline", () => {
    const text = formatGradescope(report);
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual(JSON.parse(text), toGradescope(report));
  });
});
