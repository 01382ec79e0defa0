/**
 * Hostile submissions that attack through what they print or throw: terminal escapes, bidi
 * overrides and NUL (in output, messages and names), spoofed harness lines, signed results,
 * tens of megabytes of output, values that break whoever describes them. Graded through the
 * command line under the runtime running the suite (hostile_kit.test.ts checks every format of
 * every report for escapes, controls, bidi overrides, NUL and lone surrogates).
 *
 * @module
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertScores, describeTests, gradeCase, RT, testOf } from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };

describe(`hostile submissions that print or throw (${RT})`, () => {
  it(
    "terminal escapes, bidi overrides and NUL in output and errors are cleaned from every format",
    SLOW,
    async () => {
      const r = await gradeCase("escapes");
      assertScores(r, 8);
      // Cleaned, not dropped: the printable text around the escapes stays.
      assert.match(testOf(r, "add() > adds two numbers").output, /click \| red \|.*isolated/);
      assert.match(testOf(r, "addLater() > resolves to the sum").message, /wrong/);
    },
  );

  // BUG: a test the stub registers under a new name is run and then ignored with the warning
  // "ignored a test the pristine sources do not declare: add.test.ts: <name>", and that warning
  // (exercises[].warnings) is not cleaned: ESC ] 0 (title), OSC 52 (clipboard), U+202E and NUL
  // reach the JSON report's strings (and any consumer that prints them).
  it.skip(
    "escapes in the name of a test the stub registers are cleaned from the report",
    SLOW,
    async () => {
      const r = await gradeCase("escapes_in_test_name");
      assertScores(r, 8);
    },
  );

  // BUG: the note "<runtime>: 01_add changed shared globals (globalThis.<name>); ..." (the
  // report's warnings) carries the global's name as the stub wrote it: ESC sequences, U+202E
  // and NUL reach the JSON report and the pretty report ("note: ..."), that is the terminal.
  it.skip(
    "escapes in the name of a global the stub defines are cleaned from the report",
    SLOW,
    async () => {
      const r = await gradeCase("escapes_in_global_name");
      assertScores(r, 8);
    },
  );

  it("fake runner output and fake JUnit printed by the stub decide nothing", SLOW, async () => {
    // The fixture of grade.test.ts: add() and addLater() subtract; only 5 - 0 = 5 passes (2 of 5).
    const r = await gradeCase("fake_output");
    assertScores(r, 4);
  });

  it("fake harness result lines, a fake end of run and an exit decide nothing", SLOW, async () => {
    const r = await gradeCase("fake_harness_lines");
    assertScores(r, 8);
    assert.notEqual(testOf(r, "addLater() > resolves to the sum").status, "pass");
  });

  // BUG: the harness's protocol.ts is in the workspace (.harness/) and exports signResult() and
  // emit(); its key is the run's secret once run() starts. The stub imports them by relative path
  // (../../.harness/protocol.ts), prints a correctly signed "pass" for every test of 01_add
  // during addLater()'s test, then {"k":"done"} and process.exit(0): 10/10 instead of 8/10, on
  // both runtimes. The signing key must not be reachable from any module code under test can
  // import (and "done"/"start" lines are not signed either).
  it.skip("results signed through the harness's own module decide nothing", SLOW, async () => {
    const r = await gradeCase("signs_results");
    assertScores(r, 8);
  });

  it("tens of megabytes of output are capped per test and cost little time", SLOW, async () => {
    const r = await gradeCase("huge_output");
    assertScores(r, 8);
    for (const t of r.report.exercises.flatMap((e) => e.tests)) {
      assert.ok(t.output.length < 8192, `${t.name}: ${t.output.length} characters of output`);
    }
    assert.match(testOf(r, "add() > adds two numbers").output, /output truncated/);
    assert.ok(r.ms < 30_000, `grading took ${r.ms} ms`);
  });

  it("20 MB written at once with process.stdout.write cost no other test its verdict", {
    ...SLOW,
    // BUG (Bun): after a large process.stdout.write, Bun leaves stdout non-blocking with the rest
    // queued, and the harness's protocol lines (emit(): fs.writeSync(1, ...)) fail with EAGAIN:
    // a result or start line is lost, the harness hangs and the tests are charged as CPU loops
    // at the 10 s deadline (seen: 0/10 after 31 s instead of 8/10; about one grading in three).
    // A standalone `bun` script shows it: process.stdout.write(20 MB) then writeSync(1, "x")
    // throws EAGAIN. Deno's writeSync blocks and holds.
    skip: RT === "bun" && "BUG: under Bun, protocol lines are lost (EAGAIN) after a big write",
  }, async () => {
    for (let i = 0; i < 3; i++) assertScores(await gradeCase("stdout_flood"), 8);
  });

  it(
    "thrown Symbols, Proxies and errors whose every getter throws fail their tests alone",
    SLOW,
    async () => {
      const r = await gradeCase("weird_throws");
      assertScores(r, 2);
      const add = r.report.exercises.find((e) => e.dir === "01_add")!;
      assert.deepEqual(
        add.tests.map((t) => [t.status, t.reason]),
        [["pass", null], ["fail", "exception"], ["fail", "exception"], ["fail", "exception"]],
        describeTests(r),
      );
    },
  );
});
