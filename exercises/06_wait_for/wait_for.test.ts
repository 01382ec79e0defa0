/**
 * Visible tests for 06_wait_for. Run them with `bun test exercises/06_wait_for` or
 * `deno test exercises/06_wait_for`. Time is virtual: a 2 s deadline takes microseconds, and
 * `clock.now()` tells you exactly when something happened.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { timeout, waitFor, withDefault } from "./timeouts.ts";

/** A sleep that honours an AbortSignal, the way well-behaved work does. */
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

describe("waitFor()", () => {
  it("waitFor() resolves with fn's value when fn finishes before the deadline", withClock(async (clock) => {
    const value = await waitFor(async (signal) => {
      await sleep(50, signal);
      return "done";
    }, 100);
    assert.equal(value, "done", "waitFor should resolve with what fn returned");
    assert.equal(clock.now(), 50, "waitFor should resolve as soon as fn does (t=50), not at the deadline");
    // withClock fails this test if a timer is still pending here: clear the deadline on success.
  }));

  it("waitFor() aborts fn's signal at the deadline and rejects with a TimeoutError", withClock(async (clock) => {
    const rec = new EventRecorder();
    await rejectsWith(
      waitFor(async (signal) => {
        signal.addEventListener("abort", () => rec.record("fn's signal aborted"));
        await sleep(1000, signal);
      }, 100),
      { name: "TimeoutError" },
      "waitFor(fn that needs 1000 ms, 100)",
    );
    assert.equal(rec.firstAt("fn's signal aborted"), 100, "fn's signal should abort at the deadline, t=100");
    assert.equal(clock.now(), 100, "waitFor should reject at t=100");
  }));

  it("waitFor() waits for fn's cleanup before rejecting", withClock(async (clock) => {
    const rec = new EventRecorder();
    const outcome = waitFor(async (signal) => {
      try {
        await sleep(1000, signal);
      } finally {
        await sleep(50); // closing a connection takes a while
        rec.record("cleanup finished");
      }
    }, 100);
    await rejectsWith(outcome, { name: "TimeoutError" }, "waitFor(fn, 100)");
    rec.record("caller saw the TimeoutError");
    assert.deepEqual(rec.names(), ["cleanup finished", "caller saw the TimeoutError"],
      "the caller must see the TimeoutError only after fn has finished cleaning up");
    assert.equal(clock.now(), 150, "deadline at t=100 plus 50 ms of cleanup: the rejection comes at t=150");
  }));

  it("waitFor() with null as the delay never times out", withClock(async (clock) => {
    const value = await waitFor(async (signal) => {
      await sleep(3_600_000, signal); // one hour
      return 42;
    }, null);
    assert.equal(value, 42, "null means no deadline, like Python's timeout=None");
    assert.equal(clock.now(), 3_600_000);
  }));
});

describe("timeout()", () => {
  it("timeout() scope.reschedule() moves the deadline", withClock(async (clock) => {
    const rec = new EventRecorder();
    await rejectsWith(
      timeout(100, async (scope) => {
        scope.signal.addEventListener("abort", () => rec.record("expired"));
        await sleep(50, scope.signal);
        scope.reschedule(200); // at t=50: the new deadline is t=250
        await sleep(1000, scope.signal);
      }),
      { name: "TimeoutError" },
      "timeout(100, body that reschedules to 200 ms at t=50)",
    );
    assert.equal(rec.firstAt("expired"), 250, "reschedule(200) at t=50 should move the deadline to t=250");
    assert.equal(clock.now(), 250);
  }));

  it("timeout() lets the caller's abort pass through unchanged", withClock(async () => {
    const caller = new AbortController();
    const reason = new Error("user pressed cancel");
    setTimeout(() => caller.abort(reason), 30);
    await rejectsWith(
      timeout(100, (scope) => sleep(1000, scope.signal), { signal: caller.signal }),
      { is: reason },
      "timeout(100, body, { signal }) aborted by the caller at t=30",
    );
  }));
});

describe("withDefault()", () => {
  it("withDefault() gives every task its own deadline and a default for late ones", withClock(async (clock) => {
    const quote = async (ms: number, price: number, signal: AbortSignal) => {
      await sleep(ms, signal);
      return price;
    };
    const prices = await Promise.all([
      withDefault((signal) => quote(500, 12, signal), 2000, null),
      withDefault((signal) => quote(5000, 15, signal), 2000, null),
      withDefault((signal) => quote(1500, 9, signal), 2000, null),
    ]);
    assert.deepEqual(prices, [12, null, 9], "the shop that needed 5 s should count as missing (null)");
    assert.equal(clock.now(), 2000, "everything is settled at the 2 s deadline");
  }));
});
