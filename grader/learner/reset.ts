/**
 * `grade reset ID`: puts the pristine stub files of an exercise back, after asking, and keeps the
 * learner's version as a backup in `.workbook/backups/NN_slug/<timestamp>/<stub>`. The backup is
 * outside `exercises/`, so neither the tests, the grader nor the lint ever see it; nothing is lost.
 *
 * @module
 */

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Exercise } from "../engine/types.ts";
import { pristineStub, STATE_DIR } from "../engine/pristine.ts";

/** Options of {@linkcode resetExercise}. */
export interface ResetOptions {
  /** Skip the question (--yes). */
  yes: boolean;
  /** Asks a yes/no question; resolves true for yes. */
  ask: (question: string) => Promise<boolean>;
  /** Clock for the backup folder name (tests pin it). */
  now?: () => Date;
}

/** What a reset did. */
export interface ResetResult {
  /** True when stub files were restored. */
  restored: boolean;
  /** Backup folder relative to the workbook root, when one was written. */
  backup: string | null;
  /** Human summary, one or more lines. */
  message: string;
}

/**
 * A timestamp usable as a folder name: `20250101-120000`.
 *
 * @param d The date.
 * @returns The stamp, in UTC.
 */
export function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "-");
}

/**
 * Restores the pristine stubs of an exercise in a learner's workbook.
 *
 * @param root The learner's workbook root.
 * @param ex The exercise.
 * @param o Whether to ask, and how.
 * @returns What happened.
 * @throws {Error} When no pristine copy of a stub can be found (saying where it looked).
 *
 * @example
 * ```ts
 * await resetExercise(".", ex, { yes: true, ask: async () => true });
 * ```
 */
export async function resetExercise(
  root: string,
  ex: Exercise,
  o: ResetOptions,
): Promise<ResetResult> {
  const plan: { stub: string; file: string; pristine: string; mine: string | null }[] = [];
  for (const stub of ex.meta.stubs) {
    const p = pristineStub(root, ex.dir, stub);
    if (p === null) {
      throw new Error(
        `Cannot reset ${ex.dir}: no pristine copy of ${stub} (looked in ${STATE_DIR}/pristine/ and in git); ` +
          `re-download the workbook or ask your instructor for the stub`,
      );
    }
    const file = join(root, "exercises", ex.dir, stub);
    const mine = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (mine !== p.text) plan.push({ stub, file, pristine: p.text, mine });
  }
  if (plan.length === 0) {
    return {
      restored: false,
      backup: null,
      message: `${ex.dir} is already pristine: nothing to reset.`,
    };
  }
  const names = plan.map((x) => x.stub).join(", ");
  if (
    !o.yes &&
    !(await o.ask(
      `Reset ${ex.dir} (${names}) to the pristine stub? Your version is kept as a backup. [y/N] `,
    ))
  ) {
    return { restored: false, backup: null, message: "Reset cancelled: nothing changed." };
  }
  const backupDir = join(
    root,
    STATE_DIR,
    "backups",
    ex.dir,
    stamp((o.now ?? (() => new Date()))()),
  );
  let backedUp = false;
  for (const x of plan) {
    if (x.mine !== null) {
      mkdirSync(dirname(join(backupDir, x.stub)), { recursive: true });
      copyFileSync(x.file, join(backupDir, x.stub));
      backedUp = true;
    }
  }
  for (const x of plan) {
    mkdirSync(dirname(x.file), { recursive: true });
    writeFileSync(x.file, x.pristine);
  }
  const rel = backedUp ? relative(root, backupDir) : null;
  return {
    restored: true,
    backup: rel,
    message: `Reset ${ex.dir}: restored ${names}.` +
      (rel ? `\nYour version is kept in ${rel}/` : ""),
  };
}
