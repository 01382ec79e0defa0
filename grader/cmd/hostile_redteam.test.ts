/**
 * Red-team cases against the in-process harness (grader/harness): a student who has the grader's
 * full source tries to score more than the submission deserves, to leak the hidden tests' source
 * into the report, to change another exercise's score or to hang the grader, under the runtime
 * running the suite, in the sandbox (hostile_kit.test.ts says what every case also checks: the
 * exact scores, no file changed, no process left, clean reports in every format).
 *
 * A case the grader defeats is a plain test (it pins the defence). A case that succeeds is
 * skipped with a `// BUG:` comment: what happened, with the numbers, and how. Each attack that
 * once worked now says which defence stops it.
 *
 * @module
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  assertScores,
  type CaseRun,
  describeTests,
  gradeCase,
  RT,
  testOf,
} from "./hostile_kit.test.ts";

const SLOW = { timeout: 60_000 };
/** Text of the hidden tests' assertions: no report, format or message may show it. */
const HIDDEN_SOURCE = ["add(5, 0), 5", "addLater(2, 3), 5"];
/** The same for the other two exercises' hidden tests. */
const NEIGHBOURS_SOURCE = [...HIDDEN_SOURCE, 'greet("Ada L")', "later(5000)"];

/**
 * Runs `f` with this process (and so the grader it starts) on one CPU: the grader then runs one
 * test process for all three exercises (`--jobs` defaults to the CPUs it may use), the case in
 * which one exercise's code shares a process with another's.
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

/** The score of one exercise. */
const scoreOf = (r: CaseRun, dir: string) => r.report.exercises.find((e) => e.dir === dir)?.score;

describe(`red team: the in-process harness (${RT})`, () => {
  // Defended: the harness writes its JSON itself (harness/json.ts) and never calls toJSON.
  it("an inherited Object.prototype.toJSON cannot rewrite a message before it is signed", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_tojson");
    assertScores(r, 8);
  });

  // Defended: every value the harness passes through a promise is a null-prototype record.
  it("an inherited Object.prototype.then cannot swap a failing verdict for a pass", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_then_getter");
    assertScores(r, 8);
  });

  // Defended: the registry appends with defineProperty (no [[Set]], no index setter) and keeps
  // null-prototype records.
  it("accessors on Array.prototype's indices cannot reach and replace test functions", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_array_setter");
    assertScores(r, 8);
  });

  // Defended: the registry keeps its files in a null-prototype record, not a Map.
  it(
    "a patched Map.prototype.get cannot hand the hidden tests' functions (and source) to the stub",
    {
      ...SLOW,
    },
    async () => {
      const r = await gradeCase("rt_fn_source", { forbidden: HIDDEN_SOURCE });
      assertScores(r, 8);
    },
  );

  // Defended: names are built by concatenation; the fake test registered under the real name is
  // then a name registered twice: tampering, the whole exercise fails (0/10, which only hurts the stub).
  it("a patched Array.prototype.join cannot rename a real test out of the way of a fake one", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_join_rename");
    assertScores(r, 0);
    assert.match(r.report.exercises[0]!.reason ?? "", /^tampering: .*registered twice/);
  });

  // Defended: mark() and run() act only with the session's nonce, which only the generated entry
  // and mark modules hold (Deno cannot read them; the grader removes them once the harness has read them).
  it("run() called by the stub during its top-level await cannot close the registry early", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_early_run");
    assertScores(r, 0);
  });

  // Defended: the guard reads globals through captured intrinsics (Map methods by Reflect.apply,
  // index loops), so patched Map/Array methods hide nothing from it.
  it("a stub that blinds the guard cannot change another exercise's verdicts", {
    ...SLOW,
  }, async () => {
    const r = await onOneCpu(() => gradeCase("rt_guard_blind"));
    assertScores(r, 0, 0);
  });

  // The control of rt_guard_blind: the same toJSON without blinding the guard is seen while the
  // exercises load, every exercise runs alone, and 03_clock keeps its honest 0/10.
  it("a changed global seen by the guard sends the exercises to processes of their own", {
    ...SLOW,
  }, async () => {
    const r = await onOneCpu(() => gradeCase("rt_guard_seen"));
    assertScores(r, 0, 0);
    assert.ok(
      r.report.warnings.some((w) => /Object\.prototype\.toJSON.*ran alone/.test(w)),
      JSON.stringify(r.report.warnings),
    );
  });

  // Defended: the harness deletes Deno[Deno.internal] once lib has loaded, and signs synchronously
  // with its own HMAC (harness/hmac.ts): no promise ever holds the key.
  it("the harness's signing key cannot be taken through Deno's core (promise hooks)", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_deno_hooks");
    assertScores(r, 8);
  });

  // Defended: the key cannot be taken (above), and a session's deadline is re-armed only by a line
  // that says something new (a file, a test, a result).
  it("a stub with the signing key cannot keep the grader waiting", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_deno_hang", { limitMs: 40_000 });
    assertScores(r, 8);
  });

  // Defended: each group's sandbox binds only its own exercise folders (plus lib/, .harness/,
  // node_modules and the configs).
  it("a stub cannot read another exercise's hidden test from the shared workspace", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_neighbour_hidden", { forbidden: NEIGHBOURS_SOURCE });
    assertScores(r, 8, 0);
  });

  it("no state survives from one test process to the next (/tmp, /dev/shm, $HOME, the workspace)", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_session_state");
    assertScores(r, 0);
    for (const t of r.report.exercises[0]!.tests) assert.equal(t.reason, "crash", describeTests(r));
  });

  it(
    "prepareStackTrace, lying toString/hasInstance/iterators and Object.prototype setters change no verdict",
    SLOW,
    async () => {
      const r = await gradeCase("rt_misc_patches", { forbidden: HIDDEN_SOURCE });
      assertScores(r, 8);
      // The call sites gave no function or receiver: the test failed on its assertion.
      assert.equal(
        testOf(r, "addLater() > resolves to the sum").reason,
        "assertion",
        describeTests(r),
      );
      assert.equal(scoreOf(r, "02_greet"), 10);
    },
  );
});
