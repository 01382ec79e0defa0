/**
 * `grade solution ID`: grades the exercise afresh and shows the reference solution only when
 * every test passes.
 *
 * @module
 */

import { revealSolution } from "../learner/solution.ts";
import { gradeInPlace } from "../learner/grade_in_place.ts";
import { type Command, exercisesOf, EXIT, positionals, runtimesOf } from "./context.ts";

/** The `solution` command. */
export const solutionCommand: Command = {
  name: "solution",
  usage: "solution ID",
  summary: "show the solution once the exercise passes",
  async run(p, { toolRoot, io }) {
    const [id] = positionals(p, 1, "solution ID");
    const [ex] = exercisesOf(toolRoot, [id!]).selected;
    io.err(`grading ${ex!.dir} ...\n`);
    const report = await gradeInPlace(toolRoot, [ex!], runtimesOf(p, toolRoot)[0]!);
    io.out(revealSolution(toolRoot, report.exercises[0]!, ex!.meta.stubs).text);
    return EXIT.ok;
  },
};
