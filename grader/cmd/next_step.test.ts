import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import type { Exercise } from "../engine/types.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import type { ExerciseResult, Report, TestResult } from "../formats/result.ts";
import type { Progress } from "../learner/progress.ts";
import { command } from "./invocation.ts";
import { nextSteps } from "./next_step.ts";

function test(name: string, status: TestResult["status"] = "pass"): TestResult {
  return {
    name,
    file: "x.test.ts",
    hidden: false,
    status,
    message: "",
    output: "",
    reason: null,
    weight: 1,
    time: 0,
  };
}
function exercise(
  dir: string,
  tests: TestResult[],
  status: ExerciseResult["status"],
): ExerciseResult {
  return {
    id: dir.slice(0, 2),
    dir,
    slug: dir.slice(3),
    title: dir,
    score: status === "done" ? 10 : 0,
    max_score: 10,
    status,
    tests,
    type_errors: [],
    warnings: [],
    time: 0,
  };
}
const reportOf = (exercises: ExerciseResult[]): Report => ({
  mode: "submission",
  runs: [],
  exercises,
  score: 0,
  max_score: 10 * exercises.length,
  runtime: "deno",
  time: 0,
  warnings: [],
});
const progress = (over: Partial<Progress> = {}): Progress => ({
  version: 1,
  hints: {},
  last: {},
  ...over,
});
const done = { score: 10, max_score: 10, status: "done" as const };

describe("nextSteps()", () => {
  let wb: FixtureDir;
  let all: Exercise[];
  before(() => {
    wb = makeWorkbook();
    all = discoverExercises(wb.path);
  });
  after(() => wb.cleanup());

  it("nextSteps() points at the first failing task and test, the next hint level, and the commands", () => {
    const open = exercise("01_add", [
      test("task 1: a > ok"),
      test("task 2: b > adds", "fail"),
      test("task 3: c", "fail"),
    ], "in-progress");
    assert.deepEqual(nextSteps(reportOf([open]), all, wb.path, progress()), [
      'Next: 01_add, task 2: make "task 2: b > adds" pass.',
      `Stuck? ${command("hint 1")} (hint level 1, 2 left).`,
      `Run the visible tests alone: bun test exercises/01_add   Grade again: ${command("1")}`,
    ]);
  });

  it("nextSteps() says every hint level was shown once they were, and leaves hints out without HINTS.md", () => {
    const open = exercise("02_greet", [test("greet() greets", "fail")], "in-progress");
    const shown = progress({ hints: { "02_greet": { "0": 3 } } });
    const lines = nextSteps(reportOf([open]), all, wb.path, shown);
    assert.equal(lines[0], 'Next: 02_greet: make "greet() greets" pass.');
    assert.equal(
      lines[1],
      `Every hint level was shown; ${command("hint 2")} shows the last again.`,
    );
    assert.equal(lines.length, 3);
    rmSync(join(wb.path, "exercises", "02_greet", "HINTS.md"));
    assert.deepEqual(nextSteps(reportOf([open]), all, wb.path, progress()).length, 2);
  });

  it("nextSteps() sends a learner who is done to the next exercise not done, after the graded one", () => {
    const r = reportOf([exercise("01_add", [test("a")], "done")]);
    assert.deepEqual(
      nextSteps(r, all, wb.path, progress({ last: { "01_add": done, "02_greet": done } })),
      [
        `Done. Next: 03_clock (Clock): read exercises/03_clock/README.md, then ${command("3")}`,
      ],
    );
  });

  it("nextSteps() goes back to the first exercise not done after the last one, and congratulates at the end", () => {
    const r = reportOf([exercise("03_clock", [test("a")], "done")]);
    const p = progress({ last: { "02_greet": done, "03_clock": done } });
    assert.match(nextSteps(r, all, wb.path, p)[0]!, /^Done\. Next: 01_add \(Add\): /);
    p.last["01_add"] = done;
    assert.deepEqual(nextSteps(r, all, wb.path, p), ["Every exercise is done. Well played!"]);
  });
});
