/**
 * Hidden tests of 22_retry_decorator: every behaviour the exercise pins, in virtual time.
 * The grader runs them; no runner discovers `*.hidden.ts` by itself.
 */
import { describe, it } from "node:test";
import assert, { AssertionError } from "node:assert/strict";
import {
  isNotImplemented,
  rejectsWith,
  runWithClock,
  seededRandom,
  throwsWith,
  withClock,
} from "../../lib/mod.ts";
import {
  backoffDelay,
  resolveOptions,
  retry,
  retryable,
  RetryError,
  type RetryInfo,
  type RetryOptions,
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

/** A function whose promise rejects once its signal aborts (a fetch that listens to its signal). */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
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
  signal.addEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: AddEventListenerOptions | boolean,
  ) => {
    if (type === "abort") live.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: EventListenerOptions | boolean,
  ) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;
  return { controller, signal, live };
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

/** Checks that each option value makes resolveOptions throw a RangeError naming the option. */
function refuses(option: keyof RetryOptions, values: unknown[]): void {
  for (const value of values) {
    throwsWith(
      () => resolveOptions({ [option]: value } as RetryOptions),
      { name: "RangeError", message: option },
      `resolveOptions({ ${option}: ${
        typeof value === "string" ? JSON.stringify(value) : String(value)
      } })`,
    );
  }
}

/** Checks that each option value is accepted and kept as given. */
function accepts(option: keyof RetryOptions, values: unknown[]): void {
  for (const value of values) {
    let kept: unknown;
    try {
      kept = resolveOptions({ [option]: value } as RetryOptions)[option];
    } catch (error) {
      if (isNotImplemented(error)) throw error;
      assert.fail(
        `resolveOptions({ ${option}: ${String(value)} }) is valid; yours threw ${String(error)}`,
      );
    }
    assert.equal(
      kept,
      value,
      `resolveOptions({ ${option}: ${String(value)} }) keeps it; yours gave ${String(kept)}`,
    );
  }
}

describe("task 1: resolveOptions()", () => {
  it("resolveOptions() defaults isRetriable to yes, onRetry to nothing, random to numbers in [0, 1) and no signal", () => {
    const o = resolveOptions();
    assert.equal(
      o.isRetriable(new Error("x"), 1),
      true,
      "with no isRetriable, every error is worth retrying: the default should answer true",
    );
    assert.doesNotThrow(
      () => o.onRetry({ attempt: 1, error: new Error("x"), delay: 100 }),
      "the default onRetry does nothing",
    );
    const r = o.random();
    assert.ok(r >= 0 && r < 1, `the default random() gives numbers in [0, 1); yours gave ${r}`);
    assert.equal(o.signal, undefined, `no signal by default; yours is ${String(o.signal)}`);
    assert.deepEqual(
      [o.maxAttempts, o.baseDelay, o.factor, o.maxDelay, o.jitter],
      [3, 100, 2, Infinity, "none"],
      "resolveOptions() with no argument at all gives the same defaults as resolveOptions({})",
    );
  });

  it("resolveOptions() gives the default for an option set to undefined", () => {
    const o = resolveOptions({
      maxAttempts: undefined,
      baseDelay: undefined,
      factor: undefined,
      maxDelay: undefined,
      jitter: undefined,
    });
    assert.deepEqual(
      [o.maxAttempts, o.baseDelay, o.factor, o.maxDelay, o.jitter],
      [3, 100, 2, Infinity, "none"],
      `an option given as undefined takes its default (as with ??); yours gave [${
        [o.maxAttempts, o.baseDelay, o.factor, o.maxDelay, o.jitter].join(", ")
      }]`,
    );
  });

  it("resolveOptions() keeps every option it is given, functions and signal included", () => {
    const random = () => 0.5;
    const isRetriable = () => false;
    const onRetry = () => {};
    const signal = new AbortController().signal;
    const o = resolveOptions({
      maxAttempts: 7,
      baseDelay: 0,
      factor: 1,
      maxDelay: 0,
      jitter: "equal",
      random,
      isRetriable,
      onRetry,
      signal,
    });
    assert.deepEqual(
      [o.maxAttempts, o.baseDelay, o.factor, o.maxDelay, o.jitter],
      [7, 0, 1, 0, "equal"],
      "[maxAttempts, baseDelay, factor, maxDelay, jitter] must be the ones given: 0 and 1 are valid values",
    );
    assert.equal(o.random, random, "an injected random must be kept as is");
    assert.equal(o.isRetriable, isRetriable, "an injected isRetriable must be kept as is");
    assert.equal(o.onRetry, onRetry, "an injected onRetry must be kept as is");
    assert.equal(o.signal, signal, "the signal must be kept as is");
  });

  it("resolveOptions() refuses a maxAttempts that is not an integer >= 1 or Infinity", () => {
    refuses("maxAttempts", [0, -1, 2.5, 0.5, NaN, -Infinity]);
  });

  it("resolveOptions() accepts maxAttempts 1 and Infinity", () => {
    accepts("maxAttempts", [1, 10, Infinity]);
  });

  it("resolveOptions() refuses a baseDelay that is negative, NaN or infinite", () => {
    refuses("baseDelay", [-1, -0.5, NaN, Infinity, -Infinity]);
    accepts("baseDelay", [0, 0.5, 250]);
  });

  it("resolveOptions() refuses a factor below 1, NaN or infinite", () => {
    refuses("factor", [0.5, 0, -2, NaN, Infinity]);
    accepts("factor", [1, 1.5, 3]);
  });

  it("resolveOptions() refuses a maxDelay that is negative or NaN, and accepts 0 and Infinity", () => {
    refuses("maxDelay", [-5, NaN, -Infinity]);
    accepts("maxDelay", [0, 1000, Infinity]);
  });

  it("resolveOptions() refuses an unknown jitter", () => {
    refuses("jitter", ["lots", "", "Full"]);
    accepts("jitter", ["none", "full", "equal"]);
  });
});

describe("task 2: backoffDelay()", () => {
  it("backoffDelay() gives baseDelay * factor ** (attempt - 1) without a cap", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 3 });
    const delays = [1, 2, 3, 4].map((n) => backoffDelay(n, o));
    assert.deepEqual(
      delays,
      [100, 300, 900, 2700],
      `the first retry waits exactly baseDelay; yours: [${delays}]`,
    );
  });

  it("backoffDelay() caps every delay at maxDelay", () => {
    const o = resolveOptions({ baseDelay: 100, factor: 2, maxDelay: 250 });
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, o));
    assert.deepEqual(
      delays,
      [100, 200, 250, 250, 250],
      `min(maxDelay, base * factor ** k); yours: [${delays}]`,
    );
  });

  it("backoffDelay() with factor 1 keeps a constant delay and with factor 1.5 keeps fractions", () => {
    const constant = resolveOptions({ baseDelay: 40, factor: 1 });
    const flat = [1, 2, 3].map((n) => backoffDelay(n, constant));
    assert.deepEqual(flat, [40, 40, 40], `factor 1 means a fixed delay; yours: [${flat}]`);
    const o = resolveOptions({ baseDelay: 100, factor: 1.5 });
    const delays = [1, 2, 3, 4].map((n) => backoffDelay(n, o));
    assert.deepEqual(
      delays,
      [100, 150, 225, 337.5],
      `without jitter the delay is d itself, fractions kept; yours: [${delays}]`,
    );
  });

  it("backoffDelay() gives 0 for every attempt when baseDelay or maxDelay is 0", () => {
    const zeroBase = resolveOptions({ baseDelay: 0, jitter: "full", random: () => 0.9 });
    const zeroCap = resolveOptions({
      baseDelay: 100,
      maxDelay: 0,
      jitter: "equal",
      random: () => 0.9,
    });
    const delays = [1, 2, 3].flatMap((n) => [backoffDelay(n, zeroBase), backoffDelay(n, zeroCap)]);
    assert.deepEqual(
      delays,
      [0, 0, 0, 0, 0, 0],
      `baseDelay 0 or maxDelay 0: every delay is 0; yours: [${delays}]`,
    );
  });

  it("backoffDelay() with full jitter scales the delay by random() and rounds down", () => {
    const draws = [0.5, 0.25, 0.75, 0, 0.999];
    const o = resolveOptions({
      baseDelay: 100,
      factor: 2,
      jitter: "full",
      random: () => draws.shift()!,
    });
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, o));
    assert.deepEqual(
      delays,
      [50, 50, 300, 0, 1598],
      `full jitter: floor(random() * d) with the injected random source; yours: [${delays}]`,
    );
  });

  it("backoffDelay() with equal jitter keeps half the delay and randomizes the other half", () => {
    const draws = [0.5, 0, 0.75, 0.999];
    const o = resolveOptions({
      baseDelay: 100,
      factor: 2,
      jitter: "equal",
      random: () => draws.shift()!,
    });
    const delays = [1, 2, 3, 4].map((n) => backoffDelay(n, o));
    assert.deepEqual(
      delays,
      [75, 100, 350, 799],
      `equal jitter: floor(d/2 + random() * d/2); yours: [${delays}]`,
    );
  });

  it("backoffDelay() jitters the capped delay, not the uncapped one", () => {
    const o = resolveOptions({
      baseDelay: 100,
      factor: 2,
      maxDelay: 200,
      jitter: "full",
      random: () => 0.5,
    });
    const delay = backoffDelay(5, o);
    assert.equal(
      delay,
      100,
      `the cap (200) applies first, then jitter halves it: 100; yours: ${delay}`,
    );
  });

  it(
    "backoffDelay() draws jitter from Math.random when no random option is given",
    withClock({ seed: 7 }, () => {
      // Under the clock, Math.random is seeded: the same numbers as seededRandom(7).
      const expected = seededRandom(7);
      const o = resolveOptions({ baseDelay: 1000, factor: 1, jitter: "full" });
      const delays = [1, 2, 3].map((n) => backoffDelay(n, o));
      const wanted = [1, 2, 3].map(() => Math.floor(expected() * 1000));
      assert.deepEqual(
        delays,
        wanted,
        `full jitter should use Math.random(): [${wanted}]; yours: [${delays}]`,
      );
    }),
  );

  it("backoffDelay() reads Math.random at each draw, not when the options were resolved", async () => {
    // Resolved before the clock installs its seeded Math.random (as a decorator's options are,
    // when the class is defined): the draws must still come from the Math.random of the moment.
    const o = resolveOptions({ baseDelay: 1000, factor: 1, jitter: "full" });
    await runWithClock(() => {
      const expected = seededRandom(11);
      const delays = [1, 2, 3].map((n) => backoffDelay(n, o));
      const wanted = [1, 2, 3].map(() => Math.floor(expected() * 1000));
      assert.deepEqual(
        delays,
        wanted,
        `the default random must call Math.random() when drawing (() => Math.random()), not keep the function it saw when resolving: [${wanted}]; yours: [${delays}]`,
      );
    }, { seed: 11 });
  });
});

describe("task 3: sleep()", () => {
  it(
    "sleep() with an already aborted signal rejects at once and sets no timer",
    withClock(async (clock) => {
      const reason = new Error("already cancelled");
      const original = globalThis.setTimeout;
      let armed = 0;
      globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => (
        armed++, original(...args)
      )) as typeof setTimeout;
      let sleeping: Promise<void>;
      try {
        sleeping = sleep(100, { signal: AbortSignal.abort(reason) });
      } finally {
        globalThis.setTimeout = original;
      }
      await rejectsWith(sleeping, { is: reason }, "sleep(100, { signal: aborted })");
      assert.equal(
        armed,
        0,
        `an already-aborted sleep must check the signal before it calls setTimeout; yours armed ${armed} timer(s) (and cleared them)`,
      );
      assert.equal(
        clock.now(),
        0,
        `a pre-aborted sleep must not wait; yours ended at t=${clock.now()}`,
      );
      assert.equal(
        clock.trace.length,
        0,
        `no timer should have fired; yours fired ${clock.trace.length}`,
      );
    }),
  );

  it(
    "sleep() aborted midway clears its timer and rejects with the very reason",
    withClock(async (clock) => {
      const controller = new AbortController();
      const signal = controller.signal;
      setTimeout(() => controller.abort("stop"), 30);
      await rejectsWith(
        sleep(500, { signal }),
        { is: "stop" },
        "sleep(500, { signal }) aborted at t=30 ms",
      );
      assert.equal(
        clock.now(),
        30,
        `the sleep should end when the abort happens (t=30); yours at t=${clock.now()}`,
      );
      assert.equal(clock.pending().length, 0, "the 500 ms timer must be cleared after the abort");
    }),
  );

  it(
    "sleep() that completes removes its abort listener, and a later abort changes nothing",
    withClock(async (clock) => {
      const { controller, signal, live } = countingSignal();
      await sleep(100, { signal });
      assert.equal(
        clock.now(),
        100,
        `sleep(100) should resolve at t=100 ms; yours at t=${clock.now()}`,
      );
      assert.equal(
        live.size,
        0,
        `a finished sleep must remove its abort listener; ${live.size} left`,
      );
      controller.abort(new Error("too late"));
      await clock.sleep(1);
    }),
  );

  it(
    "sleep() calls sharing one signal all end at its abort",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("shutdown");
      const sleeps = [100, 200, 300].map((ms) =>
        sleep(ms, { signal: controller.signal }).then(
          () => `resolved at t=${clock.now()}`,
          (e) => (e === reason ? `aborted at t=${clock.now()}` : `rejected with ${String(e)}`),
        )
      );
      setTimeout(() => controller.abort(reason), 50);
      const outcomes = await Promise.all(sleeps);
      assert.deepEqual(
        outcomes,
        ["aborted at t=50", "aborted at t=50", "aborted at t=50"],
        `three sleeps on one signal: each must listen for itself (addEventListener, not signal.onabort); yours: ${
          JSON.stringify(outcomes)
        }`,
      );
    }),
  );

  it(
    "sleep(0) resolves at once, with or without a signal",
    withClock(async (clock) => {
      await sleep(0);
      await sleep(0, { signal: new AbortController().signal });
      assert.equal(clock.now(), 0, `sleep(0) takes no time; yours ended at t=${clock.now()}`);
    }),
  );
});

describe("task 4: retry()", () => {
  it(
    "retry() runs attempts at t=0, 100, 300, 700 and gives up at t=700 with no sleep after the last",
    withClock(async (clock) => {
      const { fn, calls } = flaky(Infinity, "never", clock);
      await rejectsWith(retry(fn, { maxAttempts: 4, baseDelay: 100, factor: 2 }), {
        name: "RetryError",
      }, "retry(fn, { maxAttempts: 4 })");
      assert.deepEqual(
        calls,
        [0, 100, 300, 700],
        `attempts should start at t=[0, 100, 300, 700]; yours at t=[${calls}]`,
      );
      assert.equal(
        clock.now(),
        700,
        `retry() must not sleep after the last attempt; yours gave up at t=${clock.now()}`,
      );
      assert.deepEqual(
        clock.trace.map((t) => t.delay),
        [100, 200, 400],
        `exactly three backoff timers of 100, 200 and 400 ms (no polling); yours: [${
          clock.trace.map((t) => t.delay)
        }]`,
      );
    }),
  );

  it(
    "retry() honours maxDelay in the schedule",
    withClock(async (clock) => {
      const { fn, calls } = flaky(4, "ok", clock);
      const value = await retry(fn, { maxAttempts: 5, baseDelay: 100, factor: 2, maxDelay: 250 });
      assert.equal(
        value,
        "ok",
        `four failures then a success: retry() resolves with "ok"; yours gave ${value}`,
      );
      assert.deepEqual(
        calls,
        [0, 100, 300, 550, 800],
        `sleeps of 100, 200, 250, 250 ms; yours ran at t=[${calls}]`,
      );
    }),
  );

  it(
    "retry() sleeps the jittered delay and tells onRetry that same delay",
    withClock(async (clock) => {
      const draws = [0.5, 0.25, 0.5];
      const { fn, calls } = flaky(3, "ok", clock);
      const told: number[] = [];
      await retry(fn, {
        maxAttempts: 4,
        baseDelay: 100,
        jitter: "full",
        random: () => draws.shift()!,
        onRetry: (i) => told.push(i.delay),
      });
      assert.deepEqual(
        calls,
        [0, 50, 100, 300],
        `full jitter with random() 0.5, 0.25, 0.5: sleeps of 50, 50, 200; yours ran at t=[${calls}]`,
      );
      assert.deepEqual(
        told,
        [50, 50, 200],
        `onRetry is told the delay actually slept; yours was told [${told}]`,
      );
    }),
  );

  it(
    "retry() with the default options makes 3 attempts at t=0, 100 and 300",
    withClock(async (clock) => {
      const { fn, calls } = flaky(Infinity, "never", clock);
      await rejectsWith(retry(fn), { name: "RetryError" }, "retry(fn)");
      assert.deepEqual(
        calls,
        [0, 100, 300],
        `defaults: maxAttempts 3, baseDelay 100, factor 2; yours ran at t=[${calls}]`,
      );
    }),
  );

  it(
    "retry() calls fn exactly maxAttempts times",
    withClock(async (clock) => {
      const { fn, calls } = flaky(Infinity, "never", clock);
      await rejectsWith(
        retry(fn, { maxAttempts: 5, baseDelay: 10 }),
        { name: "RetryError" },
        "retry(fn, { maxAttempts: 5 })",
      );
      assert.equal(
        calls.length,
        5,
        `maxAttempts: 5 means 5 calls in all, the first one included; yours made ${calls.length}`,
      );
    }),
  );

  it(
    "retry() with maxAttempts 1 calls fn once and sets no timer",
    withClock(async (clock) => {
      const { fn, calls } = flaky(Infinity, "never", clock);
      const error = await rejectsWith(
        retry(fn, { maxAttempts: 1 }),
        { instanceOf: RetryError },
        "retry(fn, { maxAttempts: 1 })",
      );
      assert.equal(calls.length, 1, `one attempt means no retry; yours made ${calls.length}`);
      assert.equal(
        (error as RetryError).attempts,
        1,
        `RetryError.attempts should be 1; yours is ${(error as RetryError).attempts}`,
      );
      assert.equal(clock.trace.length, 0, "no backoff sleep after the only attempt");
    }),
  );

  it(
    "retry() with maxAttempts Infinity retries until fn succeeds",
    withClock(async (clock) => {
      const { fn, calls } = flaky(12, "finally", clock);
      const value = await retry(fn, { maxAttempts: Infinity, baseDelay: 10, factor: 1 });
      assert.equal(value, "finally", `twelve failures, then a success; yours gave ${value}`);
      assert.equal(
        calls.length,
        13,
        `maxAttempts Infinity never gives up: 13 calls; yours made ${calls.length}`,
      );
      assert.equal(
        clock.now(),
        120,
        `twelve 10 ms sleeps: success at t=120; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "retry() with baseDelay 0 retries without waiting",
    withClock(async (clock) => {
      const { fn, calls } = flaky(Infinity, "never", clock);
      await rejectsWith(
        retry(fn, { maxAttempts: 4, baseDelay: 0 }),
        { name: "RetryError" },
        "retry(fn, { baseDelay: 0 })",
      );
      assert.deepEqual(
        calls,
        [0, 0, 0, 0],
        `baseDelay 0 is valid (not "missing"): 4 attempts at t=0; yours at t=[${calls}]`,
      );
    }),
  );

  it(
    "retry() rejects with a RetryError whose cause is the very last error",
    withClock(async (clock) => {
      const { fn, errors } = flaky(Infinity, "never", clock);
      const error = await rejectsWith(
        retry(fn, { maxAttempts: 3 }),
        { name: "RetryError", instanceOf: RetryError },
        "retry(fn, { maxAttempts: 3 })",
      ) as RetryError;
      assert.equal(
        error.cause,
        errors[2],
        "cause must be the third error object itself, not the first and not a copy",
      );
      assert.equal(
        error.attempts,
        3,
        `RetryError.attempts should be 3; yours is ${error.attempts}`,
      );
    }),
  );

  it(
    "retry() keeps a thrown value that is not an Error as the RetryError's cause",
    withClock(async () => {
      const error = await rejectsWith(
        retry(() => Promise.reject("503"), { maxAttempts: 2, baseDelay: 1 }),
        { instanceOf: RetryError },
        'retry(fn) where fn rejects with the string "503"',
      ) as RetryError;
      assert.equal(
        error.cause,
        "503",
        `cause should be the string "503" itself; yours is ${String(error.cause)}`,
      );
    }),
  );

  it(
    "retry() resolves with the first success at the time of that attempt",
    withClock(async (clock) => {
      const { fn, calls } = flaky(2, { id: 1 }, clock);
      const value = await retry(fn, { maxAttempts: 5, baseDelay: 100 });
      assert.deepEqual(value, { id: 1 }, "retry() should resolve with the successful call's value");
      assert.equal(
        clock.now(),
        300,
        `success on the third attempt, at t=300 ms; yours at t=${clock.now()}`,
      );
      assert.equal(calls.length, 3, `no call after the success; yours made ${calls.length}`);
    }),
  );

  it(
    "retry() resolves with a value fn returns without a promise",
    withClock(async () => {
      const value = await retry(() => 42);
      assert.equal(
        value,
        42,
        `fn may return a plain value; retry() resolves with it (42); yours gave ${value}`,
      );
    }),
  );

  it(
    "retry() passes the attempt number to fn",
    withClock(async () => {
      const seen: number[] = [];
      await retry((attempt) => {
        seen.push(attempt);
        return attempt < 4 ? Promise.reject(new Error("not yet")) : Promise.resolve(attempt);
      }, { maxAttempts: 4, baseDelay: 1 });
      assert.deepEqual(seen, [1, 2, 3, 4], `fn receives 1, 2, 3, 4; yours received [${seen}]`);
    }),
  );

  it(
    "retry() counts each synchronous throw from fn as an attempt and sleeps the backoff after it",
    withClock(async (clock) => {
      const calls: number[] = [];
      const value = await retry(() => {
        calls.push(clock.now());
        if (calls.length < 3) throw new Error(`sync failure #${calls.length}`);
        return "ok";
      }, { baseDelay: 100 });
      assert.equal(
        value,
        "ok",
        `two synchronous throws are retried like rejections; the third call returns "ok"; yours gave ${value}`,
      );
      assert.deepEqual(
        calls,
        [0, 100, 300],
        `attempts at t=[0, 100, 300], as after rejections; yours at t=[${calls}]`,
      );
    }),
  );

  it(
    "retry() gives up with a RetryError when the last attempt throws synchronously",
    withClock(async () => {
      const last = new Error("sync failure #2");
      let calls = 0;
      const error = await rejectsWith(
        callAsync(() =>
          retry(() => {
            calls++;
            throw calls === 2 ? last : new Error("sync failure #1");
          }, { maxAttempts: 2, baseDelay: 1 }), "retry(fn)"),
        { instanceOf: RetryError },
        "retry(fn, { maxAttempts: 2 }) where fn always throws synchronously",
      ) as RetryError;
      assert.equal(error.cause, last, "the cause is the last synchronous throw itself");
    }),
  );

  it(
    "retry() rejects, never throws, for invalid options and never calls fn",
    withClock(async () => {
      let calls = 0;
      await rejectsWith(
        callAsync(() => retry(() => calls++, { maxAttempts: 0 }), "retry(fn, { maxAttempts: 0 })"),
        { name: "RangeError", message: "maxAttempts" },
        "retry(fn, { maxAttempts: 0 })",
      );
      assert.equal(calls, 0, `fn must not run with invalid options; it ran ${calls} times`);
    }),
  );

  it(
    "retry() rethrows a non-retriable error unchanged at once",
    withClock(async (clock) => {
      const fatal = new TypeError("bad request");
      let calls = 0;
      const infos: RetryInfo[] = [];
      await rejectsWith(
        retry(() => {
          calls++;
          return Promise.reject(fatal);
        }, {
          maxAttempts: 5,
          isRetriable: (e) => !(e instanceof TypeError),
          onRetry: (i) => infos.push(i),
        }),
        { is: fatal },
        "retry(fn, { isRetriable }) with a non-retriable error",
      );
      assert.equal(calls, 1, `a non-retriable error must not be retried; fn ran ${calls} times`);
      assert.equal(
        clock.now(),
        0,
        `and must be rethrown without a sleep; yours at t=${clock.now()}`,
      );
      assert.equal(infos.length, 0, "onRetry is only for errors that will be retried");
    }),
  );

  it(
    "retry() rethrows an error isRetriable refuses as is, also on the last attempt",
    withClock(async () => {
      const fatal = new TypeError("bad request");
      await rejectsWith(
        retry(() => Promise.reject(fatal), { maxAttempts: 1, isRetriable: () => false }),
        { is: fatal },
        "retry(fn, { maxAttempts: 1, isRetriable: () => false }): the refusal comes before giving up, so no RetryError",
      );
      let calls = 0;
      await rejectsWith(
        retry(() => {
          calls++;
          return Promise.reject(calls === 2 ? fatal : new Error(`failure #${calls}`));
        }, { maxAttempts: 2, baseDelay: 10, isRetriable: (e) => e !== fatal }),
        { is: fatal },
        "retry(fn, { maxAttempts: 2 }) whose second and last error is not retriable",
      );
    }),
  );

  it(
    "retry() treats a thrown null or undefined as a failure like any other",
    withClock(async () => {
      let calls = 0;
      const value = await retry(() => {
        calls++;
        if (calls === 1) return Promise.reject(null);
        if (calls === 2) throw undefined;
        return "third time lucky";
      }, { maxAttempts: 3, baseDelay: 10 });
      assert.equal(
        value,
        "third time lucky",
        "null and undefined are thrown values like any other: retry them (asking error.name of null must not crash)",
      );
      const error = await rejectsWith(
        retry(() => Promise.reject(null), { maxAttempts: 1 }),
        { instanceOf: RetryError },
        "retry(() => Promise.reject(null), { maxAttempts: 1 })",
      ) as RetryError;
      assert.equal(error.cause, null, "the RetryError's cause is the null that was thrown");
    }),
  );

  it(
    "retry() asks isRetriable with the error and the attempt number",
    withClock(async (clock) => {
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
      assert.deepEqual(
        asked,
        [["failure #1", 1], ["failure #2", 2]],
        `isRetriable(error, attempt); yours was asked ${JSON.stringify(asked)}`,
      );
      assert.equal(errors.length, 2, "the second refusal must stop the retries");
      assert.equal(
        clock.now(),
        100,
        `the second error is rethrown at t=100 ms, without a further sleep; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "retry() calls onRetry before each backoff with the attempt, the error and the delay",
    withClock(async (clock) => {
      const { fn, errors } = flaky(Infinity, "never", clock);
      const infos: (RetryInfo & { at: number })[] = [];
      await rejectsWith(
        retry(fn, {
          maxAttempts: 4,
          baseDelay: 100,
          onRetry: (info) => infos.push({ ...info, at: clock.now() }),
        }),
        { name: "RetryError" },
        "retry(fn, { maxAttempts: 4, onRetry })",
      );
      assert.deepEqual(
        infos.map((i) => [i.attempt, i.delay, i.at]),
        [[1, 100, 0], [2, 200, 100], [3, 400, 300]],
        "onRetry runs after attempts 1..3 fail, before sleeping; never after the last attempt",
      );
      assert.deepEqual(
        infos.map((i) => i.error),
        errors.slice(0, 3),
        "onRetry receives each error",
      );
    }),
  );

  it(
    "retry() never retries an AbortError thrown by fn, whatever isRetriable says",
    withClock(async (clock) => {
      let calls = 0;
      const cancelled = new DOMException("fetch was cancelled", "AbortError");
      await rejectsWith(
        retry(() => {
          calls++;
          return Promise.reject(cancelled);
        }, { maxAttempts: 5, isRetriable: () => true }),
        { is: cancelled },
        "retry(fn, { isRetriable: () => true }) where fn rejects with an AbortError",
      );
      assert.equal(calls, 1, `a cancellation must never be retried; fn ran ${calls} times`);
      assert.equal(
        clock.now(),
        0,
        `an AbortError from fn is rethrown at once, with no backoff sleep; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "retry() with an already aborted signal rejects with its reason at once and sets no timer",
    withClock(async (clock) => {
      let calls = 0;
      const reason = { why: "cancelled before start" };
      await rejectsWith(
        retry(() => calls++, { signal: AbortSignal.abort(reason), maxAttempts: 5 }),
        { is: reason },
        "retry(fn, { signal: aborted })",
      );
      assert.equal(
        calls,
        0,
        `fn must not run when the signal is already aborted; it ran ${calls} times`,
      );
      assert.equal(
        clock.trace.length,
        0,
        `no timer may fire for a pre-aborted retry(); yours fired ${clock.trace.length}`,
      );
    }),
  );

  it(
    "retry() aborted during a backoff sleep rejects at once with the exact reason",
    withClock(async (clock) => {
      const controller = new AbortController();
      const signal = controller.signal;
      const reason = { why: "user pressed stop" };
      const { fn, calls } = flaky(Infinity, "never", clock);
      setTimeout(() => controller.abort(reason), 250);
      await rejectsWith(
        retry(fn, { maxAttempts: 10, baseDelay: 100, signal }),
        { is: reason },
        "retry(fn, { signal }) aborted at t=250 ms",
      );
      assert.equal(
        clock.now(),
        250,
        `the abort must interrupt the 200 ms backoff started at t=100; yours ended at t=${clock.now()}`,
      );
      assert.deepEqual(
        calls,
        [0, 100],
        `no attempt may start after the abort; yours ran at t=[${calls}]`,
      );
      assert.equal(clock.pending().length, 0, "the backoff timer must be cleared");
    }),
  );

  it(
    "retry() never retries once the signal aborted during an attempt, and rejects with the reason",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("timeout from outside");
      let calls = 0;
      const task = retry((_attempt) => {
        calls++;
        return untilAborted(controller.signal);
      }, { maxAttempts: 5, baseDelay: 10, signal: controller.signal });
      setTimeout(() => controller.abort(reason), 20);
      await rejectsWith(task, { is: reason }, "retry(fn, { signal }) aborted while fn runs");
      assert.equal(
        calls,
        1,
        `an abort during an attempt must not lead to another attempt; fn ran ${calls} times`,
      );
      assert.equal(
        clock.now(),
        20,
        `retry() should reject at the abort, t=20 ms; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "retry() rejects with the abort reason even when fn fails with another error after the abort",
    withClock(async () => {
      const controller = new AbortController();
      const reason = new Error("stop");
      let calls = 0;
      await rejectsWith(
        retry(() => {
          calls++;
          controller.abort(reason);
          return Promise.reject(new Error("connection reset"));
        }, { maxAttempts: 5, signal: controller.signal }),
        { is: reason },
        "retry(fn, { signal }) where fn fails after the abort",
      );
      assert.equal(calls, 1, `no retry after the abort; fn ran ${calls} times`);
      const again = new AbortController();
      const reason2 = new Error("stop again");
      await rejectsWith(
        retry(() => {
          again.abort(reason2);
          return Promise.reject(new Error("connection reset"));
        }, { signal: again.signal, isRetriable: () => false }),
        { is: reason2 },
        "retry(fn, { signal, isRetriable: () => false }) where fn fails after the abort (the abort wins)",
      );
    }),
  );

  it(
    "retry() resolves with the value of an attempt that succeeds after the abort",
    withClock(async (clock) => {
      const controller = new AbortController();
      const task = retry(async () => {
        await clock.sleep(50); // a step that does not listen to the signal
        return "saved";
      }, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error("too late")), 20);
      const value = await task;
      assert.equal(
        value,
        "saved",
        `the attempt finished its work: retry() resolves with its value, not the abort reason; yours gave ${
          String(value)
        }`,
      );
    }),
  );

  it(
    "retry() removes its abort listeners when it succeeds after retries",
    withClock(async (clock) => {
      const { signal, live } = countingSignal();
      const { fn } = flaky(3, "ok", clock);
      const value = await retry(fn, { maxAttempts: 4, baseDelay: 100, signal });
      assert.equal(
        value,
        "ok",
        `three failures then a success: retry() resolves with "ok"; yours gave ${value}`,
      );
      assert.equal(
        live.size,
        0,
        `every backoff sleep must remove its abort listener; ${live.size} left on the signal`,
      );
    }),
  );

  it(
    "retry() leaves no abort listener after giving up or rethrowing",
    withClock(async (clock) => {
      const { signal, live } = countingSignal();
      const { fn } = flaky(Infinity, "never", clock);
      await rejectsWith(
        retry(fn, { maxAttempts: 3, signal }),
        { name: "RetryError" },
        "retry(fn, { signal }) giving up",
      );
      assert.equal(
        live.size,
        0,
        `after giving up, no abort listener may stay on the signal; ${live.size} left`,
      );
      const { fn: fn2 } = flaky(Infinity, "never", clock);
      await rejectsWith(
        retry(fn2, { maxAttempts: 3, signal, isRetriable: (_e, attempt) => attempt < 2 }),
        { message: "failure #2" },
        "retry(fn, { signal, isRetriable }) rethrowing",
      );
      assert.equal(
        live.size,
        0,
        `after rethrowing, no abort listener may stay on the signal; ${live.size} left`,
      );
    }),
  );
});

describe("task 5: retryable()", () => {
  it("retryable() throws RangeError for invalid options when wrapping, not at the first call", () => {
    let calls = 0;
    throwsWith(() => retryable(() => calls++, { baseDelay: NaN }), {
      name: "RangeError",
      message: "baseDelay",
    }, "retryable(fn, { baseDelay: NaN })");
    throwsWith(() => retryable(() => calls++, { jitter: "some" as "full" }), {
      name: "RangeError",
      message: "jitter",
    }, 'retryable(fn, { jitter: "some" })');
    assert.equal(calls, 0, "wrapping never calls fn");
  });

  it(
    "retryable() keeps this when the wrapper is installed on a class prototype",
    withClock(async () => {
      class Account {
        balance = 0;
        declare deposit: (amount: number) => Promise<number>;
      }
      Account.prototype.deposit = retryable(function (this: Account, amount: number) {
        this.balance += amount;
        return this.balance < 20
          ? Promise.reject(new Error("ledger busy"))
          : Promise.resolve(this.balance);
      }, { baseDelay: 5 });
      const a = new Account();
      const b = new Account();
      const result = await a.deposit(10);
      assert.equal(
        result,
        20,
        `each attempt adds 10 to this.balance of the account it was called on: 20; yours gave ${result}`,
      );
      assert.equal(b.balance, 0, `another instance is untouched; its balance is ${b.balance}`);
    }),
  );

  it(
    "retryable() passes every argument on every attempt, undefined ones included",
    withClock(async () => {
      const seen: unknown[][] = [];
      const join = retryable((...parts: (string | undefined)[]) => {
        seen.push(parts);
        return seen.length < 2
          ? Promise.reject(new Error("busy"))
          : Promise.resolve(parts.join("/"));
      }, { baseDelay: 1 });
      const joined = await join("a", undefined, "c");
      assert.equal(joined, "a//c", `join("a", undefined, "c") gives "a//c"; yours gave ${joined}`);
      assert.deepEqual(
        seen,
        [["a", undefined, "c"], ["a", undefined, "c"]],
        `each attempt receives all three arguments; yours received ${JSON.stringify(seen)}`,
      );
    }),
  );

  it(
    "retryable() gives each call its own attempts",
    withClock(async (clock) => {
      const runs = new Map<string, number[]>();
      const load = retryable((key: string) => {
        const times = runs.get(key) ?? [];
        times.push(clock.now());
        runs.set(key, times);
        return times.length < 2
          ? Promise.reject(new Error(key + " busy"))
          : Promise.resolve(key.toUpperCase());
      }, { maxAttempts: 2, baseDelay: 100 });
      const results = await Promise.all([load("a"), load("b")]);
      assert.deepEqual(
        results,
        ["A", "B"],
        "each call of the wrapper retries with its own argument",
      );
      assert.deepEqual(runs.get("a"), [0, 100], "call a: attempts at t=0 and 100");
      assert.deepEqual(runs.get("b"), [0, 100], "call b: its own attempts, concurrently");
    }),
  );

  it(
    "retryable() gives up with a RetryError after maxAttempts per call",
    withClock(async (clock) => {
      let calls = 0;
      const fail = retryable((_x: number) => {
        calls++;
        return Promise.reject(new Error("down"));
      }, { maxAttempts: 2, baseDelay: 100 });
      await rejectsWith(fail(1), { name: "RetryError" }, "retryable(fn, { maxAttempts: 2 })(1)");
      assert.equal(calls, 2, `maxAttempts: 2 means fn runs exactly twice; it ran ${calls} times`);
      assert.equal(
        clock.now(),
        100,
        `one 100 ms backoff between the two attempts, none after the last; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "retryable() uses the default options when given none",
    withClock(async (clock) => {
      const calls: number[] = [];
      const down = retryable(() => {
        calls.push(clock.now());
        return Promise.reject(new Error("down"));
      });
      await rejectsWith(down(), { name: "RetryError" }, "retryable(fn)()");
      assert.deepEqual(
        calls,
        [0, 100, 300],
        `the defaults: 3 attempts at t=[0, 100, 300]; yours at t=[${calls}]`,
      );
    }),
  );

  it(
    "retryable() returns a rejected promise when fn throws synchronously",
    withClock(async () => {
      const broken = retryable((): Promise<never> => {
        throw new TypeError("not a function");
      }, { maxAttempts: 2, baseDelay: 1, isRetriable: () => false });
      await rejectsWith(
        callAsync(() => broken(), "the wrapper"),
        { name: "TypeError" },
        "the wrapper of a throwing fn",
      );
    }),
  );

  it("retryable() draws jitter from the Math.random of the call, not of the wrapping", async () => {
    const calls: number[] = [];
    const down = retryable(() => {
      calls.push(Date.now());
      return Promise.reject(new Error("down"));
    }, { maxAttempts: 3, baseDelay: 1000, factor: 1, jitter: "full" });
    await runWithClock(async (clock) => {
      const expected = seededRandom(5);
      const start = Date.now() - clock.now();
      await down().catch(() => {});
      const first = Math.floor(expected() * 1000);
      const second = Math.floor(expected() * 1000);
      const offsets = calls.map((t) => t - start);
      assert.deepEqual(
        offsets,
        [0, first, first + second],
        `full jitter with the seeded Math.random gives attempts at t=[0, ${first}, ${
          first + second
        }]; yours at t=[${offsets}]`,
      );
    }, { seed: 5 });
  });
});

describe("task 6: @withRetry()", () => {
  it("@withRetry() throws RangeError for invalid options where the class is defined", () => {
    throwsWith(
      () => withRetry({ factor: 0 }),
      { name: "RangeError", message: "factor" },
      "withRetry({ factor: 0 })",
    );
    throwsWith(
      () => withRetry({ maxAttempts: -1 }),
      { name: "RangeError", message: "maxAttempts" },
      "withRetry({ maxAttempts: -1 })",
    );
  });

  it(
    "@withRetry() keeps this and every argument on each attempt",
    withClock(async () => {
      const seen: unknown[][] = [];
      class Repo {
        constructor(readonly table: string) {}
        @withRetry({ maxAttempts: 3, baseDelay: 10 })
        find(id: number, opts: { fresh: boolean }): Promise<string> {
          seen.push([this.table, id, opts.fresh]);
          if (seen.length < 3) return Promise.reject(new Error("locked"));
          return Promise.resolve(`${this.table}#${id}`);
        }
      }
      const found = await new Repo("users").find(7, { fresh: true });
      assert.equal(
        found,
        "users#7",
        `the decorated method should see this.table and its arguments; yours gave ${found}`,
      );
      assert.deepEqual(
        seen,
        [["users", 7, true], ["users", 7, true], ["users", 7, true]],
        "every attempt sees the same this and arguments",
      );
    }),
  );

  it(
    "@withRetry() follows the backoff schedule of its options",
    withClock(async (clock) => {
      const calls: number[] = [];
      class Job {
        @withRetry({ maxAttempts: 4, baseDelay: 50, factor: 3 })
        run(): Promise<void> {
          calls.push(clock.now());
          return Promise.reject(new Error("nope"));
        }
      }
      await rejectsWith(
        new Job().run(),
        { name: "RetryError" },
        "a method decorated with @withRetry({ maxAttempts: 4 })",
      );
      assert.deepEqual(
        calls,
        [0, 50, 200, 650],
        `sleeps of 50, 150 and 450 ms; yours ran at t=[${calls}]`,
      );
      assert.equal(
        clock.now(),
        650,
        `no sleep after the last attempt; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "@withRetry() keeps instances separate",
    withClock(async () => {
      class Conn {
        tries = 0;
        constructor(readonly failFirst: number) {}
        @withRetry({ maxAttempts: 5, baseDelay: 1 })
        ping(): Promise<number> {
          this.tries++;
          if (this.tries <= this.failFirst) return Promise.reject(new Error("timeout"));
          return Promise.resolve(this.tries);
        }
      }
      const [a, b] = [new Conn(0), new Conn(2)];
      assert.deepEqual(
        await Promise.all([a.ping(), b.ping()]),
        [1, 3],
        "each instance counts its own tries",
      );
    }),
  );

  it(
    "@withRetry() works on a static method",
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
      assert.equal(await Config.load(), "loaded 2", "this is the class for a static method");
    }),
  );

  it("@withRetry() keeps the names of instance and static methods", () => {
    class Store {
      @withRetry({ maxAttempts: 2 })
      save(): Promise<void> {
        return Promise.resolve();
      }
      @withRetry()
      static open(): Promise<void> {
        return Promise.resolve();
      }
    }
    assert.deepEqual(
      [Store.prototype.save.name, Store.open.name],
      ["save", "open"],
      `the decorated methods keep their names; yours are named [${Store.prototype.save.name}, ${Store.open.name}]`,
    );
  });

  it(
    "@withRetry() rethrows a non-retriable error from the method unchanged",
    withClock(async () => {
      const denied = new Error("403 Forbidden");
      let calls = 0;
      class Api {
        @withRetry({ maxAttempts: 3, isRetriable: (e) => (e as Error).message !== "403 Forbidden" })
        get(): Promise<never> {
          calls++;
          return Promise.reject(denied);
        }
      }
      await rejectsWith(
        new Api().get(),
        { is: denied },
        "a decorated method failing with a non-retriable error",
      );
      assert.equal(
        calls,
        1,
        `a non-retriable error must not be retried; the method ran ${calls} times`,
      );
    }),
  );

  it(
    "@withRetry() stops when its signal aborts, with the exact reason",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("poller stopped");
      let calls = 0;
      class Poller {
        @withRetry({ maxAttempts: 10, baseDelay: 100, signal: controller.signal })
        poll(): Promise<never> {
          calls++;
          return Promise.reject(new Error("not ready"));
        }
      }
      setTimeout(() => controller.abort(reason), 50);
      await rejectsWith(
        new Poller().poll(),
        { is: reason },
        "a decorated method whose signal aborts at t=50 ms",
      );
      assert.equal(
        clock.now(),
        50,
        `the abort at t=50 ms should end the backoff sleep at once; yours ended at t=${clock.now()}`,
      );
      assert.equal(calls, 1, `no attempt may start after the abort; the method ran ${calls} times`);
    }),
  );

  it("@withRetry() draws jitter from the Math.random of the call, not of the class definition", async () => {
    const calls: number[] = [];
    class Feed {
      @withRetry({ maxAttempts: 2, baseDelay: 1000, jitter: "equal" })
      refresh(): Promise<void> {
        calls.push(Date.now());
        return Promise.reject(new Error("stale"));
      }
    }
    await runWithClock(async (clock) => {
      const expected = seededRandom(3);
      const start = Date.now() - clock.now();
      await new Feed().refresh().catch(() => {});
      const delay = Math.floor(500 + expected() * 500);
      const offsets = calls.map((t) => t - start);
      assert.deepEqual(
        offsets,
        [0, delay],
        `equal jitter with the seeded Math.random: attempts at t=[0, ${delay}]; yours at t=[${offsets}]`,
      );
    }, { seed: 3 });
  });
});
