/**
 * Hostile submissions that read their own process's memory (/proc/self/mem), where everything
 * the harness holds is: the hidden tests' source and the run's secret. Deno refuses the read (no
 * read permission); Bun has no permissions. Graded through the command line under the runtime
 * running the suite (see hostile_kit.test.ts for what every case also checks).
 *
 * @module
 */

import { describe, it } from "node:test";
import { assertScores, gradeCase, RT, SUITE } from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };

describe(`hostile submissions that read their own memory (${RT})`, SUITE, () => {
  it("a stub that finds the hidden test's source in its process's memory gets its own score", {
    ...SLOW,
    // BUG (Bun): the hidden test's source is loaded into the very process that runs the stub, and
    // a process may always read /proc/self/mem: the stub scans its readable mappings for the
    // hidden assertion on addLater(2, 3), answers the 5 it expects and scores 10/10 instead of
    // 8/10, even with the hidden test files taken off the disk once loaded. Deno refuses the
    // read (8/10). Not mounting /proc in the sandbox (if the runtimes start without it), or a
    // seccomp filter on /proc/self/mem, might close it.
    skip: RT === "bun" && "BUG: under Bun the hidden source is read from /proc/self/mem: 10/10",
  }, async () => {
    const r = await gradeCase("reads_own_memory");
    assertScores(r, 8);
  });

  it("a stub that finds the run's secret in its process's memory cannot sign results", {
    ...SLOW,
    // BUG (Bun): the secret came on the harness's stdin, so its text ("<64 hex>\n{"units"...")
    // stays in the process's memory: the stub finds it through /proc/self/mem, signs
    // `<mac> <json>` lines for every sequence number from 0 (the grader takes the one it expects
    // and every one after it) passing all four tests, then unit-done and done, and exits: 10/10
    // instead of 8/10. A secret the code under test's process can read cannot authenticate that
    // process's results; the results need a writer the code under test cannot reach.
    skip: RT === "bun" && "BUG: under Bun the run's secret is read from /proc/self/mem: 10/10",
  }, async () => {
    const r = await gradeCase("steals_secret");
    assertScores(r, 8);
  });
});
