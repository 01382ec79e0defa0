/**
 * Hidden tests of the token bucket (tasks 2-5): the grader runs them; no test runner discovers
 * them by itself.
 */
import { describe, it } from "node:test";
import assert, { AssertionError } from "node:assert/strict";
import {
  isNotImplemented,
  rejectsWith,
  throwsWith,
  type VirtualClock,
  withClock,
} from "../../lib/mod.ts";
import { TokenBucket } from "./token_bucket.ts";

/** Timers the bucket keeps (AbortSignal.timeout timers belong to the test, not to the bucket). */
function bucketTimers(clock: VirtualClock): number {
  return clock.pending().filter((t) => t.kind !== "AbortSignal.timeout").length;
}

/** A signal that remembers which abort listeners are still attached. */
function watchedSignal(): { controller: AbortController; listeners: Set<unknown> } {
  const controller = new AbortController();
  const listeners = new Set<unknown>();
  const signal = controller.signal as unknown as {
    addEventListener(type: string, listener: unknown, options?: unknown): void;
    removeEventListener(type: string, listener: unknown, options?: unknown): void;
  };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (type, listener, options) => {
    if (type === "abort") listeners.add(listener);
    add(type, listener, options);
  };
  signal.removeEventListener = (type, listener, options) => {
    if (type === "abort") listeners.delete(listener);
    remove(type, listener, options);
  };
  return { controller, listeners };
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

describe("task 2: the bucket", () => {
  it(
    "TokenBucket allows only a burst of capacity after a long idle",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      for (let i = 0; i < 5; i++) await bucket.acquire();
      await clock.sleep(10_000);
      const times: number[] = [];
      await Promise.all(Array.from({ length: 7 }, async () => {
        await bucket.acquire();
        times.push(clock.now());
      }));
      assert.deepEqual(
        times,
        [10_000, 10_000, 10_000, 10_000, 10_000, 10_200, 10_400],
        `after 10 s idle the bucket holds 5 tokens, not 50: the 6th call waits 200 ms; yours: [${times}]`,
      );
    }),
  );

  it(
    "TokenBucket.available is full at the start and counts fractions while refilling",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 3, refillPerSec: 4 });
      assert.equal(bucket.available, 3, `a new bucket is full; yours holds ${bucket.available}`);
      bucket.tryAcquire(3);
      const seen: number[] = [];
      for (const ms of [100, 150, 500, 2000]) {
        await clock.sleep(ms);
        seen.push(Math.round(bucket.available * 1000) / 1000);
      }
      assert.deepEqual(
        seen,
        [0.4, 1, 3, 3],
        `at 4 tokens/s: 0.4 after 100 ms, 1 after 250 ms, then capped at 3; yours: [${seen}]`,
      );
    }),
  );

  it(
    "TokenBucket keeps fractions of a token between refills",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 2, refillPerSec: 3 });
      const times: number[] = [];
      for (let i = 0; i < 4; i++) {
        await bucket.acquire();
        times.push(clock.now());
      }
      assert.deepEqual(
        times,
        [0, 0, 334, 667],
        `after the burst of 2, at 3 tokens/s the next token is there at t=333.3 (so 334) and the one after at t=666.7 (so 667); a bucket that drops the leftover 0.002 token at t=334 is late (668); yours: [${times}]`,
      );
    }),
  );

  it(
    "TokenBucket accepts a fractional capacity and counts it exactly",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 1.5, refillPerSec: 2 });
      assert.equal(
        bucket.tryAcquire(1),
        true,
        "capacity 1.5 starts with 1.5 tokens: one whole token is there",
      );
      assert.equal(bucket.tryAcquire(1), false, "half a token is not a token");
      assert.equal(bucket.available, 0.5, `0.5 token left; yours: ${bucket.available}`);
      await bucket.acquire(1);
      assert.equal(
        clock.now(),
        250,
        `the missing half token flows in in 250 ms at 2/s; yours at t=${clock.now()}`,
      );
      await rejectsWith(
        () => bucket.acquire(2),
        { name: "RangeError" },
        "acquire(2) on capacity 1.5 (it could never be served)",
      );
    }),
  );

  it(
    "new TokenBucket() refuses a capacity that is not a positive finite number",
    withClock(() => {
      for (const capacity of [0, -1, NaN, Infinity]) {
        throwsWith(
          () => new TokenBucket({ capacity, refillPerSec: 1 }),
          { name: "RangeError" },
          `new TokenBucket({ capacity: ${capacity} })`,
        );
      }
    }),
  );

  it(
    "new TokenBucket() refuses a refillPerSec that is not a positive finite number",
    withClock(() => {
      for (const refillPerSec of [0, -2, NaN, Infinity]) {
        throwsWith(
          () => new TokenBucket({ capacity: 5, refillPerSec }),
          { name: "RangeError" },
          `new TokenBucket({ refillPerSec: ${refillPerSec} })`,
        );
      }
      const slow = new TokenBucket({ capacity: 1, refillPerSec: 0.25 });
      assert.equal(
        slow.refillPerSec,
        0.25,
        `a fractional rate is valid and kept; yours: ${slow.refillPerSec}`,
      );
    }),
  );
});

describe("task 3: tryAcquire()", () => {
  it(
    "TokenBucket.tryAcquire() takes 1 token by default and n when asked",
    withClock(() => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 1 });
      assert.equal(bucket.tryAcquire(), true, "tryAcquire() takes one token");
      assert.equal(
        bucket.available,
        4,
        `4 tokens left after tryAcquire(); yours: ${bucket.available}`,
      );
      assert.equal(bucket.tryAcquire(4), true, "tryAcquire(4) takes the remaining 4");
      assert.equal(bucket.tryAcquire(), false, "then the bucket is empty");
    }),
  );

  it(
    "TokenBucket.tryAcquire() takes nothing when it refuses",
    withClock(() => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 1 });
      bucket.tryAcquire(3);
      assert.equal(bucket.tryAcquire(3), false, "3 tokens asked, 2 there: refused");
      assert.equal(
        bucket.available,
        2,
        `a refused tryAcquire() takes nothing: 2 left; yours: ${bucket.available}`,
      );
    }),
  );

  it(
    "TokenBucket.tryAcquire() returns false while a waiter is queued",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const big = bucket.acquire(3);
      await clock.sleep(400);
      assert.equal(
        bucket.tryAcquire(1),
        false,
        "at t=400 two tokens have flowed in but they are promised to the queued acquire(3): tryAcquire(1) must not barge in",
      );
      await big;
      assert.equal(
        clock.now(),
        600,
        `the queued acquire(3) still finishes at t=600; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TokenBucket.tryAcquire() refuses n that is not an integer from 1 to capacity",
    withClock(() => {
      const bucket = new TokenBucket({ capacity: 2, refillPerSec: 1 });
      for (const n of [3, 0, -1, 1.5, NaN]) {
        throwsWith(
          () => bucket.tryAcquire(n),
          { name: "RangeError" },
          `tryAcquire(${n}) on capacity 2`,
        );
      }
      assert.equal(bucket.available, 2, `refused calls take nothing; ${bucket.available} left`);
    }),
  );
});

describe("task 4: acquire() and waiting", () => {
  it(
    "TokenBucket.acquire() ends 10 sequential calls at capacity 5, 5/s at exactly t=1000 ms with one timer per wait",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        await bucket.acquire();
        times.push(clock.now());
      }
      assert.deepEqual(
        times,
        [0, 0, 0, 0, 0, 200, 400, 600, 800, 1000],
        `sequential acquires: a burst of 5, then one per 200 ms; yours: [${times}]`,
      );
      const delays = clock.trace.map((t) => t.delay);
      assert.deepEqual(
        delays,
        [200, 200, 200, 200, 200],
        `each wait arms one timer for exactly the 200 ms its token needs (no polling, no early re-arming); yours fired [${delays}]`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() gets a token as soon as it has flowed in, not on a fixed tick",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      assert.equal(bucket.tryAcquire(5), true, "a full bucket gives 5 tokens");
      await clock.sleep(100);
      await bucket.acquire();
      assert.equal(
        clock.now(),
        200,
        `the bucket emptied at t=0 and refills continuously, so acquire() at t=100 finishes at t=200; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TokenBucket.acquire(n) waits until n tokens have flowed in, with one timer of the exact delay",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      await bucket.acquire(5);
      const waiting = bucket.acquire(3);
      await clock.flush();
      const delays = clock.pending().map((t) => t.delay);
      assert.deepEqual(
        delays,
        [600],
        `3 missing tokens at 5/s: one timer of 600 ms; yours: [${delays}]`,
      );
      await waiting;
      assert.equal(
        clock.now(),
        600,
        `3 tokens at 5/s take 600 ms to flow into an empty bucket; yours at t=${clock.now()}`,
      );
      assert.equal(bucket.available, 0, `acquire(3) takes all 3 tokens; ${bucket.available} left`);
    }),
  );

  it(
    "TokenBucket.acquire() rounds a delay that is not whole up, with one timer: at 3/s a token takes 334 ms",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 1, refillPerSec: 3 });
      bucket.tryAcquire();
      await bucket.acquire();
      const fired = clock.trace.map((t) => t.delay);
      assert.deepEqual(
        fired,
        [334],
        `1 token at 3/s needs 333.3 ms: one timer of Math.ceil(333.3) = 334 ms, not an earlier one and a second to make up the rest; yours fired [${fired}]`,
      );
      assert.equal(clock.now(), 334, `served at t=334; yours at t=${clock.now()}`);
    }),
  );

  it(
    "TokenBucket.acquire() queues a newcomer behind existing waiters",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const first = bucket.acquire(3);
      await clock.sleep(400);
      await bucket.acquire(1);
      assert.equal(
        clock.now(),
        800,
        `acquire(1) called at t=400 (2 tokens there) waits behind the queued acquire(3) (served at t=600) and gets its token at t=800; yours at t=${clock.now()}`,
      );
      await first;
    }),
  );

  it(
    "TokenBucket keeps one timer, for the head, re-armed for the next waiter",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const waits = [bucket.acquire(2), bucket.acquire(1), bucket.acquire(2)];
      await clock.flush();
      assert.equal(
        bucketTimers(clock),
        1,
        `3 waiters share ONE timer; yours keeps ${bucketTimers(clock)}`,
      );
      await clock.sleep(450);
      assert.equal(
        bucketTimers(clock),
        1,
        `after the head was served, still one timer; yours keeps ${bucketTimers(clock)}`,
      );
      await Promise.all(waits);
      assert.equal(
        clock.now(),
        1000,
        `2 + 1 + 2 tokens at 5/s: the last is served at t=1000; yours at t=${clock.now()}`,
      );
      const delays = clock.trace.filter((t) => t.delay !== 450).map((t) => t.delay);
      assert.deepEqual(
        delays,
        [400, 200, 400],
        `one timer per head, each for exactly its missing tokens; yours fired [${delays}]`,
      );
      assert.equal(bucketTimers(clock), 0, "no timer remains once the line is empty");
    }),
  );

  it(
    "TokenBucket.waiting counts the line as it grows and shrinks",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 2, refillPerSec: 10 });
      bucket.tryAcquire(2);
      assert.equal(bucket.waiting, 0, "nobody waits yet");
      const waits = [bucket.acquire(), bucket.acquire(), bucket.acquire()];
      assert.equal(bucket.waiting, 3, `3 calls wait; yours says ${bucket.waiting}`);
      await clock.sleep(150);
      assert.equal(
        bucket.waiting,
        2,
        `one was served at t=100; at t=150 two wait; yours says ${bucket.waiting}`,
      );
      await Promise.all(waits);
      assert.equal(bucket.waiting, 0, `the line is empty; yours says ${bucket.waiting}`);
    }),
  );

  it(
    "TokenBucket.acquire() checks n before the signal: an invalid n rejects with RangeError even when the signal has aborted",
    withClock(async () => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      const signal = AbortSignal.abort(new Error("cancelled"));
      for (const n of [0, 6, 1.5]) {
        await rejectsWith(
          callAsync(() => bucket.acquire(n, { signal }), `acquire(${n}, { signal: aborted })`),
          { name: "RangeError" },
          `acquire(${n}) with an aborted signal: n is checked first`,
        );
      }
    }),
  );

  it(
    "TokenBucket.acquire() rejects, never throws, for n that is not an integer from 1 to capacity",
    withClock(async () => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      for (const n of [6, 0, -1, 1.5, NaN]) {
        await rejectsWith(
          callAsync(() => bucket.acquire(n), `acquire(${n})`),
          { name: "RangeError" },
          `acquire(${n}) on capacity 5`,
        );
      }
      assert.equal(bucket.available, 5, `rejected calls take no tokens; ${bucket.available} left`);
    }),
  );
});

describe("task 5: cancellation", () => {
  it(
    "TokenBucket.acquire() abort removes that waiter and the next one moves up",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const controller = new AbortController();
      const times: Record<string, number> = {};
      const a = bucket.acquire().then(() => (times.a = clock.now()));
      const b = bucket.acquire(1, { signal: controller.signal });
      const c = bucket.acquire().then(() => (times.c = clock.now()));
      setTimeout(() => controller.abort(), 100);
      await rejectsWith(b, { name: "AbortError" }, "the aborted acquire()");
      await Promise.all([a, c]);
      assert.deepEqual(
        times,
        { a: 200, c: 400 },
        `with the middle waiter aborted, the third gets the second token (t=400), not a third (t=600); yours: ${
          JSON.stringify(times)
        }`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() abort of the head re-arms the timer for the next waiter",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const controller = new AbortController();
      const head = bucket.acquire(5, { signal: controller.signal });
      const next = bucket.acquire(1);
      setTimeout(() => controller.abort(), 100);
      await rejectsWith(head, { name: "AbortError" }, "the aborted acquire(5)");
      await next;
      assert.equal(
        clock.now(),
        200,
        `once acquire(5) left the line at t=100, acquire(1) gets the token that arrives at t=200, not the old head's t=1000; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() abort of the head serves the next waiter at once when its tokens are there",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const controller = new AbortController();
      const head = bucket.acquire(5, { signal: controller.signal });
      const next = bucket.acquire(2).then(() => clock.now());
      setTimeout(() => controller.abort(), 600);
      await head.catch(() => {});
      const at = await next;
      assert.equal(
        at,
        600,
        `3 tokens are there at t=600: acquire(2) is served the moment the head leaves; yours at t=${at}`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() abort of the head serves every next waiter whose tokens are there, in the same instant",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 3, refillPerSec: 1 });
      bucket.tryAcquire(3);
      const controller = new AbortController();
      const head = bucket.acquire(3, { signal: controller.signal });
      const times: number[] = [];
      const rest = [bucket.acquire(1), bucket.acquire(1)].map((p) =>
        p.then(() => times.push(clock.now()))
      );
      setTimeout(() => controller.abort(), 2000);
      await head.catch(() => {});
      await Promise.all(rest);
      assert.deepEqual(
        times,
        [2000, 2000],
        `2 tokens are there when the head leaves at t=2000: both acquire(1) are served then, not one per timer; yours at [${times}]`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() abort of the head never lets a later waiter pass the new head",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 3, refillPerSec: 1 });
      bucket.tryAcquire(3);
      const controller = new AbortController();
      const times: Record<string, number> = {};
      const head = bucket.acquire(2, { signal: controller.signal });
      const b = bucket.acquire(3).then(() => (times.b = clock.now()));
      const c = bucket.acquire(1).then(() => (times.c = clock.now()));
      setTimeout(() => controller.abort(), 1000);
      await head.catch(() => {});
      await Promise.all([b, c]);
      assert.deepEqual(
        times,
        { b: 3000, c: 4000 },
        `when the head leaves at t=1000, acquire(3) is the new head: the 1 token there is its, so acquire(1) waits behind it (b at 3000, c at 4000); yours: ${
          JSON.stringify(times)
        }`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() abort of the last waiter leaves no timer behind",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 2, refillPerSec: 1 });
      bucket.tryAcquire(2);
      const controller = new AbortController();
      const waiting = bucket.acquire(2, { signal: controller.signal });
      await clock.sleep(500);
      controller.abort();
      await rejectsWith(waiting, { name: "AbortError" }, "the aborted acquire(2)");
      assert.equal(bucketTimers(clock), 0, "an aborted sole waiter's timer must be cleared");
      assert.equal(bucket.waiting, 0, "the aborted waiter left the line");
    }),
  );

  it(
    "TokenBucket.acquire() rejects with the signal's own reason",
    withClock(async () => {
      const bucket = new TokenBucket({ capacity: 1, refillPerSec: 1 });
      bucket.tryAcquire();
      const controller = new AbortController();
      const reason = { why: "shutting down" };
      const waiting = bucket.acquire(1, { signal: controller.signal });
      controller.abort(reason);
      await rejectsWith(waiting, { is: reason }, "acquire() aborted with a custom reason");
    }),
  );

  it(
    "TokenBucket.acquire() with an already aborted signal rejects without waiting, even when tokens are there",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      const reason = new Error("already cancelled");
      await rejectsWith(
        callAsync(
          () => bucket.acquire(2, { signal: AbortSignal.abort(reason) }),
          "acquire(2, { signal: aborted })",
        ),
        { is: reason },
        "acquire(2) with a pre-aborted signal",
      );
      assert.equal(bucket.available, 5, `no token taken; ${bucket.available} left`);
      assert.equal(bucket.waiting, 0, "nobody waits");
      assert.equal(clock.pending().length, 0, "no timer armed");
    }),
  );

  it(
    "TokenBucket.acquire() removes its abort listener once served, and a later abort changes nothing",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 1, refillPerSec: 1 });
      bucket.tryAcquire();
      const watched = watchedSignal();
      await bucket.acquire(1, { signal: watched.controller.signal });
      assert.equal(
        watched.listeners.size,
        0,
        "after acquire() got its tokens, its abort listener must be removed",
      );
      watched.controller.abort();
      await clock.sleep(1);
      assert.equal(
        bucket.available < 0.01,
        true,
        `the token stays spent; available is ${bucket.available}`,
      );
      assert.equal(bucket.waiting, 0, "nobody waits");
    }),
  );

  it(
    "TokenBucket.acquire() times out with AbortSignal.timeout and leaves the tokens for the next caller",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 1 });
      bucket.tryAcquire(5);
      await rejectsWith(
        bucket.acquire(3, { signal: AbortSignal.timeout(2000) }),
        { name: "TimeoutError" },
        "acquire(3) with AbortSignal.timeout(2000) when the tokens come at t=3000",
      );
      assert.equal(clock.now(), 2000, `it gives up at t=2000; yours at t=${clock.now()}`);
      await bucket.acquire(2);
      assert.equal(
        clock.now(),
        2000,
        "the 2 tokens that flowed in meanwhile are still there for the next caller",
      );
    }),
  );
});
