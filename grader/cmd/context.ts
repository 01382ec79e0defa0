/**
 * What every subcommand shares: where output goes, the exit codes, the one rule that picks the
 * default runtime, and the workbook roots the options name.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { discoverExercises, selectExercises } from "../engine/discover.ts";
import { currentRuntime, findBinary } from "../engine/runtimes.ts";
import { sandboxStatus } from "../engine/sandbox.ts";
import type { Exercise, Runtime } from "../engine/types.ts";
import type { CommandName, ParsedCommand } from "./options.ts";
import { UsageError } from "./options.ts";

/** Exit codes. */
export const EXIT = { ok: 0, failUnder: 1, usage: 2, cannotGrade: 3 } as const;

/** Where a command writes, and what it knows of the terminal. */
export interface Io {
  /** Standard output. */
  out(text: string): void;
  /** Standard error. */
  err(text: string): void;
  /** Whether stdout is a terminal. */
  stdoutTTY: boolean;
  /** Whether stderr is a terminal. */
  stderrTTY: boolean;
}

/** The process's own streams. */
export const PROCESS_IO: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  get stdoutTTY() {
    return process.stdout.isTTY === true;
  },
  get stderrTTY() {
    return process.stderr.isTTY === true;
  },
};

/** A subcommand. */
export interface Command {
  /** Its name. */
  name: CommandName;
  /** Usage line(s), after "grade ". */
  usage: string;
  /** One line saying what it does. */
  summary: string;
  /**
   * Runs it.
   *
   * @param p The parsed command line.
   * @param ctx The workbook and the streams.
   * @returns The exit code.
   */
  run(p: ParsedCommand, ctx: Context): Promise<number>;
}

/** A command's surroundings. */
export interface Context {
  /** The workbook the grader lives in. */
  toolRoot: string;
  /** Output. */
  io: Io;
}

/**
 * The runtime(s) a command uses: the one asked for, else the runtime running the grader, else
 * (under Node) Bun when installed, else Deno. The same rule for every command.
 *
 * @param p The parsed command line.
 * @param toolRoot The grader's workbook.
 * @returns The runtimes, in order.
 */
export function runtimesOf(p: ParsedCommand, toolRoot: string, untrusted = false): Runtime[] {
  const r = p.opts.get("runtime");
  if (untrusted) {
    // Bun gives code under test every byte of its own process (bun:ffi reads and writes any
    // address), so nothing in that process can vouch for a result; Deno's permissions can.
    if (r === "bun" && !p.opts.has("unsafe-bun")) throw new UsageError(BUN_UNTRUSTED);
    if (r === undefined) return ["deno"];
  }
  if (r === "both") return ["deno", "bun"];
  if (r === "deno" || r === "bun") return [r];
  const own = currentRuntime();
  if (own) return [own];
  return [findBinary("bun", toolRoot) ? "bun" : "deno"];
}

/** Why untrusted code is never graded under Bun alone. */
export const BUN_UNTRUSTED =
  "grading someone else's code under Bun alone cannot be trusted: Bun lets code under test read " +
  "and write any memory of its own process (bun:ffi), so a submission can forge its results. " +
  "Use --runtime deno (the default for submissions) or --runtime both (a test passes only if it " +
  "passes under both); --unsafe-bun grades under Bun anyway";

/**
 * A string option's value.
 *
 * @param p The parsed command line.
 * @param name Option name.
 * @returns The value, or undefined.
 */
export function str(p: ParsedCommand, name: string): string | undefined {
  const v = p.opts.get(name);
  return typeof v === "string" ? v : undefined;
}

/**
 * A number option's value (the option table has checked it is a number).
 *
 * @param p The parsed command line.
 * @param name Option name.
 * @returns The number, or undefined when the option is absent.
 */
export function num(p: ParsedCommand, name: string): number | undefined {
  const v = str(p, name);
  return v === undefined ? undefined : Number(v);
}

/**
 * A folder option that must be a workbook (hold an `exercises/` folder).
 *
 * @param p The parsed command line.
 * @param name Option name.
 * @param fallback The folder when the option is absent.
 * @returns The absolute folder.
 * @throws {UsageError} When the folder has no exercises/.
 */
export function workbookOption(p: ParsedCommand, name: string, fallback: string): string {
  const v = str(p, name);
  if (v === undefined) return fallback;
  const dir = resolve(v);
  if (!existsSync(join(dir, "exercises"))) {
    throw new UsageError(`Invalid value for --${name}: "${v}" has no exercises/ folder`);
  }
  return dir;
}

/**
 * Selects exercises of a workbook by the ids typed.
 *
 * @param root Workbook root.
 * @param ids Ids ("7", "07", "07_slug", "slug"); empty selects all.
 * @returns All exercises and the selected ones.
 * @throws {UsageError} On an unknown id.
 */
export function exercisesOf(
  root: string,
  ids: string[],
): { all: Exercise[]; selected: Exercise[] } {
  const all = discoverExercises(root);
  try {
    return { all, selected: selectExercises(all, ids) };
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Exactly `n` positional arguments, or a usage error.
 *
 * @param p The parsed command line.
 * @param n How many.
 * @param usage The usage line to show.
 * @returns The arguments.
 */
export function positionals(p: ParsedCommand, n: number, usage: string): string[] {
  if (p.args.length !== n) throw new UsageError(`Usage: grade ${usage}`);
  return p.args;
}

/**
 * Whether output may be coloured: a terminal, no --no-color, no NO_COLOR.
 *
 * @param p The parsed command line.
 * @param io The streams.
 * @returns True to colour.
 */
export function colorOn(p: ParsedCommand, io: Io): boolean {
  return io.stdoutTTY && !p.opts.has("no-color") && !process.env.NO_COLOR && !p.opts.has("out");
}

/** Grading could not start (no sandbox for untrusted code, ...); exit code 3. */
export class CannotGradeError extends Error {
  /** @param message What is missing and how to get it. */
  constructor(message: string) {
    super(message);
    this.name = "CannotGradeError";
  }
}

/**
 * The sandbox a grading run uses. Someone else's code (a `--submission`, a batch, a Gradescope
 * or Classroom report) is never run outside the sandbox unless `--unsafe-no-sandbox` says so; a
 * learner's own copy is graded in the sandbox when bubblewrap works, else without it.
 *
 * @param p The parsed command line.
 * @param untrusted Whether the code to grade is someone else's.
 * @returns The bwrap binary, or false for none.
 * @throws {CannotGradeError} When untrusted code would run unsandboxed without the flag.
 */
export function sandboxFor(p: ParsedCommand, untrusted: boolean): string | false {
  const s = sandboxStatus();
  if (s.ok) return s.bwrap;
  if (!untrusted || p.opts.has("unsafe-no-sandbox")) return false;
  throw new CannotGradeError(
    `refusing to run someone else's code without a sandbox: ${s.why}. Install bubblewrap ` +
      "(apt-get install bubblewrap), or pass --unsafe-no-sandbox to run it with your own rights",
  );
}
