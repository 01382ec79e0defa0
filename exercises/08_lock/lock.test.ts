/**
 * Visible tests for 08_lock. Run them with `bun test exercises/08_lock` or
 * `deno test exercises/08_lock`. Time is virtual: `clock.now()` says exactly when things happen.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, LOCK, rejectsWith, throwsWith, watched, withClock } from "../../lib/mod.ts";
import { BankAccount, Lock as LearnerLock } from "./lock.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Lock = watched(LearnerLock, LOCK);
type Lock = LearnerLock;

/** A lock that polls or spins fires thousands of timers; a correct one needs a few hundred. */
const BUDGET = { maxTimers: 1000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("task 1: Lock", () => {
  it(
    "Lock keeps each worker's steps together: [1, 2, 3, 1, 2, 3, 1, 2, 3]",
    withClock(async (clock) => {
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
      assert.deepEqual(
        results,
        [1, 2, 3, 1, 2, 3, 1, 2, 3],
        `each worker must finish its three steps before the next starts; yours appended [${results}]`,
      );
      assert.equal(
        clock.now(),
        900,
        `three workers, one after the other, 300 ms each, end at t=900; yours ended at t=${clock.now()}`,
      );
      assert.equal(
        lock.locked(),
        false,
        "the lock must be free once every worker is done; locked() is still true",
      );
    }),
  );

  it(
    "Lock.acquire() resolves with a lease that using releases",
    withClock(async () => {
      const lock = new Lock();
      {
        using _lease = await lock.acquire();
        assert.equal(
          lock.locked(),
          true,
          "locked() must be true inside the using block; yours says false",
        );
      }
      assert.equal(
        lock.locked(),
        false,
        "leaving the using block disposes the lease, which must release the lock; locked() is still true",
      );
    }),
  );

  it(
    "Lock.acquire() serves waiters in FIFO order",
    withClock(async () => {
      const lock = new Lock();
      const order: string[] = [];
      const task = async (name: string) => {
        using _lease = await lock.acquire();
        order.push(name);
        await sleep(10);
      };
      await Promise.all([task("a"), task("b"), task("c"), task("d")]);
      assert.deepEqual(
        order,
        ["a", "b", "c", "d"],
        `waiters must get the lock in the order they asked for it; yours served [${order}]`,
      );
    }),
  );

  it(
    "Lock.release() hands the lock to the waiter: a newcomer queues behind it",
    withClock(async () => {
      const lock = new Lock();
      const order: string[] = [];
      await lock.acquire();
      const waiter = lock.acquire().then((lease) => {
        order.push("waiter");
        lease[Symbol.dispose]();
      });
      await sleep(1);
      lock.release();
      assert.equal(
        lock.locked(),
        true,
        "release() hands the lock straight to the waiter, so locked() stays true; yours says false",
      );
      const newcomer = lock.acquire().then((lease) => {
        order.push("newcomer");
        lease[Symbol.dispose]();
      });
      await Promise.all([waiter, newcomer]);
      assert.deepEqual(
        order,
        ["waiter", "newcomer"],
        `no barging: the waiter gets the lock before a newcomer; yours served [${order}]`,
      );
    }),
  );

  it(
    "Lock.release() throws InvalidStateError when the lock is not locked",
    withClock(() => {
      const lock = new Lock();
      throwsWith(() => lock.release(), { name: "InvalidStateError" }, "new Lock().release()");
    }),
  );

  it(
    "Lock.acquire() with an already aborted signal rejects at once, even when the lock is free",
    withClock(async () => {
      const lock = new Lock();
      const reason = new Error("already cancelled");
      await rejectsWith(
        lock.acquire({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "new Lock().acquire({ signal: AbortSignal.abort(reason) })",
      );
      assert.equal(
        lock.locked(),
        false,
        "an aborted acquire() must not take the lock; locked() is true",
      );
    }),
  );

  it(
    "Lock.acquire() gives up with a TimeoutError through AbortSignal.timeout()",
    withClock(async (clock) => {
      // Python: await asyncio.wait_for(lock.acquire(), timeout=0.5)
      const lock = new Lock();
      const holder = lock.runExclusive(() => sleep(2000));
      await rejectsWith(
        lock.acquire({ signal: AbortSignal.timeout(500) }),
        { name: "TimeoutError" },
        "lock.acquire({ signal: AbortSignal.timeout(500) }) while the lock is held for 2 s",
      );
      assert.equal(
        clock.now(),
        500,
        `the waiter should give up at t=500; yours gave up at t=${clock.now()}`,
      );
      await holder;
      assert.equal(
        lock.locked(),
        false,
        "the timed-out waiter must not end up holding the lock; locked() is true at the end",
      );
    }),
  );

  it(
    "Lock.acquire() aborted right after release() handed it the lock rejects, and the next waiter gets the lock",
    withClock(async () => {
      // The course-wide late-abort rule, as in CPython: the abort wins until the waiter resumes.
      const lock = new Lock();
      const rec = new EventRecorder();
      await lock.acquire();
      const ac = new AbortController();
      const reason = new Error("second gave up");
      const second = lock.acquire({ signal: ac.signal });
      const third = lock.acquire().then((lease) => {
        rec.record("third got the lock");
        lease[Symbol.dispose]();
      });
      await sleep(1);
      lock.release(); // hands the lock to the second waiter...
      ac.abort(reason); // ...which gives up before it has resumed
      await rejectsWith(
        second,
        { is: reason },
        "the second acquire({ signal }), aborted right after release() handed it the lock",
      );
      await third;
      assert.deepEqual(
        rec.names(),
        ["third got the lock"],
        "the lock the second waiter gave up must go to the third waiter",
      );
      assert.equal(
        lock.locked(),
        false,
        "the third waiter released the lock, so it must be free; locked() is true",
      );
    }),
  );
});

describe("task 2: Lock.runExclusive()", () => {
  it(
    "Lock.runExclusive() resolves with fn's value and releases the lock",
    withClock(async () => {
      const lock = new Lock();
      const value = await lock.runExclusive(async () => {
        await sleep(5);
        return 42;
      });
      assert.equal(
        value,
        42,
        `runExclusive() must resolve with what fn returned (42); yours resolved with ${
          String(value)
        }`,
      );
      assert.equal(
        lock.locked(),
        false,
        "runExclusive() must release the lock after fn; locked() is still true",
      );
    }),
  );

  it(
    "Lock.runExclusive() makes 100 increments with a yield inside end at 100",
    withClock(BUDGET, async () => {
      const lock = new Lock();
      let counter = 0;
      const increment = () =>
        lock.runExclusive(async () => {
          const seen = counter;
          await sleep(1); // any await here lets other tasks run
          counter = seen + 1;
        });
      await Promise.all(Array.from({ length: 100 }, increment));
      assert.equal(
        counter,
        100,
        `with the lock no increment may be lost; the counter ended at ${counter}`,
      );
    }),
  );

  it(
    "Lock.runExclusive() releases the lock when fn throws",
    withClock(async () => {
      const lock = new Lock();
      const boom = new Error("boom");
      await rejectsWith(
        lock.runExclusive(async () => {
          await sleep(5);
          throw boom;
        }),
        { is: boom },
        "lock.runExclusive(fn that throws boom)",
      );
      assert.equal(
        lock.locked(),
        false,
        "a throwing fn must not keep the lock; locked() is still true",
      );
      assert.equal(
        await lock.runExclusive(() => "next"),
        "next",
        "the next runExclusive() must run and return fn's value",
      );
    }),
  );
});

describe("task 3: BankAccount", () => {
  it(
    "BankAccount.withdraw() keeps 100 concurrent withdrawals exact",
    withClock(BUDGET, async (clock) => {
      const account = new BankAccount(1000, { latencyMs: 10 });
      const results = await Promise.all(Array.from({ length: 100 }, () => account.withdraw(10)));
      assert.equal(
        account.balance,
        0,
        `1000 - 100 x 10 = 0; yours left ${account.balance} (each lost update leaves 10 in the account)`,
      );
      assert.ok(results.every((ok) => ok), "every withdrawal of 10 from 1000 should resolve true");
      assert.equal(
        clock.now(),
        1000,
        `100 withdrawals of 10 ms each, one at a time, end at t=1000; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "BankAccount.withdraw() resolves false and changes nothing when the balance is too low",
    withClock(async () => {
      const account = new BankAccount(50);
      assert.equal(
        await account.withdraw(80),
        false,
        "withdrawing 80 from 50 should resolve false",
      );
      assert.equal(
        account.balance,
        50,
        `a refused withdrawal changes nothing; the balance went from 50 to ${account.balance}`,
      );
    }),
  );

  it(
    "BankAccount.withdraw() that the balance cannot cover still takes its round trip",
    withClock(async (clock) => {
      const account = new BankAccount(10, { latencyMs: 20 });
      const refused = account.withdraw(25);
      const deposit = account.deposit(5);
      assert.equal(await refused, false, "withdrawing 25 from 10 should resolve false");
      assert.equal(
        clock.now(),
        20,
        `a refused withdrawal still reads the balance and waits its 20 ms round trip; yours resolved at t=${clock.now()}`,
      );
      await deposit;
      assert.equal(
        clock.now(),
        40,
        `the deposit queued behind the refused withdrawal starts at t=20 and ends at t=40; yours ended at t=${clock.now()}`,
      );
      assert.equal(account.balance, 15, `10 + 5 = 15; yours is ${account.balance}`);
    }),
  );

  it(
    "BankAccount.withdraw() and deposit() reject an amount that is not positive with RangeError",
    withClock(async () => {
      const account = new BankAccount(100);
      await rejectsWith(() => account.withdraw(-5), { name: "RangeError" }, "account.withdraw(-5)");
      await rejectsWith(() => account.deposit(0), { name: "RangeError" }, "account.deposit(0)");
      assert.equal(
        account.balance,
        100,
        `refused amounts change nothing; the balance went from 100 to ${account.balance}`,
      );
    }),
  );
});
