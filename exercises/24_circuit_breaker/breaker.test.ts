// Visible tests for the circuit breaker. Run: `bun test exercises/24_circuit_breaker` or
// `deno test exercises/24_circuit_breaker`. Time is virtual: clock.sleep(1000) takes no real time,
// and Date.now() moves with it (from 2030-01-01, not from 0).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { CircuitBreaker, CircuitOpenError, type CircuitState } from "./breaker.ts";

const boom = () => Promise.reject(new Error("service unavailable"));
const ok = () => Promise.resolve("ok");

describe("CircuitBreaker", () => {
  it("CircuitBreaker.call() passes results and errors through while closed", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
    assert.equal(await breaker.call(async () => 42), 42, "call() should resolve with fn's value");
    const error = new Error("service unavailable");
    await rejectsWith(breaker.call(() => Promise.reject(error)), { is: error }, "call() of a failing fn");
    assert.equal(breaker.state, "closed", "one failure of 3 allowed should leave the circuit closed");
  }));

  it("CircuitBreaker opens after failureThreshold consecutive failures", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 });
    for (let i = 0; i < 3; i++) await breaker.call(boom).catch(() => {});
    assert.equal(breaker.state, "open", "3 failures in a row with failureThreshold 3 should open the circuit");
  }));

  it("CircuitBreaker.call() rejects at once without calling fn while open", withClock(async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    await breaker.call(boom).catch(() => {});
    let calls = 0;
    await rejectsWith(
      breaker.call(async () => void calls++),
      { instanceOf: CircuitOpenError, name: "CircuitOpenError" },
      "call() while the circuit is open",
    );
    assert.equal(calls, 0, "an open circuit must not call fn at all: that is the point of failing fast");
  }));

  it("CircuitBreaker turns half-open exactly resetTimeoutMs after opening", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    await clock.sleep(300);
    await breaker.call(boom).catch(() => {});
    await clock.sleep(999);
    assert.equal(breaker.state, "open", `opened at t=300 with resetTimeoutMs 1000: still open at t=${clock.now()}`);
    await clock.sleep(1);
    assert.equal(breaker.state, "half-open", `opened at t=300 with resetTimeoutMs 1000: half-open at t=${clock.now()}`);
  }));

  it("CircuitBreaker closes after a successful trial call", withClock(async (clock) => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 });
    await breaker.call(boom).catch(() => {});
    await clock.sleep(1000);
    assert.equal(await breaker.call(ok), "ok", "the trial call should go through and return fn's value");
    assert.equal(breaker.state, "closed", "a successful trial call should close the circuit");
  }));

  it("CircuitBreaker reports each state change once", withClock(async (clock) => {
    const changes: string[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 2,
      resetTimeoutMs: 1000,
      onStateChange: (from: CircuitState, to: CircuitState) => changes.push(`${from}->${to}@${clock.now()}`),
    });
    await breaker.call(boom).catch(() => {});
    await breaker.call(boom).catch(() => {});
    await clock.sleep(1000);
    assert.equal(breaker.state, "half-open", "resetTimeoutMs after opening, state reads half-open");
    assert.equal(breaker.state, "half-open", "reading state again changes nothing");
    await breaker.call(ok);
    assert.deepEqual(changes, ["closed->open@0", "open->half-open@1000", "half-open->closed@1000"],
      "each transition should be reported exactly once, when it happens");
  }));

  it("CircuitBreaker rejects a failureThreshold of 0 with RangeError", withClock(() => {
    throwsWith(() => new CircuitBreaker({ failureThreshold: 0, resetTimeoutMs: 1000 }), { name: "RangeError" },
      "new CircuitBreaker({ failureThreshold: 0 })");
  }));
});
