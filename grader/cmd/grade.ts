/**
 * `grade [ID ...]`: grades the workbook's exercises (or a submission) against the pristine tests
 * and prints or writes the report in the chosen format.
 *
 * @module
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { grade } from "../engine/grade.ts";
import { schedulesFor } from "../engine/grade_options.ts";
import { formatPrettyFull } from "../formats/failure.ts";
import { type Format, formatReport } from "../formats/mod.ts";
import type { Report } from "../formats/result.ts";
import { ProgressError, ProgressStore } from "../learner/progress.ts";
import { recordReport } from "../learner/record.ts";
import {
  colorOn,
  type Command,
  exercisesOf,
  EXIT,
  num,
  runtimesOf,
  sandboxFor,
  str,
  workbookOption,
} from "./context.ts";
import { invocation } from "./invocation.ts";
import { nextSteps } from "./next_step.ts";
import { type ParsedCommand, UsageError } from "./options.ts";
import { timelineReport } from "./timeline.ts";

/** The grade mode the flags ask for. */
function modeOf(p: ParsedCommand): Report["mode"] {
  for (const m of ["solutions", "stubs", "mutants", "alternatives"] as const) {
    if (p.opts.has(m)) return m;
  }
  return "submission";
}

/** `--timeline ID` names the one exercise and prints text: no IDs beside it, no --format. */
function checkTimelineOptions(p: ParsedCommand, timeline: string | undefined): void {
  if (timeline === undefined) {
    if (p.opts.has("test")) throw new UsageError("--test goes with --timeline ID");
    return;
  }
  if (p.args.length > 0) {
    throw new UsageError(
      `--timeline ${timeline} names the exercise: drop the IDs ${p.args.join(" ")}`,
    );
  }
  if (p.opts.has("format") || p.opts.has("mutants")) {
    throw new UsageError("--timeline prints text bars: it takes no --format and no --mutants");
  }
}

/** The `grade` command. */
export const gradeCommand: Command = {
  name: "grade",
  usage: "[ID ...] [options]",
  summary: "grade the exercises (all, or the IDs: 7, 07, 07_slug or slug) and print a report",
  async run(p, { toolRoot, io }) {
    const pristineRoot = workbookOption(p, "hidden-dir", toolRoot);
    const submissionRoot = workbookOption(p, "submission", toolRoot);
    const timeline = str(p, "timeline");
    checkTimelineOptions(p, timeline);
    const { selected } = exercisesOf(pristineRoot, timeline ? [timeline] : p.args);
    const mode = modeOf(p);
    const format = (str(p, "format") ?? "pretty") as Format;
    const out = str(p, "out");
    const cpython = p.opts.has("cpython");
    const typeErrors = str(p, "type-errors") as "report" | "score" | undefined;
    const untrusted = p.opts.has("submission") || format === "gradescope" ||
      format === "classroom" ||
      format === "exercism";
    const sandbox = sandboxFor(p, untrusted && mode === "submission");
    const progressOn = io.stderrTTY && format === "pretty" && !out;
    let report: Report;
    try {
      report = await grade({
        toolRoot,
        pristineRoot,
        submissionRoot,
        exercises: selected,
        mode,
        runtimes: runtimesOf(p, toolRoot, untrusted && mode === "submission"),
        ...(str(p, "timeout") !== undefined ? { timeoutSec: Number(str(p, "timeout")) } : {}),
        ...(str(p, "jobs") !== undefined ? { jobs: Number(str(p, "jobs")) } : {}),
        suite: cpython ? "cpython" : "grade",
        allTests: p.opts.has("all-tests"),
        ...(str(p, "seed") !== undefined ? { seed: Number(str(p, "seed")) } : {}),
        schedules: schedulesFor(
          num(p, "schedules"),
          untrusted && mode === "submission" && !cpython,
        ),
        sandbox,
        typeErrors: typeErrors ?? "report",
        typeCheck: mode === "submission" || typeErrors !== undefined,
        ...(progressOn
          ? {
            onProgress: (done: number, total: number, label: string) =>
              io.err(`\r\x1b[2Kgrading ${done}/${total} ${label}`),
          }
          : {}),
      });
    } finally {
      if (progressOn) io.err("\r\x1b[2K");
    }
    if (mode === "submission" && !p.opts.has("submission") && !cpython) {
      try {
        recordReport(new ProgressStore(submissionRoot, (m) => io.err(`grade: ${m}\n`)), report);
      } catch (e) {
        if (!(e instanceof ProgressError)) throw e;
        io.err(`grade: ${e.message}\n`);
      }
    }
    if (
      format !== "pretty" && !out && invocation() === "npm-run" &&
      process.env.npm_config_loglevel !== "silent"
    ) {
      throw new UsageError(
        `npm prints its own lines on stdout, which would break the ${format} report: add --out FILE, or run npm run -s grade -- ... (silent)`,
      );
    }
    const color = colorOn(p, io);
    const text = timeline
      ? timelineReport(report, { id: timeline, test: str(p, "test"), color: color && !out })
      : format === "pretty"
      ? formatPrettyFull(report, color)
      : formatReport(report, format, {
        color,
        hiddenVisibility: (str(p, "hidden-visibility") ?? "hidden") as "hidden",
      });
    if (out) {
      mkdirSync(dirname(resolve(out)), { recursive: true });
      writeFileSync(out, text);
    } else io.out(text);
    if (
      format === "pretty" && !out && mode === "submission" && !p.opts.has("submission") &&
      !cpython && !timeline
    ) {
      const store = new ProgressStore(submissionRoot, (m) => io.err(`grade: ${m}\n`));
      io.out(
        `\n${
          nextSteps(report, exercisesOf(pristineRoot, []).all, submissionRoot, store.read()).join(
            "\n",
          )
        }\n`,
      );
    }
    const failUnder = str(p, "fail-under");
    if (failUnder !== undefined && report.score < Number(failUnder)) {
      io.err(`grade: score ${report.score} is below --fail-under ${failUnder}\n`);
      return EXIT.failUnder;
    }
    return EXIT.ok;
  },
};
