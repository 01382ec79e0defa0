/**
 * Failure messages as the learner needs them: whole, multi-line, indented under the test name, so
 * the virtual clock's expected-vs-actual timelines (lib/kit/timeline.ts) and assert's diffs stay
 * readable instead of being cut to their first line.
 *
 * @module
 */

import { formatPretty } from "./pretty.ts";
import type { ExerciseResult, Report, TestResult } from "./result.ts";

/** Lines of one failure message shown before "... (N more lines)". */
export const MAX_MESSAGE_LINES = 40;

const paint = (on: boolean, code: number, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * Indents a multi-line message, keeping every line (up to a cap).
 *
 * @param message The failure message.
 * @param indent Spaces before each line.
 * @param maxLines Lines kept.
 * @returns The indented text, without a trailing newline.
 *
 * @example
 * ```ts
 * indentMessage("a\nb", 2); // "  a\n  b"
 * ```
 */
export function indentMessage(
  message: string,
  indent: number,
  maxLines = MAX_MESSAGE_LINES,
): string {
  const lines = message.replace(/\s+$/, "").split("\n");
  const kept = lines.slice(0, maxLines);
  if (lines.length > maxLines) kept.push(`... (${lines.length - maxLines} more lines)`);
  return kept.map((l) => (l.trim() === "" ? "" : " ".repeat(indent) + l)).join("\n");
}

/**
 * One failing test: a mark, its name, its reason and its whole message.
 *
 * @param t The test.
 * @param color Use ANSI colours.
 * @returns Lines of text, without a trailing newline.
 */
export function formatFailedTest(t: TestResult, color: boolean): string {
  const tag = t.hidden ? paint(color, 90, " [hidden]") : "";
  const at = t.virtual_ms !== undefined ? paint(color, 90, ` (virtual t=${t.virtual_ms} ms)`) : "";
  const why = t.reason ? paint(color, 33, `[${t.reason}]`) : "";
  const head = `    ${paint(color, 31, "x")} ${t.name}${tag}${at}${why ? ` ${why}` : ""}`;
  const out = t.output ? `\n      output:\n${indentMessage(t.output, 8, 10)}` : "";
  return `${head}\n${indentMessage(t.message || "(no message)", 6)}${out}`;
}

/**
 * The failing tests of one exercise with their whole messages.
 *
 * @param e The exercise result.
 * @param color Use ANSI colours.
 * @param limit Failing tests shown at most (the rest are counted).
 * @returns Text ending with a newline, or "" when nothing failed.
 */
export function formatExerciseFailures(
  e: ExerciseResult,
  color: boolean,
  limit = Infinity,
): string {
  const bad = e.tests.filter((t) => t.status !== "pass");
  if (bad.length === 0 && !e.reason && e.type_errors.length === 0) return "";
  const lines = [paint(color, 1, `${e.dir}: ${e.title}`)];
  if (e.reason) lines.push(`  ${paint(color, 33, e.reason)}`);
  for (const te of e.type_errors) {
    lines.push(
      `  ${paint(color, 31, "type error")} ${te.file}:${te.line}:${te.column} ${te.message}`,
    );
  }
  const look = whereToLook(bad);
  if (look) lines.push(`  ${paint(color, 33, "where to look:")} ${look}`);
  // Tests that failed with the same message are shown once, with their names listed.
  const shown = bad.slice(0, limit);
  const byMessage = new Map<string, TestResult[]>();
  for (const t of shown) {
    const key = `${t.reason}\u0000${t.message}\u0000${t.output}`;
    byMessage.set(key, [...(byMessage.get(key) ?? []), t]);
  }
  for (const group of byMessage.values()) {
    if (group.length === 1) lines.push(formatFailedTest(group[0]!, color));
    else {
      const names = group.map((t) =>
        `    ${paint(color, 31, "x")} ${t.name}${t.hidden ? paint(color, 90, " [hidden]") : ""}`
      );
      lines.push(
        `    ${group.length} tests failed the same way:`,
        ...names,
        formatFailedTest(group[0]!, color).split("\n").slice(1).join("\n"),
      );
    }
  }
  if (bad.length > limit) lines.push(`    ... and ${bad.length - limit} more failing test(s)`);
  return lines.join("\n") + "\n";
}

/** The first place a diagnosed deadlock waits, when it is in the code under test. */
function stubSite(t: TestResult): string | null {
  const waits = (t.diagnosis as { waits?: { site?: unknown; fn?: unknown }[] } | undefined)?.waits;
  if (!Array.isArray(waits)) return null;
  for (const w of waits) {
    if (typeof w?.site !== "string" || /\.(test|hidden|cpython)\.ts:\d+$/.test(w.site)) continue;
    return typeof w.fn === "string" && w.fn ? `${w.site} (${w.fn})` : w.site;
  }
  return null;
}

/**
 * One line naming where most deadlocked tests wait in the student's code, or null.
 *
 * @param bad Failed tests.
 * @returns "25 deadlocked tests wait at lock.ts:79 (acquire)", followed by what the course's
 *   primitives said most often ("; Lock: free, 2 acquire() calls waiting (...)"), or null.
 */
export function whereToLook(bad: TestResult[]): string | null {
  const count = new Map<string, number>();
  for (const t of bad) {
    const site = t.reason === "deadlock" ? stubSite(t) : null;
    if (site) count.set(site, (count.get(site) ?? 0) + 1);
  }
  const top = [...count].sort((a, b) => b[1] - a[1])[0];
  if (!top) return null;
  const [site, n] = top;
  const said = commonDetail(bad.filter((t) => t.reason === "deadlock" && stubSite(t) === site));
  return `${n} deadlocked test${n === 1 ? "" : "s"} wait${n === 1 ? "s" : ""} at ${site}` +
    (said ? `; ${said}` : "");
}

/**
 * What the primitives said most often in these deadlocks (`diagnosis.details`, lines such as
 * "Lock: free, 2 acquire() calls waiting (...)"), compared with the numbers left out, a line about
 * waiting calls before one about an idle primitive; the first such line as it was written, or
 * null.
 */
function commonDetail(tests: TestResult[]): string | null {
  const seen = new Map<string, { n: number; text: string }>();
  for (const t of tests) {
    const details = (t.diagnosis as { details?: unknown } | undefined)?.details;
    if (!Array.isArray(details)) continue;
    for (const d of details) {
      if (typeof d !== "string" || !d) continue;
      const key = d.replace(/\d+/g, "N");
      const entry = seen.get(key) ?? { n: 0, text: d };
      entry.n++;
      seen.set(key, entry);
    }
  }
  // A line about calls still waiting says more than one about an idle primitive.
  const waits = (e: { text: string }) => (/ waiting\b/.test(e.text) ? 1 : 0);
  const best = [...seen.values()].sort((a, b) => waits(b) - waits(a) || b.n - a.n)[0];
  return best ? best.text : null;
}

/** Said once under a report with a deadlock: what one is and how to read its message. */
export const DEADLOCK_NOTE =
  "deadlock: a test awaited a promise that nothing would ever settle (no timer pending, no work " +
  "running). Its message names where the work waits, oldest first: usually a wake-up that never " +
  "comes (release(), put() or set() that resumes nobody), a missing sentinel, or a lock or permit " +
  "not released on some path.";

/**
 * The terminal report with whole failure messages: every started exercise's failures first, then
 * the score table and total (the `pretty` format without its one-line details).
 *
 * @param report The report.
 * @param color Use ANSI colours.
 * @returns Text ending with a newline.
 */
export function formatPrettyFull(report: Report, color: boolean): string {
  if (report.mutants) return formatPretty(report, { color });
  const parts: string[] = [];
  for (const e of report.exercises) {
    if (e.status === "not-started" && !e.reason && e.type_errors.length === 0) continue;
    const text = formatExerciseFailures(e, color);
    if (text) parts.push(text);
  }
  const deadlocked = report.exercises.some((e) => e.tests.some((t) => t.reason === "deadlock"));
  if (deadlocked) parts.push(paint(color, 90, DEADLOCK_NOTE) + "\n");
  return (parts.length ? parts.join("\n") + "\n" : "") +
    formatPretty(report, { color, details: false });
}
