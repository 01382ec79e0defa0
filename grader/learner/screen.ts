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

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Terminal rows a line takes at a width (a long line wraps). */
const height = (line: string, cols: number) =>
  Math.max(1, Math.ceil(line.replace(ANSI, "").length / cols));
const heightOf = (lines: string[], cols: number) => lines.reduce((n, l) => n + height(l, cols), 0);

/**
 * Keeps a text within `rows` terminal rows, the last one saying how many lines were cut.
 *
 * @param text Lines of text.
 * @param rows Rows it may take.
 * @param cols The terminal's width (lines longer than it wrap).
 * @returns The text, or its first lines and "... (N more lines)".
 */
export function clip(text: string, rows: number, cols = Infinity): string {
  const lines = text.split("\n");
  if (heightOf(lines, cols) <= rows) return text;
  const kept: string[] = [];
  for (const l of lines) {
    if (heightOf([...kept, l], cols) > Math.max(1, rows - 1)) break;
    kept.push(l);
  }
  return [...kept, `... (${lines.length - kept.length} more lines)`].join("\n");
}

/**
 * Renders the watch screen within a terminal's height, so that the header never scrolls away:
 * the panel (a hint, the list, the check-all table) gets the rows the rest leaves (at least 3),
 * and if the rest alone is too tall (a long failure message), its middle is cut, keeping the top
 * (header, verdict) and the bottom two lines (status, keys). Lines wider than the terminal count
 * as the rows they wrap to, and one row stays free for the cursor.
 *
 * @param s The state.
 * @param rows The terminal's height.
 * @param cols The terminal's width.
 * @returns Text of at most `rows - 1` terminal rows, ending with a newline.
 *
 * @example
 * ```ts
 * renderFitted(state, process.stdout.rows ?? 40, process.stdout.columns ?? 80);
 * ```
 */
export function renderFitted(s: ScreenState, rows: number, cols = Infinity): string {
  const room = Math.max(8, rows - 1);
  const rest = heightOf(renderScreen({ ...s, panel: "" }).replace(/\n$/, "").split("\n"), cols);
  const panel = s.panel ? clip(s.panel.trimEnd(), Math.max(3, room - rest - 1), cols) : "";
  const lines = renderScreen({ ...s, panel }).replace(/\n$/, "").split("\n");
  if (heightOf(lines, cols) <= room) return lines.join("\n") + "\n";
  const tail = lines.slice(-2);
  const head: string[] = [];
  for (const l of lines.slice(0, -2)) {
    if (heightOf([...head, l], cols) > room - heightOf(tail, cols) - 1) break;
    head.push(l);
  }
  const cut = lines.length - 2 - head.length;
  return [
    ...head,
    `... (${cut} lines cut to fit the terminal: make it taller to see them)`,
    ...tail,
  ].join("\n") + "\n";
}
