/**
 * Watch mode as a state machine: `reduce(state, event)` returns the next state and the effects
 * to carry out (grade, show a hint, reset, quit). Pure, so every transition has a unit test; the
 * I/O shell in watch.ts feeds it events (saves, keys, finished grades) and runs its effects.
 *
 * @module
 */

import type { ExerciseResult } from "../formats/result.ts";

/** What is on screen besides the verdict. */
export type Panel =
  | { kind: "none" }
  | { kind: "text"; text: string }
  | { kind: "list" }
  | { kind: "confirm-reset"; question: string };

/** The whole state of a watch session. */
export interface WatchState {
  /** Exercise folders, in course order. */
  exercises: readonly string[];
  /** Index of the exercise being watched. */
  index: number;
  /** Last result per exercise folder. */
  results: Readonly<Record<string, ExerciseResult>>;
  /** Exercises done (from the progress file and this session). */
  done: ReadonlySet<string>;
  /** A grade is running for this folder, or null. */
  grading: string | null;
  /** A save arrived while grading: grade again when it ends. */
  again: boolean;
  /** The panel. */
  panel: Panel;
  /** The status line. */
  notice: string;
  /** The session is over. */
  quit: boolean;
}

/** Something that happened. */
export type WatchEvent =
  | { type: "saved" }
  | { type: "key"; key: string }
  | { type: "graded"; dir: string; result: ExerciseResult }
  | { type: "typed"; dir: string; errors: ExerciseResult["type_errors"]; note?: string }
  | { type: "grade-failed"; dir: string; message: string }
  | { type: "checked"; results: ExerciseResult[]; summary: string }
  | { type: "panel"; text: string }
  | { type: "reset-asks"; question: string }
  | { type: "reset-done"; message: string; restored: boolean };

/** Something the shell must do. */
export type WatchEffect =
  | { type: "grade"; dir: string }
  | { type: "cancel-grade" }
  | { type: "watch-files"; dir: string }
  | { type: "check-all" }
  | { type: "hint"; dir: string }
  | { type: "reset"; dir: string }
  | { type: "reset-answer"; yes: boolean }
  | { type: "quit" };

/**
 * The first state, watching `start` (or the first exercise not done), with its first grade.
 *
 * @param exercises Exercise folders in course order.
 * @param done Folders already done.
 * @param start Folder to start at, when asked.
 * @returns The state and the effects to start with.
 */
export function initial(
  exercises: readonly string[],
  done: ReadonlySet<string>,
  start?: string,
): { state: WatchState; effects: WatchEffect[] } {
  const i = start !== undefined
    ? exercises.indexOf(start)
    : exercises.findIndex((d) => !done.has(d));
  const index = Math.max(0, i);
  const dir = exercises[index]!;
  const state: WatchState = {
    exercises,
    index,
    results: {},
    done,
    grading: dir,
    again: false,
    panel: { kind: "none" },
    notice: "",
    quit: false,
  };
  return { state, effects: [{ type: "watch-files", dir }, { type: "grade", dir }] };
}

const current = (s: WatchState) => s.exercises[s.index]!;

/** Moves to exercise `i` and grades it (or queues the grade behind the running one). */
function moveTo(
  s: WatchState,
  i: number,
  notice: string,
): { state: WatchState; effects: WatchEffect[] } {
  const index = (i + s.exercises.length) % s.exercises.length;
  const dir = s.exercises[index]!;
  const next = { ...s, index, panel: { kind: "none" } as Panel, notice };
  if (s.grading !== null) {
    return {
      state: { ...next, again: true },
      effects: [{ type: "watch-files", dir }, { type: "cancel-grade" }],
    };
  }
  return {
    state: { ...next, grading: dir },
    effects: [{ type: "watch-files", dir }, { type: "grade", dir }],
  };
}

/** The next exercise not done after the current one, wrapping; -1 when all are done. */
function nextUndone(s: WatchState, done: ReadonlySet<string>): number {
  const n = s.exercises.length;
  for (let k = 1; k <= n; k++) {
    const i = (s.index + k) % n;
    if (!done.has(s.exercises[i]!)) return i;
  }
  return -1;
}

function onKey(s: WatchState, key: string): { state: WatchState; effects: WatchEffect[] } {
  if (s.panel.kind === "confirm-reset") {
    // The answer to the question is consumed by it: it never also acts as a command key.
    const text = key === "y" ? "resetting ..." : "";
    return {
      state: { ...s, panel: { kind: "text", text } },
      effects: [{ type: "reset-answer", yes: key === "y" }],
    };
  }
  // A key pressed while the list is open closes it and also acts (it is never swallowed).
  const t = s.panel.kind === "list" ? { ...s, panel: { kind: "none" } as Panel } : s;
  switch (key) {
    case "q":
      return { state: { ...t, quit: true }, effects: [{ type: "quit" }] };
    case "n":
      return moveTo(
        t,
        t.index + 1,
        `skipped to ${t.exercises[(t.index + 1) % t.exercises.length]}`,
      );
    case "h":
      return { state: t, effects: [{ type: "hint", dir: current(t) }] };
    case "l":
      return {
        state: { ...t, panel: s.panel.kind === "list" ? { kind: "none" } : { kind: "list" } },
        effects: [],
      };
    case "c":
      return {
        state: { ...t, panel: { kind: "text", text: "checking every exercise ..." } },
        effects: [{ type: "check-all" }],
      };
    case "r":
      return { state: t, effects: [{ type: "reset", dir: current(t) }] };
    default:
      return { state: t, effects: [] };
  }
}

/**
 * The next state after an event.
 *
 * @param s The state.
 * @param e The event.
 * @returns The next state and the effects to run.
 *
 * @example
 * ```ts
 * import { initial, reduce } from "./watch_state.ts";
 * const { state } = initial(["01_a", "02_b"], new Set());
 * reduce(state, { type: "key", key: "n" }).state.index; // 1
 * ```
 */
export function reduce(
  s: WatchState,
  e: WatchEvent,
): { state: WatchState; effects: WatchEffect[] } {
  if (s.quit) return { state: s, effects: [] };
  switch (e.type) {
    case "saved": {
      if (s.grading !== null) {
        // The running grade is of an older version: stop it and grade the new one.
        return {
          state: { ...s, again: true, notice: "saved: re-grading" },
          effects: [{ type: "cancel-grade" }],
        };
      }
      return {
        state: { ...s, grading: current(s), notice: "saved: re-grading" },
        effects: [{ type: "grade", dir: current(s) }],
      };
    }
    case "key":
      return onKey(s, e.key);
    case "graded":
    case "grade-failed": {
      const results = e.type === "graded" ? { ...s.results, [e.dir]: e.result } : s.results;
      const done = e.type === "graded" && e.result.status === "done"
        ? new Set([...s.done, e.dir])
        : s.done;
      const base = { ...s, results, done, grading: null };
      if (s.again || e.dir !== current(s)) {
        return {
          state: { ...base, again: false, grading: current(s), notice: s.again ? s.notice : "" },
          effects: [{ type: "grade", dir: current(s) }],
        };
      }
      if (e.type === "grade-failed") {
        return { state: { ...base, notice: `could not grade: ${e.message}` }, effects: [] };
      }
      const stamp = `graded ${e.dir}: ${e.result.score}/${e.result.max_score}`;
      if (e.result.status !== "done") return { state: { ...base, notice: stamp }, effects: [] };
      const next = nextUndone(base, done);
      if (next === -1) {
        return {
          state: {
            ...base,
            notice: `${e.dir} is done.`,
            panel: { kind: "text", text: "Every exercise is done. Well played! Press q to quit." },
          },
          effects: [],
        };
      }
      return moveTo(base, next, `${e.dir} is done: moved on to ${s.exercises[next]}.`);
    }
    case "checked": {
      const results = { ...s.results };
      const done = new Set(s.done);
      for (const r of e.results) {
        results[r.dir] = r;
        if (r.status === "done") done.add(r.dir);
      }
      return {
        state: { ...s, results, done, panel: { kind: "text", text: e.summary } },
        effects: [],
      };
    }
    case "typed": {
      const r = s.results[e.dir];
      if (!r) return { state: s, effects: [] };
      const notice = e.note && e.dir === current(s)
        ? `${s.notice}${s.notice ? "; " : ""}${e.note}`
        : s.notice;
      return {
        state: {
          ...s,
          results: { ...s.results, [e.dir]: { ...r, type_errors: e.errors } },
          notice,
        },
        effects: [],
      };
    }
    case "panel":
      return { state: { ...s, panel: { kind: "text", text: e.text } }, effects: [] };
    case "reset-asks":
      return {
        state: { ...s, panel: { kind: "confirm-reset", question: e.question } },
        effects: [],
      };
    case "reset-done": {
      const st = { ...s, panel: { kind: "text", text: e.message } as Panel };
      if (!e.restored) return { state: st, effects: [] };
      if (s.grading !== null) {
        return { state: { ...st, again: true, notice: "reset: re-grading" }, effects: [] };
      }
      return {
        state: { ...st, grading: current(s), notice: "reset: re-grading" },
        effects: [{ type: "grade", dir: current(s) }],
      };
    }
  }
}
