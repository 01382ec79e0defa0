/**
 * Grading a learner's own workbook in place (their own code, trusted), as watch mode and
 * `grade solution` do: the grade, and the result recorded in the progress file.
 *
 * @module
 */

import { grade } from "../engine/grade.ts";
import { inPlace } from "../engine/grade_options.ts";
import type { Spare } from "../engine/spare.ts";
import type { Exercise, Report, Runtime } from "../engine/types.ts";
import { ProgressError, ProgressStore } from "./progress.ts";
import { recordReport } from "./record.ts";

/**
 * Grades some exercises of a workbook in place and records their results in the progress file.
 *
 * @param root Workbook root.
 * @param exercises Exercises to grade.
 * @param runtime Runtime.
 * @param notice Told when the progress could not be saved.
 * @param signal Stops the grade (its processes are killed).
 * @param spare A process started for this grade (used when it fits, see engine/spare.ts).
 * @returns The report.
 */
export async function gradeInPlace(
  root: string,
  exercises: Exercise[],
  runtime: Runtime,
  notice: (m: string) => void = (m) => process.stderr.write(`grade: ${m}\n`),
  signal?: AbortSignal,
  spare?: Spare,
): Promise<Report> {
  const report = await grade({
    ...inPlace(root, exercises, runtime),
    ...(signal ? { signal } : {}),
    ...(spare ? { spare } : {}),
  });
  try {
    recordReport(new ProgressStore(root, notice), report);
  } catch (e) {
    if (!(e instanceof ProgressError)) throw e;
    notice(e.message);
  }
  return report;
}
