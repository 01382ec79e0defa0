/**
 * Visible tests for 06_wait_for. Run them with `bun test exercises/06_wait_for` or
 * `deno test exercises/06_wait_for`. Time is virtual: a 2 s deadline takes microseconds, and
 * `clock.now()` tells you exactly when something happened.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { waitFor, withDefault } from "./wait_for.ts";

/** A sleep that honours an AbortSignal, the way well-behaved work does: it rejects with the reason. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

describe("task 1: waitFor()", () => {
  it(
    "waitFor() resolves with fn's value when fn finishes before the deadline",
    withClock(async (clock) => {
      const value = await waitFor(async (signal) => {
        await sleep(50, signal);
        return "done";
      }, 100);
      assert.equal(
        value,
        "done",
        `waitFor should resolve with what fn returned ("done"); it resolved with ${String(value)}`,
      );
      assert.equal(
        clock.now(),
        50,
        `waitFor should resolve as soon as fn does (t=50), not at the deadline; it resolved at t=${clock.now()}`,
      );
      // withClock fails this test if a timer is still pending here: clear the deadline on success.
    }),
  );

  it(
    "waitFor() aborts fn's signal at the deadline and rejects with a TimeoutError",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      await rejectsWith(
        waitFor(async (signal) => {
          signal.addEventListener("abort", () => rec.record("fn's signal aborted"));
          await sleep(1000, signal);
        }, 100),
        { name: "TimeoutError" },
        "waitFor(fn that needs 1000 ms, 100)",
      );
      assert.equal(
        rec.firstAt("fn's signal aborted"),
        100,
        `fn's signal should abort at the deadline, t=100; ${rec.format() || "it never aborted"}`,
      );
      assert.equal(
        clock.now(),
        100,
        `waitFor should reject at t=100; it rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() waits for fn's cleanup before rejecting",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const outcome = waitFor(async (signal) => {
        try {
          await sleep(1000, signal);
        } finally {
          await sleep(50); // closing a connection takes a while
          rec.record("cleanup finished");
        }
      }, 100);
      await rejectsWith(
        outcome,
        { name: "TimeoutError" },
        "waitFor(fn with 50 ms of cleanup, 100)",
      );
      rec.record("caller saw the TimeoutError");
      assert.deepEqual(
        rec.names(),
        ["cleanup finished", "caller saw the TimeoutError"],
        `the caller must see the TimeoutError only after fn has finished cleaning up; the order was ${
          rec.names().join(", ")
        }`,
      );
      assert.equal(
        clock.now(),
        150,
        `deadline at t=100 plus 50 ms of cleanup: the rejection comes at t=150; yours came at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() with null as the delay never times out",
    withClock(async (clock) => {
      const value = await waitFor(async (signal) => {
        await sleep(3_600_000, signal); // one hour
        return 42;
      }, null);
      assert.equal(
        value,
        42,
        `null means no deadline, like Python's timeout=None: expected 42, got ${String(value)}`,
      );
      assert.equal(
        clock.now(),
        3_600_000,
        `fn needed one hour (t=3600000); waitFor settled at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() with Infinity as the delay never times out",
    withClock(async (clock) => {
      const value = await waitFor(async (signal) => {
        await sleep(60_000, signal);
        return "finished";
      }, Infinity);
      assert.equal(
        value,
        "finished",
        `Infinity means no deadline (careful: setTimeout(cb, Infinity) fires at once); expected "finished", got ${
          String(value)
        }`,
      );
      assert.equal(clock.now(), 60_000, `fn needed 60 s; waitFor settled at t=${clock.now()}`);
    }),
  );

  it(
    "waitFor() lets an error fn throws while cleaning up after the deadline through",
    withClock(async (clock) => {
      const rollbackFailed = new Error("rollback failed");
      await rejectsWith(
        waitFor(async (signal) => {
          try {
            await sleep(1000, signal);
          } catch {
            await sleep(20); // the rollback runs, and fails
            throw rollbackFailed;
          }
        }, 100),
        { is: rollbackFailed },
        "waitFor(fn whose cleanup fails after the deadline, 100)",
      );
      assert.equal(
        clock.now(),
        120,
        `the failed cleanup ends at t=120, when waitFor should reject; it rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() rejects with a TimeoutError when fn ignores its signal and resolves too late",
    withClock(async (clock) => {
      await rejectsWith(
        waitFor(async () => {
          await sleep(300); // ignores its signal
          return "too late";
        }, 100),
        { name: "TimeoutError" },
        "waitFor(fn that ignores its signal and resolves at t=300, 100)",
      );
      assert.equal(
        clock.now(),
        300,
        `waitFor waits for fn to settle (t=300) before rejecting; it rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() with a zero delay aborts fn's signal at its first pause",
    withClock(async (clock) => {
      let abortedAtStart: boolean | undefined;
      await rejectsWith(
        waitFor((signal) => {
          abortedAtStart = signal.aborted;
          return sleep(10, signal);
        }, 0),
        { name: "TimeoutError" },
        "waitFor(fn, 0)",
      );
      assert.equal(
        abortedAtStart,
        false,
        "with a zero delay fn is still called, with a signal that aborts at its first pause",
      );
      assert.equal(
        clock.now(),
        0,
        `a deadline of 0 ms passes at once (t=0); waitFor rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() rejects a NaN delay with RangeError",
    withClock(async () => {
      await rejectsWith(
        () => waitFor(() => 1, Number.NaN),
        { name: "RangeError" },
        "waitFor(fn, NaN)",
      );
    }),
  );
});

describe("task 2: waitFor() with the caller's signal", () => {
  it(
    "waitFor() passes the caller's abort reason through unchanged",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new Error("user pressed cancel");
      setTimeout(() => caller.abort(reason), 30);
      await rejectsWith(
        waitFor((signal) => sleep(1000, signal), 100, { signal: caller.signal }),
        { is: reason },
        "waitFor(fn, 100, { signal }) aborted by the caller at t=30",
      );
      assert.equal(
        clock.now(),
        30,
        `the caller's abort at t=30 should stop fn at once; waitFor settled at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() rejects at once with the reason of an already aborted signal, without calling fn",
    withClock(async () => {
      const reason = new Error("cancelled before start");
      let calls = 0;
      await rejectsWith(
        waitFor(
          () => {
            calls++;
            return sleep(10);
          },
          100,
          { signal: AbortSignal.abort(reason) },
        ),
        { is: reason },
        "waitFor(fn, 100, { signal: already aborted })",
      );
      assert.equal(
        calls,
        0,
        `fn must not be called when the signal is already aborted; it was called ${calls} time(s)`,
      );
    }),
  );

  it(
    "waitFor() waits for fn's cleanup after the caller's abort",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => caller.abort(reason), 40);
      await rejectsWith(
        waitFor(
          async (signal) => {
            try {
              await sleep(1000, signal);
            } finally {
              await sleep(30);
            }
          },
          100,
          { signal: caller.signal },
        ),
        { is: reason },
        "waitFor(fn with 30 ms of cleanup, 100, { signal }) aborted at t=40",
      );
      assert.equal(
        clock.now(),
        70,
        `abort at t=40 plus 30 ms of cleanup: waitFor should reject at t=70; it did at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() lets a caller's abort after the deadline win over the TimeoutError",
    withClock(async () => {
      const caller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => caller.abort(reason), 150); // after the deadline, during fn's cleanup
      await rejectsWith(
        waitFor(
          async (signal) => {
            try {
              await sleep(1000, signal);
            } finally {
              await sleep(200); // cleanup from t=100 to t=300
            }
          },
          100,
          { signal: caller.signal },
        ),
        { is: reason },
        "waitFor(fn with 200 ms of cleanup, 100, { signal }) aborted by the caller at t=150",
      );
    }),
  );
});

describe("task 3: withDefault()", () => {
  it(
    "withDefault() gives every task its own deadline and a default for late ones",
    withClock(async (clock) => {
      const quote = async (ms: number, price: number, signal: AbortSignal) => {
        await sleep(ms, signal);
        return price;
      };
      const prices = await Promise.all([
        withDefault((signal) => quote(500, 12, signal), 2000, null),
        withDefault((signal) => quote(5000, 15, signal), 2000, null),
        withDefault((signal) => quote(1500, 9, signal), 2000, null),
      ]);
      assert.deepEqual(
        prices,
        [12, null, 9],
        `the shop that needed 5 s should count as missing (null): expected [12, null, 9], got ${
          JSON.stringify(prices)
        }`,
      );
      assert.equal(
        clock.now(),
        2000,
        `everything is settled at the 2 s deadline; yours settled at t=${clock.now()}`,
      );
    }),
  );

  it(
    "withDefault() resolves with fn's value when it is in time",
    withClock(async () => {
      const value = await withDefault(
        (signal) => sleep(10, signal).then(() => "real"),
        200,
        "fallback",
      );
      assert.equal(
        value,
        "real",
        `fn finished at t=10, before its 200 ms deadline: expected "real", got ${String(value)}`,
      );
    }),
  );

  it(
    "withDefault() lets fn's own TimeoutError through",
    withClock(async () => {
      const ownTimeout = new DOMException("upstream timed out", "TimeoutError");
      await rejectsWith(
        withDefault(
          async () => {
            await sleep(10);
            throw ownTimeout;
          },
          200,
          "fallback",
        ),
        { is: ownTimeout },
        "withDefault(fn that throws its own TimeoutError at t=10, 200, fallback)",
      );
    }),
  );

  it(
    "withDefault() lets the caller's abort through",
    withClock(async () => {
      const caller = new AbortController();
      const reason = new Error("cancelled");
      setTimeout(() => caller.abort(reason), 20);
      await rejectsWith(
        withDefault((signal) => sleep(1000, signal), 200, "fallback", { signal: caller.signal }),
        { is: reason },
        "withDefault(fn, 200, fallback, { signal }) aborted at t=20",
      );
    }),
  );

  it(
    "withDefault() lets an error fn throws while cleaning up after the deadline through",
    withClock(async () => {
      const rollbackFailed = new Error("rollback failed");
      await rejectsWith(
        withDefault(
          async (signal) => {
            try {
              await sleep(1000, signal);
            } catch {
              throw rollbackFailed;
            }
          },
          100,
          "fallback",
        ),
        { is: rollbackFailed },
        "withDefault(fn whose cleanup fails after the deadline, 100, fallback)",
      );
    }),
  );
});
