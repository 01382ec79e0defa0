/**
 * `grade hint ID [LEVEL]`: the next hint level of the exercise's first unfinished task (or the
 * level asked for), remembered in the learner's progress.
 *
 * @module
 */

import { HintError, showHintText } from "../learner/hint_text.ts";
import { ProgressStore } from "../learner/progress.ts";
import { type Command, exercisesOf, EXIT, workbookOption } from "./context.ts";
import { UsageError } from "./options.ts";

/** The `hint` command. */
export const hintCommand: Command = {
  name: "hint",
  usage: "hint ID [LEVEL]",
  summary: "show the next hint level of the exercise's first unfinished task",
  run(p, { toolRoot, io }) {
    if (p.args.length < 1 || p.args.length > 2) {
      throw new UsageError("Usage: grade hint ID [LEVEL]");
    }
    const root = workbookOption(p, "submission", toolRoot);
    const pristineRoot = workbookOption(p, "hidden-dir", toolRoot);
    const [ex] = exercisesOf(pristineRoot, [p.args[0]!]).selected;
    let level: number | undefined;
    if (p.args[1] !== undefined) {
      level = Number(p.args[1]);
      if (!Number.isInteger(level) || level <= 0) {
        throw new UsageError(`Invalid LEVEL: "${p.args[1]}" (expected a positive integer)`);
      }
    }
    try {
      io.out(
        showHintText(root, ex!, new ProgressStore(root, (m) => io.err(`grade: ${m}\n`)), level),
      );
    } catch (e) {
      if (e instanceof HintError) throw new UsageError(e.message);
      throw e;
    }
    return Promise.resolve(EXIT.ok);
  },
};
