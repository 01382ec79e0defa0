/**
 * CPython's own tests of `asyncio.Event`, translated case by case from CPython 3.13's
 * `Lib/test/test_asyncio/test_locks.py` (class `EventTests`). Run them against your code with
 * `bun run grade 09 --cpython` (or `deno task grade 09 --cpython`); they are shown apart from your
 * score.
 *
 * Mapping: `asyncio.create_task(coro)` is `createTask((signal) => ...)` (its first step runs in a
 * microtask), `await asyncio.sleep(0)` is `await sleepZero()` (a 0 ms virtual timer: every step
 * already queued runs first), `loop.call_soon(fn)` is `setTimeout(fn, 0)`, `task.cancel()` aborts
 * the task's signal (the task passes it to `ev.wait({ signal })`), "the task was cancelled" is
 * "its promise rejected with its signal's reason", and `is_set()` is `isSet()`.
 *
 * Where a case also looks at private fields (`ev._waiters`), that assertion is left out (a
 * comment says so) and the rest is kept.
 *
 * Left out, with the reason:
 * - `test_repr`: repr() has no counterpart (and it appends a mock to the private `_waiters`).
 * - `test_locks.LockTests.test_lock_doesnt_accept_loop_parameter` (Event row): `loop=`.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import {
  createTask,
  EVENT,
  expectedDifference,
  sleepZero,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { Event as LearnerEvent } from "./event.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Event = watched(LearnerEvent, EVENT);
type Event = LearnerEvent;

it(
  "test_locks.EventTests.test_wait",
  withClock(expectedDifference(
    "the order in which tasks run on after set(): JavaScript resumes the waiters in microtasks queued by set() itself, ahead of a task started earlier that has not reached its wait() yet",
    async () => {
      const ev = new Event();
      assert.equal(ev.isSet(), false);

      const result: number[] = [];

      const c = (n: number) => async (signal: AbortSignal) => {
        if (await ev.wait({ signal })) result.push(n);
      };

      const t1 = createTask(c(1));
      const t2 = createTask(c(2));

      await sleepZero();
      assert.deepEqual(result, []);

      const t3 = createTask(c(3));

      ev.set();
      await sleepZero();
      assert.deepEqual(result, [3, 1, 2], "CPython runs t3 (scheduled before set()) first");

      for (const [name, t] of [["t1", t1], ["t2", t2], ["t3", t3]] as const) {
        assert.ok(t.done(), `${name} is done`);
        assert.equal(await t.promise, undefined, `${name} returned None`);
      }
    },
  )),
);

it(
  "test_locks.EventTests.test_wait_on_set",
  withClock(async () => {
    const ev = new Event();
    ev.set();

    const res = await ev.wait();
    assert.equal(res, true);
  }),
);

it(
  "test_locks.EventTests.test_wait_cancel",
  withClock(async () => {
    const ev = new Event();

    const wait = createTask((signal) => ev.wait({ signal }));
    setTimeout(() => wait.cancel(), 0); // loop.call_soon(wait.cancel)
    await assert.rejects(
      wait.promise,
      (e) => e === wait.signal.reason,
      "the cancelled wait() ends cancelled",
    );
    // Python: self.assertFalse(ev._waiters) (private field).
  }),
);

it(
  "test_locks.EventTests.test_clear",
  withClock(() => {
    const ev = new Event();
    assert.equal(ev.isSet(), false);

    ev.set();
    assert.equal(ev.isSet(), true);

    ev.clear();
    assert.equal(ev.isSet(), false);
  }),
);

it(
  "test_locks.EventTests.test_clear_with_waiters",
  withClock(async () => {
    const ev = new Event();
    const result: number[] = [];

    const t = createTask(async (signal) => {
      if (await ev.wait({ signal })) result.push(1);
      return true;
    });
    await sleepZero();
    assert.deepEqual(result, []);

    ev.set();
    ev.clear();
    assert.equal(ev.isSet(), false);

    ev.set();
    ev.set();
    // Python: self.assertEqual(1, len(ev._waiters)) (private field).

    await sleepZero();
    assert.deepEqual(result, [1], "the task woken by the first set() ran once");
    // Python: self.assertEqual(0, len(ev._waiters)) (private field).

    assert.ok(t.done());
    assert.equal(await t.promise, true);
  }),
);
