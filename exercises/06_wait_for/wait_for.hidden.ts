/**
 * Hidden tests for 06_wait_for: run by the grader (`deno task grade 05`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { timeout, type TimeoutScope, waitFor, withDefault } from "./timeouts.ts";

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

/**
 * An AbortController whose signal counts the abort listeners added to it and not yet removed
 * (a listener added with `{ once: true }` counts as removed once the signal has aborted).
 */
function countingController(): { controller: AbortController; active: () => number } {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Map<unknown, boolean>(); // listener -> added with { once: true }
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
    if (type === "abort") live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
    add(type, listener, opts as AddEventListenerOptions);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, opts as EventListenerOptions);
  }) as typeof signal.removeEventListener;
  const active = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, active };
}

describe("waitFor()", () => {
  it("waitFor() resolves with fn's value as soon as fn finishes", withClock(async (clock) => {
    const value = await waitFor(async (signal) => {
      await sleep(40, signal);
      return { id: 7 };
    }, 100);
    assert.deepEqual(value, { id: 7 }, "waitFor should resolve with what fn returned");
    assert.equal(clock.now(), 40, "waitFor should resolve at t=40, when fn did");
  }));

  it("waitFor() clears its deadline timer when fn finishes first", withClock(async (clock) => {
    await waitFor((signal) => sleep(10, signal), 60_000);
    assert.deepEqual(clock.pending().map((t) => `${t.kind} due at t=${t.dueAt}`), [],
      "after fn finished, waitFor's 60 s deadline timer must be cleared (a Promise.race with a sleep leaks it)");
  }));

  it("waitFor() aborts fn's signal exactly at the deadline", withClock(async () => {
    const rec = new EventRecorder();
    let seen: AbortSignal | undefined;
    await rejectsWith(
      waitFor(async (signal) => {
        seen = signal;
        signal.addEventListener("abort", () => rec.record("aborted"));
        await sleep(1000, signal);
      }, 250),
      { name: "TimeoutError" },
      "waitFor(fn that needs 1000 ms, 250)",
    );
    assert.ok(seen?.aborted, "fn's signal must be aborted when the deadline passes (Promise.race never tells fn to stop)");
    assert.equal(rec.firstAt("aborted"), 250, "fn's signal should abort at t=250");
  }));

  it("waitFor() rejects with a DOMException named TimeoutError", withClock(async () => {
    const error = await rejectsWith(
      waitFor((signal) => sleep(1000, signal), 100),
      { name: "TimeoutError" },
      "waitFor(fn, 100)",
    );
    assert.ok(error instanceof DOMException, "the timeout error should be a DOMException, like AbortSignal.timeout()'s");
  }));

  it("waitFor() rejects only after fn has settled", withClock(async (clock) => {
    const rec = new EventRecorder();
    const outcome = waitFor(async (signal) => {
      try {
        await sleep(1000, signal);
      } finally {
        await sleep(70);
        rec.record("fn settled");
      }
    }, 100).catch((e) => {
      rec.record("caller rejected");
      throw e;
    });
    await rejectsWith(outcome, { name: "TimeoutError" }, "waitFor(fn with 70 ms cleanup, 100)");
    assert.deepEqual(rec.names(), ["fn settled", "caller rejected"],
      "the caller must not see the TimeoutError before fn's cleanup is done");
    assert.equal(clock.now(), 170, "deadline t=100 + 70 ms of cleanup: reject at t=170, not t=100");
  }));

  it("waitFor() still rejects with TimeoutError when fn ignores the abort and finishes late", withClock(async (clock) => {
    await rejectsWith(
      waitFor(async () => {
        await sleep(300); // ignores its signal
        return "too late";
      }, 100),
      { name: "TimeoutError" },
      "waitFor(fn that ignores its signal and resolves at t=300, 100)",
    );
    assert.equal(clock.now(), 300, "waitFor waits for fn to settle (t=300) before rejecting");
  }));

  it("waitFor() with null never times out and starts no timer", withClock(async (clock) => {
    let pendingWhileRunning = -1;
    const value = await waitFor(async (signal) => {
      pendingWhileRunning = clock.pending().length;
      await sleep(5_000_000, signal);
      return "finished";
    }, null);
    assert.equal(value, "finished", "null means no deadline (Python's timeout=None)");
    assert.equal(clock.now(), 5_000_000);
    assert.equal(pendingWhileRunning, 0, "with null there is no deadline, so waitFor should start no timer");
  }));

  it("waitFor() lets a real error from fn win before the deadline", withClock(async (clock) => {
    const boom = new RangeError("bad input");
    await rejectsWith(
      waitFor(async (signal) => {
        await sleep(30, signal);
        throw boom;
      }, 100),
      { is: boom },
      "waitFor(fn that throws at t=30, 100)",
    );
    assert.equal(clock.now(), 30, "fn's own error should reject waitFor at once (t=30)");
  }));

  it("waitFor() passes the caller's abort reason through instead of a TimeoutError", withClock(async (clock) => {
    const caller = new AbortController();
    const reason = new Error("shutting down");
    setTimeout(() => caller.abort(reason), 40);
    let seen: AbortSignal | undefined;
    await rejectsWith(
      waitFor((signal) => {
        seen = signal;
        return sleep(1000, signal);
      }, 100, { signal: caller.signal }),
      { is: reason },
      "waitFor(fn, 100, { signal }) aborted by the caller at t=40",
    );
    assert.equal(clock.now(), 40, "the caller's abort should stop fn at t=40");
    assert.equal(seen?.reason, reason, "fn's signal should abort with the caller's own reason");
  }));

  it("waitFor() rejects at once with the reason of an already aborted signal", withClock(async (clock) => {
    const reason = new Error("cancelled before start");
    let calls = 0;
    await rejectsWith(
      waitFor(() => {
        calls++;
        return sleep(10);
      }, 100, { signal: AbortSignal.abort(reason) }),
      { is: reason },
      "waitFor(fn, 100, { signal: already aborted })",
    );
    assert.equal(calls, 0, "fn must not start when the signal is already aborted");
    assert.equal(clock.now(), 0);
  }));

  it("waitFor() removes its listener from the caller's signal on every path", withClock(async () => {
    const ok = countingController();
    await waitFor((signal) => sleep(10, signal), 100, { signal: ok.controller.signal });
    assert.equal(ok.active(), 0, "after success, waitFor must remove its abort listener from the caller's signal");

    const failed = countingController();
    await rejectsWith(
      waitFor(() => Promise.reject(new Error("boom")), 100, { signal: failed.controller.signal }),
      { message: "boom" },
      "waitFor(fn that fails, 100, { signal })",
    );
    assert.equal(failed.active(), 0, "after an error, waitFor must remove its abort listener from the caller's signal");

    const expired = countingController();
    await rejectsWith(
      waitFor((signal) => sleep(1000, signal), 100, { signal: expired.controller.signal }),
      { name: "TimeoutError" },
      "waitFor(fn, 100, { signal })",
    );
    assert.equal(expired.active(), 0, "after a timeout, waitFor must remove its abort listener from the caller's signal");
  }));

  it("waitFor() with a zero delay expires at the first pause", withClock(async (clock) => {
    await rejectsWith(waitFor((signal) => sleep(10, signal), 0), { name: "TimeoutError" }, "waitFor(fn, 0)");
    assert.equal(clock.now(), 0, "a deadline of 0 ms passes at once (t=0)");
  }));

  it("waitFor() treats a negative delay as already expired", withClock(async (clock) => {
    await rejectsWith(waitFor((signal) => sleep(10, signal), -5), { name: "TimeoutError" }, "waitFor(fn, -5)");
    assert.equal(clock.now(), 0);
  }));

  it("waitFor() rejects a NaN delay with RangeError", withClock(async () => {
    await rejectsWith(() => waitFor(() => 1, Number.NaN), { name: "RangeError" }, "waitFor(fn, NaN)");
  }));
});

describe("timeout()", () => {
  it("timeout() resolves with the body's value and is not expired", withClock(async (clock) => {
    let scope: TimeoutScope | undefined;
    const value = await timeout(100, async (s) => {
      scope = s;
      await sleep(60, s.signal);
      return "ok";
    });
    assert.equal(value, "ok");
    assert.equal(clock.now(), 60);
    assert.equal(scope?.expired, false, "scope.expired should stay false when the body finished in time");
    assert.equal(scope?.signal.aborted, false, "the scope's signal should not abort when the body finished in time");
  }));

  it("timeout() accepts a body that returns a plain value", withClock(async () => {
    const value = await timeout(100, () => 5);
    assert.equal(value, 5, "timeout(ms, () => 5) should resolve with 5");
  }));

  it("timeout() marks the scope expired when its deadline passes", withClock(async () => {
    let expiredInside: boolean | undefined;
    await rejectsWith(
      timeout(100, async (scope) => {
        try {
          await sleep(1000, scope.signal);
        } finally {
          expiredInside = scope.expired;
        }
      }),
      { name: "TimeoutError" },
      "timeout(100, body)",
    );
    assert.equal(expiredInside, true, "scope.expired should be true inside the body once the deadline passed");
  }));

  it("timeout() reports its deadline in Date.now() milliseconds", withClock(async () => {
    const start = Date.now();
    await timeout(500, async (scope) => {
      assert.equal(scope.deadline, start + 500, "scope.deadline should be Date.now() + 500");
      scope.reschedule(1000);
      assert.equal(scope.deadline, start + 1000, "after reschedule(1000) at t=0 the deadline is Date.now() + 1000");
      scope.reschedule(null);
      assert.equal(scope.deadline, null, "reschedule(null) removes the deadline");
    });
    await timeout(null, (scope) => {
      assert.equal(scope.deadline, null, "timeout(null, ...) has no deadline");
    });
  }));

  it("timeout() scope.reschedule() replaces the old deadline", withClock(async (clock) => {
    const rec = new EventRecorder();
    await rejectsWith(
      timeout(100, async (scope) => {
        scope.signal.addEventListener("abort", () => rec.record("expired"));
        await sleep(80, scope.signal);
        scope.reschedule(300); // new deadline t=380; the old one at t=100 must not fire
        await sleep(1000, scope.signal);
      }),
      { name: "TimeoutError" },
      "timeout(100, body that reschedules to 300 ms at t=80)",
    );
    assert.equal(rec.firstAt("expired"), 380, "reschedule(300) at t=80 moves the deadline to t=380; the old timer must be cleared");
    assert.equal(clock.now(), 380);
  }));

  it("timeout() scope.reschedule(null) removes the deadline", withClock(async (clock) => {
    const value = await timeout(100, async (scope) => {
      scope.reschedule(null);
      await sleep(10_000, scope.signal);
      return "no deadline";
    });
    assert.equal(value, "no deadline");
    assert.equal(clock.now(), 10_000);
  }));

  it("timeout() scope.reschedule() can shorten the deadline", withClock(async (clock) => {
    await rejectsWith(
      timeout(1000, async (scope) => {
        await sleep(10, scope.signal);
        scope.reschedule(20);
        await sleep(1000, scope.signal);
      }),
      { name: "TimeoutError" },
      "timeout(1000, body that reschedules to 20 ms at t=10)",
    );
    assert.equal(clock.now(), 30);
  }));

  it("timeout() scope.reschedule() throws InvalidStateError after the scope finished", withClock(async () => {
    let escaped: TimeoutScope | undefined;
    await timeout(100, (scope) => {
      escaped = scope;
    });
    throwsWith(() => escaped!.reschedule(50), { name: "InvalidStateError" }, "scope.reschedule(50) after timeout() returned");
  }));

  it("timeout() scope.reschedule() throws InvalidStateError once expired", withClock(async () => {
    let thrown: unknown;
    await rejectsWith(
      timeout(100, async (scope) => {
        try {
          await sleep(1000, scope.signal);
        } catch {
          try {
            scope.reschedule(500);
          } catch (e) {
            thrown = e;
          }
        }
      }),
      { name: "TimeoutError" },
      "timeout(100, body)",
    );
    assert.equal((thrown as Error | undefined)?.name, "InvalidStateError",
      "an expired scope cannot be rescheduled (Python raises RuntimeError): throw an Error named InvalidStateError");
  }));

  it("timeout() lets the caller's abort through even when cleanup outlasts the deadline", withClock(async (clock) => {
    const caller = new AbortController();
    const reason = new DOMException("stop", "AbortError");
    setTimeout(() => caller.abort(reason), 50);
    await rejectsWith(
      timeout(100, async (scope) => {
        try {
          await sleep(1000, scope.signal);
        } finally {
          await sleep(200); // cleanup ends at t=250, after the (cancelled) deadline
        }
      }, { signal: caller.signal }),
      { is: reason },
      "timeout(100, body, { signal }) aborted by the caller at t=50",
    );
    assert.equal(clock.now(), 250);
  }));

  it("timeout() does not turn a TimeoutError from inside the body into its own expiry", withClock(async () => {
    let outerScope: TimeoutScope | undefined;
    await rejectsWith(
      timeout(1000, async (outer) => {
        outerScope = outer;
        await timeout(50, (inner) => sleep(500, inner.signal));
      }),
      { name: "TimeoutError" },
      "timeout(1000, body with an inner timeout(50))",
    );
    assert.equal(outerScope?.expired, false, "only the inner scope expired; the outer scope.expired must stay false");
  }));

  it("timeout() nested inside a shorter timeout reports only the outer expiry", withClock(async (clock) => {
    let innerScope: TimeoutScope | undefined;
    let outerScope: TimeoutScope | undefined;
    await rejectsWith(
      timeout(100, async (outer) => {
        outerScope = outer;
        await timeout(1000, (inner) => {
          innerScope = inner;
          return sleep(5000, inner.signal);
        }, { signal: outer.signal });
      }),
      { name: "TimeoutError" },
      "timeout(100, body with an inner timeout(1000))",
    );
    assert.equal(outerScope?.expired, true, "the outer scope's deadline passed at t=100");
    assert.equal(innerScope?.expired, false, "the inner scope was cancelled from outside, it did not expire");
    assert.equal(clock.now(), 100);
  }));

  it("timeout() rejects a NaN delay with RangeError", withClock(async () => {
    await rejectsWith(() => timeout(Number.NaN, () => 1), { name: "RangeError" }, "timeout(NaN, body)");
  }));
});

describe("withDefault()", () => {
  it("withDefault() resolves with the fallback at the deadline", withClock(async (clock) => {
    const rec = new EventRecorder();
    const value = await withDefault(async (signal) => {
      signal.addEventListener("abort", () => rec.record("aborted"));
      await sleep(1000, signal);
      return 1;
    }, 200, "fallback");
    assert.equal(value, "fallback");
    assert.equal(rec.firstAt("aborted"), 200, "the late task's signal should abort at its deadline, t=200");
    assert.equal(clock.now(), 200);
  }));

  it("withDefault() resolves with fn's value when it is in time", withClock(async () => {
    const value = await withDefault((signal) => sleep(10, signal).then(() => "real"), 200, "fallback");
    assert.equal(value, "real");
  }));

  it("withDefault() lets fn's own TimeoutError through", withClock(async () => {
    const ownTimeout = new DOMException("upstream timed out", "TimeoutError");
    await rejectsWith(
      withDefault(async () => {
        await sleep(10);
        throw ownTimeout;
      }, 200, "fallback"),
      { is: ownTimeout },
      "withDefault(fn that throws its own TimeoutError at t=10, 200, fallback)",
    );
  }));

  it("withDefault() lets a real error through", withClock(async () => {
    const boom = new TypeError("broken");
    await rejectsWith(withDefault(() => Promise.reject(boom), 200, 0), { is: boom }, "withDefault(fn that fails, 200, 0)");
  }));

  it("withDefault() lets the caller's abort through", withClock(async () => {
    const caller = new AbortController();
    const reason = new Error("cancelled");
    setTimeout(() => caller.abort(reason), 20);
    await rejectsWith(
      withDefault((signal) => sleep(1000, signal), 200, "fallback", { signal: caller.signal }),
      { is: reason },
      "withDefault(fn, 200, fallback, { signal }) aborted at t=20",
    );
  }));

  it("withDefault() gives each concurrent task its own deadline", withClock(async (clock) => {
    const rec = new EventRecorder<number>();
    const job = (ms: number) => async (signal: AbortSignal) => {
      await sleep(ms, signal);
      rec.record("finished", ms);
      return ms;
    };
    const results = await Promise.all([
      withDefault(job(100), 150, -1),
      withDefault(job(300), 150, -1),
      withDefault(job(200), 250, -1),
      withDefault(job(400), null, -1),
    ]);
    assert.deepEqual(results, [100, -1, 200, 400], "each task keeps its value unless its own deadline passed");
    assert.equal(clock.now(), 400);
    assert.deepEqual(clock.pending(), [], "no deadline timer should be left behind");
  }));
});
