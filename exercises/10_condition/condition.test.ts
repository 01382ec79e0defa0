/**
 * Visible tests for 10_condition. Run them with `bun test exercises/10_condition` or
 * `deno test exercises/10_condition`. Time is virtual: `clock.now()` says exactly when things
 * happen.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, throwsWith, withClock } from "../../lib/mod.ts";
import { BoundedBuffer, Condition } from "./condition.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("Condition", () => {
  it("Condition.wait() releases the lock while waiting and has it back when it returns", withClock(async (clock) => {
    const cond = new Condition();
    const rec = new EventRecorder();
    const waiter = (async () => {
      using _lease = await cond.acquire(); // Python: async with cond:
      await cond.wait();
      rec.record("waiter resumed");
      assert.equal(cond.locked(), true, "wait() must return holding the lock");
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
      "wait() releases the lock so the notifier can take it; the waiter resumes only after the notifier lets go",
    );
    assert.equal(rec.firstAt("waiter resumed"), 50, "the waiter resumes when the notifier releases the lock (t=50), not at notify (t=10)");
    assert.equal(clock.now(), 50, "everything is over when the notifier releases the lock at t=50");
  }));

  it("Condition.notify(2) wakes exactly two waiters, oldest first", withClock(async () => {
    const cond = new Condition();
    const woken: string[] = [];
    const waiter = async (name: string) => {
      using _lease = await cond.acquire();
      await cond.wait();
      woken.push(name);
    };
    const waiters = ["a", "b", "c"].map(waiter);
    await sleep(1);
    {
      using _lease = await cond.acquire();
      cond.notify(2);
    }
    await sleep(1);
    assert.deepEqual(woken, ["a", "b"], "notify(2) wakes the two oldest waiters and nobody else");
    {
      using _lease = await cond.acquire();
      cond.notifyAll();
    }
    await Promise.all(waiters);
    assert.deepEqual(woken, ["a", "b", "c"], "notifyAll() wakes the last waiter, c");
  }));

  it("Condition.notify() without the lock throws InvalidStateError", withClock(() => {
    const cond = new Condition();
    throwsWith(() => cond.notify(), { name: "InvalidStateError" }, "cond.notify() without holding the lock");
  }));

  it("Condition.waitFor() returns at once when the predicate already holds", withClock(async (clock) => {
    const cond = new Condition();
    const queue = ["job"];
    using _lease = await cond.acquire();
    const length = await cond.waitFor(() => queue.length);
    assert.equal(length, 1, "waitFor returns the predicate's value");
    assert.equal(clock.now(), 0, "nobody will notify: waitFor must check the predicate before waiting");
  }));
});

describe("BoundedBuffer", () => {
  it("BoundedBuffer moves 1000 items from 3 producers to 2 consumers without deadlock", withClock(async () => {
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
    assert.equal(received.length, 1000, "every item must arrive");
    assert.equal(new Set(received).size, 1000, "no item may arrive twice");
    assert.ok(maxSize <= 5, "the buffer holds at most 5 items; yours held " + maxSize);
  }));
});
