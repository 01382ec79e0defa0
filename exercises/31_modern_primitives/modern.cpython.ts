/**
 * CPython's own tests of `asyncio.timeout()` and `contextlib.AsyncExitStack`, translated case by
 * case onto `runJob()` and `openAll()`, from CPython 3.13's `Lib/test/test_asyncio/test_timeouts.py`
 * (class `TimeoutTests`) and `Lib/test/test_contextlib_async.py` (class `TestAsyncExitStack`). Run
 * them against your code with `bun run grade 31 --cpython` (or `deno task grade 31 --cpython`);
 * they are shown apart from your score.
 *
 * Mapping: `async with asyncio.timeout(d): BODY` is `runJob([], ({ signal }) => BODY, { timeoutMs:
 * d * 1000 })` (the whole exercise's timeouts are in ms), `asyncio.timeout(None)` is `timeoutMs:
 * Infinity`, `await asyncio.sleep(d)` inside the block is a sleep that listens to the job's signal
 * (the block is cancelled at its await in Python), `await asyncio.sleep(0)` is `sleep(0, signal)`,
 * "cancelled at the await" is "the sleep rejects with the signal's reason", `cm.expired()` is
 * `signal.aborted` for the job's own deadline, cancelling the task from outside is aborting the
 * caller's `signal`, and `stack.push_async_callback(fn)` is the job's `defer(fn)`.
 * `enter_async_context()` of an object that is not an async context manager is an opener whose
 * value cannot be closed.
 *
 * Left out, with the reason:
 * - `test_timeout_at_basic`, `test_timeout_at_disabled`: `timeout_at()` (an absolute deadline) has
 *   no counterpart.
 * - `test_reschedule`, `test_timeout_already_entered`, `test_timeout_double_enter`,
 *   `test_timeout_finished`, `test_timeout_expired`, `test_timeout_expiring`,
 *   `test_timeout_not_entered`, `test_timeout_without_task`: the scope object's states,
 *   `reschedule()` and `when()` have no counterpart (a deadline here is a signal, not a scope; 07
 *   builds the scope).
 * - `test_repr_*`: repr() has no counterpart.
 * - `test_nested_timeouts_concurrent`, `test_nested_timeouts_loop_busy`: they block the thread
 *   with `time.sleep()` past a deadline; virtual time cannot pass during a blocking call.
 * - `test_outer_task_is_not_cancelled`, `test_timeout_after_cancellation`,
 *   `test_cancel_in_timeout_after_cancellation`,
 *   `test_nested_timeout_in_finally`, `test_timeout_taskgroup`: they count a task's cancellation
 *   requests (`cancelling()`/`uncancel()`) or need a TaskGroup.
 * - The `__cause__`/`__context__` assertions of `test_timeout_exception_context` and
 *   `test_foreign_exception_on_timeout(_2)`: JavaScript errors have no implicit chain; the error
 *   that reaches the caller is kept and checked.
 * - `TestAsyncExitStack.test_async_push`, `test_async_exit_exception_chaining`,
 *   `test_async_exit_exception_explicit_none_context`, `test_instance_bypass_async` and the
 *   inherited `TestBaseExitStack` cases: they use `push_async_exit()` (an exit callback that can
 *   suppress the exception), the stack's private `_exit_callbacks`, or `__context__`; none has a
 *   counterpart (see the README: "`push_async_exit()` has no counterpart").
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { expectedDifference, rejectsWith, withClock } from "../../lib/mod.ts";
import { openAll, type Opener, runJob } from "./modern.ts";

/** `asyncio.sleep(ms / 1000)` inside a block that can be cancelled: stops when `signal` aborts. */
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

it(
  "test_timeouts.TimeoutTests.test_timeout_basic",
  withClock(async () => {
    let expired = false;
    await rejectsWith(
      runJob([], async ({ signal }) => {
        try {
          await sleep(10_000, signal);
        } finally {
          expired = signal.aborted;
        }
      }, { timeoutMs: 10 }),
      { name: "TimeoutError" },
      "async with asyncio.timeout(0.01): await asyncio.sleep(10)",
    );
    assert.ok(expired, "cm.expired()");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_nested_timeouts",
  withClock(async () => {
    let cancelled = false;
    await rejectsWith(
      runJob([], ({ signal: outer }) =>
        runJob([], async ({ signal: inner }) => {
          try {
            await sleep(10_000, inner);
          } catch (error) {
            cancelled = true;
            throw error;
          }
        }, { signal: outer, timeoutMs: 10 }), { timeoutMs: 10 }),
      { name: "TimeoutError" },
      "two nested timeouts with the same deadline",
    );
    assert.ok(cancelled, "the inner block saw the cancellation");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_waiter_cancelled",
  withClock(async () => {
    let cancelled = false;
    await rejectsWith(
      runJob([], async ({ signal }) => {
        try {
          await sleep(10_000, signal);
        } catch (error) {
          cancelled = true;
          throw error;
        }
      }, { timeoutMs: 10 }),
      { name: "TimeoutError" },
      "async with asyncio.timeout(0.01) around a sleep that sees the cancellation",
    );
    assert.ok(cancelled, "the sleep was cancelled");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_not_called",
  withClock(async (clock) => {
    const expired = await runJob([], async ({ signal }) => {
      await sleep(10, signal);
      return signal.aborted;
    }, { timeoutMs: 10_000 });
    assert.equal(expired, false, "cm.expired() is False");
    assert.equal(clock.now(), 10, "the block ended at t=10 ms");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_disabled",
  withClock(async () => {
    const expired = await runJob([], async ({ signal }) => {
      await sleep(10, signal);
      return signal.aborted;
    }, { timeoutMs: Infinity });
    assert.equal(expired, false, "asyncio.timeout(None) never expires");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_zero",
  withClock(async (clock) => {
    await rejectsWith(
      runJob([], ({ signal }) => sleep(10_000, signal), { timeoutMs: 0 }),
      { name: "TimeoutError" },
      "async with asyncio.timeout(0): await asyncio.sleep(10)",
    );
    assert.equal(clock.now(), 0, "it expires at once");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_zero_sleep_zero",
  withClock(async () => {
    await rejectsWith(
      runJob([], ({ signal }) => sleep(0, signal), { timeoutMs: 0 }),
      { name: "TimeoutError" },
      "async with asyncio.timeout(0): await asyncio.sleep(0)",
    );
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_in_the_past_sleep_zero",
  withClock(expectedDifference(
    "timeoutSignal(-1) and a negative timeoutMs are a RangeError, where asyncio.timeout(-11) expires at once",
    async () => {
      await rejectsWith(
        runJob([], ({ signal }) => sleep(0, signal), { timeoutMs: -11_000 }),
        { name: "TimeoutError" },
        "async with asyncio.timeout(-11): await asyncio.sleep(0)",
      );
    },
  )),
);

it(
  "test_timeouts.TimeoutTests.test_foreign_exception_passed",
  withClock(async () => {
    const keyError = new Error("KeyError");
    let expired = true;
    await rejectsWith(
      runJob([], ({ signal }) => {
        expired = signal.aborted;
        throw keyError;
      }, { timeoutMs: 10 }),
      { is: keyError },
      "async with asyncio.timeout(0.01): raise KeyError",
    );
    assert.equal(expired, false, "cm.expired() is False");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_exception_context",
  withClock(async () => {
    await rejectsWith(
      runJob([], async ({ signal }) => {
        try {
          throw new RangeError("division by zero");
        } finally {
          await sleep(1000, signal);
        }
      }, { timeoutMs: 10 }),
      { name: "TimeoutError" },
      "async with asyncio.timeout(0.01): try: 1/0 finally: await asyncio.sleep(1)",
    );
  }),
);

it(
  "test_timeouts.TimeoutTests.test_foreign_exception_on_timeout",
  withClock(async () => {
    const zeroDivision = new RangeError("division by zero");
    const crash = async (signal: AbortSignal) => {
      try {
        await sleep(1000, signal);
      } finally {
        // deno-lint-ignore no-unsafe-finally
        throw zeroDivision;
      }
    };
    await rejectsWith(
      runJob([], ({ signal }) => crash(signal), { timeoutMs: 10 }),
      { is: zeroDivision },
      "async with asyncio.timeout(0.01): await crash()",
    );
  }),
);

it(
  "test_timeouts.TimeoutTests.test_foreign_exception_on_timeout_2",
  withClock(async () => {
    const zeroDivision = new RangeError("division by zero");
    await rejectsWith(
      runJob([], async ({ signal }) => {
        try {
          try {
            throw new TypeError("ValueError");
          } finally {
            await sleep(1000, signal);
          }
        } finally {
          try {
            // deno-lint-ignore no-unsafe-finally
            throw new Error("KeyError");
          } finally {
            // deno-lint-ignore no-unsafe-finally
            throw zeroDivision;
          }
        }
      }, { timeoutMs: 10 }),
      { is: zeroDivision },
      "the nested finally blocks of test_foreign_exception_on_timeout_2",
    );
  }),
);

it(
  "test_timeouts.TimeoutTests.test_foreign_cancel_doesnt_timeout_if_not_expired",
  withClock(async () => {
    const task = new AbortController();
    const cancelled = new Error("CancelledError");
    let expired = true;
    await rejectsWith(
      runJob([], async ({ signal }) => {
        task.abort(cancelled); // asyncio.current_task().cancel()
        try {
          await sleep(10_000, signal);
        } finally {
          expired = signal.reason?.name === "TimeoutError";
        }
      }, { signal: task.signal, timeoutMs: 10_000 }),
      { is: cancelled },
      "a cancel from outside inside asyncio.timeout(10)",
    );
    assert.equal(expired, false, "cm.expired() is False");
  }),
);

it(
  "test_contextlib_async.TestAsyncExitStack.test_async_callback",
  withClock(async () => {
    const expected = [[], [1], [1, 2], ["example"], [1, "example"], [1, 2, "example"]];
    const result: unknown[][] = [];
    await runJob([], ({ defer }) => {
      for (const args of [...expected].reverse()) {
        defer(() => {
          result.push(args);
          return Promise.resolve();
        });
      }
    });
    assert.deepEqual(result, expected, "callbacks run last pushed first");
  }),
);

it(
  "test_contextlib_async.TestAsyncExitStack.test_enter_async_context",
  withClock(async () => {
    const result: number[] = [];
    const first: Opener<AsyncDisposable> = () => ({
      [Symbol.asyncDispose]: () => { // registered first => cleaned up last
        result.push(4);
        return Promise.resolve();
      },
    });
    const cm: Opener<AsyncDisposable> = () => {
      result.push(1); // __aenter__
      return {
        [Symbol.asyncDispose]: () => {
          result.push(3); // __aexit__
          return Promise.resolve();
        },
      };
    };
    await runJob([first, cm], () => {
      result.push(2);
    });
    assert.deepEqual(result, [1, 2, 3, 4], `the order of enter, body and exits; got [${result}]`);
  }),
);

it(
  "test_contextlib_async.TestAsyncExitStack.test_enter_async_context_errors",
  withClock(async () => {
    // LacksEnter has no counterpart (an opener is the "enter"); the other two lack a way to close.
    for (
      const [what, value] of [["LacksEnterAndExit", {}], ["LacksExit", { enter() {} }]] as const
    ) {
      const opener = (() => value) as unknown as Opener<AsyncDisposable>;
      await rejectsWith(
        openAll([opener]),
        { instanceOf: TypeError },
        `enter_async_context(${what}())`,
      );
    }
  }),
);
