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
    // KNOWN LIMIT (Bun, only with --unsafe-bun): the hidden test's source is in the very process
    // that runs the stub, and Bun lets that process read any of its memory (/proc/self/mem, or
    // bun:ffi's toArrayBuffer at any address, which no sandbox can take away): 10/10 instead of
    // 8/10. So the grader refuses to grade submissions under Bun alone (--runtime deno is the
    // default, --runtime both counts a test only if it passes under both). Deno refuses the
    // read: 8/10.
    skip: RT === "bun" && "KNOWN LIMIT: Bun exposes its own memory (submissions need Deno)",
  }, async () => {
    const r = await gradeCase("reads_own_memory");
    assertScores(r, 8);
  });

  it("a stub that finds the run's secret in its process's memory cannot sign results", {
    ...SLOW,
    // KNOWN LIMIT (Bun, only with --unsafe-bun): whatever authenticates the results lives in
    // the process the stub runs in, and Bun lets the stub read all of it (see above): a stub
    // that derives the key from memory signs its own results. This fixture, written for an
    // earlier key format, now fails to (8/10), but the limit stands: submissions are graded
    // under Deno, where the read is refused (8/10).
    skip: RT === "bun" && "KNOWN LIMIT: Bun exposes its own memory (submissions need Deno)",
  }, async () => {
    const r = await gradeCase("steals_secret");
    assertScores(r, 8);
  });
});
