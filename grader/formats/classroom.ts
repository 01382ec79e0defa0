/**
 * GitHub Classroom's autograding result: the shape the autograding reporter reads from a runner
 * (`version`, `status`, `max_score`, `tests[]` with `name`, `status`, `message`, `test_code`,
 * `filename`, `line_no`, `execution_time`, `score`).
 *
 * @module
 */

import { testPoints } from "./points.ts";
import type { Report } from "./result.ts";

/** One Classroom test entry. */
export interface ClassroomTest {
  /** Test name. */
  name: string;
  /** "pass", "fail" or "error". */
  status: "pass" | "fail" | "error";
  /** Failure message (empty on pass). */
  message: string;
  /** A visible test's source (empty for hidden tests, which never show code). */
  test_code: string;
  /** Test file. */
  filename: string;
  /** Line of a visible test's call in its file (0: hidden, or unknown). */
  line_no: number;
  /** Seconds, as text ("0.01s"). */
  execution_time: string;
  /** Points earned. */
  score: number;
}

/** The Classroom result document. */
export interface ClassroomResult {
  /** Shape version (1). */
  version: 1;
  /** "pass" when every test passed, "fail" otherwise, "error" when nothing could be graded. */
  status: "pass" | "fail" | "error";
  /** Points available. */
  max_score: number;
  /** Tests. */
  tests: ClassroomTest[];
}

/**
 * Builds the Classroom result.
 *
 * @param report The report.
 * @returns The document.
 */
export function toClassroom(report: Report): ClassroomResult {
  const tests: ClassroomTest[] = [];
  for (const e of report.exercises) {
    // Shared to the cent, so the passed tests add up to the exercise's score exactly.
    const points = testPoints(e.max_score, e.tests.map((t) => t.weight));
    for (const [i, t] of e.tests.entries()) {
      tests.push({
        name: `${e.dir}: ${t.name}`,
        status: t.status,
        message: t.status === "pass" ? "" : `${t.reason ? `[${t.reason}] ` : ""}${t.message}`,
        // A visible test's source and line (where the student reads it); nothing of a hidden one.
        test_code: t.hidden ? "" : t.test_code ?? "",
        filename: `exercises/${e.dir}/${t.file}`,
        line_no: t.hidden ? 0 : t.line ?? 0,
        execution_time: `${t.time.toFixed(2)}s`,
        score: t.status === "pass" && e.score > 0 ? points[i]! : 0,
      });
    }
  }
  const status = tests.length === 0
    ? "error"
    : tests.every((t) => t.status === "pass")
    ? "pass"
    : "fail";
  return { version: 1, status, max_score: report.max_score, tests };
}

/**
 * Formats a report as Classroom JSON text.
 *
 * @param report The report.
 * @returns JSON text.
 */
export function formatClassroom(report: Report): string {
  return JSON.stringify(toClassroom(report), null, 2) + "\n";
}
