/**
 * Timelines side by side: when a schedule is the point of a test, a failure shows who started
 * and finished when, expected next to actual, not just "expected 3, got 9".
 *
 * @module
 */
import {
  $concat,
  $Error,
  $every,
  $find,
  $indexOf,
  $join,
  $map,
  $max,
  $padEnd,
  $push,
  $sort,
  $trimEnd,
} from "../clock/intrinsics.ts";

/** One entry of a timeline: a label and its start and end in virtual ms. */
export interface TimelineEntry {
  label: string;
  start: number;
  end?: number;
}

const span = (e: TimelineEntry | undefined) =>
  e === undefined ? "-" : `${e.start}..${e.end === undefined ? "(running)" : e.end}`;

/**
 * Formats two timelines as a table: label, expected span, actual span, and a mark on rows that
 * differ.
 *
 * @param expected The intended schedule.
 * @param actual What happened.
 * @returns A multi-line table.
 *
 * @example
 * ```ts
 * import { formatTimelines } from "./timeline.ts";
 * formatTimelines([{ label: "a", start: 0, end: 100 }], [{ label: "a", start: 0, end: 200 }]);
 * ```
 */
export function formatTimelines(expected: TimelineEntry[], actual: TimelineEntry[]): string {
  const labels: string[] = [];
  const all = $concat(expected, actual);
  for (let i = 0; i < all.length; i++) {
    if ($indexOf(labels, all[i].label) < 0) $push(labels, all[i].label);
  }
  const rows = $map(labels, (label) => {
    const e = $find(expected, (x) => x.label === label);
    const a = $find(actual, (x) => x.label === label);
    return [label, span(e), span(a), span(e) === span(a) ? "" : "<-- differs"];
  });
  const header = ["what", "expected (ms)", "yours (ms)", ""];
  const widths = $map(header, (h, i) => {
    let w = h.length;
    for (let r = 0; r < rows.length; r++) w = $max(w, rows[r][i].length);
    return w;
  });
  const line = (r: string[]) => $trimEnd($join($map(r, (c, i) => $padEnd(c, widths[i])), "  "));
  return $join($concat([line(header)], $map(rows, line)), "\n");
}

/**
 * Fails unless `actual` has the same labels with the same start and end times as `expected`
 * (order ignored), showing both timelines side by side; the error also carries them as data
 * (`error.timeline = { expected, actual }`) for the grader's pictures.
 *
 * @param actual What happened.
 * @param expected The intended schedule.
 * @param what A short description for the message ("the retry schedule").
 *
 * @example
 * ```ts
 * import { assertTimeline } from "./timeline.ts";
 * assertTimeline([{ label: "a", start: 0, end: 1 }], [{ label: "a", start: 0, end: 1 }]);
 * ```
 */
export function assertTimeline(
  actual: TimelineEntry[],
  expected: TimelineEntry[],
  what = "the timeline",
): void {
  const key = (e: TimelineEntry) => `${e.label}|${e.start}|${e.end}`;
  const a = $sort($map(actual, key));
  const e = $sort($map(expected, key));
  if (a.length === e.length && $every(a, (x, i) => x === e[i])) return;
  const error = new $Error(
    `${what} differs from the expected schedule:\n${formatTimelines(expected, actual)}`,
  );
  error.name = "AssertionError";
  // The schedules as data too: the grader draws them (Gantt charts in its reports).
  const plain = (xs: TimelineEntry[]) =>
    $map(
      xs,
      (x) =>
        x.end === undefined
          ? { label: `${x.label}`, start: x.start }
          : { label: `${x.label}`, start: x.start, end: x.end },
    );
  (error as Error & { timeline?: unknown }).timeline = {
    expected: plain(expected),
    actual: plain(actual),
  };
  throw error;
}
