/**
 * Where a pristine (never edited) stub comes from, for `reset` and for telling edited stubs from
 * untouched ones. In order:
 *
 * 1. `.workbook/pristine/exercises/NN_slug/<stub>`: the snapshot `export --student` writes into
 *    every student copy. It is authoritative: a student's own commits never change it.
 * 2. git, when the workbook is a git clone: the file as the upstream branch has it
 *    (`@{upstream}`, then `origin/HEAD`), else as `HEAD` has it. A learner who commits work in a
 *    clone with no upstream makes HEAD theirs; that case is reported, not guessed.
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Folder of the grader's own state inside a workbook (pristine snapshot, backups). */
export const STATE_DIR = ".workbook";

/** A pristine stub and where it was found. */
export interface PristineStub {
  /** File contents. */
  text: string;
  /** Human description of the source ("the snapshot .workbook/pristine/...", "git origin/HEAD"). */
  source: string;
}

/**
 * The path of a stub inside the pristine snapshot of a workbook.
 *
 * @param root Workbook root.
 * @param dir Exercise folder name.
 * @param stub Stub file name.
 * @returns Absolute path (it may not exist).
 */
export function snapshotPath(root: string, dir: string, stub: string): string {
  return join(root, STATE_DIR, "pristine", "exercises", dir, stub);
}

function git(root: string, args: string[]): string | null {
  const r = spawnSync("git", args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return r.status === 0 ? r.stdout : null;
}

/**
 * Finds the pristine version of a stub file.
 *
 * @param root Workbook root (the learner's copy).
 * @param dir Exercise folder name, e.g. "09_event_start_signal".
 * @param stub Stub file name from exercise.json.
 * @returns The text and its source, or null when no pristine copy can be found.
 *
 * @example
 * ```ts
 * const p = pristineStub(".", "01_sleep_and_gather", "gather.ts");
 * p?.source; // "the snapshot .workbook/pristine/exercises/01_sleep_and_gather/gather.ts" or "git HEAD"
 * ```
 */
export function pristineStub(root: string, dir: string, stub: string): PristineStub | null {
  const snap = snapshotPath(root, dir, stub);
  if (existsSync(snap)) {
    return {
      text: readFileSync(snap, "utf8"),
      source: `the snapshot ${STATE_DIR}/pristine/exercises/${dir}/${stub}`,
    };
  }
  if (
    !existsSync(join(root, ".git")) || git(root, ["rev-parse", "--is-inside-work-tree"]) === null
  ) return null;
  const rel = `exercises/${dir}/${stub}`;
  for (const ref of ["@{upstream}", "origin/HEAD", "HEAD"]) {
    const text = git(root, ["show", `${ref}:${rel}`]);
    if (text !== null) return { text, source: `git ${ref}` };
  }
  return null;
}
