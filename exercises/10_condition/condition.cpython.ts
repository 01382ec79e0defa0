/**
 * CPython's own tests of `asyncio.Condition`, translated case by case from CPython 3.13's
 * `Lib/test/test_asyncio/test_locks.py` (class `ConditionTests`) and `test_pep492.py` (the
 * Condition row of `LockTests`). Run them against your code with `bun run grade 10 --cpython` (or
 * `deno task grade 10 --cpython`); they are shown apart from your score.
 *
 * Mapping: `asyncio.create_task(coro)` is `createTask((signal) => ...)` (its first step runs in a
 * microtask), `await asyncio.sleep(0)` is `await sleepZero()` (a 0 ms virtual timer: every step
 * already queued runs first), `loop.call_soon(fn)` is `setTimeout(fn, 0)`, `task.cancel(msg)`
 * aborts the task's signal with `msg` as the reason (the task passes its signal to `wait()` /
 * `waitFor()`), "the task was cancelled" is "its promise rejected with its signal's reason",
 * `RuntimeError` is an Error named "InvalidStateError", `async with cond:` is
 * `using _ = await cond.acquire()`, `async with asyncio.timeout(0.01)` around a wait is
 * `{ signal: AbortSignal.timeout(10) }` (a DOMException named "TimeoutError"), and
 * `cond._lock` is the public `cond.lock`.
 *
 * Where a case also looks at private fields (`cond._waiters`), that assertion is replaced by what
 * a user can observe (a comment says so) and the rest is kept.
 *
 * Left out, with the reason:
 * - `test_repr`: repr() has no counterpart (and it appends mocks to the private `_waiters`).
 * - `test_ambiguous_loops`: event loops bound to a primitive (`_loop`, `loop=`) have no
 *   counterpart; JavaScript has one event loop per thread.
 * - `test_locks.LockTests.test_lock_doesnt_accept_loop_parameter` (Condition row): `loop=`.
 * - `test_locks.LockTests.test_lock_by_with_statement` and
 *   `test_pep492.LockTests.test_context_manager_with_await` (Condition rows): `with await cond`
 *   (a TypeError in Python) has no counterpart; JavaScript's `await` accepts any value.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import {
  CONDITION,
  type CPythonTask,
  createTask,
  LOCK,
  rejectsWith,
  sleepZero,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { Condition as LearnerCondition, Lock as LearnerLock } from "./condition.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Condition = watched(LearnerCondition, CONDITION);
type Condition = LearnerCondition;
const Lock = watched(LearnerLock, LOCK);
type Lock = LearnerLock;

/** `self.assertTrue(task.cancelled())`: the task ended by rejecting with its own abort reason. */
async function assertCancelled(task: CPythonTask<unknown>, what: string): Promise<void> {
  await assert.rejects(
    task.promise,
    (e) => e === task.signal.reason,
    `${what} should end cancelled (rejected with its signal's reason)`,
  );
}

/** The three tasks of test_wait, test_notify...: acquire, wait, record, maybe release. */
function waiter(cond: Condition, result: number[], n: number, release: boolean) {
  return async (signal: AbortSignal) => {
    await cond.acquire();
    if (await cond.wait({ signal })) {
      result.push(n);
      if (release) cond.release();
    }
    return true;
  };
}

it(
  "test_locks.ConditionTests.test_wait",
  withClock(async () => {
    const cond = new Condition();
    const result: number[] = [];

    const t1 = createTask(waiter(cond, result, 1, false));
    const t2 = createTask(waiter(cond, result, 2, false));
    const t3 = createTask(waiter(cond, result, 3, false));

    await sleepZero();
    assert.deepEqual(result, []);
    assert.equal(cond.locked(), false, "every task released the lock inside wait()");

    assert.ok(await cond.acquire());
    cond.notify();
    await sleepZero();
    assert.deepEqual(result, [], "the notified task waits for the lock");
    assert.equal(cond.locked(), true);

    cond.release();
    await sleepZero();
    assert.deepEqual(result, [1]);
    assert.equal(cond.locked(), true, "task 1 returned from wait() holding the lock");

    cond.notify(2);
    await sleepZero();
    assert.deepEqual(result, [1]);
    assert.equal(cond.locked(), true);

    cond.release();
    await sleepZero();
    assert.deepEqual(result, [1, 2]);
    assert.equal(cond.locked(), true);

    cond.release();
    await sleepZero();
    assert.deepEqual(result, [1, 2, 3]);
    assert.equal(cond.locked(), true);

    for (const [name, t] of [["t1", t1], ["t2", t2], ["t3", t3]] as const) {
      assert.ok(t.done(), `${name} is done`);
      assert.equal(await t.promise, true, `${name} returned True`);
    }
  }),
);

it(
  "test_locks.ConditionTests.test_wait_cancel",
  withClock(async () => {
    const cond = new Condition();
    await cond.acquire();

    const wait = createTask((signal) => cond.wait({ signal }));
    setTimeout(() => wait.cancel(), 0); // loop.call_soon(wait.cancel)
    await assertCancelled(wait, "the cancelled wait()");
    // Python: self.assertFalse(cond._waiters) (private field). Observable: a notify wakes nobody.
    cond.notify();
    assert.equal(cond.locked(), true, "the cancelled wait() re-acquired the lock");
  }),
);

it(
  "test_locks.ConditionTests.test_wait_cancel_contested",
  withClock(async () => {
    const cond = new Condition();

    await cond.acquire();
    assert.equal(cond.locked(), true);

    const waitTask = createTask((signal) => cond.wait({ signal }));
    await sleepZero();
    assert.equal(cond.locked(), false, "wait() released the lock");

    // Notify, but contest the lock before cancelling
    await cond.acquire();
    assert.equal(cond.locked(), true);
    cond.notify();
    setTimeout(() => waitTask.cancel(), 0); // loop.call_soon(wait_task.cancel)
    setTimeout(() => cond.release(), 0); // loop.call_soon(cond.release)

    try {
      await waitTask.promise;
    } catch (error) {
      // CPython: "Should not happen, since no cancellation points"; either outcome is accepted.
      if (error !== waitTask.signal.reason) throw error;
    }

    assert.equal(cond.locked(), true, "the wait() returned (or was cancelled) holding the lock");
  }),
);

it(
  "test_locks.ConditionTests.test_wait_cancel_after_notify",
  withClock(async () => {
    // See bpo-32841
    let waited = false;

    const cond = new Condition();

    const waiter = createTask(async (signal) => {
      using _lease = await cond.acquire();
      waited = true; // Make sure this area was reached
      await cond.wait({ signal });
    });
    await sleepZero(); // Start waiting

    await cond.acquire();
    cond.notify();
    await sleepZero(); // Get to acquire()
    waiter.cancel();
    await sleepZero(); // Activate cancellation
    cond.release();
    await sleepZero(); // Cancellation should occur

    await assertCancelled(waiter, "the waiter cancelled after notify()");
    assert.ok(waited, "the waiter reached its wait()");
  }),
);

it(
  "test_locks.ConditionTests.test_wait_unacquired",
  withClock(async () => {
    const cond = new Condition();
    await rejectsWith(
      () => cond.wait(),
      { name: "InvalidStateError" },
      "cond.wait() without the lock",
    );
  }),
);

it(
  "test_locks.ConditionTests.test_wait_for",
  withClock(async () => {
    const cond = new Condition();
    let presult = false;

    const predicate = () => presult;

    const result: number[] = [];

    const t = createTask(async (signal) => {
      await cond.acquire();
      if (await cond.waitFor(predicate, { signal })) {
        result.push(1);
        cond.release();
      }
      return true;
    });

    await sleepZero();
    assert.deepEqual(result, []);

    await cond.acquire();
    cond.notify();
    cond.release();
    await sleepZero();
    assert.deepEqual(result, [], "woken, but the predicate is still false: wait again");

    presult = true;
    await cond.acquire();
    cond.notify();
    cond.release();
    await sleepZero();
    assert.deepEqual(result, [1]);

    assert.ok(t.done());
    assert.equal(await t.promise, true);
  }),
);

it(
  "test_locks.ConditionTests.test_wait_for_unacquired",
  withClock(async () => {
    const cond = new Condition();

    // predicate can return true immediately
    const res = await cond.waitFor(() => [1, 2, 3]);
    assert.deepEqual(res, [1, 2, 3]);

    await rejectsWith(
      () => cond.waitFor(() => false),
      { name: "InvalidStateError" },
      "cond.waitFor(() => false) without the lock",
    );
  }),
);

it(
  "test_locks.ConditionTests.test_notify",
  withClock(async () => {
    const cond = new Condition();
    const result: number[] = [];

    const t1 = createTask(waiter(cond, result, 1, true));
    const t2 = createTask(waiter(cond, result, 2, true));
    const t3 = createTask(waiter(cond, result, 3, true));

    await sleepZero();
    assert.deepEqual(result, []);

    await cond.acquire();
    cond.notify(1);
    cond.release();
    await sleepZero();
    assert.deepEqual(result, [1]);

    await cond.acquire();
    cond.notify(1);
    cond.notify(2048);
    cond.release();
    await sleepZero();
    assert.deepEqual(result, [1, 2, 3]);

    for (const [name, t] of [["t1", t1], ["t2", t2], ["t3", t3]] as const) {
      assert.ok(t.done(), `${name} is done`);
      assert.equal(await t.promise, true, `${name} returned True`);
    }
  }),
);

it(
  "test_locks.ConditionTests.test_notify_all",
  withClock(async () => {
    const cond = new Condition();

    const result: number[] = [];

    const t1 = createTask(waiter(cond, result, 1, true));
    const t2 = createTask(waiter(cond, result, 2, true));

    await sleepZero();
    assert.deepEqual(result, []);

    await cond.acquire();
    cond.notifyAll();
    cond.release();
    await sleepZero();
    assert.deepEqual(result, [1, 2]);

    assert.ok(t1.done());
    assert.equal(await t1.promise, true);
    assert.ok(t2.done());
    assert.equal(await t2.promise, true);
  }),
);

it(
  "test_locks.ConditionTests.test_notify_unacquired",
  withClock(() => {
    const cond = new Condition();
    throwsWith(
      () => cond.notify(),
      { name: "InvalidStateError" },
      "cond.notify() without the lock",
    );
  }),
);

it(
  "test_locks.ConditionTests.test_notify_all_unacquired",
  withClock(() => {
    const cond = new Condition();
    throwsWith(
      () => cond.notifyAll(),
      { name: "InvalidStateError" },
      "cond.notifyAll() without the lock",
    );
  }),
);

it(
  "test_locks.ConditionTests.test_context_manager",
  withClock(async () => {
    const cond = new Condition();
    assert.equal(cond.locked(), false);
    {
      using _lease = await cond.acquire();
      assert.equal(cond.locked(), true);
    }
    assert.equal(cond.locked(), false);
  }),
);

it(
  "test_locks.ConditionTests.test_explicit_lock",
  withClock(async () => {
    const f = async (lock?: Lock, cond?: Condition) => {
      if (lock === undefined) lock = new Lock();
      if (cond === undefined) cond = new Condition(lock);
      assert.equal(cond.lock, lock, "the condition uses the lock it was given");
      assert.equal(lock.locked(), false);
      assert.equal(cond.locked(), false);
      {
        using _lease = await cond.acquire();
        assert.equal(lock.locked(), true);
        assert.equal(cond.locked(), true);
      }
      assert.equal(lock.locked(), false);
      assert.equal(cond.locked(), false);
      {
        using _lease = await lock.acquire();
        assert.equal(lock.locked(), true);
        assert.equal(cond.locked(), true);
      }
      assert.equal(lock.locked(), false);
      assert.equal(cond.locked(), false);
    };

    // All should work in the same way.
    await f();
    await f(new Lock());
    const lock = new Lock();
    await f(lock, new Condition(lock));
  }),
);

it(
  "test_locks.ConditionTests.test_timeout_in_block",
  withClock(async () => {
    const condition = new Condition();
    using _lease = await condition.acquire();
    await rejectsWith(
      condition.wait({ signal: AbortSignal.timeout(500) }),
      { name: "TimeoutError" },
      "condition.wait({ signal: AbortSignal.timeout(500) }) (asyncio.wait_for(condition.wait(), timeout=0.5))",
    );
  }),
);

/** test_cancelled_error_wakeup / _re_aquire: func() records the error it got and raises it again. */
function cancelledErrorCase(cond: Condition, wake: () => boolean, got: { raised?: unknown }) {
  return async (signal: AbortSignal) => {
    using _lease = await cond.acquire();
    let err: { error: unknown } | undefined;
    try {
      await cond.waitFor(wake, { signal });
    } catch (error) {
      err = { error };
    }
    assert.ok(err, "waitFor() should have raised the cancellation");
    got.raised = err.error;
    throw got.raised;
  };
}

it(
  "test_locks.ConditionTests.test_cancelled_error_wakeup",
  withClock(async () => {
    // Test that a cancelled error, received when awaiting wakeup, will be re-raised un-modified.
    const wake = false;
    const got: { raised?: unknown } = {};
    const cond = new Condition();

    const task = createTask(cancelledErrorCase(cond, () => wake, got));
    await sleepZero();
    // Task is waiting on the condition, cancel it there.
    task.cancel("foo");
    await assert.rejects(
      task.promise,
      (e) => e === "foo",
      "the task should end with the reason it was cancelled with",
    );
    // We should have got the _same_ exception instance as the one originally raised.
    assert.equal(got.raised, "foo", "waitFor() rejected with the abort reason itself");
  }),
);

it(
  "test_locks.ConditionTests.test_cancelled_error_re_aquire",
  withClock(async () => {
    // Test that a cancelled error, received when re-aquiring lock, will be re-raised un-modified.
    let wake = false;
    const got: { raised?: unknown } = {};
    const cond = new Condition();

    const task = createTask(cancelledErrorCase(cond, () => wake, got));
    await sleepZero();
    // Task is waiting on the condition
    await cond.acquire();
    wake = true;
    cond.notify();
    await sleepZero();
    // Task is now trying to re-acquire the lock, cancel it there.
    task.cancel("foo");
    cond.release();
    await assert.rejects(
      task.promise,
      (e) => e === "foo",
      "the task should end with the reason it was cancelled with",
    );
    // We should have got the _same_ exception instance as the one originally raised.
    assert.equal(got.raised, "foo", "waitFor() rejected with the abort reason itself");
  }),
);

/** The two consumers of test_cancelled_wakeup(_relock). */
function consumerCase(condition: Condition, state: { n: number }) {
  return async (signal: AbortSignal) => {
    using _lease = await condition.acquire();
    while (true) {
      await condition.waitFor(() => state.n !== 0, { signal });
      if (state.n < 0) return;
      state.n -= 1;
    }
  };
}

/** `try: async with asyncio.timeout(0.01): await condition.wait_for(...) except TimeoutError: pass` */
async function waitForWithTimeout(condition: Condition, predicate: () => boolean): Promise<void> {
  try {
    await condition.waitFor(predicate, { signal: AbortSignal.timeout(10) });
  } catch (error) {
    if (!(error instanceof DOMException && error.name === "TimeoutError")) throw error;
  }
}

it(
  "test_locks.ConditionTests.test_cancelled_wakeup",
  withClock(async () => {
    // Test that a task cancelled at the "same" time as it is woken up as part of a
    // Condition.notify() does not result in a lost wakeup. This test simulates a cancel while the
    // target task is awaiting initial wakeup on the wakeup queue.
    const condition = new Condition();
    const state = { n: 0 };

    // create two consumers
    const c = [
      createTask(consumerCase(condition, state)),
      createTask(consumerCase(condition, state)),
    ];
    // wait for them to settle
    await sleepZero();
    {
      using _lease = await condition.acquire();
      // produce one item and wake up one
      state.n += 1;
      condition.notify(1);

      // Cancel it while it is awaiting to be run.
      // This cancellation could come from the outside
      c[0].cancel();

      // now wait for the item to be consumed
      // if it doesn't means that our "notify" didn't take hold.
      // because it raced with a cancel()
      await waitForWithTimeout(condition, () => state.n === 0);
      assert.equal(state.n, 0, "the item was consumed: the wake-up was not lost");

      // clean up
      state.n = -1;
      condition.notifyAll();
    }
    await c[1].promise;
  }),
);

it(
  "test_locks.ConditionTests.test_cancelled_wakeup_relock",
  withClock(async () => {
    // Test that a task cancelled at the "same" time as it is woken up as part of a
    // Condition.notify() does not result in a lost wakeup. This test simulates a cancel while the
    // target task is acquiring the lock again.
    const condition = new Condition();
    const state = { n: 0 };

    // create two consumers
    const c = [
      createTask(consumerCase(condition, state)),
      createTask(consumerCase(condition, state)),
    ];
    // wait for them to settle
    await sleepZero();
    {
      using _lease = await condition.acquire();
      // produce one item and wake up one
      state.n += 1;
      condition.notify(1);

      // now we sleep for a bit.  This allows the target task to wake up and
      // settle on re-aquiring the lock
      await sleepZero();

      // Cancel it while awaiting the lock
      // This cancel could come the outside.
      c[0].cancel();

      // now wait for the item to be consumed
      // if it doesn't means that our "notify" didn't take hold.
      // because it raced with a cancel()
      await waitForWithTimeout(condition, () => state.n === 0);
      assert.equal(state.n, 0, "the item was consumed: the wake-up was not lost");

      // clean up
      state.n = -1;
      condition.notifyAll();
    }
    await c[1].promise;
  }),
);

it(
  "test_pep492.LockTests.test_context_manager_async_with (Condition)",
  withClock(async () => {
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const cond = new Condition();
    await sleep(10);
    assert.equal(cond.locked(), false);
    {
      // Python: `async with lock as _lock:` binds None; here the block holds a lease.
      using _lease = await cond.acquire();
      assert.equal(cond.locked(), true);
      await sleep(10);
      assert.equal(cond.locked(), true);
    }
    assert.equal(cond.locked(), false);
  }),
);
