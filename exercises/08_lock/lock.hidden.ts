/**
 * Hidden tests for 08_lock: run by the grader (`deno task grade 08`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ConcurrencyProbe,
  EventRecorder,
  isNotImplemented,
  LOCK,
  rejectsWith,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { BankAccount, Lock as LearnerLock } from "./lock.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Lock = watched(LearnerLock, LOCK);
type Lock = LearnerLock;

/** A lock that polls or spins fires thousands of timers; a correct one needs a few hundred. */
const BUDGET = { maxTimers: 1000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An AbortController whose signal counts the abort listeners added to it and not yet removed
 * (a listener added with `{ once: true }` counts as removed once the signal has aborted).
 */
function countingController(): { controller: AbortController; active: () => number } {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Map<unknown, boolean>(); // listener -> added with { once: true }
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  const active = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, active };
}

/** Calls `start()` and fails in the learner's terms if it throws synchronously instead of returning a promise. */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    assert.fail(
      `${what} must return a rejected promise, not throw synchronously; it threw ${String(error)}`,
    );
  }
}

describe("task 1: Lock", () => {
  it(
    "Lock.acquire() takes a free lock at once",
    withClock(async (clock) => {
      const lock = new Lock();
      const lease = await lock.acquire();
      assert.equal(
        lock.locked(),
        true,
        "after acquire() the lock must be held; locked() says false",
      );
      assert.equal(
        typeof lease?.[Symbol.dispose],
        "function",
        "acquire() must resolve with a Disposable lease (an object with [Symbol.dispose]())",
      );
      assert.equal(
        clock.now(),
        0,
        `a free lock is taken without waiting; yours took ${clock.now()} ms`,
      );
      assert.deepEqual(
        [...clock.trace, ...clock.pending()].map((timer) => `${timer.kind} ${timer.delay} ms`),
        [],
        "taking a free lock needs no timer (not even a 0 ms one); yours used the ones listed",
      );
      lock.release();
      assert.equal(
        lock.locked(),
        false,
        "release() must free a lock nobody waits for; locked() is still true",
      );
    }),
  );

  it(
    "Lock keeps each worker's three steps together in virtual time",
    withClock(async () => {
      const lock = new Lock();
      const rec = new EventRecorder<number>();
      const worker = async (id: number) => {
        using _lease = await lock.acquire();
        for (let step = 1; step <= 3; step++) {
          rec.record(`worker ${id}`, step);
          await sleep(100);
        }
      };
      await Promise.all([worker(1), worker(2), worker(3)]);
      const steps = rec.events.map((e) => e.detail);
      assert.deepEqual(
        steps,
        [1, 2, 3, 1, 2, 3, 1, 2, 3],
        `the classic example prints [1, 2, 3, 1, 2, 3, 1, 2, 3] with the lock; yours printed [${steps}]`,
      );
      assert.deepEqual(rec.events.map((e) => `${e.name}@${e.at}`), [
        "worker 1@0",
        "worker 1@100",
        "worker 1@200",
        "worker 2@300",
        "worker 2@400",
        "worker 2@500",
        "worker 3@600",
        "worker 3@700",
        "worker 3@800",
      ], "worker 2 starts when worker 1 releases at t=300, worker 3 at t=600:\n" + rec.format());
    }),
  );

  it(
    "Lock lets only one task at a time into the critical section",
    withClock(BUDGET, async () => {
      const lock = new Lock();
      const probe = new ConcurrencyProbe("tasks in the critical section");
      await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) => lock.runExclusive(() => probe.run(`task ${i}`, () => sleep(5 + (i % 3)))),
        ),
      );
      probe.assertMaxAtMost(1);
      assert.equal(
        probe.finished,
        20,
        `every one of the 20 tasks should have run once; ${probe.finished} did`,
      );
    }),
  );

  it(
    "Lock.acquire() wakes waiters in FIFO order",
    withClock(async () => {
      const lock = new Lock();
      const order: number[] = [];
      await lock.acquire();
      const waiters = [5, 1, 4, 2, 3].map(async (n) => {
        using _lease = await lock.acquire();
        order.push(n);
      });
      await sleep(10);
      lock.release();
      await Promise.all(waiters);
      assert.deepEqual(
        order,
        [5, 1, 4, 2, 3],
        `waiters must get the lock in the order they called acquire(); yours served [${order}]`,
      );
    }),
  );

  it(
    "Lock.release() hands the lock to a waiter before a newcomer can take it",
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
      // A newcomer arrives in the same tick, before the waiter has resumed.
      const newcomer = lock.acquire().then((lease) => {
        order.push("newcomer");
        lease[Symbol.dispose]();
      });
      await Promise.all([waiter, newcomer]);
      assert.deepEqual(
        order,
        ["waiter", "newcomer"],
        `no barging: a release hands the lock to the oldest waiter, and a newcomer queues behind it; yours served [${order}]`,
      );
    }),
  );

  it(
    "Lock.locked() stays true while the lock passes from one holder to the next",
    withClock(async () => {
      const lock = new Lock();
      await lock.acquire();
      const next = lock.acquire();
      await sleep(1);
      lock.release();
      assert.equal(
        lock.locked(),
        true,
        "release() handed the lock to the waiter: locked() must stay true; yours says false",
      );
      (await next)[Symbol.dispose]();
      assert.equal(lock.locked(), false, "after the last holder released, locked() must be false");
    }),
  );

  it(
    "Lock.release() throws InvalidStateError on a lock that is not held",
    withClock(async () => {
      const lock = new Lock();
      throwsWith(() => lock.release(), { name: "InvalidStateError" }, "new Lock().release()");
      await lock.acquire();
      lock.release();
      throwsWith(
        () => lock.release(),
        { name: "InvalidStateError" },
        "lock.release() a second time",
      );
      assert.equal(
        lock.locked(),
        false,
        "a failed release must not change the lock; locked() became true",
      );
      const lease = await lock.acquire();
      assert.equal(lock.locked(), true, "the lock must still work after a failed release");
      lease[Symbol.dispose]();
    }),
  );

  it(
    "Lock.acquire() lease releases only once when disposed twice",
    withClock(async () => {
      const lock = new Lock();
      const first = await lock.acquire();
      const second = lock.acquire();
      first[Symbol.dispose]();
      const held = await second;
      first[Symbol.dispose](); // must not release the second holder's lock
      assert.equal(
        lock.locked(),
        true,
        "disposing an old lease again must not release the lock someone else now holds; locked() became false",
      );
      held[Symbol.dispose]();
      assert.equal(lock.locked(), false, "the second holder's dispose must release the lock");
    }),
  );

  it(
    "Lock.acquire() rejects with the exact abort reason and leaves the queue",
    withClock(async (clock) => {
      const lock = new Lock();
      const rec = new EventRecorder();
      await lock.acquire();
      const ac = new AbortController();
      const reason = new Error("user gave up");
      const aborted = rejectsWith(
        lock.acquire({ signal: ac.signal }),
        { is: reason },
        "lock.acquire({ signal }) aborted while waiting",
      );
      const third = lock.acquire().then((lease) => {
        rec.record("third got the lock");
        lease[Symbol.dispose]();
      });
      setTimeout(() => ac.abort(reason), 50);
      setTimeout(() => lock.release(), 100);
      await aborted;
      await third;
      assert.equal(
        rec.firstAt("third got the lock"),
        100,
        "after the aborted waiter left, the release at t=100 must go to the next waiter",
      );
      assert.equal(
        clock.now(),
        100,
        `everything is over at t=100; yours ended at t=${clock.now()}`,
      );
      assert.equal(
        lock.locked(),
        false,
        "the aborted waiter must never hold the lock; locked() is true at the end",
      );
    }),
  );

  it(
    "Lock.acquire() aborted in the middle of the queue leaves it, and the others keep their order",
    withClock(async (clock) => {
      const lock = new Lock();
      const rec = new EventRecorder();
      await lock.acquire();
      const waiter = (name: string, signal?: AbortSignal) =>
        lock.acquire({ signal }).then(async (lease) => {
          rec.record(`${name} got the lock`);
          await sleep(10);
          lease[Symbol.dispose]();
        });
      const first = waiter("first");
      const ac = new AbortController();
      const reason = new Error("second gave up");
      const second = rejectsWith(
        waiter("second", ac.signal),
        { is: reason },
        "the second of three waiters, aborted while queued",
      );
      const third = waiter("third");
      const fourth = waiter("fourth");
      setTimeout(() => ac.abort(reason), 50);
      setTimeout(() => lock.release(), 100);
      await Promise.all([first, second, third, fourth]);
      assert.deepEqual(
        rec.names(),
        ["first got the lock", "third got the lock", "fourth got the lock"],
        `the aborted second waiter must leave the queue, the others keep their order; yours recorded [${rec.names()}]`,
      );
      assert.equal(
        clock.now(),
        130,
        `first, third and fourth hold the lock 10 ms each from t=100, ending at t=130; yours ended at t=${clock.now()}`,
      );
      assert.equal(lock.locked(), false, "every waiter is done: locked() must be false");
    }),
  );

  it(
    "Lock.acquire() with an aborted signal rejects at once and leaves the lock free",
    withClock(async () => {
      const lock = new Lock();
      const reason = new Error("already cancelled");
      await rejectsWith(
        lock.acquire({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "lock.acquire({ signal: already aborted }) on a free lock",
      );
      assert.equal(
        lock.locked(),
        false,
        "an aborted acquire must not take the lock; locked() is true",
      );
      await lock.acquire();
      await rejectsWith(
        lock.acquire({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "lock.acquire({ signal: already aborted }) on a held lock",
      );
      lock.release();
      assert.equal(
        lock.locked(),
        false,
        "the aborted call must not have queued: the release must free the lock",
      );
    }),
  );

  it(
    "Lock.acquire() aborted after release() handed it the lock rejects, and the lock goes to the next waiter",
    withClock(async () => {
      const lock = new Lock();
      const order: string[] = [];
      await lock.acquire();
      const ac = new AbortController();
      const reason = new Error("too late?");
      const second = lock.acquire({ signal: ac.signal }).then(
        (lease) => {
          order.push("second got the lock");
          lease[Symbol.dispose]();
        },
        (error) => {
          order.push("second rejected");
          assert.equal(
            error,
            reason,
            "the second acquire() must reject with the abort reason itself",
          );
        },
      );
      const third = lock.acquire().then((lease) => {
        order.push("third got the lock");
        assert.equal(lock.locked(), true, "the third waiter holds the lock");
        lease[Symbol.dispose]();
      });
      await sleep(1);
      lock.release(); // hands the lock to the second waiter...
      ac.abort(reason); // ...which has not resumed yet: the abort still wins
      await Promise.all([second, third]);
      assert.deepEqual(
        order,
        ["second rejected", "third got the lock"],
        `an abort before the waiter resumed wins (as in CPython): acquire() rejects and the lock goes to the next waiter; yours did [${order}]`,
      );
      assert.equal(lock.locked(), false, "everybody released: the lock must be free");
    }),
  );

  it(
    "Lock.acquire() aborted after the hand-over with nobody else waiting leaves the lock free",
    withClock(async () => {
      const lock = new Lock();
      await lock.acquire();
      const ac = new AbortController();
      const reason = new Error("gave up");
      const second = lock.acquire({ signal: ac.signal });
      await sleep(1);
      lock.release();
      ac.abort(reason);
      await rejectsWith(
        second,
        { is: reason },
        "acquire({ signal }) aborted right after release() handed it the lock",
      );
      assert.equal(
        lock.locked(),
        false,
        "the waiter gave the lock up and nobody else waits: locked() must be false",
      );
      const lease = await lock.acquire();
      assert.equal(lock.locked(), true, "a newcomer must be able to take the freed lock");
      lease[Symbol.dispose]();
    }),
  );

  it(
    "Lock.acquire() that already resolved keeps the lock when its signal aborts later",
    withClock(async () => {
      const lock = new Lock();
      await lock.acquire();
      const ac = new AbortController();
      const pending = lock.acquire({ signal: ac.signal });
      await sleep(1);
      lock.release();
      const lease = await pending;
      ac.abort(new Error("after the fact")); // the caller holds the lock: nothing to undo
      await sleep(1);
      assert.equal(
        lock.locked(),
        true,
        "once acquire() resolved, the caller holds the lock; a later abort must not release it",
      );
      lease[Symbol.dispose]();
      assert.equal(lock.locked(), false, "disposing the lease releases the lock");
      const free = new AbortController();
      const quick = await lock.acquire({ signal: free.signal });
      free.abort(new Error("after a free acquire"));
      await sleep(1);
      assert.equal(
        lock.locked(),
        true,
        "an abort after acquire() of a free lock resolved must not release it either",
      );
      quick[Symbol.dispose]();
    }),
  );

  it(
    "Lock.acquire() removes its abort listener on every path",
    withClock(async () => {
      const lock = new Lock();
      const free = countingController();
      (await lock.acquire({ signal: free.controller.signal }))[Symbol.dispose]();
      assert.equal(
        free.active(),
        0,
        `acquiring a free lock must leave no abort listener behind; ${free.active()} left`,
      );

      await lock.acquire();
      const waited = countingController();
      const pending = lock.acquire({ signal: waited.controller.signal });
      await sleep(1);
      lock.release();
      (await pending)[Symbol.dispose]();
      assert.equal(
        waited.active(),
        0,
        `a waiter that got the lock must remove its abort listener; ${waited.active()} left`,
      );

      await lock.acquire();
      const cancelled = countingController();
      const doomed = lock.acquire({ signal: cancelled.controller.signal });
      cancelled.controller.abort(new Error("stop"));
      await rejectsWith(doomed, { message: "stop" }, "lock.acquire({ signal }) aborted");
      assert.equal(
        cancelled.active(),
        0,
        `an aborted waiter must remove its abort listener; ${cancelled.active()} left`,
      );
      lock.release();
    }),
  );

  it(
    "Lock.acquire() with AbortSignal.timeout() rejects TimeoutError and the lock passes on",
    withClock(BUDGET, async (clock) => {
      const lock = new Lock();
      const rec = new EventRecorder();
      const holder = lock.runExclusive(() => sleep(1000));
      const impatient = rejectsWith(
        lock.acquire({ signal: AbortSignal.timeout(300) }),
        { name: "TimeoutError" },
        "lock.acquire({ signal: AbortSignal.timeout(300) })",
      ).then(() => rec.record("impatient gave up"));
      const patient = lock.runExclusive(() => rec.record("patient got the lock"));
      await Promise.all([holder, impatient, patient]);
      assert.equal(
        rec.firstAt("impatient gave up"),
        300,
        "the timeout fires at t=300:\n" + rec.format(),
      );
      assert.equal(
        rec.firstAt("patient got the lock"),
        1000,
        "the patient waiter gets the lock when the holder releases at t=1000:\n" + rec.format(),
      );
      assert.equal(
        clock.now(),
        1000,
        `everything is over at t=1000; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "Lock.acquire() with a generous AbortSignal.timeout() gets the lock in time",
    withClock(async (clock) => {
      const lock = new Lock();
      const holder = lock.runExclusive(() => sleep(200));
      const lease = await lock.acquire({ signal: AbortSignal.timeout(1000) });
      assert.equal(
        clock.now(),
        200,
        `the waiter gets the lock when the holder releases at t=200; yours got it at t=${clock.now()}`,
      );
      lease[Symbol.dispose]();
      await holder;
    }),
  );

  it(
    "Lock instances are independent",
    withClock(async () => {
      const a = new Lock();
      const b = new Lock();
      await a.acquire();
      const lease = await b.acquire();
      assert.equal(b.locked(), true, "holding one lock must not block another");
      lease[Symbol.dispose]();
      assert.equal(a.locked(), true, "releasing lock b must not release lock a");
      a.release();
    }),
  );
});

describe("task 2: Lock.runExclusive()", () => {
  it(
    "Lock.runExclusive() returns fn's value and releases",
    withClock(async () => {
      const lock = new Lock();
      let heldInside = false;
      const value = await lock.runExclusive(async () => {
        heldInside = lock.locked();
        await sleep(5);
        return "result";
      });
      assert.equal(heldInside, true, "fn must run while the lock is held");
      assert.equal(
        value,
        "result",
        `runExclusive() must resolve with fn's value; yours resolved with ${String(value)}`,
      );
      assert.equal(
        lock.locked(),
        false,
        "runExclusive() must release after fn; locked() is still true",
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
        "lock.runExclusive(fn that throws)",
      );
      assert.equal(
        lock.locked(),
        false,
        "a throwing fn must not keep the lock; locked() is still true",
      );
      const after = await lock.runExclusive(() => "still usable");
      assert.equal(after, "still usable", "one failure must not poison the lock for later callers");
    }),
  );

  it(
    "Lock.runExclusive() releases the lock when fn throws synchronously",
    withClock(async () => {
      const lock = new Lock();
      const boom = new Error("thrown before any await");
      await rejectsWith(
        () =>
          lock.runExclusive(() => {
            throw boom;
          }),
        { is: boom },
        "lock.runExclusive(() => { throw boom })",
      );
      assert.equal(
        lock.locked(),
        false,
        "a fn that throws synchronously must not keep the lock; locked() is still true",
      );
    }),
  );

  it(
    "Lock.runExclusive() passes the lock on after a failure to the next waiter",
    withClock(async () => {
      const lock = new Lock();
      const failing = lock.runExclusive(async () => {
        await sleep(10);
        throw new Error("first failed");
      }).catch((e: Error) => e.message);
      const next = lock.runExclusive(() => "second ran");
      const results = await Promise.all([failing, next]);
      assert.deepEqual(
        results,
        ["first failed", "second ran"],
        `after the first fn failed, the second must run; got [${results}]`,
      );
    }),
  );

  it(
    "Lock.runExclusive() with an aborted wait never runs fn",
    withClock(async () => {
      const lock = new Lock();
      let ran = false;
      const holder = lock.runExclusive(() => sleep(100));
      const reason = new Error("cancelled");
      const ac = new AbortController();
      setTimeout(() => ac.abort(reason), 10);
      await rejectsWith(
        lock.runExclusive(() => {
          ran = true;
        }, { signal: ac.signal }),
        { is: reason },
        "lock.runExclusive(fn, { signal }) aborted while waiting",
      );
      await holder;
      assert.equal(ran, false, "fn must not run when the wait for the lock was aborted");
      assert.equal(lock.locked(), false, "nobody holds the lock at the end; locked() is true");
    }),
  );

  it(
    "Lock.runExclusive() aborted after the hand-over never runs fn and passes the lock on",
    withClock(async () => {
      const lock = new Lock();
      const order: string[] = [];
      await lock.acquire();
      const ac = new AbortController();
      const reason = new Error("left before resuming");
      const aborted = rejectsWith(
        lock.runExclusive(() => {
          order.push("aborted fn ran");
        }, { signal: ac.signal }),
        { is: reason },
        "runExclusive(fn, { signal }) aborted right after release() handed it the lock",
      );
      const next = lock.runExclusive(() => {
        order.push("next fn ran");
      });
      await sleep(1);
      lock.release();
      ac.abort(reason);
      await aborted;
      await next;
      assert.deepEqual(
        order,
        ["next fn ran"],
        `the aborted call's fn must not run and the lock must go to the next call; yours did [${order}]`,
      );
    }),
  );

  it(
    "Lock.runExclusive() does not stop fn when the signal aborts after fn started",
    withClock(async (clock) => {
      const lock = new Lock();
      const ac = new AbortController();
      const rec = new EventRecorder();
      const running = lock.runExclusive(async () => {
        rec.record("fn started");
        await sleep(100);
        rec.record("fn finished");
        return "done";
      }, { signal: ac.signal });
      const waiter = lock.runExclusive(() => rec.record("next got the lock"));
      setTimeout(() => ac.abort(new Error("too late to cancel fn")), 50);
      assert.equal(
        await running,
        "done",
        "the signal bounds only the wait for the lock: runExclusive() must still resolve with fn's value",
      );
      await waiter;
      assert.deepEqual(
        rec.names(),
        ["fn started", "fn finished", "next got the lock"],
        "fn keeps the lock until it finishes; the abort at t=50 must not release it early:\n" +
          rec.format(),
      );
      assert.equal(
        rec.firstAt("next got the lock"),
        100,
        "the next caller gets the lock at t=100, when fn ends",
      );
      assert.equal(clock.now(), 100);
    }),
  );

  it(
    "Lock.runExclusive() keeps 100 read-yield-write increments exact",
    withClock(BUDGET, async () => {
      const lock = new Lock();
      let counter = 0;
      await Promise.all(Array.from({ length: 100 }, () =>
        lock.runExclusive(async () => {
          const seen = counter;
          await Promise.resolve();
          await sleep(0);
          counter = seen + 1;
        })));
      assert.equal(counter, 100, `no increment may be lost; the counter ended at ${counter}`);
    }),
  );
});

describe("task 3: BankAccount", () => {
  it(
    "BankAccount.withdraw() loses no update among 100 concurrent withdrawals",
    withClock(BUDGET, async (clock) => {
      const account = new BankAccount(1000, { latencyMs: 10 });
      const results = await Promise.all(Array.from({ length: 100 }, () => account.withdraw(10)));
      assert.equal(
        account.balance,
        0,
        "1000 - 100 x 10 must be exactly 0; yours left " + account.balance,
      );
      assert.equal(
        results.filter((ok) => ok).length,
        100,
        `all 100 withdrawals should resolve true; ${results.filter((ok) => ok).length} did`,
      );
      assert.equal(
        clock.now(),
        1000,
        `the withdrawals run one at a time: 100 x 10 ms = t=1000; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "BankAccount.withdraw() never overdraws under concurrency",
    withClock(BUDGET, async () => {
      const account = new BankAccount(1000, { latencyMs: 3 });
      const results = await Promise.all(Array.from({ length: 150 }, () => account.withdraw(10)));
      assert.equal(
        results.filter((ok) => ok).length,
        100,
        `exactly 100 of 150 withdrawals of 10 fit in 1000; ${
          results.filter((ok) => ok).length
        } resolved true`,
      );
      assert.equal(
        results.filter((ok) => !ok).length,
        50,
        "50 withdrawals should be refused (false)",
      );
      assert.equal(
        account.balance,
        0,
        `the balance must end at 0, never below; yours is ${account.balance}`,
      );
      assert.equal(
        results.slice(0, 100).every((ok) => ok),
        true,
        "the first 100 callers (FIFO) are the ones served",
      );
    }),
  );

  it(
    "BankAccount.withdraw() refuses an amount larger than the balance",
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
      assert.equal(
        await account.withdraw(50),
        true,
        "withdrawing exactly the balance (50 from 50) should resolve true",
      );
      assert.equal(
        account.balance,
        0,
        `after withdrawing 50 from 50 the balance is 0; yours is ${account.balance}`,
      );
    }),
  );

  it(
    "BankAccount.deposit() and withdraw() interleave without losing money",
    withClock(BUDGET, async () => {
      const account = new BankAccount(100, { latencyMs: 7 });
      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < 50; i++) {
        ops.push(account.deposit(3));
        ops.push(account.withdraw(2));
      }
      await Promise.all(ops);
      assert.equal(
        account.balance,
        150,
        `100 + 50 x 3 - 50 x 2 = 150; yours is ${account.balance}`,
      );
    }),
  );

  it(
    "BankAccount.deposit() adds under the lock, one round trip each",
    withClock(async (clock) => {
      const account = new BankAccount(0, { latencyMs: 25 });
      await Promise.all([account.deposit(5), account.deposit(7), account.deposit(8)]);
      assert.equal(account.balance, 20, `0 + 5 + 7 + 8 = 20; yours is ${account.balance}`);
      assert.equal(
        clock.now(),
        75,
        `three deposits of one 25 ms round trip each, one at a time, end at t=75; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "BankAccount operations wait 10 ms per round trip by default",
    withClock(async (clock) => {
      const account = new BankAccount(100);
      assert.equal(await account.withdraw(30), true);
      assert.equal(
        clock.now(),
        10,
        `one withdrawal with the default latency takes 10 ms; yours took ${clock.now()} ms`,
      );
      await account.deposit(5);
      assert.equal(
        clock.now(),
        20,
        `then one deposit takes 10 ms more; yours ended at t=${clock.now()}`,
      );
      assert.equal(account.balance, 75);
    }),
  );

  it(
    "BankAccount.withdraw() and deposit() reject bad amounts with RangeError as a rejected promise",
    withClock(async (clock) => {
      const account = new BankAccount(100);
      for (const amount of [-5, 0, Number.NaN, Infinity, -Infinity]) {
        await rejectsWith(
          callAsync(() => account.withdraw(amount), `account.withdraw(${amount})`),
          { name: "RangeError" },
          `account.withdraw(${amount})`,
        );
        await rejectsWith(callAsync(() => account.deposit(amount), `account.deposit(${amount})`), {
          name: "RangeError",
        }, `account.deposit(${amount})`);
      }
      assert.equal(
        account.balance,
        100,
        `refused amounts change nothing; the balance went from 100 to ${account.balance}`,
      );
      assert.equal(
        clock.now(),
        0,
        `a refused amount needs no round trip; yours took ${clock.now()} ms`,
      );
      assert.equal(await account.withdraw(0.5), true, "a fractional positive amount (0.5) is fine");
    }),
  );

  it(
    "BankAccount starts from its opening balance and refuses a negative or non-finite one",
    withClock(async () => {
      const empty = new BankAccount(0);
      assert.equal(await empty.withdraw(1), false, "an account opened with 0 cannot pay 1");
      await empty.deposit(4);
      assert.equal(
        empty.balance,
        4,
        `an account opened with 0, after a deposit of 4, holds 4; yours holds ${empty.balance}`,
      );
      for (const initial of [-1, Number.NaN, Infinity]) {
        throwsWith(
          () => new BankAccount(initial),
          { name: "RangeError" },
          `new BankAccount(${initial})`,
        );
      }
    }),
  );

  it(
    "BankAccount.withdraw() with an aborted wait changes nothing",
    withClock(async () => {
      const account = new BankAccount(100, { latencyMs: 50 });
      const first = account.withdraw(30);
      const reason = new Error("cancelled");
      const ac = new AbortController();
      setTimeout(() => ac.abort(reason), 10);
      await rejectsWith(
        account.withdraw(30, { signal: ac.signal }),
        { is: reason },
        "account.withdraw(30, { signal }) aborted while queued",
      );
      assert.equal(await first, true, "the first withdrawal must go through");
      assert.equal(
        account.balance,
        70,
        `only the first withdrawal went through: 70; yours is ${account.balance}`,
      );
    }),
  );

  it(
    "BankAccount.deposit() with an aborted wait rejects with the reason and changes nothing",
    withClock(async (clock) => {
      const account = new BankAccount(100, { latencyMs: 50 });
      const first = account.deposit(10);
      const reason = new Error("cancelled");
      const ac = new AbortController();
      setTimeout(() => ac.abort(reason), 10);
      await rejectsWith(
        account.deposit(5, { signal: ac.signal }),
        { is: reason },
        "account.deposit(5, { signal }) aborted while it waits for the lock",
      );
      assert.equal(
        clock.now(),
        10,
        `the aborted deposit rejects when its signal aborts, at t=10; yours settled at t=${clock.now()}`,
      );
      await first;
      assert.equal(
        account.balance,
        110,
        `only the first deposit went through: 110; yours is ${account.balance}`,
      );
      await rejectsWith(
        account.deposit(5, { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "account.deposit(5, { signal }) with an already aborted signal",
      );
      assert.equal(
        account.balance,
        110,
        `a deposit whose signal was already aborted changes nothing; the balance went to ${account.balance}`,
      );
    }),
  );

  it(
    "BankAccount.withdraw() aborted during its own round trip still completes",
    withClock(async () => {
      const account = new BankAccount(100, { latencyMs: 50 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error("too late")), 20);
      assert.equal(
        await account.withdraw(30, { signal: ac.signal }),
        true,
        "the signal bounds only the wait for the lock: a withdrawal already inside its critical section must complete",
      );
      assert.equal(
        account.balance,
        70,
        `the withdrawal went through: 70; yours is ${account.balance}`,
      );
    }),
  );
});
