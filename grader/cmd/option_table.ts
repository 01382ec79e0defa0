/**
 * The table of the grader's subcommands and options: every flag, its value, its check, its help
 * line and the commands that take it. The parser (options.ts) and `--help` both read it.
 *
 * @module
 */

import { FORMATS } from "../formats/mod.ts";

/** Names of the subcommands. */
export const COMMANDS = [
  "grade",
  "watch",
  "list",
  "hint",
  "reset",
  "solution",
  "export",
  "batch",
  "collect",
  "exercism",
  "check",
  "bench",
  "help",
] as const;
/** A subcommand. */
export type CommandName = (typeof COMMANDS)[number];

/** One option of the table. */
export interface OptionSpec {
  /** Long name without dashes. */
  name: string;
  /** One-letter alias. */
  short?: string;
  /** Placeholder of the value; absent for a flag. */
  value?: string;
  /** Valid values, when it is a choice. */
  choices?: readonly string[];
  /** Which value check applies. */
  check?: "positive" | "positive-int" | "non-negative" | "count";
  /** One line of help. */
  help: string;
  /** The commands that take it. */
  commands: readonly CommandName[];
}

const MODES: readonly CommandName[] = ["grade"];

/** The option table. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: "runtime",
    value: "RT",
    choices: ["deno", "bun", "both"],
    help:
      "runtime(s) to grade under (default: the one running the grader; under Node, Bun if installed, else Deno); both: grade, check",
    commands: ["grade", "watch", "solution", "batch", "exercism", "check", "bench"],
  },
  {
    name: "format",
    value: "FORMAT",
    choices: FORMATS,
    help: "report format (default: pretty)",
    commands: ["grade"],
  },
  {
    name: "out",
    value: "FILE",
    help: "write the report (batch: the gradebook CSV) to FILE instead of stdout",
    commands: ["grade", "batch"],
  },
  {
    name: "submission",
    value: "DIR",
    help: "the student's workbook to grade (default: this workbook)",
    commands: ["grade", "list", "hint"],
  },
  {
    name: "hidden-dir",
    value: "DIR",
    help: "the full workbook holding the tests (default: this workbook)",
    commands: ["grade", "list", "hint", "batch", "exercism"],
  },
  {
    name: "timeout",
    value: "SEC",
    check: "positive",
    help:
      "real-time limit per test, seconds (default: 10 for submissions, 4 in the self-check, 20 and 8 for Worker exercises; never more than exercise.json timeoutSec)",
    commands: ["grade", "batch", "exercism"],
  },
  {
    name: "jobs",
    value: "N",
    check: "positive-int",
    help: "parallel test processes (default: number of CPUs)",
    commands: ["grade", "batch", "exercism", "check"],
  },
  {
    name: "solutions",
    help: "grade solutions/ in place of the stubs (self-check: full marks)",
    commands: MODES,
  },
  { name: "stubs", help: "grade the pristine stubs (self-check: must score 0)", commands: MODES },
  {
    name: "mutants",
    help: "grade every solutions/NN_slug/mutants/*.patch and say which tests caught it",
    commands: MODES,
  },
  {
    name: "alternatives",
    help: "grade solutions/NN_slug/alternatives/* (other correct styles: full marks)",
    commands: MODES,
  },
  {
    name: "all-tests",
    help:
      "with --mutants: run every test of each mutant (who catches whom) instead of stopping once it is caught",
    commands: ["grade"],
  },
  {
    name: "schedules",
    value: "K",
    check: "count",
    help:
      "also run the passing tests under K other orders of the timers due at the same virtual instant; a test that fails under one fails, with its seed (default 0; 4 when grading someone else's code: --submission, batch, gradescope, classroom, exercism)",
    commands: ["grade", "batch", "exercism"],
  },
  {
    name: "seed",
    value: "S",
    check: "count",
    help:
      "order the timers due at the same virtual instant by seed S (0: creation order): replays a failure --schedules found",
    commands: ["grade"],
  },
  {
    name: "cpython",
    help: "run CPython's own asyncio test cases (translated) instead; shown apart, never scored",
    commands: ["grade"],
  },
  {
    name: "type-errors",
    value: "HOW",
    choices: ["report", "score"],
    help:
      "type errors are reported (default) or make the exercise score 0 (exercism: score, by default)",
    commands: ["grade", "exercism"],
  },
  {
    name: "fail-under",
    value: "SCORE",
    check: "non-negative",
    help: "exit 1 when the total score is below SCORE",
    commands: ["grade"],
  },
  {
    name: "hidden-visibility",
    value: "V",
    choices: ["hidden", "after_due_date", "after_published", "visible"],
    help: "Gradescope visibility of hidden tests (default: hidden)",
    commands: ["grade"],
  },
  {
    name: "timeline",
    value: "ID",
    help:
      "grade exercise ID and print its failing timeline tests' schedules as text bars, expected vs yours",
    commands: ["grade"],
  },
  {
    name: "test",
    value: "TEXT",
    help: "with --timeline: only the tests whose name contains TEXT",
    commands: ["grade"],
  },
  { name: "watch", help: "watch mode (same as the watch command)", commands: ["grade", "watch"] },
  {
    name: "poll",
    help: "watch: check file times every 500 ms instead of file events",
    commands: ["watch"],
  },
  { name: "yes", short: "y", help: "reset: do not ask first", commands: ["reset"] },
  {
    name: "student",
    value: "DIR",
    help: "export: a student copy (no solutions, mutants or hidden tests)",
    commands: ["export"],
  },
  {
    name: "gradescope",
    value: "FILE.zip",
    help: "export: a Gradescope autograder bundle",
    commands: ["export"],
  },
  {
    name: "unsafe-no-sandbox",
    help:
      "grade someone else's code without the bubblewrap sandbox (it then runs with your rights)",
    commands: ["grade", "batch", "exercism"],
  },
  {
    name: "unsafe-bun",
    help:
      "grade someone else's code under Bun alone, although Bun lets it read and forge its own process's memory (bun:ffi); for testing the grader",
    commands: ["grade", "batch", "exercism"],
  },
  {
    name: "no-color",
    help: "never colour the terminal output",
    commands: ["grade", "watch", "solution", "check"],
  },
  { name: "help", short: "h", help: "show this help", commands: COMMANDS },
];
