/**
 * `grade solution ID`: shows the reference solution of an exercise, but only once a fresh grade
 * says the learner's own version is done; otherwise it says how far the learner is and what to
 * try next.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExerciseResult } from "../engine/types.ts";
import { indentMessage } from "../formats/failure.ts";

/** What `solution` decided. */
export interface SolutionAnswer {
  /** True when the solution was shown. */
  revealed: boolean;
  /** Text for the terminal, ending with a newline. */
  text: string;
}

/**
 * Decides what `solution ID` prints for a freshly graded exercise.
 *
 * @param root Workbook root holding solutions/ (the full workbook; student copies have none).
 * @param e The exercise, graded just now.
 * @param stubs The exercise's stub files.
 * @returns The solution files when the exercise is done, else a progress note.
 *
 * @example
 * ```ts
 * revealSolution(".", result, ["gather.ts"]).revealed; // true only when result.status === "done"
 * ```
 */
export function revealSolution(root: string, e: ExerciseResult, stubs: string[]): SolutionAnswer {
  const passed = e.tests.filter((t) => t.status === "pass").length;
  const done = e.tests.length > 0 && passed === e.tests.length && e.score === e.max_score;
  if (!done) {
    const first = e.tests.find((t) => t.status !== "pass");
    const lines = [
      `The solution of ${e.dir} is shown once your version passes every test (hidden ones too).`,
      `You are at ${e.score}/${e.max_score}: ${passed} of ${e.tests.length} tests pass.`,
    ];
    if (e.reason) lines.push(`Problem: ${e.reason}`);
    if (first) {
      lines.push(
        `First failing test: ${first.name}${first.hidden ? " [hidden]" : ""}`,
        indentMessage(first.message, 2, 12),
      );
    }
    lines.push(`Stuck? "grade hint ${e.id}" shows the next hint level.`);
    return { revealed: false, text: lines.join("\n") + "\n" };
  }
  const dir = join(root, "solutions", e.dir);
  if (!existsSync(dir)) {
    return {
      revealed: false,
      text: `${e.dir} is done: well played. This copy of the workbook has no solutions/ folder ` +
        `(student copies leave it out); your instructor can share the reference solution.\n`,
    };
  }
  const parts = [`${e.dir} is done. The reference solution, to compare with yours:`];
  for (const s of stubs) {
    const f = join(dir, s);
    parts.push(
      "",
      `==> solutions/${e.dir}/${s} <==`,
      existsSync(f) ? readFileSync(f, "utf8").trimEnd() : "(missing)",
    );
  }
  return { revealed: true, text: parts.join("\n") + "\n" };
}
