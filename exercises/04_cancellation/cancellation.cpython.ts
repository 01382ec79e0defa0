/**
 * CPython's own tests of `Task.cancel()`, `Task.cancelled()` and `Task.cancelling()`, translated
 * case by case from CPython 3.13's `Lib/test/test_asyncio/test_tasks.py` (class
 * `BaseTaskTests`), against this exercise's `spawn`. Run them against your code with
 * `bun run grade 04 --cpython` (or `deno task grade 04 --cpython`,
 * `npm run grade -- 04 --cpython`); they are shown apart from your score.
 *
 * The mapping: `t = asyncio.create_task(task())` is `const t = spawn((signal) => task(signal))`;
 * the task's `await asyncio.sleep(s)` is `sleep(s * 1000, signal)`, which rejects with the
 * signal's reason when the task is cancelled; a future `f` is a `deferred()`, and `f.cancel()`
 * rejects it with a `DOMException` named `"AbortError"`; an `await f` that a cancellation must
 * interrupt is `untilAborted(f, signal)`; `test_utils.run_briefly(loop)` (one loop iteration) is
 * `await sleepZero()`; `loop.call_soon(t.cancel)` is `setTimeout(() => t.cancel(), 0)`;
 * `loop.run_until_complete(t)` is `await t.promise`. White-box assertions on private fields
 * (`t._fut_waiter`, `t._must_cancel`) and on `repr(t)` are dropped; what they check is visible
 * through `cancelled()`, `cancelling()` and the futures.
 *
 * Left out, with the reason:
 * - `test_uncancel_*`: no `uncancel()` (a signal cannot be un-aborted), and `cancelling()` is a
 *   flag here, not a count.
 * - `test_cancel_with_message_then_future_*`, `test_cancellation_exception_context`,
 *   `test_cancel_traceback_*`: about the `CancelledError`'s `args`, `__context__` and traceback.
 * - `test_cancel_awaited_task`, `test_cancel_gather_*`: they need a task awaiting another task
 *   and `gather`'s cancellation, which this exercise does not build.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { deferred, expectedDifference, rejectsWith, sleepZero, withClock } from "../../lib/mod.ts";
import { spawn } from "./cancellation.ts";

// The same reason as the README's "Where this differs from CPython".
const RETURN_WINS = "a body that returns after cancel() ends with its value";

/** `asyncio.sleep(ms / 1000)` inside a task: rejects with the task's reason when it is cancelled. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** `await f` inside a task: ends with `f`, or with the task's reason when it is cancelled first. */
function untilAborted<T>(f: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    f.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** `f.cancel()` on a future. */
const cancelledError = () => new DOMException("cancelled", "AbortError");

it(
  "test_tasks.BaseTaskTests.test_cancelling",
  withClock(async () => {
    const t = spawn((signal) => sleep(10_000, signal));
    assert.equal(t.cancelling(), false);
    assert.equal(t.cancel(), true);
    assert.equal(t.cancelling(), true);
    // Since two lines were commented out of Task.cancel(), a second cancel() returns True.
    assert.equal(t.cancel(), true);
    await rejectsWith(t.promise, { name: "AbortError" }, "run_until_complete(t)");
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel",
  withClock(async () => {
    const t = spawn(async (signal) => {
      await sleep(10_000, signal);
      return 12;
    });
    setTimeout(() => t.cancel(), 0); // loop.call_soon(t.cancel)
    await rejectsWith(t.promise, { name: "AbortError" }, "run_until_complete(t)");
    assert.equal(t.done(), true);
    assert.equal(t.cancelled(), true);
    assert.equal(t.cancel(), false);
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel_with_message_before_starting_task",
  withClock(async () => {
    const coro = async () => {
      const task = spawn((signal) => sleep(10_000, signal));
      // We deliberately leave out the sleep here.
      task.cancel("my message");
      await task.promise.catch(() => {}); // done, pending = await asyncio.wait([task])
      await task.promise; // task.exception() raises the CancelledError
    };
    await rejectsWith(coro(), { is: "my message" }, "run_until_complete(coro())");
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel_yield",
  withClock(async () => {
    const t = spawn(async (signal) => {
      await sleep(0, signal);
      await sleep(0, signal);
      return 12;
    });
    await null; // run_briefly: start coro
    t.cancel();
    await rejectsWith(t.promise, { name: "AbortError" }, "run_until_complete(t)");
    assert.equal(t.done(), true);
    assert.equal(t.cancelled(), true);
    assert.equal(t.cancel(), false);
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel_inner_future",
  withClock(async () => {
    const f = deferred<number>();
    const t = spawn(async () => {
      await f.promise;
      return 12;
    });
    await sleepZero(); // start task
    f.reject(cancelledError()); // f.cancel()
    await rejectsWith(t.promise, { name: "AbortError" }, "run_until_complete(t)");
    assert.equal(t.cancelled(), true);
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel_both_task_and_inner_future",
  withClock(async () => {
    const f = deferred<number>();
    const t = spawn(async (signal) => {
      await untilAborted(f.promise, signal);
      return 12;
    });
    await sleepZero();
    f.reject(cancelledError());
    t.cancel();
    await rejectsWith(t.promise, { name: "AbortError" }, "run_until_complete(t)");
    assert.equal(t.done(), true);
    assert.equal(t.cancelled(), true);
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel_task_catching",
  withClock(async () => {
    const fut1 = deferred<void>();
    const fut2 = deferred<void>();
    const t = spawn(async (signal) => {
      await fut1.promise;
      try {
        await untilAborted(fut2.promise, signal);
      } catch {
        return 42;
      }
      return 0;
    });
    await sleepZero();
    fut1.resolve();
    await sleepZero();
    t.cancel();
    assert.equal(await t.promise, 42);
    assert.equal(t.cancelled(), false);
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel_task_ignoring",
  withClock(async () => {
    const fut1 = deferred<void>();
    const fut2 = deferred<void>();
    const fut3 = deferred<number>();
    const t = spawn(async (signal) => {
      await fut1.promise;
      try {
        await untilAborted(fut2.promise, signal);
      } catch {
        // ignored
      }
      return await fut3.promise;
    });
    await sleepZero();
    fut1.resolve();
    await sleepZero();
    t.cancel();
    await sleepZero();
    fut3.resolve(42);
    assert.equal(await t.promise, 42);
    assert.equal(t.cancelled(), false);
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel_current_task",
  withClock(async () => {
    const t = spawn(async (signal) => {
      t.cancel();
      // The sleep should be cancelled immediately.
      await sleep(100_000, signal);
      return 12;
    });
    assert.equal(t.cancelled(), false);
    await rejectsWith(t.promise, { name: "AbortError" }, "run_until_complete(t)");
    assert.equal(t.done(), true);
    assert.equal(t.cancelled(), true);
    assert.equal(t.cancel(), false);
  }),
);

it(
  "test_tasks.BaseTaskTests.test_cancel_at_end",
  withClock(expectedDifference(RETURN_WINS, async () => {
    // The coroutine ends right after its task is cancelled: CPython still ends it as cancelled.
    const t = spawn(() => {
      t.cancel();
      return 12;
    });
    assert.equal(t.cancelled(), false);
    await rejectsWith(t.promise, { name: "AbortError" }, "run_until_complete(t)");
    assert.equal(t.done(), true);
    assert.equal(t.cancelled(), true);
    assert.equal(t.cancel(), false);
  })),
);
