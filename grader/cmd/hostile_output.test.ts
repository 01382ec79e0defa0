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
import { assertScores, describeTests, gradeCase, RT, SUITE, testOf } from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };

describe(`hostile submissions that print or throw (${RT})`, SUITE, () => {
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

  // The warning that names an undeclared test is cleaned like the output.
  it(
    "escapes in the name of a test the stub registers are cleaned from the report",
    SLOW,
    async () => {
      const r = await gradeCase("escapes_in_test_name");
      assertScores(r, 8);
    },
  );

  // The note that names a changed global is cleaned like the output.
  it(
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

  // Every protocol line after hello is signed with a sequence number; the key lives only in the
  // closure of the harness's channel, so importing .harness/protocol.ts or hub.ts gives no way to sign.
  it("results signed through the harness's own module decide nothing", SLOW, async () => {
    const r = await gradeCase("signs_results");
    assertScores(r, 8);
  });

  it(
    "tests registered through the harness's per-file API, at import, from a timer or a test, are tampering",
    SLOW,
    async () => {
      const r = await gradeCase("registers_for_file");
      assertScores(r, 0);
      assert.match(r.report.exercises[0]!.reason ?? "", /^tampering: /, describeTests(r));
    },
  );

  it("tens of megabytes of output are capped per test and cost little time", SLOW, async () => {
    const r = await gradeCase("huge_output");
    assertScores(r, 8);
    for (const t of r.report.exercises.flatMap((e) => e.tests)) {
      assert.ok(t.output.length < 8192, `${t.name}: ${t.output.length} characters of output`);
    }
    assert.match(testOf(r, "add() > adds two numbers").output, /output truncated/);
    assert.ok(r.ms < 30_000, `grading took ${r.ms} ms`);
  });

  // Bun leaves stdout non-blocking after a big write: the harness's writer waits out EAGAIN and
  // partial writes (protocol.ts fdWriter).
  it("20 MB written at once with process.stdout.write cost no other test its verdict", {
    ...SLOW,
  }, async () => {
    // Three gradings under Bun, where the loss was about one grading in three; Deno never lost.
    const times = RT === "bun" ? 3 : 1;
    for (let i = 0; i < times; i++) assertScores(await gradeCase("stdout_flood"), 8);
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
