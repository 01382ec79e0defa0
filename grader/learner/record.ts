/**
 * Records a grading report in the learner's progress: each exercise's score, status and the
 * tasks that still have a failing test (the hints command starts from the first of them).
 *
 * @module
 */

import type { ExerciseResult, Report } from "../formats/result.ts";
import type { LastResult, ProgressStore } from "./progress.ts";

/**
 * The tasks with a failing test, from test names "task N: ...".
 *
 * @param e An exercise's result.
 * @returns Task numbers, ascending, each once.
 */
export function failingTasks(e: ExerciseResult): number[] {
  const out = new Set<number>();
  for (const t of e.tests) {
    const m = /^task (\d+): /.exec(t.name);
    if (t.status !== "pass" && m) out.add(Number(m[1]));
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Stores each exercise's last result.
 *
 * @param store The workbook's progress store.
 * @param report A report of the learner's own copy.
 * @throws {ProgressError} When the progress cannot be written.
 */
export function recordReport(store: ProgressStore, report: Report): void {
  store.update((p) => {
    for (const e of report.exercises) {
      const last: LastResult = {
        score: e.score,
        max_score: e.max_score,
        status: e.status,
        failing_tasks: failingTasks(e),
      };
      p.last[e.dir] = last;
    }
  });
}
