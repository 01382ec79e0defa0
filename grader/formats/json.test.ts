import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatJson, JSON_SCHEMA_VERSION, toJsonObject } from "./json.ts";
import type { MutantResult } from "./result.ts";
import { sampleExercise, sampleReport, sampleTest } from "./testdata/sample_report.ts";

const exercise = sampleExercise([
  sampleTest("add() > adds", { test_code: 'it("adds", () => {})' }),
  sampleTest("add() > adds negatives", {
    status: "fail",
    message: "AssertionError: 1 !== 2 (task 2)",
    reason: "assertion",
    output: "printed\n",
    task_id: 2,
    virtual_ms: 1500,
  }),
  sampleTest("add() adds zero", { hidden: true, weight: 2, test_code: "secret" }),
  sampleTest("loops", {
    hidden: true,
    status: "error",
    reason: "cpu-loop",
    message: "CPU loop / no progress: killed after 30 s",
  }),
]);
const report = sampleReport(exercise);

// deno-lint-ignore no-explicit-any -- the tests walk the JSON the way a consumer would
type Json = Record<string, any>;

describe("toJsonObject()", () => {
  it("toJsonObject() writes schema version 1 with the documented fields", () => {
    const j = toJsonObject(report) as Json;
    assert.equal(j.schema_version, 1);
    for (const k of ["score", "max_score", "runtime", "exercises"]) assert.ok(k in j, k);
    const e = j.exercises[0];
    for (const k of ["id", "slug", "title", "score", "max_score", "status", "tests"]) {
      assert.ok(k in e, k);
    }
    assert.equal(e.tests.length, 4);
    for (const t of e.tests) {
      for (const k of ["name", "status", "hidden", "message", "output", "reason"]) {
        assert.ok(k in t, k);
      }
      assert.ok(["pass", "fail", "error"].includes(t.status));
    }
  });

  it("toJsonObject() marks a CPython-suite report with suite: cpython, and a graded one not at all", () => {
    assert.equal((toJsonObject({ ...report, suite: "cpython" }) as Json).suite, "cpython");
    assert.ok(!("suite" in toJsonObject(report)));
  });

  it("toJsonObject() keeps every top-level and exercise field of the README's schema", () => {
    const j = toJsonObject(report) as Json;
    assert.equal(JSON_SCHEMA_VERSION, 1);
    assert.deepEqual(Object.keys(j), [
      "schema_version",
      "mode",
      "score",
      "max_score",
      "runtime",
      "time",
      "schedules",
      "seed",
      "exercises",
      "warnings",
    ]);
    assert.deepEqual(
      [j.mode, j.score, j.max_score, j.runtime, j.time],
      ["submission", 6, 10, "bun", 1.2],
    );
    const e = j.exercises[0];
    assert.deepEqual(Object.keys(e), [
      "id",
      "slug",
      "dir",
      "title",
      "score",
      "max_score",
      "status",
      "time",
      "type_errors",
      "warnings",
      "tests",
    ]);
    assert.deepEqual(e.type_errors, exercise.type_errors);
  });

  it("toJsonObject() gives hidden tests a null test_code and visible tests their code", () => {
    const tests = (toJsonObject(report) as Json).exercises[0].tests as Json[];
    assert.deepEqual(tests.map((t) => t.test_code), ['it("adds", () => {})', null, null, null]);
  });

  it("toJsonObject() writes task_id and virtual_ms only for tests that have them", () => {
    const tests = (toJsonObject(report) as Json).exercises[0].tests as Json[];
    assert.deepEqual(tests.map((t) => "task_id" in t), [false, true, false, false]);
    assert.deepEqual(tests.map((t) => "virtual_ms" in t), [false, true, false, false]);
    assert.equal(tests[1]!.task_id, 2);
    assert.equal(tests[1]!.virtual_ms, 1500);
    assert.deepEqual(tests.map((t) => t.reason), [null, "assertion", null, "cpu-loop"]);
    assert.deepEqual(tests.map((t) => t.weight), [1, 1, 2, 1]);
  });

  it("toJsonObject() writes an exercise's reason only when it has one", () => {
    const plain = (toJsonObject(report) as Json).exercises[0];
    assert.ok(!("reason" in plain));
    const withReason = toJsonObject({
      ...report,
      exercises: [{ ...exercise, reason: "crash: x.test.ts did not load" }],
    }) as Json;
    assert.equal(withReason.exercises[0].reason, "crash: x.test.ts did not load");
  });

  it("toJsonObject() adds runs only when more than one runtime graded", () => {
    assert.ok(!("runs" in toJsonObject(report)));
    const both = toJsonObject({
      ...report,
      runtime: "both",
      runs: [
        { runtime: "deno", score: 6, max_score: 10, exercises: [exercise], time: 1 },
        { runtime: "bun", score: 8, max_score: 10, exercises: [exercise], time: 2 },
      ],
    }) as Json;
    assert.equal(both.runs.length, 2);
    assert.deepEqual(both.runs.map((r: Json) => [r.runtime, r.score, r.time]), [
      ["deno", 6, 1],
      ["bun", 8, 2],
    ]);
    assert.equal(both.runs[0].exercises[0].tests[2].test_code, null, "hidden code stays out");
  });

  it("toJsonObject() adds mutants and mutation_score only when the report has mutants", () => {
    assert.ok(!("mutants" in toJsonObject(report)));
    assert.ok(!("mutation_score" in toJsonObject(report)));
    const mutants: MutantResult[] = [
      { exercise: "01_add", mutant: "subtracts", description: "d", caught: true, caught_by: ["a"] },
      { exercise: "01_add", mutant: "ignores_b", description: "e", caught: false, caught_by: [] },
    ];
    const j = toJsonObject({
      ...report,
      mode: "mutants",
      exercises: [],
      mutants,
      mutation_score: 0.5,
    }) as Json;
    assert.deepEqual(j.mutants, mutants);
    assert.equal(j.mutation_score, 0.5);
    assert.deepEqual(j.exercises, []);
  });
});

describe("formatJson()", () => {
  it("formatJson() writes the JSON object indented, ending with one newline", () => {
    const text = formatJson(report);
    assert.ok(text.endsWith("}\n"));
    assert.ok(!text.endsWith("\n\n"));
    assert.deepEqual(JSON.parse(text), toJsonObject(report));
    assert.match(text, /^\{\n {2}"schema_version": 1,\n/);
  });
});
