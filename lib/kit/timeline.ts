/**
 * Timelines side by side: when a schedule is the point of a test, a failure shows who started
 * and finished when, expected next to actual, not just "expected 3, got 9".
 *
 * @module
 */

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
  const labels = [...new Set([...expected.map((e) => e.label), ...actual.map((e) => e.label)])];
  const rows = labels.map((label) => {
    const e = expected.find((x) => x.label === label);
    const a = actual.find((x) => x.label === label);
    return [label, span(e), span(a), span(e) === span(a) ? "" : "<-- differs"];
  });
  const header = ["what", "expected (ms)", "yours (ms)", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/**
 * Fails unless `actual` has the same labels with the same start and end times as `expected`
 * (order ignored), showing both timelines side by side.
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
  const a = actual.map(key).sort();
  const e = expected.map(key).sort();
  if (a.length === e.length && a.every((x, i) => x === e[i])) return;
  const error = new Error(
    `${what} differs from the expected schedule:\n${formatTimelines(expected, actual)}`,
  );
  error.name = "AssertionError";
  throw error;
}
