/**
 * Visible tests of 24_circuit_breaker. Run them with `bun test exercises/24_circuit_breaker` or
 * `deno test exercises/24_circuit_breaker`. Time is virtual: clock.sleep(1000) takes no real time,
 * and performance.now() and Date.now() move with it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { CircuitBreaker, CircuitOpenError, type CircuitState } from "./breaker.ts";

const boom = () => Promise.reject(new Error("service unavailable"));
const ok = () => Promise.resolve("ok");

/** Fails `n` calls in a row. */
async function failTimes(breaker: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.call(boom).catch(() => {});
}

/** A call whose fn settles when the test says so. */
function slowCall(breaker: CircuitBreaker) {
  const gate = deferred<string>();
  let called = false;
  const result = breaker.call(() => {
    called = true;
    return gate.promise;
  });
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

describe("task 1: closed", () => {
  it(
    "CircuitBreaker.call() passes results and errors through while closed",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
      const value = await breaker.call(() => Promise.resolve(42));
      assert.equal(value, 42, `call() should resolve with fn's value (42); yours gave ${value}`);
      const error = new Error("service unavailable");
      await rejectsWith(
        breaker.call(() => Promise.reject(error)),
        { is: error },
        "call() of a failing fn",
      );
      assert.equal(
        breaker.state,
        "closed",
        `one failure of 3 allowed leaves the circuit closed; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker opens after failureThreshold consecutive failures",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
      await failTimes(breaker, 2);
      assert.equal(
        breaker.state,
        "closed",
        `2 failures of 3 allowed: still closed; yours is ${breaker.state}`,
      );
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "open",
        `the 3rd failure in a row opens the circuit; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker resets the failure count on a success",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await breaker.call(ok);
      await failTimes(breaker, 1);
      assert.equal(
        breaker.state,
        "closed",
        `fail, succeed, fail is never 2 failures in a row: the circuit stays closed; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker counts a synchronous throw in fn as a failure and rejects with it",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const error = new TypeError("bad request");
      await rejectsWith(
        () =>
          breaker.call(() => {
            throw error;
          }),
        { is: error },
        "call() of an fn that throws",
      );
      assert.equal(
        breaker.state,
        "open",
        `a synchronous throw is a failure too: open; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "new CircuitBreaker() rejects a failureThreshold of 0 or 1.5 with RangeError",
    withClock(() => {
      throwsWith(
        () => new CircuitBreaker({ failureThreshold: 0, resetTimeoutMs: 1000 }),
        { name: "RangeError" },
        "new CircuitBreaker({ failureThreshold: 0 })",
      );
      throwsWith(
        () => new CircuitBreaker({ failureThreshold: 1.5, resetTimeoutMs: 1000 }),
        { name: "RangeError" },
        "new CircuitBreaker({ failureThreshold: 1.5 }) (failures come whole)",
      );
    }),
  );

  it(
    "new CircuitBreaker() defaults halfOpenMaxCalls to 1",
    withClock(() => {
      const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
      assert.equal(
        breaker.halfOpenMaxCalls,
        1,
        `the default is 1 trial call; yours is ${breaker.halfOpenMaxCalls}`,
      );
      assert.equal(
        breaker.state,
        "closed",
        `a new breaker starts closed; yours is ${breaker.state}`,
      );
    }),
  );
});

describe("task 2: open", () => {
  it(
    "CircuitBreaker.call() rejects at once without calling fn while open",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      let calls = 0;
      await rejectsWith(
        breaker.call(() => Promise.resolve(calls++)),
        { instanceOf: CircuitOpenError, name: "CircuitOpenError" },
        "call() while the circuit is open",
      );
      assert.equal(
        calls,
        0,
        `an open circuit must not call fn at all; yours called it ${calls} times`,
      );
    }),
  );

  it(
    "CircuitBreaker turns half-open exactly resetTimeoutMs after opening",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await clock.sleep(300);
      await failTimes(breaker, 1);
      await clock.sleep(999);
      assert.equal(
        breaker.state,
        "open",
        `opened at t=300 with resetTimeoutMs 1000: still open at t=1299; yours is ${breaker.state}`,
      );
      await clock.sleep(1);
      assert.equal(
        breaker.state,
        "half-open",
        `opened at t=300: half-open at t=1300; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker.call() after the timeout runs fn as a trial without anyone reading state",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      let calls = 0;
      await breaker.call(() => Promise.resolve(calls++));
      assert.equal(
        calls,
        1,
        `at t=1000 the open period is over: call() runs fn as a trial; yours called it ${calls} times`,
      );
    }),
  );

  it(
    "CircuitBreaker keeps no timer while open",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 60_000 });
      await failTimes(breaker, 1);
      const timers = clock.pending().length;
      assert.equal(
        timers,
        0,
        `the open timeout is a time to compare against, not a timer; yours left ${timers}`,
      );
    }),
  );
});

describe("task 3: half-open", () => {
  it(
    "CircuitBreaker closes after a successful trial call",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      const value = await breaker.call(ok);
      assert.equal(
        value,
        "ok",
        `the trial call goes through and returns fn's value; yours gave ${value}`,
      );
      assert.equal(
        breaker.state,
        "closed",
        `a successful trial closes the circuit; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker re-opens on a failed trial with a fresh timeout",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      await failTimes(breaker, 1);
      await clock.sleep(1500);
      await failTimes(breaker, 1); // the trial fails at t=1500
      assert.equal(
        breaker.state,
        "open",
        `a failed trial re-opens the circuit; yours is ${breaker.state}`,
      );
      await clock.sleep(999);
      assert.equal(
        breaker.state,
        "open",
        `re-opened at t=1500: still open at t=2499; yours is ${breaker.state}`,
      );
      await clock.sleep(1);
      assert.equal(
        breaker.state,
        "half-open",
        `re-opened at t=1500: half-open at t=2500; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker admits exactly halfOpenMaxCalls trial calls at once",
    withClock(async (clock) => {
      const breaker = new CircuitBreaker({
        failureThreshold: 1,
        resetTimeoutMs: 1000,
        halfOpenMaxCalls: 2,
      });
      await failTimes(breaker, 1);
      await clock.sleep(1000);
      const first = slowCall(breaker);
      const second = slowCall(breaker);
      let thirdCalled = false;
      await rejectsWith(
        breaker.call(() => Promise.resolve(thirdCalled = true)),
        { name: "CircuitOpenError" },
        "a third call while 2 trials (halfOpenMaxCalls 2) run",
      );
      assert.ok(first.called && second.called, "the first 2 calls in half-open run fn as trials");
      assert.equal(thirdCalled, false, "the third call must not reach fn");
      first.gate.resolve("a");
      second.gate.resolve("b");
      await Promise.all([first.result, second.result]);
      assert.equal(
        breaker.state,
        "closed",
        `2 successful trials of 2 close the circuit; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker reports each state change once",
    withClock(async (clock) => {
      const changes: string[] = [];
      const breaker = new CircuitBreaker({
        failureThreshold: 2,
        resetTimeoutMs: 1000,
        onStateChange: (from: CircuitState, to: CircuitState) =>
          changes.push(`${from}->${to}@${clock.now()}`),
      });
      await failTimes(breaker, 2);
      await clock.sleep(1000);
      assert.equal(
        breaker.state,
        "half-open",
        "resetTimeoutMs after opening, state reads half-open",
      );
      assert.equal(breaker.state, "half-open", "reading state again changes nothing");
      await breaker.call(ok);
      assert.deepEqual(
        changes,
        ["closed->open@0", "open->half-open@1000", "half-open->closed@1000"],
        `each transition is reported exactly once, when it happens; yours: ${
          JSON.stringify(changes)
        }`,
      );
    }),
  );
});

describe("task 4: stale outcomes and aborts", () => {
  it(
    "CircuitBreaker does not count an aborted call as a failure",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const controller = new AbortController();
      const reason = new Error("user navigated away");
      const call = breaker.call(untilAborted, { signal: controller.signal });
      controller.abort(reason);
      await rejectsWith(call, { is: reason }, "call() whose signal aborted");
      assert.equal(
        breaker.state,
        "closed",
        `an aborted call says nothing about the service; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker does not count an AbortError from fn as a failure",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const cancelled = new DOMException("cancelled", "AbortError");
      await rejectsWith(
        breaker.call(() => Promise.reject(cancelled)),
        { is: cancelled },
        "call() of an fn rejecting with an AbortError",
      );
      assert.equal(
        breaker.state,
        "closed",
        `fn was cancelled, not failed: still closed; yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker counts a TimeoutError from fn as a failure",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const slow = new DOMException("the service took too long", "TimeoutError");
      await rejectsWith(
        breaker.call(() => Promise.reject(slow)),
        { is: slow },
        "call() of an fn rejecting with a TimeoutError",
      );
      assert.equal(
        breaker.state,
        "open",
        `fn's own deadline expired: the service was too slow, a failure (like asyncio.timeout inside the call); yours is ${breaker.state}`,
      );
    }),
  );

  it(
    "CircuitBreaker.call() with an already aborted signal rejects without calling fn",
    withClock(async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
      const reason = new Error("already cancelled");
      let calls = 0;
      await rejectsWith(
        () => breaker.call(() => Promise.resolve(calls++), { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "call() with a pre-aborted signal",
      );
      assert.equal(
        calls,
        0,
        `fn must not run when the signal is already aborted; yours called it ${calls} times`,
      );
    }),
  );

  it(
    "CircuitBreaker ignores a stale success from before it re-opened",
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
      await clock.sleep(1000);
      assert.equal(
        breaker.state,
        "half-open",
        `re-opened at t=1000: half-open again at t=2000; yours is ${breaker.state}`,
      );
      slow.gate.resolve("late");
      const late = await slow.result;
      assert.equal(
        late,
        "late",
        `the slow trial still returns its value to its caller; yours gave ${late}`,
      );
      await breaker.call(ok);
      assert.equal(
        breaker.state,
        "half-open",
        `the slow trial started before the circuit re-opened: its success is stale, so only 1 of the 2 new trials has succeeded; yours is ${breaker.state}`,
      );
    }),
  );
});
