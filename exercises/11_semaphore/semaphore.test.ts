/**
 * Visible tests for 11_semaphore. Run them with `bun test exercises/11_semaphore` or
 * `deno test exercises/11_semaphore`. Time is virtual: `clock.now()` says exactly when things
 * happen, and a ConcurrencyProbe counts how many tasks run at once.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  assertTimeline,
  ConcurrencyProbe,
  rejectsWith,
  SEMAPHORE,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import {
  BoundedSemaphore as LearnerBoundedSemaphore,
  Semaphore as LearnerSemaphore,
} from "./semaphore.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const BoundedSemaphore = watched(LearnerBoundedSemaphore, SEMAPHORE);
type BoundedSemaphore = LearnerBoundedSemaphore;
const Semaphore = watched(LearnerSemaphore, SEMAPHORE);
type Semaphore = LearnerSemaphore;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("task 1: Semaphore", () => {
  it(
    "Semaphore(3) runs at most 3 of 10 tasks at once",
    withClock(async (clock) => {
      // The classic asyncio example: ten tasks, each holding the semaphore for 1 s.
      const sem = new Semaphore(3);
      const probe = new ConcurrencyProbe("tasks");
      const task = async (i: number) => {
        using _permit = await sem.acquire(); // Python: async with sem:
        await probe.run(`task ${i}`, () => sleep(1000));
      };
      await Promise.all(Array.from({ length: 10 }, (_, i) => task(i)));
      probe.assertMaxAtMost(3); // never more than 3 at once...
      probe.assertMaxReached(3); // ...and 3 really do run together
      assertTimeline(probe.timeline, [
        { label: "task 0", start: 0, end: 1000 },
        { label: "task 1", start: 0, end: 1000 },
        { label: "task 2", start: 0, end: 1000 },
        { label: "task 3", start: 1000, end: 2000 },
        { label: "task 4", start: 1000, end: 2000 },
        { label: "task 5", start: 1000, end: 2000 },
        { label: "task 6", start: 2000, end: 3000 },
        { label: "task 7", start: 2000, end: 3000 },
        { label: "task 8", start: 2000, end: 3000 },
        { label: "task 9", start: 3000, end: 4000 },
      ], "Semaphore(3) over 10 one-second tasks");
      assert.equal(
        clock.now(),
        4000,
        `4 rounds of one second end at t=4000; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() resolves with a permit that using gives back",
    withClock(async () => {
      const sem = new Semaphore(2);
      {
        using _permit = await sem.acquire();
        assert.equal(
          sem.value,
          1,
          `one of the 2 permits is taken inside the block: value should be 1; yours is ${sem.value}`,
        );
      }
      assert.equal(
        sem.value,
        2,
        `leaving the block disposes the permit, which releases it: value should be 2; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() wakes waiters in FIFO order",
    withClock(async () => {
      const sem = new Semaphore(1);
      const order: string[] = [];
      const task = async (name: string) => {
        using _permit = await sem.acquire();
        order.push(name);
        await sleep(10);
      };
      await Promise.all(["a", "b", "c", "d"].map(task));
      assert.deepEqual(
        order,
        ["a", "b", "c", "d"],
        `waiters must get permits in the order they asked; yours: ${order}`,
      );
    }),
  );

  it(
    "Semaphore(0) starts locked and release() adds a free permit",
    withClock(() => {
      const sem = new Semaphore(0);
      assert.equal(sem.locked(), true, "Semaphore(0) has no permit: locked() should be true");
      sem.release();
      assert.equal(
        sem.value,
        1,
        `release() with nobody waiting counts the permit as free: value should be 1; yours is ${sem.value}`,
      );
      assert.equal(
        sem.locked(),
        false,
        "a free permit and nobody waiting: locked() should be false",
      );
    }),
  );

  it(
    "new Semaphore() rejects a negative or fractional value with RangeError",
    withClock(() => {
      throwsWith(() => new Semaphore(-1), { name: "RangeError" }, "new Semaphore(-1)");
      throwsWith(() => new Semaphore(1.5), { name: "RangeError" }, "new Semaphore(1.5)");
      assert.equal(
        new Semaphore().value,
        1,
        `the default value is 1, as in Python; yours is ${new Semaphore().value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() aborted while queued rejects with signal.reason and leaves the queue",
    withClock(async () => {
      const sem = new Semaphore(1);
      const held = await sem.acquire();
      const ac = new AbortController();
      const reason = new Error("gave up");
      const waiting = sem.acquire({ signal: ac.signal });
      ac.abort(reason);
      await rejectsWith(waiting, { is: reason }, "sem.acquire({ signal }) aborted while waiting");
      held[Symbol.dispose]();
      assert.equal(
        sem.value,
        1,
        `the aborted waiter left the queue, so the release makes the permit free: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() aborted after release() handed it the permit, before it resumed, rejects",
    withClock(async () => {
      // The course-wide late-abort rule, as in CPython: the abort wins until the waiter runs again.
      const sem = new Semaphore(1);
      const held = await sem.acquire();
      const ac = new AbortController();
      const reason = new Error("too late");
      const second = sem.acquire({ signal: ac.signal });
      const third = sem.acquire();
      await sleep(1);
      held[Symbol.dispose](); // release() hands the permit to the second waiter...
      ac.abort(reason); // ...which has not resumed yet
      await rejectsWith(
        second,
        { is: reason },
        "sem.acquire({ signal }) aborted after the hand-over",
      );
      const permit = await third; // the permit went on to the next waiter
      assert.equal(
        sem.value,
        0,
        `the third waiter holds the only permit: value should be 0; yours is ${sem.value}`,
      );
      permit[Symbol.dispose]();
      assert.equal(
        sem.value,
        1,
        `every permit came back exactly once: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.locked() stays true until a waiter handed a permit has resumed",
    withClock(async () => {
      const sem = new Semaphore(0);
      const order: string[] = [];
      const first = sem.acquire().then((p) => {
        order.push("first waiter");
        return p;
      });
      await sleep(1);
      sem.release(); // handed to the first waiter, which has not resumed yet
      sem.release(); // free: nobody else waits
      assert.equal(
        sem.locked(),
        true,
        "the woken waiter has not resumed: locked() must stay true so newcomers queue behind it",
      );
      const newcomer = sem.acquire().then((p) => {
        order.push("newcomer");
        return p;
      });
      await Promise.all([first, newcomer]);
      assert.deepEqual(
        order,
        ["first waiter", "newcomer"],
        `a newcomer must not overtake the woken waiter; your order: ${order}`,
      );
    }),
  );

  it(
    "Semaphore.acquire({ signal: AbortSignal.timeout(300) }) gives up at the deadline",
    withClock(async (clock) => {
      const sem = new Semaphore(1);
      const held = await sem.acquire();
      await rejectsWith(
        sem.acquire({ signal: AbortSignal.timeout(300) }),
        { name: "TimeoutError" },
        "sem.acquire({ signal: AbortSignal.timeout(300) })",
      );
      assert.equal(
        clock.now(),
        300,
        `the acquire() should give up at t=300; yours at t=${clock.now()}`,
      );
      held[Symbol.dispose]();
      assert.equal(
        sem.value,
        1,
        `the timed-out waiter must not keep a permit: value should be 1; yours is ${sem.value}`,
      );
    }),
  );
  it(
    "Semaphore.release() wakes exactly one waiter per permit",
    withClock(async () => {
      const sem = new Semaphore(0);
      let woken = 0;
      const waiters = [1, 2, 3].map(async () => {
        await sem.acquire();
        woken++;
      });
      await sleep(1);
      sem.release();
      await sleep(1);
      assert.equal(woken, 1, `one release() hands one permit to one waiter; yours woke ${woken}`);
      sem.release();
      sem.release();
      await Promise.all(waiters);
      assert.equal(woken, 3);
      assert.equal(
        sem.value,
        0,
        `all three permits went to waiters: value should be 0; yours is ${sem.value}`,
      );
    }),
  );
});

describe("task 2: tryAcquire() and runExclusive()", () => {
  it(
    "Semaphore.tryAcquire() fails while a waiter is queued, even right after a release",
    withClock(async () => {
      const sem = new Semaphore(1);
      const first = await sem.acquire();
      const waiter = sem.acquire(); // queued: no permit left
      first[Symbol.dispose](); // the permit goes straight to the waiter...
      const sneaky = sem.tryAcquire(); // ...so a newcomer finds none
      assert.equal(
        sneaky,
        null,
        "no barging: the released permit belongs to the waiter, tryAcquire() must return null",
      );
      (await waiter)[Symbol.dispose]();
      assert.equal(
        sem.value,
        1,
        `every permit came back: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.runExclusive() returns fn's value and gives the permit back",
    withClock(async () => {
      const sem = new Semaphore(1);
      const value = await sem.runExclusive(async () => {
        await sleep(5);
        return 42;
      });
      assert.equal(
        value,
        42,
        `runExclusive() should resolve with fn's value (42); yours resolved with ${value}`,
      );
      assert.equal(sem.value, 1, `the permit is back: value should be 1; yours is ${sem.value}`);
    }),
  );

  it(
    "Semaphore.runExclusive() gives the permit back when fn throws",
    withClock(async () => {
      const sem = new Semaphore(1);
      await rejectsWith(
        sem.runExclusive(() => {
          throw new Error("boom");
        }),
        { message: "boom" },
        "sem.runExclusive(fn that throws)",
      );
      assert.equal(
        sem.value,
        1,
        `a throwing fn must not keep the permit: value should be 1; yours is ${sem.value}`,
      );
    }),
  );
  it(
    "Semaphore.tryAcquire() takes a free permit and returns null when none is free",
    withClock(() => {
      const sem = new Semaphore(1);
      const permit = sem.tryAcquire();
      assert.notEqual(permit, null, "a free permit: tryAcquire() should return a Disposable");
      assert.equal(
        typeof permit?.[Symbol.dispose],
        "function",
        "tryAcquire() should return a Disposable",
      );
      assert.equal(
        sem.value,
        0,
        `tryAcquire() took the permit: value should be 0; yours is ${sem.value}`,
      );
      assert.equal(sem.tryAcquire(), null, "no free permit: tryAcquire() returns null");
      permit?.[Symbol.dispose]();
      assert.equal(sem.value, 1, `the permit is back: value should be 1; yours is ${sem.value}`);
    }),
  );

  it(
    "Semaphore.runExclusive() with an aborted signal rejects with the reason and never calls fn",
    withClock(async () => {
      const sem = new Semaphore(1);
      const reason = new Error("cancelled before");
      let calls = 0;
      await rejectsWith(sem.runExclusive(() => calls++, { signal: AbortSignal.abort(reason) }), {
        is: reason,
      }, "sem.runExclusive(fn, { signal: aborted })");
      assert.equal(
        calls,
        0,
        `fn must not run when the signal is already aborted; yours called it ${calls} time(s)`,
      );
      assert.equal(sem.value, 1, `no permit taken: value should be 1; yours is ${sem.value}`);
    }),
  );
});

describe("task 3: BoundedSemaphore", () => {
  it(
    "BoundedSemaphore.release() throws RangeError when released too many times",
    withClock(async () => {
      const sem = new BoundedSemaphore(1);
      const permit = await sem.acquire();
      permit[Symbol.dispose]();
      throwsWith(
        () => sem.release(),
        { name: "RangeError" },
        "a second release of BoundedSemaphore(1)",
      );
      assert.equal(
        sem.value,
        1,
        `the refused release must not add a permit: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "BoundedSemaphore(2) runs at most 2 tasks at once, like a Semaphore",
    withClock(async (clock) => {
      const sem = new BoundedSemaphore(2);
      const probe = new ConcurrencyProbe("tasks");
      await Promise.all(Array.from({ length: 4 }, async (_, i) => {
        using _permit = await sem.acquire();
        await probe.run(`task ${i}`, () => sleep(100));
      }));
      probe.assertMaxAtMost(2);
      probe.assertMaxReached(2);
      assert.equal(
        clock.now(),
        200,
        `4 tasks of 100 ms, 2 at a time, end at t=200; yours at t=${clock.now()}`,
      );
    }),
  );
  it(
    "BoundedSemaphore allows releases that match acquires",
    withClock(async () => {
      const sem = new BoundedSemaphore(2);
      await sem.acquire();
      await sem.acquire();
      sem.release();
      sem.release();
      assert.equal(
        sem.value,
        2,
        `two acquires, two releases: value should be 2; yours is ${sem.value}`,
      );
      throwsWith(
        () => sem.release(),
        { name: "RangeError" },
        "a third release of BoundedSemaphore(2)",
      );
    }),
  );
});
