/**
 * The engine's own types: exercises as discovered, the tests their sources declare, and a
 * runner's verdicts. The result types live in formats/result.ts (re-exported here).
 *
 * @module
 */

export type {
  ExerciseResult,
  ExerciseStatus,
  Mode,
  MutantResult,
  Reason,
  Report,
  Runtime,
  RuntimeRun,
  TestResult,
  TypeErrorItem,
} from "../formats/result.ts";

/** The parsed `exercise.json` of an exercise, with defaults filled in. */
export interface ExerciseMeta {
  /** Human title. */
  title: string;
  /** Files the student edits, relative to the exercise folder. */
  stubs: string[];
  /** Test full name -> weight; other tests weigh 1. */
  weights: Record<string, number>;
  /** Wall-clock limit for the exercise in seconds. */
  timeoutSec: number;
  /** True when the tests run real threads. */
  realTime: boolean;
  /** Course part (1, 2, ...), when given. */
  part?: number;
  /** Difficulty 1-5, when given. */
  difficulty?: number;
  /** Minutes a student needs, when given. */
  minutes?: number;
}

/** One test the pristine sources declare (found statically). */
export interface ExpectedTest {
  /** Test file, relative to the exercise folder. */
  file: string;
  /** Full name, groups joined with " > ". */
  name: string;
  /** True for a `describe` group, false for an `it`/`test`. */
  group: boolean;
  /** True when the file is a hidden test file. */
  hidden: boolean;
  /** 1-based line of the call. */
  line: number;
  /** 1-based line of the test's name (where Bun says a test was registered). */
  nameLine: number;
  /** The test's source (the whole `it(...)` call), for visible tests only; hidden code is never reported. */
  code?: string;
}

/** An exercise discovered in the pristine root. */
export interface Exercise {
  /** Two-digit number, e.g. "07". */
  id: string;
  /** Folder name, e.g. "09_event_start_signal". */
  dir: string;
  /** Slug, e.g. "event_start_signal". */
  slug: string;
  /** Metadata from exercise.json. */
  meta: ExerciseMeta;
  /** Absolute path of the pristine exercise folder. */
  pristineDir: string;
  /** Test files relative to the folder, visible (*.test.ts) first, then hidden (*.hidden.ts). */
  testFiles: string[];
  /** The tests the pristine test files declare, in file order (groups included). */
  expected: ExpectedTest[];
  /** CPython conformance files (*.cpython.ts), relative to the folder; graded apart from the score. */
  cpythonFiles: string[];
  /** The tests the conformance files declare. */
  cpythonExpected: ExpectedTest[];
}

/** A verdict read from a runner's JUnit report. */
export interface Verdict {
  /** "pass", "fail", or "skipped" (the runner reports it did not run). */
  status: "pass" | "fail" | "skipped";
  /** Normalised failure message, "ErrorName: text". */
  message: string;
  /** Full failure text (message and stack) when given. */
  details: string;
  /** Seconds the runner says the test took. */
  time: number;
  /** Line of the call that registered the test, when the runner gives it for a test file. */
  line?: number;
  /** A failed schedule's expected and actual timelines, as the kit attached them (plain data). */
  timeline?: unknown;
  /** A deadlock's diagnosis, as the clock attached it (plain data). */
  diagnosis?: unknown;
  /** The same-instant schedule of a failed run under a seed: `{ seed, choices, total, swaps }`. */
  schedule?: unknown;
}
