/**
 * Hidden tests of the tutorial's limiter (task 1): the grader runs them; no test runner discovers
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
import { WindowLimiter, type WindowLimiterOptions } from "./window_limiter.ts";

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

/** What a promise did: "resolved at t=…", "InvalidStateError at t=…" or "rejected with …". */
function outcome(work: Promise<unknown>, clock: VirtualClock, reason?: unknown): Promise<string> {
  return work.then(
    () => `resolved at t=${clock.now()}`,
    (e) =>
      e === reason
        ? `aborted at t=${clock.now()}`
        : (e as Error)?.name === "InvalidStateError"
        ? `InvalidStateError at t=${clock.now()}`
        : `rejected with ${String(e)}`,
  );
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

describe("task 1: WindowLimiter", () => {
  it(
    "WindowLimiter refills at fixed edges counted from its creation, not from the first call",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 2, windowMs: 250 });
      try {
        await clock.sleep(100);
        const times = await burst(limiter, 6, clock);
        assert.deepEqual(
          times,
          [100, 100, 250, 250, 500, 500],
          `created at t=0 with windowMs 250: edges at t=250, 500, ...; yours: [${times}]`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "WindowLimiter puts back only the permits used in the window that ended",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 5 });
      try {
        const a = await burst(limiter, 3, clock); // 3 of 5 used at t=0
        await clock.sleep(500);
        const b = await burst(limiter, 4, clock); // 2 left at t=500, 2 wait for t=1000
        await clock.sleep(200);
        const c = await burst(limiter, 4, clock); // at t=1200: 5 - 2 = 3 left, 1 waits for t=2000
        assert.deepEqual(
          [a, b, c],
          [[0, 0, 0], [500, 500, 1000, 1000], [1200, 1200, 1200, 2000]],
          `each edge makes the window's 5 permits whole again; yours: ${JSON.stringify([a, b, c])}`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "WindowLimiter keeps at most limit permits after many idle windows",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 2, windowMs: 100 });
      try {
        await burst(limiter, 2, clock);
        await clock.sleep(950);
        const times = await burst(limiter, 5, clock);
        assert.deepEqual(
          times,
          [950, 950, 1000, 1000, 1100],
          `9 idle windows refill to 2 permits, not 18; yours: [${times}]`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "WindowLimiter serves waiting calls first come, first served at the edge",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 2 });
      try {
        const order: string[] = [];
        const calls = ["a", "b", "c", "d", "e", "f"].map((name) =>
          limiter.acquire().then(() => order.push(`${name}@${clock.now()}`))
        );
        await Promise.all(calls);
        assert.deepEqual(
          order,
          ["a@0", "b@0", "c@1000", "d@1000", "e@2000", "f@2000"],
          `calls pass in the order they were made; yours: ${JSON.stringify(order)}`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "WindowLimiter fires only its refill timer, once per window",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 1, windowMs: 200 });
      try {
        await burst(limiter, 4, clock);
        assert.equal(
          clock.now(),
          600,
          `4 calls at limit 1 per 200 ms end at t=600; yours at t=${clock.now()}`,
        );
        const delays = clock.trace.map((t) => t.delay);
        assert.deepEqual(
          delays,
          [200, 200, 200],
          `one refill timer of 200 ms per window, no timer per call and no polling; yours fired [${delays}]`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "new WindowLimiter() refuses a limit that is not a positive integer",
    withClock(() => {
      for (const limit of [0, -1, 2.5, NaN, Infinity]) {
        throwsWith(
          () => new WindowLimiter({ limit }),
          { name: "RangeError" },
          `new WindowLimiter({ limit: ${limit} })`,
        );
      }
    }),
  );

  it(
    "new WindowLimiter() refuses a windowMs that is not a positive finite number",
    withClock(() => {
      for (const windowMs of [0, -5, NaN, Infinity]) {
        throwsWith(
          () => new WindowLimiter({ limit: 1, windowMs }),
          { name: "RangeError" },
          `new WindowLimiter({ limit: 1, windowMs: ${windowMs} })`,
        );
      }
    }),
  );

  it(
    "new WindowLimiter() with invalid options starts no timer",
    withClock((clock) => {
      const bad: WindowLimiterOptions[] = [{ limit: 0 }, { limit: 1, windowMs: NaN }];
      for (const options of bad) {
        try {
          new WindowLimiter(options).close();
        } catch (error) {
          if (isNotImplemented(error)) throw error;
        }
      }
      const left = clock.pending().length;
      assert.equal(
        left,
        0,
        `check the options before starting the timer; yours left ${left} timer(s) running`,
      );
    }),
  );

  it(
    "WindowLimiter.close() rejects every waiting call with InvalidStateError",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 1 });
      await limiter.acquire();
      const own = new AbortController(); // a waiter with a signal of its own is rejected too
      const waiting = [
        limiter.acquire(),
        limiter.acquire({ signal: own.signal }),
        limiter.acquire(),
      ].map((p) => outcome(p, clock));
      await clock.sleep(1500); // the first waiter passed at t=1000
      limiter.close();
      const results = await Promise.all(waiting);
      assert.deepEqual(
        results,
        ["resolved at t=1000", "InvalidStateError at t=1500", "InvalidStateError at t=1500"],
        `close() rejects the calls still waiting, at once; yours: ${JSON.stringify(results)}`,
      );
      const before = clock.trace.length;
      await clock.sleep(3000);
      const fired = clock.trace.length - before - 1; // minus the test's own sleep
      assert.equal(fired, 0, `no refill timer may fire after close(); yours fired ${fired}`);
    }),
  );

  it(
    "WindowLimiter.acquire() after close() rejects with InvalidStateError, even with permits left",
    withClock(async () => {
      const limiter = new WindowLimiter({ limit: 5 });
      limiter.close();
      await rejectsWith(
        callAsync(() => limiter.acquire(), "acquire() after close()"),
        { name: "InvalidStateError" },
        "acquire() after close()",
      );
    }),
  );

  it(
    "WindowLimiter.close() twice does nothing more",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 1 });
      limiter.close();
      assert.doesNotThrow(() => limiter.close(), "a second close() must not throw");
      await clock.sleep(2000);
      assert.equal(
        clock.trace.length,
        1,
        "only the test's own sleep fires: the limiter's timer is gone",
      );
    }),
  );

  it(
    "WindowLimiter.acquire() with an already aborted signal rejects at once and uses no permit",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 1 });
      try {
        const reason = { why: "already cancelled" };
        await rejectsWith(
          callAsync(
            () => limiter.acquire({ signal: AbortSignal.abort(reason) }),
            "acquire({ signal: aborted })",
          ),
          { is: reason },
          "acquire() with a pre-aborted signal",
        );
        await limiter.acquire();
        assert.equal(
          clock.now(),
          0,
          `the single permit is still there for the next call at t=0; yours passed at t=${clock.now()}`,
        );
      } finally {
        limiter.close();
      }
    }),
  );

  it(
    "WindowLimiter.acquire() aborted while waiting leaves the line and loses no permit",
    withClock(async (clock) => {
      const limiter = new WindowLimiter({ limit: 2 });
      try {
        await burst(limiter, 2, clock);
        const controller = new AbortController();
        const reason = new Error("gave up");
        const calls = [
          outcome(limiter.acquire(), clock),
          outcome(limiter.acquire({ signal: controller.signal }), clock, reason),
          outcome(limiter.acquire(), clock),
          outcome(limiter.acquire(), clock),
        ];
        setTimeout(() => controller.abort(reason), 400);
        const results = await Promise.all(calls);
        assert.deepEqual(
          results,
          ["resolved at t=1000", "aborted at t=400", "resolved at t=1000", "resolved at t=2000"],
          `the aborted call rejects with its reason, and the 2 permits of the next window go to the next 2 callers; yours: ${
            JSON.stringify(results)
          }`,
        );
      } finally {
        limiter.close();
      }
    }),
  );
});
