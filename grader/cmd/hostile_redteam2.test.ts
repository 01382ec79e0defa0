/**
 * Red-team cases, second round: a student who has the grader's full source tries to score more
 * than the submission deserves, to read or leak the hidden tests, to change another exercise's
 * score or to hang the grader, under the runtime running the suite, in the sandbox
 * (hostile_kit.test.ts says what every case also checks: the exact scores, no file changed, no
 * process left, clean reports in every format). The first round's attacks and their defences are
 * in hostile_redteam.test.ts.
 *
 * A case the grader defeats is a plain test (it pins the defence). A case that succeeds is
 * skipped with a `// BUG:` comment: what happened, with the numbers, and how; its body asserts
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
  // Defended under Bun only by accident (JavaScriptCore's heap snapshot holds no module source;
  // Bun is refused for submissions anyway).
  // BUG: (deno) 01_add scores 10/10 instead of 8/10, and a visible test's output (shown in every
  // format, Gradescope included) carries the whole hidden test file, hex-encoded. node:v8's
  // getHeapSnapshot() needs no permission under Deno, and the snapshot's string table holds the
  // source of every compiled module; the stub takes one at load (top-level await), finds the
  // hidden test's text, answers addLater() from it and prints it. Fix: Deno's launch
  // (engine/launch.ts) passes an import map sending `node:v8` to a harness module without
  // getHeapSnapshot/writeHeapSnapshot, and harness start() replaces and freezes those two on the
  // shared node:v8 default object before lib loads (require("v8") and
  // process.getBuiltinModule("node:v8") hand out that object, not the ESM bindings).
  it("a heap snapshot cannot hand the hidden tests' source to the stub", {
    ...SLOW,
    skip: RT === "deno" && "BUG: node:v8 getHeapSnapshot reads module sources (see comment)",
  }, async () => {
    const r = await gradeCase("rt2_heap_snapshot", {
      forbidden: [...HIDDEN_SOURCE, ...HIDDEN_HEX],
    });
    assertScores(r, 8);
  });

  // BUG: (deno and bun) 01_add scores 10/10 instead of 8/10, and the whole hidden test file is
  // printed hex-encoded in a visible test's output. `import hidden from "./add.hidden.ts" with
  // { type: "text" }` in the stub: import attributes are stable in Deno 2.9 and Bun 1.4, the
  // module graph is loaded before any code runs (before the harness's hello, so before the grader
  // deletes the hidden files), and Deno reads the workspace's files for it without any read
  // permission (a literal dynamic import(..., { with: { type: "text" } }) works the same way; the
  // generated entry and mark modules, and so the session's nonce, can be read this way too).
  // Fix: refuse a submitted stub whose imports carry attributes (engine/submitted.ts, with the
  // @babel/parser walk of engine/rewrite.ts: ImportDeclaration/Export*Declaration `attributes`,
  // and ImportExpression/import() with a second argument); a computed specifier still needs a
  // read permission Deno does not grant, and under Bun the files are gone by then.
  it.skip(
    "an import attribute cannot read the hidden test's text into the stub",
    SLOW,
    async () => {
      const r = await gradeCase("rt2_text_import", {
        forbidden: [...HIDDEN_SOURCE, ...HIDDEN_HEX],
      });
      assertScores(r, 8);
    },
  );

  // BUG: (deno and bun) 01_add scores 10/10 with add() and addLater() multiplying (honest 0/10):
  // rt_early_run again, past its defence. run() acts only with the session's nonce, and the nonce
  // is in the heap (the one 32-hex-digit string of getHeapSnapshot()'s string table, under Bun as
  // well), besides the entry and mark modules (readable with an import attribute, above). The stub
  // registers passing tests under every pristine name through the test files' own node:test
  // modules, holds the real test files back with its top-level await, and calls run(nonce) from a
  // timer: the mark modules do not wait for the stub, so every mark has run, and run() closes the
  // registry, runs the stub's tests, signs four passes and exits before the real tests register.
  // Fix: the nonce is only as secret as the heap and the workspace's files: close both readers
  // (the two fixes above). Any other token (one per test file, injected by engine/rewrite.ts) would
  // be a string in the heap and in a readable file just the same.
  it.skip(
    "a nonce read from the heap cannot start run() before the real tests load",
    SLOW,
    async () => {
      const r = await gradeCase("rt2_heap_nonce");
      assertScores(r, 0);
    },
  );

  // BUG: (deno and bun) scores hold (8/10) but the reports do not: the JSON report's `diagnosis`
  // of the hidden test holds the hidden test file line by line (no redaction), and terminal
  // escapes (title, OSC 52 clipboard, clear screen) and a bidi override reach the JSON report and
  // the pretty and markdown reports' "where to look" line. The harness copies an error's
  // `diagnosis` and `timeline` as plain data (harness/json.ts copyPlain) and engine/score.ts puts
  // them in the report as they are, while messages and output go through cleanText and
  // redactHiddenSource. Fix: in engine/score.ts, pass every string of `timeline`, `diagnosis` and
  // `schedule` through the same `safe()` (a deep map over the copied data) before they enter the
  // TestResult.
  it.skip(
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

  // BUG: (deno and bun) the verdict holds (8/10), but the harness dies: the failing test waits
  // for the grader's deadline (10 s of real time here, 20 s for Worker exercises) and is reported
  // as `cpu-loop` ("CPU loop / no progress") instead of its error. addLater() rejects with an
  // Error whose `timeline` is a revoked Proxy; harness/json.ts copyPlain calls Array.isArray on
  // it, which throws, so describeError throws inside runTest (harness/test_run.ts), run()
  // rejects, nothing reports the test, and the harness's keep-alive interval holds the process
  // until it is killed. Every later test of that process must run again in a new one. Fix: in
  // harness/json.ts copyPlain, call I.isArray and I.names inside a try (a value that throws there
  // is left out), and in test_run.ts call describeError inside a try with a fixed fallback.
  it.skip("an error the harness cannot describe fails its test at once, as an exception", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt2_revoked");
    assertScores(r, 8);
    assert.equal(testOf(r, "addLater() > resolves to the sum").reason, "exception");
    assert.ok(r.ms < 8000, `grading took ${r.ms} ms`);
  });

  // BUG: (deno and bun) 02_greet and 03_clock score 0/10 instead of 10/10 (01_add 8/10 as it
  // should), whenever they share a process with 01_add (one CPU here; on two CPUs, 16 exercises
  // of the course share each process). The harness charges a registration to the exercise that
  // owns the test FILE (hub.ts unitOf / sendAnomalies), whoever called: 01_add's stub registers
  // greet.test.ts's real test name at load (a name registered twice) and a test for
  // later.test.ts during its own first test (a registration after loading); each neighbour fails
  // for tampering. Fix: tampering seen in a process that held several exercises proves nothing
  // about who did it: in engine/run.ts treat it like `tainted-at-load` (run every exercise of
  // that process alone again, and take only those verdicts), where only an exercise's own files
  // are known to the registry.
  it.skip("a stub cannot get another exercise failed for tampering", SLOW, async () => {
    const r = await onOneCpu(() => gradeCase("rt2_cross_register"));
    assertScores(r, 8);
  });

  // BUG: (deno and bun) 02_greet 5/10 and 03_clock 0/10 instead of 10/10 (01_add 8/10 as it
  // should) when they share a process with 01_add: the interval 01_add's last test leaves running
  // throws while their tests run, and the harness fails whichever test is running with
  // UnhandledRejectionError (an honest student's unfinished stub does the same to their solved
  // exercises). The guard compares only globals; timers, pending promises and event listeners
  // of one exercise outlive its unit. Fix: in submission mode, give every exercise a process of
  // its own (engine/run.ts: chunk(units, units.length), still `jobs` at a time), or re-run alone
  // any exercise whose test failed as unhandled-rejection, crash or cpu-loop in a shared process
  // and take the alone verdicts.
  it.skip("work left running by one exercise cannot fail another's tests", SLOW, async () => {
    const r = await onOneCpu(() => gradeCase("rt2_stray_timer"));
    assertScores(r, 8);
  });

  // BUG: (deno and bun) 02_greet and 03_clock score 0/10 instead of 10/10 when they share a
  // process with 01_add (01_add 0/10 as it should): every test file is reported as not loading.
  // 01_add's stub awaits at top level, then throws. While it waits, the modules that do not
  // depend on it keep loading, so the harness's `open` file (set by mark()) is the process's LAST
  // test file, later.hidden.ts of 03_clock: the load error is sent for it, the grader fails that
  // file, and each new process blames the file marked last before it, until all six failed.
  // Fix: in engine/run.ts, a process that ends (or reports a load error) before run() started in
  // a group of several exercises is handled like one that never said hello: each exercise runs
  // alone (the `!r.started || r.taintedAtLoad` branch); hub.ts cannot know which module threw.
  it.skip("a late top-level-await failure is not blamed on another exercise's test file", {
    ...SLOW,
  }, async () => {
    const r = await onOneCpu(() => gradeCase("rt2_tla_blame"));
    assertScores(r, 0);
  });
});

describe("red team 2: collect (the Gradescope entry point)", () => {
  // BUG: the collected workbook holds the reference solution as 01_add's stub, so the Gradescope
  // run (run_autograder: collect, then grade the copy) and `grade batch` score 01_add 10/10;
  // honest 0/10 (a submission that holds no stub of its own; `--submission` directly refuses the
  // link, see links_dir). The submission's exercises/01_add is a symbolic link to the workbook's
  // solutions/01_add (git and zip keep links; /autograder/source is no secret). course/collect.ts
  // lstat()s only the last component of `exercises/01_add/add.ts`, so a linked FOLDER on the way
  // is followed, and copyFileSync copies the solution. Fix: in collect.ts regularFile(), refuse a
  // path whose realpath is not inside realpath(src) (as engine/submitted.ts does), or read it with
  // readSubmitted(from, src).
  it.skip("a linked exercise folder cannot make collect copy the reference solution", () => {
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
