/**
 * Visible tests for 07_timeout_scopes. Run them with `bun test exercises/07_timeout_scopes` or
 * `deno test exercises/07_timeout_scopes`. Time is virtual: a 2 s deadline takes microseconds,
 * and `clock.now()` tells you exactly when something happened.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { timeout, type TimeoutScope } from "./timeouts.ts";

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

describe("task 1: timeout()", () => {
  it(
    "timeout() resolves with the body's value and the scope is not expired",
    withClock(async (clock) => {
      let scope: TimeoutScope | undefined;
      const value = await timeout(100, async (s) => {
        scope = s;
        await sleep(60, s.signal);
        return "ok";
      });
      assert.equal(
        value,
        "ok",
        `timeout should resolve with what the body returned ("ok"); it gave ${String(value)}`,
      );
      assert.equal(
        clock.now(),
        60,
        `timeout should resolve when the body did (t=60); it did at t=${clock.now()}`,
      );
      assert.equal(
        scope?.expired,
        false,
        "scope.expired should stay false when the body finished in time",
      );
      // withClock fails this test if a timer is still pending here: clear the deadline when the scope ends.
    }),
  );

  it(
    "timeout() aborts scope.signal at the deadline and rejects with a TimeoutError",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, async (s) => {
          scope = s;
          s.signal.addEventListener("abort", () => rec.record(`aborted, expired=${s.expired}`));
          await sleep(1000, s.signal);
        }),
        { name: "TimeoutError" },
        "timeout(100, body that needs 1000 ms)",
      );
      assert.deepEqual(
        rec.names(),
        ["aborted, expired=true"],
        `scope.signal should abort once, with scope.expired already true; the events were ${
          rec.names().join(", ") || "none"
        }`,
      );
      assert.equal(
        rec.firstAt("aborted, expired=true"),
        100,
        "the signal should abort at the deadline, t=100",
      );
      assert.equal(scope?.expired, true, "scope.expired should be true after the deadline passed");
      assert.equal(clock.now(), 100, `timeout should reject at t=100; it did at t=${clock.now()}`);
    }),
  );

  it(
    "timeout() waits for the body's cleanup before rejecting",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } finally {
            await sleep(50); // closing a connection takes a while
            rec.record("cleanup finished");
          }
        }),
        { name: "TimeoutError" },
        "timeout(100, body with 50 ms of cleanup)",
      );
      rec.record("caller saw the TimeoutError");
      assert.deepEqual(
        rec.names(),
        ["cleanup finished", "caller saw the TimeoutError"],
        `the caller must see the TimeoutError only after the body's cleanup; the order was ${
          rec.names().join(", ")
        }`,
      );
      assert.equal(
        clock.now(),
        150,
        `deadline t=100 + 50 ms of cleanup: reject at t=150; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() lets an error the body throws while cleaning up after the deadline through",
    withClock(async (clock) => {
      const rollbackFailed = new Error("rollback failed");
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, async (s) => {
          scope = s;
          try {
            await sleep(1000, s.signal);
          } catch {
            await sleep(20); // the rollback runs, and fails
            throw rollbackFailed;
          }
        }),
        { is: rollbackFailed },
        "timeout(100, body whose rollback fails after the deadline)",
      );
      assert.equal(scope?.expired, true, "the scope did expire: only its error is the body's own");
      assert.equal(
        clock.now(),
        120,
        `timeout should reject when the body did, at t=120; it did at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() lets an AggregateError from the body's sub-tasks through after the deadline",
    withClock(async () => {
      const group = new AggregateError([new Error("sub-task cleanup failed")], "1 sub-task failed");
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } catch {
            throw group;
          }
        }),
        { is: group },
        "timeout(100, body that throws an AggregateError while stopping)",
      );
    }),
  );

  it(
    "timeout() rejects with a TimeoutError when the body returns after the deadline",
    withClock(async (clock) => {
      await rejectsWith(
        timeout(100, async () => {
          await sleep(300); // ignores its signal
          return "too late";
        }),
        { name: "TimeoutError" },
        "timeout(100, body that ignores its signal and returns at t=300)",
      );
      assert.equal(
        clock.now(),
        300,
        `timeout waits for the body (t=300) before rejecting; it rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() reports its deadline in Date.now() milliseconds",
    withClock(async () => {
      const start = Date.now();
      await timeout(500, (scope) => {
        assert.equal(
          scope.deadline,
          start + 500,
          `scope.deadline should be Date.now() + 500; it was ${scope.deadline}`,
        );
      });
      await timeout(null, (scope) => {
        assert.equal(
          scope.deadline,
          null,
          `timeout(null, ...) has no deadline: expected null, got ${scope.deadline}`,
        );
      });
    }),
  );
});

describe("task 2: scope.reschedule()", () => {
  it(
    "scope.reschedule() moves the deadline",
    withClock(async (clock) => {
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
      assert.equal(
        rec.firstAt("expired"),
        250,
        `reschedule(200) at t=50 should move the deadline to t=250; ${
          rec.format() || "it never expired"
        }`,
      );
      assert.equal(
        clock.now(),
        250,
        `everything should be settled at t=250; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "scope.reschedule(null) removes the deadline",
    withClock(async (clock) => {
      const value = await timeout(100, async (scope) => {
        scope.reschedule(null);
        assert.equal(
          scope.deadline,
          null,
          `after reschedule(null) scope.deadline should be null; it was ${scope.deadline}`,
        );
        await sleep(10_000, scope.signal);
        return "no deadline";
      });
      assert.equal(
        value,
        "no deadline",
        `reschedule(null) should remove the deadline; timeout gave ${String(value)}`,
      );
      assert.equal(
        clock.now(),
        10_000,
        `everything should be settled at t=10000; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "scope.reschedule() throws InvalidStateError once the deadline has passed",
    withClock(async () => {
      let thrown: unknown;
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } catch (abort) {
            try {
              scope.reschedule(500);
            } catch (e) {
              thrown = e;
            }
            throw abort;
          }
        }),
        { name: "TimeoutError" },
        "timeout(100, body)",
      );
      assert.equal(
        (thrown as Error | undefined)?.name,
        "InvalidStateError",
        `an expiring scope cannot be rescheduled (Python raises RuntimeError); it threw ${
          String(thrown)
        }`,
      );
    }),
  );

  it(
    "scope.reschedule() throws InvalidStateError after the scope finished",
    withClock(async () => {
      let escaped: TimeoutScope | undefined;
      await timeout(100, (scope) => {
        escaped = scope;
      });
      throwsWith(
        () => escaped!.reschedule(50),
        { name: "InvalidStateError" },
        "scope.reschedule(50) after timeout() returned",
      );
    }),
  );
});

describe("task 3: the caller's signal and nested scopes", () => {
  it(
    "timeout() lets the caller's abort pass through unchanged",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new Error("user pressed cancel");
      setTimeout(() => caller.abort(reason), 30);
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, (s) => {
          scope = s;
          return sleep(1000, s.signal);
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(100, body, { signal }) aborted by the caller at t=30",
      );
      assert.equal(
        scope?.expired,
        false,
        "the caller's abort is not this scope's expiry: scope.expired stays false",
      );
      assert.equal(
        clock.now(),
        30,
        `everything should be settled at t=30; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() with an already aborted signal rejects at once without calling the body",
    withClock(async () => {
      const reason = new Error("cancelled before start");
      let calls = 0;
      await rejectsWith(
        timeout(100, () => {
          calls++;
        }, { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "timeout(100, body, { signal: already aborted })",
      );
      assert.equal(
        calls,
        0,
        `the body must not run when the signal is already aborted; it ran ${calls} time(s)`,
      );
    }),
  );

  it(
    "timeout() waits for the body's cleanup after the caller's abort",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => caller.abort(reason), 40);
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } finally {
            await sleep(30);
          }
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(100, body with 30 ms of cleanup, { signal }) aborted at t=40",
      );
      assert.equal(
        clock.now(),
        70,
        `abort at t=40 + 30 ms of cleanup: reject at t=70; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "an inner scope's TimeoutError passes through the outer scope",
    withClock(async () => {
      let outerScope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(1000, async (outer) => {
          outerScope = outer;
          await timeout(50, (inner) => sleep(500, inner.signal), { signal: outer.signal });
        }),
        { name: "TimeoutError" },
        "timeout(1000, body with an inner timeout(50))",
      );
      assert.equal(
        outerScope?.expired,
        false,
        "only the inner scope expired; the outer scope.expired must stay false",
      );
    }),
  );

  it(
    "an outer deadline cancels the inner scope, and only the outer one times out",
    withClock(async (clock) => {
      let innerScope: TimeoutScope | undefined;
      let outerScope: TimeoutScope | undefined;
      let innerError: unknown;
      await rejectsWith(
        timeout(100, async (outer) => {
          outerScope = outer;
          try {
            await timeout(1000, (inner) => {
              innerScope = inner;
              return sleep(5000, inner.signal);
            }, { signal: outer.signal });
          } catch (e) {
            innerError = e;
            throw e;
          }
        }),
        { name: "TimeoutError" },
        "timeout(100, body with an inner timeout(1000))",
      );
      assert.equal(outerScope?.expired, true, "the outer scope's deadline passed at t=100");
      assert.equal(
        innerScope?.expired,
        false,
        "the inner scope was cancelled from outside: it did not expire",
      );
      assert.equal(
        innerError,
        outerScope?.signal.reason,
        `the inner scope should reject with the outer scope's abort reason, not a TimeoutError of its own; it rejected with ${
          String(innerError)
        }`,
      );
      assert.equal(
        clock.now(),
        100,
        `everything should be settled at t=100; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "scopes with the same deadline both expire, and only the outer one times out",
    withClock(async () => {
      let innerScope: TimeoutScope | undefined;
      let outerScope: TimeoutScope | undefined;
      let innerError: unknown;
      await rejectsWith(
        timeout(100, async (outer) => {
          outerScope = outer;
          try {
            await timeout(100, (inner) => {
              innerScope = inner;
              return sleep(5000, inner.signal);
            }, { signal: outer.signal });
          } catch (e) {
            innerError = e;
            throw e;
          }
        }),
        { name: "TimeoutError" },
        "timeout(100, body with an inner timeout(100))",
      );
      assert.equal(outerScope?.expired, true, "the outer scope's deadline passed");
      assert.equal(
        innerScope?.expired,
        true,
        "the inner scope's deadline passed at the same instant: it is expired too (CPython marks both)",
      );
      assert.equal(
        innerError,
        outerScope?.signal.reason,
        `only the outer scope times out: the inner one lets the outer reason through; it rejected with ${
          String(innerError)
        }`,
      );
    }),
  );

  it(
    "timeout() lets a caller's abort after the deadline win over the TimeoutError",
    withClock(async () => {
      const caller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => caller.abort(reason), 150); // after the deadline, during the cleanup
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } finally {
            await sleep(200); // cleanup from t=100 to t=300
          }
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(100, body with cleanup until t=300, { signal }) aborted by the caller at t=150",
      );
    }),
  );

  it(
    "timeout() with no deadline is not expired by a caller's abort",
    withClock(async () => {
      const caller = new AbortController();
      const reason = new Error("user pressed stop");
      setTimeout(() => caller.abort(reason), 50);
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(null, (s) => {
          scope = s;
          return sleep(1000, s.signal);
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(null, body, { signal }) aborted by the caller at t=50",
      );
      assert.equal(
        scope?.expired,
        false,
        "a scope without a deadline can never expire: a caller's abort leaves scope.expired false",
      );
    }),
  );
});
