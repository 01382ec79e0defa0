import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ExerciseResult } from "../formats/result.ts";
import { initial, reduce, type WatchEvent, type WatchState } from "./watch_state.ts";

const DIRS = ["01_a", "02_b", "03_c"];
const result = (
  dir: string,
  status: ExerciseResult["status"],
  score = status === "done" ? 10 : 5,
): ExerciseResult => ({
  id: dir.slice(0, 2),
  dir,
  slug: dir.slice(3),
  title: dir,
  score,
  max_score: 10,
  status,
  tests: [],
  type_errors: [],
  warnings: [],
  time: 0,
});
/** Applies events in order; returns the last state and every effect's type and folder. */
function run(state: WatchState, ...events: WatchEvent[]) {
  const effects: string[] = [];
  for (const e of events) {
    const r = reduce(state, e);
    state = r.state;
    effects.push(...r.effects.map((x) => ("dir" in x ? `${x.type}:${x.dir}` : x.type)));
  }
  return { state, effects };
}

describe("watch state machine", () => {
  it("initial() watches and grades the first exercise not done", () => {
    const { state, effects } = initial(DIRS, new Set(["01_a"]));
    assert.equal(state.index, 1);
    assert.deepEqual(effects.map((e) => e.type), ["watch-files", "grade"]);
  });

  it("reduce() stops a grade a save made stale, and grades again once", () => {
    const s0 = initial(DIRS, new Set()).state;
    const { state, effects } = run(s0, { type: "saved" }, { type: "saved" }, {
      type: "graded",
      dir: "01_a",
      result: result("01_a", "in-progress"),
    });
    assert.deepEqual(
      effects,
      ["cancel-grade", "cancel-grade", "grade:01_a"],
      "the stale grade is stopped; one re-grade follows",
    );
    assert.equal(state.grading, "01_a");
  });

  it("reduce() replaces 'saved: re-grading' with the result when the grade ends", () => {
    const s0 = { ...initial(DIRS, new Set()).state, grading: null };
    const { state } = run(s0, { type: "saved" }, {
      type: "graded",
      dir: "01_a",
      result: result("01_a", "in-progress"),
    });
    assert.equal(state.notice, "graded 01_a: 5/10");
    assert.equal(state.grading, null);
  });

  it("reduce() moves on to the next exercise not done when the current one is done", () => {
    const s0 = initial(DIRS, new Set(["02_b"])).state;
    const { state, effects } = run(s0, {
      type: "graded",
      dir: "01_a",
      result: result("01_a", "done"),
    });
    assert.equal(state.index, 2);
    assert.deepEqual(effects, ["watch-files:03_c", "grade:03_c"]);
    assert.match(state.notice, /01_a is done: moved on to 03_c/);
  });

  it("reduce() congratulates when every exercise is done", () => {
    const s0 = initial(DIRS, new Set(["02_b", "03_c"])).state;
    const { state, effects } = run(s0, {
      type: "graded",
      dir: "01_a",
      result: result("01_a", "done"),
    });
    assert.deepEqual(effects, []);
    assert.deepEqual(state.panel, {
      kind: "text",
      text: "Every exercise is done. Well played! Press q to quit.",
    });
  });

  it("reduce() does not swallow the key pressed after the list: it closes the list and acts", () => {
    const s0 = { ...initial(DIRS, new Set()).state, grading: null };
    const { state, effects } = run(s0, { type: "key", key: "l" }, { type: "key", key: "n" });
    assert.equal(state.panel.kind, "none");
    assert.equal(state.index, 1);
    assert.deepEqual(effects, ["watch-files:02_b", "grade:02_b"]);
  });

  it("reduce() passes a reset's question on: y answers yes, any other key no, and never also acts", () => {
    const s0 = { ...initial(DIRS, new Set()).state, grading: null };
    const asked: WatchEvent = { type: "reset-asks", question: "Reset 01_a?" };
    const yes = run(s0, { type: "key", key: "r" }, asked, { type: "key", key: "y" });
    assert.deepEqual(yes.effects, ["reset:01_a", "reset-answer"]);
    const kept = run(s0, { type: "key", key: "r" }, asked, { type: "key", key: "n" });
    assert.deepEqual(kept.effects, ["reset:01_a", "reset-answer"]);
    assert.equal(kept.state.index, 0, "the answer key does not also skip");
    const after = run(s0, { type: "reset-done", message: "restored", restored: true });
    assert.deepEqual(after.effects, ["grade:01_a"]);
  });

  it("reduce() queues the next exercise's grade behind a running one when n is pressed", () => {
    const s0 = initial(DIRS, new Set()).state;
    const { state, effects } = run(s0, { type: "key", key: "n" }, {
      type: "graded",
      dir: "01_a",
      result: result("01_a", "in-progress"),
    });
    assert.deepEqual(effects, ["watch-files:02_b", "cancel-grade", "grade:02_b"]);
    assert.equal(state.grading, "02_b");
    assert.equal(state.results["01_a"]!.score, 5, "the finished grade is kept");
  });

  it("reduce() shows type errors that arrive after the verdict, and a grade failure on the status line", () => {
    const s0 = { ...initial(DIRS, new Set()).state, grading: null };
    const typed = run(s0, { type: "graded", dir: "01_a", result: result("01_a", "in-progress") }, {
      type: "typed",
      dir: "01_a",
      errors: [{ file: "exercises/01_a/a.ts", line: 3, column: 5, message: "TS2322: nope" }],
    });
    assert.equal(typed.state.results["01_a"]!.type_errors.length, 1);
    const failed = run({ ...s0, grading: "01_a" }, {
      type: "grade-failed",
      dir: "01_a",
      message: "no bun",
    });
    assert.equal(failed.state.notice, "could not grade: no bun");
  });

  it("reduce() quits on q and ignores everything after", () => {
    const s0 = initial(DIRS, new Set()).state;
    const { state, effects } = run(s0, { type: "key", key: "q" }, { type: "saved" });
    assert.equal(state.quit, true);
    assert.deepEqual(effects, ["quit"]);
  });

  it("reduce() records the results of check all, marking done exercises", () => {
    const s0 = initial(DIRS, new Set()).state;
    const { state } = run(s0, { type: "key", key: "c" }, {
      type: "checked",
      results: [result("02_b", "done")],
      summary: "table",
    });
    assert.ok(state.done.has("02_b"));
    assert.deepEqual(state.panel, { kind: "text", text: "table" });
  });
});
