/**
 * What a grading run is asked to do: which exercises, in place of which stubs, under which
 * runtimes, with which limits. Read by the planner, the runner and the orchestrator.
 *
 * @module
 */

import type { SessionResult } from "./session_types.ts";
import type { Exercise, Mode, Runtime } from "./types.ts";
import type { Unit, Workspace } from "./workspace.ts";

/** Options of `grade()`. */
export interface GradeOptions {
  /** The grader's own workbook (node_modules, binaries). */
  toolRoot: string;
  /** Where pristine tests, lib and stubs come from (--hidden-dir, else toolRoot). */
  pristineRoot: string;
  /** The student's workbook (--submission, else toolRoot). */
  submissionRoot: string;
  /** Exercises to grade, in order. */
  exercises: Exercise[];
  /** What to grade in place of the stubs. */
  mode: Mode;
  /** Runtimes, in order. */
  runtimes: Runtime[];
  /** Per-exercise wall-clock limit overriding exercise.json, seconds. */
  timeoutSec?: number;
  /** Parallel processes (default: CPU count). */
  jobs?: number;
  /** Whether type errors cost the exercise its points. */
  typeErrors?: "report" | "score";
  /** Type-check the stub files. */
  typeCheck?: boolean;
  /** Ask the clock library for its virtual-time report (bench). */
  clockReport?: boolean;
  /** Which tests: the graded ones (visible and hidden, default) or the CPython conformance cases. */
  suite?: "grade" | "cpython";
  /**
   * The sandbox: the bwrap binary to run every test process in, or false for none. Undefined
   * means bwrap when it works here, else none.
   */
  sandbox?: string | false;
  /** Mutants: run every test of each mutant (the kill matrix) instead of stopping once caught. */
  allTests?: boolean;
  /**
   * Seed of the clock's same-instant schedule for every test (0 or absent: creation order): a
   * failure `--schedules` found replays with its seed.
   */
  seed?: number;
  /**
   * Also run the tests that passed under this many other schedules (seeds 1..K, or after `seed`):
   * a test is correct only if it passes under every order of events due at the same instant.
   */
  schedules?: number;
  /** Stops the grading: every test process is killed and grade() rejects with the reason. */
  signal?: AbortSignal;
  /** Progress callback. */
  onProgress?: (done: number, total: number, label: string) => void;
  /**
   * A harness process already started for this grade (watch mode's warm start, spare.ts): used
   * when it fits the grade's one exercise and runtime, else ignored.
   */
  spare?: { claim(runtime: Runtime, units: Unit[]): boolean } & SpareRun;
}

/**
 * How many other schedules an autograder runs by default: when someone else's code is graded
 * (`--submission`, `batch`, the gradescope, classroom and exercism formats, the `exercism`
 * command). A test then passes only if it also passes under seeds 1-4 of the same-instant order,
 * so code that is right only in the order the timers were created (an order no runtime promises
 * across delays) loses its points, with the seed to replay in the message. Four, not sixteen:
 * seed by seed, an order-luck bug is caught about 6 times in 10 (39 of seeds 1-64 for lib's
 * `warmUpAndServe`), so four seeds catch it about 98 times in 100, at about 7 times the grading
 * time of one order (sixteen cost 24 times; measured over the whole workbook). A learner's own
 * `grade` keeps one order unless they ask (`--schedules 4` runs what the autograder runs).
 */
export const AUTOGRADER_SCHEDULES = 4;

/**
 * The other schedules a grade runs: what `--schedules` says, else `AUTOGRADER_SCHEDULES` for an
 * autograder's grade, else none.
 *
 * @param explicit The `--schedules` value, when given.
 * @param autograder Whether someone else's code is graded (see `AUTOGRADER_SCHEDULES`).
 * @returns K, the schedules after the first.
 *
 * @example
 * ```ts
 * import { schedulesFor } from "./grade_options.ts";
 * schedulesFor(undefined, true); // 4
 * schedulesFor(0, true); // 0
 * ```
 */
export function schedulesFor(explicit: number | undefined, autograder: boolean): number {
  return explicit ?? (autograder ? AUTOGRADER_SCHEDULES : 0);
}

/** What a claimed spare offers the runner (see spare.ts Spare). */
export interface SpareRun {
  /** Its workspace, which the grade then owns. */
  ws: Workspace;
  /** Grades the unit as its files are now. */
  run(u: Unit, signal?: AbortSignal): Promise<SessionResult>;
}

/**
 * The options of a grade in place of a learner's own workbook (trusted: their own code).
 *
 * @param root The workbook.
 * @param exercises The exercises to grade.
 * @param runtime The runtime.
 * @returns The grade's options.
 */
export function inPlace(root: string, exercises: Exercise[], runtime: Runtime): GradeOptions {
  return {
    toolRoot: root,
    pristineRoot: root,
    submissionRoot: root,
    exercises,
    mode: "submission",
    runtimes: [runtime],
    typeCheck: false,
  };
}
