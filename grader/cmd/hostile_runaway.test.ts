/**
 * Hostile submissions that try to stop the grading or to disarm the tests: an exit at import, a
 * CPU loop, a memory bomb, a microtask flood, a top-level await that never settles, patched
 * builtins; and the grader's own steadiness: the fixture solutions graded three times give the
 * same verdicts. Graded through the command line under the runtime running the suite (see
 * hostile_kit.test.ts for what every case also checks).
 *
 * @module
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  assertScores,
  type CaseRun,
  describeTests,
  gradeCase,
  RT,
  SUITE,
  testOf,
} from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };
const LATER = "addLater() > resolves to the sum";

/** Every test of a run: exercise, name, status, reason and message. */
const verdicts = (r: CaseRun) =>
  r.report.exercises.flatMap((e) =>
    e.tests.map((t) => [e.dir, t.name, t.status, t.reason, t.message])
  );

describe(`hostile submissions that run away (${RT})`, SUITE, () => {
  it(
    "process.exit(0) at import fails every test of its exercise and nothing else",
    SLOW,
    async () => {
      const r = await gradeCase("exit_import");
      assertScores(r, 0);
      for (const t of r.report.exercises[0]!.tests) assert.equal(t.reason, "crash", t.name);
    },
  );

  it("a CPU loop costs its own test, stopped at the deadline", SLOW, async () => {
    const r = await gradeCase("cpu_loop", { timeoutSec: 2 });
    assertScores(r, 8);
    assert.equal(testOf(r, LATER).reason, "cpu-loop", describeTests(r));
    assert.ok(r.ms < 20_000, `grading took ${r.ms} ms`);
  });

  it("a memory bomb is killed at the memory cap and costs its own test", {
    timeout: 120_000,
  }, async () => {
    // A deadline far away: on a loaded machine filling 2 GiB takes longer than the usual 10 s, and
    // the memory cap, not the deadline, must be what stops it.
    const r = await gradeCase("memory_bomb", { timeoutSec: 60 });
    assertScores(r, 8);
    assert.match(testOf(r, LATER).message, /memory grew past the limit/, describeTests(r));
  });

  it("a microtask flood (for (;;) await null) is stopped at the deadline", SLOW, async () => {
    const r = await gradeCase("microtask_flood", { timeoutSec: 2 });
    assertScores(r, 8);
    assert.equal(testOf(r, LATER).reason, "cpu-loop", describeTests(r));
    assert.ok(r.ms < 20_000, `grading took ${r.ms} ms`);
  });

  it(
    "a top-level await that never settles fails its exercise alone, in bounded time",
    SLOW,
    async () => {
      const r = await gradeCase("tla_hang", { timeoutSec: 2 });
      assertScores(r, 0);
      for (const t of r.report.exercises[0]!.tests) assert.equal(t.reason, "crash", t.name);
      assert.ok(r.ms < 30_000, `grading took ${r.ms} ms`);
    },
  );

  // Each test file registers through its own node:test module, so a stub's top-level await (which
  // delays its importer) cannot move tests to another file.
  it("a right answer with a top-level await gets full marks", SLOW, async () => {
    const r = await gradeCase("top_level_await");
    assertScores(r, 10);
  });

  it(
    "a stub that replaces Promise, assert's functions, Object.is and Error#toString scores only what it answers",
    SLOW,
    async () => {
      const r = await gradeCase("patches_builtins");
      assertScores(r, 4);
      assert.equal(testOf(r, "add() adds zero").reason, "assertion", describeTests(r));
    },
  );

  it(
    "a later() that moves Date.now, swaps Promise and the timers instead of waiting scores 0",
    SLOW,
    async () => {
      const r = await gradeCase("fools_clock");
      assertScores(r, 10, 0);
    },
  );

  it(
    "the fixture solutions graded three times give the same verdicts, at full marks",
    SLOW,
    async () => {
      const runs: CaseRun[] = [];
      for (let i = 0; i < 3; i++) runs.push(await gradeCase("pass", { mode: "solutions" }));
      for (const r of runs) assertScores(r, 10);
      assert.deepEqual(verdicts(runs[1]!), verdicts(runs[0]!));
      assert.deepEqual(verdicts(runs[2]!), verdicts(runs[0]!));
    },
  );
});
