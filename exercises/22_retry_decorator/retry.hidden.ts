/**
 * Hidden tests of 22_retry_decorator: every behaviour the exercise pins, in virtual time.
 * The grader runs them; no runner discovers `*.hidden.ts` by itself.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, seededRandom, throwsWith, withClock } from "../../lib/mod.ts";
import {
  backoffDelay,
  resolveOptions,
  retry,
  RetryError,
  type RetryInfo,
  retryable,
  sleep,
  withRetry,
} from "./retry.ts";

/** A function that fails `failures` times, then resolves with `value`; it notes when it ran. */
function flaky<T>(failures: number, value: T, clock: { now(): number }) {
  const calls: number[] = [];
  const errors: Error[] = [];
  const fn = async () => {
    calls.push(clock.now());
    if (calls.length <= failures) {
      const error = new Error(`failure #${calls.length}`);
      errors.push(error);
      throw error;
    }
    return value;
  };
  return { fn, calls, errors };
}

/**
 * A signal that counts its live abort listeners, to catch listeners left behind on a signal that
 * has not aborted (once it aborts, listeners no longer matter).
 */
function countingSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: AddEventListenerOptions | boolean) => {
    if (type === "abort") live.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: EventListenerOptions | boolean) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;
  return { controller, signal, live };
}

describe("resolveOptions()", () => {
  it("resolveOptions() fills in maxAttempts 3, baseDelay 100, factor 2, no cap and no jitter", () => {
    const o = resolveOptions({});
    assert.equal(o.maxAttempts, 3, "default maxAttempts");
    assert.equal(o.baseDelay, 100, "default baseDelay");
    assert.equal(o.factor, 2, "default factor");
    assert.equal(o.maxDelay, Infinity, "default maxDelay");
    assert.equal(o.jitter, "none", "default jitter");
    assert.equal(typeof o.isRetriable, "function", "isRetriable should default to a function");
    assert.equal(typeof o.onRetry, "function", "onRetry should default to a function");
    assert.equal(typeof o.random, "function", "random should default to a function");
  });

  it("resolveOptions() keeps the options it is given", () => {
    const random = () => 0.5;
    const o = resolveOptions({ maxAttempts: 7, baseDelay: 0, factor: 1, maxDelay: 0, jitter: "equal", random });
    assert.deepEqual(
      [o.maxAttempts, o.baseDelay, o.factor, o.maxDelay, o.jitter, o.random],
      [7, 0, 1, 0, "equal", random],
      "[maxAttempts, baseDelay, factor, maxDelay, jitter, random] must be the ones given: 0 and 1 are valid values, and an injected random must be kept",
    );
  });

  it("resolveOptions() throws RangeError for maxAttempts below 1 or not an integer", () => {
    throwsWith(() => resolveOptions({ maxAttempts: 0 }), { name: "RangeError" }, "resolveOptions({ maxAttempts: 0 })");
    throwsWith(() => resolveOptions({ maxAttempts: -2 }), { name: "RangeError" }, "resolveOptions({ maxAttempts: -2 })");
    throwsWith(() => resolveOptions({ maxAttempts: 2.5 }), { name: "RangeError" }, "resolveOptions({ maxAttempts: 2.5 })");
    throwsWith(() => resolveOptions({ maxAttempts: NaN }), { name: "RangeError" }, "resolveOptions({ maxAttempts: NaN })");
  });

  it("resolveOptions() throws RangeError for a negative or NaN baseDelay or maxDelay", () => {
    throwsWith(() => resolveOptions({ baseDelay: -1 }), { name: "RangeError" }, "resolveOptions({ baseDelay: -1 })");
    throwsWith(() => resolveOptions({ baseDelay: NaN }), { name: "RangeError" }, "resolveOptions({ baseDelay: NaN })");
    throwsWith(() => resolveOptions({ maxDelay: -5 }), { name: "RangeError" }, "resolveOptions({ maxDelay: -5 })");
    throwsWith(() => resolveOptions({ maxDelay: NaN }), { name: "RangeError" }, "resolveOptions({ maxDelay: NaN })");
  });

  it("resolveOptions() throws RangeError for a factor below 1", () => {
    throwsWith(() => resolveOptions({ factor: 0.5 }), { name: "RangeError" }, "resolveOptions({ factor: 0.5 })");
    throwsWith(() => resolveOptions({ factor: NaN }), { name: "RangeError" }, "resolveOptions({ factor: NaN })");
  });

  it("resolveOptions() throws RangeError for an unknown jitter", () => {
    throwsWith(
      () => resolveOptions({ jitter: "lots" as unknown as "full" }),
      { name: "RangeError" },
      'resolveOptions({ jitter: "lots" })',
    );
  });
});

describe("backoffDelay()", () => {
  it("backoffDelay() gives baseDelay * factor ** (attempt - 1) without a cap", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 3 });
    const delays = [1, 2, 3, 4].map((n) => backoffDelay(n, o));
    assert.deepEqual(delays, [100, 300, 900, 2700], "the first retry waits exactly baseDelay");
  });

  it("backoffDelay() caps every delay at maxDelay", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 2, maxDelay: 250 });
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, o));
    assert.deepEqual(delays, [100, 200, 250, 250, 250], "min(maxDelay, base * factor^k)");
  });

  it("backoffDelay() with factor 1 keeps a constant delay", () => {
    const o = resolveOptions({ baseDelay: 40, factor: 1 });
    assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, o)), [40, 40, 40], "factor 1 means a fixed delay");
  });

  it("backoffDelay() with full jitter scales the delay by random()", () => {
    const draws = [0.5, 0.25, 0.75, 0];
    const o = resolveOptions({ baseDelay: 100, factor: 2, jitter: "full", random: () => draws.shift()! });
    const delays = [1, 2, 3, 4].map((n) => backoffDelay(n, o));
    assert.deepEqual(delays, [50, 50, 300, 0], "full jitter: random() * d with the injected random source");
  });

  it("backoffDelay() with equal jitter keeps half the delay and randomizes the other half", () => {
    const draws = [0.5, 0, 0.75];
    const o = resolveOptions({ baseDelay: 100, factor: 2, jitter: "equal", random: () => draws.shift()! });
    const delays = [1, 2, 3].map((n) => backoffDelay(n, o));
    assert.deepEqual(delays, [75, 100, 350], "equal jitter: d/2 + random() * d/2");
  });

  it("backoffDelay() jitters the capped delay, not the uncapped one", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 2, maxDelay: 200, jitter: "full", random: () => 0.5 });
    assert.equal(backoffDelay(5, o), 100, "the cap (200) applies first, then jitter halves it");
  });

  it("backoffDelay() draws jitter from Math.random when no random option is given", withClock({ seed: 7 }, () => {
    // Under the clock, Math.random is seeded: the same numbers as seededRandom(7).
    const expected = seededRandom(7);
    const o = resolveOptions({ baseDelay: 1000, factor: 1, jitter: "full" });
    const delays = [1, 2, 3].map((n) => backoffDelay(n, o));
    assert.deepEqual(delays, [1, 2, 3].map(() => Math.floor(expected() * 1000)), "full jitter should use Math.random()");
  }));
});

describe("sleep()", () => {
  it("sleep() with an already aborted signal rejects at once and sets no timer", withClock(async (clock) => {
    const reason = new Error("already cancelled");
    await rejectsWith(sleep(100, { signal: AbortSignal.abort(reason) }), { is: reason }, "sleep(100, { signal: aborted })");
    assert.equal(clock.now(), 0, "a pre-aborted sleep must not wait");
    assert.equal(clock.trace.length, 0, "no timer should have fired");
  }));

  it("sleep() aborted midway clears its timer", withClock(async (clock) => {
    const controller = new AbortController();
    const signal = controller.signal;
    setTimeout(() => controller.abort("stop"), 30);
    await rejectsWith(sleep(500, { signal }), { is: "stop" }, "sleep(500, { signal }) aborted at t=30 ms");
    assert.equal(clock.now(), 30, "the sleep should end when the abort happens");
    assert.equal(clock.pending().length, 0, "the 500 ms timer must be cleared after the abort");
  }));

  it("sleep() that completes removes its abort listener", withClock(async (clock) => {
    const { signal, live } = countingSignal();
    await sleep(100, { signal });
    assert.equal(clock.now(), 100, "sleep(100) should resolve at t=100 ms");
    assert.equal(live.size, 0, "a finished sleep must remove its abort listener");
  }));
});

describe("retry() schedule", () => {
  it("retry() runs attempts at t=0, 100, 300, 700 and gives up at t=700 with no sleep after the last", withClock(async (clock) => {
    const { fn, calls } = flaky(Infinity, "never", clock);
    await rejectsWith(retry(fn, { maxAttempts: 4, baseDelay: 100, factor: 2 }), { name: "RetryError" }, "retry(fn, { maxAttempts: 4 })");
    assert.deepEqual(calls, [0, 100, 300, 700], "attempts should start at t=0, 100, 300 and 700 ms");
    assert.equal(clock.now(), 700, "retry() must not sleep after the last attempt");
    assert.deepEqual(clock.trace.map((t) => t.delay), [100, 200, 400], "exactly three backoff sleeps of 100, 200 and 400 ms");
  }));

  it("retry() honours maxDelay in the schedule", withClock(async (clock) => {
    const { fn, calls } = flaky(4, "ok", clock);
    assert.equal(await retry(fn, { maxAttempts: 5, baseDelay: 100, factor: 2, maxDelay: 250 }), "ok", "four failures then a success: retry() resolves with \"ok\"");
    assert.deepEqual(calls, [0, 100, 300, 550, 800], "sleeps of 100, 200, 250, 250 ms");
  }));

  it("retry() uses the injected random source for jitter", withClock(async (clock) => {
    const draws = [0.5, 0.5, 0.5];
    const { fn, calls } = flaky(3, "ok", clock);
    await retry(fn, { maxAttempts: 4, baseDelay: 100, jitter: "full", random: () => draws.shift()! });
    assert.deepEqual(calls, [0, 50, 150, 350], "full jitter with random() = 0.5 halves each delay");
  }));

  it("retry() with the default options makes 3 attempts at t=0, 100 and 300", withClock(async (clock) => {
    const { fn, calls } = flaky(Infinity, "never", clock);
    await rejectsWith(retry(fn), { name: "RetryError" }, "retry(fn)");
    assert.deepEqual(calls, [0, 100, 300], "defaults: maxAttempts 3, baseDelay 100, factor 2");
  }));
});

describe("retry() attempts and errors", () => {
  it("retry() calls fn exactly maxAttempts times", withClock(async (clock) => {
    const { fn, calls } = flaky(Infinity, "never", clock);
    await rejectsWith(retry(fn, { maxAttempts: 5, baseDelay: 10 }), { name: "RetryError" }, "retry(fn, { maxAttempts: 5 })");
    assert.equal(calls.length, 5, "maxAttempts: 5 means 5 calls in all, the first one included; yours made " + calls.length);
  }));

  it("retry() with maxAttempts 1 calls fn once and sets no timer", withClock(async (clock) => {
    const { fn, calls } = flaky(Infinity, "never", clock);
    const error = await rejectsWith(retry(fn, { maxAttempts: 1 }), { instanceOf: RetryError }, "retry(fn, { maxAttempts: 1 })");
    assert.equal(calls.length, 1, "one attempt means no retry");
    assert.equal((error as RetryError).attempts, 1, "RetryError.attempts");
    assert.equal(clock.trace.length, 0, "no backoff sleep after the only attempt");
  }));

  it("retry() rejects with a RetryError whose cause is the very last error", withClock(async (clock) => {
    const { fn, errors } = flaky(Infinity, "never", clock);
    const error = await rejectsWith(retry(fn, { maxAttempts: 3 }), { name: "RetryError", instanceOf: RetryError }, "retry(fn, { maxAttempts: 3 })");
    assert.equal((error as RetryError).cause, errors[2], "cause must be the third error object itself, not the first and not a copy");
    assert.equal((error as RetryError).attempts, 3, "RetryError.attempts should be 3");
    assert.match((error as Error).message, /3/, "the message should say how many attempts were made");
  }));

  it("retry() resolves with the first success at the time of that attempt", withClock(async (clock) => {
    const { fn, calls } = flaky(2, { id: 1 }, clock);
    const value = await retry(fn, { maxAttempts: 5, baseDelay: 100 });
    assert.deepEqual(value, { id: 1 }, "retry() should resolve with the successful call's value");
    assert.equal(clock.now(), 300, "success on the third attempt, at t=300 ms");
    assert.equal(calls.length, 3, "no call after the success");
  }));

  it("retry() passes the attempt number to fn", withClock(async () => {
    const seen: number[] = [];
    await retry(async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw new Error("not yet");
      return attempt;
    }, { maxAttempts: 3, baseDelay: 1 });
    assert.deepEqual(seen, [1, 2, 3], "fn receives 1, 2, 3");
  }));

  it("retry() treats a synchronous throw from fn as a failed attempt", withClock(async (clock) => {
    let calls = 0;
    const value = await retry(() => {
      calls++;
      if (calls === 1) throw new Error("sync failure");
      return Promise.resolve("ok");
    }, { baseDelay: 100 });
    assert.equal(value, "ok", "a synchronous throw is retried like a rejection; the second call resolves with \"ok\"");
    assert.equal(calls, 2, "a throw before the promise exists is still an attempt to retry");
    assert.equal(clock.now(), 100, "one 100 ms backoff after the synchronous throw");
  }));

  it("retry() rethrows a non-retriable error unchanged at once", withClock(async (clock) => {
    const fatal = new TypeError("bad request");
    let calls = 0;
    const infos: RetryInfo[] = [];
    await rejectsWith(
      retry(async () => {
        calls++;
        throw fatal;
      }, { maxAttempts: 5, isRetriable: (e) => !(e instanceof TypeError), onRetry: (i) => infos.push(i) }),
      { is: fatal },
      "retry(fn, { isRetriable }) with a non-retriable error",
    );
    assert.equal(calls, 1, "a non-retriable error must not be retried");
    assert.equal(clock.now(), 0, "and must be rethrown without a sleep");
    assert.equal(infos.length, 0, "onRetry is only for errors that will be retried");
  }));

  it("retry() asks isRetriable with the error and the attempt number", withClock(async (clock) => {
    const asked: [string, number][] = [];
    const { fn, errors } = flaky(Infinity, "never", clock);
    await rejectsWith(
      retry(fn, {
        maxAttempts: 5,
        baseDelay: 100,
        isRetriable: (e, attempt) => {
          asked.push([(e as Error).message, attempt]);
          return attempt < 2;
        },
      }),
      { message: "failure #2" },
      "retry(fn) whose second error is not retriable",
    );
    assert.deepEqual(asked, [["failure #1", 1], ["failure #2", 2]], "isRetriable(error, attempt)");
    assert.equal(errors.length, 2, "isRetriable saw two errors; the second refusal must stop the retries");
    assert.equal(clock.now(), 100, "the second error is rethrown at t=100 ms, without a further sleep");
  }));

  it("retry() calls onRetry before each backoff with the attempt, the error and the delay", withClock(async (clock) => {
    const { fn, errors } = flaky(Infinity, "never", clock);
    const infos: (RetryInfo & { at: number })[] = [];
    await rejectsWith(
      retry(fn, { maxAttempts: 4, baseDelay: 100, onRetry: (info) => infos.push({ ...info, at: clock.now() }) }),
      { name: "RetryError" },
      "retry(fn, { maxAttempts: 4, onRetry })",
    );
    assert.deepEqual(
      infos.map((i) => [i.attempt, i.delay, i.at]),
      [[1, 100, 0], [2, 200, 100], [3, 400, 300]],
      "onRetry runs after attempts 1..3 fail, before sleeping; never after the last attempt",
    );
    assert.deepEqual(infos.map((i) => i.error), errors.slice(0, 3), "onRetry receives each error");
  }));

  it("retry() never retries an AbortError thrown by fn", withClock(async (clock) => {
    let calls = 0;
    const cancelled = new DOMException("fetch was cancelled", "AbortError");
    await rejectsWith(
      retry(async () => {
        calls++;
        throw cancelled;
      }, { maxAttempts: 5 }),
      { is: cancelled },
      "retry(fn) where fn throws an AbortError",
    );
    assert.equal(calls, 1, "a cancellation must never be retried");
    assert.equal(clock.now(), 0, "an AbortError from fn is rethrown at once, with no backoff sleep");
  }));
});

describe("retry() cancellation", () => {
  it("retry() with an already aborted signal never calls fn", withClock(async () => {
    let calls = 0;
    const reason = new Error("cancelled before start");
    await rejectsWith(
      retry(async () => void calls++, { signal: AbortSignal.abort(reason) }),
      { is: reason },
      "retry(fn, { signal: aborted })",
    );
    assert.equal(calls, 0, "fn must not run when the signal is already aborted");
  }));

  it("retry() aborted during a backoff sleep rejects at once with the exact reason", withClock(async (clock) => {
    const controller = new AbortController();
    const signal = controller.signal;
    const reason = { why: "user pressed stop" };
    const { fn, calls } = flaky(Infinity, "never", clock);
    setTimeout(() => controller.abort(reason), 250);
    await rejectsWith(retry(fn, { maxAttempts: 10, baseDelay: 100, signal }), { is: reason }, "retry(fn, { signal }) aborted at t=250 ms");
    assert.equal(clock.now(), 250, "the abort must interrupt the 200 ms backoff started at t=100, not wait for it to end");
    assert.deepEqual(calls, [0, 100], "no attempt may start after the abort");
    assert.equal(clock.pending().length, 0, "the backoff timer must be cleared");
  }));

  it("retry() never retries once the signal aborted during an attempt", withClock(async (clock) => {
    const controller = new AbortController();
    let calls = 0;
    const task = retry(async () => {
      calls++;
      await new Promise<void>((_, reject) => {
        controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
      });
    }, { maxAttempts: 5, baseDelay: 10, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("timeout from outside")), 20);
    await rejectsWith(task, { message: "timeout from outside" }, "retry(fn, { signal }) aborted while fn runs");
    assert.equal(calls, 1, "an abort during an attempt must not lead to another attempt");
    assert.equal(clock.now(), 20, "retry() should reject at the abort, t=20 ms");
  }));

  it("retry() rejects with the abort reason even when fn fails with another error after the abort", withClock(async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    let calls = 0;
    await rejectsWith(
      retry(async () => {
        calls++;
        controller.abort(reason);
        throw new Error("connection reset");
      }, { maxAttempts: 5, signal: controller.signal }),
      { is: reason },
      "retry(fn, { signal }) where fn fails after the abort",
    );
    assert.equal(calls, 1, "no retry after the abort");
  }));

  it("retry() removes its abort listeners when it succeeds after retries", withClock(async (clock) => {
    const { signal, live } = countingSignal();
    const { fn } = flaky(3, "ok", clock);
    assert.equal(await retry(fn, { maxAttempts: 4, baseDelay: 100, signal }), "ok", "three failures then a success: retry() resolves with \"ok\"");
    assert.equal(live.size, 0, "every backoff sleep must remove its abort listener; " + live.size + " left on the signal");
  }));
});

describe("retryable()", () => {
  it("retryable() throws RangeError for invalid options when wrapping, not at the first call", () => {
    throwsWith(() => retryable(async () => 1, { maxAttempts: 0 }), { name: "RangeError" }, "retryable(fn, { maxAttempts: 0 })");
  });

  it("retryable() keeps this when the wrapper is called as a method", withClock(async () => {
    const counter = {
      count: 10,
      bump: retryable(async function (this: { count: number }, by: number) {
        this.count += by;
        if (this.count < 12) throw new Error("again");
        return this.count;
      }, { baseDelay: 5 }),
    };
    assert.equal(await counter.bump(1), 12, "the wrapper must call fn with the caller's this");
  }));

  it("retryable() gives each call its own attempts", withClock(async (clock) => {
    const runs = new Map<string, number[]>();
    const load = retryable(async (key: string) => {
      const times = runs.get(key) ?? [];
      times.push(clock.now());
      runs.set(key, times);
      if (times.length < 2) throw new Error(key + " busy");
      return key.toUpperCase();
    }, { maxAttempts: 2, baseDelay: 100 });
    const results = await Promise.all([load("a"), load("b")]);
    assert.deepEqual(results, ["A", "B"], "each call of the wrapper retries with its own argument");
    assert.deepEqual(runs.get("a"), [0, 100], "call a: attempts at t=0 and 100");
    assert.deepEqual(runs.get("b"), [0, 100], "call b: its own attempts, concurrently");
  }));

  it("retryable() gives up with a RetryError after maxAttempts per call", withClock(async (clock) => {
    let calls = 0;
    const fail = retryable(async (_x: number) => {
      calls++;
      throw new Error("down");
    }, { maxAttempts: 2, baseDelay: 100 });
    await rejectsWith(fail(1), { name: "RetryError" }, "retryable(fn, { maxAttempts: 2 })(1)");
    assert.equal(calls, 2, "maxAttempts: 2 means fn runs exactly twice");
    assert.equal(clock.now(), 100, "one 100 ms backoff between the two attempts, none after the last");
  }));
});

describe("@withRetry()", () => {
  it("@withRetry() throws RangeError for invalid options where the class is defined", () => {
    throwsWith(() => withRetry({ factor: 0 }), { name: "RangeError" }, "withRetry({ factor: 0 })");
  });

  it("@withRetry() keeps this and every argument on each attempt", withClock(async () => {
    const seen: unknown[][] = [];
    class Repo {
      constructor(readonly table: string) {}
      @withRetry({ maxAttempts: 3, baseDelay: 10 })
      async find(id: number, opts: { fresh: boolean }): Promise<string> {
        seen.push([this.table, id, opts.fresh]);
        if (seen.length < 3) throw new Error("locked");
        return `${this.table}#${id}`;
      }
    }
    assert.equal(await new Repo("users").find(7, { fresh: true }), "users#7", "the decorated method should see this.table and its arguments");
    assert.deepEqual(seen, [["users", 7, true], ["users", 7, true], ["users", 7, true]], "every attempt sees the same this and arguments");
  }));

  it("@withRetry() follows the backoff schedule of its options", withClock(async (clock) => {
    const calls: number[] = [];
    class Job {
      @withRetry({ maxAttempts: 4, baseDelay: 50, factor: 3 })
      async run(): Promise<void> {
        calls.push(clock.now());
        throw new Error("nope");
      }
    }
    await rejectsWith(new Job().run(), { name: "RetryError" }, "a method decorated with @withRetry({ maxAttempts: 4 })");
    assert.deepEqual(calls, [0, 50, 200, 650], "sleeps of 50, 150 and 450 ms");
    assert.equal(clock.now(), 650, "no sleep after the last attempt");
  }));

  it("@withRetry() keeps instances separate", withClock(async () => {
    class Conn {
      tries = 0;
      constructor(readonly failFirst: number) {}
      @withRetry({ maxAttempts: 5, baseDelay: 1 })
      async ping(): Promise<number> {
        this.tries++;
        if (this.tries <= this.failFirst) throw new Error("timeout");
        return this.tries;
      }
    }
    const [a, b] = [new Conn(0), new Conn(2)];
    assert.deepEqual(await Promise.all([a.ping(), b.ping()]), [1, 3], "each instance counts its own tries");
  }));

  it("@withRetry() works on a static method", withClock(async () => {
    class Config {
      static loads = 0;
      @withRetry({ maxAttempts: 2, baseDelay: 5 })
      static async load(): Promise<string> {
        this.loads++;
        if (this.loads === 1) throw new Error("file busy");
        return "loaded " + this.loads;
      }
    }
    assert.equal(await Config.load(), "loaded 2", "this is the class for a static method");
  }));

  it("@withRetry() rethrows a non-retriable error from the method unchanged", withClock(async () => {
    const denied = new Error("403 Forbidden");
    let calls = 0;
    class Api {
      @withRetry({ maxAttempts: 3, isRetriable: (e) => (e as Error).message !== "403 Forbidden" })
      async get(): Promise<never> {
        calls++;
        throw denied;
      }
    }
    await rejectsWith(new Api().get(), { is: denied }, "a decorated method failing with a non-retriable error");
    assert.equal(calls, 1, "a non-retriable error must not be retried");
  }));

  it("@withRetry() stops when its signal aborts", withClock(async (clock) => {
    const controller = new AbortController();
    let calls = 0;
    class Poller {
      @withRetry({ maxAttempts: 10, baseDelay: 100, signal: controller.signal })
      async poll(): Promise<never> {
        calls++;
        throw new Error("not ready");
      }
    }
    setTimeout(() => controller.abort(), 50);
    await rejectsWith(new Poller().poll(), { name: "AbortError" }, "a decorated method whose signal aborts at t=50 ms");
    assert.equal(clock.now(), 50, "the abort at t=50 ms should end the backoff sleep at once");
    assert.equal(calls, 1, "no attempt may start after the abort");
  }));
});
