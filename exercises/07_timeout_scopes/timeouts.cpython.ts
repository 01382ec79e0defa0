/**
 * CPython's own tests of `asyncio.timeout`, translated case by case from CPython 3.13's
 * `Lib/test/test_asyncio/test_timeouts.py` (class `TimeoutTests`). Run them against your code
 * with `bun run grade 07 --cpython` (or `deno task grade 07 --cpython`,
 * `npm run grade -- 07 --cpython`); they are shown apart from your score.
 *
 * The mapping: `async with asyncio.timeout(s) as cm:` is `await timeout(s * 1000, async (cm) =>
 * { ... })`; `asyncio.timeout_at(when)` is `timeout(when - Date.now(), ...)`; `loop.time()` is
 * `Date.now()` (milliseconds); `cm.when()` is `cm.deadline`, `cm.expired()` is `cm.expired`,
 * `cm.reschedule(when)` is `cm.reschedule(when - Date.now())`. `await asyncio.sleep(s)` inside a
 * block is `await sleep(s * 1000, cm.signal)` (a sleep that rejects with the signal's reason when
 * cancelled). A nested `async with` takes the enclosing scope's signal as `{ signal }`.
 * `asyncio.create_task(coro)` is `createTask((signal) => ...)`; `task.cancel()` and
 * `asyncio.current_task().cancel()` abort the task's signal, and `CancelledError` is that signal's
 * reason; `task.cancelled()` is {@linkcode cancelled}. `RuntimeError` is an Error named
 * "InvalidStateError", `ValueError` is `RangeError`, `ExceptionGroup` is `AggregateError`;
 * `ZeroDivisionError` and `KeyError` are local classes. An `asyncio.TaskGroup` is the small
 * {@linkcode taskGroup} below (18 builds the real one).
 *
 * Left out, with the reason:
 * - `test_repr_active`, `test_repr_expired`, `test_repr_finished`, `test_repr_disabled`: `repr()`
 *   has no counterpart.
 * - `test_timeout_already_entered`, `test_timeout_double_enter`, `test_timeout_not_entered`,
 *   `test_timeout_without_task`: a scope exists only while `timeout()` runs its body, so it
 *   cannot be entered twice, used before it is entered, or entered outside a task; CPython's
 *   `RuntimeError`s for those have nothing to guard here.
 * Left out inside translated cases: every assertion on exception chaining (`__cause__`,
 * `__context__`: a `DOMException` has neither, and `timeout()` does not promise a `cause`), in
 * `test_timeout_exception_context`, `test_foreign_exception_on_timeout`,
 * `test_foreign_exception_on_timeout_2`, `test_nested_timeout_in_finally` and
 * `test_timeout_taskgroup`; the blocking `time.sleep()` calls of
 * `test_nested_timeouts_concurrent` and `test_nested_timeouts_loop_busy` (virtual time cannot
 * pass during synchronous code; without them the deadlines fire in the same order). A scope
 * opened in cleanup code after a cancellation (`test_nested_timeout_in_finally`,
 * `..._after_cancellation`) gets no caller signal: the aborted signal would fail it at once,
 * where Python delivers a cancellation only once.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import {
  type CPythonTask,
  createTask,
  deferred,
  expectedDifference,
  rejectsWith,
  throwsWith,
  withClock,
} from "../../lib/mod.ts";
import { timeout, type TimeoutScope } from "./timeouts.ts";

// The same reason as the README's "Where this differs from CPython".
const LATE_VALUE = "A value that arrives after the deadline is discarded.";

class ZeroDivisionError extends Error {}
class KeyError extends Error {}

/** `asyncio.sleep(ms / 1000)`, cancelled by `signal` (it rejects with the signal's reason). */
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

/** `task.cancelled()`: the task ended by rejecting with its own abort reason. */
async function cancelled(task: CPythonTask<unknown>): Promise<boolean> {
  try {
    await task.promise;
    return false;
  } catch (error) {
    return task.signal.aborted && error === task.signal.reason;
  }
}

/**
 * `with self.assertRaises(TimeoutError):` around an inner block whose enclosing scope may be
 * cancelled: the enclosing cancellation (`CancelledError`, not a `TimeoutError` in Python) passes
 * through, a TimeoutError is caught, nothing raised fails.
 */
async function assertRaisesTimeoutError(
  work: Promise<unknown>,
  enclosing: AbortSignal,
): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (enclosing.aborted && error === enclosing.reason) throw error;
    if ((error as Error)?.name === "TimeoutError") return;
    throw error;
  }
  assert.fail("TimeoutError not raised");
}

/**
 * A minimal `asyncio.TaskGroup` for `test_timeout_taskgroup`: children share a signal linked to
 * the parent's; when the body fails, the children are cancelled; the children's errors (other
 * than the cancellation) are raised together as an AggregateError, else the body's error.
 */
async function taskGroup(
  parent: AbortSignal,
  body: (tg: { createTask(fn: (signal: AbortSignal) => Promise<unknown>): void }) => Promise<void>,
): Promise<void> {
  const children = new AbortController();
  const onParentAbort = () => children.abort(parent.reason);
  parent.addEventListener("abort", onParentAbort, { once: true });
  const running: Promise<unknown>[] = [];
  let failure: { error: unknown } | undefined;
  try {
    await body({
      createTask(fn) {
        const p = Promise.resolve().then(() => fn(children.signal));
        p.catch(() => {});
        running.push(p);
      },
    });
  } catch (error) {
    failure = { error };
    children.abort(parent.aborted ? parent.reason : error);
  } finally {
    parent.removeEventListener("abort", onParentAbort);
  }
  const results = await Promise.allSettled(running);
  const errors = results.flatMap((r) =>
    r.status === "rejected" && !(children.signal.aborted && r.reason === children.signal.reason)
      ? [r.reason]
      : []
  );
  if (errors.length > 0) {
    throw new AggregateError(
      errors,
      `unhandled errors in a TaskGroup (${errors.length} sub-exception)`,
    );
  }
  if (failure) throw failure.error;
}

it(
  "test_timeouts.TimeoutTests.test_timeout_basic",
  withClock(async () => {
    let cm: TimeoutScope | undefined;
    await rejectsWith(
      timeout(10, async (s) => {
        cm = s;
        await sleep(10_000, s.signal);
      }),
      { name: "TimeoutError" },
      "async with timeout(0.01): await sleep(10)",
    );
    assert.equal(cm?.expired, true, "CPython's test asserts cm.expired() == true");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_at_basic",
  withClock(async () => {
    const deadline = Date.now() + 10;
    let cm: TimeoutScope | undefined;
    await rejectsWith(
      timeout(deadline - Date.now(), async (s) => {
        cm = s;
        await sleep(10_000, s.signal);
      }),
      { name: "TimeoutError" },
      "async with timeout_at(deadline): await sleep(10)",
    );
    assert.equal(cm?.expired, true, "CPython's test asserts cm.expired() == true");
    assert.equal(cm?.deadline, deadline, "cm.when() is the deadline");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_nested_timeouts",
  withClock(async () => {
    let cancelledInner = false;
    let cm1: TimeoutScope | undefined;
    let cm2: TimeoutScope | undefined;
    const deadline = Date.now() + 10;
    await rejectsWith(
      timeout(deadline - Date.now(), async (s1) => {
        cm1 = s1;
        // Only the topmost context manager should raise TimeoutError
        try {
          await timeout(deadline - Date.now(), async (s2) => {
            cm2 = s2;
            await sleep(10_000, s2.signal);
          }, { signal: s1.signal });
        } catch (error) {
          if (error === s1.signal.reason) cancelledInner = true; // except asyncio.CancelledError
          throw error;
        }
      }),
      { name: "TimeoutError" },
      "two nested timeout_at(deadline) blocks",
    );
    assert.equal(
      cancelledInner,
      true,
      "the inner block raised the cancellation (CancelledError), not a TimeoutError",
    );
    assert.equal(cm1?.expired, true, "cm1.expired()");
    assert.equal(cm2?.expired, true, "cm2.expired()");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_waiter_cancelled",
  withClock(async () => {
    let cancelledSleep = false;
    await rejectsWith(
      timeout(10, async (cm) => {
        try {
          await sleep(10_000, cm.signal);
        } catch (error) {
          if (error === cm.signal.reason) cancelledSleep = true;
          throw error;
        }
      }),
      { name: "TimeoutError" },
      "async with timeout(0.01)",
    );
    assert.equal(cancelledSleep, true, "CPython's test asserts cancelledSleep == true");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_not_called",
  withClock(async () => {
    let cm: TimeoutScope | undefined;
    await timeout(10_000, async (s) => {
      cm = s;
      await sleep(10, s.signal);
    });
    const t1 = Date.now();
    assert.equal(cm?.expired, false, "CPython's test asserts cm.expired() == false");
    assert.ok(cm!.deadline! > t1, "cm.when() > t1");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_disabled",
  withClock(async () => {
    let cm: TimeoutScope | undefined;
    await timeout(null, async (s) => {
      cm = s;
      await sleep(10, s.signal);
    });
    assert.equal(cm?.expired, false, "CPython's test asserts cm.expired() == false");
    assert.equal(cm?.deadline, null, "CPython's test asserts cm.when() == null");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_at_disabled",
  withClock(async () => {
    let cm: TimeoutScope | undefined;
    await timeout(null, async (s) => { // timeout_at(None)
      cm = s;
      await sleep(10, s.signal);
    });
    assert.equal(cm?.expired, false, "CPython's test asserts cm.expired() == false");
    assert.equal(cm?.deadline, null, "CPython's test asserts cm.when() == null");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_zero",
  withClock(async () => {
    const t0 = Date.now();
    let cm: TimeoutScope | undefined;
    await rejectsWith(
      timeout(0, async (s) => {
        cm = s;
        await sleep(10_000, s.signal);
      }),
      { name: "TimeoutError" },
      "async with timeout(0): await sleep(10)",
    );
    const t1 = Date.now();
    assert.equal(cm?.expired, true, "CPython's test asserts cm.expired() == true");
    assert.ok(t0 <= cm!.deadline! && cm!.deadline! <= t1, "t0 <= cm.when() <= t1");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_zero_sleep_zero",
  withClock(async () => {
    const t0 = Date.now();
    let cm: TimeoutScope | undefined;
    await rejectsWith(
      timeout(0, async (s) => {
        cm = s;
        await sleep(0, s.signal);
      }),
      { name: "TimeoutError" },
      "async with timeout(0): await sleep(0)",
    );
    const t1 = Date.now();
    assert.equal(cm?.expired, true, "CPython's test asserts cm.expired() == true");
    assert.ok(t0 <= cm!.deadline! && cm!.deadline! <= t1, "t0 <= cm.when() <= t1");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_in_the_past_sleep_zero",
  withClock(async () => {
    const t0 = Date.now();
    let cm: TimeoutScope | undefined;
    await rejectsWith(
      timeout(-11_000, async (s) => {
        cm = s;
        await sleep(0, s.signal);
      }),
      { name: "TimeoutError" },
      "async with timeout(-11): await sleep(0)",
    );
    const t1 = Date.now();
    assert.equal(cm?.expired, true, "CPython's test asserts cm.expired() == true");
    assert.ok(t0 >= cm!.deadline! && cm!.deadline! <= t1, "t0 >= cm.when() <= t1");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_foreign_exception_passed",
  withClock(async () => {
    let cm: TimeoutScope | undefined;
    await rejectsWith(
      timeout(10, (s) => {
        cm = s;
        throw new KeyError();
      }),
      { instanceOf: KeyError },
      "async with timeout(0.01): raise KeyError",
    );
    assert.equal(cm?.expired, false, "CPython's test asserts cm.expired() == false");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_exception_context",
  withClock(async () => {
    await rejectsWith(
      timeout(10, async (cm) => {
        try {
          throw new ZeroDivisionError("division by zero");
        } finally {
          await sleep(1000, cm.signal);
        }
      }),
      { name: "TimeoutError" },
      "async with timeout(0.01): try: 1/0 finally: await sleep(1)",
    );
    // (TimeoutError caused by the CancelledError raised while handling ZeroDivisionError: no counterpart.)
  }),
);

it(
  "test_timeouts.TimeoutTests.test_foreign_exception_on_timeout",
  withClock(async () => {
    const crash = async (signal: AbortSignal) => {
      try {
        await sleep(1000, signal);
      } finally {
        // deno-lint-ignore no-unsafe-finally
        throw new ZeroDivisionError("division by zero");
      }
    };
    await rejectsWith(
      timeout(10, (cm) => crash(cm.signal)),
      { instanceOf: ZeroDivisionError },
      "async with timeout(0.01): await crash()",
    );
    // (ZeroDivisionError raised while handling the TimeoutError: no counterpart.)
  }),
);

it(
  "test_timeouts.TimeoutTests.test_foreign_exception_on_timeout_2",
  withClock(async () => {
    await rejectsWith(
      timeout(10, async (cm) => {
        try {
          try {
            throw new RangeError(); // ValueError
          } finally {
            await sleep(1000, cm.signal);
          }
        } finally {
          try {
            // deno-lint-ignore no-unsafe-finally
            throw new KeyError();
          } finally {
            // deno-lint-ignore no-unsafe-finally
            throw new ZeroDivisionError("division by zero");
          }
        }
      }),
      { instanceOf: ZeroDivisionError },
      "a block whose cleanup raises KeyError, then ZeroDivisionError",
    );
    // (The chain ZeroDivisionError <- KeyError <- TimeoutError <- CancelledError: no counterpart.)
  }),
);

it(
  "test_timeouts.TimeoutTests.test_foreign_cancel_doesnt_timeout_if_not_expired",
  withClock(async () => {
    const task = new AbortController(); // the current task
    let cm: TimeoutScope | undefined;
    const error = await rejectsWith(
      timeout(10_000, async (s) => {
        cm = s;
        task.abort(); // asyncio.current_task().cancel()
        await sleep(10_000, s.signal);
      }, { signal: task.signal }),
      {},
      "async with timeout(10): current_task().cancel()",
    );
    assert.equal(error, task.signal.reason, "CancelledError, not TimeoutError");
    assert.equal(cm?.expired, false, "CPython's test asserts cm.expired() == false");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_outer_task_is_not_cancelled",
  withClock(async () => {
    const task = createTask(async (signal) => {
      await rejectsWith(timeout(1, (cm) => sleep(10_000, cm.signal), { signal }), {
        name: "TimeoutError",
      }, "async with timeout(0.001): await sleep(10)");
    });
    await task.promise;
    assert.equal(await cancelled(task), false, "the outer task is not cancelled");
    assert.equal(task.done(), true, "CPython's test asserts task.done() == true");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_nested_timeouts_concurrent",
  withClock(async () => {
    await rejectsWith(
      timeout(2, async (outer) => {
        await assertRaisesTimeoutError(
          timeout(100, async (inner) => {
            // (time.sleep(0.01), crunching numbers while blocking the loop: no virtual-time counterpart.)
            await sleep(1000, inner.signal);
          }, { signal: outer.signal }),
          outer.signal,
        );
      }),
      { name: "TimeoutError" },
      "timeout(0.002) around timeout(0.1)",
    );
  }),
);

it(
  "test_timeouts.TimeoutTests.test_nested_timeouts_loop_busy",
  withClock(async () => {
    const t0 = Date.now();
    await rejectsWith(
      timeout(100, async (outer) => { // (1)
        await assertRaisesTimeoutError(
          timeout(10, async (inner) => { // (2)
            // (time.sleep(0.1), the loop busy for a while: no virtual-time counterpart.)
            await sleep(1000, inner.signal);
          }, { signal: outer.signal }),
          outer.signal,
        );
        // TimeoutError was caught by (2)
        await sleep(10_000, outer.signal); // This sleep should be interrupted by (1)
      }),
      { name: "TimeoutError" },
      "timeout(0.1) around timeout(0.01)",
    );
    const t1 = Date.now();
    assert.ok(t0 <= t1 && t1 <= t0 + 1000, "t0 <= t1 <= t0 + 1");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_reschedule",
  withClock(async () => {
    const fut = deferred<TimeoutScope>();
    const deadline1 = Date.now() + 10_000;
    const deadline2 = deadline1 + 20_000;
    const task = createTask((signal) =>
      timeout(deadline1 - Date.now(), async (cm) => {
        fut.resolve(cm);
        await sleep(50_000, cm.signal);
      }, { signal })
    );
    const cm = await fut.promise;
    assert.equal(cm.deadline, deadline1, "CPython's test asserts cm.when() == deadline1");
    cm.reschedule(deadline2 - Date.now());
    assert.equal(cm.deadline, deadline2, "CPython's test asserts cm.when() == deadline2");
    cm.reschedule(null);
    assert.equal(cm.deadline, null, "CPython's test asserts cm.when() == null");
    task.cancel();
    const error = await rejectsWith(task.promise, {}, "the cancelled task");
    assert.equal(error, task.signal.reason, "CancelledError");
    assert.equal(cm.expired, false, "CPython's test asserts cm.expired() == false");
  }),
);

it(
  "test_timeouts.TimeoutTests.test_nested_timeout_in_finally",
  withClock(async () => {
    await rejectsWith(
      timeout(10, async (outer) => {
        try {
          await sleep(1000, outer.signal);
        } finally {
          // A scope in cleanup code: it gets no caller signal (the outer one has aborted already).
          await rejectsWith(timeout(10, (inner) => sleep(10_000, inner.signal)), {
            name: "TimeoutError",
          }, "the inner timeout(0.01) in the finally block");
        }
      }),
      { name: "TimeoutError" },
      "timeout(0.01) whose finally block has its own timeout(0.01)",
    );
    // (The chains of both TimeoutErrors: no counterpart.)
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_after_cancellation",
  withClock(async () => {
    const task = new AbortController(); // the current task
    try {
      task.abort(); // asyncio.current_task().cancel()
      await sleep(1000, task.signal); // work which will be cancelled
    } catch (error) {
      if (error !== task.signal.reason) throw error; // except asyncio.CancelledError: pass
    } finally {
      await rejectsWith(
        timeout(0, (cm) => sleep(1000, cm.signal)),
        { name: "TimeoutError" }, // some cleanup
        "async with timeout(0.0) after a swallowed cancellation",
      );
    }
  }),
);

it(
  "test_timeouts.TimeoutTests.test_cancel_in_timeout_after_cancellation",
  withClock(async () => {
    const task = new AbortController(); // the current task
    try {
      task.abort(); // asyncio.current_task().cancel()
      await sleep(1000, task.signal); // work which will be cancelled
    } catch (error) {
      if (error !== task.signal.reason) throw error; // except asyncio.CancelledError: pass
    } finally {
      // The second asyncio.current_task().cancel(): an AbortSignal aborts once, so a new one.
      const again = new AbortController();
      const error = await rejectsWith(
        timeout(1000, async (cm) => {
          again.abort();
          await sleep(2000, cm.signal); // some cleanup
        }, { signal: again.signal }),
        {},
        "async with timeout(1.0) cancelled inside",
      );
      assert.equal(error, again.signal.reason, "CancelledError, not TimeoutError");
    }
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_finished",
  withClock(async () => {
    let cm: TimeoutScope | undefined;
    await timeout(10, (s) => {
      cm = s;
    });
    throwsWith(
      () => cm!.reschedule(20),
      { name: "InvalidStateError", message: /finished/ },
      "cm.reschedule(0.02) after the block",
    );
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_expired",
  withClock(async () => {
    let cm: TimeoutScope | undefined;
    await rejectsWith(
      timeout(10, async (s) => {
        cm = s;
        await sleep(1000, s.signal);
      }),
      { name: "TimeoutError" },
      "async with timeout(0.01): await sleep(1)",
    );
    throwsWith(
      () => cm!.reschedule(20),
      { name: "InvalidStateError", message: /expired/ },
      "cm.reschedule(0.02) after expiry",
    );
  }),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_expiring",
  withClock(expectedDifference(LATE_VALUE, async () => {
    await timeout(10, async (cm) => {
      await rejectsWith(sleep(1000, cm.signal), {}, "await sleep(1), cancelled"); // assertRaises(CancelledError)
      throwsWith(
        () => cm.reschedule(20),
        { name: "InvalidStateError", message: /expiring/ },
        "cm.reschedule(0.02) while expiring",
      );
    });
  })),
);

it(
  "test_timeouts.TimeoutTests.test_timeout_taskgroup",
  withClock(async () => {
    const task = async (signal: AbortSignal) => {
      try {
        await sleep(2000, signal); // Will be interrupted after 0.01 second
      } finally {
        // deno-lint-ignore no-unsafe-finally
        throw new ZeroDivisionError("division by zero"); // Crash in cleanup
      }
    };
    const eg = await rejectsWith(
      timeout(10, async (cm) => {
        await taskGroup(cm.signal, async (tg) => {
          tg.createTask(task);
          try {
            throw new RangeError(); // ValueError
          } finally {
            await sleep(1000, cm.signal);
          }
        });
      }),
      { instanceOf: AggregateError },
      "a TaskGroup whose task crashes in cleanup, inside timeout(0.01)",
    );
    const errors = (eg as AggregateError).errors;
    assert.equal(errors.length, 1, `one sub-exception; got ${errors.length}`);
    assert.ok(
      errors[0] instanceof ZeroDivisionError,
      `the sub-exception is the ZeroDivisionError; got ${String(errors[0])}`,
    );
    // (The chains of the group and of its sub-exception: no counterpart.)
  }),
);
