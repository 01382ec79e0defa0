/**
 * Visible tests of the token bucket (tasks 2-5). Run them with `bun test exercises/23_rate_limiter`
 * or `deno test exercises/23_rate_limiter`. Time is virtual: a test that "waits" a second of refill
 * finishes at once, and clock.now() says exactly when (in ms) each call got its tokens.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { TokenBucket } from "./token_bucket.ts";

describe("task 2: the bucket", () => {
  it(
    "TokenBucket starts full: a burst of capacity passes at t=0",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      for (let i = 0; i < 5; i++) await bucket.acquire();
      assert.equal(
        clock.now(),
        0,
        `a full bucket of 5 lets 5 acquires through without waiting; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "TokenBucket.available refills continuously",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 4, refillPerSec: 2 });
      bucket.tryAcquire(4);
      await clock.sleep(250);
      const available = bucket.available;
      assert.equal(
        available,
        0.5,
        `250 ms at 2 tokens/s is half a token (no whole steps); yours: ${available}`,
      );
    }),
  );

  it(
    "TokenBucket.available never exceeds capacity after a long idle",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      await clock.sleep(10_000);
      const available = bucket.available;
      assert.equal(
        available,
        5,
        `10 s idle at 5/s must not pile up 55 tokens: capped at 5; yours: ${available}`,
      );
    }),
  );

  it(
    "TokenBucket accepts a fractional rate: 0.5 tokens/s is one token every 2 s",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 1, refillPerSec: 0.5 });
      await bucket.acquire();
      await bucket.acquire();
      assert.equal(
        clock.now(),
        2000,
        `the second token takes 2000 ms to flow in; yours came at t=${clock.now()}`,
      );
    }),
  );

  it(
    "new TokenBucket() rejects a capacity of 0 and a NaN rate with RangeError",
    withClock(() => {
      throwsWith(
        () => new TokenBucket({ capacity: 0, refillPerSec: 1 }),
        { name: "RangeError" },
        "new TokenBucket({ capacity: 0 })",
      );
      throwsWith(
        () => new TokenBucket({ capacity: 5, refillPerSec: NaN }),
        { name: "RangeError" },
        "new TokenBucket({ refillPerSec: NaN }) (NaN <= 0 is false: a `<= 0` check lets it through)",
      );
    }),
  );
});

describe("task 3: tryAcquire()", () => {
  it(
    "TokenBucket.tryAcquire() takes tokens only when they are there",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 2, refillPerSec: 1 });
      assert.equal(bucket.tryAcquire(2), true, "a full bucket of 2 gives 2 tokens at once");
      assert.equal(bucket.tryAcquire(), false, "an empty bucket refuses tryAcquire()");
      await clock.sleep(1000);
      assert.equal(bucket.tryAcquire(), true, "after 1 s at 1 token/s there is a token again");
    }),
  );

  it(
    "TokenBucket.tryAcquire() refuses while a waiter is queued",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const waiting = bucket.acquire(3);
      await clock.sleep(400);
      assert.equal(
        bucket.tryAcquire(1),
        false,
        "at t=400 two tokens have flowed in, but they are promised to the queued acquire(3): no barging",
      );
      await waiting;
    }),
  );

  it(
    "TokenBucket.tryAcquire() throws a RangeError for n above capacity or not whole",
    withClock(() => {
      const bucket = new TokenBucket({ capacity: 2, refillPerSec: 1 });
      throwsWith(() => bucket.tryAcquire(3), { name: "RangeError" }, "tryAcquire(3) on capacity 2");
      throwsWith(() => bucket.tryAcquire(1.5), { name: "RangeError" }, "tryAcquire(1.5)");
    }),
  );
});

describe("task 4: acquire() and waiting", () => {
  it(
    "TokenBucket.acquire() gives 10 calls at capacity 5, 5/s a burst then one every 200 ms",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      const times: number[] = [];
      await Promise.all(Array.from({ length: 10 }, async () => {
        await bucket.acquire();
        times.push(clock.now());
      }));
      assert.deepEqual(
        times,
        [0, 0, 0, 0, 0, 200, 400, 600, 800, 1000],
        `5 calls pass at once (the burst), then one every 1000/5 = 200 ms; yours: [${times}]`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() lets no more than capacity calls through across any edge",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      await clock.sleep(990);
      const times: number[] = [];
      await Promise.all(Array.from({ length: 10 }, async () => {
        await bucket.acquire();
        times.push(clock.now());
      }));
      assert.deepEqual(
        times,
        [990, 990, 990, 990, 990, 1190, 1390, 1590, 1790, 1990],
        `no window edge to burst across: 5 at once, then one per 200 ms; yours: [${times}]`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() serves waiters in FIFO order even when a later one needs fewer tokens",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const order: string[] = [];
      const big = bucket.acquire(3).then(() => order.push(`big@${clock.now()}`));
      const small = bucket.acquire(1).then(() => order.push(`small@${clock.now()}`));
      await Promise.all([big, small]);
      assert.deepEqual(
        order,
        ["big@600", "small@800"],
        `acquire(3) queued first is served first (t=600), then acquire(1) (t=800); yours: ${
          JSON.stringify(order)
        }`,
      );
    }),
  );

  it(
    "TokenBucket keeps one timer, for the head waiter only",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      bucket.tryAcquire(5);
      const waits = [bucket.acquire(), bucket.acquire(), bucket.acquire(), bucket.acquire()];
      await clock.flush();
      assert.equal(
        bucket.waiting,
        4,
        `4 acquire() calls wait in line; yours says ${bucket.waiting}`,
      );
      const timers = clock.pending().length;
      assert.equal(timers, 1, `4 waiters share ONE timer (the head's); yours keeps ${timers}`);
      await Promise.all(waits);
      assert.equal(clock.pending().length, 0, "no timer remains once the line is empty");
    }),
  );

  it(
    "TokenBucket.acquire() rejects n above capacity with RangeError",
    withClock(async () => {
      const bucket = new TokenBucket({ capacity: 3, refillPerSec: 1 });
      await rejectsWith(
        () => bucket.acquire(4),
        { name: "RangeError" },
        "acquire(4) on a bucket of capacity 3",
      );
    }),
  );
});

describe("task 5: cancellation", () => {
  it(
    "TokenBucket.acquire() stops waiting when its signal aborts",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 1, refillPerSec: 1 });
      await bucket.acquire();
      const controller = new AbortController();
      const reason = new Error("user left");
      const waiting = bucket.acquire(1, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 300);
      await rejectsWith(waiting, { is: reason }, "acquire() aborted after 300 ms");
      assert.equal(
        clock.now(),
        300,
        `it rejects when the signal aborts, at t=300; yours at t=${clock.now()}`,
      );
      assert.equal(
        bucket.waiting,
        0,
        `an aborted acquire() leaves the line; waiting is ${bucket.waiting}`,
      );
    }),
  );

  it(
    "TokenBucket.acquire() with an already aborted signal rejects at once and takes nothing",
    withClock(async (clock) => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
      const reason = new Error("already cancelled");
      await rejectsWith(
        () => bucket.acquire(1, { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "acquire() with a pre-aborted signal",
      );
      assert.equal(clock.now(), 0, `it rejects at once; yours at t=${clock.now()}`);
      assert.equal(
        bucket.available,
        5,
        `a pre-aborted acquire() takes no token; ${bucket.available} left`,
      );
    }),
  );
});
