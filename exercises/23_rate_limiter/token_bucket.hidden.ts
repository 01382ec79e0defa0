// Hidden tests for the token bucket: the grader runs them; no test runner discovers them by itself.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, type VirtualClock, withClock } from "../../lib/mod.ts";
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

describe("TokenBucket (hidden)", () => {
  it("TokenBucket.acquire() ends 10 calls at capacity 5, 5/s at exactly t=1000 ms", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      await bucket.acquire();
      times.push(clock.now());
    }
    assert.deepEqual(times, [0, 0, 0, 0, 0, 200, 400, 600, 800, 1000],
      "sequential acquires: a burst of 5, then one per 200 ms, the last at t=1000 ms");
  }));

  it("TokenBucket.available never exceeds capacity after a long idle", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    assert.equal(bucket.available, 5, "a new bucket should be full (5 tokens)");
    await clock.sleep(10_000);
    assert.equal(bucket.available, 5, "10 s idle at 5/s must not pile up 55 tokens: refill is capped at capacity 5");
  }));

  it("TokenBucket allows only a burst of capacity after a long idle", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    for (let i = 0; i < 5; i++) await bucket.acquire();
    await clock.sleep(10_000);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 7 }, async () => {
      await bucket.acquire();
      times.push(clock.now());
    }));
    assert.deepEqual(times, [10_000, 10_000, 10_000, 10_000, 10_000, 10_200, 10_400],
      "after 10 s idle the bucket holds 5 tokens, not 50: the 6th call must wait 200 ms");
  }));

  it("TokenBucket.acquire() gets a token as soon as it has flowed in, not on a fixed tick", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    assert.equal(bucket.tryAcquire(5), true, "a full bucket should give 5 tokens");
    await clock.sleep(100);
    await bucket.acquire();
    assert.equal(clock.now(), 200,
      "the bucket emptied at t=0 and refills 1 token per 200 ms continuously, so acquire() at t=100 should finish at t=200");
  }));

  it("TokenBucket keeps fractions of a token between refills", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSec: 3 });
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      await bucket.acquire();
      times.push(clock.now());
    }
    assert.deepEqual(times, [0, 0, 334, 667],
      "after the burst of 2, at 3 tokens/s the next token is there at t=333.3 (so 334) and the one after at t=666.7 (so 667); a bucket that drops the leftover 0.002 token at t=334 is late (668)");
  }));

  it("TokenBucket.acquire(n) waits until n tokens have flowed in", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    await bucket.acquire(5);
    await bucket.acquire(3);
    assert.equal(clock.now(), 600, "3 tokens at 5/s take 600 ms to flow into an empty bucket");
    assert.equal(bucket.available, 0, "acquire(3) should take all 3 tokens");
  }));

  it("TokenBucket.acquire() serves waiters in FIFO order even when a later one needs fewer tokens", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    bucket.tryAcquire(5);
    const order: string[] = [];
    const big = bucket.acquire(3).then(() => order.push(`big@${clock.now()}`));
    const small = bucket.acquire(1).then(() => order.push(`small@${clock.now()}`));
    await Promise.all([big, small]);
    assert.deepEqual(order, ["big@600", "small@800"],
      "acquire(3) queued first must be served first (at t=600), then acquire(1) (at t=800); a small later request must not jump the line");
  }));

  it("TokenBucket.tryAcquire() returns false while a waiter is queued", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    bucket.tryAcquire(5);
    const big = bucket.acquire(3);
    await clock.sleep(400);
    assert.equal(bucket.tryAcquire(1), false,
      "at t=400 two tokens have flowed in but they are promised to the queued acquire(3): tryAcquire(1) must not barge in");
    await big;
    assert.equal(clock.now(), 600, "the queued acquire(3) should still finish at t=600");
  }));

  it("TokenBucket.acquire() queues a newcomer behind existing waiters", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    bucket.tryAcquire(5);
    const first = bucket.acquire(3);
    await clock.sleep(400);
    await bucket.acquire(1);
    assert.equal(clock.now(), 800,
      "acquire(1) called at t=400 (2 tokens there) must wait behind the queued acquire(3) (served at t=600) and get its token at t=800");
    await first;
  }));

  it("TokenBucket keeps one timer, for the head waiter only", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    bucket.tryAcquire(5);
    const waits = [bucket.acquire(), bucket.acquire(), bucket.acquire(), bucket.acquire()];
    await clock.flush();
    assert.equal(bucket.waiting, 4, "4 acquire() calls should wait in line");
    assert.equal(bucketTimers(clock), 1,
      `4 waiters should share ONE timer (the head's); yours keeps ${bucketTimers(clock)}: only the head can be served next`);
    await clock.sleep(250);
    assert.equal(bucketTimers(clock), 1, `after the head was served, still one timer; yours keeps ${bucketTimers(clock)}`);
    await Promise.all(waits);
    assert.equal(bucketTimers(clock), 0, "no timer should remain once the line is empty");
  }));

  it("TokenBucket.acquire() abort removes that waiter and the next one moves up", withClock(async (clock) => {
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
    assert.deepEqual(times, { a: 200, c: 400 },
      "with the middle waiter aborted, the third one should get the second token (t=400), not wait for a third (t=600)");
  }));

  it("TokenBucket.acquire() abort of the head re-arms the timer for the next waiter", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    bucket.tryAcquire(5);
    const controller = new AbortController();
    const head = bucket.acquire(5, { signal: controller.signal });
    const next = bucket.acquire(1);
    setTimeout(() => controller.abort(), 100);
    await rejectsWith(head, { name: "AbortError" }, "the aborted acquire(5)");
    await next;
    assert.equal(clock.now(), 200,
      "once acquire(5) left the line at t=100, acquire(1) should get the token that arrives at t=200, not wait for the old head's t=1000");
  }));

  it("TokenBucket.acquire() abort of the last waiter leaves no timer behind", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSec: 1 });
    bucket.tryAcquire(2);
    const controller = new AbortController();
    const waiting = bucket.acquire(2, { signal: controller.signal });
    await clock.sleep(500);
    controller.abort();
    await rejectsWith(waiting, { name: "AbortError" }, "the aborted acquire(2)");
    assert.equal(bucketTimers(clock), 0, "an aborted sole waiter's timer must be cleared");
    assert.equal(bucket.waiting, 0, "the aborted waiter should have left the line");
  }));

  it("TokenBucket.acquire() rejects with the signal's own reason", withClock(async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSec: 1 });
    bucket.tryAcquire();
    const controller = new AbortController();
    const reason = new Error("shutting down");
    const waiting = bucket.acquire(1, { signal: controller.signal });
    controller.abort(reason);
    await rejectsWith(waiting, { is: reason }, "acquire() aborted with a custom reason");
  }));

  it("TokenBucket.acquire() with an already-aborted signal rejects at once and takes nothing", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    const reason = new Error("already cancelled");
    await rejectsWith(() => bucket.acquire(1, { signal: AbortSignal.abort(reason) }), { is: reason },
      "acquire() with a pre-aborted signal");
    assert.equal(clock.now(), 0, "it should reject at once");
    assert.equal(bucket.available, 5, "a pre-aborted acquire() must not take a token");
  }));

  it("TokenBucket.acquire() removes its abort listener once served", withClock(async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSec: 1 });
    bucket.tryAcquire();
    const watched = watchedSignal();
    await bucket.acquire(1, { signal: watched.controller.signal });
    assert.equal(watched.listeners.size, 0, "after acquire() got its tokens, its abort listener must be removed");
  }));

  it("TokenBucket.acquire() times out with AbortSignal.timeout", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 1 });
    bucket.tryAcquire(5);
    await rejectsWith(bucket.acquire(3, { signal: AbortSignal.timeout(2000) }), { name: "TimeoutError" },
      "acquire(3) with AbortSignal.timeout(2000) when the tokens come at t=3000");
    assert.equal(clock.now(), 2000, "it should give up at t=2000");
    await bucket.acquire(2);
    assert.equal(clock.now(), 2000, "the 2 tokens that flowed in meanwhile are still there for the next caller");
  }));

  it("TokenBucket.acquire() rejects n above capacity, zero and fractions with RangeError", withClock(async () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    await rejectsWith(() => bucket.acquire(6), { name: "RangeError" }, "acquire(6) on capacity 5 (it could never be served)");
    await rejectsWith(() => bucket.acquire(0), { name: "RangeError" }, "acquire(0)");
    await rejectsWith(() => bucket.acquire(1.5), { name: "RangeError" }, "acquire(1.5)");
    assert.equal(bucket.available, 5, "rejected calls must not take tokens");
  }));

  it("TokenBucket.tryAcquire() rejects n above capacity with RangeError", withClock(() => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSec: 1 });
    throwsWith(() => bucket.tryAcquire(3), { name: "RangeError" }, "tryAcquire(3) on capacity 2");
  }));

  it("TokenBucket rejects invalid options with RangeError", withClock(() => {
    throwsWith(() => new TokenBucket({ capacity: -1, refillPerSec: 1 }), { name: "RangeError" }, "new TokenBucket({ capacity: -1 })");
    throwsWith(() => new TokenBucket({ capacity: 5, refillPerSec: 0 }), { name: "RangeError" }, "new TokenBucket({ refillPerSec: 0 })");
    throwsWith(() => new TokenBucket({ capacity: Number.NaN, refillPerSec: 1 }), { name: "RangeError" }, "new TokenBucket({ capacity: NaN })");
  }));
});
