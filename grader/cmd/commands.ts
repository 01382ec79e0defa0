/**
 * The learner's and the instructor's subcommands of the grader CLI, dispatched before the
 * grader's own parser: `--watch [ID] [--poll]`, `reset ID [--yes]`, `solution ID`,
 * `export --student DIR`, `export --gradescope FILE.zip`, `batch DIR [--hidden-dir WORKBOOK]
 * [--out BOOK.csv] [--jobs N]`, and `collect SRC DST` (used by Gradescope's run_autograder).
 * Everything else is left to grader/cli.ts.
 *
 * @module
 */

import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { UsageError } from "./options.ts";
import { discoverExercises, selectExercises } from "../engine/discover.ts";
import { currentRuntime, findBinary } from "../engine/runtimes.ts";
import type { Runtime } from "../engine/types.ts";
import { batchGrade } from "../course/batch.ts";
import { collectSubmission } from "../course/collect.ts";
import { exportGradescope } from "../course/export_gradescope.ts";
import { exportStudent } from "../course/export_student.ts";
import { resetExercise } from "../learner/reset.ts";
import { revealSolution } from "../learner/solution.ts";
import { gradeInPlace, watchMode } from "../learner/watch.ts";

/** Subcommands handled here. */
export const EXTRA_COMMANDS = ["watch", "reset", "solution", "export", "batch", "collect"] as const;

/** Parsed options of an extra subcommand. */
export interface ExtraOptions {
  /** Subcommand. */
  command: (typeof EXTRA_COMMANDS)[number];
  /** Positional arguments after the subcommand. */
  args: string[];
  /** Flags and values by option name (without dashes). */
  opts: Map<string, string | true>;
}

const VALUE = new Set(["student", "gradescope", "hidden-dir", "out", "jobs", "runtime", "timeout"]);
const FLAG = new Set(["watch", "poll", "yes", "no-color"]);

/**
 * Recognises an extra subcommand.
 *
 * @param argv Arguments after the script.
 * @returns The parsed command, or null when the grader's own parser should handle argv.
 * @throws {UsageError} On an unknown option or a missing value of a recognised command.
 *
 * @example
 * ```ts
 * parseExtra(["reset", "3", "--yes"])?.command; // "reset"
 * parseExtra(["7"]); // null
 * ```
 */
export function parseExtra(argv: string[]): ExtraOptions | null {
  const first = argv.find((a) => !a.startsWith("-"));
  const watch = argv.includes("--watch");
  if (!watch && !(first && (EXTRA_COMMANDS as readonly string[]).includes(first) && first !== "watch")) return null;
  const opts = new Map<string, string | true>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-y") {
      opts.set("yes", true);
      continue;
    }
    if (!a.startsWith("--")) {
      args.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s) as [string, string | undefined];
    if (FLAG.has(name)) opts.set(name, true);
    else if (VALUE.has(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`Option --${name} needs a value`);
      opts.set(name, v);
    } else throw new UsageError(`Unknown option for this command: ${a} (valid: ${[...FLAG, ...VALUE].map((x) => `--${x}`).join(", ")})`);
  }
  if (watch) return { command: "watch", args: args.filter((x) => x !== "grade"), opts };
  return { command: args[0] as ExtraOptions["command"], args: args.slice(1), opts };
}

function runtimeOf(o: ExtraOptions, root: string, fallback: Runtime | null = null): Runtime {
  const r = o.opts.get("runtime");
  if (r === "deno" || r === "bun") return r;
  if (r !== undefined) throw new UsageError(`Invalid value for --runtime: "${String(r)}" (valid: deno, bun)`);
  return fallback ?? currentRuntime() ?? (findBinary("bun", root) ? "bun" : "deno");
}

function str(o: ExtraOptions, name: string): string | undefined {
  const v = o.opts.get(name);
  return typeof v === "string" ? v : undefined;
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`Invalid value for --${name}: "${v}" (expected a positive integer)`);
  return n;
}

/** Asks a yes/no question on the terminal; anything but y/yes (or end of input) is no. */
export function askYesNo(question: string): Promise<boolean> {
  return new Promise((res) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let answered = false;
    rl.question(question, (a) => {
      answered = true;
      rl.close();
      res(/^y(es)?$/i.test(a.trim()));
    });
    rl.on("close", () => {
      if (!answered) res(false);
    });
  });
}

function exactlyOne(o: ExtraOptions, usage: string): string {
  if (o.args.length !== 1) throw new UsageError(`Usage: ${usage}`);
  return o.args[0]!;
}

/**
 * Runs an extra subcommand.
 *
 * @param o The parsed command.
 * @param root The workbook the grader lives in (the learner's copy, or the instructor's full one).
 * @returns The exit code.
 */
export async function runExtra(o: ExtraOptions, root: string): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  switch (o.command) {
    case "watch": {
      if (o.args.length > 1) throw new UsageError("Usage: grade --watch [ID] [--poll]");
      return await watchMode({
        root,
        ...(o.args[0] !== undefined ? { start: o.args[0] } : {}),
        poll: o.opts.has("poll"),
        runtime: runtimeOf(o, root),
        color: process.stdout.isTTY === true && !o.opts.has("no-color") && !process.env.NO_COLOR,
      });
    }
    case "reset": {
      const id = exactlyOne(o, "grade reset ID [--yes]");
      const [ex] = selectExercises(discoverExercises(root), [id]);
      const r = await resetExercise(root, ex!, { yes: o.opts.has("yes"), ask: askYesNo });
      out(r.message + "\n");
      return 0;
    }
    case "solution": {
      const id = exactlyOne(o, "grade solution ID");
      const [ex] = selectExercises(discoverExercises(root), [id]);
      process.stderr.write(`grading ${ex!.dir} ...\n`);
      const report = await gradeInPlace(root, [ex!], runtimeOf(o, root));
      out(revealSolution(root, report.exercises[0]!, ex!.meta.stubs).text);
      return 0;
    }
    case "export": {
      const student = str(o, "student");
      const gs = str(o, "gradescope");
      if ((student === undefined) === (gs === undefined) || o.args.length > 0) {
        throw new UsageError("Usage: grade export --student DIR   or   grade export --gradescope FILE.zip");
      }
      if (student !== undefined) {
        const r = exportStudent(root, resolve(student));
        out(`Wrote a student copy to ${student}: ${r.exercises.length} exercises, ${r.files.length} files ` +
          `(no solutions, mutants or hidden tests).\nTry it: cd ${student} && npm install && npm test\n`);
      } else {
        if (!gs!.endsWith(".zip")) throw new UsageError(`Invalid value for --gradescope: "${gs}" (expected a .zip file name)`);
        const r = exportGradescope(root, resolve(gs!));
        out(`Wrote the Gradescope autograder ${gs}: ${r.entries.length} files, ${(r.bytes / 1024).toFixed(0)} KiB ` +
          `(setup.sh, run_autograder, the workbook with hidden tests, no solutions).\n`);
      }
      return 0;
    }
    case "batch": {
      const dir = exactlyOne(o, "grade batch DIR [--hidden-dir WORKBOOK] [--out BOOK.csv] [--jobs N] [--runtime deno|bun]");
      const hidden = str(o, "hidden-dir");
      if (hidden !== undefined && !existsSync(resolve(hidden, "exercises"))) {
        throw new UsageError(`Invalid value for --hidden-dir: "${hidden}" has no exercises/ folder`);
      }
      const jobs = positiveInt("jobs", str(o, "jobs"));
      const t = str(o, "timeout");
      const timeoutSec = t === undefined ? undefined : Number(t);
      if (timeoutSec !== undefined && !(timeoutSec > 0)) throw new UsageError(`Invalid value for --timeout: "${t}" (expected a positive number)`);
      const r = await batchGrade({
        toolRoot: root,
        dir: resolve(dir),
        ...(hidden !== undefined ? { hiddenDir: resolve(hidden) } : {}),
        ...(str(o, "out") !== undefined ? { out: resolve(str(o, "out")!) } : {}),
        ...(jobs !== undefined ? { jobs } : {}),
        ...(timeoutSec !== undefined ? { timeoutSec } : {}),
        runtime: runtimeOf(o, root, findBinary("deno", root) ? "deno" : null),
        onStudent: (row, done, total) =>
          process.stderr.write(`[${done}/${total}] ${row.student}: ${row.total}/${row.max}${row.note ? ` (${row.note})` : ""}\n`),
      });
      out(`Gradebook: ${r.csv} (${r.rows.length} students); one JSON per student in ${r.jsonDir}/\n`);
      return 0;
    }
    case "collect": {
      if (o.args.length !== 2) throw new UsageError("Usage: grade collect SUBMISSION_DIR WORK_DIR");
      const [src, dst] = o.args as [string, string];
      mkdirSync(dst, { recursive: true });
      const c = collectSubmission(resolve(src), discoverExercises(root), resolve(dst));
      out(`collected ${c.found.length} stub file(s) from ${src}` +
        (c.missing.length ? `; not in the submission (graded as pristine stubs): ${c.missing.join(", ")}` : "") +
        (c.refused.length ? `; refused: ${c.refused.join("; ")}` : "") + "\n");
      return 0;
    }
  }
  return 2;
}

/**
 * The entry point main.ts calls first: runs an extra subcommand, or returns null for the
 * grader's own commands.
 *
 * @param argv Arguments after the script.
 * @param root The grader's workbook.
 * @returns The exit code, or null when argv is not an extra subcommand.
 */
export async function extraCommand(argv: string[], root: string): Promise<number | null> {
  let o: ExtraOptions | null;
  try {
    o = parseExtra(argv);
    if (o === null) return null;
    return await runExtra(o, root);
  } catch (e) {
    if (e instanceof UsageError || e instanceof RangeError) {
      process.stderr.write(`grade: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`grade: ${(e as Error).message}\n`);
    return 3;
  }
}
