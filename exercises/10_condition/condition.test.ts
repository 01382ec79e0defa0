/**
 * Visible tests for 10_condition. Run them with `bun test exercises/10_condition` or
 * `deno test exercises/10_condition`. Time is virtual: `clock.now()` says exactly when things
 * happen.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CONDITION,
  EventRecorder,
  rejectsWith,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { BoundedBuffer, Condition as LearnerCondition } from "./condition.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Condition = watched(LearnerCondition, CONDITION);
type Condition = LearnerCondition;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` holding the condition's lock. */
async function locked<T>(cond: Condition, fn: () => T): Promise<T> {
  using _lease = await cond.acquire();
  return fn();
}

describe("task 1: Condition.wait() and notify()", () => {
  it(
    "Condition.wait() releases the lock while waiting and has it back when it returns",
    withClock(async (clock) => {
      const cond = new Condition();
      const rec = new EventRecorder();
      let heldOnReturn = false;
      const waiter = (async () => {
        using _lease = await cond.acquire(); // Python: async with cond:
        await cond.wait();
        rec.record("waiter resumed");
        heldOnReturn = cond.locked();
      })();
      await sleep(10);
      {
        using _lease = await cond.acquire(); // possible only because wait() released the lock
        rec.record("notifier has the lock");
        cond.notify();
        await sleep(40); // the waiter cannot resume until the lock is released at t=50
      }
      await waiter;
      assert.deepEqual(
        rec.names(),
        ["notifier has the lock", "waiter resumed"],
        "wait() releases the lock so the notifier can take it; the waiter resumes only after the notifier lets go:\n" +
          rec.format(),
      );
      assert.equal(
        heldOnReturn,
        true,
        "wait() must return holding the lock; locked() was false when it returned",
      );
      assert.equal(
        rec.firstAt("waiter resumed"),
        50,
        "the waiter resumes when the notifier releases the lock (t=50), not at notify (t=10):\n" +
          rec.format(),
      );
      assert.equal(
        clock.now(),
        50,
        `everything is over when the notifier releases the lock at t=50; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "Condition.notify(2) wakes exactly two waiters, oldest first",
    withClock(async () => {
      const cond = new Condition();
      const woken: string[] = [];
      const waiter = async (name: string) => {
        using _lease = await cond.acquire();
        await cond.wait();
        woken.push(name);
      };
      const waiters = ["a", "b", "c"].map(waiter);
      await sleep(1);
      await locked(cond, () => cond.notify(2));
      await sleep(1);
      assert.deepEqual(
        woken,
        ["a", "b"],
        `notify(2) wakes the two oldest waiters and nobody else; yours woke [${woken}]`,
      );
      await locked(cond, () => cond.notifyAll());
      await Promise.all(waiters);
      assert.deepEqual(
        woken,
        ["a", "b", "c"],
        `notifyAll() wakes the last waiter, c; the order was [${woken}]`,
      );
    }),
  );

  it(
    "Condition.notify() without the lock throws InvalidStateError",
    withClock(() => {
      const cond = new Condition();
      throwsWith(
        () => cond.notify(),
        { name: "InvalidStateError" },
        "cond.notify() without holding the lock",
      );
    }),
  );

  it(
    "Condition.wait() without the lock fails with InvalidStateError",
    withClock(async () => {
      const cond = new Condition();
      await rejectsWith(
        () => cond.wait(),
        { name: "InvalidStateError" },
        "cond.wait() without holding the lock",
      );
      assert.equal(
        cond.locked(),
        false,
        "a failed wait() must not take the lock; locked() is true",
      );
    }),
  );

  it(
    "Condition.wait() aborted re-acquires the lock before it rejects",
    withClock(async (clock) => {
      const cond = new Condition();
      const ac = new AbortController();
      const reason = new Error("stop waiting");
      setTimeout(() => ac.abort(reason), 30);
      using _lease = await cond.acquire();
      await rejectsWith(
        cond.wait({ signal: ac.signal }),
        { is: reason },
        "cond.wait({ signal }) aborted at t=30",
      );
      assert.equal(
        clock.now(),
        30,
        `the wait ends when the signal aborts, at t=30; yours ended at t=${clock.now()}`,
      );
      assert.equal(
        cond.locked(),
        true,
        "after the aborted wait() the caller must hold the lock again (its using block releases it); locked() is false",
      );
    }),
  );

  it(
    "Condition.wait() aborted after notify() woke it rejects, and the wake-up goes to the next waiter",
    withClock(async () => {
      // The course-wide late-abort rule, as in CPython 3.13: the abort wins until wait() returns,
      // and the notify() it received is passed on instead of being lost.
      const cond = new Condition();
      const ac = new AbortController();
      const reason = new Error("a gave up");
      const log: string[] = [];
      const a = (async () => {
        using _lease = await cond.acquire();
        try {
          await cond.wait({ signal: ac.signal });
          log.push("a woken");
        } catch (error) {
          log.push(
            error === reason ? "a rejected with the reason" : `a rejected with ${String(error)}`,
          );
        }
      })();
      const b = (async () => {
        using _lease = await cond.acquire();
        await cond.wait();
        log.push("b woken");
      })();
      await sleep(1);
      await locked(cond, () => {
        cond.notify(1); // picks a...
        ac.abort(reason); // ...which gives up before it has run again
      });
      await sleep(5);
      assert.deepEqual(
        log,
        ["a rejected with the reason", "b woken"],
        `a's wait() must reject with the abort reason, and its wake-up must reach b; yours did [${log}]`,
      );
      await Promise.all([a, b]);
    }),
  );
  it(
    "Condition.notifyAll() wakes all three waiters",
    withClock(async () => {
      const cond = new Condition();
      const woken: string[] = [];
      const waiters = ["a", "b", "c"].map(async (name) => {
        using _lease = await cond.acquire();
        await cond.wait();
        woken.push(name);
      });
      await sleep(1);
      await locked(cond, () => cond.notifyAll());
      await Promise.all(waiters);
      assert.deepEqual(
        woken,
        ["a", "b", "c"],
        `notifyAll() wakes every waiter, oldest first; yours woke [${woken}]`,
      );
    }),
  );
});

describe("task 2: Condition.waitFor()", () => {
  it(
    "Condition.waitFor() returns at once when the predicate already holds",
    withClock(async (clock) => {
      const cond = new Condition();
      const queue = ["job"];
      using _lease = await cond.acquire();
      const length = await cond.waitFor(() => queue.length);
      assert.equal(
        length,
        1,
        `waitFor returns the predicate's value (1); yours returned ${String(length)}`,
      );
      assert.equal(
        clock.now(),
        0,
        "nobody will notify: waitFor must check the predicate before waiting",
      );
    }),
  );

  it(
    "Condition.waitFor() waits again until the predicate holds",
    withClock(async (clock) => {
      const cond = new Condition();
      let count = 0;
      const result = (async () => {
        using _lease = await cond.acquire();
        return await cond.waitFor(() => (count >= 2 ? `count is ${count}` : ""));
      })();
      for (let i = 0; i < 2; i++) {
        await sleep(10);
        await locked(cond, () => {
          count++;
          cond.notifyAll();
        });
      }
      const value = await result;
      assert.equal(
        value,
        "count is 2",
        `waitFor returns only when the predicate is truthy, with its value; yours returned ${
          JSON.stringify(value)
        }`,
      );
      assert.equal(
        clock.now(),
        20,
        `the second notify, at t=20, makes the predicate true; yours returned at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 3: BoundedBuffer", () => {
  it(
    "BoundedBuffer moves 1000 items from 3 producers to 2 consumers without deadlock",
    withClock(async () => {
      const buffer = new BoundedBuffer<string>(5);
      const received: string[] = [];
      let maxSize = 0;
      const producer = async (p: number) => {
        for (let i = 0; i < 333 + (p === 0 ? 1 : 0); i++) {
          await buffer.put(`p${p}-${i}`);
          maxSize = Math.max(maxSize, buffer.size);
        }
      };
      const consumer = async (count: number) => {
        for (let i = 0; i < count; i++) {
          received.push(await buffer.get());
          if (i % 7 === 0) await sleep(1);
        }
      };
      await Promise.all([producer(0), producer(1), producer(2), consumer(500), consumer(500)]);
      assert.equal(received.length, 1000, `every item must arrive; ${received.length} did`);
      assert.equal(new Set(received).size, 1000, "no item may arrive twice");
      assert.ok(maxSize <= 5, "the buffer holds at most 5 items; yours held " + maxSize);
    }),
  );

  it(
    "BoundedBuffer.put() waits while the buffer is full",
    withClock(async (clock) => {
      const buffer = new BoundedBuffer<string>(2);
      const rec = new EventRecorder();
      await buffer.put("a");
      await buffer.put("b");
      const third = buffer.put("c").then(() => rec.record("put c done"));
      setTimeout(() => void buffer.get(), 70);
      await third;
      assert.equal(
        rec.firstAt("put c done"),
        70,
        "put() into a full buffer waits for the get() at t=70:\n" + rec.format(),
      );
      assert.equal(
        buffer.size,
        2,
        `after one get and one more put, 2 items are in the buffer; yours holds ${buffer.size}`,
      );
      assert.equal(clock.now(), 70);
    }),
  );

  it(
    "BoundedBuffer.get() waits while the buffer is empty and keeps FIFO order",
    withClock(async (clock) => {
      const buffer = new BoundedBuffer<string>(3);
      setTimeout(() => void buffer.put("x").then(() => buffer.put("y")), 40);
      const first = await buffer.get();
      assert.equal(
        first,
        "x",
        `get() from an empty buffer waits for the first put ("x"); yours got ${
          JSON.stringify(first)
        }`,
      );
      assert.equal(
        clock.now(),
        40,
        `the first put happens at t=40; yours got an item at t=${clock.now()}`,
      );
      const second = await buffer.get();
      assert.equal(
        second,
        "y",
        `the second get() takes the second item ("y"); yours got ${JSON.stringify(second)}`,
      );
    }),
  );
  it(
    "BoundedBuffer.get() aborted while the buffer is empty rejects with the reason",
    withClock(async (clock) => {
      const buffer = new BoundedBuffer<number>(2);
      const ac = new AbortController();
      const reason = new Error("consumer left");
      setTimeout(() => ac.abort(reason), 25);
      await rejectsWith(
        buffer.get({ signal: ac.signal }),
        { is: reason },
        "buffer.get({ signal }) aborted at t=25",
      );
      assert.equal(
        clock.now(),
        25,
        `the get() ends when its signal aborts, at t=25; yours ended at t=${clock.now()}`,
      );
      await buffer.put(1);
      assert.equal(
        buffer.size,
        1,
        `the aborted get() took nothing: a later put leaves 1 item; the buffer holds ${buffer.size}`,
      );
    }),
  );

  it(
    "BoundedBuffer.put() aborted while an earlier put() holds the buffer adds nothing",
    withClock(async () => {
      const buffer = new BoundedBuffer<string>(4);
      const first = buffer.put("a"); // takes the buffer's lock at once
      const ac = new AbortController();
      const reason = new Error("producer left");
      const second = buffer.put("b", { signal: ac.signal }); // queues behind the first put
      ac.abort(reason);
      await first;
      await rejectsWith(
        second,
        { is: reason },
        'buffer.put("b", { signal }) aborted while it waited for its turn',
      );
      assert.equal(
        buffer.size,
        1,
        `only "a" was added: an aborted put() adds nothing, even when there is room; the buffer holds ${buffer.size} items`,
      );
      assert.equal(await buffer.get(), "a", 'the one item in the buffer is "a"');
    }),
  );
});
