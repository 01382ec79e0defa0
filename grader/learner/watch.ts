/**
 * `grade watch`: the I/O shell around the watch state machine (watch_state.ts). It turns saves,
 * keys and finished grades into events, runs the machine's effects (grade, type-check, hint,
 * reset, check all) and redraws the screen after each change. Errors of an effect are shown on
 * the status line, never dropped.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { discoverExercises, selectExercises } from "../engine/discover.ts";
import { Spare } from "../engine/spare.ts";
import { gradeInPlace } from "./grade_in_place.ts";
import { inPlace } from "../engine/grade_options.ts";
import { typeCheck } from "../engine/typecheck.ts";
import type { Runtime } from "../engine/types.ts";
import { formatPretty } from "../formats/pretty.ts";
import { type FileWatch, watchFiles } from "./file_watch.ts";
import { nextHint, readHints } from "./hints.ts";
import { showHintText } from "./hint_text.ts";
import { readKeys } from "./keys.ts";
import { ProgressStore } from "./progress.ts";
import { failingTasks } from "./record.ts";
import { resetExercise } from "./reset.ts";
import { renderFitted } from "./screen.ts";
import {
  initial,
  reduce,
  type WatchEffect,
  type WatchEvent,
  type WatchState,
} from "./watch_state.ts";

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
 * Runs watch mode until the learner quits.
 *
 * @param o Workbook, start, runtime and display.
 * @returns Exit code 0.
 * @throws {RangeError} When `start` names no exercise.
 */
export async function watchMode(o: WatchModeOptions): Promise<number> {
  const all = discoverExercises(o.root);
  if (all.length === 0) throw new RangeError(`No exercises in ${o.root}/exercises`);
  const byDir = new Map(all.map((e) => [e.dir, e]));
  const write = o.write ?? ((t: string) => process.stdout.write(t));
  const tty = process.stdout.isTTY === true;
  const store = new ProgressStore(o.root, (m) => (state = { ...state, notice: m }));
  const progress = store.read();
  const done = new Set(
    Object.entries(progress.last).filter(([, l]) => l.status === "done").map(([d]) => d),
  );
  const start = o.start !== undefined ? selectExercises(all, [o.start])[0]!.dir : undefined;
  const first = initial(all.map((e) => e.dir), done, start);
  let state: WatchState = first.state;
  let files: FileWatch | null = null;
  let answer: ((yes: boolean) => void) | null = null;
  let grading: AbortController | null = null;
  let checking: AbortController | null = null;
  // A process started ahead of the next save of the exercise on screen (engine/spare.ts): a
  // re-grade then costs its tests, not the runtime's start. Trusted: the learner's own code.
  let spare: Spare | null = null;
  const prepare = (dir: string) => {
    spare?.dispose();
    spare = null;
    try {
      spare = new Spare(inPlace(o.root, [byDir.get(dir)!], o.runtime), o.runtime);
    } catch {
      // No spare (no runtime, a workspace that cannot be made): the next grade starts cold and
      // says why if it cannot either.
      spare = null;
    }
  };
  let keyMode = "line";
  let finish: () => void = () => {};
  const ended = new Promise<void>((r) => (finish = r));

  const panelText = (): string => {
    if (state.panel.kind === "text") return state.panel.text;
    if (state.panel.kind === "confirm-reset") {
      return `Reset ${
        state.exercises[state.index]
      } to the pristine stub? Your version is kept in .workbook/backups/. (press y to reset, any other key to keep it)`;
    }
    if (state.panel.kind === "list") {
      const p = store.read();
      return "Exercises (press l again to close; any other key also acts):\n" + all.map((e, i) => {
        const l = p.last[e.dir];
        return `${i === state.index ? ">" : " "} ${e.dir.padEnd(34)} ${
          l ? `${l.status} ${l.score}/${l.max_score}` : "not graded"
        }`;
      }).join("\n");
    }
    return "";
  };
  const draw = () => {
    const ex = byDir.get(state.exercises[state.index]!)!;
    const hintsFile = join(o.root, "exercises", ex.dir, "HINTS.md");
    const book = existsSync(hintsFile) ? readHints(readFileSync(hintsFile, "utf8")) : null;
    const result = state.results[ex.dir];
    const h = book
      ? nextHint(book, store.read().hints[ex.dir] ?? {}, result ? failingTasks(result) : undefined)
      : undefined;
    const task = h && h.task !== "0" ? ` of task ${h.task}` : "";
    const hintLine = !h
      ? ""
      : h.exhausted
      ? `Every hint level${task} was shown (press h to see the last again).`
      : `Stuck? press h for hint level ${h.level}${task} (${h.remaining + 1} left).`;
    const mode =
      `watching with ${
        (files as FileWatch | null)?.mode === "events" ? "file events" : "polling every 100 ms"
      }; ` +
      `keys work ${keyMode === "raw" ? "as you press them" : "after Enter"}`;
    const screen = renderFitted(
      {
        exercise: ex,
        result: result ?? null,
        grading: state.grading === ex.dir,
        done: state.done.size,
        total: all.length,
        hintLine,
        mode,
        panel: panelText(),
        notice: state.notice,
        color: o.color,
      },
      process.stdout.rows ?? 40,
      process.stdout.columns ?? 80,
    );
    write((tty ? "\x1b[2J\x1b[H" : "\n======== grade watch ========\n") + screen);
  };

  const send = (e: WatchEvent) => {
    // After q, nothing redraws: a grade that ends as it is stopped would wipe the goodbye.
    if (state.quit) return;
    const r = reduce(state, e);
    state = r.state;
    draw();
    for (const eff of r.effects) run(eff);
  };
  const fail = (what: string) => (err: unknown) =>
    send({
      type: "panel",
      text: `${what} failed: ${err instanceof Error ? err.message : String(err)}`,
    });

  const run = (eff: WatchEffect) => {
    switch (eff.type) {
      case "quit":
        finish();
        return;
      case "watch-files": {
        files?.stop();
        const ex = byDir.get(eff.dir)!;
        files = watchFiles(
          ex.meta.stubs.map((s) => join(o.root, "exercises", ex.dir, s)),
          () => send({ type: "saved" }),
          {
            poll: o.poll,
            onError: (err) =>
              send({
                type: "panel",
                text: `watching the files failed: ${err.message}; restart with --poll`,
              }),
          },
        );
        return;
      }
      case "cancel-grade":
        grading?.abort();
        return;
      case "grade": {
        const ex = byDir.get(eff.dir)!;
        const ctl = new AbortController();
        grading = ctl;
        const warm = spare;
        spare = null;
        gradeInPlace(
          o.root,
          [ex],
          o.runtime,
          (m) => (state = { ...state, notice: m }),
          ctl.signal,
          warm ?? undefined,
        )
          .then((report) => {
            send({ type: "graded", dir: ex.dir, result: report.exercises[0]! });
            // The next save of the exercise now on screen finds a process waiting (unless a
            // grade already runs: it prepares one when it ends).
            if (!state.quit && state.grading === null) prepare(state.exercises[state.index]!);
            return typeCheck({
              toolRoot: o.root,
              dir: o.root,
              files: ex.meta.stubs.map((s) => `exercises/${ex.dir}/${s}`),
            });
          })
          .then((tc) =>
            send({
              type: "typed",
              dir: ex.dir,
              errors: tc.errors,
              ...(tc.skipped ? { note: tc.skipped } : {}),
            })
          )
          .catch((err: unknown) =>
            send({
              type: "grade-failed",
              dir: ex.dir,
              message: err instanceof Error ? err.message : String(err),
            })
          )
          // A spare the grade did not take (another exercise, changed tests) is ended.
          .finally(() => warm?.dispose());
        return;
      }
      case "check-all": {
        checking?.abort();
        const ctl = new AbortController();
        checking = ctl;
        gradeInPlace(o.root, all, o.runtime, (m) => (state = { ...state, notice: m }), ctl.signal)
          .then((report) => {
            const done = report.exercises.filter((e) => e.status === "done").length;
            // The total first: the table below may be cut to fit under the header.
            send({
              type: "checked",
              results: report.exercises,
              summary:
                `Checked every exercise: ${report.score}/${report.max_score}, ${done} of ${report.exercises.length} done.\n\n${
                  formatPretty(report, { color: o.color, details: false })
                }`,
            });
          })
          .catch((err: unknown) => {
            if (!ctl.signal.aborted) fail("check all")(err);
          });
        return;
      }
      case "hint":
        try {
          send({ type: "panel", text: showHintText(o.root, byDir.get(eff.dir)!, store) });
        } catch (err) {
          fail("hint")(err);
        }
        return;
      case "reset":
        resetExercise(o.root, byDir.get(eff.dir)!, {
          yes: false,
          ask: (question) => {
            send({ type: "reset-asks", question });
            return new Promise<boolean>((res) => (answer = res));
          },
        })
          .then((r) => send({ type: "reset-done", message: r.message, restored: r.restored }))
          .catch(fail("reset"));
        return;
      case "reset-answer":
        answer?.(eff.yes);
        answer = null;
        return;
    }
  };

  const keys = readKeys((k) => send({ type: "key", key: k }), () => finish());
  keyMode = keys.mode;
  for (const eff of first.effects) run(eff);
  draw();
  await ended;
  // Quitting stops a grade or a check still running: no test process outlives watch mode.
  (spare as Spare | null)?.dispose();
  (grading as AbortController | null)?.abort();
  (checking as AbortController | null)?.abort();
  (files as FileWatch | null)?.stop();
  keys.stop();
  write("\nBye. Your progress is saved in .workbook-progress.json; run grade watch to continue.\n");
  return 0;
}
