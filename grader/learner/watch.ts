/**
 * `grade --watch [ID] [--poll]`: rustlings-style watch mode. It grades the exercise being worked
 * on (the first one not done, or ID), re-grades it on every save, shows the first failing test
 * with its whole message and the workbook's progress bar, and moves on when the exercise is done.
 * Keys: n next, h hint, l list, c check all, r reset (asks), q quit. Progress is kept in
 * `.workbook-progress.json`, so a learner can stop and continue.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { discoverExercises, selectExercises } from "../engine/discover.ts";
import { formatPretty } from "../formats/pretty.ts";
import { grade } from "../engine/grade.ts";
import { hintLevels, readProgress, writeProgress } from "./progress.ts";
import type { Exercise, ExerciseResult, Report, Runtime } from "../engine/types.ts";
import { watchFiles, type FileWatch } from "./file_watch.ts";
import { readKeys, type KeyReader } from "./keys.ts";
import { resetExercise } from "./reset.ts";
import { renderScreen, type ScreenState } from "./screen.ts";

/** Options of {@linkcode watchMode}. */
export interface WatchModeOptions {
  /** The learner's workbook (also the grader's). */
  root: string;
  /** Exercise to start at (default: the first not done). */
  start?: string;
  /** Poll file times instead of using file events. */
  poll: boolean;
  /** Runtime to grade under. */
  runtime: Runtime;
  /** Colours. */
  color: boolean;
  /** Where the screen goes (default stdout). */
  write?: (text: string) => void;
}

/**
 * Grades some exercises of a workbook in place and records their status in the progress file.
 *
 * @param root Workbook root.
 * @param exercises Exercises to grade.
 * @param runtime Runtime.
 * @returns The report.
 */
export async function gradeInPlace(root: string, exercises: Exercise[], runtime: Runtime): Promise<Report> {
  const report = await grade({
    toolRoot: root,
    pristineRoot: root,
    submissionRoot: root,
    exercises,
    mode: "submission",
    runtimes: [runtime],
    typeCheck: false,
  });
  try {
    const p = readProgress(root);
    for (const e of report.exercises) p.last[e.dir] = { score: e.score, max_score: e.max_score, status: e.status };
    writeProgress(root, p);
  } catch { /* a read-only workbook keeps no progress */ }
  return report;
}

function hintsOf(root: string, ex: Exercise): Map<number, string> {
  const f = join(root, "exercises", ex.dir, "HINTS.md");
  return existsSync(f) ? hintLevels(readFileSync(f, "utf8")) : new Map();
}

/**
 * Runs watch mode until the learner quits.
 *
 * @param o Workbook, start, runtime and display.
 * @returns Exit code 0.
 * @throws {RangeError} When `start` names no exercise.
 */
export async function watchMode(o: WatchModeOptions): Promise<number> {
  const all = discoverExercises(o.root);
  if (all.length === 0) throw new RangeError(`No exercises in ${o.root}/exercises`);
  const write = o.write ?? ((t: string) => process.stdout.write(t));
  const tty = process.stdout.isTTY === true;
  const isDone = (dir: string) => readProgress(o.root).last[dir]?.status === "done";
  let index = o.start !== undefined
    ? all.indexOf(selectExercises(all, [o.start])[0]!)
    : Math.max(0, all.findIndex((e) => !isDone(e.dir)));
  const results = new Map<string, ExerciseResult>();
  let grading = false;
  let again = false;
  let panel = "";
  let notice = "";
  let listOpen = false;
  let confirm: ((yes: boolean) => void) | null = null;
  let files: FileWatch | null = null;
  let keys: KeyReader | null = null;
  let finish: () => void = () => {};
  const ended = new Promise<void>((r) => (finish = r));

  const state = (): ScreenState => {
    const ex = all[index]!;
    const levels = hintsOf(o.root, ex);
    const p = readProgress(o.root);
    return {
      exercise: ex,
      result: results.get(ex.dir) ?? null,
      grading,
      done: all.filter((e) => p.last[e.dir]?.status === "done").length,
      total: all.length,
      hints: { shown: p.hints[ex.dir] ?? 0, max: Math.max(0, ...levels.keys()) },
      panel,
      notice,
      color: o.color,
    };
  };
  const draw = () => write((tty ? "\x1b[2J\x1b[H" : "\n======== grade --watch ========\n") + renderScreen(state()));

  const watchCurrent = () => {
    files?.stop();
    const ex = all[index]!;
    files = watchFiles(ex.meta.stubs.map((s) => join(o.root, "exercises", ex.dir, s)), () => {
      notice = "saved: re-grading";
      void regrade();
    }, { poll: o.poll });
  };

  const moveTo = (i: number, why: string) => {
    index = (i + all.length) % all.length;
    panel = "";
    notice = why;
    watchCurrent();
    void regrade();
  };

  const regrade = async (): Promise<void> => {
    if (grading) {
      again = true;
      return;
    }
    grading = true;
    draw();
    const ex = all[index]!;
    try {
      const report = await gradeInPlace(o.root, [ex], o.runtime);
      results.set(ex.dir, report.exercises[0]!);
    } catch (e) {
      notice = `could not grade: ${(e as Error).message}`;
    }
    grading = false;
    if (again) {
      again = false;
      return regrade();
    }
    const r = results.get(ex.dir);
    if (r?.status === "done") {
      const next = all.findIndex((e, i) => i > index && !isDone(e.dir));
      const wrap = next === -1 ? all.findIndex((e) => !isDone(e.dir)) : next;
      if (wrap === -1) {
        panel = "Every exercise is done. Well played! Press q to quit.";
        notice = `${ex.dir} is done.`;
        draw();
        return;
      }
      moveTo(wrap, `${ex.dir} is done: moved on to ${all[wrap]!.dir}.`);
      return;
    }
    draw();
  };

  const showHint = () => {
    const ex = all[index]!;
    const levels = hintsOf(o.root, ex);
    const max = Math.max(0, ...levels.keys());
    if (max === 0) {
      panel = `${ex.dir} has no hints.`;
      return;
    }
    const p = readProgress(o.root);
    const level = Math.min((p.hints[ex.dir] ?? 0) + 1, max);
    p.hints[ex.dir] = Math.max(p.hints[ex.dir] ?? 0, level);
    try {
      writeProgress(o.root, p);
    } catch { /* read-only */ }
    panel = `Hint level ${level} of ${max}:\n\n${levels.get(level) ?? ""}`;
  };

  const listPanel = () => {
    const p = readProgress(o.root);
    return "Exercises (press any key to go back):\n" + all.map((e, i) => {
      const l = p.last[e.dir];
      const st = l ? `${l.status} ${l.score}/${l.max_score}` : "not graded";
      return `${i === index ? ">" : " "} ${e.dir.padEnd(34)} ${st}`;
    }).join("\n");
  };

  const onKey = async (key: string) => {
    if (confirm) {
      const c = confirm;
      confirm = null;
      c(key === "y");
      return;
    }
    if (listOpen) {
      listOpen = false;
      panel = "";
      draw();
      return;
    }
    switch (key) {
      case "q":
        finish();
        return;
      case "n":
        moveTo(index + 1, `skipped to ${all[(index + 1) % all.length]!.dir}`);
        return;
      case "h":
        showHint();
        draw();
        return;
      case "l":
        listOpen = true;
        panel = listPanel();
        draw();
        return;
      case "c": {
        panel = "checking every exercise ...";
        draw();
        try {
          const report = await gradeInPlace(o.root, all, o.runtime);
          for (const e of report.exercises) results.set(e.dir, e);
          panel = formatPretty(report, { color: o.color, details: false });
        } catch (e) {
          panel = `could not grade: ${(e as Error).message}`;
        }
        draw();
        return;
      }
      case "r": {
        const ex = all[index]!;
        try {
          const r = await resetExercise(o.root, ex, {
            yes: false,
            ask: (q) => {
              panel = `${q}(press y to reset, any other key to keep your version)`;
              draw();
              return new Promise<boolean>((res) => (confirm = res));
            },
          });
          panel = r.message;
          if (r.restored) {
            notice = "reset: re-grading";
            void regrade();
            return;
          }
        } catch (e) {
          panel = (e as Error).message;
        }
        draw();
        return;
      }
      default:
        return;
    }
  };

  watchCurrent();
  keys = readKeys((k) => void onKey(k), () => finish());
  notice = `watching with ${(files as FileWatch | null)?.mode === "events" ? "file events" : "polling every 500 ms"}; keys work ${keys.mode === "raw" ? "as you press them" : "after Enter"}`;
  void regrade();
  await ended;
  (files as FileWatch | null)?.stop();
  keys.stop();
  write("\nBye. Your progress is saved in .workbook-progress.json; run grade --watch to continue.\n");
  return 0;
}
