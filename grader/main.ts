/**
 * The workbook grader's command line.
 *
 * Run: `deno task grade [ID ...] [options]`, `bun run grade`, or `npm run grade`.
 * Prints a score table (or JSON, Gradescope, JUnit, Classroom, Markdown with --format).
 * Exit status: 0 graded, 1 below --fail-under, 2 usage error, 3 could not grade.
 * See grader/README.md.
 *
 * @module
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TOOL_ROOT } from "./engine/tool_root.ts";
import { type CliOptions, parseArgs, USAGE, UsageError } from "./cmd/options.ts";
import { discoverExercises, selectExercises } from "./engine/discover.ts";
import { formatReport } from "./formats/mod.ts";
import { grade } from "./engine/grade.ts";
import { lintExercise } from "./check/lint.ts";
import { extraCommand } from "./cmd/commands.ts";
import { formatPrettyFull } from "./formats/failure.ts";
import { stubsEdited } from "./engine/status.ts";
import { hintLevels, readProgress, writeProgress } from "./learner/progress.ts";
import { currentRuntime, findBinary } from "./engine/runtimes.ts";
import type { Exercise, Report, Runtime } from "./engine/types.ts";


/** Exit codes. */
export const EXIT = { ok: 0, failUnder: 1, usage: 2, cannotGrade: 3 } as const;

function runtimesOf(o: CliOptions): Runtime[] {
  if (o.runtime === "both") return ["deno", "bun"];
  if (o.runtime) return [o.runtime];
  const own = currentRuntime();
  if (own) return [own];
  // Under Node: prefer whichever is installed.
  const found = (["bun", "deno"] as const).find((r) => findBinary(r, TOOL_ROOT));
  return [found ?? "bun"];
}

function listCommand(all: Exercise[], root: string): string {
  const p = readProgress(root);
  const lines = ["exercise                               status              hints"];
  for (const e of all) {
    const last = p.last[e.dir];
    // Compared with the pristine stub (a student copy's snapshot, or git), not with the stub
    // itself: in the learner's own copy the "pristine" exercise folder is the edited one.
    const edited = stubsEdited(root, e.dir) === true;
    const status = last
      ? `${last.status} ${last.score}/${last.max_score}`
      : edited
      ? "edited, not graded"
      : "not started";
    lines.push(`${`${e.dir}: ${e.meta.title}`.padEnd(38).slice(0, 38)} ${status.padEnd(19)} ${p.hints[e.dir] ?? 0} shown`);
  }
  if (all.length === 0) lines.push("(no exercises yet)");
  return lines.join("\n") + "\n";
}

function hintCommand(all: Exercise[], root: string, o: CliOptions): string {
  const [ex] = selectExercises(all, o.ids);
  const file = existsSync(join(root, "exercises", ex!.dir, "HINTS.md"))
    ? join(root, "exercises", ex!.dir, "HINTS.md")
    : join(ex!.pristineDir, "HINTS.md");
  if (!existsSync(file)) throw new UsageError(`Exercise ${ex!.dir} has no HINTS.md`);
  const levels = hintLevels(readFileSync(file, "utf8"));
  const max = Math.max(0, ...levels.keys());
  const p = readProgress(root);
  const shown = p.hints[ex!.dir] ?? 0;
  const level = o.level ?? Math.min(shown + 1, max);
  const body = levels.get(level);
  if (body === undefined) {
    throw new UsageError(`Exercise ${ex!.dir} has no hint level ${level} (valid: ${[...levels.keys()].join(", ") || "none"})`);
  }
  p.hints[ex!.dir] = Math.max(shown, level);
  writeProgress(root, p);
  const more = level < max ? `\n(${max - level} more level(s): run "grade hint ${ex!.id}" again)` : "\n(that was the last level)";
  return `## ${ex!.dir}: hint level ${level} of ${max}\n\n${body}\n${more}\n`;
}

function rememberScores(root: string, report: Report): void {
  try {
    const p = readProgress(root);
    for (const e of report.exercises) p.last[e.dir] = { score: e.score, max_score: e.max_score, status: e.status };
    writeProgress(root, p);
  } catch { /* a read-only workbook keeps no progress */ }
}

/** `grade check [ID ...]`: the authoring lint of the given exercises (all without ids). */
function checkCommand(ids: string[]): number {
  const all = discoverExercises(TOOL_ROOT, () => {});
  let chosen: Exercise[];
  try {
    chosen = selectExercises(all, ids);
  } catch (e) {
    process.stderr.write(`grade: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  let bad = 0;
  for (const ex of chosen) {
    const { problems } = lintExercise(TOOL_ROOT, ex.dir);
    bad += problems.length;
    process.stdout.write(problems.length === 0 ? `ok   ${ex.dir}\n` : `FAIL ${ex.dir}\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
  }
  return bad === 0 ? EXIT.ok : EXIT.failUnder;
}

/**
 * Runs the grader's command line.
 *
 * @param argv Arguments after the script.
 * @returns The exit code.
 */
export async function main(argv: string[]): Promise<number> {
  // Watch, reset, solution, export, batch and collect live in grader/learn and grader/course.
  const extra = await extraCommand(argv, TOOL_ROOT);
  if (extra !== null) return extra;
  if (argv[0] === "check") return checkCommand(argv.slice(1));
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`grade: ${e.message}\nRun "grade --help" for usage.\n`);
      return EXIT.usage;
    }
    throw e;
  }
  if (o.command === "help") {
    process.stdout.write(USAGE + "\n");
    return EXIT.ok;
  }
  const pristineRoot = o.hiddenDir ? resolve(o.hiddenDir) : TOOL_ROOT;
  const submissionRoot = o.submission ? resolve(o.submission) : TOOL_ROOT;
  for (const [opt, dir] of [["--hidden-dir", o.hiddenDir], ["--submission", o.submission]] as const) {
    if (dir !== undefined && !existsSync(join(resolve(dir), "exercises"))) {
      process.stderr.write(`grade: Invalid value for ${opt}: "${dir}" has no exercises/ folder\n`);
      return EXIT.usage;
    }
  }
  let all: Exercise[];
  let selected: Exercise[];
  try {
    all = discoverExercises(pristineRoot);
    selected = selectExercises(all, o.command === "hint" ? [] : o.ids);
    if (o.command === "list") {
      process.stdout.write(listCommand(all, submissionRoot));
      return EXIT.ok;
    }
    if (o.command === "hint") {
      process.stdout.write(hintCommand(all, submissionRoot, o));
      return EXIT.ok;
    }
  } catch (e) {
    if (e instanceof RangeError || e instanceof UsageError) {
      process.stderr.write(`grade: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`grade: cannot grade: ${(e as Error).message}\n`);
    return EXIT.cannotGrade;
  }
  const tty = !o.out && process.stdout.isTTY === true && !o.noColor && !process.env.NO_COLOR;
  const progressOn = process.stderr.isTTY === true && o.format === "pretty" && !o.out;
  let report: Report;
  try {
    report = await grade({
      toolRoot: TOOL_ROOT,
      pristineRoot,
      submissionRoot,
      exercises: selected,
      mode: o.mode,
      runtimes: runtimesOf(o),
      ...(o.timeoutSec !== undefined ? { timeoutSec: o.timeoutSec } : {}),
      ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
      suite: o.cpython ? "cpython" : "grade",
      typeErrors: o.typeErrors ?? "report",
      typeCheck: o.mode === "submission" || o.typeErrors !== null,
      onProgress: progressOn
        ? (done, total, label) => process.stderr.write(`\r\x1b[2Kgrading ${done}/${total} ${label}`)
        : undefined,
    });
  } catch (e) {
    if (progressOn) process.stderr.write("\r\x1b[2K");
    process.stderr.write(`grade: cannot grade: ${(e as Error).message}\n`);
    return EXIT.cannotGrade;
  }
  if (progressOn) process.stderr.write("\r\x1b[2K");
  if (o.mode === "submission" && !o.submission && !o.cpython) rememberScores(submissionRoot, report);
  const text = o.format === "pretty"
    ? formatPrettyFull(report, tty)
    : formatReport(report, o.format, { color: tty, hiddenVisibility: o.hiddenVisibility });
  if (o.out) writeFileSync(o.out, text);
  else process.stdout.write(text);
  if (o.failUnder !== undefined && report.score < o.failUnder) {
    process.stderr.write(`grade: score ${report.score} is below --fail-under ${o.failUnder}\n`);
    return EXIT.failUnder;
  }
  return EXIT.ok;
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // Flush and leave even if a stray handle is open.
  setTimeout(() => process.exit(code), 0);
}
