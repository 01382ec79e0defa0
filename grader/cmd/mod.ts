/**
 * The grader's subcommands and the dispatcher `grader/main.ts` calls: parse the command line
 * with the one option table, run the subcommand, turn errors into a message and an exit code.
 *
 * @module
 */

import { batchCommand } from "./batch.ts";
import { benchCommand } from "./bench.ts";
import { checkCommand } from "./check.ts";
import { collectCommand } from "./collect.ts";
import { CannotGradeError, type Command, type Context, EXIT } from "./context.ts";
import { exercismCommand } from "./exercism.ts";
import { exportCommand } from "./export.ts";
import { gradeCommand } from "./grade.ts";
import { hintCommand } from "./hint.ts";
import { listCommand } from "./list.ts";
import { swallowedByNpm } from "./invocation.ts";
import { type CommandName, optionHelp, OPTIONS, parseCommandLine, UsageError } from "./options.ts";
import { resetCommand } from "./reset.ts";
import { solutionCommand } from "./solution.ts";
import { watchCommand } from "./watch.ts";

/** Every subcommand, in the order `--help` lists them. */
export const COMMAND_TABLE: readonly Command[] = [
  gradeCommand,
  watchCommand,
  listCommand,
  hintCommand,
  resetCommand,
  solutionCommand,
  exportCommand,
  batchCommand,
  collectCommand,
  exercismCommand,
  checkCommand,
  benchCommand,
];

/**
 * The help text, generated from the command and option tables.
 *
 * @param only One command's help, or all.
 * @returns The text.
 */
export function helpText(only?: CommandName): string {
  const cmds = COMMAND_TABLE.filter((c) =>
    only === undefined || only === "help" || c.name === only
  );
  const parts = cmds.map((c) => {
    const usage = c.name === "grade"
      ? c.usage
      : c.usage.replace(new RegExp(`^${c.name}\\b`), c.name);
    return `grade ${usage}\n  ${c.summary}\n${optionHelp(c.name)}`;
  });
  return `${
    parts.join("\n\n")
  }\n\nIDs: a number like 7 or 07, a folder name like 09_event_start_signal, or a slug.\n` +
    "Exit status: 0 done (any score), 1 below --fail-under or a failed check, 2 usage error, 3 could not grade.\n";
}

/**
 * Runs a command line.
 *
 * @param argv Arguments after the script.
 * @param ctx The workbook and the streams.
 * @returns The exit code.
 */
export async function dispatch(argv: string[], ctx: Context): Promise<number> {
  try {
    const swallowed = swallowedByNpm(OPTIONS.map((o) => o.name).filter((n) => n !== "help"));
    if (swallowed.length > 0) throw new UsageError(swallowed.join("\n"));
    const p = parseCommandLine(argv);
    if (p.command === "help" || p.opts.has("help")) {
      const all = p.command === "help" || (p.command === "grade" && p.args.length === 0);
      ctx.io.out(helpText(all ? undefined : p.command));
      return EXIT.ok;
    }
    const cmd = COMMAND_TABLE.find((c) => c.name === p.command)!;
    return await cmd.run(p, ctx);
  } catch (e) {
    if (e instanceof CannotGradeError) {
      ctx.io.err(`grade: ${e.message}\n`);
      return EXIT.cannotGrade;
    }
    if (e instanceof UsageError) {
      ctx.io.err(`grade: ${e.message}\nRun "grade --help" for usage.\n`);
      return EXIT.usage;
    }
    ctx.io.err(
      `grade: cannot ${argv.length ? "run" : "grade"}: ${
        e instanceof Error ? e.message : String(e)
      }\n`,
    );
    return EXIT.cannotGrade;
  }
}
