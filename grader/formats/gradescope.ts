/**
 * Gradescope's autograder `results.json`: top-level `score`, `execution_time`, `output`, and
 * `tests[]` with `score`, `max_score`, `status` ("passed"/"failed"), `name`, `output` and
 * `visibility`. Hidden tests get the visibility chosen with --hidden-visibility ("hidden" by
 * default); their output never includes test code.
 *
 * @module
 */

import { loadFrame } from "./located.ts";
import { testPoints } from "./points.ts";
import type { Report } from "./result.ts";

/** Gradescope visibility values. */
export type Visibility = "hidden" | "after_due_date" | "after_published" | "visible";

/** One Gradescope test entry. */
export interface GradescopeTest {
  /** Points earned. */
  score: number;
  /** Points available. */
  max_score: number;
  /** "passed" or "failed". */
  status: "passed" | "failed";
  /** Test name. */
  name: string;
  /** Message and captured output. */
  output: string;
  /** Who sees it when. */
  visibility: Visibility;
  /** Free-form tags. */
  tags: string[];
}

/** The results.json document. */
export interface GradescopeResults {
  /** Total points. */
  score: number;
  /** Seconds. */
  execution_time: number;
  /** Text shown at the top of the results. */
  output: string;
  /** Overall visibility. */
  visibility: Visibility;
  /** Tests. */
  tests: GradescopeTest[];
}

/**
 * Builds Gradescope's results.json.
 *
 * @param report The report.
 * @param hiddenVisibility Visibility of hidden tests.
 * @returns The document.
 */
export function toGradescope(
  report: Report,
  hiddenVisibility: Visibility = "hidden",
): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const e of report.exercises) {
    // Shared to the cent, so the tests add up to the exercise's points and its score exactly.
    const points = testPoints(e.max_score, e.tests.map((t) => t.weight));
    for (const [i, t] of e.tests.entries()) {
      const max = points[i]!;
      const earned = t.status === "pass" && !(e.score === 0 && e.reason?.startsWith("type-error"))
        ? max
        : 0;
      const text = [
        t.status === "pass" ? "" : `${t.reason ? `[${t.reason}] ` : ""}${t.message}`,
        t.output ? `output:\n${t.output}` : "",
      ]
        .filter(Boolean)
        .join("\n");
      tests.push({
        score: earned,
        max_score: max,
        status: t.status === "pass" ? "passed" : "failed",
        name: `${e.dir}: ${t.name}`,
        output: text,
        visibility: t.hidden ? hiddenVisibility : "visible",
        tags: [e.dir, ...(t.reason ? [t.reason] : [])],
      });
    }
  }
  const summary = report.exercises.map((e) => {
    // A file that did not load: where, and the offending line, once per exercise.
    const frame = loadFrame(e);
    return `${e.dir}: ${e.score}/${e.max_score} (${e.status})${e.reason ? ` - ${e.reason}` : ""}` +
      (frame?.source ? `\n${frame.source}` : "") +
      e.type_errors.map((te) => `\n  type error ${te.file}:${te.line}:${te.column} ${te.message}`)
        .join("");
  });
  return {
    score: report.score,
    execution_time: Math.round(report.time),
    output: `Total ${report.score}/${report.max_score} (${report.runtime})\n${summary.join("\n")}`,
    visibility: "visible",
    tests,
  };
}

/**
 * Formats a report as Gradescope results.json text.
 *
 * @param report The report.
 * @param hiddenVisibility Visibility of hidden tests.
 * @returns JSON text.
 */
export function formatGradescope(report: Report, hiddenVisibility: Visibility = "hidden"): string {
  return JSON.stringify(toGradescope(report, hiddenVisibility), null, 2) + "\n";
}
