import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { NO_VERDICT } from "./classify.ts";
import { discoverExercises } from "./discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { emptyOutcome, type UnitOutcome } from "./outcome.ts";
import { exerciseStatus, finish, MAX_POINTS, mergeExercise, round2, scoreUnit } from "./score.ts";
import type { Exercise, ExerciseResult, Verdict } from "./types.ts";
import type { Unit } from "./workspace.ts";
import { exerciseResult as result, testResult as test } from "./testdata/results.ts";

describe("exerciseStatus()", () => {
  it("exerciseStatus() says done only when every test passes, not started when every failure is a TODO", () => {
    const status = (e: ExerciseResult, unchanged: boolean) =>
      exerciseStatus(e.tests, e.score, unchanged);
    assert.equal(status(result([test()]), false), "done");
    assert.equal(status(result([test(), test({ status: "fail" })]), false), "in-progress");
    assert.equal(
      status(result([test({ status: "fail", reason: "not-started" })]), false),
      "not-started",
    );
    assert.equal(status(result([test()]), true), "not-started");
  });

  it("exerciseStatus() is not done below full marks, nor with no tests at all", () => {
    assert.equal(exerciseStatus([test()], 9.99, false), "in-progress");
    assert.equal(exerciseStatus([], MAX_POINTS, false), "in-progress");
    assert.equal(exerciseStatus([], 0, true), "not-started");
  });
});

describe("finish()", () => {
  it("finish() scores 10 points scaled by the passed weight, two decimals", () => {
    const r = finish(result([test({ weight: 2 }), test({ status: "fail" })], { score: 99 }));
    assert.equal(r.score, 6.67);
    assert.equal(r.status, "in-progress");
    assert.equal(finish(result([])).score, 0);
    assert.equal(round2(2 / 3), 0.67);
  });

  it("finish() scores 0 with a type-error reason only when type errors are scored", () => {
    const te = [{ file: "exercises/01_add/add.ts", line: 1, column: 1, message: "TS2322: x" }];
    const e = result([test(), test()], { type_errors: te, reason: "crash: earlier" });
    const reported = finish(e);
    assert.equal(reported.score, 10);
    assert.equal(reported.reason, "crash: earlier");
    const scored = finish(e, false, true);
    assert.equal(scored.score, 0);
    assert.equal(scored.reason, "type-error: 1 type error(s) in the stub files");
    assert.equal(scored.status, "in-progress");
    assert.equal(finish(result([test()]), false, true).score, 10, "no type errors, no change");
  });

  it("finish() says not started for unchanged stubs and drops an empty reason", () => {
    const r = finish(result([test()], { reason: "" }), true);
    assert.equal(r.status, "not-started");
    assert.ok(!("reason" in r));
  });
});

describe("mergeExercise()", () => {
  it("mergeExercise() passes a test only when it passed on every runtime, naming the runtime that failed", () => {
    const deno = result([test({ name: "a" }), test({ name: "b" }), test({ name: "c" })], {
      warnings: ["w1"],
      time: 1.5,
    });
    const bun = result([
      test({ name: "a" }),
      test({ name: "b", status: "fail", reason: "assertion", message: "1 !== 2" }),
      test({ name: "c", status: "error", reason: "crash", message: "gone" }),
    ], { warnings: ["w1", "w2"], time: 2.25, reason: "crash: the process ended during 1 test(s)" });
    const m = mergeExercise([{ runtime: "deno", r: deno }, { runtime: "bun", r: bun }]);
    assert.deepEqual(m.tests.map((t) => [t.name, t.status, t.message]), [
      ["a", "pass", ""],
      ["b", "fail", "[bun] 1 !== 2"],
      ["c", "error", "[bun] gone"],
    ]);
    assert.equal(m.reason, "[bun] crash: the process ended during 1 test(s)");
    assert.deepEqual(m.warnings, ["w1", "w2"]);
    assert.equal(m.time, 3.75);
  });

  it("mergeExercise() keeps the first failing runtime's failure and drops a reason none had", () => {
    const fail = (msg: string) => test({ status: "fail", reason: "assertion", message: msg });
    const m = mergeExercise([
      { runtime: "deno", r: result([fail("deno says")], { reason: "" }) },
      { runtime: "bun", r: result([fail("bun says")]) },
    ]);
    assert.equal(m.tests[0]!.message, "[deno] deno says");
    assert.ok(!("reason" in m));
  });

  it("mergeExercise() of one runtime is that runtime's result", () => {
    const r = result([test()]);
    assert.equal(mergeExercise([{ runtime: "deno", r }]), r);
  });
});

describe("scoreUnit()", () => {
  let wb: FixtureDir;
  let ex: Exercise;
  before(() => {
    wb = makeWorkbook();
    ex = discoverExercises(wb.path).find((e) => e.dir === "01_add")!;
  });
  after(() => wb.cleanup());

  const unit = (stubSources: Record<string, string | null> = { "add.ts": "/x/add.ts" }): Unit => ({
    key: "01_add",
    exercise: ex,
    wsDir: "01_add",
    stubSources,
  });
  const pass = (time = 0.1): Verdict => ({ status: "pass", message: "", details: "", time });
  const fail = (message: string): Verdict => ({ status: "fail", message, details: "", time: 0.2 });
  /** An outcome with a verdict for every declared test, changed by `over`. */
  const outcome = (over: Record<string, Verdict | undefined> = {}): UnitOutcome => {
    const o = emptyOutcome();
    for (const t of ex.expected.filter((t) => !t.group)) {
      const v = t.name in over ? over[t.name] : pass();
      if (!v) continue;
      if (!o.verdicts.has(t.file)) o.verdicts.set(t.file, new Map());
      o.verdicts.get(t.file)!.set(t.name, v);
    }
    return o;
  };

  it("scoreUnit() gives full marks when every declared test passed, in file order", () => {
    const r = scoreUnit(unit(), outcome());
    assert.deepEqual(r.tests.map((t) => [t.file, t.name, t.hidden, t.weight]), [
      ["add.test.ts", "add() > adds two numbers", false, 1],
      ["add.test.ts", "add() > adds negatives", false, 1],
      ["add.hidden.ts", "add() adds zero", true, 2],
      ["add.hidden.ts", "addLater() > resolves to the sum", true, 1],
    ]);
    assert.equal(r.score, 10);
    assert.equal(r.status, "done");
    assert.equal(r.time, 0.4);
    assert.ok(!("reason" in r));
    assert.deepEqual(r.warnings, []);
    assert.match(r.tests[0]!.test_code ?? "", /^it\("adds two numbers"/);
    assert.equal(r.tests[2]!.test_code, undefined, "hidden tests carry no code");
  });

  it("scoreUnit() weighs tests by exercise.json and fails a test without a verdict", () => {
    const r = scoreUnit(
      unit(),
      outcome({ "add() > adds two numbers": undefined, "add() > adds negatives": undefined }),
    );
    // Weights 1, 1, 2, 1: the two hidden tests pass, 3 of 5.
    assert.equal(r.score, 6);
    assert.equal(r.tests[0]!.status, "fail");
    assert.equal(r.tests[0]!.message, NO_VERDICT);
    assert.equal(r.status, "in-progress");
  });

  it("scoreUnit() classifies a failure, reads its task and calls a loop an error with a reason", () => {
    const r = scoreUnit(
      unit(),
      outcome({
        "add() > adds two numbers": fail("Error: not implemented: add (task 1)"),
        "add() adds zero": fail("CPU loop / no progress: killed after 5 s"),
      }),
    );
    assert.deepEqual(
      [r.tests[0]!.status, r.tests[0]!.reason, r.tests[0]!.task_id],
      ["fail", "not-started", 1],
    );
    assert.deepEqual([r.tests[2]!.status, r.tests[2]!.reason], ["error", "cpu-loop"]);
    assert.equal(r.reason, "cpu-loop: 1 test(s) never finished and were stopped at the deadline");
  });

  it("scoreUnit() fails every test of a file that did not load, with a crash reason", () => {
    const o = outcome();
    o.verdicts.delete("add.hidden.ts");
    o.loadErrors.set("add.hidden.ts", "SyntaxError: Unexpected token\n  at line 3");
    const r = scoreUnit(unit(), o);
    assert.deepEqual(r.tests.map((t) => t.status), ["pass", "pass", "error", "error"]);
    assert.match(r.tests[2]!.message, /^crash: the test file did not load: SyntaxError/);
    assert.equal(r.reason, "crash: add.hidden.ts did not load: SyntaxError: Unexpected token");
    assert.equal(r.score, 4);
  });

  it("scoreUnit() fails every test when the code under test registered tests of its own", () => {
    const o = outcome();
    o.tampering.push('test "x" registered twice');
    const r = scoreUnit(unit(), o);
    assert.equal(r.tests.length, 4);
    assert.deepEqual(r.tests.map((t) => t.status), ["fail", "fail", "fail", "fail"]);
    assert.equal(r.score, 0);
    assert.match(
      r.reason ?? "",
      /^tampering: .*registered twice.*every test of the exercise fails$/,
    );
  });

  it("scoreUnit() names missing stub files, and warns about tests the sources do not declare", () => {
    const o = outcome();
    o.verdicts.get("add.test.ts")!.set("add() > forged", pass());
    const r = scoreUnit(unit({ "add.ts": null }), o);
    assert.equal(r.reason, "crash: missing stub file(s) in the submission: add.ts");
    assert.deepEqual(r.warnings, [
      "ignored a test the pristine sources do not declare: add.test.ts: add() > forged",
    ]);
    assert.equal(r.tests.length, 4);
  });

  it("scoreUnit() keeps a visible test's output without clock lines and withholds a hidden test's", () => {
    const o = outcome();
    o.outputs.set(
      "add.test.ts",
      new Map([[
        "add() > adds two numbers",
        'checking\n##workbook-clock {"virtualMs":1500,"timers":2}\n',
      ]]),
    );
    o.outputs.set("add.hidden.ts", new Map([["add() adds zero", "secret\n"]]));
    const r = scoreUnit(unit(), o);
    assert.equal(r.tests[0]!.output, "checking\n");
    assert.equal(r.tests[0]!.virtual_ms, 1500);
    assert.equal(r.tests[1]!.output, "");
    assert.ok(!("virtual_ms" in r.tests[1]!));
    assert.equal(r.tests[2]!.output, "[output withheld: 7 bytes printed during a hidden test]");
  });
});
