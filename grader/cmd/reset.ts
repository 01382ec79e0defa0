/**
 * `grade reset ID [--yes]`: puts the pristine stub back, after asking; the learner's version is
 * kept in `.workbook/backups/`.
 *
 * @module
 */

import { resetExercise } from "../learner/reset.ts";
import { askYesNo } from "./ask.ts";
import { type Command, exercisesOf, EXIT, positionals } from "./context.ts";

/** The `reset` command. */
export const resetCommand: Command = {
  name: "reset",
  usage: "reset ID [--yes]",
  summary: "restore the pristine stub (your version is backed up first)",
  async run(p, { toolRoot, io }) {
    const [id] = positionals(p, 1, "reset ID [--yes]");
    const [ex] = exercisesOf(toolRoot, [id!]).selected;
    const r = await resetExercise(toolRoot, ex!, { yes: p.opts.has("yes"), ask: askYesNo });
    io.out(r.message + "\n");
    return EXIT.ok;
  },
};
