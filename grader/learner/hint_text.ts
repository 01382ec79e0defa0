/**
 * The text of the next hint of an exercise, recorded in the learner's progress (used by
 * `grade hint` and watch mode's h key).
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Exercise } from "../engine/types.ts";
import { nextHint, readHints } from "./hints.ts";
import type { ProgressStore } from "./progress.ts";

/** An exercise has no hints, or not the level asked for. */
export class HintError extends Error {
  /** @param message What is missing. */
  constructor(message: string) {
    super(message);
    this.name = "HintError";
  }
}

/**
 * Shows and records the next hint.
 *
 * @param root The learner's workbook.
 * @param ex The exercise.
 * @param store The progress store.
 * @param level A level asked for, or undefined for the next one.
 * @returns The text to print.
 * @throws {HintError} When the exercise has no hints or no such level.
 */
export function showHintText(
  root: string,
  ex: Exercise,
  store: ProgressStore,
  level?: number,
): string {
  const own = join(root, "exercises", ex.dir, "HINTS.md");
  const file = existsSync(own) ? own : join(ex.pristineDir, "HINTS.md");
  if (!existsSync(file)) throw new HintError(`Exercise ${ex.dir} has no HINTS.md`);
  const book = readHints(readFileSync(file, "utf8"));
  const p = store.read();
  const shown = p.hints[ex.dir] ?? {};
  const h = nextHint(book, shown, p.last[ex.dir]?.failing_tasks, level);
  if (!h) {
    throw new HintError(
      `Exercise ${ex.dir} has no hint level ${level ?? 1} (valid: ${
        book.levels.join(", ") || "none"
      })`,
    );
  }
  store.update((q) => {
    const m = (q.hints[ex.dir] ??= {});
    m[h.task] = Math.max(m[h.task] ?? 0, h.level);
  });
  const taskLabel = h.task === "0" ? "" : `, task ${h.task}`;
  const max = Math.max(...book.levels);
  const more = h.remaining > 0
    ? `(${h.remaining} more level(s) for this task: run the same command again)`
    : h.exhausted
    ? "(every level of this task was shown; that was the last one again)"
    : "(that was the last level for this task)";
  return `## ${ex.dir}${taskLabel}: hint level ${h.level} of ${max}\n\n${h.text}\n\n${more}\n`;
}
