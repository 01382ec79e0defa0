/**
 * Visible tests of 22_retry_decorator. Run them with `bun test exercises/22_retry_decorator` or
 * `deno test exercises/22_retry_decorator`. Time is virtual: a 700 ms backoff takes no real time,
 * and `clock.now()` says exactly when each attempt ran.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";
import { backoffDelay, resolveOptions, retry, RetryError, retryable, sleep, withRetry } from "./retry.ts";

/** A function that fails `failures` times, then resolves with `value`; it notes when it ran. */
function flaky<T>(failures: number, value: T, clock: { now(): number }) {
  const calls: number[] = [];
  const fn = async () => {
    calls.push(clock.now());
    if (calls.length <= failures) throw new Error(`failure #${calls.length}`);
    return value;
  };
  return { fn, calls };
}

describe("backoffDelay()", () => {
  it("backoffDelay() starts at baseDelay, multiplies by factor and stops at maxDelay", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 2, maxDelay: 500 });
    const delays = [1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, o));
    assert.deepEqual(delays, [100, 200, 400, 500, 500], "the delays after attempts 1..5 fail");
  });
});

describe("sleep()", () => {
  it("sleep() waits in virtual time and an abort rejects it at once with the reason", withClock(async (clock) => {
    await sleep(250);
    assert.equal(clock.now(), 250, "sleep(250) should resolve at t=250 ms");
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("shutting down")), 40);
    await rejectsWith(sleep(1000, { signal: controller.signal }), { message: "shutting down" }, "sleep(1000, { signal })");
    assert.equal(clock.now(), 290, "the abort at t=290 ms should end the sleep right then");
  }));
});

describe("retry()", () => {
  it("retry() returns the first success and calls fn no more", withClock(async (clock) => {
    const { fn, calls } = flaky(2, "ok", clock);
    const value = await retry(fn, { maxAttempts: 5, baseDelay: 100 });
    assert.equal(value, "ok", "retry() should resolve with what the first successful call returned");
    assert.equal(calls.length, 3, "two failures then a success: fn should run 3 times");
  }));

  it("retry() calls fn at t=0, 100, 300 and 700 ms with baseDelay 100 and factor 2", withClock(async (clock) => {
    const { fn, calls } = flaky(3, "ok", clock);
    await retry(fn, { maxAttempts: 4, baseDelay: 100, factor: 2 });
    assert.deepEqual(calls, [0, 100, 300, 700], "the attempts should run after sleeps of 100, 200 and 400 ms");
  }));

  it("retry() gives up after maxAttempts with a RetryError whose cause is the last error", withClock(async (clock) => {
    const { fn, calls } = flaky(Infinity, "never", clock);
    const error = await rejectsWith(retry(fn, { maxAttempts: 3, baseDelay: 100 }), { name: "RetryError" }, "retry(fn, { maxAttempts: 3 })");
    assert.ok(error instanceof RetryError, "the error should be an instance of RetryError");
    assert.equal((error as RetryError).attempts, 3, "RetryError.attempts should count the calls");
    assert.equal(((error as RetryError).cause as Error).message, "failure #3", "the cause should be the last failure");
    assert.deepEqual(calls, [0, 100, 300], "3 attempts; no sleep after the last one");
    assert.equal(clock.now(), 300, "retry() should give up right after the last attempt, at t=300 ms");
  }));

  it("retry() stops when its signal aborts during a backoff sleep", withClock(async (clock) => {
    const controller = new AbortController();
    const { fn, calls } = flaky(Infinity, "never", clock);
    setTimeout(() => controller.abort(), 150);
    await rejectsWith(
      retry(fn, { maxAttempts: 10, baseDelay: 100, signal: controller.signal }),
      { name: "AbortError" },
      "retry(fn, { signal }) aborted at t=150 ms",
    );
    assert.equal(clock.now(), 150, "the abort should interrupt the 200 ms backoff sleep at once");
    assert.deepEqual(calls, [0, 100], "no attempt may start after the abort");
  }));
});

describe("retryable()", () => {
  it("retryable() wraps a function once and every call retries with its own arguments", withClock(async (clock) => {
    let failNext = true;
    const double = retryable(async (n: number) => {
      if (failNext) {
        failNext = false;
        throw new Error("busy");
      }
      return n * 2;
    }, { baseDelay: 100 });
    assert.equal(await double(21), 42, "double(21) fails once, then resolves with 42");
    assert.equal(clock.now(), 100, "one failure: the call should succeed after one 100 ms backoff");
    assert.equal(await double(5), 10, "a second call of the same wrapper gets its own argument (5)");
  }));
});

describe("@withRetry()", () => {
  it("@withRetry() retries a decorated method and keeps this and the arguments", withClock(async (clock) => {
    class Client {
      attempts = 0;
      constructor(readonly host: string) {}

      @withRetry({ maxAttempts: 3, baseDelay: 50 })
      async get(path: string): Promise<string> {
        this.attempts++;
        if (this.attempts < 3) throw new Error("503 Service Unavailable");
        return this.host + path;
      }
    }
    const client = new Client("https://api.test");
    assert.equal(await client.get("/users"), "https://api.test/users", "the method should see this.host and its argument");
    assert.equal(client.attempts, 3, "two failures then a success: the method should run 3 times");
    assert.equal(clock.now(), 150, "backoffs of 50 and 100 ms: success at t=150 ms");
  }));
});
