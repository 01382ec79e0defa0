/**
 * What the learner should do after a grade: the first failing task and its test, the hint
 * command with the levels left, or the next exercise once this one is done.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Exercise } from "../engine/types.ts";
import type { Report } from "../formats/result.ts";
import { nextHint, readHints } from "../learner/hints.ts";
import type { Progress } from "../learner/progress.ts";
import { failingTasks } from "../learner/record.ts";
import { command } from "./invocation.ts";

/**
 * The "what next" lines after a grade of the learner's own copy.
 *
 * @param report The grade.
 * @param all Every exercise, in course order.
 * @param root The learner's workbook.
 * @param p Their progress (after this grade).
 * @returns Lines to print (empty when nothing is to say).
 */
export function nextSteps(report: Report, all: Exercise[], root: string, p: Progress): string[] {
  const open = report.exercises.find((e) => e.status !== "done");
  if (open) {
    const ex = all.find((e) => e.dir === open.dir)!;
    const tasks = failingTasks(open);
    const first = open.tests.find((t) => t.status !== "pass");
    const lines = [
      `Next: ${ex.dir}${tasks.length ? `, task ${tasks[0]}` : ""}: make "${
        first?.name ?? "the first failing test"
      }" pass.`,
    ];
    const hintsFile = join(root, "exercises", ex.dir, "HINTS.md");
    if (existsSync(hintsFile)) {
      const h = nextHint(readHints(readFileSync(hintsFile, "utf8")), p.hints[ex.dir] ?? {}, tasks);
      if (h && !h.exhausted) {
        lines.push(
          `Stuck? ${command(`hint ${Number(ex.id)}`)} (hint level ${h.level}${
            h.task === "0" ? "" : ` of task ${h.task}`
          }, ${h.remaining + 1} left).`,
        );
      } else if (h) {
        lines.push(
          `Every hint level was shown; ${command(`hint ${Number(ex.id)}`)} shows the last again.`,
        );
      }
    }
    lines.push(
      `Run the visible tests alone: bun test exercises/${ex.dir}   Grade again: ${
        command(String(Number(ex.id)))
      }`,
    );
    return lines;
  }
  const graded = new Set(report.exercises.map((e) => e.dir));
  const lastGraded = all.findLastIndex((e) => graded.has(e.dir));
  const next = all.find((e, i) => i > lastGraded && p.last[e.dir]?.status !== "done") ??
    all.find((e) => p.last[e.dir]?.status !== "done");
  if (!next) return ["Every exercise is done. Well played!"];
  return [
    `Done. Next: ${next.dir} (${next.meta.title}): read exercises/${next.dir}/README.md, then ${
      command(String(Number(next.id)))
    }`,
  ];
}
