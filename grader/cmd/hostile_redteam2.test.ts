/**
 * Red-team cases, second round: a student who has the grader's full source tries to score more
 * than the submission deserves, to read or leak the hidden tests, to change another exercise's
 * score or to hang the grader, under the runtime running the suite, in the sandbox
 * (hostile_kit.test.ts says what every case also checks: the exact scores, no file changed, no
 * process left, clean reports in every format). The first round's attacks and their defences are
 * in hostile_redteam.test.ts.
 *
 * A case the grader defeats is a plain test (it pins the defence). A case that succeeds is
 * skipped with a `// BUG:` comment (all since fixed, each now says which defence holds): what
 * happened, with the numbers, and how; its body asserts
 * what should hold, so it passes once the grader is fixed.
 *
 * @module
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectSubmission } from "../course/collect.ts";
import { discoverExercises } from "../engine/discover.ts";
import { makeSubmission, makeWorkbook } from "../fixtures/fixtures.ts";
import { assertScores, describeTests, gradeCase, RT, SUITE, testOf } from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };
/** Text of the hidden tests' assertions: no report, format or message may show it. */
const HIDDEN_SOURCE = ["add(5, 0), 5", "addLater(2, 3), 5"];
/** The same, hex-encoded as the leaking stubs print it (redaction compares whole lines only). */
const HIDDEN_HEX = HIDDEN_SOURCE.map((s) =>
  Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, "0")).join("")
);

/**
 * Runs `f` with this process (and so the grader it starts) on one CPU: the grader then runs one
 * test process for all three exercises (`--jobs` defaults to the CPUs it may use), the case in
 * which one exercise's code shares a process with another's (on a Gradescope machine with two
 * CPUs and 32 exercises, 16 share each process).
 */
async function onOneCpu<T>(f: () => Promise<T>): Promise<T> {
  const pid = String(process.pid);
  const shown = spawnSync("taskset", ["-p", pid], { encoding: "utf8" });
  const mask = /([0-9a-f]+)\s*$/.exec(shown.stdout ?? "")?.[1];
  assert.ok(mask, `taskset is needed: ${shown.stderr ?? shown.error}`);
  assert.equal(spawnSync("taskset", ["-a", "-p", "1", pid]).status, 0);
  try {
    return await f();
  } finally {
    spawnSync("taskset", ["-a", "-p", mask, pid]);
  }
}

describe(`red team 2: reading the hidden tests, early runs, neighbours (${RT})`, SUITE, () => {
  // Defended: node:v8's getHeapSnapshot, writeHeapSnapshot and queryObjects throw for code under test
  // (harness/v8_guard.ts, and under Deno an import map for the ESM form).
  it("a heap snapshot cannot hand the hidden tests' source to the stub", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt2_heap_snapshot", {
      forbidden: [...HIDDEN_SOURCE, ...HIDDEN_HEX],
    });
    assertScores(r, 8);
  });

  // Defended: a submitted stub with import attributes (`with { type: "text" }`, static or in a literal
  // import()) is refused before grading (engine/submitted.ts refusedSource): 0/10 with the reason.
  it(
    "an import attribute cannot read the hidden test's text into the stub",
    SLOW,
    async () => {
      const r = await gradeCase("rt2_text_import", {
        forbidden: [...HIDDEN_SOURCE, ...HIDDEN_HEX],
      });
      assertScores(r, 0);
      assert.match(r.report.exercises[0]!.reason ?? "", /imports with attributes/);
    },
  );

  // Defended: node:v8's heap readers are disarmed before any code under test loads (harness/v8_guard.ts;
  // Deno's import map sends node:v8 to the disarmed object), and the entry cannot be read as text (above).
  it(
    "a nonce read from the heap cannot start run() before the real tests load",
    SLOW,
    async () => {
      const r = await gradeCase("rt2_heap_nonce");
      assertScores(r, 0);
    },
  );

  // Defended: every string of a diagnosis, timeline and schedule is cleaned and redacted like a
  // message (engine/score.ts).
  it(
    "an error's diagnosis cannot carry escapes or hidden lines into a report",
    SLOW,
    async () => {
      const r = await gradeCase("rt2_diagnosis", { forbidden: HIDDEN_SOURCE });
      assertScores(r, 8);
    },
  );

  // Defended since 24ec9aa (it made every test of 01_add quote line 10 of the reference solution,
  // "await Promise.resolve();", in every format): engine/load_error.ts quotes the line at the first
  // `exercises/...:line:column` of a load error's text, which is the stub's to write (the harness
  // reports a throw at import with the error's own stack); the stub's stack named
  // exercises/01_add/../../solutions/01_add/add.ts:10:3. A place with a `..`, `.` or empty
  // segment, a hidden or CPython test, or a mutant is now named, never read.
  it("a load error's stack cannot make the report quote the reference solution", SLOW, async () => {
    const r = await gradeCase("rt2_load_quote", { forbidden: ["await Promise.resolve()"] });
    assertScores(r, 0);
  });

  // Defended: strict assertions compare by identity; the AssertionError built by inspecting the
  // liar still fails the test.
  it(
    "a value that claims to be the answer (coercion, inspect hooks, a Promise subclass) still fails",
    SLOW,
    async () => {
      const r = await gradeCase("rt2_liars");
      assertScores(r, 8);
      assert.equal(
        testOf(r, "addLater() > resolves to the sum").reason,
        "assertion",
        describeTests(r),
      );
    },
  );

  // Defended: only a tracked re-run that deadlocks again replaces the first verdict (a stub that
  // sees the Promise stand-in and passes there keeps its deadlock).
  it("a stub that is right only under promise tracking keeps its deadlock", SLOW, async () => {
    const r = await gradeCase("rt2_tracking_switch");
    assertScores(r, 0, 0);
    const t = testOf(r, "later() waits in virtual time", "03_clock");
    assert.equal(t.reason, "deadlock", describeTests(r, "03_clock"));
  });

  // Defended: describeError and copyPlain catch what a revoked Proxy throws (harness/test_run.ts,
  // harness/json.ts).
  it("an error the harness cannot describe fails its test at once, as an exception", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt2_revoked");
    assertScores(r, 8);
    assert.equal(testOf(r, "addLater() > resolves to the sum").reason, "exception");
    assert.ok(r.ms < 8000, `grading took ${r.ms} ms`);
  });

  // Defended: a submission's exercise that failed in a shared process in a way a neighbour could cause
  // (tampering, a crash, a loop, an unhandled error, a load error) runs again alone, and only that run counts.
  it("a stub cannot get another exercise failed for tampering", SLOW, async () => {
    const r = await onOneCpu(() => gradeCase("rt2_cross_register"));
    assertScores(r, 8);
  });

  // Defended: the alone re-run above.
  it("work left running by one exercise cannot fail another's tests", SLOW, async () => {
    const r = await onOneCpu(() => gradeCase("rt2_stray_timer"));
    assertScores(r, 8);
  });

  // Defended: the alone re-run above.
  it("a late top-level-await failure is not blamed on another exercise's test file", {
    ...SLOW,
  }, async () => {
    const r = await onOneCpu(() => gradeCase("rt2_tla_blame"));
    assertScores(r, 0);
  });
});

describe("red team 2: collect (the Gradescope entry point)", () => {
  // Defended: collect reads each stub with readSubmitted(from, submission), so a path whose real
  // location leaves the submission (a linked exercise folder pointing at solutions/) is refused.
  it("a linked exercise folder cannot make collect copy the reference solution", () => {
    const wb = makeWorkbook();
    const sub = makeSubmission(wb.path, "rt2_collect_dir_link");
    const dst = mkdtempSync(join(tmpdir(), "rt2-collect-"));
    try {
      const folder = join(sub.path, "exercises", "01_add");
      assert.match(readFileSync(join(folder, "add.ts"), "utf8"), /^\/\/ SYMLINK-DIR: /);
      rmSync(folder, { recursive: true });
      symlinkSync(join(wb.path, "solutions", "01_add"), folder);
      const c = collectSubmission(sub.path, discoverExercises(wb.path), dst);
      assert.ok(!c.found.includes("01_add/add.ts"), JSON.stringify(c));
      const taken = readFileSync(join(dst, "exercises", "01_add", "add.ts"), "utf8");
      const solution = readFileSync(join(wb.path, "solutions", "01_add", "add.ts"), "utf8");
      assert.notEqual(taken, solution, "collect copied the reference solution");
    } finally {
      rmSync(dst, { recursive: true, force: true });
      sub.cleanup();
      wb.cleanup();
    }
  });
});
