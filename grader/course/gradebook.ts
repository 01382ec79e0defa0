/**
 * The gradebook CSV of `grade batch`: one row per student, a column per exercise, the total, and
 * a note column saying what went wrong when a submission could not be graded.
 *
 * @module
 */

/** One student's row. */
export interface GradebookRow {
  /** Student (the submission's folder name). */
  student: string;
  /** Points per exercise folder name (missing: not graded). */
  scores: Record<string, number>;
  /** Total points. */
  total: number;
  /** Points available. */
  max: number;
  /** "graded" or "error". */
  status: "graded" | "error";
  /** Notes: missing or refused files, grading errors. */
  note: string;
}

/**
 * Quotes one CSV cell (RFC 4180), and defuses cells a spreadsheet would run as a formula.
 *
 * @param v The value.
 * @returns The cell text.
 *
 * @example
 * ```ts
 * csvCell('say "hi"'); // "\"say \"\"hi\"\"\""
 * csvCell("=1+1"); // "'=1+1"
 * ```
 */
export function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Renders the gradebook.
 *
 * @param exercises Exercise folder names, in course order (the columns).
 * @param rows One row per student.
 * @returns CSV text with a header line, ending with a newline.
 */
export function formatGradebook(exercises: string[], rows: GradebookRow[]): string {
  const lines = [
    ["student", ...exercises, "total", "max", "status", "note"].map(csvCell).join(","),
  ];
  for (const r of rows) {
    lines.push(
      [r.student, ...exercises.map((e) => r.scores[e] ?? 0), r.total, r.max, r.status, r.note].map(
        csvCell,
      ).join(","),
    );
  }
  return lines.join("\n") + "\n";
}
