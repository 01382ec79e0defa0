/**
 * Hidden tests for 08_lock: run by the grader (`deno task grade 06`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { BankAccount, Lock } from "./lock.ts";

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
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
    if (type === "abort") live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
    add(type, listener, opts as AddEventListenerOptions);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, opts as EventListenerOptions);
  }) as typeof signal.removeEventListener;
  const active = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, active };
}

describe("Lock", () => {
  it("Lock.acquire() takes a free lock at once", withClock(async (clock) => {
    const lock = new Lock();
    const lease = await lock.acquire();
    assert.equal(lock.locked(), true, "after acquire() the lock is held");
    assert.equal(typeof lease[Symbol.dispose], "function", "acquire() should resolve with a Disposable lease");
    assert.equal(clock.now(), 0, "a free lock is taken without waiting");
    lock.release();
    assert.equal(lock.locked(), false, "release() frees a lock nobody waits for");
  }));

  it("Lock keeps each worker's three steps together in virtual time", withClock(async () => {
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
    assert.deepEqual(rec.events.map((e) => e.detail), [1, 2, 3, 1, 2, 3, 1, 2, 3],
      "the classic example prints [1, 2, 3, 1, 2, 3, 1, 2, 3] with the lock");
    assert.deepEqual(rec.events.map((e) => `${e.name}@${e.at}`), [
      "worker 1@0", "worker 1@100", "worker 1@200",
      "worker 2@300", "worker 2@400", "worker 2@500",
      "worker 3@600", "worker 3@700", "worker 3@800",
    ], "worker 2 starts when worker 1 releases at t=300, worker 3 at t=600");
  }));

  it("Lock lets only one task at a time into the critical section", withClock(BUDGET, async () => {
    const lock = new Lock();
    const probe = new ConcurrencyProbe("tasks in the critical section");
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      lock.runExclusive(() => probe.run(`task ${i}`, () => sleep(5 + (i % 3))))
    ));
    probe.assertMaxAtMost(1);
    assert.equal(probe.finished, 20, "every task should have run once");
  }));

  it("Lock.acquire() wakes waiters in FIFO order", withClock(async () => {
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
    assert.deepEqual(order, [5, 1, 4, 2, 3], "waiters must get the lock in the order they called acquire()");
  }));

  it("Lock.release() hands the lock to a waiter before a newcomer can take it", withClock(async () => {
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
    assert.deepEqual(order, ["waiter", "newcomer"],
      "no barging: a release hands the lock to the oldest waiter; a newcomer queues behind it");
  }));

  it("Lock.locked() stays true while the lock passes from one holder to the next", withClock(async () => {
    const lock = new Lock();
    await lock.acquire();
    const next = lock.acquire();
    await sleep(1);
    lock.release();
    assert.equal(lock.locked(), true, "release() handed the lock to the waiter: it is still locked");
    (await next)[Symbol.dispose]();
    assert.equal(lock.locked(), false);
  }));

  it("Lock.release() throws InvalidStateError on a lock that is not held", withClock(async () => {
    const lock = new Lock();
    throwsWith(() => lock.release(), { name: "InvalidStateError" }, "new Lock().release()");
    await lock.acquire();
    lock.release();
    throwsWith(() => lock.release(), { name: "InvalidStateError" }, "lock.release() a second time");
    assert.equal(lock.locked(), false, "a failed release must not change the lock");
  }));

  it("Lock.acquire() lease releases only once when disposed twice", withClock(async () => {
    const lock = new Lock();
    const first = await lock.acquire();
    const second = lock.acquire();
    first[Symbol.dispose]();
    const held = await second;
    first[Symbol.dispose](); // must not release the second holder's lock
    assert.equal(lock.locked(), true, "disposing an old lease again must not release the lock someone else now holds");
    held[Symbol.dispose]();
    assert.equal(lock.locked(), false);
  }));

  it("Lock.acquire() rejects with the exact abort reason and leaves the queue", withClock(async (clock) => {
    const lock = new Lock();
    const rec = new EventRecorder();
    await lock.acquire();
    const ac = new AbortController();
    const reason = new Error("user gave up");
    const aborted = rejectsWith(lock.acquire({ signal: ac.signal }), { is: reason }, "lock.acquire({ signal }) aborted while waiting");
    const third = lock.acquire().then((lease) => {
      rec.record("third got the lock");
      lease[Symbol.dispose]();
    });
    setTimeout(() => ac.abort(reason), 50);
    setTimeout(() => lock.release(), 100);
    await aborted;
    await third;
    assert.equal(rec.firstAt("third got the lock"), 100, "after the aborted waiter left, the release at t=100 goes to the next waiter");
    assert.equal(clock.now(), 100);
    assert.equal(lock.locked(), false, "the aborted waiter must never hold the lock");
  }));

  it("Lock.acquire() with an aborted signal rejects at once and leaves the lock free", withClock(async () => {
    const lock = new Lock();
    const reason = new Error("already cancelled");
    await rejectsWith(lock.acquire({ signal: AbortSignal.abort(reason) }), { is: reason }, "lock.acquire({ signal: aborted })");
    assert.equal(lock.locked(), false, "an aborted acquire must not take the lock");
  }));

  it("Lock.acquire() ignores an abort that comes after the lock was handed over", withClock(async () => {
    const lock = new Lock();
    const order: string[] = [];
    await lock.acquire();
    const ac = new AbortController();
    const second = lock.acquire({ signal: ac.signal });
    const third = lock.acquire().then((lease) => {
      order.push("third");
      lease[Symbol.dispose]();
    });
    await sleep(1);
    lock.release(); // hands the lock to the second waiter...
    ac.abort(new Error("too late")); // ...so this abort changes nothing
    const lease = await second;
    order.push("second");
    assert.equal(lock.locked(), true);
    lease[Symbol.dispose]();
    await third;
    assert.deepEqual(order, ["second", "third"],
      "once handed the lock, the second waiter keeps it; the third waiter must still get it afterwards");
  }));

  it("Lock.acquire() removes its abort listener on every path", withClock(async () => {
    const lock = new Lock();
    const free = countingController();
    (await lock.acquire({ signal: free.controller.signal }))[Symbol.dispose]();
    assert.equal(free.active(), 0, "acquiring a free lock must leave no abort listener behind");

    await lock.acquire();
    const waited = countingController();
    const pending = lock.acquire({ signal: waited.controller.signal });
    await sleep(1);
    lock.release();
    (await pending)[Symbol.dispose]();
    assert.equal(waited.active(), 0, "a waiter that got the lock must remove its abort listener");

    await lock.acquire();
    const cancelled = countingController();
    const doomed = lock.acquire({ signal: cancelled.controller.signal });
    cancelled.controller.abort(new Error("stop"));
    await rejectsWith(doomed, { message: "stop" }, "lock.acquire({ signal }) aborted");
    assert.equal(cancelled.active(), 0, "an aborted waiter must remove its abort listener");
    lock.release();
  }));

  it("Lock.acquire() with AbortSignal.timeout() rejects TimeoutError and the lock passes on", withClock(BUDGET, async (clock) => {
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
    assert.equal(rec.firstAt("impatient gave up"), 300, "the timeout fires at t=300");
    assert.equal(rec.firstAt("patient got the lock"), 1000, "the patient waiter gets the lock when the holder releases at t=1000");
    assert.equal(clock.now(), 1000);
  }));

  it("Lock.acquire() with a generous AbortSignal.timeout() gets the lock in time", withClock(async (clock) => {
    const lock = new Lock();
    const holder = lock.runExclusive(() => sleep(200));
    const lease = await lock.acquire({ signal: AbortSignal.timeout(1000) });
    assert.equal(clock.now(), 200, "the waiter gets the lock when the holder releases at t=200");
    lease[Symbol.dispose]();
    await holder;
  }));

  it("Lock.runExclusive() returns fn's value and releases", withClock(async () => {
    const lock = new Lock();
    const value = await lock.runExclusive(async () => {
      assert.equal(lock.locked(), true, "fn runs while the lock is held");
      await sleep(5);
      return "result";
    });
    assert.equal(value, "result");
    assert.equal(lock.locked(), false, "runExclusive releases after fn");
  }));

  it("Lock.runExclusive() releases the lock when fn throws", withClock(async () => {
    const lock = new Lock();
    const boom = new Error("boom");
    await rejectsWith(lock.runExclusive(async () => {
      await sleep(5);
      throw boom;
    }), { is: boom }, "lock.runExclusive(fn that throws)");
    assert.equal(lock.locked(), false, "a throwing fn must not keep the lock");
    const after = await lock.runExclusive(() => "still usable");
    assert.equal(after, "still usable", "one failure must not poison the lock for later callers");
  }));

  it("Lock.runExclusive() passes the lock on after a failure to the next waiter", withClock(async () => {
    const lock = new Lock();
    const failing = lock.runExclusive(async () => {
      await sleep(10);
      throw new Error("first failed");
    }).catch((e: Error) => e.message);
    const next = lock.runExclusive(() => "second ran");
    assert.deepEqual(await Promise.all([failing, next]), ["first failed", "second ran"]);
  }));

  it("Lock.runExclusive() with an aborted wait never runs fn", withClock(async () => {
    const lock = new Lock();
    let ran = false;
    const holder = lock.runExclusive(() => sleep(100));
    const reason = new Error("cancelled");
    const ac = new AbortController();
    setTimeout(() => ac.abort(reason), 10);
    await rejectsWith(lock.runExclusive(() => {
      ran = true;
    }, { signal: ac.signal }), { is: reason }, "lock.runExclusive(fn, { signal }) aborted while waiting");
    await holder;
    assert.equal(ran, false, "fn must not run when the wait for the lock was aborted");
    assert.equal(lock.locked(), false);
  }));

  it("Lock.runExclusive() keeps 100 read-yield-write increments exact", withClock(BUDGET, async () => {
    const lock = new Lock();
    let counter = 0;
    await Promise.all(Array.from({ length: 100 }, () =>
      lock.runExclusive(async () => {
        const seen = counter;
        await Promise.resolve();
        await sleep(0);
        counter = seen + 1;
      })
    ));
    assert.equal(counter, 100, "no increment may be lost");
  }));

  it("Lock instances are independent", withClock(async () => {
    const a = new Lock();
    const b = new Lock();
    await a.acquire();
    const lease = await b.acquire();
    assert.equal(b.locked(), true, "holding one lock must not block another");
    lease[Symbol.dispose]();
    a.release();
  }));
});

describe("BankAccount", () => {
  it("BankAccount.withdraw() loses no update among 100 concurrent withdrawals", withClock(BUDGET, async (clock) => {
    const account = new BankAccount(1000, { latencyMs: 10 });
    const results = await Promise.all(Array.from({ length: 100 }, () => account.withdraw(10)));
    assert.equal(account.balance, 0, "1000 - 100 x 10 must be exactly 0; yours left " + account.balance);
    assert.equal(results.filter((ok) => ok).length, 100, "all 100 withdrawals should succeed");
    assert.equal(clock.now(), 1000, "the withdrawals run one at a time: 100 x 10 ms");
  }));

  it("BankAccount.withdraw() never overdraws under concurrency", withClock(BUDGET, async () => {
    const account = new BankAccount(1000, { latencyMs: 3 });
    const results = await Promise.all(Array.from({ length: 150 }, () => account.withdraw(10)));
    assert.equal(results.filter((ok) => ok).length, 100, "exactly 100 of 150 withdrawals of 10 fit in 1000");
    assert.equal(results.filter((ok) => !ok).length, 50, "50 withdrawals should be refused (false)");
    assert.equal(account.balance, 0, "the balance must end at 0, never below");
    assert.deepEqual(results.slice(0, 100).every((ok) => ok), true, "the first 100 callers (FIFO) are the ones served");
  }));

  it("BankAccount.withdraw() refuses an amount larger than the balance", withClock(async () => {
    const account = new BankAccount(50);
    assert.equal(await account.withdraw(80), false, "withdrawing 80 from 50 should resolve false");
    assert.equal(account.balance, 50, "a refused withdrawal changes nothing");
  }));

  it("BankAccount.deposit() and withdraw() interleave without losing money", withClock(BUDGET, async () => {
    const account = new BankAccount(100, { latencyMs: 7 });
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      ops.push(account.deposit(3));
      ops.push(account.withdraw(2));
    }
    await Promise.all(ops);
    assert.equal(account.balance, 150, "100 + 50 x 3 - 50 x 2 = 150");
  }));

  it("BankAccount.withdraw() rejects a non-positive amount with RangeError", withClock(async () => {
    const account = new BankAccount(100);
    await rejectsWith(() => account.withdraw(-5), { name: "RangeError" }, "account.withdraw(-5)");
    await rejectsWith(() => account.deposit(0), { name: "RangeError" }, "account.deposit(0)");
    assert.equal(account.balance, 100);
  }));

  it("BankAccount.withdraw() with an aborted wait changes nothing", withClock(async () => {
    const account = new BankAccount(100, { latencyMs: 50 });
    const first = account.withdraw(30);
    const reason = new Error("cancelled");
    const ac = new AbortController();
    setTimeout(() => ac.abort(reason), 10);
    await rejectsWith(account.withdraw(30, { signal: ac.signal }), { is: reason }, "account.withdraw(30, { signal }) aborted while queued");
    assert.equal(await first, true);
    assert.equal(account.balance, 70, "only the first withdrawal went through");
  }));
});
