/**
 * Test data for tests of the engine, the formats and the learner's screens: a test result and an
 * exercise result with every field filled, overridable.
 *
 * @module
 */

import type { ExerciseResult, TestResult } from "../types.ts";

/** A schedule failure's message, as the kit's assertTimeline writes it. */
export const TIMELINE_MESSAGE =
  "AssertionError: the schedule differs from the expected schedule:\nwhat    expected (ms)  yours (ms)\ntask 0  0..1000        0..1000\ntask 1  1000..2000     0..1000     <-- differs";

/**
 * A passing visible test "f() works" of weight 1, with some fields overridden.
 *
 * @param over Fields to override.
 * @returns The test result.
 */
export function testResult(over: Partial<TestResult> = {}): TestResult {
  return {
    name: "f() works",
    file: "x.test.ts",
    hidden: false,
    status: "pass",
    message: "",
    output: "",
    reason: null,
    weight: 1,
    time: 0,
    ...over,
  };
}

/**
 * Exercise 01_add holding `tests`, scored by the share that passed (of 10), not started.
 *
 * @param tests Its tests.
 * @param over Fields to override.
 * @returns The exercise result.
 */
export function exerciseResult(
  tests: TestResult[],
  over: Partial<ExerciseResult> = {},
): ExerciseResult {
  const passed = tests.filter((t) => t.status === "pass").length;
  return {
    id: "01",
    dir: "01_add",
    slug: "add",
    title: "Add",
    score: tests.length ? Math.round((10 * passed) / tests.length) : 0,
    max_score: 10,
    status: "not-started",
    tests,
    type_errors: [],
    warnings: [],
    time: 0,
    ...over,
  };
}
