import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { discoverExercises } from "../engine/discover.ts";
import { TOOL_ROOT } from "../engine/tool_root.ts";
import type { Exercise } from "../engine/types.ts";
import { KEY_LINE, renderFitted, renderScreen, type ScreenState } from "./screen.ts";
import {
  exerciseResult as result,
  testResult as test,
  TIMELINE_MESSAGE as TIMELINE,
} from "../engine/testdata/results.ts";

const exercise: Exercise = {
  id: "01",
  dir: "01_add",
  slug: "add",
  meta: {
    title: "Add",
    stubs: ["add.ts", "helper.ts"],
    weights: {},
    timeoutSec: 30,
    realTime: false,
  },
  pristineDir: "/nowhere/exercises/01_add",
  testFiles: ["add.test.ts"],
  expected: [],
  cpythonFiles: [],
  cpythonExpected: [],
};
const state = (over: Partial<ScreenState> = {}): ScreenState => ({
  exercise,
  result: null,
  grading: false,
  done: 0,
  total: 3,
  hintLine: "",
  panel: "",
  notice: "",
  color: false,
  ...over,
});

describe("renderScreen()", () => {
  it("renderScreen() shows the exercise, the progress bar, the first failure whole, the hint key and the keys", () => {
    const [ex] = discoverExercises(TOOL_ROOT);
    const r = result([
      test(),
      test({
        name: "g() keeps the schedule",
        status: "fail",
        reason: "assertion",
        message: TIMELINE,
      }),
    ], { status: "in-progress" });
    const text = renderScreen({
      exercise: ex!,
      result: r,
      grading: false,
      done: 2,
      total: 10,
      hintLine: "Stuck? press h for hint level 2 of task 1 (2 left).",
      panel: "",
      notice: "saved: re-grading",
      color: false,
    });
    assert.match(text, new RegExp(`Exercise ${ex!.dir}`));
    assert.match(text, /\[######>-+\] {2}2\/10 done/);
    assert.match(text, /First failing test: g\(\) keeps the schedule \[assertion\]/);
    assert.match(text, /task 1 {2}1000\.\.2000/);
    assert.match(text, /press h for hint level 2 of task 1/);
    assert.ok(text.includes(KEY_LINE));
  });

  it("renderScreen() names every stub file to edit under the title", () => {
    const lines = renderScreen(state()).split("\n");
    assert.equal(lines[0], "Exercise 01_add: Add");
    assert.equal(
      lines[1],
      "Edit exercises/01_add/add.ts, exercises/01_add/helper.ts and save: it is re-graded on every save.",
    );
    assert.equal(lines[2], `Progress [${">" + "-".repeat(29)}]  0/3 done`);
  });

  it("renderScreen() says grading while grading, and not graded yet before the first result", () => {
    const r = result([test()], { status: "done", score: 10 });
    const grading = renderScreen(state({ grading: true, result: r }));
    assert.match(grading, /\ngrading \.\.\.\n/);
    assert.ok(!grading.includes("DONE"), "the old verdict is not shown while grading");
    assert.match(renderScreen(state()), /\nnot graded yet\n/);
  });

  it("renderScreen() shows DONE with points and tests, and no failing test, when all pass", () => {
    const text = renderScreen(state({ result: result([test(), test()], { status: "done" }) }));
    assert.match(text, /\nDONE {2}10\/10 points, 2\/2 tests pass\n/);
    assert.ok(!text.includes("First failing test"));
  });

  it("renderScreen() shows the reason, at most three type errors, and the failing test's tags and output", () => {
    const te = (line: number) => ({
      file: "exercises/01_add/add.ts",
      line,
      column: 1,
      message: "TS1",
    });
    const r = result([
      test({
        name: "h",
        hidden: true,
        status: "error",
        reason: "cpu-loop",
        message: "",
        output: "printed\nmore",
      }),
    ], { status: "in-progress", reason: "cpu-loop: 1 test(s)", type_errors: [1, 2, 3, 4].map(te) });
    const text = renderScreen(state({ result: r }));
    assert.match(text, /\nin progress {2}0\/10 points, 0\/1 tests pass\ncpu-loop: 1 test\(s\)\n/);
    assert.equal(text.match(/^type error /gm)?.length, 3);
    assert.match(text, /First failing test: h \[hidden\] \[cpu-loop\]\n {2}\(no message\)\n/);
    assert.match(text, /\n {2}output:\n {4}printed\n {4}more\n/);
  });

  it("renderScreen() ends with the panel, the notice and the key line with the input mode", () => {
    const text = renderScreen(
      state({ panel: "## hint\n\ntext\n\n", notice: "saved: re-grading", mode: "polling" }),
    );
    assert.ok(text.endsWith(`## hint\n\ntext\n\nsaved: re-grading\n${KEY_LINE}   (polling)\n`));
  });

  it("renderScreen() colours only when asked", () => {
    const r = result([test()], { status: "done" });
    assert.ok(!renderScreen(state({ result: r })).includes("\x1b["));
    const coloured = renderScreen(state({ result: r, color: true }));
    assert.ok(coloured.includes("\x1b[32mDONE\x1b[0m"));
    assert.ok(coloured.includes("\x1b[1mExercise 01_add: Add\x1b[0m"));
  });
});

describe("renderFitted()", () => {
  const long = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => `${tag} line ${i + 1}`).join("\n");
  const failing = (message: string) =>
    result([test({ status: "fail", reason: "assertion", message })], { status: "in-progress" });

  it("renderFitted() keeps the header and the key line on a 40-row terminal under a long failure and a long panel (check all)", () => {
    const out = renderFitted(
      state({
        result: failing(`AssertionError: no\n${long(30, "message")}`),
        panel: `Checked every exercise: 0/320, 1 of 32 done.\n\n${long(40, "table")}`,
        notice: "graded 01_add: 0/10",
        hintLine: "Stuck? press h for hint level 1 of task 1 (3 left).",
      }),
      40,
    );
    const lines = out.replace(/\n$/, "").split("\n");
    assert.ok(lines.length <= 39, `${lines.length} lines: one row stays for the cursor`);
    assert.equal(lines[0], "Exercise 01_add: Add");
    assert.equal(lines.at(-1), KEY_LINE);
    assert.equal(lines.at(-2), "graded 01_add: 0/10");
    assert.ok(
      lines.some((l) => l.startsWith("Checked every exercise: 0/320")),
      "the panel's total",
    );
  });

  it("renderFitted() gives the panel the rows the rest leaves, and leaves a short screen alone", () => {
    const out = renderFitted(state({ panel: long(50, "table"), notice: "n" }), 30);
    const lines = out.replace(/\n$/, "").split("\n");
    assert.equal(lines.length, 29);
    assert.match(lines.at(-4)!, /^\.\.\. \(\d+ more lines\)$/);
    const short = state({ panel: "a hint", notice: "n" });
    assert.equal(renderFitted(short, 40), renderScreen(short));
  });
});

describe("renderFitted() and wrapping", () => {
  it("renderFitted() counts a line wider than the terminal as the rows it wraps to", () => {
    const wide = state({
      mode: "watching with polling every 100 ms; keys work as you press them",
      panel: Array.from({ length: 60 }, (_, i) => `row ${i}`).join("\n"),
      notice: "x".repeat(250),
    });
    const cols = 120;
    const out = renderFitted(wide, 40, cols).replace(/\n$/, "").split("\n");
    const rows = out.reduce((n, l) => n + Math.max(1, Math.ceil(l.length / cols)), 0);
    assert.ok(rows <= 39, `${rows} terminal rows`);
    assert.equal(out[0], "Exercise 01_add: Add");
    assert.ok(out.at(-1)!.startsWith(KEY_LINE));
  });
});
