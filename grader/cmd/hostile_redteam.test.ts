/**
 * Red-team cases against the in-process harness (grader/harness): a student who has the grader's
 * full source tries to score more than the submission deserves, to leak the hidden tests' source
 * into the report, to change another exercise's score or to hang the grader, under the runtime
 * running the suite, in the sandbox (hostile_kit.test.ts says what every case also checks: the
 * exact scores, no file changed, no process left, clean reports in every format).
 *
 * A case the grader defeats is a plain test (it pins the defence). A case that succeeds is
 * skipped with a `// BUG:` comment: what happened, with the numbers, and how.
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
  // BUG (both runtimes): 10/10 instead of 8/10. The channel signs
  // `JSON.stringify({ ...message, q })`; JSON.stringify calls an inherited `toJSON`, and
  // Object.prototype is not frozen, so the stub's Object.prototype.toJSON (installed from inside
  // a test, after the load-time guard looked, removed on its unit's "unit-done") returns
  // `{ ...this, s: "pass", m: "", d: "" }` for every result of 01_add and the harness signs the
  // forgery itself. Fix (grader/harness/protocol.ts send()): serialise with a small serialiser
  // of its own over captured intrinsics (strings, numbers, booleans, null, arrays and records of
  // those, own properties only), never with JSON.stringify on objects that inherit from a
  // patchable prototype.
  it.skip("an inherited Object.prototype.toJSON cannot rewrite a message before it is signed", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_tojson");
    assertScores(r, 8);
  });

  // BUG (both runtimes): 10/10 instead of 8/10. runTest() is an async function that returns a
  // plain `{ s, m, d }`; resolving its promise reads `then` on that object, so an inherited
  // Object.prototype.then getter (installed by addLater() inside the failing test, removed at
  // its first use) makes the failing record a thenable that resolves to `{ s: "pass" }`. Fix
  // (grader/harness/hub.ts runTest() and every async function there): return a primitive or a
  // null-prototype record (`{ __proto__: null, s, m, d }`), whose `then` cannot be inherited.
  it.skip("an inherited Object.prototype.then cannot swap a failing verdict for a pass", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_then_getter");
    assertScores(r, 8);
  });

  // BUG (both runtimes): 10/10 instead of 8/10. The registry stores each test as a mutable
  // `{ name, fn }` and appends it with `Reflect.apply(push, state.tests, [record])`; push is a
  // [[Set]] of index N, so accessors for "0".."15" on Array.prototype receive every record while
  // the test files load. The stub sets `fn = () => {}` on each 01_add record, then deletes the
  // accessors and resets Array.prototype.length once it has seen the last test, so the guard's
  // fingerprint at run() finds nothing. Fix (grader/harness/registry.ts, hub.ts ordered(), every
  // I.push): append with a captured defineProperty (CreateDataProperty, no setter runs) or keep
  // the records in captured-Map storage, and store frozen null-prototype records.
  it.skip("accessors on Array.prototype's indices cannot reach and replace test functions", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_array_setter");
    assertScores(r, 8);
  });

  // BUG (both runtimes): the hidden tests' source reaches the report (a visible test's output
  // holds `["add() adds zero","() => {\n  assert.equal(add(5, 0), 5);\n}"], ...`, Deno's
  // transpiled text the same less some spaces); the score is
  // the honest 8/10. The registry finds a file's state with `this.#files.get(file)`, through
  // the patchable Map.prototype.get: the stub wraps it, keeps add.hidden.ts's state (its `tests`
  // array fills as the hidden file registers) and puts get back at once; in the first visible
  // test it prints `String(fn)` of each hidden test as one JSON line, which the report's
  // line-by-line filter (engine/redact.ts) does not recognise. Fix (grader/harness/registry.ts):
  // call captured Map/Set methods and a captured join through Reflect.apply, so no test
  // function is ever handed to code that a stub can patch.
  it.skip(
    "a patched Map.prototype.get cannot hand the hidden tests' functions (and source) to the stub",
    {
      ...SLOW,
    },
    async () => {
      const r = await gradeCase("rt_fn_source", { forbidden: HIDDEN_SOURCE });
      assertScores(r, 8);
    },
  );

  // BUG (both runtimes): 10/10 instead of 8/10. The stub registers a passing
  // "addLater() > resolves to the sum" through add.hidden.ts's own node:test module
  // (.harness/t/<hex>.ts), then patches Array.prototype.join, which the registry uses to build a
  // grouped test's full name: the real test becomes "addLater()\u200b > resolves to the sum", no
  // name is registered twice (the registry's only tamper check), the grader ignores the real
  // verdict as undeclared (a warning) and counts the fake pass. Fix (grader/harness/registry.ts
  // test()): build the full name without patchable methods (index loop and string
  // concatenation; captured Set methods for the duplicate check).
  it.skip("a patched Array.prototype.join cannot rename a real test out of the way of a fake one", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_join_rename");
    assertScores(r, 8);
  });

  // BUG (both runtimes): 10/10 instead of 0/10. The stub imports .harness/hub.ts, registers
  // passing tests under all four pristine names through each test file's node:test module, and
  // calls run() from a timer while its own top-level await holds back the test files that import
  // it. run() only checks that lib has loaded (step 2): it closes the registry, runs the stub's
  // four tests, signs their passes, says done and exits before the real tests ever register, so
  // there is neither a duplicate nor a late registration to report. Fix (grader/harness/hub.ts
  // run()): make run() need something the code under test cannot have, e.g. a per-session nonce
  // the grader writes into the entry (`await run("<nonce>")`) and sends on stdin (Deno cannot
  // read the entry), and refuse a run before every planned test file's mark.
  it.skip("run() called by the stub during its top-level await cannot close the registry early", {
    ...SLOW,
  }, async () => {
    const r = await gradeCase("rt_early_run");
    assertScores(r, 0);
  });

  // BUG (both runtimes): 03_clock (unsolved) scores 10/10 instead of 0/10 because of code in
  // 02_greet, when they share a process (forced here with one CPU; on a 2-CPU machine the grader
  // already puts 02_greet and 03_clock in one process). 02_greet's stub adds an
  // Object.prototype.toJSON that turns 03_clock's results into passes (see rt_tojson) and
  // replaces Map.prototype.set with a version that drops the toJSON entry and records the
  // original `set` in place of itself: the guard (grader/harness/guard.ts), which builds and
  // compares its fingerprints with Map#set/get, spread and Array#some, sees no change, so the
  // exercises are not run alone. Fix (grader/harness/guard.ts): build and compare fingerprints
  // with captured intrinsics only (index loops, Reflect.apply on captured Map methods or
  // null-prototype records), as run() does.
  it.skip("a stub that blinds the guard cannot change another exercise's verdicts", {
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

  // Under Deno: BUG, 10/10 instead of 8/10. `Deno[Deno.internal].core` is reachable from any
  // module without a permission. Its setPromiseHooks reports each new promise with its parent,
  // and every send() calls `key.then(...)`, so getPromiseDetails(parent) hands the stub the
  // channel's CryptoKey; crypto.subtle.sign then signs "pass" results for every sequence number
  // from 0 to 59 (the grader takes the one it expects and each one after), unit-done and done.
  // The key "only in a closure" is not out of reach. Under Bun (no Deno core) the stub answers
  // honestly (8/10; Bun's own leak of the secret is hostile_memory.test.ts). Fix
  // (grader/harness/hub.ts start(), before any code under test loads): `delete
  // Deno[Deno.internal]` (configurable: it goes), and sign synchronously (an HMAC over captured
  // intrinsics) so that no promise ever holds the key.
  it("the harness's signing key cannot be taken through Deno's core (promise hooks)", {
    ...SLOW,
    skip: RT === "deno" && "BUG: Deno's core hands the stub the CryptoKey: 10/10",
  }, async () => {
    const r = await gradeCase("rt_deno_hooks");
    assertScores(r, 8);
  });

  // Under Deno: BUG, the grader never finishes (the kit killed it after 40 s; a normal run of
  // this case takes about 3 s). With the key taken as in rt_deno_hooks, the stub signs 600
  // "load" lines and prints one every 2 s from a synchronous loop inside a test (Atomics.wait,
  // so the harness's own timers never fire and the process never exits). Every accepted line
  // re-arms the session's deadline (engine/session.ts arm()) and nothing bounds a session's
  // whole length, so the grader waits 20 minutes here, or forever with more lines. Fix
  // (grader/engine/session.ts): a hard wall-clock limit per session (the sum of its units'
  // test deadlines and a load allowance), and re-arm only on a "start" or "result" line that
  // decides something new. Under Bun the stub answers honestly (8/10).
  it("a stub with the signing key cannot keep the grader waiting", {
    ...SLOW,
    skip: RT === "deno" && "BUG: under Deno the grader hangs on forged lines",
  }, async () => {
    const r = await gradeCase("rt_deno_hang", { limitMs: 40_000 });
    assertScores(r, 8);
  });

  // Under Bun: BUG, another exercise's hidden test reaches the report (in three runs, 03_clock's
  // later.hidden.ts twice and 02_greet's greet.hidden.ts once, whole, as JSON in the output of
  // 01_add's first visible test); the scores are the honest 8, 10, 0. The grader takes hidden
  // tests off the disk per process (ws.hide(files) once that process says hello) and writes them
  // back before each new process of the same group (ws.restore(files)), but every group's
  // sandbox binds the whole workspace, and groups run at the same time (here 01_add alone,
  // 02_greet and 03_clock together, on 2 CPUs): 01_add's stub polls for the other groups'
  // hidden files while its group starts and in its first test, and 03_clock's stub exits in each
  // test so that its group starts again and writes its hidden test back each time. The report's
  // filter (engine/redact.ts) only knows 01_add's hidden lines, and the text is one JSON line
  // anyway. Deno refuses the read. Fix (grader/engine/launch.ts / sandbox.ts): bind only the
  // group's own exercise folders (plus lib/ and .harness/) into its sandbox, or give each
  // process its own copy of the workspace; and redact every exercise's hidden lines from every
  // text. Needs two CPUs or more (one CPU: one group, run in turn, nothing to race).
  it("a stub cannot read another exercise's hidden test from the shared workspace", {
    ...SLOW,
    skip: RT === "bun" &&
      "BUG: under Bun a neighbour group's hidden test is read from the workspace",
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
