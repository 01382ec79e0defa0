/**
 * `grade check`: the project's whole test-suite (unit suites on both runtimes, lint, format and
 * type checks, and the self-check of every exercise); `grade check ID ...`: the self-check of
 * those exercises only (lint, solution, stub, mutants, CPython cases, alternatives).
 *
 * @module
 */

import { projectTest } from "../check/project.ts";
import { selfCheck } from "../check/selfcheck.ts";
import { exerciseStaticChecks } from "../check/static.ts";
import { type Command, exercisesOf, EXIT, runtimesOf, str } from "./context.ts";

/** The `check` command. */
export const checkCommand: Command = {
  name: "check",
  usage: "check [ID ...] [--runtime deno|bun|both] [--jobs N]",
  summary: "the project's test-suite; with IDs, the self-check of those exercises",
  async run(p, { toolRoot, io }) {
    if (p.args.length === 0) return await projectTest(toolRoot, (l = "") => io.out(l + "\n"));
    const { selected } = exercisesOf(toolRoot, p.args);
    const runtimes = p.opts.has("runtime")
      ? runtimesOf(p, toolRoot)
      : ["deno" as const, "bun" as const];
    const r = await selfCheck({
      toolRoot,
      only: selected.map((e) => e.dir),
      runtimes,
      ...(str(p, "jobs") !== undefined ? { jobs: Number(str(p, "jobs")) } : {}),
      log: (l) => io.err(l + "\n"),
    });
    const items = [...r.items, ...await exerciseStaticChecks(toolRoot, selected.map((e) => e.dir))];
    let failed = 0;
    for (const item of items) {
      if (item.ok) continue;
      failed++;
      io.out(
        `FAIL ${item.name}\n${
          item.detail ? item.detail.split("\n").map((l) => `     ${l}`).join("\n") + "\n" : ""
        }`,
      );
    }
    for (const s of r.skipped) io.out(`!!! SKIPPED: ${s} is not installed !!!\n`);
    io.out(`${items.length - failed} passed, ${failed} failed\n`);
    return failed === 0 ? EXIT.ok : EXIT.failUnder;
  },
};
