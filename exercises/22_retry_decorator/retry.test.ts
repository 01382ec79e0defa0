/**
 * Visible tests of 22_retry_decorator. Run them with `bun test exercises/22_retry_decorator` or
 * `deno test exercises/22_retry_decorator`. Time is virtual: a 700 ms backoff takes no real time,
 * and `clock.now()` says exactly when each attempt ran.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import {
  backoffDelay,
  resolveOptions,
  retry,
  retryable,
  RetryError,
  type RetryInfo,
  sleep,
  withRetry,
} from "./retry.ts";

/** A function that fails `failures` times, then resolves with `value`; it notes when it ran. */
function flaky<T>(failures: number, value: T, clock: { now(): number }) {
  const calls: number[] = [];
  const errors: Error[] = [];
  const fn = () => {
    calls.push(clock.now());
    if (calls.length <= failures) {
      const error = new Error(`failure #${calls.length}`);
      errors.push(error);
      return Promise.reject(error);
    }
    return Promise.resolve(value);
  };
  return { fn, calls, errors };
}

describe("task 1: resolveOptions()", () => {
  it("resolveOptions() fills in maxAttempts 3, baseDelay 100, factor 2, maxDelay Infinity and jitter none", () => {
    const o = resolveOptions({});
    assert.deepEqual(
      [o.maxAttempts, o.baseDelay, o.factor, o.maxDelay, o.jitter],
      [3, 100, 2, Infinity, "none"],
      `the defaults [maxAttempts, baseDelay, factor, maxDelay, jitter] should be [3, 100, 2, Infinity, "none"]; yours are [${
        [o.maxAttempts, o.baseDelay, o.factor, o.maxDelay, o.jitter].join(", ")
      }]`,
    );
  });

  it("resolveOptions() keeps 0 as baseDelay and maxDelay and 1 as factor", () => {
    const o = resolveOptions({ baseDelay: 0, maxDelay: 0, factor: 1 });
    assert.deepEqual(
      [o.baseDelay, o.maxDelay, o.factor],
      [0, 0, 1],
      `0 and 1 are valid values, not "missing" ones (use ??, not ||): [baseDelay, maxDelay, factor] should be [0, 0, 1]; yours are [${
        [o.baseDelay, o.maxDelay, o.factor].join(", ")
      }]`,
    );
  });

  it("resolveOptions() throws a RangeError naming maxAttempts for 0 and 2.5", () => {
    throwsWith(
      () => resolveOptions({ maxAttempts: 0 }),
      { name: "RangeError", message: "maxAttempts" },
      "resolveOptions({ maxAttempts: 0 })",
    );
    throwsWith(
      () => resolveOptions({ maxAttempts: 2.5 }),
      { name: "RangeError", message: "maxAttempts" },
      "resolveOptions({ maxAttempts: 2.5 }) (attempts are whole calls)",
    );
  });

  it("resolveOptions() throws a RangeError for a negative or NaN baseDelay", () => {
    throwsWith(
      () => resolveOptions({ baseDelay: -1 }),
      { name: "RangeError", message: "baseDelay" },
      "resolveOptions({ baseDelay: -1 })",
    );
    throwsWith(
      () => resolveOptions({ baseDelay: NaN }),
      { name: "RangeError", message: "baseDelay" },
      "resolveOptions({ baseDelay: NaN }) (NaN < 0 is false: a `< 0` check lets it through)",
    );
  });
  it("resolveOptions() accepts maxAttempts Infinity and refuses an infinite baseDelay", () => {
    const o = resolveOptions({ maxAttempts: Infinity });
    assert.equal(
      o.maxAttempts,
      Infinity,
      `Infinity means "until success or abort"; yours gave ${o.maxAttempts}`,
    );
    throwsWith(
      () => resolveOptions({ baseDelay: Infinity }),
      { name: "RangeError", message: "baseDelay" },
      "resolveOptions({ baseDelay: Infinity }) (setTimeout would fire an infinite delay at once)",
    );
  });
});

describe("task 2: backoffDelay()", () => {
  it("backoffDelay() starts at baseDelay, multiplies by factor and stops at maxDelay", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 2, maxDelay: 500 });
    const delays = [1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, o));
    assert.deepEqual(
      delays,
      [100, 200, 400, 500, 500],
      `the delays after attempts 1..5 fail should be [100, 200, 400, 500, 500]; yours are [${delays}]`,
    );
  });

  it("backoffDelay() with full jitter gives floor(random() * d)", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 2, jitter: "full", random: () => 0.25 });
    const delays = [1, 2, 3].map((attempt) => backoffDelay(attempt, o));
    assert.deepEqual(
      delays,
      [25, 50, 100],
      `with random() = 0.25, full jitter turns 100, 200, 400 into [25, 50, 100]; yours gave [${delays}]`,
    );
  });
  it("backoffDelay() with equal jitter keeps half of d and randomizes the other half", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 2, jitter: "equal", random: () => 0.5 });
    const delays = [1, 2, 3].map((attempt) => backoffDelay(attempt, o));
    assert.deepEqual(
      delays,
      [75, 150, 300],
      `with random() = 0.5, equal jitter gives floor(d/2 + 0.5 * d/2) = [75, 150, 300]; yours gave [${delays}]`,
    );
  });
});

describe("task 3: sleep()", () => {
  it(
    "sleep() waits in virtual time and an abort rejects it at once with the reason",
    withClock(async (clock) => {
      await sleep(250);
      assert.equal(
        clock.now(),
        250,
        `sleep(250) should resolve at t=250 ms; yours at t=${clock.now()}`,
      );
      const controller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => controller.abort(reason), 40);
      await rejectsWith(
        sleep(1000, { signal: controller.signal }),
        { is: reason },
        "sleep(1000, { signal }) aborted 40 ms in",
      );
      assert.equal(
        clock.now(),
        290,
        `the abort at t=290 ms should end the sleep right then; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "sleep() with an already aborted signal rejects without waiting",
    withClock(async (clock) => {
      const reason = new Error("already cancelled");
      await rejectsWith(
        sleep(100, { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "sleep(100, { signal: AbortSignal.abort(reason) })",
      );
      assert.equal(
        clock.now(),
        0,
        `a sleep on an aborted signal must not wait; yours ended at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 4: retry()", () => {
  it(
    "retry() returns the first success and calls fn no more",
    withClock(async (clock) => {
      const { fn, calls } = flaky(2, "ok", clock);
      const value = await retry(fn, { maxAttempts: 5, baseDelay: 100 });
      assert.equal(
        value,
        "ok",
        `retry() should resolve with "ok", the first success; yours resolved with ${value}`,
      );
      assert.equal(
        calls.length,
        3,
        `two failures then a success: fn should run 3 times; yours ran it ${calls.length} times`,
      );
    }),
  );

  it(
    "retry() calls fn at t=0, 100, 300 and 700 ms with baseDelay 100 and factor 2",
    withClock(async (clock) => {
      const { fn, calls } = flaky(3, "ok", clock);
      await retry(fn, { maxAttempts: 4, baseDelay: 100, factor: 2 });
      assert.deepEqual(
        calls,
        [0, 100, 300, 700],
        `after sleeps of 100, 200 and 400 ms the attempts run at t=[0, 100, 300, 700]; yours at t=[${calls}]`,
      );
    }),
  );

  it(
    "retry() gives up after maxAttempts with a RetryError whose cause is the last error",
    withClock(async (clock) => {
      const { fn, calls, errors } = flaky(Infinity, "never", clock);
      const error = await rejectsWith(
        retry(fn, { maxAttempts: 3, baseDelay: 100 }),
        { instanceOf: RetryError, name: "RetryError" },
        "retry(fn, { maxAttempts: 3 }) where fn always fails",
      ) as RetryError;
      assert.equal(
        error.attempts,
        3,
        `RetryError.attempts should be 3; yours is ${error.attempts}`,
      );
      assert.equal(
        error.cause,
        errors[2],
        `cause should be the third error itself; yours is ${String(error.cause)}`,
      );
      assert.deepEqual(
        calls,
        [0, 100, 300],
        `3 attempts at t=[0, 100, 300]; yours at t=[${calls}]`,
      );
      assert.equal(
        clock.now(),
        300,
        `no sleep after the last attempt: give up at t=300; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "retry() stops when its signal aborts during a backoff sleep and rejects with the reason",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("user pressed stop");
      const { fn, calls } = flaky(Infinity, "never", clock);
      setTimeout(() => controller.abort(reason), 150);
      await rejectsWith(
        retry(fn, { maxAttempts: 10, baseDelay: 100, signal: controller.signal }),
        { is: reason },
        "retry(fn, { signal }) aborted at t=150 ms",
      );
      assert.equal(
        clock.now(),
        150,
        `the abort should interrupt the 200 ms backoff at once (t=150); yours ended at t=${clock.now()}`,
      );
      assert.deepEqual(
        calls,
        [0, 100],
        `no attempt may start after the abort; yours ran at t=[${calls}]`,
      );
    }),
  );

  it(
    "retry() rethrows an error isRetriable refuses, unchanged and at once",
    withClock(async (clock) => {
      const fatal = new TypeError("bad request");
      let calls = 0;
      await rejectsWith(
        retry(() => {
          calls++;
          return Promise.reject(fatal);
        }, { maxAttempts: 5, isRetriable: (e) => !(e instanceof TypeError) }),
        { is: fatal },
        "retry(fn, { isRetriable }) with an error isRetriable refuses",
      );
      assert.equal(calls, 1, `a non-retriable error must not be retried; fn ran ${calls} times`);
      assert.equal(
        clock.now(),
        0,
        `and rethrown without a sleep; yours rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "retry() passes the attempt number, starting at 1, to fn",
    withClock(async () => {
      const seen: number[] = [];
      await retry((attempt) => {
        seen.push(attempt);
        return attempt < 3 ? Promise.reject(new Error("not yet")) : Promise.resolve(attempt);
      }, { maxAttempts: 3, baseDelay: 1 });
      assert.deepEqual(seen, [1, 2, 3], `fn should receive 1, 2, 3; yours received [${seen}]`);
    }),
  );

  it(
    "retry() calls onRetry before each backoff sleep with the attempt, the error and the delay",
    withClock(async (clock) => {
      const { fn, errors } = flaky(2, "ok", clock);
      const seen: (RetryInfo & { at: number })[] = [];
      await retry(fn, {
        baseDelay: 100,
        onRetry: (info) => seen.push({ ...info, at: clock.now() }),
      });
      assert.deepEqual(
        seen,
        [
          { attempt: 1, error: errors[0], delay: 100, at: 0 },
          { attempt: 2, error: errors[1], delay: 200, at: 100 },
        ],
        `onRetry runs right after each failure, before sleeping; yours saw ${
          JSON.stringify(seen.map(({ attempt, delay, at }) => ({ attempt, delay, at })))
        }`,
      );
    }),
  );

  it(
    "retry() never retries an AbortError thrown by fn",
    withClock(async (clock) => {
      let calls = 0;
      const cancelled = new DOMException("fetch was cancelled", "AbortError");
      await rejectsWith(
        retry(() => {
          calls++;
          return Promise.reject(cancelled);
        }, { maxAttempts: 5 }),
        { is: cancelled },
        "retry(fn) where fn rejects with an AbortError",
      );
      assert.equal(calls, 1, `a cancellation must never be retried; fn ran ${calls} times`);
      assert.equal(
        clock.now(),
        0,
        `and it is rethrown without a sleep; yours rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "retry() treats a synchronous throw from fn as a failed attempt",
    withClock(async (clock) => {
      let calls = 0;
      const value = await retry(() => {
        calls++;
        if (calls === 1) throw new Error("sync failure");
        return Promise.resolve("ok");
      }, { baseDelay: 100 });
      assert.equal(
        value,
        "ok",
        `the throw is retried and the second call resolves with "ok"; yours gave ${value}`,
      );
      assert.equal(calls, 2, `fn should run twice; yours ran it ${calls} times`);
      assert.equal(
        clock.now(),
        100,
        `one 100 ms backoff after the throw; yours finished at t=${clock.now()}`,
      );
    }),
  );
  it(
    "retry() with an already aborted signal never calls fn",
    withClock(async () => {
      let calls = 0;
      const reason = new Error("cancelled before start");
      await rejectsWith(
        retry(() => calls++, { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "retry(fn, { signal: AbortSignal.abort(reason) })",
      );
      assert.equal(
        calls,
        0,
        `fn must not run when the signal is already aborted; it ran ${calls} times`,
      );
    }),
  );
});

describe("task 5: retryable()", () => {
  it(
    "retryable() wraps a function once and every call retries with its own arguments",
    withClock(async (clock) => {
      let failNext = true;
      const double = retryable((n: number) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error("busy"));
        }
        return Promise.resolve(n * 2);
      }, { baseDelay: 100 });
      const first = await double(21);
      assert.equal(first, 42, `double(21) fails once, then resolves with 42; yours gave ${first}`);
      assert.equal(
        clock.now(),
        100,
        `one failure: success after one 100 ms backoff; yours at t=${clock.now()}`,
      );
      const second = await double(5);
      assert.equal(
        second,
        10,
        `a second call of the same wrapper gets its own argument (5 -> 10); yours gave ${second}`,
      );
    }),
  );

  it(
    "retryable() keeps this when the wrapper is called as a method",
    withClock(async () => {
      const counter = {
        count: 10,
        bump: retryable(function (this: { count: number }, by: number) {
          this.count += by;
          return this.count < 12 ? Promise.reject(new Error("again")) : Promise.resolve(this.count);
        }, { baseDelay: 5 }),
      };
      const result = await counter.bump(1);
      assert.equal(
        result,
        12,
        `fn must see the caller's this (count 10, +1 twice = 12); yours gave ${result}`,
      );
    }),
  );

  it("retryable() throws a RangeError for invalid options when wrapping, not at the first call", () => {
    throwsWith(
      () => retryable(() => Promise.resolve(1), { maxAttempts: 0 }),
      { name: "RangeError", message: "maxAttempts" },
      "retryable(fn, { maxAttempts: 0 })",
    );
  });

  it("retryable() returns a function named like fn", () => {
    async function fetchUser(id: number) {
      return await Promise.resolve({ id });
    }
    const wrapped = retryable(fetchUser);
    assert.equal(
      wrapped.name,
      "fetchUser",
      `like functools.wraps, the wrapper keeps the name "fetchUser"; yours is named "${wrapped.name}"`,
    );
  });
});

describe("task 6: @withRetry()", () => {
  it(
    "@withRetry() retries a decorated method and keeps this and the arguments",
    withClock(async (clock) => {
      class Client {
        attempts = 0;
        constructor(readonly host: string) {}

        @withRetry({ maxAttempts: 3, baseDelay: 50 })
        get(path: string): Promise<string> {
          this.attempts++;
          if (this.attempts < 3) return Promise.reject(new Error("503 Service Unavailable"));
          return Promise.resolve(this.host + path);
        }
      }
      const client = new Client("https://api.test");
      const text = await client.get("/users");
      assert.equal(
        text,
        "https://api.test/users",
        `the method should see this.host and its argument; yours gave ${text}`,
      );
      assert.equal(
        client.attempts,
        3,
        `two failures then a success: 3 runs; yours ran ${client.attempts}`,
      );
      assert.equal(
        clock.now(),
        150,
        `backoffs of 50 and 100 ms: success at t=150; yours at t=${clock.now()}`,
      );
    }),
  );

  it("@withRetry() throws a RangeError for invalid options where the class is defined", () => {
    throwsWith(
      () => withRetry({ factor: 0.5 }),
      { name: "RangeError", message: "factor" },
      "withRetry({ factor: 0.5 })",
    );
  });

  it(
    "@withRetry() works on a static method, with the class as this",
    withClock(async () => {
      class Config {
        static loads = 0;
        @withRetry({ maxAttempts: 2, baseDelay: 5 })
        static load(): Promise<string> {
          this.loads++;
          if (this.loads === 1) return Promise.reject(new Error("file busy"));
          return Promise.resolve("loaded " + this.loads);
        }
      }
      const text = await Config.load();
      assert.equal(text, "loaded 2", `this is the class for a static method; yours gave ${text}`);
    }),
  );

  it("@withRetry() keeps the method's name", () => {
    class Repo {
      @withRetry()
      findUser(): Promise<string> {
        return Promise.resolve("ada");
      }
    }
    const name = Repo.prototype.findUser.name;
    assert.equal(
      name,
      "findUser",
      `the decorated method should still be named "findUser"; yours is "${name}"`,
    );
  });
});
