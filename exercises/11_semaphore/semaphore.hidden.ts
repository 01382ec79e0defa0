/**
 * Hidden tests for 11_semaphore: run by the grader (`deno task grade 09`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertTimeline, ConcurrencyProbe, EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { BoundedSemaphore, Semaphore } from "./semaphore.ts";

/** A semaphore that polls fires thousands of timers; a correct one needs a few dozen. */
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

describe("Semaphore", () => {
  it("Semaphore(3) keeps at most 3 of 10 tasks running and reaches 3", withClock(BUDGET, async (clock) => {
    const sem = new Semaphore(3);
    const probe = new ConcurrencyProbe("tasks");
    await Promise.all(Array.from({ length: 10 }, (_, i) =>
      sem.runExclusive(() => probe.run(`task ${i}`, () => sleep(1000)))
    ));
    probe.assertMaxAtMost(3);
    probe.assertMaxReached(3);
    assert.equal(probe.finished, 10, "all 10 tasks should run");
    assert.equal(clock.now(), 4000, "10 one-second tasks, 3 at a time: 4 rounds, 4000 ms");
  }));

  it("Semaphore starts a waiting task the moment a permit frees up", withClock(BUDGET, async () => {
    const sem = new Semaphore(2);
    const probe = new ConcurrencyProbe("tasks");
    const durations = [300, 100, 200, 100, 50];
    await Promise.all(durations.map((ms, i) =>
      sem.runExclusive(() => probe.run(`task ${i}`, () => sleep(ms)))
    ));
    assertTimeline(probe.timeline, [
      { label: "task 0", start: 0, end: 300 },
      { label: "task 1", start: 0, end: 100 },
      { label: "task 2", start: 100, end: 300 },
      { label: "task 3", start: 300, end: 400 },
      { label: "task 4", start: 300, end: 350 },
    ], "Semaphore(2) over tasks of 300, 100, 200, 100, 50 ms");
  }));

  it("Semaphore.value counts free permits", withClock(async () => {
    const sem = new Semaphore(3);
    assert.equal(sem.value, 3);
    const a = await sem.acquire();
    const b = await sem.acquire();
    assert.equal(sem.value, 1, "two of three permits taken");
    a[Symbol.dispose]();
    b[Symbol.dispose]();
    assert.equal(sem.value, 3, "both given back");
  }));

  it("Semaphore.locked() is true when acquire() would wait", withClock(async () => {
    const sem = new Semaphore(1);
    assert.equal(sem.locked(), false, "a free permit: acquire() would not wait");
    const permit = await sem.acquire();
    assert.equal(sem.locked(), true, "no permit left: acquire() would wait");
    permit[Symbol.dispose]();
    assert.equal(sem.locked(), false);
    assert.equal(new Semaphore(0).locked(), true, "Semaphore(0) starts locked");
  }));

  it("Semaphore(0) blocks acquire() until a release", withClock(async (clock) => {
    const sem = new Semaphore(0);
    setTimeout(() => sem.release(), 250);
    const permit = await sem.acquire();
    assert.equal(clock.now(), 250, "the acquire should resolve when release() is called at t=250");
    permit[Symbol.dispose]();
    assert.equal(sem.value, 1);
  }));

  it("Semaphore.acquire() wakes waiters in FIFO order", withClock(async () => {
    const sem = new Semaphore(2);
    const order: number[] = [];
    const a = await sem.acquire();
    const b = await sem.acquire();
    const waiters = [4, 2, 5, 1, 3].map(async (n) => {
      using _permit = await sem.acquire();
      order.push(n);
      await sleep(10);
    });
    await sleep(5);
    a[Symbol.dispose]();
    b[Symbol.dispose]();
    await Promise.all(waiters);
    assert.deepEqual(order, [4, 2, 5, 1, 3], "waiters must get permits in the order they called acquire()");
  }));

  it("Semaphore.release() wakes exactly one waiter per permit", withClock(async () => {
    const sem = new Semaphore(0);
    let woken = 0;
    const waiters = [1, 2, 3].map(async () => {
      await sem.acquire();
      woken++;
    });
    await sleep(1);
    sem.release();
    await sleep(1);
    assert.equal(woken, 1, "one release hands one permit to one waiter");
    sem.release();
    sem.release();
    await Promise.all(waiters);
    assert.equal(woken, 3);
    assert.equal(sem.value, 0, "all three permits went to waiters");
  }));

  it("Semaphore.release() hands the permit to a waiter, not to a newcomer", withClock(async () => {
    const sem = new Semaphore(1);
    const order: string[] = [];
    const first = await sem.acquire();
    const waiter = sem.acquire().then((p) => {
      order.push("waiter");
      p[Symbol.dispose]();
    });
    await sleep(1);
    first[Symbol.dispose]();
    assert.equal(sem.tryAcquire(), null, "right after the release the permit belongs to the waiter: tryAcquire() must return null");
    assert.equal(sem.value, 0, "the permit was handed over, so none is free");
    const newcomer = sem.acquire().then((p) => {
      order.push("newcomer");
      p[Symbol.dispose]();
    });
    await Promise.all([waiter, newcomer]);
    assert.deepEqual(order, ["waiter", "newcomer"], "no barging: a newcomer queues behind the waiter");
  }));

  it("Semaphore.tryAcquire() takes a free permit and returns null when none is free", withClock(() => {
    const sem = new Semaphore(1);
    const permit = sem.tryAcquire();
    assert.notEqual(permit, null, "a free permit: tryAcquire() should return a Disposable");
    assert.equal(typeof permit?.[Symbol.dispose], "function", "tryAcquire() should return a Disposable");
    assert.equal(sem.value, 0);
    assert.equal(sem.tryAcquire(), null, "no free permit: tryAcquire() returns null");
    permit?.[Symbol.dispose]();
    assert.equal(sem.value, 1);
  }));

  it("Semaphore permit disposed twice releases once", withClock(async () => {
    const sem = new Semaphore(2);
    const permit = await sem.acquire();
    permit[Symbol.dispose]();
    permit[Symbol.dispose]();
    assert.equal(sem.value, 2, "disposing a permit twice must give back one permit, not two (yours: " + sem.value + ")");
    const tried = sem.tryAcquire();
    tried?.[Symbol.dispose]();
    tried?.[Symbol.dispose]();
    assert.equal(sem.value, 2, "the same holds for tryAcquire()'s permit");
  }));

  it("Semaphore.release() may raise the value above the initial one", withClock(() => {
    const sem = new Semaphore(1);
    sem.release();
    assert.equal(sem.value, 2, "a plain Semaphore is not bounded (as in Python): value may grow past the initial 1");
  }));

  it("Semaphore.runExclusive() returns fn's value and gives the permit back", withClock(async () => {
    const sem = new Semaphore(1);
    const value = await sem.runExclusive(async () => {
      assert.equal(sem.value, 0, "fn runs while holding the permit");
      await sleep(5);
      return 42;
    });
    assert.equal(value, 42);
    assert.equal(sem.value, 1);
  }));

  it("Semaphore.runExclusive() gives the permit back when fn rejects later", withClock(async () => {
    const sem = new Semaphore(1);
    const failing = sem.runExclusive(async () => {
      await sleep(10);
      throw new Error("failed at t=10");
    }).catch((e: Error) => e.message);
    const next = sem.runExclusive(() => "next ran");
    assert.deepEqual(await Promise.all([failing, next]), ["failed at t=10", "next ran"],
      "after a failure the permit must pass on to the next waiter");
    assert.equal(sem.value, 1);
  }));

  it("Semaphore.acquire() rejects with the exact abort reason and leaves the queue", withClock(async (clock) => {
    const sem = new Semaphore(1);
    const rec = new EventRecorder();
    const held = await sem.acquire();
    const ac = new AbortController();
    const reason = new Error("gave up");
    const aborted = rejectsWith(sem.acquire({ signal: ac.signal }), { is: reason }, "sem.acquire({ signal }) aborted while waiting");
    const next = sem.acquire().then((p) => {
      rec.record("next got a permit");
      p[Symbol.dispose]();
    });
    setTimeout(() => ac.abort(reason), 50);
    setTimeout(() => held[Symbol.dispose](), 100);
    await aborted;
    await next;
    assert.equal(rec.firstAt("next got a permit"), 100, "the release at t=100 goes to the next live waiter");
    assert.equal(clock.now(), 100);
    assert.equal(sem.value, 1, "the aborted waiter's permit must not be lost");
  }));

  it("Semaphore.acquire() with an aborted signal rejects at once and takes nothing", withClock(async () => {
    const sem = new Semaphore(2);
    const reason = new Error("already cancelled");
    await rejectsWith(sem.acquire({ signal: AbortSignal.abort(reason) }), { is: reason }, "sem.acquire({ signal: aborted })");
    assert.equal(sem.value, 2, "an aborted acquire must not take a permit");
  }));

  it("Semaphore.acquire() keeps a permit that was handed over before the abort", withClock(async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const ac = new AbortController();
    const second = sem.acquire({ signal: ac.signal });
    const third = sem.acquire();
    await sleep(1);
    held[Symbol.dispose](); // hands the permit to the second waiter
    ac.abort(new Error("too late")); // changes nothing
    const permit = await second;
    assert.equal(sem.value, 0);
    permit[Symbol.dispose]();
    (await third)[Symbol.dispose]();
    assert.equal(sem.value, 1, "every permit must come back exactly once");
  }));

  it("Semaphore.acquire() removes its abort listener on every path", withClock(async () => {
    const sem = new Semaphore(1);
    const free = countingController();
    (await sem.acquire({ signal: free.controller.signal }))[Symbol.dispose]();
    assert.equal(free.active(), 0, "taking a free permit must leave no abort listener behind");

    const held = await sem.acquire();
    const waited = countingController();
    const pending = sem.acquire({ signal: waited.controller.signal });
    await sleep(1);
    held[Symbol.dispose]();
    (await pending)[Symbol.dispose]();
    assert.equal(waited.active(), 0, "a waiter that got a permit must remove its abort listener");

    const held2 = await sem.acquire();
    const cancelled = countingController();
    const doomed = sem.acquire({ signal: cancelled.controller.signal });
    cancelled.controller.abort(new Error("stop"));
    await rejectsWith(doomed, { message: "stop" }, "sem.acquire({ signal }) aborted");
    assert.equal(cancelled.active(), 0, "an aborted waiter must remove its abort listener");
    held2[Symbol.dispose]();
  }));

  it("Semaphore.acquire() with AbortSignal.timeout() gives up at the deadline", withClock(BUDGET, async (clock) => {
    const sem = new Semaphore(1);
    const holder = sem.runExclusive(() => sleep(1000));
    await rejectsWith(sem.acquire({ signal: AbortSignal.timeout(300) }), { name: "TimeoutError" },
      "sem.acquire({ signal: AbortSignal.timeout(300) })");
    assert.equal(clock.now(), 300);
    await holder;
    assert.equal(sem.value, 1, "the timed-out waiter must not keep a permit");
  }));

  it("new Semaphore() rejects a negative or fractional value with RangeError", withClock(() => {
    throwsWith(() => new Semaphore(-1), { name: "RangeError" }, "new Semaphore(-1)");
    throwsWith(() => new Semaphore(1.5), { name: "RangeError" }, "new Semaphore(1.5)");
    throwsWith(() => new Semaphore(Number.NaN), { name: "RangeError" }, "new Semaphore(NaN)");
    assert.equal(new Semaphore().value, 1, "the default value is 1, as in Python");
  }));
});

describe("BoundedSemaphore", () => {
  it("BoundedSemaphore.release() throws RangeError above the initial value", withClock(() => {
    const sem = new BoundedSemaphore(2);
    throwsWith(() => sem.release(), { name: "RangeError" }, "release() of a BoundedSemaphore(2) that was never acquired");
    assert.equal(sem.value, 2, "the refused release must not change the value");
  }));

  it("BoundedSemaphore allows releases that match acquires", withClock(async () => {
    const sem = new BoundedSemaphore(2);
    await sem.acquire();
    await sem.acquire();
    sem.release();
    sem.release();
    assert.equal(sem.value, 2, "two acquires, two releases: back to 2");
    throwsWith(() => sem.release(), { name: "RangeError" }, "a third release of BoundedSemaphore(2)");
  }));

  it("BoundedSemaphore hands permits to waiters like a Semaphore", withClock(BUDGET, async (clock) => {
    const sem = new BoundedSemaphore(2);
    const probe = new ConcurrencyProbe("tasks");
    await Promise.all(Array.from({ length: 6 }, (_, i) =>
      sem.runExclusive(() => probe.run(`task ${i}`, () => sleep(100)))
    ));
    probe.assertMaxAtMost(2);
    probe.assertMaxReached(2);
    assert.equal(clock.now(), 300);
    assert.equal(sem.value, 2);
  }));

  it("BoundedSemaphore is a Semaphore", withClock(() => {
    const sem = new BoundedSemaphore(1);
    assert.ok(sem instanceof Semaphore, "BoundedSemaphore should extend Semaphore");
    assert.notEqual(sem.tryAcquire(), null);
  }));

  it("new BoundedSemaphore() rejects a negative value with RangeError", withClock(() => {
    throwsWith(() => new BoundedSemaphore(-2), { name: "RangeError" }, "new BoundedSemaphore(-2)");
  }));
});
