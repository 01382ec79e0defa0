/**
 * What watch mode draws: a header naming the exercise and the files to edit, the workbook's
 * progress bar, the verdict (the first failing test with its whole message, so timelines stay
 * side by side), an optional hint or list, and the key line. Pure: text in, text out.
 *
 * @module
 */

import type { Exercise, ExerciseResult } from "../engine/types.ts";
import { indentMessage } from "../formats/failure.ts";
import { progressBar } from "./progress_bar.ts";

/** The keys watch mode answers to, as shown at the bottom of the screen. */
export const KEY_LINE = "keys: n next  h hint  l list  c check all  r reset  q quit";

/** Everything the screen shows. */
export interface ScreenState {
  /** Exercise being watched. */
  exercise: Exercise;
  /** Its last result, or null while it has not been graded. */
  result: ExerciseResult | null;
  /** True while grading. */
  grading: boolean;
  /** Exercises done, and in the workbook. */
  done: number;
  /** Exercises in the workbook. */
  total: number;
  /** The line about hints ("Stuck? press h for ..."), or "" when the exercise has none. */
  hintLine: string;
  /** How saves and keys are read ("file events; keys act as you press them"). */
  mode?: string;
  /** Extra panel (a hint, the list, a reset message, the check-all table). */
  panel: string;
  /** One-line status message ("saved: re-grading", "moved on from 01 ..."). */
  notice: string;
  /** Use ANSI colours. */
  color: boolean;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * Renders the watch screen.
 *
 * @param s The state.
 * @returns Text ending with a newline.
 *
 * @example
 * ```ts
 * renderScreen({ exercise, result, grading: false, done: 3, total: 19, hints: { shown: 0, max: 3 }, panel: "", notice: "", color: false });
 * ```
 */
export function renderScreen(s: ScreenState): string {
  const ex = s.exercise;
  const out: string[] = [];
  out.push(paint(s.color, 1, `Exercise ${ex.dir}: ${ex.meta.title}`));
  out.push(
    `Edit ${
      ex.meta.stubs.map((f) => `exercises/${ex.dir}/${f}`).join(", ")
    } and save: it is re-graded on every save.`,
  );
  out.push(`Progress ${progressBar(s.done, s.total, 30)}`);
  out.push("");
  if (s.grading) out.push(paint(s.color, 90, "grading ..."));
  else if (s.result === null) out.push("not graded yet");
  else {
    const r = s.result;
    const passed = r.tests.filter((t) => t.status === "pass").length;
    const col = r.status === "done" ? 32 : r.status === "not-started" ? 90 : 33;
    out.push(
      `${
        paint(
          s.color,
          col,
          r.status === "done" ? "DONE" : r.status === "not-started" ? "not started" : "in progress",
        )
      }  ` +
        `${r.score}/${r.max_score} points, ${passed}/${r.tests.length} tests pass`,
    );
    if (r.reason) out.push(paint(s.color, 33, r.reason));
    for (const te of r.type_errors.slice(0, 3)) {
      out.push(`type error ${te.file}:${te.line}:${te.column} ${te.message}`);
    }
    const first = r.tests.find((t) => t.status !== "pass");
    if (first) {
      out.push(
        "",
        `First failing test: ${first.name}${first.hidden ? " [hidden]" : ""}${
          first.reason ? ` [${first.reason}]` : ""
        }`,
      );
      out.push(indentMessage(first.message || "(no message)", 2, 24));
      if (first.output) out.push("  output:", indentMessage(first.output, 4, 6));
    }
  }
  if (s.hintLine) out.push("", paint(s.color, 90, s.hintLine));
  if (s.panel) out.push("", s.panel.trimEnd());
  out.push("");
  if (s.notice) out.push(s.notice);
  out.push(paint(s.color, 90, s.mode ? `${KEY_LINE}   (${s.mode})` : KEY_LINE));
  return out.join("\n") + "\n";
}
