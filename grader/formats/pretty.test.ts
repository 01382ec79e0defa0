import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatPretty } from "./pretty.ts";
import type { ExerciseResult, MutantResult } from "./result.ts";
import { sampleExercise, sampleReport, sampleTest as test } from "./testdata/sample_report.ts";

const exercise = sampleExercise();
const report = sampleReport(exercise);

describe("formatPretty()", () => {
  it("formatPretty() colours only when asked", () => {
    assert.ok(!formatPretty(report, { color: false }).includes("\x1b["));
    assert.ok(formatPretty(report, { color: true }).includes("\x1b["));
    assert.match(formatPretty(report, { color: false }), /\[cpu-loop\] CPU loop \/ no progress/);
  });

  it("formatPretty() writes a row per exercise with score, status and tests passed, then the total", () => {
    const text = formatPretty(report, { color: false });
    const lines = text.split("\n");
    assert.equal(lines[0], "exercise  score        status");
    assert.equal(lines[1], "01_add    6/10         in progress (2/4 tests)");
    assert.match(text, /\nTotal: 6\/10 \(bun, 1\.2 s\)\n$/);
  });

  it("formatPretty() for the CPython suite counts cases as expected, never a score", () => {
    const text = formatPretty({ ...report, suite: "cpython" }, { color: false });
    const lines = text.split("\n");
    assert.equal(lines[0], "exercise  CPython cases as expected");
    assert.equal(lines[1], "01_add    2/4");
    assert.match(text, /\nCPython conformance: 2 of 4 cases as expected \(bun, 1\.2 s\)\n/);
    assert.match(text, /Not part of your score/);
    assert.ok(!/Total:|6\/10/.test(text), "the CPython suite shows no score");
  });

  it("formatPretty() details each failing test with its mark, hidden tag, reason and message", () => {
    const text = formatPretty(report, { color: false });
    assert.match(text, /\n01_add: Add <&>\n/);
    assert.match(text, /type error exercises\/01_add\/add\.ts:2:9 TS2322: nope/);
    assert.match(text, / {4}x add\(\) > adds negatives\n {6}\[assertion\] AssertionError: 1 !== 2/);
    assert.match(text, / {4}x loops \[hidden\]\n {6}\[cpu-loop\]/);
    assert.ok(!text.includes("x add() > adds\n"), "passing tests are not listed");
  });

  it("formatPretty() leaves the failing tests out with details: false", () => {
    const text = formatPretty(report, { color: false, details: false });
    assert.ok(!text.includes("adds negatives"));
    assert.ok(!text.includes("type error"));
    assert.match(text, /01_add {4}6\/10/);
  });

  it("formatPretty() gives no details for a not-started exercise without reason or type errors", () => {
    const untouched: ExerciseResult = {
      ...exercise,
      score: 0,
      status: "not-started",
      type_errors: [],
      tests: [test("a", { status: "fail", reason: "not-started", message: "not implemented" })],
    };
    const text = formatPretty({ ...report, exercises: [untouched] }, { color: false });
    assert.match(text, /not started \(0\/1 tests\)/);
    assert.ok(!text.includes("not implemented"));
  });

  it("formatPretty() shows an exercise's reason and a test's virtual time", () => {
    const e: ExerciseResult = {
      ...exercise,
      reason: "crash: the process ended during 1 test(s)",
      tests: [test("t", { status: "fail", reason: "deadlock", message: "x", virtual_ms: 2000 })],
    };
    const text = formatPretty({ ...report, exercises: [e] }, { color: false });
    assert.match(text, /\n {2}crash: the process ended during 1 test\(s\)\n/);
    assert.match(text, /x t \(virtual t=2000 ms\)/);
  });

  it("formatPretty() shows a message's first non-blank line, cut at 160 characters", () => {
    const e: ExerciseResult = {
      ...exercise,
      tests: [test("t", { status: "fail", message: `\n\n${"y".repeat(200)}\nsecond` })],
    };
    const text = formatPretty({ ...report, exercises: [e] }, { color: false });
    assert.ok(text.includes(`${"y".repeat(157)}...\n`));
    assert.ok(!text.includes("y".repeat(158)));
    assert.ok(!text.includes("second"));
  });

  it("formatPretty() lists mutants caught or MISSED with the mutation score", () => {
    const mutants: MutantResult[] = [
      {
        exercise: "01_add",
        mutant: "subtracts",
        description: "a - b",
        caught: true,
        caught_by: ["a", "b"],
      },
      {
        exercise: "01_add",
        mutant: "ignores_b",
        description: "returns a",
        caught: false,
        caught_by: [],
      },
    ];
    const text = formatPretty(
      { ...report, mode: "mutants", exercises: [], mutants, mutation_score: 0.5 },
      { color: false },
    );
    assert.match(text, /^Mutants \(bun\)\n/);
    assert.match(text, / {2}caught {2}01_add\/subtracts by 2 test\(s\)\n/);
    assert.match(text, / {2}MISSED {2}01_add\/ignores_b: returns a\n/);
    assert.match(text, /Mutation score: 1\/2 caught \(50%\)\n/);
    assert.ok(!text.includes("Total:"));
  });

  it("formatPretty() ends with each run-level warning as a note", () => {
    const text = formatPretty({ ...report, warnings: ["one", "two"] }, { color: false });
    assert.ok(text.endsWith("note: one\nnote: two\n"));
  });
});
