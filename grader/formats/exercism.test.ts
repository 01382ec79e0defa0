import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  capOutput,
  dedentCode,
  EXERCISM_VERSION,
  exercismError,
  formatExercism,
  HIDDEN_TEST_CODE,
  OUTPUT_LIMIT,
  taskIdOf,
  toExercism,
  TRUNCATED_NOTE,
} from "./exercism.ts";
import { formatReport } from "./mod.ts";
import type { ExerciseResult, Report } from "./result.ts";
import { exercismProblems } from "./testdata/exercism_schema.ts";
import { sampleExercise, sampleReport, sampleTest as test } from "./testdata/sample_report.ts";

const CODE = 'it("adds", () => {\n  assert.equal(add(1, 2), 3);\n})';
const exercise = sampleExercise([
  test("task 1: add() > adds", { test_code: CODE }),
  test("task 2: add() > adds negatives", {
    status: "fail",
    message: "AssertionError: 1 !== 2",
    reason: "assertion",
    output: "printed\n",
  }),
  test("task 2: add() adds zero", { hidden: true, file: "x.hidden.ts", test_code: "secret()" }),
  test("helpers > loops", {
    hidden: true,
    status: "error",
    reason: "cpu-loop",
    message: "cpu-loop: killed after 10 s",
  }),
]);
const report = sampleReport(exercise);
const PLACE = "exercises/01_add/add.ts:4:2: SyntaxError: Unexpected }";
const crashed = (message: string, reason: string): ExerciseResult => ({
  ...exercise,
  score: 0,
  reason,
  tests: exercise.tests.map((t) => ({ ...t, status: "error", reason: "crash", message })),
});
const only = (e: ExerciseResult): Report => ({ ...report, exercises: [e] });
/** The document after a trip through its JSON text, checked against the spec. */
const valid = (r: Report, solutionPaths = false) => {
  const text = JSON.stringify(toExercism(r, { solutionPaths }));
  const doc = JSON.parse(text);
  assert.deepEqual(exercismProblems(doc), [], text);
  return doc as ReturnType<typeof toExercism>;
};

describe("toExercism()", () => {
  it("toExercism() writes version 3: status fail, message null, the tests in file order", () => {
    const d = valid(report);
    assert.equal(d.version, EXERCISM_VERSION);
    assert.equal(d.status, "fail");
    assert.equal(d.message, null);
    assert.deepEqual(d.tests.map((t) => [t.name, t.status]), [
      ["task 1: add() > adds", "pass"],
      ["task 2: add() > adds negatives", "fail"],
      ["task 2: add() adds zero", "pass"],
      ["helpers > loops", "error"],
    ]);
  });

  it("toExercism() gives a message only on fail and error, led by the reason it does not repeat", () => {
    assert.deepEqual(toExercism(report).tests.map((t) => t.message), [
      undefined,
      "[assertion] AssertionError: 1 !== 2",
      undefined,
      "cpu-loop: killed after 10 s",
    ]);
  });

  it("toExercism() shows a visible test's code and never a hidden test's", () => {
    const d = toExercism(report);
    assert.equal(d.tests[0]!.test_code, CODE);
    assert.equal(d.tests[1]!.test_code, undefined, "no code known: absent");
    assert.equal(d.tests[2]!.test_code, HIDDEN_TEST_CODE);
    assert.ok(!JSON.stringify(d).includes("secret()"), "a hidden test's code never shows");
  });

  it("toExercism() links a test to the task its name starts with, and omits task_id otherwise", () => {
    assert.deepEqual(toExercism(report).tests.map((t) => t.task_id), [1, 2, 2, undefined]);
    assert.ok(!("task_id" in toExercism(report).tests[3]!));
  });

  it("toExercism() attaches output only to tests that printed", () => {
    assert.deepEqual(toExercism(report).tests.map((t) => t.output), [
      undefined,
      "printed\n",
      undefined,
      undefined,
    ]);
  });

  it("toExercism() says pass when every test passed", () => {
    const d = valid(only({ ...exercise, score: 10, tests: [test("task 1: a"), test("b")] }));
    assert.deepEqual([d.status, d.message], ["pass", null]);
  });

  it("toExercism() is in error when the code did not load, with its file:line and the line", () => {
    const msg = `crash: the test file did not load: ${PLACE}\n  4 | }}\n    |  ^`;
    const r = only(crashed(msg, `crash: x.test.ts did not load: ${PLACE}`));
    const d = valid(r);
    assert.equal(d.status, "error");
    assert.equal(
      d.message,
      `The code did not load (a syntax error, or an exception thrown while it loaded):\n${PLACE}\n  4 | }}\n    |  ^`,
    );
    assert.ok(d.tests.every((t) => t.status === "error" && t.message === msg));
    // The runner's view: the student's file as the solution folder has it.
    const s = valid(r, true);
    assert.match(s.message!, /\nadd\.ts:4:2: SyntaxError: Unexpected \}\n/);
    assert.ok(!JSON.stringify(s).includes("exercises/01_add/"), "no workbook path left");
  });

  it("toExercism() says a crash at import is one, and when every test errored otherwise", () => {
    const exit = "crash: the process exited (code 3) while this test ran";
    const d = valid(only(crashed(exit, `crash: x.test.ts did not load: ${exit}`)));
    assert.equal(d.status, "error");
    assert.equal(
      d.message,
      `The code crashed while the tests loaded it (process.exit() or a fatal error at import):\ncrash: x.test.ts did not load: ${exit}`,
    );
    const loops = { ...exercise, tests: [exercise.tests[3]!] };
    assert.equal(
      valid(only(loops)).message,
      "Every test errored, so none ran to the end:\ncpu-loop: killed after 10 s",
    );
  });

  it("toExercism() puts a type error that scored 0 in error, naming each error's file:line:column", () => {
    const typed: ExerciseResult = {
      ...exercise,
      score: 0,
      reason: "type-error: 1 type error(s) in the stub files",
    };
    const d = valid(only(typed), true);
    const says =
      "The code does not type-check, so no test counts (1 type error):\nadd.ts:2:9: TS2322: nope";
    assert.equal(d.status, "error");
    assert.equal(d.message, says);
    assert.ok(d.tests.every((t) => t.status === "error"), "no test counts");
    assert.equal(d.tests[0]!.message, says);
    assert.equal(d.tests[1]!.message, `${says}\n\n[assertion] AssertionError: 1 !== 2`);
    // A syntax error is a type error too: the load error and its line come first.
    const msg = `crash: the test file did not load: ${PLACE}\n  4 | }}\n    |  ^`;
    const both = valid(only({ ...crashed(msg, "type-error: 1 type error(s) in the stub files") }));
    assert.equal(
      both.message,
      `The code did not load (a syntax error, or an exception thrown while it loaded):\n${PLACE}\n  4 | }}\n    |  ^\n\nThe code does not type-check, so no test counts (1 type error):\nexercises/01_add/add.ts:2:9: TS2322: nope`,
    );
    // Reported only (the default --type-errors report): the tests count as they ran.
    assert.equal(valid(report).status, "fail");
  });

  it("toExercism() is in error, naming the warnings, when no exercise was graded", () => {
    const d = valid({ ...report, exercises: [], warnings: ["deno: not installed"] });
    assert.deepEqual([d.status, d.message, d.tests], [
      "error",
      "No exercise was graded.\ndeno: not installed",
      [],
    ]);
    const empty = valid(only({ ...exercise, tests: [], reason: "crash: nothing declared" }));
    assert.deepEqual([empty.status, empty.message], ["error", "crash: nothing declared"]);
  });

  it("toExercism() prefixes names with the exercise when there are several, and fails if one crashed", () => {
    const two: Report = {
      ...report,
      exercises: [
        { ...exercise, tests: [test("task 1: a")] },
        { ...crashed("crash: boom", "crash: boom"), dir: "02_b" },
      ],
    };
    const d = valid(two);
    assert.equal(d.status, "fail");
    assert.equal(d.tests[0]!.name, "01_add: task 1: a");
    assert.equal(d.tests[0]!.task_id, 1, "task from the test's own name");
    assert.equal(d.tests[1]!.name, "02_b: task 1: add() > adds");
  });

  it("toExercism() cleans and escapes hostile text: quotes, backslashes, escapes, NUL, bidi", () => {
    const hostile = 'say "hi" \\ </script>\u001b[31mred\u001b]0;title\u0007\u0000\u202eevil\n';
    const r = only({
      ...exercise,
      tests: [test(`task 1: ${hostile}`, {
        status: "fail",
        reason: "assertion",
        message: hostile,
        output: hostile,
        test_code: hostile,
      })],
    });
    const d = valid(r);
    const t = d.tests[0]!;
    const clean = 'say "hi" \\ </script>redevil\n';
    assert.equal(t.name, `task 1: ${clean}`);
    assert.equal(t.message, `[assertion] ${clean}`);
    assert.equal(t.output, clean);
    assert.equal(t.test_code, clean);
    const text = formatExercism(r);
    for (const c of ["\u0000", "\u001b", "\u202e", "\\u0000", "\\u001b", "\\u202e"]) {
      assert.ok(!text.includes(c), JSON.stringify(c));
    }
  });

  it("toExercism() caps messages and code it is given in bulk", () => {
    const d = valid(only({
      ...exercise,
      tests: [test("a", {
        status: "fail",
        message: "m".repeat(50_000),
        output: "o".repeat(50_000),
        test_code: "c".repeat(50_000),
      })],
    }));
    assert.ok(d.tests[0]!.message!.length <= 8000);
    assert.equal(Array.from(d.tests[0]!.output!).length, OUTPUT_LIMIT);
    assert.ok(d.tests[0]!.test_code!.length <= 8000);
  });
});

describe("dedentCode()", () => {
  it("dedentCode() removes the indentation the lines after the first had in their file", () => {
    assert.equal(dedentCode('it("a", () => {\n    f();\n\n  })'), 'it("a", () => {\n  f();\n\n})');
    assert.equal(dedentCode("it(x)"), "it(x)");
    assert.equal(dedentCode("it(\nx\n)"), "it(\nx\n)", "nothing to remove");
  });

  it("toExercism() shows test code at the left margin", () => {
    const d = toExercism(
      only({ ...exercise, tests: [test("a", { test_code: "it(\n    x,\n  )" })] }),
    );
    assert.equal(d.tests[0]!.test_code, "it(\n  x,\n)");
  });
});

describe("capOutput()", () => {
  it("capOutput() keeps 500 characters as they are and cuts 501 to 500 saying it was truncated", () => {
    const at = "x".repeat(OUTPUT_LIMIT);
    assert.equal(capOutput(at), at);
    const cut = capOutput(at + "y");
    assert.equal(cut.length, OUTPUT_LIMIT);
    assert.ok(cut.endsWith(`\n${TRUNCATED_NOTE}`), cut);
    assert.match(cut, /truncated/);
    assert.ok(cut.startsWith("x".repeat(OUTPUT_LIMIT - TRUNCATED_NOTE.length - 1)));
  });

  it("capOutput() counts characters, not UTF-16 units, and never cuts one in half", () => {
    const emoji = "😀".repeat(400); // 400 characters, 800 UTF-16 units
    assert.equal(capOutput(emoji), emoji);
    const cut = capOutput("😀".repeat(600));
    assert.equal(Array.from(cut).length, OUTPUT_LIMIT);
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut), "no lone surrogate");
  });
});

describe("taskIdOf()", () => {
  it("taskIdOf() reads the task from a leading 'task N: ' and nothing else", () => {
    assert.equal(taskIdOf("task 3: gather() > keeps order"), 3);
    assert.equal(taskIdOf("Task 12: x"), 12);
    for (
      const name of ["tasks 1-2: x", "task 0: x", "a task 1: x", "task 1 x", "task one: x", ""]
    ) {
      assert.equal(taskIdOf(name), undefined, name);
    }
  });
});

describe("exercismError() and formatExercism()", () => {
  it("exercismError() is a valid document in error with the message cleaned", () => {
    const d = exercismError('Unknown exercise "x\u001b[2J"');
    assert.deepEqual(exercismProblems(d), []);
    assert.deepEqual(d, {
      version: 3,
      status: "error",
      message: 'Unknown exercise "x"',
      tests: [],
    });
  });

  it("formatExercism() is toExercism() as JSON ending with a newline, and the format exercism", () => {
    const text = formatExercism(report);
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual(JSON.parse(text), toExercism(report));
    assert.equal(
      formatReport(report, "exercism", { color: false, hiddenVisibility: "hidden" }),
      text,
    );
  });
});
