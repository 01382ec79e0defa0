// Visible tests for the token bucket. Run: `bun test exercises/23_rate_limiter` or
// `deno test exercises/23_rate_limiter`. Time is virtual: a test that "waits" a second of refill
// finishes at once, and clock.now() says exactly when (in ms) each call got its tokens.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { TokenBucket } from "./token_bucket.ts";

describe("TokenBucket", () => {
  it("TokenBucket starts full: a burst of capacity passes at t=0", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    for (let i = 0; i < 5; i++) await bucket.acquire();
    assert.equal(clock.now(), 0, "a full bucket of 5 should let 5 acquires through without waiting");
  }));

  it("TokenBucket.acquire() gives 10 calls at capacity 5, 5/s a burst then one every 200 ms", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSec: 5 });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      await bucket.acquire();
      times.push(clock.now());
    }));
    assert.deepEqual(
      times,
      [0, 0, 0, 0, 0, 200, 400, 600, 800, 1000],
      "5 calls should pass at once (the burst), then one every 1000/5 = 200 ms, ending at t=1000 ms",
    );
  }));

  it("TokenBucket.tryAcquire() takes tokens only when they are there", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSec: 1 });
    assert.equal(bucket.tryAcquire(2), true, "a full bucket of 2 should give 2 tokens at once");
    assert.equal(bucket.tryAcquire(), false, "an empty bucket should refuse tryAcquire()");
    await clock.sleep(1000);
    assert.equal(bucket.tryAcquire(), true, "after 1 s at 1 token/s there should be a token again");
  }));

  it("TokenBucket.available refills continuously", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 4, refillPerSec: 2 });
    bucket.tryAcquire(4);
    await clock.sleep(250);
    assert.equal(bucket.available, 0.5, "250 ms at 2 tokens/s is half a token (refill is continuous, not in whole steps)");
  }));

  it("TokenBucket.acquire() rejects n above capacity with RangeError", withClock(async () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSec: 1 });
    await rejectsWith(() => bucket.acquire(4), { name: "RangeError" }, "acquire(4) on a bucket of capacity 3");
  }));

  it("TokenBucket rejects a capacity of 0 with RangeError", withClock(() => {
    throwsWith(() => new TokenBucket({ capacity: 0, refillPerSec: 1 }), { name: "RangeError" }, "new TokenBucket({ capacity: 0 })");
  }));

  it("TokenBucket.acquire() stops waiting when its signal aborts", withClock(async (clock) => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSec: 1 });
    await bucket.acquire();
    const controller = new AbortController();
    const waiting = bucket.acquire(1, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await rejectsWith(waiting, { name: "AbortError" }, "acquire() aborted after 300 ms");
    assert.equal(clock.now(), 300, "the aborted acquire() should reject when the signal aborts, at t=300 ms");
    assert.equal(bucket.waiting, 0, "an aborted acquire() should leave the line");
  }));
});
