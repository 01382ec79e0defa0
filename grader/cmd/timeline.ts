/**
 * `grade --timeline N [--test TEXT]`: after grading exercise N, prints the schedules of its
 * failing timeline tests as text bars (expected vs yours) instead of the report; when none
 * failed, says so in one line and how to see one.
 *
 * @module
 */

import type { Report, TestResult } from "../formats/result.ts";
import { timelineOf, type TimelinePair } from "../formats/timeline_data.ts";
import { timelineText } from "../formats/timeline_text.ts";

/** What `--timeline` prints. */
export interface TimelineRequest {
  /** The exercise asked for, as typed ("11", "11_semaphore"). */
  id: string;
  /** Only tests whose name contains this (case-insensitive). */
  test?: string;
  /** ANSI colours. */
  color: boolean;
  /** Characters of the time axis. */
  width?: number;
}

/**
 * The text `grade --timeline` prints for a graded report.
 *
 * @param report The report of the exercise graded.
 * @param req The exercise, the test filter and colours.
 * @returns Text ending with a newline.
 *
 * @example
 * ```ts
 * import { timelineReport } from "./timeline.ts";
 * timelineReport(report, { id: "11", color: false });
 * ```
 */
export function timelineReport(report: Report, req: TimelineRequest): string {
  const e = report.exercises[0];
  if (!e) return `grade --timeline ${req.id}: nothing was graded\n`;
  const failing = e.tests.filter((t) => t.status !== "pass");
  const found: { t: TestResult; pair: TimelinePair }[] = [];
  for (const t of failing) {
    const pair = timelineOf(t);
    if (pair) found.push({ t, pair });
  }
  const wanted = req.test?.toLowerCase();
  const shown = wanted ? found.filter(({ t }) => t.name.toLowerCase().includes(wanted)) : found;
  if (shown.length === 0) {
    const why = failing.length === 0
      ? "every test passes"
      : found.length === 0
      ? `${failing.length} test(s) fail, none of them on a schedule`
      : `${found.length} failing timeline test(s), none named like "${req.test}"`;
    return `${e.dir}: no failing timeline test (${why}); a test that checks a schedule with assertTimeline shows its timeline here when it fails; grade ${e.id} --format html --out report.html shows every failure\n`;
  }
  const out: string[] = [];
  for (const { t, pair } of shown) {
    const name = `${t.name}${t.hidden ? " [hidden]" : ""}`;
    out.push(
      `${e.dir}: ${req.color ? `\x1b[1m${name}\x1b[0m` : name}`,
      t.message.split("\n")[0] ?? "",
      "",
      timelineText(pair, { color: req.color, ...(req.width ? { width: req.width } : {}) }),
      "",
    );
  }
  const more = found.length - shown.length;
  if (more > 0) out.push(`(${more} other failing timeline test(s) not matching --test)`, "");
  return out.join("\n");
}
