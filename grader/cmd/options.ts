/**
 * Command-line parsing of the grader: `grade [ID ...] [options]`, `list`, `hint ID [LEVEL]`.
 * Bad input raises {@linkcode UsageError}, which the entry point prints and exits 2 on.
 *
 * @module
 */

import type { Runtime } from "../engine/types.ts";
import { type Format, FORMATS } from "../formats/mod.ts";


/** A command-line mistake; the message names the bad value and the valid choices. */
export class UsageError extends Error {
  /** @param message What is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parsed command line. */
export interface CliOptions {
  /** Subcommand. */
  command: "grade" | "list" | "hint" | "help";
  /** Exercise ids (grade), or [id] / [id, level] (hint). */
  ids: string[];
  /** Hint level, for `hint ID LEVEL`. */
  level?: number;
  /** Runtimes: one, or both; null means the grader's own. */
  runtime: Runtime | "both" | null;
  /** Output format. */
  format: Format;
  /** Output file (default stdout). */
  out?: string;
  /** Pristine workbook for tests. */
  hiddenDir?: string;
  /** Student workbook. */
  submission?: string;
  /** Per-exercise timeout, seconds. */
  timeoutSec?: number;
  /** Parallel processes. */
  jobs?: number;
  /** Grade mode. */
  mode: "submission" | "solutions" | "stubs" | "mutants" | "alternatives";
  /** Type errors: reported or scored; null when not given. */
  typeErrors: "report" | "score" | null;
  /** Fail (exit 1) below this total score. */
  failUnder?: number;
  /** Gradescope visibility for hidden tests. */
  hiddenVisibility: "hidden" | "after_due_date" | "after_published" | "visible";
  /** Disable colours even on a TTY. */
  noColor: boolean;
  /** Run the CPython conformance cases instead of the graded tests. */
  cpython: boolean;
}

/** Usage text printed by --help. */
export const USAGE = `Usage: grade [ID ...] [options]
       grade list
       grade hint ID [LEVEL]
       grade --watch [ID] [--poll]        re-grade on save (keys: n h l c r q)
       grade reset ID [--yes]             restore the pristine stub (your version is backed up)
       grade solution ID                  show the solution once the exercise passes
       grade export --student DIR         a student copy: no solutions, mutants or hidden tests
       grade export --gradescope FILE.zip a Gradescope autograder bundle
       grade batch DIR [--hidden-dir WORKBOOK] [--out BOOK.csv] [--jobs N] [--runtime deno|bun]

Grades the workbook's exercises (all, or the given IDs: a number like 7 or 07, or a folder
name like 09_event_start_signal) against their pristine tests under Deno and/or Bun.

Options:
  --runtime deno|bun|both    runtime(s) to grade under (default: the one running the grader)
  --format FORMAT            ${FORMATS.join("|")} (default: pretty)
  --out FILE                 write the report to FILE instead of stdout
  --submission DIR           the student's workbook to grade (default: this workbook)
  --hidden-dir DIR           pristine workbook holding the tests (default: this workbook)
  --timeout SEC              wall-clock limit per exercise (default: exercise.json timeoutSec or 30)
  --jobs N                   parallel test processes (default: number of CPUs)
  --solutions                grade solutions/ in place of the stubs (self-check)
  --alternatives             grade solutions/NN_slug/alternatives/* (other correct styles: full marks)
  --stubs                    grade the pristine stubs (self-check: must score 0)
  --mutants                  grade every solutions/NN_slug/mutants/*.patch and report which tests caught it
  --cpython                  run CPython's own asyncio test cases (translated) instead of the
                             graded tests; shown apart, never part of the score
  --type-errors report|score type errors are reported (default) or make the exercise score 0
  --fail-under SCORE         exit 1 when the total score is below SCORE
  --hidden-visibility V      Gradescope visibility of hidden tests:
                             hidden|after_due_date|after_published|visible (default: hidden)
  --no-color                 never colour the terminal output
  -h, --help                 show this help

Exit status: 0 graded (any score), 1 below --fail-under, 2 usage error, 3 could not grade.`;

const VALUE_OPTS = new Set([
  "--runtime",
  "--format",
  "--out",
  "--submission",
  "--hidden-dir",
  "--timeout",
  "--jobs",
  "--type-errors",
  "--fail-under",
  "--hidden-visibility",
]);
const FLAG_OPTS = new Set(["--cpython", "--alternatives", "--solutions", "--stubs", "--mutants", "--no-color", "--help", "-h"]);

function choice<T extends string>(opt: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`Invalid value for ${opt}: "${value}" (valid: ${choices.join(", ")})`);
  }
  return value as T;
}

function positive(opt: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`Invalid value for ${opt}: "${value}" (expected a positive ${integer ? "integer" : "number"})`);
  }
  return n;
}

/**
 * Parses the grader's arguments.
 *
 * @param argv Arguments after the script name.
 * @returns Options.
 * @throws {UsageError} On an unknown option, a missing or invalid value, or conflicting modes.
 *
 * @example
 * ```ts
 * parseArgs(["7", "--runtime", "bun"]).ids; // ["7"]
 * ```
 */
export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = {
    command: "grade",
    ids: [],
    runtime: null,
    format: "pretty",
    mode: "submission",
    typeErrors: null,
    hiddenVisibility: "hidden",
    noColor: false,
    cpython: false,
  };
  const modes: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let value: string | undefined;
    if (arg.startsWith("--") && arg.includes("=")) {
      value = arg.slice(arg.indexOf("=") + 1);
      arg = arg.slice(0, arg.indexOf("="));
    }
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || /^-\d/.test(arg)) {
      positional.push(arg);
      continue;
    }
    if (FLAG_OPTS.has(arg)) {
      if (value !== undefined) throw new UsageError(`Option ${arg} takes no value`);
      if (arg === "--help" || arg === "-h") o.command = "help";
      else if (arg === "--no-color") o.noColor = true;
      else if (arg === "--cpython") o.cpython = true;
      else modes.push(arg.slice(2));
      continue;
    }
    if (!VALUE_OPTS.has(arg)) {
      throw new UsageError(`Unknown option: ${arg} (valid: ${[...VALUE_OPTS, ...FLAG_OPTS].join(", ")})`);
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`Option ${arg} needs a value`);
    }
    switch (arg) {
      case "--runtime":
        o.runtime = choice(arg, value, ["deno", "bun", "both"] as const);
        break;
      case "--format":
        o.format = choice(arg, value, FORMATS);
        break;
      case "--out":
        o.out = value;
        break;
      case "--submission":
        o.submission = value;
        break;
      case "--hidden-dir":
        o.hiddenDir = value;
        break;
      case "--timeout":
        o.timeoutSec = positive(arg, value, false);
        break;
      case "--jobs":
        o.jobs = positive(arg, value, true);
        break;
      case "--type-errors":
        o.typeErrors = choice(arg, value, ["report", "score"] as const);
        break;
      case "--fail-under": {
        const n = Number(value);
        if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
          throw new UsageError(`Invalid value for --fail-under: "${value}" (expected a number >= 0)`);
        }
        o.failUnder = n;
        break;
      }
      case "--hidden-visibility":
        o.hiddenVisibility = choice(arg, value, ["hidden", "after_due_date", "after_published", "visible"] as const);
        break;
    }
  }
  if (modes.length > 1) throw new UsageError(`Choose one of --solutions, --stubs, --mutants, --alternatives (received ${modes.map((m) => `--${m}`).join(" and ")})`);
  if (modes.length === 1) o.mode = modes[0] as CliOptions["mode"];
  if (o.command === "help") return o;
  if (positional[0] === "list") {
    o.command = "list";
    if (positional.length > 1) throw new UsageError(`"list" takes no arguments (received ${positional.slice(1).join(" ")})`);
  } else if (positional[0] === "hint") {
    o.command = "hint";
    if (positional.length < 2 || positional.length > 3) throw new UsageError(`Usage: grade hint ID [LEVEL]`);
    o.ids = [positional[1]!];
    if (positional[2] !== undefined) o.level = positive("LEVEL", positional[2], true);
  } else {
    if (positional[0] === "grade") positional.shift();
    o.ids = positional;
  }
  return o;
}
