/**
 * `grade bench`: how fast grading is on each runtime, against the bare test runner.
 *
 * @module
 */

import { benchRuntime } from "../check/bench.ts";
import { findBinary } from "../engine/runtimes.ts";
import { type Command, EXIT } from "./context.ts";

/** The `bench` command. */
export const benchCommand: Command = {
  name: "bench",
  usage: "bench [--runtime deno|bun]",
  summary: "measure grading speed per runtime (see grader/README.md for the lines it prints)",
  async run(p, { toolRoot, io }) {
    const asked = p.opts.get("runtime");
    const lines: string[] = [];
    const times: Partial<Record<"deno" | "bun", number>> = {};
    for (const rt of ["deno", "bun"] as const) {
      if (asked !== undefined && asked !== rt) continue;
      if (!findBinary(rt, toolRoot)) {
        io.out(`!!! SKIPPED: ${rt} is not installed !!!\n`);
        continue;
      }
      const r = await benchRuntime(rt, (l) => io.out(l + "\n"));
      lines.push(...r.lines);
      times[rt] = r.gradeS;
    }
    if (times.deno && times.bun) {
      lines.push(`bench deno/bun: ${(times.deno / times.bun).toFixed(2)}`);
    }
    io.out(lines.join("\n") + "\n");
    return EXIT.ok;
  },
};
