/**
 * `grade exercism SLUG SOLUTION_DIR OUTPUT_DIR`: Exercism's test-runner entry (grader/exercism/
 * run.sh calls it). Grades the solution folder's files as the exercise SLUG names, as untrusted
 * code (under Deno, in the sandbox), and writes OUTPUT_DIR/results.json (version 3).
 *
 * Exit status, as Exercism's interface asks: 0 whenever the run did its job, whatever the
 * verdict, including a results.json in error for an unknown slug, a missing solution folder, or
 * code that does not load; 3 when the grader itself could not grade (no runtime, no sandbox:
 * results.json still says why); 2 for a wrong command line (no results.json).
 *
 * @module
 */

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runExercism } from "../course/exercism.ts";
import { schedulesFor } from "../engine/grade_options.ts";
import { exercismError, type ExercismResult } from "../formats/exercism.ts";
import {
  type Command,
  EXIT,
  num,
  positionals,
  runtimesOf,
  sandboxFor,
  str,
  workbookOption,
} from "./context.ts";

/** Writes results.json whole or not at all (a temporary file, then a rename). */
function writeResults(dir: string, doc: ExercismResult): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "results.json");
  const tmp = join(dir, `.results.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(doc, null, 2) + "\n");
  renameSync(tmp, file);
  return file;
}

/** The `exercism` command. */
export const exercismCommand: Command = {
  name: "exercism",
  usage: "exercism SLUG SOLUTION_DIR OUTPUT_DIR",
  summary:
    "Exercism's test-runner entry: grade SOLUTION_DIR as exercise SLUG (sleep-and-gather or 01_sleep_and_gather), write OUTPUT_DIR/results.json",
  async run(p, { toolRoot, io }) {
    const [slug, solution, output] = positionals(p, 3, "exercism SLUG SOLUTION_DIR OUTPUT_DIR");
    const pristineRoot = workbookOption(p, "hidden-dir", toolRoot);
    // A wrong --runtime is the image's mistake, refused before anything is written.
    const runtimes = runtimesOf(p, toolRoot, true);
    let doc: ExercismResult;
    let code: number = EXIT.ok;
    try {
      const run = await runExercism({
        toolRoot,
        pristineRoot,
        slug: slug!,
        solutionDir: resolve(solution!),
        settings: () => ({
          runtimes,
          sandbox: sandboxFor(p, true),
          // Like Exercism's TypeScript runner: code that does not compile is an error.
          typeErrors: (str(p, "type-errors") ?? "score") as "report" | "score",
          ...(str(p, "timeout") !== undefined ? { timeoutSec: Number(str(p, "timeout")) } : {}),
          ...(str(p, "jobs") !== undefined ? { jobs: Number(str(p, "jobs")) } : {}),
          schedules: schedulesFor(num(p, "schedules"), true),
        }),
      });
      doc = run.result;
      io.out(`${run.note}\n`);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      doc = exercismError(`The test runner could not grade this solution: ${why}`);
      code = EXIT.cannotGrade;
      io.err(`grade: cannot grade: ${why}\n`);
    }
    io.out(`wrote ${writeResults(resolve(output!), doc)}\n`);
    return code;
  },
};
