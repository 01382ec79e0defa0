/**
 * Whether a learner edited an exercise's stubs in their own working copy. There the copy is its
 * own pristine root (a clone or a student copy graded in place), so comparing a stub with the
 * "pristine" one would compare it with itself: the pristine snapshot or git decides instead.
 * The grading engine and `list` use it.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PristineView } from "./pristine_view.ts";

/**
 * Whether any stub of an exercise differs from its pristine version.
 *
 * @param root Workbook root.
 * @param dir Exercise folder name.
 * @param view The git reading to use (pass one view for many exercises: git is read once).
 * @returns true when one was edited, false when all are pristine, null when unknown.
 */
export function stubsEdited(
  root: string,
  dir: string,
  view: PristineView = new PristineView(root),
): boolean | null {
  let stubs: string[];
  try {
    stubs = (JSON.parse(readFileSync(join(root, "exercises", dir, "exercise.json"), "utf8")) as {
      stubs: string[];
    }).stubs;
  } catch {
    // No readable exercise.json: whether the stubs were edited cannot be known (the caller says so).
    return null;
  }
  let unknown = false;
  for (const s of stubs) {
    const ed = view.isEdited(dir, s);
    if (ed === true) return true;
    if (ed === null) unknown = true;
  }
  return unknown ? null : false;
}
