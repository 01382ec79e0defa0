/**
 * Exercism's test-runner `results.json`, version 3 of the interface
 * (exercism/docs: building/tooling/test-runners/interface.md): top-level `version`, `status`
 * (`pass`, `fail`, or `error` when no test could run to the end), `message` (the error, else
 * null) and `tests[]` in file order, each with `name`, `status`, `message` (on fail and error),
 * `output` (what the code printed, at most 500 characters), `test_code` and `task_id` (from a
 * "task N: ..." name; absent when a name has none, as the spec allows).
 *
 * A hidden test's code is never shown: its `test_code` is a one-line comment saying so.
 *
 * @module
 */

import { loadFrame } from "./located.ts";
import type { ExerciseResult, Report, TestResult } from "./result.ts";
import { cleanText } from "./sanitize.ts";

/** The interface version this module writes. */
export const EXERCISM_VERSION = 3;
/** Longest per-test `output`, characters (the spec's limit). */
export const OUTPUT_LIMIT = 500;
/** What ends an output cut to the limit (the spec's wording). */
export const TRUNCATED_NOTE = "Output was truncated. Please limit to 500 chars";
/** Longest top-level `message`, characters (the spec's limit). */
export const MESSAGE_LIMIT = 65535;
/** Longest per-test `message` and `test_code` kept, characters (results.json stays small). */
export const TEST_TEXT_LIMIT = 8000;
/** The `test_code` of a hidden test. */
export const HIDDEN_TEST_CODE = "// a hidden test: its code is not shown";

/** A test's status, and the document's. */
export type ExercismStatus = "pass" | "fail" | "error";

/** One test of results.json. */
export interface ExercismTest {
  /** The test's full name (groups joined with " > "). */
  name: string;
  /** Its verdict. */
  status: ExercismStatus;
  /** Why it failed (only on fail and error). */
  message?: string;
  /** What the code printed during the test (only when it printed), capped. */
  output?: string;
  /** The test's source (a comment for a hidden test). */
  test_code?: string;
  /** The task the test belongs to (from "task N: " at the start of its name). */
  task_id?: number;
}

/** The results.json document. */
export interface ExercismResult {
  /** Interface version (3). */
  version: typeof EXERCISM_VERSION;
  /** "pass": every test passed; "fail": one failed; "error": no test could run to the end. */
  status: ExercismStatus;
  /** The error shown to the student when status is "error"; null otherwise. */
  message: string | null;
  /** Tests, in the order of the test files. */
  tests: ExercismTest[];
}

/** Options of {@linkcode toExercism}. */
export interface ExercismOptions {
  /**
   * Write paths as the solution folder has them (`gather.ts:4:2`) instead of as the workbook
   * has them (`exercises/01_sleep_and_gather/gather.ts:4:2`): the Exercism runner's view.
   */
  solutionPaths?: boolean;
}

/** Cuts text to `max` code points (never half a surrogate pair), ending with `tail` when cut. */
function cut(text: string, max: number, tail: string): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return points.slice(0, Math.max(0, max - Array.from(tail).length)).join("") + tail;
}

/**
 * An output capped to the spec's 500 characters: a longer one keeps its start and ends with
 * "Output was truncated. Please limit to 500 chars" (the whole stays within 500).
 *
 * @param text The output.
 * @returns The output, at most 500 characters.
 *
 * @example
 * ```ts
 * capOutput("x".repeat(600)).endsWith("Output was truncated. Please limit to 500 chars"); // true
 * ```
 */
export function capOutput(text: string): string {
  return cut(text, OUTPUT_LIMIT, `\n${TRUNCATED_NOTE}`);
}

/**
 * The task a test belongs to, from its name: "task 2: wait() > ..." is task 2. A name that names
 * no single task ("tasks 1-2: ...", none) has none.
 *
 * @param name The test's full name.
 * @returns The task number (1 or more), or undefined.
 *
 * @example
 * ```ts
 * taskIdOf("task 3: gather() > keeps the input order"); // 3
 * taskIdOf("helpers > a test"); // undefined
 * ```
 */
export function taskIdOf(name: string): number | undefined {
  const m = /^task (\d{1,6}): /i.exec(name);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 ? n : undefined;
}

/** The type errors of an exercise that scored 0 because of them (`--type-errors score`). */
function zeroedByTypes(e: ExerciseResult): boolean {
  return e.score === 0 && (e.reason?.startsWith("type-error") ?? false) && e.type_errors.length > 0;
}

/** The type errors as one message, one located error a line. */
function typeErrorText(e: ExerciseResult): string {
  const shown = e.type_errors.slice(0, 20).map((t) =>
    `${t.file}:${t.line}:${t.column}: ${t.message}`
  );
  const more = e.type_errors.length - shown.length;
  return [
    `The code does not type-check, so no test counts (${e.type_errors.length} type error${
      e.type_errors.length === 1 ? "" : "s"
    }):`,
    ...shown,
    ...(more > 0 ? [`... and ${more} more`] : []),
  ].join("\n");
}

/** A failed test's message: its reason first, unless the message already starts with it. */
function failureText(t: TestResult): string {
  const body = t.message || "(no message)";
  return t.reason && !body.startsWith(`${t.reason}:`) ? `[${t.reason}] ${body}` : body;
}

/** Why no test of an exercise ran to the end: a load error, a type error, a crash, or else. */
function exerciseError(e: ExerciseResult): string {
  const types = zeroedByTypes(e) ? typeErrorText(e) : "";
  const frame = loadFrame(e);
  if (frame) {
    // A syntax error is also a type error: the load error, with its line, says it best.
    const load =
      `The code did not load (a syntax error, or an exception thrown while it loaded):\n${frame.place}${
        frame.source ? `\n${frame.source}` : ""
      }`;
    return [load, types].filter(Boolean).join("\n\n");
  }
  if (types) return types;
  if (e.tests.length === 0) return e.reason ?? "No test ran.";
  if (e.reason?.startsWith("crash") && e.reason.includes("did not load")) {
    return `The code crashed while the tests loaded it (process.exit() or a fatal error at import):\n${e.reason}`;
  }
  return `Every test errored, so none ran to the end:\n${failureText(e.tests[0]!)}`;
}

/**
 * A test's source without the indentation it had in its file: the call's first line comes
 * without it, so the lines after it lose their common indentation.
 *
 * @param code The test's source, `it(` first.
 * @returns The source as if written at the left margin.
 *
 * @example
 * ```ts
 * dedentCode('it("a", () => {\n    f();\n  })'); // 'it("a", () => {\n  f();\n})'
 * ```
 */
export function dedentCode(code: string): string {
  const lines = code.split("\n");
  const rest = lines.slice(1).filter((l) => l.trim() !== "");
  const cutBy = Math.min(...rest.map((l) => /^ */.exec(l)![0].length));
  if (rest.length === 0 || cutBy === 0) return code;
  return [
    lines[0],
    ...lines.slice(1).map((l) => l.slice(Math.min(cutBy, /^ */.exec(l)![0].length))),
  ]
    .join("\n");
}

/**
 * Builds Exercism's results.json (version 3) from a report. With one exercise the test names are
 * the tests' own; with several, each is prefixed with its exercise's folder. An exercise that
 * scored 0 for its type errors has every test in error, saying so; the document is in error
 * when every test is (nothing loaded, every test crashed, or the code does not type-check), and
 * its message says which, with file:line:column when the report has them.
 *
 * @param report The report.
 * @param opts Paths as the solution folder has them.
 * @returns The document.
 */
export function toExercism(report: Report, opts: ExercismOptions = {}): ExercismResult {
  const several = report.exercises.length > 1;
  const paths = (e: ExerciseResult, text: string) => {
    const clean = cleanText(text);
    return opts.solutionPaths ? clean.split(`exercises/${e.dir}/`).join("") : clean;
  };
  const tests: ExercismTest[] = [];
  const errors: string[] = [];
  for (const e of report.exercises) {
    const zeroed = zeroedByTypes(e);
    const typeNote = zeroed ? typeErrorText(e) : "";
    for (const t of e.tests) {
      const status: ExercismStatus = zeroed ? "error" : t.status;
      const why = [typeNote, t.status === "pass" ? "" : failureText(t)].filter(Boolean).join(
        "\n\n",
      );
      const task = taskIdOf(t.name);
      const code = t.hidden ? HIDDEN_TEST_CODE : t.test_code;
      tests.push({
        name: cleanText(several ? `${e.dir}: ${t.name}` : t.name),
        status,
        ...(status === "pass" ? {} : { message: cut(paths(e, why), TEST_TEXT_LIMIT, "\n...") }),
        ...(t.output ? { output: capOutput(cleanText(t.output)) } : {}),
        ...(code ? { test_code: cut(dedentCode(cleanText(code)), TEST_TEXT_LIMIT, "\n...") } : {}),
        ...(task !== undefined ? { task_id: task } : {}),
      });
    }
    if (zeroed || e.tests.length === 0 || e.tests.every((t) => t.status === "error")) {
      errors.push(paths(e, `${several ? `${e.dir}: ` : ""}${exerciseError(e)}`));
    }
  }
  const allErrored = tests.every((t) => t.status === "error") &&
    errors.length === report.exercises.length;
  if (report.exercises.length === 0 || allErrored) {
    const why = errors.length > 0
      ? errors.join("\n\n")
      : ["No exercise was graded.", ...report.warnings.map(cleanText)].join("\n");
    return {
      version: EXERCISM_VERSION,
      status: "error",
      message: cut(why, MESSAGE_LIMIT, "\n..."),
      tests,
    };
  }
  const status = tests.every((t) => t.status === "pass") ? "pass" : "fail";
  return { version: EXERCISM_VERSION, status, message: null, tests };
}

/**
 * A results.json that only says why nothing was graded (an unknown exercise, a missing folder).
 *
 * @param message What went wrong, for the student.
 * @returns The document, status "error", no tests.
 */
export function exercismError(message: string): ExercismResult {
  return {
    version: EXERCISM_VERSION,
    status: "error",
    message: cut(cleanText(message), MESSAGE_LIMIT, "\n..."),
    tests: [],
  };
}

/**
 * Formats a report as Exercism's results.json text.
 *
 * @param report The report.
 * @param opts Paths as the solution folder has them.
 * @returns JSON text.
 */
export function formatExercism(report: Report, opts: ExercismOptions = {}): string {
  return JSON.stringify(toExercism(report, opts), null, 2) + "\n";
}
