// Hidden tests for the circuit breaker: the grader runs them; no test runner discovers them by itself.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { CircuitBreaker, type CircuitBreakerOptions, CircuitOpenError } from "./breaker.ts";

const boom = () => Promise.reject(new Error("service unavailable"));
const ok = () => Promise.resolve("ok");

/** A breaker that records its state changes as "from->to@t". */
function recorded(options: CircuitBreakerOptions, now: () => number) {
  const changes: string[] = [];
  const breaker = new CircuitBreaker({ ...options, onStateChange: (from, to) => changes.push(`${from}->${to}@${now()}`) });
  return { breaker, changes };
}

/** A call that settles when the test says so. */
function slowCall(breaker: CircuitBreaker) {
  const gate = deferred<string>();
  let called = false;
  const result = breaker.call(() => {
    called = true;
    return gate.promise;
  });
  result.catch(() => {});
  return { gate, result, get called() { return called; } };
}

/** Fails `n` calls in a row. */
async function failTimes(breaker: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.call(boom).catch(() => {});
}

describe("CircuitBreaker (hidden)", () => {
  it("CircuitBreaker counts consecutive failures: a success resets the count", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
    await failTimes(breaker, 2);
    await breaker.call(ok);
    await failTimes(breaker, 2);
    assert.equal(breaker.state, "closed",
      "fail, fail, succeed, fail, fail is never 3 failures in a row: the circuit must stay closed (count consecutive failures, not the total)");
    await failTimes(breaker, 1);
    assert.equal(breaker.state, "open", "the third failure in a row should open it");
  }));

  it("CircuitBreaker stays closed below failureThreshold", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
    await failTimes(breaker, 2);
    assert.equal(breaker.state, "closed", "2 failures with failureThreshold 3 must not open the circuit");
  }));

  it("CircuitBreaker.call() fails fast with CircuitOpenError while open", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 5000 });
    await failTimes(breaker, 2);
    let calls = 0;
    for (let i = 0; i < 3; i++) {
      await rejectsWith(breaker.call(async () => void calls++), { instanceOf: CircuitOpenError, name: "CircuitOpenError" },
        "call() on an open circuit");
    }
    assert.equal(calls, 0, "fn must not be called while the circuit is open");
    assert.equal(clock.now(), 0, "an open circuit should reject at once, not wait");
  }));

  it("CircuitBreaker opens at the failing call and half-opens resetTimeoutMs later", withClock(async (clock) => {
    const { breaker, changes } = recorded({ failureThreshold: 3, resetTimeoutMs: 2000 }, () => clock.now());
    for (let i = 0; i < 3; i++) {
      await clock.sleep(100);
      await breaker.call(boom).catch(() => {});
    }
    await clock.sleep(1999);
    assert.equal(breaker.state, "open", "opened at t=300 with resetTimeoutMs 2000: still open at t=2299");
    await clock.sleep(1);
    assert.equal(breaker.state, "half-open", "opened at t=300 with resetTimeoutMs 2000: half-open at t=2300");
    assert.deepEqual(changes, ["closed->open@300", "open->half-open@2300"], "state changes and when they happened");
  }));

  it("CircuitBreaker.call() lets the first call after the timeout through as a trial", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    await failTimes(breaker, 1);
    await clock.sleep(1000);
    let calls = 0;
    await breaker.call(async () => void calls++);
    assert.equal(calls, 1, "at t=1000 the open period is over: call() should run fn as a trial (without anyone reading state first)");
  }));

  it("CircuitBreaker admits exactly halfOpenMaxCalls trial calls", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000, halfOpenMaxCalls: 2 });
    await failTimes(breaker, 1);
    await clock.sleep(1000);
    const first = slowCall(breaker);
    const second = slowCall(breaker);
    let thirdCalled = false;
    await rejectsWith(breaker.call(async () => void (thirdCalled = true)), { name: "CircuitOpenError" },
      "a third call while 2 trials (halfOpenMaxCalls 2) are running");
    assert.ok(first.called && second.called, "the first 2 calls in half-open should run fn as trials");
    assert.equal(thirdCalled, false, "the third call must not reach fn: only halfOpenMaxCalls trials are allowed");
    first.gate.resolve("a");
    second.gate.resolve("b");
    await Promise.all([first.result, second.result]);
    assert.equal(breaker.state, "closed", "2 successful trials of 2 should close the circuit");
  }));

  it("CircuitBreaker stays half-open until halfOpenMaxCalls trials have succeeded", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000, halfOpenMaxCalls: 2 });
    await failTimes(breaker, 1);
    await clock.sleep(1000);
    await breaker.call(ok);
    assert.equal(breaker.state, "half-open", "1 successful trial of halfOpenMaxCalls 2 should not close the circuit yet");
    await breaker.call(ok);
    assert.equal(breaker.state, "closed", "the 2nd successful trial should close it");
  }));

  it("CircuitBreaker re-opens on a failed trial with a fresh timeout", withClock(async (clock) => {
    const { breaker, changes } = recorded({ failureThreshold: 1, resetTimeoutMs: 1000 }, () => clock.now());
    await failTimes(breaker, 1);
    await clock.sleep(1000);
    await clock.sleep(100);
    await breaker.call(boom).catch(() => {});
    assert.equal(breaker.state, "open", "a failed trial call should re-open the circuit");
    await clock.sleep(999);
    assert.equal(breaker.state, "open", "re-opened at t=1100: still open at t=2099 (the timeout starts again)");
    await clock.sleep(1);
    assert.equal(breaker.state, "half-open", "re-opened at t=1100: half-open at t=2100");
    assert.deepEqual(changes, ["closed->open@0", "open->half-open@1100", "half-open->open@1100", "open->half-open@2100"],
      "state changes and when they happened");
  }));

  it("CircuitBreaker re-opens at once when one of several trials fails", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000, halfOpenMaxCalls: 3 });
    await failTimes(breaker, 1);
    await clock.sleep(1000);
    await breaker.call(ok);
    await breaker.call(boom).catch(() => {});
    assert.equal(breaker.state, "open", "a failed trial re-opens the circuit even after another trial succeeded");
  }));

  it("CircuitBreaker ignores a stale success from before it re-opened", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000, halfOpenMaxCalls: 2 });
    await failTimes(breaker, 1);
    await clock.sleep(1000);
    const slow = slowCall(breaker); // trial 1, still running
    await breaker.call(boom).catch(() => {}); // trial 2 fails: re-open at t=1000
    assert.equal(breaker.state, "open", "a failed trial should re-open the circuit");
    await clock.sleep(1100);
    assert.equal(breaker.state, "half-open", "re-opened at t=1000: half-open again at t=2100");
    slow.gate.resolve("late");
    assert.equal(await slow.result, "late", "the slow trial still returns its value to its caller");
    await breaker.call(ok);
    assert.equal(breaker.state, "half-open",
      "the trial that started before the circuit re-opened (it succeeded at t=2100) is stale: only 1 of the 2 new trials has succeeded, so the circuit must stay half-open");
    await breaker.call(ok);
    assert.equal(breaker.state, "closed", "the 2nd successful new trial closes it");
  }));

  it("CircuitBreaker ignores a success that started while closed once it is half-open", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
    const slow = slowCall(breaker); // started while closed
    await failTimes(breaker, 2); // opens at t=0
    await clock.sleep(1500);
    assert.equal(breaker.state, "half-open", "opened at t=0 with resetTimeoutMs 1000: half-open at t=1500");
    slow.gate.resolve("late");
    await slow.result;
    assert.equal(breaker.state, "half-open",
      "a call that started while closed and succeeds during half-open is not a trial: the circuit must stay half-open");
    let calls = 0;
    await breaker.call(async () => void calls++);
    assert.equal(calls, 1, "the trial slot must still be free for a real trial call");
    assert.equal(breaker.state, "closed", "the real trial's success closes the circuit");
  }));

  it("CircuitBreaker ignores a stale failure that lands after it opened", withClock(async (clock) => {
    const { breaker, changes } = recorded({ failureThreshold: 1, resetTimeoutMs: 1000 }, () => clock.now());
    const slow = slowCall(breaker); // started while closed
    await failTimes(breaker, 1); // opens at t=0
    await clock.sleep(500);
    slow.gate.reject(new Error("late failure"));
    await slow.result.catch(() => {});
    await clock.sleep(500);
    assert.equal(breaker.state, "half-open",
      "a failure from a call started before the circuit opened must not restart the open timeout: half-open at t=1000");
    assert.deepEqual(changes, ["closed->open@0", "open->half-open@1000"], "the circuit opened once");
  }));

  it("CircuitBreaker does not count an aborted call as a failure", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    const controller = new AbortController();
    const reason = new Error("user navigated away");
    const call = breaker.call((signal) =>
      new Promise((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason), { once: true }))
    , { signal: controller.signal });
    controller.abort(reason);
    await rejectsWith(call, { is: reason }, "call() whose signal aborted");
    assert.equal(breaker.state, "closed", "an aborted call says nothing about the service: it is not a failure");
  }));

  it("CircuitBreaker does not count an AbortError from fn as a failure", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    await breaker.call(() => Promise.reject(new DOMException("cancelled", "AbortError"))).catch(() => {});
    assert.equal(breaker.state, "closed", "fn rejecting with an AbortError was cancelled, not failed");
  }));

  it("CircuitBreaker.call() passes its signal to fn", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    await breaker.call(async (signal) => void (seen = signal), { signal: controller.signal });
    assert.equal(seen, controller.signal, "fn should receive the signal passed to call()");
  }));

  it("CircuitBreaker.call() with an already-aborted signal rejects without calling fn", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    const reason = new Error("already cancelled");
    let calls = 0;
    await rejectsWith(() => breaker.call(async () => void calls++, { signal: AbortSignal.abort(reason) }), { is: reason },
      "call() with a pre-aborted signal");
    assert.equal(calls, 0, "fn must not run when the signal is already aborted");
    assert.equal(breaker.state, "closed", "a pre-aborted call is not a failure");
  }));

  it("CircuitBreaker gives an aborted trial's slot back", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    await failTimes(breaker, 1);
    await clock.sleep(1000);
    const controller = new AbortController();
    const trial = breaker.call((signal) =>
      new Promise((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason), { once: true }))
    , { signal: controller.signal });
    controller.abort();
    await rejectsWith(trial, { name: "AbortError" }, "the aborted trial call");
    assert.equal(breaker.state, "half-open", "an aborted trial neither closes nor re-opens the circuit");
    assert.equal(await breaker.call(ok), "ok", "the aborted trial's slot should be free for the next trial");
    assert.equal(breaker.state, "closed");
  }));

  it("CircuitBreaker counts a synchronous throw in fn as a failure", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    const error = new TypeError("bad request");
    await rejectsWith(() => breaker.call(() => { throw error; }), { is: error }, "call() of a throwing fn");
    assert.equal(breaker.state, "open", "a synchronous throw is a failure too");
  }));

  it("CircuitBreaker reports each state change once through a full cycle", withClock(async (clock) => {
    const { breaker, changes } = recorded({ failureThreshold: 2, resetTimeoutMs: 500 }, () => clock.now());
    await Promise.all([breaker.call(boom), breaker.call(boom), breaker.call(boom)].map((p) => p.catch(() => {})));
    await clock.sleep(500);
    for (let i = 0; i < 3; i++) assert.equal(breaker.state, "half-open");
    await breaker.call(ok);
    await breaker.call(ok);
    assert.deepEqual(changes, ["closed->open@0", "open->half-open@500", "half-open->closed@500"],
      "3 concurrent failures (threshold 2) open the circuit once; reading state 3 times reports half-open once");
  }));

  it("CircuitBreaker keeps no timer while open", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 60_000 });
    await failTimes(breaker, 1);
    assert.equal(clock.pending().length, 0,
      "the open timeout is a deadline to compare Date.now() against, not a timer that outlives the breaker");
  }));

  it("CircuitBreaker rejects invalid options with RangeError", withClock(() => {
    throwsWith(() => new CircuitBreaker({ failureThreshold: 0, resetTimeoutMs: 1000 }), { name: "RangeError" }, "failureThreshold 0");
    throwsWith(() => new CircuitBreaker({ failureThreshold: 1.5, resetTimeoutMs: 1000 }), { name: "RangeError" }, "failureThreshold 1.5");
    throwsWith(() => new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: -1 }), { name: "RangeError" }, "resetTimeoutMs -1");
    throwsWith(() => new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000, halfOpenMaxCalls: 0 }), { name: "RangeError" },
      "halfOpenMaxCalls 0");
  }));
});
