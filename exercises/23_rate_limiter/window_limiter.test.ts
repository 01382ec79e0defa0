/**
 * Visible tests of the tutorial's limiter (task 1). Run them with `bun test exercises/23_rate_limiter`
 * or `deno test exercises/23_rate_limiter`. Time is virtual: a second of refill takes no real time,
 * and clock.now() says exactly when (in ms) each call got through.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, throwsWith, type VirtualClock, withClock } from "../../lib/mod.ts";
import { WindowLimiter } from "./window_limiter.ts";

/** Starts `count` acquire() calls at once; resolves with the time each one got through. */
async function burst(
  limiter: WindowLimiter,
  count: number,
  clock: VirtualClock,
): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(Array.from({ length: count }, async () => {
    await limiter.acquire();
    times.push(clock.now());
  }));
  return times;
}

describe("task 1: WindowLimiter", () => {
  it(
    "WindowLimiter lets limit calls through per window: 12 calls at limit 5 pass at t=0, 1000 and 2000",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 5 });
      try {
        const times = await burst(limiter, 12, clock);
        assert.deepEqual(
          times,
          [0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000],
          `5 calls per window of 1000 ms (the default), refilled at each edge; yours: [${times}]`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "WindowLimiter lets 2 * limit calls through across a window edge",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 5, windowMs: 1000 });
      try {
        await clock.sleep(990);
        const times = await burst(limiter, 10, clock);
        assert.deepEqual(
          times,
          [990, 990, 990, 990, 990, 1000, 1000, 1000, 1000, 1000],
          `the fault the token bucket fixes: 10 calls in 10 ms from "5 per second"; yours: [${times}]`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "WindowLimiter does not pile up permits over idle windows",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 3 });
      try {
        await clock.sleep(4990);
        const times = await burst(limiter, 4, clock);
        assert.deepEqual(
          times,
          [4990, 4990, 4990, 5000],
          `after 4 idle windows there are still 3 permits, not 15: the 4th call waits for the edge at t=5000; yours: [${times}]`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "WindowLimiter.close() rejects a waiting acquire() with InvalidStateError and stops the timer",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 1 });
      await limiter.acquire();
      const waiting = limiter.acquire();
      setTimeout(() => limiter.close(), 300);
      await rejectsWith(
        waiting,
        { name: "InvalidStateError" },
        "an acquire() waiting when close() is called",
      );
      assert.equal(
        clock.now(),
        300,
        `it rejects when close() is called (t=300); yours at t=${clock.now()}`,
      );
      const left = clock.pending().length;
      assert.equal(left, 0, `close() stops the refill timer; yours left ${left} timer(s)`);
    }),
  );

  it(
    "WindowLimiter.acquire() aborted while waiting rejects with the reason and the next caller gets the permit",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 1 });
      try {
        await limiter.acquire();
        const controller = new AbortController();
        const reason = new Error("user left");
        const first = limiter.acquire({ signal: controller.signal });
        const second = limiter.acquire().then(() => clock.now());
        setTimeout(() => controller.abort(reason), 100);
        await rejectsWith(first, { is: reason }, "the aborted acquire()");
        const at = await second;
        assert.equal(
          at,
          1000,
          `the next caller gets the permit at the edge (t=1000); yours at t=${at}`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "new WindowLimiter() rejects a limit of 0 or 2.5 with RangeError and defaults windowMs to 1000",
    withClock(() => {
      throwsWith(
        () => new WindowLimiter({ limit: 0 }),
        { name: "RangeError" },
        "new WindowLimiter({ limit: 0 })",
      );
      throwsWith(
        () => new WindowLimiter({ limit: 2.5 }),
        { name: "RangeError" },
        "new WindowLimiter({ limit: 2.5 }) (calls come whole)",
      );
      const limiter = new WindowLimiter({ limit: 5 });
      limiter.close();
      assert.equal(
        limiter.windowMs,
        1000,
        `the default window is one second; yours is ${limiter.windowMs}`,
      );
    }),
  );
});
