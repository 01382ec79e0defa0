import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExerciseResult, Report, TestResult } from "../formats/result.ts";
import { ProgressStore } from "./progress.ts";
import { failingTasks, recordReport } from "./record.ts";

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
function exercise(dir: string, tests: TestResult[], over: Partial<ExerciseResult> = {}) {
  return {
    id: dir.slice(0, 2),
    dir,
    slug: dir.slice(3),
    title: dir,
    score: 5,
    max_score: 10,
    status: "in-progress",
    tests,
    type_errors: [],
    warnings: [],
    time: 0,
    ...over,
  } satisfies ExerciseResult;
}

describe("failingTasks()", () => {
  it("failingTasks() lists the tasks with a failing or erroring test, ascending, once each", () => {
    const e = exercise("01_add", [
      test("task 3: c > works", "fail"),
      test("task 1: a > works", "error"),
      test("task 3: c > again", "fail"),
      test("task 2: b > works"),
      test("task 10: z > works", "fail"),
    ]);
    assert.deepEqual(failingTasks(e), [1, 3, 10]);
  });

  it("failingTasks() ignores names that do not start with 'task N: '", () => {
    const e = exercise("01_add", [
      test("add() > task 1: inner", "fail"),
      test("task1: no space", "fail"),
      test("Task 2: capital", "fail"),
      test("task 4 without colon", "fail"),
    ]);
    assert.deepEqual(failingTasks(e), []);
  });
});

describe("recordReport()", () => {
  it("recordReport() stores each exercise's score, status and failing tasks, keeping the hints", () => {
    const root = mkdtempSync(join(tmpdir(), "grader-record-"));
    try {
      const store = new ProgressStore(root, () => {});
      store.update((p) => {
        p.hints["01_add"] = { "1": 2 };
        p.last["03_old"] = { score: 1, max_score: 10, status: "in-progress" };
      });
      const report: Report = {
        mode: "submission",
        runs: [],
        exercises: [
          exercise("01_add", [test("task 1: a > x", "fail"), test("task 2: b > y")]),
          exercise("02_greet", [test("task 1: g > z")], { score: 10, status: "done" }),
        ],
        score: 15,
        max_score: 20,
        runtime: "deno",
        time: 1,
        warnings: [],
      };
      recordReport(store, report);
      const p = new ProgressStore(root, () => {}).read();
      assert.deepEqual(p.last, {
        "01_add": { score: 5, max_score: 10, status: "in-progress", failing_tasks: [1] },
        "02_greet": { score: 10, max_score: 10, status: "done", failing_tasks: [] },
        "03_old": { score: 1, max_score: 10, status: "in-progress" },
      });
      assert.deepEqual(p.hints, { "01_add": { "1": 2 } });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
