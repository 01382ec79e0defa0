/**
 * `grade watch [ID] [--poll]` (also `grade --watch`): re-grades the exercise being edited on
 * every save, rustlings-style.
 *
 * @module
 */

import { watchMode } from "../learner/watch.ts";
import { colorOn, type Command, exercisesOf, EXIT, runtimesOf } from "./context.ts";
import { UsageError } from "./options.ts";

/** The `watch` command. */
export const watchCommand: Command = {
  name: "watch",
  usage: "watch [ID] [--poll]   (or: grade --watch [ID])",
  summary: "re-grade on save (keys: n next, h hint, l list, c check all, r reset, q quit)",
  async run(p, { toolRoot, io }) {
    if (p.args.length > 1) throw new UsageError("Usage: grade watch [ID] [--poll]");
    // An unknown id is a usage error here as everywhere (exit 2), found before the screen opens.
    const start = p.args[0] !== undefined
      ? exercisesOf(toolRoot, [p.args[0]]).selected[0]!.dir
      : undefined;
    await watchMode({
      root: toolRoot,
      ...(start !== undefined ? { start } : {}),
      poll: p.opts.has("poll"),
      runtime: runtimesOf(p, toolRoot)[0]!,
      color: colorOn(p, io),
    });
    return EXIT.ok;
  },
};
