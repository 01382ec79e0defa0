/**
 * Hidden tests of 24_circuit_breaker: the grader runs them; no test runner discovers them by
 * itself. They pin every transition of the state machine, in virtual time.
 */
import { describe, it } from "node:test";
import assert, { AssertionError } from "node:assert/strict";
import { deferred, isNotImplemented, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { CircuitBreaker, type CircuitBreakerOptions, CircuitOpenError } from "./breaker.ts";

const boom = () => Promise.reject(new Error("service unavailable"));
const ok = () => Promise.resolve("ok");

/** A breaker that records its state changes as "from->to@t". */
function recorded(options: CircuitBreakerOptions, now: () => number) {
  const changes: string[] = [];
  const breaker = new CircuitBreaker({
    ...options,
    onStateChange: (from, to) => changes.push(`${from}->${to}@${now()}`),
  });
  return { breaker, changes };
}

/** A call whose fn settles when the test says so. */
function slowCall(breaker: CircuitBreaker, signal?: AbortSignal) {
  const gate = deferred<string>();
  let called = false;
  const result = breaker.call(() => {
    called = true;
    return gate.promise;
  }, { signal });
  result.catch(() => {});
  return {
    gate,
    result,
    get called() {
      return called;
    },
  };
}

/** fn for call(): a request that rejects with the signal's reason once the signal aborts. */
function untilAborted(signal?: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    signal!.addEventListener("abort", () => reject(signal!.reason), { once: true });
  });
}

/** Fails `n` calls in a row. */
async function failTimes(breaker: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.call(boom).catch(() => {});
}

/** Whether a call reaches fn: runs a quick successful call and tells whether fn ran. */
async function reaches(breaker: CircuitBreaker): Promise<boolean> {
  let ran = false;
  await breaker.call(() => Promise.resolve(ran = true)).catch(() => {});
  return ran;
}

/**
 * Calls `start` (which must return a promise) and fails in the student's terms when it throws
 * synchronously instead: callers chain `.catch()` on the promise, and a throw skips it.
 */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    throw new AssertionError({
      message: `${what} returns a promise: it must reject, not throw from the call (yours threw ${
        String(error)
      })`,
    });
  }
}

/** Checks that each options object makes the constructor throw a RangeError. */
function refuses(what: string, all: Partial<CircuitBreakerOptions>[]): void {
  for (const o of all) {
    const options = { failureThreshold: 3, resetTimeoutMs: 1000, ...o };
    throwsWith(
      () => new CircuitBreaker(options),
      { name: "RangeError" },
      `new CircuitBreaker({ ${what}: ${String((o as Record<string, unknown>)[what])} })`,
    );
  }
}

describe("task 1: closed", () => {
  it(
    "CircuitBreaker counts consecutive failures: a success resets the count",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
      await failTimes(breaker, 2);
      await breaker.call(ok);
      await failTimes(breaker, 2);
      assert.equal(
        breaker.state,
        "closed",
        "fail, fail, succeed, fail, fail is never 3 failures in a row: the circuit must stay closed (count consecutive failures, not the total)",
      );
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "open",
        `the third failure in a row opens it; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker with failureThreshold 1 opens at the first failure",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      assert.equal(await reaches(breaker), true, "a new breaker lets a call through");
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "open",
        `failureThreshold 1: one failure opens; yours is ${breaker.state}`,
      );
      assert.equal(await reaches(breaker), false, "once open, a call must not reach fn");
    }),
  );

  it("new CircuitBreaker() refuses a failureThreshold that is not a positive integer", () => {
    refuses("failureThreshold", [
      { failureThreshold: 0 },
      { failureThreshold: -1 },
      { failureThreshold: 2.5 },
      { failureThreshold: NaN },
      { failureThreshold: Infinity },
    ]);
  });

  it("new CircuitBreaker() refuses a resetTimeoutMs that is not a positive finite number", () => {
    refuses("resetTimeoutMs", [
      { resetTimeoutMs: 0 },
      { resetTimeoutMs: -1 },
      { resetTimeoutMs: NaN },
      { resetTimeoutMs: Infinity },
    ]);
    for (const ms of [0.5, 1, 30_000]) {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: ms });
      assert.equal(
        breaker.resetTimeoutMs,
        ms,
        `resetTimeoutMs ${ms} is valid and kept; yours is ${breaker.resetTimeoutMs}`,
      );
    }
  });

  it("new CircuitBreaker() refuses a halfOpenMaxCalls that is not a positive integer", () => {
    refuses("halfOpenMaxCalls", [
      { halfOpenMaxCalls: 0 },
      { halfOpenMaxCalls: -2 },
      { halfOpenMaxCalls: 1.5 },
      { halfOpenMaxCalls: NaN },
      { halfOpenMaxCalls: Infinity },
    ]);
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeoutMs: 1,
      halfOpenMaxCalls: undefined,
    });
    assert.equal(
      breaker.halfOpenMaxCalls,
      1,
      `halfOpenMaxCalls: undefined takes the default 1; yours is ${breaker.halfOpenMaxCalls}`,
    );
  });

  it(
    "CircuitBreaker.call() resolves with a plain value and rejects with fn's very error",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 5, resetTimeoutMs: 1000 });
      const value = await breaker.call(() => "plain");
      assert.equal(value, "plain", `fn may return a value without a promise; yours gave ${value}`);
      const reason = { code: 503 };
      await rejectsWith(
        breaker.call(() => Promise.reject(reason)),
        { is: reason },
        "call() of an fn rejecting with { code: 503 }",
      );
    }),
  );

  it(
    "CircuitBreaker counts a rejection with null or undefined as a failure and passes it through",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
      for (const thrown of [null, undefined]) {
        const got = await breaker.call(() => Promise.reject(thrown)).then(
          () => "resolved",
          (e) => e,
        );
        assert.equal(
          got,
          thrown,
          `call() of an fn rejecting with ${thrown} must reject with that very value (looking for an AbortError name must not crash on it); yours gave ${
            String(got)
          }`,
        );
      }
      assert.equal(
        breaker.state,
        "open",
        `null and undefined are failures like any other: two in a row open the circuit; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker.call() rejects, never throws, when fn throws synchronously",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
      const error = new TypeError("bad request");
      for (let i = 0; i < 2; i++) {
        await rejectsWith(
          callAsync(() =>
            breaker.call(() => {
              throw error;
            }), "call(fn)"),
          { is: error },
          "call() of an fn that throws synchronously",
        );
      }
      assert.equal(
        breaker.state,
        "open",
        `two synchronous throws in a row are two failures: open; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker neither resets nor adds to the failure count for an aborted call",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      const controller = new AbortController();
      const call = breaker.call(untilAborted, { signal: controller.signal });
      controller.abort();
      await call.catch(() => {});
      assert.equal(
        breaker.state,
        "closed",
        `fail then abort is one failure: still closed; yours is ${breaker.state}`,
      );
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "open",
        `fail, abort, fail: the abort is not a success, so the two failures are consecutive and open it; yours is ${breaker.state}`,
      );
    }),
  );
});

describe("task 2: open", () => {
  it(
    "CircuitBreaker.call() fails fast with a CircuitOpenError rejection while open",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 5000 });
      await failTimes(breaker, 2);
      let calls = 0;
      for (let i = 0; i < 3; i++) {
        await rejectsWith(
          callAsync(() => breaker.call(() => Promise.resolve(calls++)), "call() while open"),
          { instanceOf: CircuitOpenError, name: "CircuitOpenError" },
          "call() on an open circuit",
        );
      }
      assert.equal(
        calls,
        0,
        `fn must not be called while the circuit is open; yours called it ${calls} times`,
      );
      assert.equal(
        clock.now(),
        0,
        `an open circuit rejects at once, without waiting; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "CircuitBreaker opens at the failing call and half-opens resetTimeoutMs later",
    withClock(async (clock) => {
      const { breaker, changes } = recorded(
        { failureThreshold: 3, resetTimeoutMs: 2000 },
        () => clock.now(),
      );
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        await failTimes(breaker, 1);
      }
      await clock.sleep(1999);
      assert.equal(
        breaker.state,
        "open",
        `opened at t=300 with resetTimeoutMs 2000: still open at t=2299; yours is ${breaker.state}`,
      );
      await clock.sleep(1);
      assert.equal(
        breaker.state,
        "half-open",
        `opened at t=300 with resetTimeoutMs 2000: half-open at t=2300; yours is ${breaker.state}`,
      );
      assert.deepEqual(
        changes,
        ["closed->open@300", "open->half-open@2300"],
        `state changes and when; yours: ${JSON.stringify(changes)}`,
      );
    }),
  );

  it(
    "CircuitBreaker times the open period from when the failing call ended, not from when it started",
    withClock(async (clock) => {
      const { breaker, changes } = recorded(
        { failureThreshold: 1, resetTimeoutMs: 1000 },
        () => clock.now(),
      );
      await breaker.call(async () => {
        await clock.sleep(300);
        throw new Error("slow, then down");
      }).catch(() => {});
      await clock.sleep(999);
      assert.equal(
        breaker.state,
        "open",
        `the call started at t=0 but failed at t=300, so the circuit opened at t=300: still open at t=1299; yours is ${breaker.state}`,
      );
      await clock.sleep(1);
      assert.equal(breaker.state, "half-open", `half-open at t=1300; yours is ${breaker.state}`);
      assert.deepEqual(
        changes,
        ["closed->open@300", "open->half-open@1300"],
        `state changes and when; yours: ${JSON.stringify(changes)}`,
      );
    }),
  );

  it(
    "CircuitBreaker.call() one ms before the timeout still fails fast, and at the timeout runs fn",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(999);
      assert.equal(
        await reaches(breaker),
        false,
        "at t=999 the circuit is still open: fn must not run",
      );
      await clock.sleep(1);
      assert.equal(await reaches(breaker), true, "at t=1000 the first call is a trial: fn runs");
    }),
  );

  it(
    "CircuitBreaker does not half-open early when opened at t=0",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 500 });
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "open",
        `opened at t=0: open at t=0 (a time of 0 is a real time); yours is ${breaker.state}`,
      );
      await clock.sleep(250);
      assert.equal(
        breaker.state,
        "open",
        `opened at t=0 with resetTimeoutMs 500: still open at t=250; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker keeps no timer in any state",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 60_000 });
      await failTimes(breaker, 1);
      assert.equal(clock.pending().length, 0, "open: no timer");
      await clock.sleep(60_000);
      assert.equal(breaker.state, "half-open", "after the timeout: half-open");
      assert.equal(clock.pending().length, 0, "half-open: no timer");
      await breaker.call(ok);
      assert.equal(clock.pending().length, 0, "closed again: no timer");
      assert.equal(
        clock.trace.length,
        1,
        `only the test's own sleep fired; yours fired ${clock.trace.length} timers`,
      );
    }),
  );
});

describe("task 3: half-open", () => {
  it(
    "CircuitBreaker admits exactly halfOpenMaxCalls trial calls",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({
        failureThreshold: 1,
        resetTimeoutMs: 1000,
        halfOpenMaxCalls: 3,
      });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      const trials = [slowCall(breaker), slowCall(breaker), slowCall(breaker)];
      const extra = slowCall(breaker);
      await rejectsWith(
        extra.result,
        { name: "CircuitOpenError" },
        "a 4th call while 3 trials (halfOpenMaxCalls 3) run",
      );
      assert.deepEqual(
        trials.map((t) => t.called),
        [true, true, true],
        "the first 3 calls run fn as trials",
      );
      assert.equal(extra.called, false, "the 4th call must not reach fn");
      for (const t of trials) t.gate.resolve("fine");
      await Promise.all(trials.map((t) => t.result));
      assert.equal(
        breaker.state,
        "closed",
        `3 successful trials of 3 close the circuit; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker counts finished trials too: after one success and one running trial of 2, a third call fails fast",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({
        failureThreshold: 1,
        resetTimeoutMs: 1000,
        halfOpenMaxCalls: 2,
      });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      await breaker.call(ok); // trial 1, done
      const running = slowCall(breaker); // trial 2, running
      assert.equal(
        await reaches(breaker),
        false,
        "both trial slots are taken (one finished, one running): a third call fails fast",
      );
      running.gate.resolve("fine");
      await running.result;
      assert.equal(
        breaker.state,
        "closed",
        `2 successful trials close it; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker stays half-open until halfOpenMaxCalls trials have succeeded",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({
        failureThreshold: 1,
        resetTimeoutMs: 1000,
        halfOpenMaxCalls: 2,
      });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      await breaker.call(ok);
      assert.equal(
        breaker.state,
        "half-open",
        `1 successful trial of 2 does not close it yet; yours is ${breaker.state}`,
      );
      await breaker.call(ok);
      assert.equal(
        breaker.state,
        "closed",
        `the 2nd successful trial closes it; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker reports the re-opening and its fresh timeout through onStateChange",
    withClock(async (clock) => {
      const { breaker, changes } = recorded(
        { failureThreshold: 1, resetTimeoutMs: 1000 },
        () => clock.now(),
      );
      await failTimes(breaker, 1);
      await clock.sleep(1100);
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "open",
        `a failed trial re-opens the circuit; yours is ${breaker.state}`,
      );
      await clock.sleep(999);
      assert.equal(
        breaker.state,
        "open",
        `re-opened at t=1100: still open at t=2099; yours is ${breaker.state}`,
      );
      await clock.sleep(1);
      assert.equal(
        breaker.state,
        "half-open",
        `re-opened at t=1100: half-open at t=2100; yours is ${breaker.state}`,
      );
      assert.deepEqual(
        changes,
        ["closed->open@0", "open->half-open@1100", "half-open->open@1100", "open->half-open@2100"],
        `state changes and when; yours: ${JSON.stringify(changes)}`,
      );
    }),
  );

  it(
    "CircuitBreaker re-opens at once when one of several trials fails",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({
        failureThreshold: 1,
        resetTimeoutMs: 1000,
        halfOpenMaxCalls: 3,
      });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      await breaker.call(ok);
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "open",
        `a failed trial re-opens even after another trial succeeded; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker re-opens when a trial throws synchronously",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
      await failTimes(breaker, 3);
      await clock.sleep(1000);
      const error = new RangeError("bad input");
      await rejectsWith(
        callAsync(() =>
          breaker.call(() => {
            throw error;
          }), "a trial call"),
        { is: error },
        "a trial whose fn throws synchronously",
      );
      assert.equal(
        breaker.state,
        "open",
        `a synchronous throw in a trial is a failed trial: open again; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker re-opens on one failed trial whatever failureThreshold is",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 5, resetTimeoutMs: 1000 });
      await failTimes(breaker, 5);
      await clock.sleep(1000);
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "open",
        `failureThreshold counts failures while closed; one failed trial re-opens; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker starts counting failures from zero after it closes again",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
      await failTimes(breaker, 2);
      await clock.sleep(1000);
      await breaker.call(ok); // closes
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "closed",
        `closed again, one failure of 2 allowed: still closed; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker reports each state change once through a full cycle",
    withClock(async (clock) => {
      const { breaker, changes } = recorded(
        { failureThreshold: 2, resetTimeoutMs: 500 },
        () => clock.now(),
      );
      await Promise.all(
        [breaker.call(boom), breaker.call(boom), breaker.call(boom)].map((p) => p.catch(() => {})),
      );
      await clock.sleep(500);
      for (let i = 0; i < 3; i++) {
        assert.equal(breaker.state, "half-open", "reading state repeatedly");
      }
      await breaker.call(ok);
      await breaker.call(ok);
      assert.deepEqual(
        changes,
        ["closed->open@0", "open->half-open@500", "half-open->closed@500"],
        `3 concurrent failures (threshold 2) open the circuit once; reading state 3 times reports half-open once; yours: ${
          JSON.stringify(changes)
        }`,
      );
    }),
  );

  it(
    "CircuitBreaker calls onStateChange after the change: state already reads the new state",
    withClock(async (clock) => {
      const seen: string[] = [];
      const breaker: CircuitBreaker = new CircuitBreaker({
        failureThreshold: 1,
        resetTimeoutMs: 100,
        onStateChange: (from, to) => seen.push(`${from}->${to} (state: ${breaker.state})`),
      });
      await failTimes(breaker, 1);
      await clock.sleep(100);
      await breaker.call(ok);
      assert.deepEqual(
        seen,
        [
          "closed->open (state: open)",
          "open->half-open (state: half-open)",
          "half-open->closed (state: closed)",
        ],
        `inside onStateChange(from, to), state reads to; yours: ${JSON.stringify(seen)}`,
      );
    }),
  );

  it(
    "CircuitBreaker reports open->half-open once when a call is the first to look",
    withClock(async (clock) => {
      const { breaker, changes } = recorded(
        { failureThreshold: 1, resetTimeoutMs: 300 },
        () => clock.now(),
      );
      await failTimes(breaker, 1);
      await clock.sleep(450);
      const trial = slowCall(breaker);
      assert.equal(breaker.state, "half-open", "the trial is running: half-open");
      trial.gate.resolve("fine");
      await trial.result;
      assert.deepEqual(
        changes,
        ["closed->open@0", "open->half-open@450", "half-open->closed@450"],
        `the move to half-open happens at the first look (the call at t=450), once; yours: ${
          JSON.stringify(changes)
        }`,
      );
    }),
  );
});

describe("task 4: stale outcomes and aborts", () => {
  it(
    "CircuitBreaker ignores a stale trial success and closes only after 2 new trial successes",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({
        failureThreshold: 1,
        resetTimeoutMs: 1000,
        halfOpenMaxCalls: 2,
      });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      const slow = slowCall(breaker); // trial 1, still running
      await failTimes(breaker, 1); // trial 2 fails: re-open at t=1000
      assert.equal(breaker.state, "open", "a failed trial re-opens the circuit");
      await clock.sleep(1100);
      assert.equal(breaker.state, "half-open", "re-opened at t=1000: half-open again at t=2100");
      slow.gate.resolve("late");
      assert.equal(
        await slow.result,
        "late",
        "the slow trial still returns its value to its caller",
      );
      await breaker.call(ok);
      assert.equal(
        breaker.state,
        "half-open",
        "the trial that started before the circuit re-opened is stale: only 1 of the 2 new trials has succeeded, so the circuit stays half-open",
      );
      await breaker.call(ok);
      assert.equal(
        breaker.state,
        "closed",
        `the 2nd successful new trial closes it; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker ignores a success that started while closed once it is half-open",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
      const slow = slowCall(breaker); // started while closed
      await failTimes(breaker, 2); // opens at t=0
      await clock.sleep(1500);
      assert.equal(
        breaker.state,
        "half-open",
        "opened at t=0 with resetTimeoutMs 1000: half-open at t=1500",
      );
      slow.gate.resolve("late");
      await slow.result;
      assert.equal(
        breaker.state,
        "half-open",
        "a call that started while closed and succeeds during half-open is not a trial: the circuit stays half-open",
      );
      assert.equal(
        await reaches(breaker),
        true,
        "the trial slot is still free for a real trial call",
      );
      assert.equal(
        breaker.state,
        "closed",
        `the real trial's success closes the circuit; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker ignores a success that lands while open",
    withClock(async (clock) => {
      const { breaker, changes } = recorded(
        { failureThreshold: 1, resetTimeoutMs: 1000 },
        () => clock.now(),
      );
      const slow = slowCall(breaker); // started while closed
      await failTimes(breaker, 1); // opens at t=0
      await clock.sleep(200);
      slow.gate.resolve("late");
      await slow.result;
      assert.equal(
        breaker.state,
        "open",
        `a stale success must not close an open circuit (the Python original's bug); yours is ${breaker.state}`,
      );
      assert.deepEqual(
        changes,
        ["closed->open@0"],
        `only the opening happened; yours: ${JSON.stringify(changes)}`,
      );
    }),
  );

  it(
    "CircuitBreaker ignores a stale failure that lands after it opened",
    withClock(async (clock) => {
      const { breaker, changes } = recorded(
        { failureThreshold: 1, resetTimeoutMs: 1000 },
        () => clock.now(),
      );
      const slow = slowCall(breaker); // started while closed
      await failTimes(breaker, 1); // opens at t=0
      await clock.sleep(500);
      slow.gate.reject(new Error("late failure"));
      await slow.result.catch(() => {});
      await clock.sleep(500);
      assert.equal(
        breaker.state,
        "half-open",
        "a failure from a call started before the circuit opened must not restart the open timeout: half-open at t=1000",
      );
      assert.deepEqual(
        changes,
        ["closed->open@0", "open->half-open@1000"],
        `the circuit opened once; yours: ${JSON.stringify(changes)}`,
      );
    }),
  );

  it(
    "CircuitBreaker ignores a failure from a call that started before the circuit last closed",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const old = slowCall(breaker); // started in the first closed period
      await failTimes(breaker, 1); // open at t=0
      await clock.sleep(1000);
      await breaker.call(ok); // trial succeeds: closed again
      old.gate.reject(new Error("ancient failure"));
      await old.result.catch(() => {});
      assert.equal(
        breaker.state,
        "closed",
        `the failure belongs to a closed period that is over: it must not open the new one; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker does not count an aborted call as a failure and rejects with the reason",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const controller = new AbortController();
      const reason = { why: "user navigated away" };
      const call = breaker.call(untilAborted, { signal: controller.signal });
      controller.abort(reason);
      await rejectsWith(call, { is: reason }, "call() whose signal aborted");
      assert.equal(
        breaker.state,
        "closed",
        "an aborted call says nothing about the service: it is not a failure",
      );
    }),
  );

  it(
    "CircuitBreaker does not count a call that fails after its signal aborted",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const controller = new AbortController();
      const call = breaker.call(() => {
        controller.abort();
        return Promise.reject(new Error("connection reset"));
      }, { signal: controller.signal });
      await rejectsWith(
        call,
        { message: "connection reset" },
        "call() whose fn fails after the abort",
      );
      assert.equal(
        breaker.state,
        "closed",
        `a call that rejects while its signal is aborted is not counted; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker does not count any error named AbortError, not only a DOMException",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const aborted = Object.assign(new Error("the request was aborted"), { name: "AbortError" });
      await rejectsWith(
        breaker.call(() => Promise.reject(aborted)),
        { is: aborted },
        "call() of an fn rejecting with a plain Error named AbortError",
      );
      assert.equal(
        breaker.state,
        "closed",
        `an error named "AbortError" is a cancellation whatever its class, not a failure; with failureThreshold 1 yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker counts a success even when the signal aborted meanwhile",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      const controller = new AbortController();
      const value = await breaker.call(() => {
        controller.abort();
        return Promise.resolve("answered");
      }, { signal: controller.signal });
      assert.equal(value, "answered", `the call resolves with fn's value; yours gave ${value}`);
      assert.equal(
        breaker.state,
        "closed",
        `the service answered: a successful trial closes the circuit; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker re-opens when a trial fails with a TimeoutError",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      await breaker.call(() => Promise.reject(new DOMException("too slow", "TimeoutError"))).catch(
        () => {},
      );
      assert.equal(
        breaker.state,
        "open",
        `a trial that timed out failed: open again; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker.call() passes its signal to fn",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const controller = new AbortController();
      let seen: AbortSignal | undefined;
      await breaker.call((signal) => Promise.resolve(seen = signal), { signal: controller.signal });
      assert.equal(seen, controller.signal, "fn receives the very signal passed to call()");
    }),
  );

  it(
    "CircuitBreaker.call() with an already aborted signal rejects with its reason whatever the state",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const reason = new Error("already cancelled");
      let calls = 0;
      const fn = () => Promise.resolve(calls++);
      await rejectsWith(
        callAsync(() => breaker.call(fn, { signal: AbortSignal.abort(reason) }), "call() closed"),
        { is: reason },
        "call() with a pre-aborted signal while closed",
      );
      assert.equal(breaker.state, "closed", "a pre-aborted call is not a failure");
      await failTimes(breaker, 1);
      await rejectsWith(
        callAsync(() => breaker.call(fn, { signal: AbortSignal.abort(reason) }), "call() open"),
        { is: reason },
        "call() with a pre-aborted signal while open (the abort reason, not CircuitOpenError)",
      );
      await clock.sleep(1000);
      await rejectsWith(
        callAsync(
          () => breaker.call(fn, { signal: AbortSignal.abort(reason) }),
          "call() half-open",
        ),
        { is: reason },
        "call() with a pre-aborted signal while half-open",
      );
      assert.equal(
        calls,
        0,
        `fn must never run with an already aborted signal; yours called it ${calls} times`,
      );
    }),
  );

  it(
    "CircuitBreaker.call() with an already aborted signal takes no trial slot",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      await breaker.call(ok, { signal: AbortSignal.abort() }).catch(() => {});
      assert.equal(
        await reaches(breaker),
        true,
        "the only trial slot must still be free for the next call",
      );
      assert.equal(
        breaker.state,
        "closed",
        `that trial succeeds and closes the circuit; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker gives an aborted trial's slot back",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      const controller = new AbortController();
      const trial = breaker.call(untilAborted, { signal: controller.signal });
      controller.abort();
      await rejectsWith(trial, { name: "AbortError" }, "the aborted trial call");
      assert.equal(
        breaker.state,
        "half-open",
        "an aborted trial neither closes nor re-opens the circuit",
      );
      assert.equal(
        await breaker.call(ok),
        "ok",
        "the aborted trial's slot is free for the next trial",
      );
      assert.equal(
        breaker.state,
        "closed",
        `the next trial's success closes it; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker gives the slot of a trial that rejects with an AbortError back",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      await breaker.call(() => Promise.reject(new DOMException("cancelled", "AbortError"))).catch(
        () => {},
      );
      assert.equal(
        breaker.state,
        "half-open",
        `a cancelled trial changes nothing; yours is ${breaker.state}`,
      );
      assert.equal(await reaches(breaker), true, "its slot is free again for the next trial");
    }),
  );

  it(
    "CircuitBreaker does not let a stale aborted trial free a slot of a later half-open period",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({
        failureThreshold: 1,
        resetTimeoutMs: 1000,
        halfOpenMaxCalls: 2,
      });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      const controller = new AbortController();
      const old = breaker.call(untilAborted, { signal: controller.signal }); // trial 1 of period A
      old.catch(() => {});
      await failTimes(breaker, 1); // trial 2 fails: re-open
      await clock.sleep(1000); // half-open again: period B
      const a = slowCall(breaker);
      const b = slowCall(breaker);
      controller.abort(); // the old trial ends now, in period B
      await old.catch(() => {});
      assert.equal(
        await reaches(breaker),
        false,
        "period B's 2 trial slots are taken; the old trial of period A must not give one back",
      );
      assert.ok(a.called && b.called, "the two trials of period B ran");
      a.gate.resolve("x");
      b.gate.resolve("y");
      await Promise.all([a.result, b.result]);
    }),
  );
});
