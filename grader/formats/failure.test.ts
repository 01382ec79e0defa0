import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  formatExerciseFailures,
  formatFailedTest,
  formatPrettyFull,
  indentMessage,
  MAX_MESSAGE_LINES,
  whereToLook,
} from "./failure.ts";
import { formatPretty } from "./pretty.ts";
import type { ExerciseResult, Report } from "./result.ts";
import {
  exerciseResult as result,
  testResult as test,
  TIMELINE_MESSAGE as TIMELINE,
} from "../engine/testdata/results.ts";

function reportOf(exercises: ExerciseResult[]): Report {
  return {
    mode: "submission",
    runs: [],
    exercises,
    score: exercises.reduce((s, e) => s + e.score, 0),
    max_score: 10 * exercises.length,
    runtime: "bun",
    time: 1,
    warnings: [],
  };
}
const failing = (name: string, message = TIMELINE) =>
  test({ name, status: "fail", reason: "assertion", message });

describe("indentMessage()", () => {
  it("indentMessage() keeps every line of a timeline and caps long messages", () => {
    assert.equal(indentMessage(TIMELINE, 2).split("\n").length, 4);
    assert.match(
      indentMessage(TIMELINE, 2),
      /\n {2}task 1 {2}1000\.\.2000 {5}0\.\.1000 {5}<-- differs/,
    );
    const long = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    assert.match(indentMessage(long, 0, 10), /\.\.\. \(40 more lines\)$/);
  });

  it("indentMessage() keeps MAX_MESSAGE_LINES lines by default, leaves blank lines bare and drops trailing space", () => {
    const long = Array.from({ length: MAX_MESSAGE_LINES + 5 }, (_, i) => `l${i}`).join("\n");
    const lines = indentMessage(long, 1).split("\n");
    assert.equal(lines.length, MAX_MESSAGE_LINES + 1);
    assert.equal(lines.at(-1), " ... (5 more lines)");
    assert.equal(indentMessage("a\n\n  \nb\n\n", 2), "  a\n\n\n  b");
  });
});

describe("formatFailedTest()", () => {
  it("formatFailedTest() shows the mark, the name, the hidden tag, the virtual time and the reason", () => {
    const t = test({
      name: "g()",
      hidden: true,
      status: "fail",
      reason: "deadlock",
      message: "DeadlockError: stuck\nat t=2000",
      virtual_ms: 2000,
    });
    assert.equal(
      formatFailedTest(t, false),
      "    x g() [hidden] (virtual t=2000 ms) [deadlock]\n      DeadlockError: stuck\n      at t=2000",
    );
    assert.ok(formatFailedTest(t, true).includes("\x1b[33m[deadlock]\x1b[0m"));
  });

  it("formatFailedTest() says (no message) for an empty message and adds the output, capped at 10 lines", () => {
    const out = Array.from({ length: 12 }, (_, i) => `out ${i}`).join("\n");
    const text = formatFailedTest(test({ status: "fail", output: out }), false);
    const lines = text.split("\n");
    assert.equal(lines[0], "    x f() works");
    assert.equal(lines[1], "      (no message)");
    assert.equal(lines[2], "      output:");
    assert.equal(lines[3], "        out 0");
    assert.equal(lines.at(-1), "        ... (2 more lines)");
    assert.equal(lines.length, 3 + 10 + 1);
  });
});

describe("formatExerciseFailures()", () => {
  it("formatExerciseFailures() is empty when nothing failed and there is no reason or type error", () => {
    assert.equal(formatExerciseFailures(result([test()]), false), "");
  });

  it("formatExerciseFailures() shows the reason, the type errors and each failing test", () => {
    const e = result([test(), failing("a"), failing("b")], {
      reason: "cpu-loop: 1 test(s) never finished",
      type_errors: [{ file: "exercises/01_add/add.ts", line: 3, column: 5, message: "TS2322: x" }],
    });
    const text = formatExerciseFailures(e, false);
    assert.ok(text.startsWith("01_add: Add\n  cpu-loop: 1 test(s) never finished\n"));
    assert.match(text, /\n {2}type error exercises\/01_add\/add\.ts:3:5 TS2322: x\n/);
    assert.equal(text.match(/^ {4}x /gm)?.length, 2);
    assert.ok(text.endsWith("\n"));
  });

  it("formatExerciseFailures() shows at most `limit` failing tests and counts the rest", () => {
    const e = result([failing("a"), failing("b"), failing("c"), failing("d")]);
    const text = formatExerciseFailures(e, false, 1);
    assert.equal(text.match(/^ {4}x /gm)?.length, 1);
    assert.match(text, /\n {4}\.\.\. and 3 more failing test\(s\)\n$/);
  });
});

describe("formatPrettyFull()", () => {
  it("formatPrettyFull() shows whole multi-line messages above the score table", () => {
    const e = result([
      test(),
      test({
        name: "g() keeps the schedule",
        status: "fail",
        reason: "assertion",
        message: TIMELINE,
      }),
    ], { status: "in-progress" });
    const report: Report = {
      mode: "submission",
      runs: [],
      exercises: [e],
      score: e.score,
      max_score: 10,
      runtime: "bun",
      time: 1,
      warnings: [],
    };
    const text = formatPrettyFull(report, false);
    assert.match(
      text,
      /x g\(\) keeps the schedule \[assertion\]\n {6}AssertionError: the schedule differs/,
    );
    assert.match(text, /task 1 {2}1000\.\.2000/);
    assert.ok(text.indexOf("task 1") < text.indexOf("Total:"));
  });

  it("formatPrettyFull() skips not-started exercises and ends with the table without details", () => {
    const untouched = result([failing("todo", "Error: not implemented (task 1)")], {
      dir: "02_greet",
      title: "Greet",
    });
    const started = result([test(), failing("a")], { status: "in-progress" });
    const report = reportOf([started, untouched]);
    const text = formatPrettyFull(report, false);
    assert.ok(!text.includes("02_greet: Greet"), "a not-started exercise has no failure block");
    assert.ok(!text.includes("not implemented"));
    assert.ok(text.endsWith(formatPretty(report, { color: false, details: false })));
    assert.ok(text.startsWith(formatExerciseFailures(started, false)));
  });

  it("formatPrettyFull() of a mutants report is the pretty format's", () => {
    const report: Report = {
      ...reportOf([]),
      mode: "mutants",
      mutants: [{
        exercise: "01_add",
        mutant: "m",
        description: "d",
        caught: false,
        caught_by: [],
      }],
      mutation_score: 0,
    };
    assert.equal(formatPrettyFull(report, false), formatPretty(report, { color: false }));
  });
});

describe("whereToLook()", () => {
  const dead = (site: string, fn?: string) => ({
    name: "t",
    file: "x.test.ts",
    hidden: false,
    status: "error" as const,
    message: "DeadlockError: ...",
    output: "",
    reason: "deadlock" as const,
    weight: 1,
    time: 0,
    diagnosis: { waits: [{ site: "exercises/08_lock/lock.test.ts:3" }, { site, fn }] },
  });
  it("whereToLook() names the stub site most deadlocked tests wait at, skipping test files", () => {
    const line = whereToLook([
      dead("exercises/08_lock/lock.ts:79", "acquire"),
      dead("exercises/08_lock/lock.ts:79", "acquire"),
      dead("exercises/08_lock/lock.ts:12"),
    ]);
    assert.equal(line, "2 deadlocked tests wait at exercises/08_lock/lock.ts:79 (acquire)");
  });
  it("whereToLook() adds what the primitives said most often, numbers aside", () => {
    const said = (details: string[]) => ({
      ...dead("exercises/08_lock/lock.ts:79", "Lock.acquire"),
      diagnosis: { waits: [{ site: "exercises/08_lock/lock.ts:79", fn: "Lock.acquire" }], details },
    });
    const line = whereToLook([
      said(["Queue: empty"]),
      said(["Lock: free, 2 acquire() calls waiting (free while acquire() waits)"]),
      said(["Lock: free, 3 acquire() calls waiting (free while acquire() waits)"]),
    ]);
    assert.equal(
      line,
      "3 deadlocked tests wait at exercises/08_lock/lock.ts:79 (Lock.acquire); " +
        "Lock: free, 2 acquire() calls waiting (free while acquire() waits)",
    );
  });
  it("whereToLook() prefers a line about waiting calls to a more frequent idle one", () => {
    const said = (details: string[]) => ({
      ...dead("exercises/16_pipeline/given_channel.ts:210", "Channel.#wait"),
      diagnosis: {
        waits: [{ site: "exercises/16_pipeline/given_channel.ts:210", fn: "Channel.#wait" }],
        details,
      },
    });
    const line = whereToLook([
      said(["Channel: empty, capacity 2, closed"]),
      said([
        "Channel: empty, capacity 2, closed",
        "Channel: empty, capacity 2, open, 1 receive() call waiting (hint)",
      ]),
    ]);
    assert.match(
      line ?? "",
      /; Channel: empty, capacity 2, open, 1 receive\(\) call waiting \(hint\)$/,
    );
  });
  it("whereToLook() is null without a diagnosed deadlock in the code under test", () => {
    assert.equal(whereToLook([]), null);
    assert.equal(whereToLook([dead("exercises/08_lock/lock.hidden.ts:4")]), null);
  });
});
