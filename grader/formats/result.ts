/**
 * The one result type every output format renders: a report of runtimes, exercises and tests
 * (and mutants in the self-check). The engine produces it; formats/ only read it.
 *
 * @module
 */

/** A JavaScript runtime the grader can run tests under. */
export type Runtime = "deno" | "bun";

/** Why a test failed, when the grader can tell. */
export type Reason =
  | "not-started"
  | "type-error"
  | "deadlock"
  | "leaked-timers"
  | "unhandled-rejection"
  | "time-budget"
  | "cpu-loop"
  | "crash"
  | "assertion"
  | "exception";

/** One graded test. */
export interface TestResult {
  /** Full name, groups joined with " > ". */
  name: string;
  /** Test file relative to the exercise folder. */
  file: string;
  /** True for tests from *.hidden.ts. */
  hidden: boolean;
  /** "pass", "fail" (the code answered wrongly) or "error" (the test could not complete). */
  status: "pass" | "fail" | "error";
  /** Failure message (empty on pass). */
  message: string;
  /** Captured output, capped. */
  output: string;
  /** Classified reason of a failure, null on pass. */
  reason: Reason | null;
  /** Weight of the test. */
  weight: number;
  /** Task number when the failure names one ("(task 2)"). */
  task_id?: number;
  /** Seconds the runner reports. */
  time: number;
  /** Virtual ms the test's clock runs reached (from the clock's report; absent without a clock). */
  virtual_ms?: number;
  /** The test's source, for visible tests (Exercism's test_code); never for hidden tests. */
  test_code?: string;
  /** 1-based line of the test's call in its file. */
  line?: number;
  /** A failed schedule: the expected and the actual timelines (see lib/kit/timeline.ts). */
  timeline?: unknown;
  /** A deadlock: where the stuck work waits (see lib/README.md). */
  diagnosis?: unknown;
  /** A failure under a seed: `{ seed, choices, total, swaps }` (see lib/README.md). */
  schedule?: unknown;
}

/** A type error found in a stub file. */
export interface TypeErrorItem {
  /** Path relative to the workbook root. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Compiler message with its code. */
  message: string;
}

/** Exercise status. */
export type ExerciseStatus = "not-started" | "in-progress" | "done";

/** One graded exercise (or one mutant of an exercise). */
export interface ExerciseResult {
  /** Two-digit id. */
  id: string;
  /** Folder name. */
  dir: string;
  /** Slug. */
  slug: string;
  /** Title. */
  title: string;
  /** Points earned, 0..max_score, two decimals. */
  score: number;
  /** Points available (10). */
  max_score: number;
  /** Progress status. */
  status: ExerciseStatus;
  /** Exercise-level reason when something went wrong as a whole. */
  reason?: string;
  /** Tests in file order. */
  tests: TestResult[];
  /** Type errors in the stub files. */
  type_errors: TypeErrorItem[];
  /** Non-fatal notes (unexpected tests, fallbacks). */
  warnings: string[];
  /** Wall seconds attributed to the exercise (runner times summed). */
  time: number;
}

/** The outcome of one mutant. */
export interface MutantResult {
  /** Exercise folder name. */
  exercise: string;
  /** Mutant file name. */
  mutant: string;
  /** What the mutant gets wrong (its `// MUTANT:` line). */
  description: string;
  /** True when at least one test failed. */
  caught: boolean;
  /** Names of the tests that failed. */
  caught_by: string[];
}

/** The results of one runtime. */
export interface RuntimeRun {
  /** Runtime. */
  runtime: Runtime;
  /** Total points. */
  score: number;
  /** Total available. */
  max_score: number;
  /** Exercises. */
  exercises: ExerciseResult[];
  /** Mutants, with --mutants. */
  mutants?: MutantResult[];
  /** Wall seconds of this runtime's grading. */
  time: number;
}

/** What was graded in place of the student's stubs. */
export type Mode = "submission" | "solutions" | "stubs" | "mutants" | "alternatives";

/** A complete grading report (one or both runtimes). */
export interface Report {
  /** Mode graded. */
  mode: Mode;
  /** Runtimes, in order. */
  runs: RuntimeRun[];
  /** Merged exercises: per exercise, the lowest score across runtimes. */
  exercises: ExerciseResult[];
  /** Total points (merged). */
  score: number;
  /** Total available. */
  max_score: number;
  /** "deno", "bun" or "both". */
  runtime: Runtime | "both";
  /** Mutation results merged across runtimes (caught on any runtime counts). */
  mutants?: MutantResult[];
  /** Caught mutants / all mutants, 0..1, with --mutants. */
  mutation_score?: number;
  /** Wall seconds. */
  time: number;
  /** Run-level warnings. */
  warnings: string[];
  /** Schedules each passing test ran under: 1 (creation order, or `seed`) plus `--schedules`. */
  schedules?: number;
  /** The seed of the first schedule (0: creation order). */
  seed?: number;
  /**
   * "cpython" when the tests run were CPython's own cases, translated (`grade --cpython`): a
   * conformance check shown apart, never a score.
   */
  suite?: "cpython";
}
