/**
 * `grade watch [ID] [--poll]` (also `grade --watch`): re-grades the exercise being edited on
 * every save, rustlings-style.
 *
 * @module
 */

import { watchMode } from "../learner/watch.ts";
import { colorOn, type Command, EXIT, runtimesOf } from "./context.ts";
import { UsageError } from "./options.ts";

/** The `watch` command. */
export const watchCommand: Command = {
  name: "watch",
  usage: "watch [ID] [--poll]   (or: grade --watch [ID])",
  summary: "re-grade on save (keys: n next, h hint, l list, c check all, r reset, q quit)",
  async run(p, { toolRoot, io }) {
    if (p.args.length > 1) throw new UsageError("Usage: grade watch [ID] [--poll]");
    await watchMode({
      root: toolRoot,
      ...(p.args[0] !== undefined ? { start: p.args[0] } : {}),
      poll: p.opts.has("poll"),
      runtime: runtimesOf(p, toolRoot)[0]!,
      color: colorOn(p, io),
    });
    return EXIT.ok;
  },
};
