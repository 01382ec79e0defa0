/**
 * `grade list`: every exercise with its part, difficulty, minutes, last status and hints shown.
 *
 * @module
 */

import { stubsEdited } from "../engine/status.ts";
import { PristineView } from "../engine/pristine_view.ts";
import type { Exercise } from "../engine/types.ts";
import { type Progress, ProgressStore } from "../learner/progress.ts";
import { type Command, exercisesOf, EXIT, positionals, workbookOption } from "./context.ts";

/**
 * The list's text.
 *
 * @param all The exercises.
 * @param root The learner's workbook (for edited stubs).
 * @param p The learner's progress.
 * @returns The table.
 */
export function listText(all: Exercise[], root: string, p: Progress): string {
  const view = new PristineView(root);
  const lines = [
    "exercise                                 part diff  min  status              hints",
  ];
  for (const e of all) {
    const last = p.last[e.dir];
    // Compared with the pristine stub (a student copy's snapshot, or git), not with the stub
    // itself: in the learner's own copy the "pristine" exercise folder is the edited one.
    const status = last
      ? `${last.status} ${last.score}/${last.max_score}`
      : stubsEdited(root, e.dir, view) === true
      ? "edited, not graded"
      : "not started";
    const shown = Object.values(p.hints[e.dir] ?? {}).reduce((a, b) => a + b, 0);
    const num = (n: number | undefined) => (n === undefined ? "-" : String(n));
    lines.push(
      `${`${e.dir}: ${e.meta.title}`.padEnd(40).slice(0, 40)} ${num(e.meta.part).padStart(4)} ${
        num(e.meta.difficulty).padStart(4)
      } ${num(e.meta.minutes).padStart(4)}  ${status.padEnd(19)} ${shown} shown`,
    );
  }
  if (all.length === 0) lines.push("(no exercises yet)");
  return lines.join("\n") + "\n";
}

/** The `list` command. */
export const listCommand: Command = {
  name: "list",
  usage: "list",
  summary: "list every exercise: part, difficulty, minutes, status, hints shown",
  run(p, { toolRoot, io }) {
    positionals(p, 0, "list");
    const pristineRoot = workbookOption(p, "hidden-dir", toolRoot);
    const root = workbookOption(p, "submission", toolRoot);
    const { all } = exercisesOf(pristineRoot, []);
    io.out(listText(all, root, new ProgressStore(root, (m) => io.err(`grade: ${m}\n`)).read()));
    return Promise.resolve(EXIT.ok);
  },
};
