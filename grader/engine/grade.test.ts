import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { discoverExercises } from "./discover.ts";
import { type FixtureDir, makeWorkbook } from "../fixtures/fixtures.ts";
import { assertEvery, exerciseOf, gradeFixture } from "../fixtures/grading.ts";
import { grade, type GradeOptions } from "./grade.ts";
import { TOOL_ROOT } from "./tool_root.ts";
import { currentRuntime } from "./runtimes.ts";
import type { Report } from "./types.ts";

const runtime = currentRuntime() ?? "bun";
let wb: FixtureDir;

before(() => {
  wb = makeWorkbook();
});
after(() => wb.cleanup());

const gradeCase = (name: string, extra: Partial<GradeOptions> = {}): Promise<Report> =>
  gradeFixture(wb.path, name, runtime, extra);

const ex = exerciseOf;
const greetUnaffected = (r: Report) => {
  assert.equal(ex(r, "02_greet").score, 10, "the other exercise keeps its full marks");
  assert.equal(ex(r, "02_greet").status, "done");
};

describe("grade() on fixture submissions", () => {
  it("grade() gives full marks to a correct submission, with weights and hidden flags", async () => {
    const r = await gradeCase("pass");
    assert.equal(r.score, 30);
    assert.equal(r.max_score, 30);
    const add = ex(r, "01_add");
    assert.deepEqual(add.tests.map((t) => [t.name, t.hidden, t.weight]), [
      ["add() > adds two numbers", false, 1],
      ["add() > adds negatives", false, 1],
      ["add() adds zero", true, 2],
      ["addLater() > resolves to the sum", true, 1],
    ]);
    assert.equal(add.status, "done");
  });

  it("grade() scores unchanged stubs 0 with status not-started and reason not-started", async () => {
    const r = await grade({
      toolRoot: TOOL_ROOT,
      pristineRoot: wb.path,
      submissionRoot: wb.path,
      exercises: discoverExercises(wb.path),
      mode: "submission",
      runtimes: [runtime],
    });
    const add = ex(r, "01_add");
    assert.equal(add.score, 0);
    assert.equal(add.status, "not-started");
    assertEvery(add.tests, (t) => t.reason === "not-started");
    assert.equal(add.tests[3]!.task_id, 2);
  });

  it("grade() never credits process.exit(0) at import (no verdict = failed)", async () => {
    const r = await gradeCase("exit_import");
    assert.equal(ex(r, "01_add").score, 0);
    assertEvery(ex(r, "01_add").tests, (t) => t.status === "error" && t.reason === "crash");
    greetUnaffected(r);
  });

  it("grade() never lets code under test read the hidden tests' source", async () => {
    // Deno: no read permission. Bun: the file is gone from the workspace before the stub runs.
    const r = await gradeCase("reads_hidden");
    assert.equal(ex(r, "01_add").score, 0);
    assertEvery(
      ex(r, "01_add").tests,
      (t) => /NotCapable|Requires read access|ENOENT|No such file/.test(t.message),
      ex(r, "01_add").tests[0]!.message,
    );
    greetUnaffected(r);
  });

  it("grade() never credits a submission that patches assert or the clock to disarm the tests", async () => {
    const r = await gradeCase("patches_assert");
    assert.equal(ex(r, "03_clock").score, 0);
    assertEvery(ex(r, "03_clock").tests, (t) => t.status !== "pass");
    greetUnaffected(r);
  });

  it("grade() gives 0 to a submission that replaces Promise.prototype.then to resolve failing tests", async () => {
    // lib freezes Promise and AsyncLocalStorage on import; before, this scored 10 on both runtimes.
    const r = await gradeCase("patches_promise");
    assert.equal(ex(r, "03_clock").score, 0);
    assertEvery(ex(r, "03_clock").tests, (t) => t.status !== "pass");
    greetUnaffected(r);
  });

  it("grade() fails every test of a submission that registers tests through the runtime's node:test", async () => {
    // Honest score 0 (the functions are wrong); the runners' own test registries once credited the
    // fake tests (2 on Deno, 4 on Bun). Under the harness node:test is not the runner at all.
    const r = await gradeCase("registers_tests");
    const add = ex(r, "01_add");
    assert.equal(add.score, 0);
    assertEvery(add.tests, (t) => t.status !== "pass", add.tests[0]!.message);
    greetUnaffected(r);
    assert.equal(ex(r, "03_clock").score, 10, "the other exercises are graded as usual");
  });

  it("grade() fails every test of a submission that registers tests through the grader's harness", async () => {
    const r = await gradeCase("registers_via_harness");
    const add = ex(r, "01_add");
    assert.equal(add.score, 0);
    assertEvery(
      add.tests,
      (t) => t.status === "fail" && /^tampering: /.test(t.message),
      add.tests[0]!.message,
    );
    assert.match(add.reason ?? "", /^tampering: .*registered twice/);
    greetUnaffected(r);
    assert.equal(ex(r, "03_clock").score, 10);
  });

  it("grade() never credits tests registered by the submission when it then exits mid-test", async () => {
    const r = await gradeCase("registers_then_exits");
    const add = ex(r, "01_add");
    assert.equal(add.score, 0, add.tests.map((t) => `${t.status} ${t.message}`).join("\n"));
    greetUnaffected(r);
  });

  it("grade() keeps a submission's replaced globals from changing other exercises' verdicts", async () => {
    // Under Bun every file of a process shares one global scope; Deno gives each file an isolate.
    const r = await gradeCase("patches_globals", { jobs: 1 });
    assert.equal(ex(r, "01_add").score, 10);
    greetUnaffected(r);
    assert.equal(ex(r, "03_clock").score, 10, ex(r, "03_clock").tests[0]!.message);
  });

  it("grade() charges a process.exit(0) mid-test to that test alone; the others keep their verdicts", async () => {
    const r = await gradeCase("exit_mid");
    const add = ex(r, "01_add");
    const exited = add.tests.find((t) => t.name === "add() > adds negatives")!;
    assert.equal(exited.status, "error");
    assert.match(exited.message, /^crash: the process exited \(code 0\) while this test ran/);
    assert.equal(
      add.tests.filter((t) => t.status === "pass").length,
      add.tests.length - 1,
      "add() is right for every other input",
    );
    greetUnaffected(r);
  });

  it("grade() ignores fake result lines and fake JUnit printed by the submission", async () => {
    const r = await gradeCase("fake_output");
    const add = ex(r, "01_add");
    assert.equal(add.tests[0]!.status, "fail");
    assert.equal(add.tests[0]!.reason, "assertion");
    assert.match(add.tests[0]!.message, /1 \+ 2 should be 3/);
    assert.equal(add.score, 4, "only 'adds zero' (weight 2 of 5) passes: 5 - 0 is 5");
    greetUnaffected(r);
  });

  it(
    "grade() stops a test that loops forever at its deadline, charges it alone and runs the rest",
    { timeout: 30_000 },
    async () => {
      const t0 = Date.now();
      const r = await gradeCase("loop", { timeoutSec: 2 });
      const add = ex(r, "01_add");
      const looped = add.tests.filter((t) => t.reason === "cpu-loop");
      assert.ok(looped.length >= 1, "the looping test is stopped");
      assertEvery(looped, (t) =>
        t.status === "error" &&
        /^CPU loop \/ no progress: this test was still running after 2 s/.test(t.message));
      greetUnaffected(r);
      assert.ok(Date.now() - t0 < 20_000, "each looping test costs about its own deadline");
    },
  );

  it("grade() classifies deadlock, leaked timers, time budget and unhandled rejection", async () => {
    const r = await gradeCase("verdicts");
    assert.deepEqual(ex(r, "01_add").tests.map((t) => t.reason), [
      "deadlock",
      "leaked-timers",
      "time-budget",
      "unhandled-rejection",
    ]);
    greetUnaffected(r);
  });

  it("grade() classifies a real deadlock found by the virtual clock", async () => {
    const r = await gradeCase("verdicts");
    const clock = ex(r, "03_clock");
    assert.deepEqual(clock.tests.map((t) => t.reason), ["deadlock", "deadlock"]);
    assert.match(clock.tests[0]!.message, /^DeadlockError: /);
  });

  it("grade() fails a late unhandled rejection under the virtual clock, the same way every run", async () => {
    const a = await gradeCase("late_rejection");
    const b = await gradeCase("late_rejection");
    const strip = (r: Report) =>
      r.exercises.map((e) => e.tests.map((t) => [t.name, t.status, t.reason, t.message]));
    assert.deepEqual(strip(a), strip(b));
    const clock = ex(a, "03_clock");
    assert.equal(clock.score, 0);
    assertEvery(clock.tests, (t) => t.status === "fail" && /late boom/.test(t.message));
    assert.equal(ex(a, "01_add").score, 10);
    greetUnaffected(a);
  });

  it("grade() uses the pristine tests when the student edited or deleted theirs", async () => {
    const r = await gradeCase("tests_edited");
    const add = ex(r, "01_add");
    assert.equal(add.tests.length, 4);
    assert.equal(add.score, 0);
    assertEvery(add.tests, (t) => t.reason === "not-started");
    assert.equal(add.warnings.length, 0, "the student's extra test never ran");
  });

  it("grade() reports type errors in stub files, scoring them only with typeErrors: score", {
    timeout: 60_000,
  }, async () => {
    const [reported, scored] = await Promise.all([
      gradeCase("type_error", { typeCheck: true }),
      gradeCase("type_error", { typeCheck: true, typeErrors: "score" }),
    ]);
    const add = ex(reported, "01_add");
    assert.equal(add.score, 10);
    assert.equal(add.type_errors.length, 1);
    assert.equal(add.type_errors[0]!.file, "exercises/01_add/add.ts");
    assert.equal(add.type_errors[0]!.line, 2);
    assert.match(
      add.type_errors[0]!.message,
      /^TS2322: Type 'number' is not assignable to type 'string'/,
    );
    assert.equal(ex(scored, "01_add").score, 0);
    assert.match(ex(scored, "01_add").reason ?? "", /^type-error/);
  });

  it("grade() gives the same verdicts in one process and in one process per exercise", async () => {
    const batched = await gradeCase("verdicts", { jobs: 1 });
    const alone = await gradeCase("verdicts", { jobs: 3 });
    const strip = (r: Report) =>
      r.exercises.map((e) => e.tests.map((t) => [t.name, t.status, t.reason, t.message]));
    assert.deepEqual(strip(batched), strip(alone));
  });

  it("grade() captures a test's output", async () => {
    const r = await gradeCase("pass");
    assert.match(ex(r, "01_add").tests[0]!.output, /checking 1 \+ 2/);
  });
});

describe("grade() self-check modes on the fixture workbook", () => {
  const base = (mode: GradeOptions["mode"]): GradeOptions => ({
    toolRoot: TOOL_ROOT,
    pristineRoot: wb.path,
    submissionRoot: wb.path,
    exercises: discoverExercises(wb.path),
    mode,
    runtimes: [runtime],
  });
  it("grade() gives the solutions full marks", async () => {
    const r = await grade(base("solutions"));
    assert.equal(r.exercises.length, 3, "the fixture workbook has three exercises");
    assert.equal(r.score, r.max_score);
    assert.equal(r.max_score, 30);
  });
  it("grade() catches every mutant and says which tests caught it", async () => {
    const r = await grade(base("mutants"));
    assert.equal(r.mutants!.length, 9);
    assert.equal(r.mutation_score, 1);
    const late = r.mutants!.find((m) => m.mutant === "later_off_by_one")!;
    assert.deepEqual(late.caught_by, ["addLater() > resolves to the sum"]);
    assert.equal(late.description, "later_off_by_one");
  });
});
