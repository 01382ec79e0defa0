import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { toExercism } from "../exercism.ts";
import { exercismProblems } from "./exercism_schema.ts";
import { sampleExercise, sampleReport, sampleTest as test } from "./sample_report.ts";

// A document of each kind the spec allows: a failing one (a pass, a failure, an error).
const report = sampleReport(sampleExercise([
  test("task 1: a"),
  test("task 2: b", { status: "fail", reason: "assertion", message: "1 !== 2", output: "x\n" }),
  test("c", { status: "error", reason: "cpu-loop", message: "cpu-loop: killed" }),
]));

describe("exercismProblems() (the spec's schema)", () => {
  const good = () => JSON.parse(JSON.stringify(toExercism(report)));
  it("exercismProblems() rejects each wrong field the spec rules out", () => {
    const cases: [
      string,
      (d: Record<string, unknown> & { tests: Record<string, unknown>[] }) => void,
      RegExp,
    ][] = [
      ["version 2", (d) => (d.version = 2), /^version: 2/],
      ["an unknown key", (d) => (d.score = 1), /unknown key score/],
      ["status ok", (d) => (d.status = "ok"), /^status: ok/],
      ["a message on fail", (d) => (d.message = "x"), /message: null or absent/],
      [
        "error without message",
        (d) => (d.status = "error", d.message = null),
        /required when status is error/,
      ],
      ["no tests on fail", (d) => delete (d as { tests?: unknown }).tests, /tests: required/],
      ["a test's status", (d) => (d.tests[0]!.status = "passed"), /tests\[0\]\.status: passed/],
      ["a test without name", (d) => delete d.tests[0]!.name, /tests\[0\]\.name/],
      ["fail without message", (d) => delete d.tests[1]!.message, /tests\[1\]\.message: required/],
      ["a message on pass", (d) => (d.tests[0]!.message = "x"), /tests\[0\]\.message: null/],
      ["output of 501", (d) => (d.tests[1]!.output = "o".repeat(501)), /501 chars/],
      ["task_id 0", (d) => (d.tests[0]!.task_id = 0), /task_id/],
      ["task_id as text", (d) => (d.tests[0]!.task_id = "1"), /task_id/],
      ["test_code a number", (d) => (d.tests[0]!.test_code = 1), /test_code/],
      ["an unknown test key", (d) => (d.tests[0]!.score = 1), /unknown key score/],
      ["pass with a failure", (d) => (d.status = "pass"), /a test did not pass/],
      ["error with a pass", (d) => (d.status = "error", d.message = "x"), /every test errored/],
    ];
    assert.deepEqual(exercismProblems(good()), []);
    for (const [what, change, says] of cases) {
      const d = good();
      change(d);
      const problems = exercismProblems(d);
      assert.ok(problems.some((p) => says.test(p)), `${what}: ${JSON.stringify(problems)}`);
    }
  });
});
