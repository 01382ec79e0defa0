/**
 * Visible tests for 11_semaphore. Run them with `bun test exercises/11_semaphore` or
 * `deno test exercises/11_semaphore`. Time is virtual: `clock.now()` says exactly when things
 * happen, and a ConcurrencyProbe counts how many tasks run at once.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertTimeline, ConcurrencyProbe, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { BoundedSemaphore, Semaphore } from "./semaphore.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("Semaphore", () => {
  it("Semaphore(3) runs at most 3 of 10 tasks at once", withClock(async (clock) => {
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
    assert.equal(clock.now(), 4000);
  }));

  it("Semaphore.acquire() resolves with a permit that using gives back", withClock(async () => {
    const sem = new Semaphore(2);
    {
      using _permit = await sem.acquire();
      assert.equal(sem.value, 1, "one of the 2 permits is taken inside the block");
    }
    assert.equal(sem.value, 2, "leaving the block disposes the permit, which releases it");
  }));

  it("Semaphore.acquire() wakes waiters in FIFO order", withClock(async () => {
    const sem = new Semaphore(1);
    const order: string[] = [];
    const task = async (name: string) => {
      using _permit = await sem.acquire();
      order.push(name);
      await sleep(10);
    };
    await Promise.all(["a", "b", "c", "d"].map(task));
    assert.deepEqual(order, ["a", "b", "c", "d"], "waiters must get permits in the order they asked");
  }));

  it("Semaphore.tryAcquire() fails while a waiter is queued, even right after a release", withClock(async () => {
    const sem = new Semaphore(1);
    const first = await sem.acquire();
    const waiter = sem.acquire(); // queued: no permit left
    first[Symbol.dispose](); // the permit goes straight to the waiter...
    const sneaky = sem.tryAcquire(); // ...so a newcomer finds none
    assert.equal(sneaky, null, "no barging: the released permit belongs to the waiter, tryAcquire() must return null");
    (await waiter)[Symbol.dispose]();
    assert.equal(sem.value, 1);
  }));

  it("Semaphore.runExclusive() gives the permit back when fn throws", withClock(async () => {
    const sem = new Semaphore(1);
    await rejectsWith(sem.runExclusive(() => {
      throw new Error("boom");
    }), { message: "boom" }, "sem.runExclusive(fn that throws)");
    assert.equal(sem.value, 1, "a throwing fn must not keep the permit");
  }));
});

describe("BoundedSemaphore", () => {
  it("BoundedSemaphore.release() throws RangeError when released too many times", withClock(async () => {
    const sem = new BoundedSemaphore(1);
    const permit = await sem.acquire();
    permit[Symbol.dispose]();
    throwsWith(() => sem.release(), { name: "RangeError" }, "a second release of BoundedSemaphore(1)");
    assert.equal(sem.value, 1, "the failed release must not add a permit");
  }));
});
