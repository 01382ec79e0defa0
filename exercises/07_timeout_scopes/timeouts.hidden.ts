/**
 * Hidden tests for 07_timeout_scopes: run by the grader (`deno task grade 07`), not by
 * `bun test` or `deno test`. They pin every behaviour the README promises, in virtual time.
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

/** The pending timers, in words, for messages. */
function pendingText(clock: { pending(): { kind: string; dueAt: number }[] }): string {
  const p = clock.pending();
  return p.length === 0 ? "none" : p.map((t) => `${t.kind} due at t=${t.dueAt}`).join(", ");
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
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  const active = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, active };
}

/** Calls `start` and fails if it throws synchronously (a promise-returning API must not). */
function callWithoutSyncThrow(start: () => Promise<unknown>, what: string): Promise<unknown> {
  let promise: Promise<unknown>;
  try {
    promise = start();
  } catch (error) {
    if (error instanceof Error && /^not implemented/.test(error.message)) throw error;
    assert.fail(
      `${what} threw synchronously (${String(error)}); it must return a rejected promise instead`,
    );
  }
  return promise;
}

/** What `fn` throws synchronously (undefined when it does not). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("task 1: timeout()", () => {
  it(
    "timeout() resolves with the body's value as soon as it finishes, and clears its timer",
    withClock(async (clock) => {
      const result = { id: 7 };
      let scope: TimeoutScope | undefined;
      const value = await timeout(60_000, async (s) => {
        scope = s;
        await sleep(40, s.signal);
        return result;
      });
      assert.equal(value, result, "timeout should resolve with the very value the body returned");
      assert.equal(
        clock.now(),
        40,
        `timeout should resolve at t=40, when the body did; it did at t=${clock.now()}`,
      );
      assert.equal(
        pendingText(clock),
        "none",
        "after the body finished, the scope's 60 s timer must be cleared",
      );
      await sleep(60_000); // past the old deadline
      assert.equal(
        scope?.expired,
        false,
        "a scope that ended in time stays not expired, even once its old deadline has gone by",
      );
    }),
  );

  it(
    "timeout() accepts a body that returns a plain value",
    withClock(async () => {
      const value = await timeout(100, () => 5);
      assert.equal(
        value,
        5,
        `timeout(100, () => 5) should resolve with 5; it gave ${String(value)}`,
      );
    }),
  );

  it(
    "timeout() rejects, never throws synchronously, when the body throws synchronously",
    withClock(async (clock) => {
      const boom = new TypeError("bad argument");
      const outcome = callWithoutSyncThrow(() =>
        timeout(100, () => {
          throw boom;
        }), "timeout(100, body that throws synchronously)");
      await rejectsWith(outcome, { is: boom }, "timeout(100, body that throws synchronously)");
      assert.equal(
        pendingText(clock),
        "none",
        "after the body threw, the scope's timer must be cleared",
      );
    }),
  );

  it(
    "timeout() aborts scope.signal exactly at the deadline, with a TimeoutError as the reason",
    withClock(async () => {
      const rec = new EventRecorder();
      let seen: AbortSignal | undefined;
      await rejectsWith(
        timeout(250, async (scope) => {
          seen = scope.signal;
          scope.signal.addEventListener("abort", () => rec.record("aborted"));
          await sleep(1000, scope.signal);
        }),
        { name: "TimeoutError" },
        "timeout(250, body that needs 1000 ms)",
      );
      assert.equal(
        rec.firstAt("aborted"),
        250,
        `scope.signal should abort at t=250; ${rec.format() || "it never aborted"}`,
      );
      const reason = seen?.reason as { name?: string } | undefined;
      assert.ok(
        reason instanceof DOMException && reason.name === "TimeoutError",
        `scope.signal should abort with a DOMException named TimeoutError (timeoutError(ms)); its reason was ${
          String(reason)
        }`,
      );
    }),
  );

  it(
    "timeout() rejects with a DOMException named TimeoutError",
    withClock(async () => {
      const error = await rejectsWith(timeout(100, (s) => sleep(1000, s.signal)), {
        name: "TimeoutError",
      }, "timeout(100, body)");
      assert.ok(
        error instanceof DOMException,
        "the timeout error should be a DOMException, like AbortSignal.timeout()'s",
      );
    }),
  );

  it(
    "timeout() rejects only after the body has settled",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const outcome = timeout(100, async (scope) => {
        try {
          await sleep(1000, scope.signal);
        } finally {
          await sleep(70);
          rec.record("body settled");
        }
      }).catch((e) => {
        rec.record("caller rejected");
        throw e;
      });
      await rejectsWith(outcome, { name: "TimeoutError" }, "timeout(100, body with 70 ms cleanup)");
      assert.deepEqual(
        rec.names(),
        ["body settled", "caller rejected"],
        `the caller must not see the TimeoutError before the body's cleanup is done; the order was ${
          rec.names().join(", ")
        }`,
      );
      assert.equal(
        clock.now(),
        170,
        `deadline t=100 + 70 ms of cleanup: reject at t=170; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() discards a value the body returns after catching the abort",
    withClock(async (clock) => {
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, async (s) => {
          scope = s;
          try {
            await sleep(1000, s.signal);
            return "complete";
          } catch {
            await sleep(50);
            return "partial"; // swallows the abort
          }
        }),
        { name: "TimeoutError" },
        "timeout(100, body that catches the abort and returns a partial result at t=150)",
      );
      assert.equal(
        clock.now(),
        150,
        `timeout should reject when the body settled, at t=150; it did at t=${clock.now()}`,
      );
      assert.equal(scope?.expired, true, "the scope expired at t=100");
    }),
  );

  it(
    "timeout() lets an error the body throws after the deadline through, at the time it settles",
    withClock(async (clock) => {
      const rollbackFailed = new Error("rollback failed");
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } finally {
            await sleep(60);
            // deno-lint-ignore no-unsafe-finally
            throw rollbackFailed;
          }
        }),
        { is: rollbackFailed },
        "timeout(100, body whose finally fails at t=160)",
      );
      assert.equal(
        clock.now(),
        160,
        `timeout should reject when the body did, at t=160; it did at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() lets a TimeoutError the body throws itself after the deadline through unchanged",
    withClock(async () => {
      const upstream = new DOMException("the upstream service timed out", "TimeoutError");
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } catch {
            throw upstream; // not the scope's reason: the body's own error
          }
        }),
        { is: upstream },
        "timeout(100, body that throws its own TimeoutError while stopping)",
      );
    }),
  );

  it(
    "timeout() lets a real error win before the deadline, and is not expired",
    withClock(async (clock) => {
      const boom = new RangeError("bad input");
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(60_000, async (s) => {
          scope = s;
          await sleep(30, s.signal);
          throw boom;
        }),
        { is: boom },
        "timeout(60000, body that throws at t=30)",
      );
      assert.equal(
        clock.now(),
        30,
        `the body's own error should reject timeout at once (t=30); it did at t=${clock.now()}`,
      );
      assert.equal(scope?.expired, false, "the scope did not expire");
      assert.equal(
        pendingText(clock),
        "none",
        "after the body failed, the scope's timer must be cleared",
      );
    }),
  );

  it(
    "timeout() scope.expired is false until the deadline and true from the moment the signal aborts",
    withClock(async () => {
      const seen: string[] = [];
      await rejectsWith(
        timeout(100, async (scope) => {
          seen.push(`start: ${scope.expired}`);
          await sleep(99);
          seen.push(`t=99: ${scope.expired}`);
          scope.signal.addEventListener("abort", () => seen.push(`abort: ${scope.expired}`));
          await sleep(1000, scope.signal);
        }),
        { name: "TimeoutError" },
        "timeout(100, body)",
      );
      assert.deepEqual(
        seen,
        ["start: false", "t=99: false", "abort: true"],
        `scope.expired should be false until the deadline and already true when the signal aborts; it was ${
          seen.join(", ")
        }`,
      );
    }),
  );

  it(
    "timeout() with null has no deadline and starts no timer",
    withClock(async (clock) => {
      let pendingWhileRunning = "";
      const value = await timeout(null, async (scope) => {
        pendingWhileRunning = pendingText(clock);
        assert.equal(scope.deadline, null, "timeout(null, ...) has no deadline");
        await sleep(5_000_000, scope.signal);
        return "finished";
      });
      assert.equal(value, "finished", "null means no deadline (Python's None)");
      assert.equal(
        pendingWhileRunning,
        "none",
        "with null there is no deadline, so timeout should start no timer",
      );
    }),
  );

  it(
    "timeout() with Infinity has an infinite deadline and starts no timer",
    withClock(async (clock) => {
      let pendingWhileRunning = "";
      let deadline: number | null = 0;
      const value = await timeout(Infinity, async (scope) => {
        pendingWhileRunning = pendingText(clock);
        deadline = scope.deadline;
        await sleep(3_600_000, scope.signal);
        return "finished";
      });
      assert.equal(
        value,
        "finished",
        "Infinity means no deadline (setTimeout(cb, Infinity) fires at once)",
      );
      assert.equal(
        pendingWhileRunning,
        "none",
        "with Infinity there is no deadline, so timeout should start no timer",
      );
      assert.equal(
        deadline,
        Infinity,
        `scope.deadline should be Infinity (CPython's when() is inf); it was ${deadline}`,
      );
    }),
  );

  it(
    "timeout() with a zero delay calls the body and aborts its signal at the first pause",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const start = Date.now();
      let deadline: number | null = null;
      await rejectsWith(
        timeout(0, async (scope) => {
          deadline = scope.deadline;
          rec.record(scope.signal.aborted ? "called with an aborted signal" : "called");
          scope.signal.addEventListener("abort", () => rec.record("aborted"));
          await sleep(10, scope.signal);
        }),
        { name: "TimeoutError" },
        "timeout(0, body)",
      );
      assert.deepEqual(
        rec.names(),
        ["called", "aborted"],
        `the body should run, then its signal should abort at its first pause; the events were ${
          rec.names().join(", ")
        }`,
      );
      assert.equal(
        deadline,
        start,
        `a zero delay has its deadline now (Date.now()); it was ${deadline}`,
      );
      assert.equal(
        clock.now(),
        0,
        `everything should be settled at t=0; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() with a zero delay returns a value the body has without pausing",
    withClock(async () => {
      let scope: TimeoutScope | undefined;
      const value = await timeout(0, (s) => {
        scope = s;
        return "ready";
      });
      assert.equal(
        value,
        "ready",
        "the body ended before its first pause, so the deadline had not come (CPython: `async with timeout(0): pass` raises nothing)",
      );
      assert.equal(scope?.expired, false, "the scope ended before its deadline came");
    }),
  );

  it(
    "timeout() with a negative delay has its deadline in the past and expires at the first pause",
    withClock(async (clock) => {
      const start = Date.now();
      let deadline: number | null = null;
      await rejectsWith(
        timeout(-50, async (scope) => {
          deadline = scope.deadline;
          await sleep(10, scope.signal);
        }),
        { name: "TimeoutError" },
        "timeout(-50, body)",
      );
      assert.equal(
        deadline,
        start - 50,
        `timeout(-50) has its deadline 50 ms in the past (CPython's when() too); it was ${deadline}`,
      );
      assert.equal(
        clock.now(),
        0,
        `a past deadline expires at once (t=0); yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() rejects a NaN delay with RangeError, without calling the body",
    withClock(async () => {
      let calls = 0;
      const outcome = callWithoutSyncThrow(() =>
        timeout(Number.NaN, () => {
          calls++;
        }), "timeout(NaN, body)");
      await rejectsWith(outcome, { name: "RangeError" }, "timeout(NaN, body)");
      assert.equal(
        calls,
        0,
        `the body must not run with an invalid delay; it ran ${calls} time(s)`,
      );
    }),
  );

  it(
    "timeout() rejects a delay that is not a number with TypeError",
    withClock(async () => {
      for (const bad of ["100", undefined, {}]) {
        const what = `timeout(${JSON.stringify(bad) ?? "undefined"}, body)`;
        const outcome = callWithoutSyncThrow(
          () => timeout(bad as unknown as number, () => 1),
          what,
        );
        await rejectsWith(outcome, { name: "TypeError" }, what);
      }
    }),
  );

  it(
    "timeout() gives each concurrent scope its own deadline, signal and state",
    withClock(async (clock) => {
      const scopes: TimeoutScope[] = [];
      const slow = timeout(100, (s) => {
        scopes.push(s);
        return sleep(500, s.signal);
      });
      const fast = timeout(300, (s) => {
        scopes.push(s);
        return sleep(150, s.signal).then(() => "fast");
      });
      await rejectsWith(slow, { name: "TimeoutError" }, "timeout(100, body that needs 500 ms)");
      const value = await fast;
      assert.equal(
        value,
        "fast",
        `the second scope finished at t=150, within its own 300 ms; it gave ${String(value)}`,
      );
      assert.equal(
        scopes[1].signal.aborted,
        false,
        "the first scope's timeout must not abort the second scope's signal",
      );
      assert.equal(scopes[1].expired, false, "the second scope did not expire");
      assert.equal(
        clock.now(),
        150,
        `everything should be settled at t=150; it was at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 2: scope.reschedule()", () => {
  it(
    "scope.reschedule() replaces the old deadline: the old timer never fires",
    withClock(async (clock) => {
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
      assert.equal(
        rec.firstAt("expired"),
        380,
        `reschedule(300) at t=80 moves the deadline to t=380; the old timer must be cleared; ${rec.format()}`,
      );
      assert.equal(
        clock.now(),
        380,
        `everything should be settled at t=380; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "scope.reschedule() can shorten the deadline",
    withClock(async (clock) => {
      await rejectsWith(
        timeout(1000, async (scope) => {
          await sleep(10, scope.signal);
          scope.reschedule(20);
          await sleep(1000, scope.signal);
        }),
        { name: "TimeoutError" },
        "timeout(1000, body that reschedules to 20 ms at t=10)",
      );
      assert.equal(
        clock.now(),
        30,
        `reschedule(20) at t=10 should expire the scope at t=30; it did at t=${clock.now()}`,
      );
    }),
  );

  it(
    "scope.reschedule() updates scope.deadline to Date.now() + ms",
    withClock(async () => {
      const start = Date.now();
      await timeout(500, async (scope) => {
        await sleep(100, scope.signal);
        scope.reschedule(1000);
        assert.equal(
          scope.deadline,
          start + 1100,
          `reschedule(1000) at t=100: deadline Date.now() + 1000; it was ${scope.deadline}`,
        );
        scope.reschedule(-20);
        assert.equal(
          scope.deadline,
          start + 80,
          `reschedule(-20) at t=100: deadline 20 ms in the past; it was ${scope.deadline}`,
        );
        scope.reschedule(Infinity);
        assert.equal(
          scope.deadline,
          Infinity,
          `reschedule(Infinity): the deadline is Infinity; it was ${scope.deadline}`,
        );
      });
    }),
  );

  it(
    "scope.reschedule(null) leaves no timer pending",
    withClock(async (clock) => {
      let pendingAfter = "";
      const value = await timeout(100, async (scope) => {
        scope.reschedule(null);
        pendingAfter = pendingText(clock);
        await sleep(10_000, scope.signal);
        return "no deadline";
      });
      assert.equal(
        value,
        "no deadline",
        `reschedule(null) removed the deadline: expected "no deadline", got ${String(value)}`,
      );
      assert.equal(
        pendingAfter.includes("due at t=100"),
        false,
        `reschedule(null) must clear the old timer; pending after it: ${pendingAfter}`,
      );
    }),
  );

  it(
    "scope.reschedule(Infinity) removes the deadline and arms no timer",
    withClock(async (clock) => {
      let pendingAfter = "";
      const value = await timeout(100, async (scope) => {
        scope.reschedule(Infinity);
        pendingAfter = pendingText(clock);
        await sleep(10_000, scope.signal);
        return "no deadline";
      });
      assert.equal(
        value,
        "no deadline",
        "reschedule(Infinity) means no deadline (setTimeout(cb, Infinity) fires at once)",
      );
      assert.equal(
        pendingAfter,
        "none",
        `reschedule(Infinity) should leave no timer; pending after it: ${pendingAfter}`,
      );
    }),
  );

  it(
    "scope.reschedule(0) and negative delays expire at the next pause",
    withClock(async (clock) => {
      for (const delay of [0, -500, -Infinity]) {
        await rejectsWith(
          timeout(1000, async (scope) => {
            await sleep(10, scope.signal);
            scope.reschedule(delay);
            await sleep(1000, scope.signal);
          }),
          { name: "TimeoutError" },
          `timeout(1000, body that calls reschedule(${delay}) at t=10)`,
        );
      }
      assert.equal(
        clock.now(),
        30,
        `each scope should expire right after its reschedule, at t=10, t=20 and t=30 (-Infinity is a negative delay too, not "no deadline"); now t=${clock.now()}`,
      );
    }),
  );

  it(
    "scope.reschedule() keeps a single timer, however often it is called",
    withClock(async (clock) => {
      let pendingAfter: number[] = [];
      await timeout(100, async (scope) => {
        for (let i = 1; i <= 5; i++) scope.reschedule(100 * i);
        pendingAfter = clock.pending().map((t) => t.dueAt);
        await sleep(10, scope.signal);
      });
      assert.deepEqual(
        pendingAfter,
        [500],
        `after five reschedules only the last deadline (t=500) may be pending; pending: ${pendingAfter}`,
      );
    }),
  );

  it(
    "scope.reschedule() names the state in its InvalidStateError: expiring, expired, finished",
    withClock(async () => {
      let insideError: unknown;
      let expiredScope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, async (scope) => {
          expiredScope = scope;
          try {
            await sleep(1000, scope.signal);
          } catch (abort) {
            insideError = thrownBy(() => scope.reschedule(500));
            throw abort;
          }
        }),
        { name: "TimeoutError" },
        "timeout(100, body)",
      );
      let finishedScope: TimeoutScope | undefined;
      await timeout(100, (scope) => {
        finishedScope = scope;
      });
      const cases: [string, unknown][] = [
        ["expiring", insideError],
        ["expired", thrownBy(() => expiredScope!.reschedule(500))],
        ["finished", thrownBy(() => finishedScope!.reschedule(500))],
      ];
      for (const [state, error] of cases) {
        const e = error as Error | undefined;
        assert.equal(
          e?.name,
          "InvalidStateError",
          `reschedule() on a scope that is ${state} should throw InvalidStateError; it threw ${
            String(e)
          }`,
        );
        assert.match(
          String(e?.message),
          new RegExp(state),
          `the message should say the scope is "${state}" (CPython: "Cannot change state of ${state} Timeout"); it was "${e?.message}"`,
        );
      }
    }),
  );

  it(
    "scope.reschedule() after the deadline does not revive the scope",
    withClock(async (clock) => {
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } catch (abort) {
            thrownBy(() => scope.reschedule(5000));
            assert.equal(scope.expired, true, "the scope stays expired after a refused reschedule");
            throw abort;
          }
        }),
        { name: "TimeoutError" },
        "timeout(100, body that tries to reschedule after its deadline)",
      );
      assert.equal(
        clock.now(),
        100,
        `everything should be settled at t=100; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "scope.reschedule() rejects a bad delay with RangeError or TypeError and keeps the deadline",
    withClock(async () => {
      const start = Date.now();
      await timeout(100, (scope) => {
        throwsWith(
          () => scope.reschedule(Number.NaN),
          { name: "RangeError" },
          "scope.reschedule(NaN)",
        );
        throwsWith(
          () => scope.reschedule("50" as unknown as number),
          { name: "TypeError" },
          'scope.reschedule("50")',
        );
        throwsWith(
          () => scope.reschedule(undefined as unknown as number),
          { name: "TypeError" },
          "scope.reschedule(undefined) (only null removes the deadline)",
        );
        assert.equal(
          scope.deadline,
          start + 100,
          `a refused reschedule must keep the deadline (t=100); it is ${scope.deadline}`,
        );
      });
    }),
  );
});

describe("task 3: the caller's signal and nested scopes", () => {
  it(
    "timeout() aborts scope.signal with the caller's own reason",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => caller.abort(reason), 40);
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, (s) => {
          scope = s;
          return sleep(1000, s.signal);
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(100, body, { signal }) aborted by the caller at t=40",
      );
      assert.equal(
        scope?.signal.reason,
        reason,
        "scope.signal should abort with the caller's own reason (the same value)",
      );
      assert.equal(scope?.expired, false, "the caller's abort is not an expiry");
      assert.equal(
        clock.now(),
        40,
        `everything should be settled at t=40; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "scope.reschedule() is still allowed after the caller's abort",
    withClock(async () => {
      const caller = new AbortController();
      const reason = new Error("cancel");
      setTimeout(() => caller.abort(reason), 10);
      let thrown: unknown = "reschedule() was not reached";
      await rejectsWith(
        timeout(1000, async (scope) => {
          try {
            await sleep(5000, scope.signal);
          } catch (abort) {
            thrown = thrownBy(() => scope.reschedule(2000));
            throw abort;
          }
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(1000, body, { signal }) aborted by the caller at t=10",
      );
      assert.equal(
        thrown,
        undefined,
        `the scope was cancelled from outside, not expired: reschedule() may still be called (CPython allows it); it threw ${
          String(thrown)
        }`,
      );
    }),
  );

  it(
    "timeout() stops its timer when the caller aborts",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new DOMException("stop", "AbortError");
      setTimeout(() => caller.abort(reason), 50);
      let pendingInCleanup = "";
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, async (s) => {
          scope = s;
          try {
            await sleep(1000, s.signal);
          } finally {
            pendingInCleanup = pendingText(clock);
            await sleep(200); // cleanup ends at t=250, after the (cancelled) deadline
          }
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(100, body, { signal }) aborted by the caller at t=50, cleanup until t=250",
      );
      assert.equal(
        pendingInCleanup,
        "none",
        "once the caller aborted, the scope's timer should be cleared",
      );
      assert.equal(
        scope?.expired,
        false,
        "the caller aborted before the deadline: the scope did not expire",
      );
      assert.equal(
        clock.now(),
        250,
        `everything should be settled at t=250; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "timeout() settles as the body does after the caller's abort, even with a value",
    withClock(async () => {
      const caller = new AbortController();
      setTimeout(() => caller.abort(new Error("cancel")), 20);
      const value = await timeout(100, async (scope) => {
        try {
          await sleep(1000, scope.signal);
          return "complete";
        } catch {
          await sleep(150); // past the 100 ms deadline, which the caller's abort cancelled
          return "saved a draft";
        }
      }, { signal: caller.signal });
      assert.equal(
        value,
        "saved a draft",
        "the caller's abort is not a timeout: when the body still returns a value, timeout resolves with it",
      );
    }),
  );

  it(
    "timeout() with an already aborted signal starts nothing",
    withClock(async (clock) => {
      const reason = new Error("cancelled before start");
      const counted = countingController();
      counted.controller.abort(reason);
      let calls = 0;
      await rejectsWith(
        timeout(100, () => {
          calls++;
        }, { signal: counted.controller.signal }),
        { is: reason },
        "timeout(100, body, { signal: already aborted })",
      );
      assert.equal(calls, 0, `the body must not run; it ran ${calls} time(s)`);
      assert.equal(
        clock.now(),
        0,
        `everything should be settled at t=0; it was at t=${clock.now()}`,
      );
      assert.equal(counted.active(), 0, "no abort listener may be left on the caller's signal");
    }),
  );

  it(
    "timeout() removes its listener from the caller's signal on every path",
    withClock(async () => {
      const paths: [string, (signal: AbortSignal) => Promise<unknown>][] = [
        ["success", (signal) => timeout(100, (s) => sleep(10, s.signal), { signal })],
        [
          "error",
          (signal) =>
            timeout(100, () => Promise.reject(new Error("boom")), { signal }).catch(() => {}),
        ],
        ["synchronous throw", (signal) =>
          timeout(100, () => {
            throw new Error("sync boom");
          }, { signal }).catch(() => {})],
        [
          "timeout",
          (signal) => timeout(100, (s) => sleep(1000, s.signal), { signal }).catch(() => {}),
        ],
      ];
      for (const [path, run] of paths) {
        const counted = countingController();
        await run(counted.controller.signal);
        assert.equal(
          counted.active(),
          0,
          `after ${path}, timeout must remove its abort listener from the caller's signal`,
        );
      }
    }),
  );

  it(
    "timeout() is not affected by a caller's abort after it settled",
    withClock(async () => {
      const caller = new AbortController();
      let scope: TimeoutScope | undefined;
      await timeout(100, (s) => {
        scope = s;
        return sleep(10, s.signal);
      }, { signal: caller.signal });
      caller.abort(new Error("too late to matter"));
      assert.equal(
        scope?.signal.aborted,
        false,
        "after timeout resolved, a caller's abort must not reach scope.signal",
      );
    }),
  );

  it(
    "timeout() rejects with the caller's reason when it aborts after the deadline, once the body settled",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => caller.abort(reason), 150);
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, async (s) => {
          scope = s;
          try {
            await sleep(1000, s.signal);
          } finally {
            await sleep(200); // cleanup from t=100 to t=300
          }
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(100, body with cleanup until t=300, { signal }) aborted by the caller at t=150",
      );
      assert.equal(
        clock.now(),
        300,
        `timeout should still wait for the cleanup (until t=300); it settled at t=${clock.now()}`,
      );
      assert.equal(scope?.expired, true, "the scope did expire at t=100");
    }),
  );

  it(
    "timeout() lets the body's own error through even when the caller aborted after the deadline",
    withClock(async () => {
      const caller = new AbortController();
      setTimeout(() => caller.abort(new Error("shutting down")), 150);
      const rollbackFailed = new Error("rollback failed");
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } catch {
            await sleep(200);
            throw rollbackFailed;
          }
        }, { signal: caller.signal }),
        { is: rollbackFailed },
        "timeout(100, body whose rollback fails at t=300, { signal }) aborted by the caller at t=150",
      );
    }),
  );

  it(
    "timeout() passes a caller's TimeoutError through as the caller's, not as its own",
    withClock(async (clock) => {
      const overall = AbortSignal.timeout(50); // the caller's own, shorter deadline
      let scope: TimeoutScope | undefined;
      const error = await rejectsWith(
        timeout(100, (s) => {
          scope = s;
          return sleep(1000, s.signal);
        }, { signal: overall }),
        { name: "TimeoutError" },
        "timeout(100, body, { signal: AbortSignal.timeout(50) })",
      );
      assert.equal(
        error,
        overall.reason,
        "the caller's signal aborted first: timeout must reject with the caller's reason (the same object)",
      );
      assert.equal(
        scope?.expired,
        false,
        "the caller's deadline is not this scope's: scope.expired stays false",
      );
      assert.equal(
        clock.now(),
        50,
        `everything should be settled at t=50; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "a scope aborted from outside at its own deadline is expired but lets the outside reason through",
    withClock(async () => {
      const caller = new AbortController();
      const reason = new Error("the outer deadline");
      setTimeout(() => caller.abort(reason), 100); // due at t=100 too, and created first: it fires first
      let scope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, (s) => {
          scope = s;
          return sleep(1000, s.signal);
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(100, body, { signal }) with the caller aborting at t=100",
      );
      assert.equal(
        scope?.expired,
        true,
        "the scope's deadline had come when the caller aborted: scope.expired is true",
      );
    }),
  );

  it(
    "scope.reschedule() throws InvalidStateError once a caller's abort at the deadline has expired the scope",
    withClock(async () => {
      const caller = new AbortController();
      const reason = new Error("the outer deadline");
      setTimeout(() => caller.abort(reason), 100); // due at t=100 too, and created first: it fires first
      let refused: unknown;
      await rejectsWith(
        timeout(100, async (scope) => {
          try {
            await sleep(1000, scope.signal);
          } finally {
            refused = thrownBy(() => scope.reschedule(500));
          }
        }, { signal: caller.signal }),
        { is: reason },
        "timeout(100, body, { signal }) with the caller aborting at t=100",
      );
      assert.equal(
        (refused as Error | undefined)?.name,
        "InvalidStateError",
        `the deadline has passed (scope.expired is true), so a reschedule in the body's cleanup must throw InvalidStateError; yours ${
          refused === undefined ? "did not throw" : `threw ${String(refused)}`
        }`,
      );
      assert.match(
        (refused as Error).message,
        /expiring/,
        "the body still runs: the message should say the scope is expiring",
      );
    }),
  );

  it(
    "an inner scope's TimeoutError reaches the outer body unchanged, and the outer scope carries on",
    withClock(async (clock) => {
      let innerError: unknown;
      let outerScope: TimeoutScope | undefined;
      const value = await timeout(1000, async (outer) => {
        outerScope = outer;
        try {
          await timeout(50, (inner) => sleep(500, inner.signal), { signal: outer.signal });
        } catch (e) {
          innerError = e;
        }
        await sleep(100, outer.signal);
        return "carried on";
      });
      assert.equal(
        (innerError as Error | undefined)?.name,
        "TimeoutError",
        `the inner scope should time out; it gave ${String(innerError)}`,
      );
      assert.equal(
        value,
        "carried on",
        "the outer scope is not expired and keeps running after the inner timeout",
      );
      assert.equal(
        outerScope?.signal.aborted,
        false,
        "the inner timeout must not abort the outer scope's signal",
      );
      assert.equal(
        clock.now(),
        150,
        `everything should be settled at t=150; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "an inner TimeoutError thrown out of the outer body is the same error",
    withClock(async () => {
      let innerError: unknown;
      const error = await rejectsWith(
        timeout(1000, async (outer) => {
          try {
            await timeout(50, (inner) => sleep(500, inner.signal), { signal: outer.signal });
          } catch (e) {
            innerError = e;
            throw e;
          }
        }),
        { name: "TimeoutError" },
        "timeout(1000, body with an inner timeout(50))",
      );
      assert.equal(
        error,
        innerError,
        "the outer scope must pass the inner scope's TimeoutError through, not make its own",
      );
    }),
  );

  it(
    "an outer deadline reaches a scope nested two levels down",
    withClock(async (clock) => {
      const expired: Record<string, boolean | undefined> = {};
      let middleError: unknown;
      let outerScope: TimeoutScope | undefined;
      await rejectsWith(
        timeout(100, async (outer) => {
          outerScope = outer;
          try {
            await timeout(500, async (middle) => {
              try {
                await timeout(
                  1000,
                  (inner) =>
                    sleep(5000, inner.signal).finally(() => (expired.inner = inner.expired)),
                  {
                    signal: middle.signal,
                  },
                );
              } finally {
                expired.middle = middle.expired;
              }
            }, { signal: outer.signal });
          } catch (e) {
            middleError = e;
            throw e;
          }
        }),
        { name: "TimeoutError" },
        "timeout(100, body with timeout(500, body with timeout(1000)))",
      );
      assert.deepEqual(
        expired,
        { inner: false, middle: false },
        `only the outer scope expired; ${JSON.stringify(expired)}`,
      );
      assert.equal(
        middleError,
        outerScope?.signal.reason,
        "the middle scope should let the outer reason through",
      );
      assert.equal(
        clock.now(),
        100,
        `everything should be settled at t=100; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "nested scopes with the same deadline: both expired, the outer one times out",
    withClock(async (clock) => {
      let innerScope: TimeoutScope | undefined;
      let outerScope: TimeoutScope | undefined;
      let innerError: unknown;
      await rejectsWith(
        timeout(1000, async (outer) => {
          outerScope = outer;
          await sleep(50, outer.signal);
          // Both deadlines at t=200, each a 150 ms timer armed at t=50, the outer one first: the
          // runtimes keep timers of one delay in creation order, so the outer one fires first.
          // (A timeout(150) started at t=50 inside a timeout(200) meets the outer deadline too,
          // but timers of different delays due at one instant run in no promised order.)
          outer.reschedule(150);
          try {
            await timeout(150, (inner) => {
              innerScope = inner;
              return sleep(5000, inner.signal);
            }, { signal: outer.signal });
          } catch (e) {
            innerError = e;
            throw e;
          }
        }),
        { name: "TimeoutError" },
        "timeout(1000, body that at t=50 calls outer.reschedule(150), then starts an inner timeout(150))",
      );
      assert.equal(innerScope?.deadline, outerScope?.deadline, "both deadlines are t=200");
      assert.equal(outerScope?.expired, true, "the outer scope expired");
      assert.equal(
        innerScope?.expired,
        true,
        "the inner scope expired at the same instant (CPython marks both)",
      );
      assert.equal(
        innerError,
        outerScope?.signal.reason,
        "the inner scope lets the outer reason through",
      );
      assert.equal(
        clock.now(),
        200,
        `everything should be settled at t=200; it was at t=${clock.now()}`,
      );
    }),
  );
});
