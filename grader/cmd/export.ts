/**
 * `grade export --student DIR` (a student copy: no solutions, mutants or hidden tests) and
 * `grade export --gradescope FILE.zip` (an autograder bundle).
 *
 * @module
 */

import { resolve } from "node:path";
import { exportGradescope } from "../course/export_gradescope.ts";
import { exportStudent } from "../course/export_student.ts";
import { type Command, EXIT, str } from "./context.ts";
import { UsageError } from "./options.ts";

/** The `export` command. */
export const exportCommand: Command = {
  name: "export",
  usage: "export --student DIR | --gradescope FILE.zip",
  summary: "write a student copy, or a Gradescope autograder bundle",
  run(p, { toolRoot, io }) {
    const student = str(p, "student");
    const gs = str(p, "gradescope");
    if ((student === undefined) === (gs === undefined) || p.args.length > 0) {
      throw new UsageError(
        "Usage: grade export --student DIR   or   grade export --gradescope FILE.zip",
      );
    }
    if (student !== undefined) {
      const r = exportStudent(toolRoot, resolve(student));
      io.out(
        `Wrote a student copy to ${student}: ${r.exercises.length} exercises, ${r.files.length} files ` +
          `(no solutions, mutants or hidden tests).\nTry it: cd ${student} && npm install && npm test\n`,
      );
    } else {
      if (!gs!.endsWith(".zip")) {
        throw new UsageError(`Invalid value for --gradescope: "${gs}" (expected a .zip file name)`);
      }
      const r = exportGradescope(toolRoot, resolve(gs!));
      io.out(
        `Wrote the Gradescope autograder ${gs}: ${r.entries.length} files, ${
          (r.bytes / 1024).toFixed(0)
        } KiB ` +
          `(setup.sh, run_autograder, the workbook with hidden tests, no solutions).\n`,
      );
    }
    return Promise.resolve(EXIT.ok);
  },
};
