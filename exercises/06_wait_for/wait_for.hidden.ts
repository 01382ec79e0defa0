/**
 * Hidden tests for 06_wait_for: run by the grader (`deno task grade 06`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
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

/** Calls `start` and reports whether it threw synchronously (a promise-returning API must not). */
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

describe("task 1: waitFor()", () => {
  it(
    "waitFor() resolves with fn's value as soon as fn finishes",
    withClock(async (clock) => {
      const result = { id: 7 };
      const value = await waitFor(async (signal) => {
        await sleep(40, signal);
        return result;
      }, 100);
      assert.equal(value, result, "waitFor should resolve with the very value fn returned");
      assert.equal(
        clock.now(),
        40,
        `waitFor should resolve at t=40, when fn did; it resolved at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() clears its deadline timer when fn finishes first",
    withClock(async (clock) => {
      await waitFor((signal) => sleep(10, signal), 60_000);
      assert.equal(
        pendingText(clock),
        "none",
        "after fn finished, waitFor's 60 s deadline timer must be cleared (a Promise.race with a sleep leaks it)",
      );
    }),
  );

  it(
    "waitFor() clears its deadline timer when fn fails before the deadline",
    withClock(async (clock) => {
      const boom = new Error("boom");
      await rejectsWith(
        waitFor(async () => {
          await sleep(10);
          throw boom;
        }, 60_000),
        { is: boom },
        "waitFor(fn that fails at t=10, 60000)",
      );
      assert.equal(
        pendingText(clock),
        "none",
        "after fn failed, waitFor's 60 s deadline timer must be cleared",
      );
    }),
  );

  it(
    "waitFor() aborts fn's signal exactly at the deadline, with a TimeoutError as the reason",
    withClock(async () => {
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
      assert.ok(
        seen?.aborted,
        "fn's signal must be aborted when the deadline passes (Promise.race never tells fn to stop)",
      );
      assert.equal(
        rec.firstAt("aborted"),
        250,
        `fn's signal should abort at t=250; ${rec.format() || "it never aborted"}`,
      );
      const reason = seen?.reason as { name?: string } | undefined;
      assert.ok(
        reason instanceof DOMException && reason.name === "TimeoutError",
        `fn's signal should abort with a DOMException named TimeoutError (timeoutError(ms)); its reason was ${
          String(reason)
        }`,
      );
    }),
  );

  it(
    "waitFor() rejects with a DOMException named TimeoutError",
    withClock(async () => {
      const error = await rejectsWith(
        waitFor((signal) => sleep(1000, signal), 100),
        { name: "TimeoutError" },
        "waitFor(fn, 100)",
      );
      assert.ok(
        error instanceof DOMException,
        "the timeout error should be a DOMException, like AbortSignal.timeout()'s",
      );
    }),
  );

  it(
    "waitFor() rejects only after fn has settled",
    withClock(async (clock) => {
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
      assert.deepEqual(
        rec.names(),
        ["fn settled", "caller rejected"],
        `the caller must not see the TimeoutError before fn's cleanup is done; the order was ${
          rec.names().join(", ")
        }`,
      );
      assert.equal(
        clock.now(),
        170,
        `deadline t=100 + 70 ms of cleanup: reject at t=170, not t=100; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() discards a value fn returns after catching the abort",
    withClock(async (clock) => {
      await rejectsWith(
        waitFor(async (signal) => {
          try {
            await sleep(1000, signal);
            return "complete";
          } catch {
            await sleep(50);
            return "partial"; // swallows the abort
          }
        }, 100),
        { name: "TimeoutError" },
        "waitFor(fn that catches the abort and returns a partial result at t=150, 100)",
      );
      assert.equal(
        clock.now(),
        150,
        `waitFor should reject when fn settled, at t=150; it did at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() with null starts no timer",
    withClock(async (clock) => {
      let pendingWhileRunning = "";
      const value = await waitFor(async (signal) => {
        pendingWhileRunning = pendingText(clock);
        await sleep(5_000_000, signal);
        return "finished";
      }, null);
      assert.equal(value, "finished", "null means no deadline (Python's timeout=None)");
      assert.equal(clock.now(), 5_000_000, `fn needed 5000 s; waitFor settled at t=${clock.now()}`);
      assert.equal(
        pendingWhileRunning,
        "none",
        "with null there is no deadline, so waitFor should start no timer",
      );
    }),
  );

  it(
    "waitFor() with Infinity never times out and starts no timer",
    withClock(async (clock) => {
      let pendingWhileRunning = "";
      const value = await waitFor(async (signal) => {
        pendingWhileRunning = pendingText(clock);
        await sleep(3_600_000, signal);
        return "finished";
      }, Infinity);
      assert.equal(
        value,
        "finished",
        "Infinity means no deadline (setTimeout(cb, Infinity) fires at once: do not arm a timer for it)",
      );
      assert.equal(
        pendingWhileRunning,
        "none",
        "with Infinity there is no deadline, so waitFor should start no timer",
      );
    }),
  );

  it(
    "waitFor() lets a real error from fn win before the deadline",
    withClock(async (clock) => {
      const boom = new RangeError("bad input");
      await rejectsWith(
        waitFor(async (signal) => {
          await sleep(30, signal);
          throw boom;
        }, 100),
        { is: boom },
        "waitFor(fn that throws at t=30, 100)",
      );
      assert.equal(
        clock.now(),
        30,
        `fn's own error should reject waitFor at once (t=30); it did at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() lets a TimeoutError fn throws itself before the deadline through unchanged",
    withClock(async () => {
      const upstream = new DOMException("the upstream service timed out", "TimeoutError");
      await rejectsWith(
        waitFor(async () => {
          await sleep(10);
          throw upstream;
        }, 100),
        { is: upstream },
        "waitFor(fn that throws its own TimeoutError at t=10, 100)",
      );
    }),
  );

  it(
    "waitFor() lets an error fn throws after the deadline through, at the time fn settles",
    withClock(async (clock) => {
      const rollbackFailed = new Error("rollback failed");
      await rejectsWith(
        waitFor(async (signal) => {
          try {
            await sleep(1000, signal);
          } finally {
            await sleep(60);
            // deno-lint-ignore no-unsafe-finally
            throw rollbackFailed;
          }
        }, 100),
        { is: rollbackFailed },
        "waitFor(fn whose finally fails at t=160, 100)",
      );
      assert.equal(
        clock.now(),
        160,
        `waitFor should reject when fn did, at t=160; it did at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() lets an AggregateError from fn's sub-tasks through after the deadline",
    withClock(async () => {
      let group: AggregateError | undefined;
      await rejectsWith(
        waitFor(async (signal) => {
          const results = await Promise.allSettled([
            sleep(1000, signal),
            sleep(1000, signal).finally(() => {
              throw new Error("sub-task cleanup failed");
            }),
          ]);
          const errors = results.flatMap((r) =>
            r.status === "rejected" && r.reason !== signal.reason ? [r.reason] : []
          );
          if (errors.length > 0) throw (group = new AggregateError(errors, "1 sub-task failed"));
          signal.throwIfAborted();
        }, 100),
        { instanceOf: AggregateError },
        "waitFor(fn whose sub-task fails while stopping, 100)",
      );
      assert.ok(group !== undefined, "fn should have thrown its AggregateError");
    }),
  );

  it(
    "waitFor() rejects, never throws synchronously, when fn throws synchronously",
    withClock(async (clock) => {
      const boom = new TypeError("bad argument");
      const outcome = callWithoutSyncThrow(() =>
        waitFor(() => {
          throw boom;
        }, 100), "waitFor(fn that throws synchronously, 100)");
      await rejectsWith(outcome, { is: boom }, "waitFor(fn that throws synchronously, 100)");
      assert.equal(
        pendingText(clock),
        "none",
        "after fn threw, waitFor's deadline timer must be cleared",
      );
    }),
  );

  it(
    "waitFor() calls fn with a zero delay and aborts its signal at the first pause",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      await rejectsWith(
        waitFor(async (signal) => {
          rec.record(signal.aborted ? "called with an aborted signal" : "called");
          signal.addEventListener("abort", () => rec.record("aborted"));
          await sleep(10, signal);
          rec.record("slept");
        }, 0),
        { name: "TimeoutError" },
        "waitFor(fn, 0)",
      );
      assert.deepEqual(
        rec.names(),
        ["called", "aborted"],
        `fn should be called, then its signal should abort at its first pause; the events were ${
          rec.names().join(", ")
        }`,
      );
      assert.equal(
        clock.now(),
        0,
        `a deadline of 0 ms passes at once (t=0); waitFor rejected at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() with a zero delay still returns a value fn has without pausing",
    withClock(async () => {
      const value = await waitFor(() => "ready", 0);
      assert.equal(
        value,
        "ready",
        "fn returned before its first pause, so the deadline had not passed yet (CPython's wait_for(done_future, 0) returns it too)",
      );
    }),
  );

  it(
    "waitFor() treats a negative delay as already expired",
    withClock(async (clock) => {
      await rejectsWith(
        waitFor((signal) => sleep(10, signal), -5),
        { name: "TimeoutError" },
        "waitFor(fn, -5)",
      );
      assert.equal(
        clock.now(),
        0,
        `a deadline 5 ms in the past expires at once (t=0); yours at t=${clock.now()}`,
      );
      await rejectsWith(
        waitFor((signal) => sleep(10, signal), -Infinity),
        { name: "TimeoutError" },
        "waitFor(fn, -Infinity)",
      );
      assert.equal(clock.now(), 0, `-Infinity expires at once (t=0); yours at t=${clock.now()}`);
    }),
  );

  it(
    "waitFor() rejects a NaN delay with RangeError, without calling fn",
    withClock(async () => {
      let calls = 0;
      const outcome = callWithoutSyncThrow(() =>
        waitFor(() => {
          calls++;
          return 1;
        }, Number.NaN), "waitFor(fn, NaN)");
      await rejectsWith(outcome, { name: "RangeError" }, "waitFor(fn, NaN)");
      assert.equal(
        calls,
        0,
        `fn must not be called with an invalid delay; it was called ${calls} time(s)`,
      );
    }),
  );

  it(
    "waitFor() rejects a delay that is not a number with TypeError",
    withClock(async () => {
      for (const bad of ["100", undefined, {}]) {
        const outcome = callWithoutSyncThrow(
          () => waitFor(() => 1, bad as unknown as number),
          `waitFor(fn, ${JSON.stringify(bad) ?? "undefined"})`,
        );
        await rejectsWith(
          outcome,
          { name: "TypeError" },
          `waitFor(fn, ${JSON.stringify(bad) ?? "undefined"})`,
        );
      }
    }),
  );

  it(
    "waitFor() gives each concurrent call its own deadline and signal",
    withClock(async (clock) => {
      const signals: AbortSignal[] = [];
      const slow = waitFor((signal) => {
        signals.push(signal);
        return sleep(500, signal);
      }, 100);
      const fast = waitFor((signal) => {
        signals.push(signal);
        return sleep(150, signal).then(() => "fast");
      }, 300);
      await rejectsWith(slow, { name: "TimeoutError" }, "waitFor(fn that needs 500 ms, 100)");
      const value = await fast;
      assert.equal(
        value,
        "fast",
        `the second call finished at t=150, within its own 300 ms, after the first call's deadline; it gave ${
          String(value)
        }`,
      );
      assert.notEqual(signals[0], signals[1], "each call must give fn its own signal");
      assert.equal(
        signals[1].aborted,
        false,
        "the first call's timeout must not abort the second call's signal",
      );
      assert.equal(clock.now(), 150, `everything settled at t=150; yours at t=${clock.now()}`);
    }),
  );
});

describe("task 2: waitFor() with the caller's signal", () => {
  it(
    "waitFor() aborts fn's signal with the caller's own reason",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => caller.abort(reason), 40);
      let seen: AbortSignal | undefined;
      await rejectsWith(
        waitFor(
          (signal) => {
            seen = signal;
            return sleep(1000, signal);
          },
          100,
          { signal: caller.signal },
        ),
        { is: reason },
        "waitFor(fn, 100, { signal }) aborted by the caller at t=40",
      );
      assert.equal(
        clock.now(),
        40,
        `the caller's abort should stop fn at t=40; waitFor settled at t=${clock.now()}`,
      );
      assert.equal(
        seen?.reason,
        reason,
        "fn's signal should abort with the caller's own reason (the same value)",
      );
    }),
  );

  it(
    "waitFor() passes a caller's TimeoutError through as the caller's, not as its own",
    withClock(async (clock) => {
      const overall = AbortSignal.timeout(50); // the caller's own, shorter deadline
      const error = await rejectsWith(
        waitFor((signal) => sleep(1000, signal), 100, { signal: overall }),
        { name: "TimeoutError" },
        "waitFor(fn, 100, { signal: AbortSignal.timeout(50) })",
      );
      assert.equal(
        error,
        overall.reason,
        "the caller's signal aborted first: waitFor must reject with the caller's reason (the same object), not a TimeoutError of its own",
      );
      assert.equal(
        clock.now(),
        50,
        `the caller's deadline at t=50 should stop fn; waitFor settled at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() stops its deadline timer when the caller aborts",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new DOMException("stop", "AbortError");
      setTimeout(() => caller.abort(reason), 50);
      let pendingInCleanup = "";
      await rejectsWith(
        waitFor(
          async (signal) => {
            try {
              await sleep(1000, signal);
            } finally {
              pendingInCleanup = pendingText(clock);
              await sleep(200); // cleanup ends at t=250, after the (cancelled) deadline
            }
          },
          100,
          { signal: caller.signal },
        ),
        { is: reason },
        "waitFor(fn, 100, { signal }) aborted by the caller at t=50, cleanup until t=250",
      );
      assert.equal(
        pendingInCleanup,
        "none",
        "once the caller aborted, no deadline may pass any more: waitFor's deadline timer should be cleared",
      );
      assert.equal(
        clock.now(),
        250,
        `waitFor should reject when fn's cleanup ended, at t=250; it did at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() settles as fn does after the caller's abort, even with a value",
    withClock(async (clock) => {
      const caller = new AbortController();
      setTimeout(() => caller.abort(new Error("cancel")), 20);
      const value = await waitFor(
        async (signal) => {
          try {
            await sleep(1000, signal);
            return "complete";
          } catch {
            await sleep(150); // past the 100 ms deadline, which the caller's abort cancelled
            return "saved a draft";
          }
        },
        100,
        { signal: caller.signal },
      );
      assert.equal(
        value,
        "saved a draft",
        "the caller's abort is not a timeout: when fn still returns a value, waitFor resolves with it (as CPython's wait_for)",
      );
      assert.equal(
        clock.now(),
        170,
        `everything should be settled at t=170; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() with an already aborted signal starts nothing",
    withClock(async (clock) => {
      const reason = new Error("cancelled before start");
      const counted = countingController();
      counted.controller.abort(reason);
      let calls = 0;
      await rejectsWith(
        waitFor(
          () => {
            calls++;
            return sleep(10);
          },
          100,
          { signal: counted.controller.signal },
        ),
        { is: reason },
        "waitFor(fn, 100, { signal: already aborted })",
      );
      assert.equal(
        calls,
        0,
        `fn must not start when the signal is already aborted; it was called ${calls} time(s)`,
      );
      assert.equal(
        clock.now(),
        0,
        `waitFor should reject at once (t=0); it did at t=${clock.now()}`,
      );
      assert.equal(counted.active(), 0, "no abort listener may be left on the caller's signal");
    }),
  );

  it(
    "waitFor() removes its listener from the caller's signal on every path",
    withClock(async () => {
      const ok = countingController();
      await waitFor((signal) => sleep(10, signal), 100, { signal: ok.controller.signal });
      assert.equal(
        ok.active(),
        0,
        "after success, waitFor must remove its abort listener from the caller's signal",
      );

      const failed = countingController();
      await rejectsWith(
        waitFor(() => Promise.reject(new Error("boom")), 100, { signal: failed.controller.signal }),
        { message: "boom" },
        "waitFor(fn that fails, 100, { signal })",
      );
      assert.equal(
        failed.active(),
        0,
        "after an error, waitFor must remove its abort listener from the caller's signal",
      );

      const threw = countingController();
      await rejectsWith(
        () =>
          waitFor(
            () => {
              throw new Error("sync boom");
            },
            100,
            { signal: threw.controller.signal },
          ),
        { message: "sync boom" },
        "waitFor(fn that throws synchronously, 100, { signal })",
      );
      assert.equal(
        threw.active(),
        0,
        "after fn threw synchronously, waitFor must remove its abort listener",
      );

      const expired = countingController();
      await rejectsWith(
        waitFor((signal) => sleep(1000, signal), 100, { signal: expired.controller.signal }),
        { name: "TimeoutError" },
        "waitFor(fn, 100, { signal })",
      );
      assert.equal(
        expired.active(),
        0,
        "after a timeout, waitFor must remove its abort listener from the caller's signal",
      );
    }),
  );

  it(
    "waitFor() is not affected by a caller's abort after it settled",
    withClock(async () => {
      const caller = new AbortController();
      let seen: AbortSignal | undefined;
      await waitFor(
        (signal) => {
          seen = signal;
          return sleep(10, signal);
        },
        100,
        { signal: caller.signal },
      );
      caller.abort(new Error("too late to matter"));
      assert.equal(
        seen?.aborted,
        false,
        "after waitFor resolved, a caller's abort must not reach fn's signal any more (remove your listener)",
      );
    }),
  );

  it(
    "waitFor() rejects with the caller's reason when it aborts after the deadline, once fn has settled",
    withClock(async (clock) => {
      const caller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => caller.abort(reason), 150);
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
        "waitFor(fn with cleanup until t=300, 100, { signal }) aborted by the caller at t=150",
      );
      assert.equal(
        clock.now(),
        300,
        `waitFor should still wait for fn's cleanup (until t=300); it settled at t=${clock.now()}`,
      );
    }),
  );

  it(
    "waitFor() lets fn's own error through even when the caller aborted after the deadline",
    withClock(async () => {
      const caller = new AbortController();
      setTimeout(() => caller.abort(new Error("shutting down")), 150);
      const rollbackFailed = new Error("rollback failed");
      await rejectsWith(
        waitFor(
          async (signal) => {
            try {
              await sleep(1000, signal);
            } catch {
              await sleep(200);
              throw rollbackFailed;
            }
          },
          100,
          { signal: caller.signal },
        ),
        { is: rollbackFailed },
        "waitFor(fn whose rollback fails at t=300, 100, { signal }) aborted by the caller at t=150",
      );
    }),
  );
});

describe("task 3: withDefault()", () => {
  it(
    "withDefault() resolves with the fallback once fn has settled after the deadline",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const value = await withDefault(
        async (signal) => {
          signal.addEventListener("abort", () => rec.record("aborted"));
          try {
            await sleep(1000, signal);
            return 1;
          } finally {
            await sleep(30);
          }
        },
        200,
        "fallback",
      );
      assert.equal(
        value,
        "fallback",
        `the deadline passed: expected "fallback", got ${String(value)}`,
      );
      assert.equal(
        rec.firstAt("aborted"),
        200,
        "the late task's signal should abort at its deadline, t=200",
      );
      assert.equal(
        clock.now(),
        230,
        `withDefault should wait for fn's 30 ms cleanup (t=230); it resolved at t=${clock.now()}`,
      );
    }),
  );

  it(
    "withDefault() clears its timer when fn is in time",
    withClock(async (clock) => {
      const value = await withDefault(
        (signal) => sleep(10, signal).then(() => "real"),
        60_000,
        "fallback",
      );
      assert.equal(
        value,
        "real",
        `fn finished at t=10, in time: expected "real", got ${String(value)}`,
      );
      assert.equal(
        pendingText(clock),
        "none",
        "withDefault must clear its deadline timer when fn finished first",
      );
    }),
  );

  it(
    "withDefault() returns the very fallback it was given, whatever it is",
    withClock(async () => {
      const empty = { items: [] };
      assert.equal(
        await withDefault((s) => sleep(500, s), 100, empty),
        empty,
        "the fallback object itself",
      );
      assert.equal(
        await withDefault((s) => sleep(500, s), 100, undefined),
        undefined,
        "an undefined fallback",
      );
      assert.equal(await withDefault((s) => sleep(500, s), 100, 0), 0, "a fallback of 0");
    }),
  );

  it(
    "withDefault() resolves with the fallback when fn returns a value after the deadline",
    withClock(async () => {
      const value = await withDefault(
        async () => {
          await sleep(300); // ignores its signal
          return "late";
        },
        100,
        "fallback",
      );
      assert.equal(
        value,
        "fallback",
        `a value that arrives after the deadline is discarded, as waitFor does: expected "fallback", got ${
          String(value)
        }`,
      );
    }),
  );

  it(
    "withDefault() lets fn's own TimeoutError after the deadline through",
    withClock(async () => {
      const upstream = new DOMException("the upstream service timed out", "TimeoutError");
      await rejectsWith(
        withDefault(
          async (signal) => {
            try {
              await sleep(1000, signal);
            } catch {
              throw upstream; // not the signal's reason: fn's own error
            }
          },
          100,
          "fallback",
        ),
        { is: upstream },
        "withDefault(fn that throws its own TimeoutError while stopping, 100, fallback)",
      );
    }),
  );

  it(
    "withDefault() lets a real error through",
    withClock(async () => {
      const boom = new TypeError("broken");
      await rejectsWith(
        withDefault(() => Promise.reject(boom), 200, 0),
        { is: boom },
        "withDefault(fn that fails, 200, 0)",
      );
      const sync = new Error("sync");
      await rejectsWith(
        () =>
          withDefault(
            () => {
              throw sync;
            },
            200,
            0,
          ),
        { is: sync },
        "withDefault(fn that throws synchronously, 200, 0)",
      );
    }),
  );

  it(
    "withDefault() lets an AggregateError thrown after the deadline through",
    withClock(async () => {
      const group = new AggregateError([new Error("a"), new Error("b")], "2 sub-tasks failed");
      await rejectsWith(
        withDefault(
          async (signal) => {
            try {
              await sleep(1000, signal);
            } catch {
              throw group;
            }
          },
          100,
          "fallback",
        ),
        { is: group },
        "withDefault(fn that throws an AggregateError while stopping, 100, fallback)",
      );
    }),
  );

  it(
    "withDefault() lets the caller's abort through, also after the deadline",
    withClock(async () => {
      const caller = new AbortController();
      const reason = new Error("cancelled");
      setTimeout(() => caller.abort(reason), 150);
      await rejectsWith(
        withDefault(
          async (signal) => {
            try {
              await sleep(1000, signal);
            } finally {
              await sleep(100); // cleanup from t=100 to t=200
            }
          },
          100,
          "fallback",
          { signal: caller.signal },
        ),
        { is: reason },
        "withDefault(fn, 100, fallback, { signal }) aborted by the caller at t=150, during fn's cleanup",
      );
    }),
  );

  it(
    "withDefault() lets a caller's AbortSignal.timeout() through instead of falling back",
    withClock(async () => {
      const overall = AbortSignal.timeout(50); // the caller's own, shorter deadline
      const error = await rejectsWith(
        withDefault((signal) => sleep(1000, signal), 100, "fallback", { signal: overall }),
        { name: "TimeoutError" },
        "withDefault(fn, 100, fallback, { signal: AbortSignal.timeout(50) })",
      );
      assert.equal(
        error,
        overall.reason,
        "the caller's deadline is not this call's own: withDefault must reject with the caller's reason, not fall back",
      );
    }),
  );

  it(
    "withDefault() rejects at once with the reason of an already aborted signal",
    withClock(async () => {
      const reason = new Error("cancelled before start");
      let calls = 0;
      await rejectsWith(
        withDefault(
          () => {
            calls++;
            return 1;
          },
          100,
          "fallback",
          { signal: AbortSignal.abort(reason) },
        ),
        { is: reason },
        "withDefault(fn, 100, fallback, { signal: already aborted })",
      );
      assert.equal(calls, 0, "fn must not be called when the signal is already aborted");
    }),
  );

  it(
    "withDefault() with null or Infinity never falls back",
    withClock(async (clock) => {
      for (const ms of [null, Infinity]) {
        const value = await withDefault(
          async (signal) => {
            await sleep(3_600_000, signal);
            return "slow but sure";
          },
          ms,
          "fallback",
        );
        assert.equal(
          value,
          "slow but sure",
          `withDefault(fn, ${ms}, fallback) has no deadline: expected fn's value, got ${
            String(value)
          }`,
        );
      }
      assert.equal(
        clock.now(),
        7_200_000,
        `everything should be settled at t=7200000; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "withDefault() with a zero delay falls back at the first pause",
    withClock(async (clock) => {
      const value = await withDefault(
        (signal) => sleep(10, signal).then(() => "real"),
        0,
        "fallback",
      );
      assert.equal(
        value,
        "fallback",
        `a 0 ms deadline passes at fn's first pause: expected "fallback", got ${String(value)}`,
      );
      assert.equal(
        clock.now(),
        0,
        `everything should be settled at t=0; it was at t=${clock.now()}`,
      );
    }),
  );

  it(
    "withDefault() with a zero delay still calls fn and keeps a value it has without pausing",
    withClock(async (clock) => {
      let calls = 0;
      const value = await withDefault(
        () => {
          calls++;
          return "ready";
        },
        0,
        "fallback",
      );
      assert.equal(
        calls,
        1,
        `withDefault(fn, 0) calls fn like waitFor(fn, 0) does; yours called it ${calls} time(s)`,
      );
      assert.equal(
        value,
        "ready",
        `fn returned before its first pause, so the deadline had not passed yet: expected "ready", got ${
          String(value)
        }`,
      );
      assert.equal(clock.now(), 0, `everything is settled at t=0; yours at t=${clock.now()}`);
    }),
  );

  it(
    "withDefault() rejects a NaN delay with RangeError",
    withClock(async () => {
      await rejectsWith(
        () => withDefault(() => 1, Number.NaN, 0),
        { name: "RangeError" },
        "withDefault(fn, NaN, 0)",
      );
    }),
  );

  it(
    "withDefault() gives each concurrent task its own deadline",
    withClock(async (clock) => {
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
      assert.deepEqual(
        results,
        [100, -1, 200, 400],
        `each task keeps its value unless its own deadline passed: expected [100, -1, 200, 400], got ${
          JSON.stringify(results)
        }`,
      );
      assert.equal(
        clock.now(),
        400,
        `everything should be settled at t=400; it was at t=${clock.now()}`,
      );
      assert.equal(pendingText(clock), "none", "no deadline timer should be left behind");
    }),
  );

  it(
    "withDefault() removes its listener from the caller's signal on every path",
    withClock(async () => {
      const ok = countingController();
      await withDefault((signal) => sleep(10, signal), 100, "fallback", {
        signal: ok.controller.signal,
      });
      assert.equal(
        ok.active(),
        0,
        "after success, withDefault must remove its abort listener from the caller's signal",
      );
      const late = countingController();
      await withDefault((signal) => sleep(1000, signal), 100, "fallback", {
        signal: late.controller.signal,
      });
      assert.equal(
        late.active(),
        0,
        "after falling back, withDefault must remove its abort listener from the caller's signal",
      );
    }),
  );
});
