/**
 * The student's progress file `.workbook-progress.json` at the workbook root (gitignored): the
 * hint levels revealed per exercise and the last graded status. Plain JSON, safe to delete.
 *
 * @module
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ExerciseStatus } from "../engine/types.ts";

/** File name of the progress file. */
export const PROGRESS_FILE = ".workbook-progress.json";

/** Contents of the progress file. */
export interface Progress {
  /** Highest hint level revealed, per exercise folder. */
  hints: Record<string, number>;
  /** Last graded score and status, per exercise folder. */
  last: Record<string, { score: number; max_score: number; status: ExerciseStatus }>;
}

/**
 * Reads the progress file (an empty progress when missing or unreadable).
 *
 * @param root Workbook root.
 * @returns Progress.
 */
export function readProgress(root: string): Progress {
  const file = join(root, PROGRESS_FILE);
  const empty: Progress = { hints: {}, last: {} };
  if (!existsSync(file)) return empty;
  try {
    const o = JSON.parse(readFileSync(file, "utf8")) as Partial<Progress>;
    return { hints: o.hints ?? {}, last: o.last ?? {} };
  } catch {
    return empty;
  }
}

/**
 * Writes the progress file.
 *
 * @param root Workbook root.
 * @param p Progress.
 */
export function writeProgress(root: string, p: Progress): void {
  writeFileSync(join(root, PROGRESS_FILE), JSON.stringify(p, null, 2) + "\n");
}

/**
 * Splits HINTS.md into its "## Level N" sections.
 *
 * @param markdown HINTS.md text.
 * @returns Section bodies by level number, in order.
 */
export function hintLevels(markdown: string): Map<number, string> {
  const levels = new Map<number, string>();
  let current: number | null = null;
  let buf: string[] = [];
  const flush = () => {
    if (current !== null) levels.set(current, buf.join("\n").trim());
  };
  for (const line of markdown.split("\n")) {
    const m = /^##\s+Level\s+(\d+)\b/.exec(line);
    if (m) {
      flush();
      current = Number(m[1]);
      buf = [];
    } else if (/^##\s/.test(line)) {
      flush();
      current = null;
      buf = [];
    } else if (current !== null) buf.push(line);
  }
  flush();
  return levels;
}
