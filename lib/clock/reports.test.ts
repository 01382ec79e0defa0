// The clock's failure messages: describers, deadlock, leaked timers, unhandled rejection.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import "../mod.ts";
import {
  DeadlockError,
  LeakedTimersError,
  UnhandledRejectionError,
  type WaitSite,
} from "./errors.ts";
import { ESCAPE_HINT } from "./globals.ts";
import {
  DEADLOCK_ADVICE,
  deadlockError,
  describeAll,
  type Describer,
  diagnose,
  leakError,
  leaksOf,
  unhandledError,
} from "./reports.ts";
import type { PendingTimer } from "./timer_table.ts";

const NOTHING_WAKES = "Nothing can wake it: no timer is pending and no tracked work is running.";
const PAUSED =
  "the clock is paused (autoAdvance: false) and the test waits: call clock.advance(ms)";
const site = (n: number, more: Partial<WaitSite> = {}): WaitSite => ({
  site: `a.ts:${n}`,
  count: 1,
  since: 0,
  ...more,
});
const timer = (kind: string, delay: number, origin = "x.ts:1"): PendingTimer => ({
  kind,
  delay,
  dueAt: delay,
  origin,
});

describe("describeAll() and diagnose()", () => {
  it("describeAll() keeps every describer's lines in order: a string, an array, nothing", () => {
    const list: Describer[] = [() => "one", () => ["two", "three"], () => undefined, () => []];
    assert.deepEqual(describeAll(list), ["one", "two", "three"]);
    assert.deepEqual(describeAll([]), []);
  });

  it("describeAll() drops empty strings and non-strings, and skips a describer that throws", () => {
    const list = [
      () => "",
      () => ["a", "", 3, null, "b"],
      () => {
        throw new Error("broken describer");
      },
      () => 42,
      () => "c",
    ] as unknown as Describer[];
    assert.deepEqual(describeAll(list), ["a", "b", "c"]);
  });

  it("diagnose() is empty without lines and ' What is waiting: a; b.' with them", () => {
    assert.equal(diagnose([]), "");
    assert.equal(diagnose([() => undefined]), "");
    assert.equal(diagnose([() => "a", () => ["b"]]), " What is waiting: a; b.");
  });
});

describe("deadlockError()", () => {
  it("DEADLOCK_ADVICE names the usual causes and this runtime's escapes", () => {
    for (const cause of ["lost wake-up", "missing sentinel", "never released", "each other"]) {
      assert.ok(DEADLOCK_ADVICE.includes(cause), `advice mentions ${cause}`);
    }
    assert.ok(DEADLOCK_ADVICE.endsWith(ESCAPE_HINT));
  });

  it("deadlockError() with no facts and no timer says nothing can ever wake the test", () => {
    const error = deadlockError(5, false, [], undefined);
    assert.ok(error instanceof DeadlockError);
    assert.equal(
      error.message,
      "deadlock at t=5 ms: the test waits, but no timer is pending and no tracked work is " +
        "running, so nothing can ever wake it.",
    );
    assert.equal(error.at, 5);
    assert.equal(error.advice, DEADLOCK_ADVICE, "the advice is kept out of the message");
    assert.deepEqual(error.diagnosis, {
      at: 5,
      waits: [],
      details: [],
      tracked: false,
      unsettled: 0,
      located: 0,
    });
  });

  it("deadlockError() with timers pending says the clock is paused", () => {
    assert.equal(deadlockError(0, true, [], undefined).message, `deadlock at t=0 ms: ${PAUSED}`);
    assert.equal(
      deadlockError(9, true, ["Lock: free"], undefined).message,
      `deadlock at t=9 ms: Lock: free. Nothing else runs: ${PAUSED}.`,
    );
  });

  it("deadlockError() puts the describers' lines first, joined by '; '", () => {
    const error = deadlockError(100, false, ["Lock: free, 2 waiting", "Queue: empty"], undefined);
    assert.equal(
      error.message,
      `deadlock at t=100 ms: Lock: free, 2 waiting; Queue: empty. ${NOTHING_WAKES}`,
    );
    assert.deepEqual(error.diagnosis.details, ["Lock: free, 2 waiting", "Queue: empty"]);
  });

  it("deadlockError() words each wait site: function, count (singular or plural), since, callers", () => {
    const waits = [
      site(25, { fn: "Lock.acquire", count: 2, since: 0, awaitedAt: ["b.ts:36", "c.ts:4"] }),
      site(7, { count: 1, since: 200, awaitedAt: [] }),
    ];
    const stuck = { waits, unsettled: 3, located: 3 };
    const error = deadlockError(200, false, ["Lock: free"], stuck);
    assert.equal(
      error.message,
      "deadlock at t=200 ms: waiting at a.ts:25 in Lock.acquire (2 promises since t=0 ms, " +
        "awaited at b.ts:36, c.ts:4); waiting at a.ts:7 (1 promise since t=200 ms); " +
        `Lock: free. ${NOTHING_WAKES}`,
    );
    assert.equal(error.diagnosis.waits, waits);
    assert.equal(error.diagnosis.tracked, true);
    assert.equal(error.diagnosis.unsettled, 3);
    assert.equal(error.diagnosis.located, 3);
  });

  it("deadlockError() names at most 3 sites in the message, keeping all in the diagnosis", () => {
    const waits = [site(1), site(2), site(3), site(4), site(5)];
    const error = deadlockError(0, false, [], { waits, unsettled: 5, located: 5 });
    assert.match(error.message, /a\.ts:3 \(1 promise since t=0 ms\); and 2 more sites\. /);
    assert.doesNotMatch(error.message, /a\.ts:4/);
    assert.equal(error.diagnosis.waits.length, 5);
    const one = deadlockError(0, false, [], { waits: waits.slice(0, 4), unsettled: 4, located: 4 });
    assert.match(one.message, /; and 1 more site\. /, "one more site, singular");
  });

  it("deadlockError() counts the pending promises it could not locate", () => {
    const error = deadlockError(0, false, [], { waits: [site(1)], unsettled: 250, located: 200 });
    assert.match(error.message, /; 50 more pending promises not located\. Nothing can wake it/);
    const all = deadlockError(0, false, [], { waits: [site(1)], unsettled: 4, located: 4 });
    assert.doesNotMatch(all.message, /not located/);
  });

  it("deadlockError() with tracking on but nothing stuck reports tracked and zero counts", () => {
    const error = deadlockError(3, false, [], { waits: [], unsettled: 0, located: 0 });
    assert.equal(error.diagnosis.tracked, true);
    assert.match(error.message, /^deadlock at t=3 ms: the test waits, but no timer is pending/);
  });
});

describe("leaksOf() and leakError()", () => {
  it("leaksOf() keeps every timer but AbortSignal.timeout ones", () => {
    const pending = [
      timer("setTimeout", 10),
      timer("AbortSignal.timeout", 20),
      timer("setInterval", 30),
      timer("setImmediate", 0),
    ];
    assert.deepEqual(leaksOf(pending).map((t) => t.kind), [
      "setTimeout",
      "setInterval",
      "setImmediate",
    ]);
    assert.deepEqual(leaksOf([]), []);
  });

  it("leakError() names one timer: kind, delay, due time, creation site, and the fix", () => {
    const leaks = [timer("setTimeout", 5000, "exercises/x/a.ts:17")];
    const error = leakError(120, leaks);
    assert.ok(error instanceof LeakedTimersError);
    assert.equal(
      error.message,
      "1 timer still pending after the test finished at t=120 ms: setTimeout(5000 ms) due at " +
        "t=5000 ms, created at exercises/x/a.ts:17. Clear timers you no longer need " +
        "(clearTimeout in a finally, or abort the task that owns them).",
    );
    assert.equal(error.timers, leaks);
  });

  it("leakError() lists at most 10 timers and counts the rest", () => {
    const leaks = Array.from({ length: 12 }, (_, i) => timer("setInterval", i + 1));
    const error = leakError(0, leaks);
    assert.match(error.message, /^12 timers still pending after the test finished at t=0 ms: /);
    assert.match(
      error.message,
      /setInterval\(10 ms\) due at t=10 ms, created at x\.ts:1 and 2 more\./,
    );
    assert.doesNotMatch(error.message, /setInterval\(11 ms\)/);
    assert.equal(error.timers.length, 12);
  });
});

describe("unhandledError()", () => {
  it("unhandledError() names an Error reason by name and message, kept by identity", () => {
    const reason = new TypeError("bad input");
    const error = unhandledError(40, reason);
    assert.ok(error instanceof UnhandledRejectionError);
    assert.equal(
      error.message,
      "unhandled rejection at t=40 ms: TypeError: bad input. A promise rejected while nobody " +
        "was awaiting it: await every task you start, or attach .catch() to it.",
    );
    assert.equal(error.reason, reason);
  });

  it("unhandledError() shows other reasons as strings", () => {
    assert.match(unhandledError(0, "plain").message, /^unhandled rejection at t=0 ms: plain\. /);
    assert.match(unhandledError(0, 42).message, /: 42\. /);
    assert.match(unhandledError(0, undefined).message, /: undefined\. /);
    assert.match(unhandledError(0, Symbol("s")).message, /: Symbol\(s\)\. /);
  });

  it("unhandledError() survives a reason that throws when read", () => {
    const hostile = {
      toString() {
        throw new Error("no");
      },
    };
    const error = unhandledError(7, hostile);
    assert.match(
      error.message,
      /^unhandled rejection at t=7 ms: an object that throws when read\./,
    );
    assert.equal(error.reason, hostile);
    const badError = Object.defineProperty(new Error("x"), "message", {
      get() {
        throw new Error("no");
      },
    });
    assert.match(unhandledError(0, badError).message, /an object that throws when read/);
  });
});
