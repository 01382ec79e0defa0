/**
 * Exercise status for a learner grading their own working copy. The grading engine calls an
 * exercise "not started" when its stub files equal the pristine ones; when the learner's copy is
 * itself the pristine root (a clone or a student copy graded in place) that comparison is always
 * true, so this module decides from the pristine snapshot or git instead, and from the tests.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExerciseResult, ExerciseStatus, Report } from "../types.ts";
import { isEdited } from "./pristine.ts";

/**
 * The status an exercise result deserves, from its tests and whether its stubs were edited.
 *
 * @param e The exercise result.
 * @param edited Whether the stubs differ from pristine (null: unknown).
 * @returns The status.
 */
export function statusFromTests(e: ExerciseResult, edited: boolean | null): ExerciseStatus {
  if (edited === false) return "not-started";
  if (e.tests.length > 0 && e.tests.every((t) => t.reason === "not-started")) return "not-started";
  if (e.tests.length > 0 && e.tests.every((t) => t.status === "pass") && e.score === e.max_score) return "done";
  return "in-progress";
}

/**
 * Whether any stub of an exercise differs from its pristine version.
 *
 * @param root Workbook root.
 * @param dir Exercise folder name.
 * @returns true when one was edited, false when all are pristine, null when unknown.
 */
export function stubsEdited(root: string, dir: string): boolean | null {
  let stubs: string[];
  try {
    stubs = (JSON.parse(readFileSync(join(root, "exercises", dir, "exercise.json"), "utf8")) as { stubs: string[] }).stubs;
  } catch {
    return null;
  }
  let unknown = false;
  for (const s of stubs) {
    const ed = isEdited(root, dir, s);
    if (ed === true) return true;
    if (ed === null) unknown = true;
  }
  return unknown ? null : false;
}

/**
 * Recomputes the "not started" statuses of a report graded in place (submission root = pristine
 * root), where the engine's "stubs unchanged" test always holds.
 *
 * @param report The report (changed in place and returned).
 * @param root The workbook root that was graded.
 * @returns The same report.
 */
export function restatus(report: Report, root: string): Report {
  const cache = new Map<string, boolean | null>();
  const fix = (e: ExerciseResult): void => {
    if (e.status !== "not-started" || e.tests.length === 0) return;
    if (!cache.has(e.dir)) cache.set(e.dir, stubsEdited(root, e.dir));
    e.status = statusFromTests(e, cache.get(e.dir)!);
  };
  for (const e of report.exercises) fix(e);
  for (const r of report.runs) for (const e of r.exercises) fix(e);
  return report;
}
