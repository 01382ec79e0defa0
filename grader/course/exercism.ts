/**
 * The workbook as an Exercism track's test runner: Exercism runs `bin/run.sh SLUG SOLUTION_DIR
 * OUTPUT_DIR` in the runner's image (grader/exercism/run.sh, which calls `grade exercism`), and
 * reads `OUTPUT_DIR/results.json` (version 3 of the interface, formats/exercism.ts).
 *
 * The slug is Exercism's kebab-case name of an exercise (`sleep-and-gather`) or its folder name
 * (`01_sleep_and_gather`). The solution folder holds the student's files as Exercism hands them
 * over (the exercise's files at its top; a workbook layout is accepted too): only the stub files
 * are taken, as `--submission` takes them (course/collect.ts: regular files of at most 1 MiB, no
 * links), and graded against this workbook's pristine and hidden tests, as untrusted code.
 *
 * @module
 */

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverExercises } from "../engine/discover.ts";
import { grade } from "../engine/grade.ts";
import type { GradeOptions } from "../engine/grade_options.ts";
import type { Exercise } from "../engine/types.ts";
import { exercismError, type ExercismResult, toExercism } from "../formats/exercism.ts";
import { collectSubmission } from "./collect.ts";

/**
 * Real seconds the grading may take before it is stopped: Exercism halts a run at 20 s (and
 * then shows no result at all), so the runner stops first and says why.
 */
export const EXERCISM_BUDGET_SEC = 17;

/**
 * An exercise's Exercism slug: its slug in kebab-case.
 *
 * @param e The exercise.
 * @returns `sleep-and-gather` for `01_sleep_and_gather`.
 */
export function exercismSlug(e: Exercise): string {
  return e.slug.replace(/_/g, "-");
}

/**
 * The exercise a slug names: its Exercism slug (`sleep-and-gather`), its folder name
 * (`01_sleep_and_gather`) or its own slug (`sleep_and_gather`).
 *
 * @param all The workbook's exercises.
 * @param slug What Exercism passed.
 * @returns The exercise, or null when none has that name.
 *
 * @example
 * ```ts
 * findExercise(discoverExercises("."), "sleep-and-gather")?.dir; // "01_sleep_and_gather"
 * ```
 */
export function findExercise(all: Exercise[], slug: string): Exercise | null {
  const s = slug.trim().replace(/\/+$/, "");
  return all.find((e) => exercismSlug(e) === s || e.dir === s || e.slug === s) ?? null;
}

/** The grading settings the caller decides (taken just before grading, so a refusal comes late). */
export type ExercismGradeSettings = Pick<
  GradeOptions,
  "runtimes" | "sandbox" | "typeErrors" | "timeoutSec" | "jobs" | "schedules"
>;

/** Options of {@linkcode runExercism}. */
export interface ExercismRunOptions {
  /** The grader's workbook (node_modules, binaries). */
  toolRoot: string;
  /** The workbook holding the pristine and hidden tests. */
  pristineRoot: string;
  /** The exercise, as Exercism names it. */
  slug: string;
  /** The student's files. */
  solutionDir: string;
  /** Runtimes, sandbox and limits; may throw (no sandbox): the caller reports that. */
  settings: () => ExercismGradeSettings;
  /** Real seconds before the grading is stopped (default {@linkcode EXERCISM_BUDGET_SEC}). */
  budgetSec?: number;
}

/** What {@linkcode runExercism} gives. */
export interface ExercismRun {
  /** The results.json document. */
  result: ExercismResult;
  /** One line for the log: what was graded and how it went. */
  note: string;
}

/**
 * Grades an Exercism submission. A wrong request (an unknown slug, a missing folder, no solution
 * file) and a run over budget give a document in error saying so; only a failure of the grader
 * itself (no runtime, no sandbox) throws.
 *
 * @param o The request.
 * @returns The results.json document and a log line.
 */
export async function runExercism(o: ExercismRunOptions): Promise<ExercismRun> {
  const all = discoverExercises(o.pristineRoot);
  const ex = findExercise(all, o.slug);
  if (!ex) {
    return failed(
      `Unknown exercise "${o.slug}": this test runner grades ${
        all.map(exercismSlug).join(", ") || "no exercise"
      }.`,
    );
  }
  let isDir = false;
  try {
    isDir = statSync(o.solutionDir).isDirectory();
  } catch {
    // Missing or unreadable: reported below as not a folder.
  }
  if (!isDir) return failed(`The solution folder ${o.solutionDir} does not exist.`);
  const work = mkdtempSync(join(tmpdir(), "workbook-exercism-"));
  try {
    const got = collectSubmission(o.solutionDir, [ex], work);
    if (got.found.length === 0) {
      return failed(
        [
          `No solution file found: exercise ${exercismSlug(ex)} needs ${
            ex.meta.stubs.join(", ")
          } in the solution folder.`,
          ...got.refused,
        ].join("\n"),
      );
    }
    const budget = o.budgetSec ?? EXERCISM_BUDGET_SEC;
    const signal = AbortSignal.timeout(budget * 1000);
    const settings = o.settings();
    let report;
    try {
      report = await grade({
        toolRoot: o.toolRoot,
        pristineRoot: o.pristineRoot,
        submissionRoot: work,
        exercises: [ex],
        mode: "submission",
        suite: "grade",
        typeCheck: true,
        ...settings,
        signal,
      });
    } catch (e) {
      if (!signal.aborted) throw e;
      return failed(
        `The tests did not finish within ${budget} s, so this run was stopped (Exercism allows 20 s). ` +
          "A loop that never ends, or code waiting on real time instead of the tests' virtual clock?",
      );
    }
    const result = toExercism(report, { solutionPaths: true });
    const passed = result.tests.filter((t) => t.status === "pass").length;
    const missing = got.missing.length ? `; not in the solution: ${got.missing.join(", ")}` : "";
    return {
      result,
      note: `${ex.dir}: ${result.status}, ${passed}/${result.tests.length} tests passed${missing}`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function failed(message: string): ExercismRun {
  return { result: exercismError(message), note: `error: ${message.split("\n")[0]}` };
}
