/**
 * Visible tests for 08_lock. Run them with `bun test exercises/08_lock` or
 * `deno test exercises/08_lock`. Time is virtual: `clock.now()` says exactly when things happen.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { BankAccount, Lock } from "./lock.ts";

/** A lock that polls or spins fires thousands of timers; a correct one needs a few hundred. */
const BUDGET = { maxTimers: 1000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("Lock", () => {
  it("Lock keeps each worker's steps together: [1, 2, 3, 1, 2, 3, 1, 2, 3]", withClock(async (clock) => {
    // The classic asyncio example: three workers each append 1, 2, 3 with a 0.1 s sleep between
    // steps. Without the lock they interleave ([1, 1, 1, 2, 2, 2, 3, 3, 3]); with it, each
    // worker's three steps stay together.
    const lock = new Lock();
    const results: number[] = [];
    const worker = async () => {
      using _lease = await lock.acquire(); // Python: async with lock:
      for (let step = 1; step <= 3; step++) {
        results.push(step);
        await sleep(100);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    assert.deepEqual(results, [1, 2, 3, 1, 2, 3, 1, 2, 3], "each worker must finish its three steps before the next starts");
    assert.equal(clock.now(), 900, "three workers, one after the other, 300 ms each: 900 ms");
    assert.equal(lock.locked(), false, "the lock is free once every worker is done");
  }));

  it("Lock.acquire() resolves with a lease that using releases", withClock(async () => {
    const lock = new Lock();
    {
      using _lease = await lock.acquire();
      assert.equal(lock.locked(), true, "the lock is held inside the block");
    }
    assert.equal(lock.locked(), false, "leaving the block disposes the lease, which releases the lock");
  }));

  it("Lock.acquire() serves waiters in FIFO order", withClock(async () => {
    const lock = new Lock();
    const order: string[] = [];
    const task = async (name: string) => {
      using _lease = await lock.acquire();
      order.push(name);
      await sleep(10);
    };
    await Promise.all([task("a"), task("b"), task("c"), task("d")]);
    assert.deepEqual(order, ["a", "b", "c", "d"], "waiters must get the lock in the order they asked for it");
  }));

  it("Lock.release() throws InvalidStateError when the lock is not locked", withClock(() => {
    const lock = new Lock();
    throwsWith(() => lock.release(), { name: "InvalidStateError" }, "new Lock().release()");
  }));

  it("Lock.acquire() gives up with a TimeoutError through AbortSignal.timeout()", withClock(async (clock) => {
    // Python: await asyncio.wait_for(lock.acquire(), timeout=0.5)
    const lock = new Lock();
    const holder = lock.runExclusive(() => sleep(2000));
    await rejectsWith(
      lock.acquire({ signal: AbortSignal.timeout(500) }),
      { name: "TimeoutError" },
      "lock.acquire({ signal: AbortSignal.timeout(500) }) while the lock is held for 2 s",
    );
    assert.equal(clock.now(), 500, "the waiter should give up at t=500");
    await holder;
    assert.equal(lock.locked(), false, "the timed-out waiter must not end up holding the lock");
  }));

  it("Lock.runExclusive() makes 100 increments with a yield inside end at 100", withClock(BUDGET, async () => {
    const lock = new Lock();
    let counter = 0;
    const increment = () =>
      lock.runExclusive(async () => {
        const seen = counter;
        await sleep(1); // any await here lets other tasks run
        counter = seen + 1;
      });
    await Promise.all(Array.from({ length: 100 }, increment));
    assert.equal(counter, 100, "with the lock no increment may be lost");
  }));
});

describe("BankAccount", () => {
  it("BankAccount.withdraw() keeps 100 concurrent withdrawals exact", withClock(BUDGET, async (clock) => {
    const account = new BankAccount(1000, { latencyMs: 10 });
    const rec = new EventRecorder();
    const results = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const ok = await account.withdraw(10);
        rec.record("done");
        return ok;
      }),
    );
    assert.equal(account.balance, 0, "1000 - 100 x 10 = 0: a lost update leaves money in the account");
    assert.ok(results.every((ok) => ok), "every withdrawal of 10 from 1000 should succeed");
    assert.equal(clock.now(), 1000, "100 withdrawals of 10 ms each, one at a time: 1000 ms");
  }));
});
