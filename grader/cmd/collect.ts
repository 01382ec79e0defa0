/**
 * `grade collect SUBMISSION_DIR WORK_DIR`: copies a submission's stub files into a working copy
 * (Gradescope's run_autograder uses it).
 *
 * @module
 */

import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { collectSubmission } from "../course/collect.ts";
import { discoverExercises } from "../engine/discover.ts";
import { type Command, EXIT, positionals } from "./context.ts";

/** The `collect` command. */
export const collectCommand: Command = {
  name: "collect",
  usage: "collect SUBMISSION_DIR WORK_DIR",
  summary: "copy a submission's stub files into a working copy (used by Gradescope)",
  run(p, { toolRoot, io }) {
    const [src, dst] = positionals(p, 2, "collect SUBMISSION_DIR WORK_DIR");
    mkdirSync(dst!, { recursive: true });
    const c = collectSubmission(resolve(src!), discoverExercises(toolRoot), resolve(dst!));
    io.out(
      `collected ${c.found.length} stub file(s) from ${src}` +
        (c.missing.length
          ? `; not in the submission (graded as pristine stubs): ${c.missing.join(", ")}`
          : "") +
        (c.refused.length ? `; refused: ${c.refused.join("; ")}` : "") + "\n",
    );
    return Promise.resolve(EXIT.ok);
  },
};
