/**
 * CPython's own tests of `asyncio.wait_for`, translated case by case from CPython 3.13's
 * `Lib/test/test_asyncio/test_waitfor.py` (classes `AsyncioWaitForTest` and
 * `WaitForShieldTests`). Run them against your code with `bun run grade 06 --cpython` (or
 * `deno task grade 06 --cpython`, `npm run grade -- 06 --cpython`); they are shown apart from
 * your score.
 *
 * The mapping: `asyncio.create_task(coro)` is `createTask((signal) => ...)` (the body's first
 * step runs in a microtask, as create_task queues it); `await asyncio.sleep(0)` is
 * `await sleepZero()`; `await asyncio.sleep(s)` is `await sleep(s * 1000, signal)` (a sleep that
 * rejects with the signal's reason when cancelled); `task.cancel()` aborts the task's signal;
 * `CancelledError` is the signal's reason; `loop.call_soon(f)` is `setTimeout(f, 0)`.
 * `asyncio.wait_for(coro(), t)` is `waitFor((signal) => coro(signal), t * 1000)`: the coroutine
 * runs with the signal wait_for cancels. `asyncio.wait_for(task, t)` cancels the task it awaits:
 * `waitFor((signal) => awaitTask(task, signal), ...)` links the signal to `task.cancel()`.
 * `asyncio.shield(task)` is {@linkcode shield}: a wait that can be cancelled without cancelling
 * the task. `task.cancelled()` is {@linkcode cancelled}: the task rejected with its own abort
 * reason. A coroutine that "ignores cancel requests" (`SlowTask`) does not pass its signal on:
 * an `AbortSignal` stays aborted, so a loop that caught the abort and slept again with the same
 * signal would spin, where Python delivers the cancellation once.
 *
 * Left out, with the reason: no whole case. Inside translated cases, the assertions on
 * exception chaining (`cm.exception.__context__` is a `CancelledError`) in
 * `test_wait_for_waits_for_task_cancellation` and `..._w_timeout_0`: a `DOMException` has no
 * `__context__`, and `waitFor` does not promise a `cause`.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import {
  type CPythonTask,
  createTask,
  deferred,
  expectedDifference,
  rejectsWith,
  sleepZero,
  withClock,
} from "../../lib/mod.ts";
import { waitFor } from "./wait_for.ts";

// The same reasons as the README's "Where this differs from CPython".
const LATE_VALUE = "A value that arrives after the deadline is discarded.";
const ZERO_CALLS_FN = "`waitFor(fn, 0)` calls `fn`.";

/** `_EPSILON = 0.0001` s in the CPython file: a very small timeout, in ms. */
const EPSILON = 0.1;
/** `support.LONG_TIMEOUT` (5 minutes), in ms. */
const LONG_TIMEOUT = 300_000;

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

/** `await fut` on a future nobody resolves: it only ends when `signal` cancels it. */
function forever(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** `await task` inside `wait_for(task, ...)`: cancelling the wait cancels the task. */
function awaitTask<T>(task: CPythonTask<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) task.cancel(signal.reason);
  else signal.addEventListener("abort", () => task.cancel(signal.reason), { once: true });
  return task.promise;
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

/** `asyncio.shield(task)`: a wait on the task that a signal can cancel without cancelling the task. */
function shield<T>(
  task: CPythonTask<T>,
): { wait(signal: AbortSignal): Promise<T>; cancelled(): boolean } {
  let waitCancelled = false;
  return {
    wait: (signal) =>
      new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          waitCancelled = true;
          reject(signal.reason);
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        task.promise.then(resolve, reject).finally(() =>
          signal.removeEventListener("abort", onAbort)
        );
      }),
    cancelled: () => waitCancelled,
  };
}

/** `SlowTask`: runs for 200 ms, ignoring cancel requests (it does not pass its signal on). */
class SlowTask {
  static TASK_TIMEOUT = 200;
  exited = false;

  async run(): Promise<void> {
    const exitAt = performance.now() + SlowTask.TASK_TIMEOUT;
    for (;;) {
      const toSleep = exitAt - performance.now();
      if (toSleep <= 0) break;
      await sleep(toSleep); // no signal: the cancellation is ignored
    }
    this.exited = true;
  }
}

it(
  "test_waitfor.AsyncioWaitForTest.test_asyncio_wait_for_cancelled",
  withClock(async () => {
    const t = new SlowTask();
    const waitForTask = createTask((signal) =>
      waitFor(() => t.run(), SlowTask.TASK_TIMEOUT * 2, { signal })
    );
    await sleepZero();
    waitForTask.cancel();
    await waitForTask.promise.catch(() => {}); // asyncio.wait({waitfortask})
    assert.equal(t.exited, true, "the wait_for task ends only once the slow task has exited");
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_asyncio_wait_for_timeout",
  withClock(async () => {
    const t = new SlowTask();
    try {
      await waitFor(() => t.run(), SlowTask.TASK_TIMEOUT / 2);
    } catch (error) {
      if ((error as Error)?.name !== "TimeoutError") throw error;
    }
    assert.equal(t.exited, true, "wait_for waits for the slow task to exit");
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_timeout_less_then_0_or_0_future_done",
  withClock(async () => {
    const fut = Promise.resolve("done"); // a future with its result set
    const ret = await waitFor(() => fut, 0);
    assert.equal(ret, "done", "a done future's result is returned even with timeout 0");
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started",
  withClock(expectedDifference(ZERO_CALLS_FN, async () => {
    let fooStarted = false;
    // deno-lint-ignore require-await -- an `async def` without await: a coroutine, not a plain value
    const foo = async () => {
      fooStarted = true;
    };
    await rejectsWith(waitFor(foo, 0), { name: "TimeoutError" }, "wait_for(foo(), 0)");
    assert.equal(fooStarted, false, "CPython does not start the coroutine when timeout <= 0");
  })),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_timeout_less_then_0_or_0",
  withClock(async () => {
    for (const timeout of [0, -1]) {
      let fooRunning: boolean | null = null;
      const started = deferred<void>();
      const fut = createTask(async (signal) => {
        fooRunning = true;
        started.resolve();
        try {
          await sleep(10_000, signal);
        } finally {
          fooRunning = false;
        }
        return "done";
      });
      await started.promise;
      await rejectsWith(waitFor((signal) => awaitTask(fut, signal), timeout), {
        name: "TimeoutError",
      }, `wait_for(fut, ${timeout})`);
      assert.equal(fut.done(), true, `timeout=${timeout}: the task is done`);
      assert.equal(
        await cancelled(fut),
        true,
        `timeout=${timeout}: it should have been cancelled due to the timeout`,
      );
      assert.equal(fooRunning, false, `timeout=${timeout}: its finally block ran`);
    }
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for",
  withClock(async () => {
    let fooRunning: boolean | null = null;
    const fut = createTask(async (signal) => {
      fooRunning = true;
      try {
        await sleep(LONG_TIMEOUT, signal);
      } finally {
        fooRunning = false;
      }
      return "done";
    });
    await rejectsWith(
      waitFor((signal) => awaitTask(fut, signal), 100),
      { name: "TimeoutError" },
      "wait_for(fut, 0.1)",
    );
    assert.equal(fut.done(), true, "CPython's test asserts fut.done() == true");
    assert.equal(await cancelled(fut), true, "it should have been cancelled due to the timeout");
    assert.equal(fooRunning, false, "CPython's test asserts fooRunning == false");
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_blocking",
  withClock(async () => {
    // deno-lint-ignore require-await -- an `async def` without await: a coroutine, not a plain value
    const res = await waitFor(async () => "done", null);
    assert.equal(res, "done", "CPython's test asserts res == done");
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_race_condition",
  withClock(async () => {
    const fut = deferred<string>();
    const task = waitFor(() => fut.promise, 200);
    setTimeout(() => fut.resolve("ok"), 0); // loop.call_soon(fut.set_result, "ok")
    assert.equal(await task, "ok", "CPython's test asserts task == ok");
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_cancellation_race_condition",
  withClock(expectedDifference(LATE_VALUE, async () => {
    const inner = async (signal: AbortSignal) => {
      await rejectsWith(sleep(1000, signal), {}, "the inner sleep (cancelled)");
      return 1;
    };
    const result = await waitFor(inner, 10);
    assert.equal(
      result,
      1,
      "CPython returns the value of a coroutine that suppressed the cancellation",
    );
  })),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_waits_for_task_cancellation",
  withClock(async () => {
    let taskDone = false;
    const innerTask = createTask(async (signal) => {
      try {
        await sleep(10_000, signal);
      } catch (error) {
        await sleep(EPSILON);
        throw error;
      } finally {
        taskDone = true;
      }
    });
    await rejectsWith(waitFor((signal) => awaitTask(innerTask, signal), EPSILON), {
      name: "TimeoutError",
    }, "wait_for(inner_task, _EPSILON)");
    assert.equal(taskDone, true, "wait_for waits for the task's cancellation to finish");
    // (chained = cm.exception.__context__ is a CancelledError: no counterpart.)
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_waits_for_task_cancellation_w_timeout_0",
  withClock(async () => {
    let taskDone = false;
    const foo = async () => {
      const innerTask = createTask(async (signal) => {
        try {
          await sleep(10_000, signal);
        } catch (error) {
          await sleep(EPSILON);
          throw error;
        } finally {
          taskDone = true;
        }
      });
      await sleep(EPSILON);
      await waitFor((signal) => awaitTask(innerTask, signal), 0);
    };
    await rejectsWith(foo(), { name: "TimeoutError" }, "foo() awaiting wait_for(inner_task, 0)");
    assert.equal(taskDone, true, "CPython's test asserts taskDone == true");
    // (chained = cm.exception.__context__ is a CancelledError: no counterpart.)
  }),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_reraises_exception_during_cancellation",
  withClock(async () => {
    class FooException extends Error {}
    const foo = async () => {
      const innerTask = createTask(async (signal) => {
        try {
          await sleep(200, signal);
        } finally {
          // deno-lint-ignore no-unsafe-finally
          throw new FooException();
        }
      });
      await waitFor((signal) => awaitTask(innerTask, signal), EPSILON);
    };
    await rejectsWith(
      foo(),
      { instanceOf: FooException },
      "wait_for(inner_task that raises FooException while cancelled)",
    );
  }),
);

async function testCancelWaitFor(timeout: number | null): Promise<void> {
  const task = createTask((signal) => forever(signal));
  const wait = createTask((signal) => waitFor((s) => awaitTask(task, s), timeout, { signal }));
  setTimeout(() => wait.cancel(), 0); // loop.call_soon(wait.cancel)
  const error = await rejectsWith(wait.promise, {}, "the cancelled wait_for");
  assert.equal(
    error,
    wait.signal.reason,
    "cancelling the wait raises CancelledError (the wait's own abort reason)",
  );
  assert.equal(
    await cancelled(task),
    true,
    "Python issue #23219: cancelling the wait must also cancel the task",
  );
}

it(
  "test_waitfor.AsyncioWaitForTest.test_cancel_blocking_wait_for",
  withClock(() => testCancelWaitFor(null)),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_cancel_wait_for",
  withClock(() => testCancelWaitFor(60_000)),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_cancel_suppressed",
  withClock(expectedDifference(LATE_VALUE, async () => {
    const return42 = async (signal: AbortSignal) => {
      try {
        await sleep(10_000, signal);
      } catch {
        return 42;
      }
    };
    const res = await waitFor(return42, 100);
    assert.equal(res, 42, "CPython returns the value of a task that suppressed CancelledError");
  })),
);

it(
  "test_waitfor.AsyncioWaitForTest.test_wait_for_issue86296",
  withClock(async () => {
    // deno-lint-ignore require-await -- an `async def` without await: a coroutine, not a plain value
    const innerTask = createTask(async () => "done");
    let reachedEnd = false;
    const task = createTask(async (signal) => {
      await waitFor((s) => awaitTask(innerTask, s), 100_000, { signal });
      await sleep(1000, signal);
      reachedEnd = true;
    });
    assert.equal(task.done(), false, "CPython's test asserts task.done() == false");
    await sleepZero(); // run the task
    task.cancel();
    const error = await rejectsWith(task.promise, {}, "the cancelled task");
    assert.equal(error, task.signal.reason, "the task ends with CancelledError");
    assert.equal(innerTask.done(), true, "CPython's test asserts innerTask.done() == true");
    assert.equal(
      await innerTask.promise,
      "done",
      "CPython's test asserts innerTask.promise == done",
    );
    assert.equal(reachedEnd, false, "the task got cancelled and did not run to completion");
  }),
);

it(
  "test_waitfor.WaitForShieldTests.test_zero_timeout",
  withClock(async () => {
    const task = createTask(async () => {
      await sleep(10);
      return "done";
    });
    const shieldedTask = shield(task);
    await rejectsWith(
      waitFor((signal) => shieldedTask.wait(signal), 0),
      { name: "TimeoutError" },
      "wait_for(shield(task), timeout=0)",
    );
    assert.equal(task.done(), false, "the task is running in the background");
    assert.equal(task.signal.aborted, false, "the shielded task is not cancelled");
    assert.equal(shieldedTask.cancelled(), true, "the shield's wait is cancelled");
    await sleep(100);
    assert.equal(task.done(), true, "CPython's test asserts task.done() == true");
  }),
);

it(
  "test_waitfor.WaitForShieldTests.test_none_timeout",
  withClock(async () => {
    const task = createTask(async () => {
      await sleep(100);
      return "done";
    });
    await waitFor((signal) => shield(task).wait(signal), null);
    assert.equal(task.done(), true, "CPython's test asserts task.done() == true");
    assert.equal(await task.promise, "done", "CPython's test asserts task.promise == done");
  }),
);

it(
  "test_waitfor.WaitForShieldTests.test_shielded_timeout",
  withClock(async () => {
    const task = createTask(async () => {
      await sleep(100);
      return "done";
    });
    await rejectsWith(
      waitFor((signal) => shield(task).wait(signal), 10),
      { name: "TimeoutError" },
      "wait_for(shield(task), timeout=0.01)",
    );
    assert.equal(task.done(), false, "CPython's test asserts task.done() == false");
    assert.equal(task.signal.aborted, false, "shield prevents the task from being cancelled");
    assert.equal(await task.promise, "done", "CPython's test asserts task.promise == done");
  }),
);
