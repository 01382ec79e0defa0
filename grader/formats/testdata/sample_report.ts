/**
 * Test data for the formats' tests: one small report every renderer is tried on (a pass, an
 * assertion failure with output, a hidden weighted pass, a hidden CPU loop, a type error, and a
 * title that needs escaping), built fresh for each caller.
 *
 * @module
 */

import { testResult } from "../../engine/testdata/results.ts";
import type { ExerciseResult, Report, TestResult } from "../result.ts";

/**
 * A passing visible test of weight 1, with some fields overridden.
 *
 * @param name The test's full name.
 * @param over Fields to override.
 * @returns The test result.
 */
export function sampleTest(name: string, over: Partial<TestResult> = {}): TestResult {
  return testResult({ name, time: 0.01, ...over });
}

/** The four tests of the sample exercise: a pass, a failure, a hidden pass of weight 2, a loop. */
export function sampleTests(): TestResult[] {
  return [
    sampleTest("add() > adds"),
    sampleTest("add() > adds negatives", {
      status: "fail",
      message: "AssertionError: 1 !== 2",
      reason: "assertion",
      output: "printed\n",
    }),
    sampleTest("add() adds zero", { hidden: true, weight: 2 }),
    sampleTest("loops", {
      hidden: true,
      status: "error",
      reason: "cpu-loop",
      message: "CPU loop / no progress: killed after 30 s",
    }),
  ];
}

/**
 * Exercise 01_add, 6/10 and in progress, with a type error and a title to escape.
 *
 * @param tests Its tests (sampleTests() by default).
 * @returns The exercise result.
 */
export function sampleExercise(tests: TestResult[] = sampleTests()): ExerciseResult {
  return {
    id: "01",
    dir: "01_add",
    slug: "add",
    title: "Add <&>",
    score: 6,
    max_score: 10,
    status: "in-progress",
    tests,
    type_errors: [{ file: "exercises/01_add/add.ts", line: 2, column: 9, message: "TS2322: nope" }],
    warnings: [],
    time: 0.04,
  };
}

/**
 * A submission's report on Bun holding one exercise.
 *
 * @param exercise The exercise (sampleExercise() by default).
 * @returns The report.
 */
export function sampleReport(exercise: ExerciseResult = sampleExercise()): Report {
  return {
    mode: "submission",
    runs: [{ runtime: "bun", score: 6, max_score: 10, exercises: [exercise], time: 1.2 }],
    exercises: [exercise],
    score: 6,
    max_score: 10,
    runtime: "bun",
    time: 1.2,
    warnings: [],
  };
}
