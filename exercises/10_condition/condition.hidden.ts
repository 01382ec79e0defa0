/**
 * Hidden tests for 10_condition: run by the grader (`deno task grade 08`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { BoundedBuffer, Condition, Lock } from "./condition.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` holding the condition's lock. */
async function locked<T>(cond: Condition, fn: () => T): Promise<T> {
  using _lease = await cond.acquire();
  return fn();
}

describe("Condition.wait()", () => {
  it("Condition.wait() resolves true holding the lock once the notifier releases it", withClock(async () => {
    const cond = new Condition();
    const rec = new EventRecorder();
    const waiter = (async () => {
      using _lease = await cond.acquire();
      const value = await cond.wait();
      rec.record("resumed");
      assert.equal(value, true, "wait() resolves with true, like Python");
      assert.equal(cond.locked(), true, "wait() returns holding the lock");
    })();
    await sleep(5);
    const lease = await cond.acquire();
    cond.notify();
    await sleep(95);
    assert.equal(rec.firstAt("resumed"), undefined, "the waiter must not resume while the notifier still holds the lock");
    lease[Symbol.dispose]();
    await waiter;
    assert.equal(rec.firstAt("resumed"), 100);
  }));

  it("Condition.wait() without the lock throws InvalidStateError", withClock(async () => {
    const cond = new Condition();
    await rejectsWith(() => cond.wait(), { name: "InvalidStateError" }, "cond.wait() without holding the lock");
    assert.equal(cond.locked(), false);
  }));

  it("Condition.wait() re-acquires the lock before rejecting when aborted", withClock(async (clock) => {
    const cond = new Condition();
    const ac = new AbortController();
    const reason = new Error("stop waiting");
    const rec = new EventRecorder();
    const waiter = (async () => {
      using _lease = await cond.acquire();
      try {
        await cond.wait({ signal: ac.signal });
      } catch (e) {
        rec.record("wait rejected");
        assert.equal(e, reason, "wait() must reject with the exact abort reason");
        assert.equal(cond.locked(), true, "an aborted wait() must still hand the lock back to its caller");
      }
    })();
    await sleep(1);
    const other = await cond.acquire(); // another task holds the lock from t=1 to t=100
    setTimeout(() => ac.abort(reason), 20);
    await sleep(99);
    assert.equal(rec.firstAt("wait rejected"), undefined,
      "the aborted wait() must not return before it has the lock back (the other task holds it until t=100)");
    other[Symbol.dispose]();
    await waiter;
    assert.equal(rec.firstAt("wait rejected"), 100, "the aborted wait() rejects at t=100, once it re-acquired the lock");
    assert.equal(clock.now(), 100);
    assert.equal(cond.locked(), false, "the waiter's using block released the lock it got back");
  }));

  it("Condition.wait() aborted while the lock is free rejects at once holding the lock", withClock(async (clock) => {
    const cond = new Condition();
    const ac = new AbortController();
    const reason = new DOMException("cancelled", "AbortError");
    setTimeout(() => ac.abort(reason), 30);
    using _lease = await cond.acquire();
    await rejectsWith(cond.wait({ signal: ac.signal }), { is: reason }, "cond.wait({ signal }) aborted at t=30");
    assert.equal(clock.now(), 30);
    assert.equal(cond.locked(), true, "after the aborted wait the caller holds the lock again");
  }));

  it("Condition.wait() with an aborted signal rejects at once and keeps the lock", withClock(async () => {
    const cond = new Condition();
    const reason = new Error("already aborted");
    using _lease = await cond.acquire();
    await rejectsWith(cond.wait({ signal: AbortSignal.abort(reason) }), { is: reason }, "cond.wait({ signal: aborted })");
    assert.equal(cond.locked(), true, "the caller still holds the lock");
    cond.notify(); // nobody waits: a no-op
  }));

  it("Condition.wait() aborted leaves the waiters so notify() reaches the next one", withClock(async () => {
    const cond = new Condition();
    const woken: string[] = [];
    const ac = new AbortController();
    const first = (async () => {
      using _lease = await cond.acquire();
      await cond.wait({ signal: ac.signal }).catch(() => woken.push("first aborted"));
    })();
    const second = (async () => {
      using _lease = await cond.acquire();
      await cond.wait();
      woken.push("second woken");
    })();
    await sleep(1);
    ac.abort(new Error("first gives up"));
    await sleep(1);
    await locked(cond, () => cond.notify(1));
    await Promise.all([first, second]);
    assert.deepEqual(woken, ["first aborted", "second woken"],
      "notify(1) after the first waiter aborted must wake the second one, not the one that left");
  }));
});

describe("Condition.notify()", () => {
  it("Condition.notify(2) wakes exactly two waiters in FIFO order", withClock(async () => {
    const cond = new Condition();
    const woken: number[] = [];
    const waiters = [3, 1, 4, 2].map(async (n) => {
      using _lease = await cond.acquire();
      await cond.wait();
      woken.push(n);
    });
    await sleep(1);
    await locked(cond, () => cond.notify(2));
    await sleep(1);
    assert.deepEqual(woken, [3, 1], "notify(2) wakes the two oldest waiters");
    await locked(cond, () => cond.notify(2));
    await Promise.all(waiters);
    assert.deepEqual(woken, [3, 1, 4, 2]);
  }));

  it("Condition.notify() wakes one waiter by default", withClock(async () => {
    const cond = new Condition();
    let woken = 0;
    const waiters = [1, 2].map(async () => {
      using _lease = await cond.acquire();
      await cond.wait();
      woken++;
    });
    await sleep(1);
    await locked(cond, () => cond.notify());
    await sleep(1);
    assert.equal(woken, 1, "notify() with no argument wakes one waiter");
    await locked(cond, () => cond.notify());
    await Promise.all(waiters);
  }));

  it("Condition.notify() with nobody waiting does nothing", withClock(async () => {
    const cond = new Condition();
    await locked(cond, () => cond.notify(3));
    const rec = new EventRecorder();
    const waiter = (async () => {
      using _lease = await cond.acquire();
      await cond.wait();
      rec.record("woken");
    })();
    await sleep(50);
    assert.equal(rec.firstAt("woken"), undefined, "an earlier notify is not remembered: a later waiter must wait");
    await locked(cond, () => cond.notify());
    await waiter;
    assert.equal(rec.firstAt("woken"), 50);
  }));

  it("Condition.notifyAll() wakes every waiter", withClock(async () => {
    const cond = new Condition();
    let woken = 0;
    const waiters = Array.from({ length: 5 }, async () => {
      using _lease = await cond.acquire();
      await cond.wait();
      woken++;
    });
    await sleep(1);
    await locked(cond, () => cond.notifyAll());
    await Promise.all(waiters);
    assert.equal(woken, 5);
  }));

  it("Condition.notify() and notifyAll() without the lock throw InvalidStateError", withClock(async () => {
    const cond = new Condition();
    throwsWith(() => cond.notify(), { name: "InvalidStateError" }, "cond.notify() without the lock");
    throwsWith(() => cond.notifyAll(), { name: "InvalidStateError" }, "cond.notifyAll() without the lock");
    const waiter = (async () => {
      using _lease = await cond.acquire();
      await cond.wait();
    })();
    await sleep(1);
    throwsWith(() => cond.notify(), { name: "InvalidStateError" }, "cond.notify() while a waiter waits but nobody holds the lock");
    await locked(cond, () => cond.notify());
    await waiter;
  }));
});

describe("Condition.waitFor()", () => {
  it("Condition.waitFor() checks the predicate before waiting", withClock(async (clock) => {
    const cond = new Condition();
    let calls = 0;
    using _lease = await cond.acquire();
    const value = await cond.waitFor(() => {
      calls++;
      return "ready";
    });
    assert.equal(value, "ready", "waitFor returns the predicate's value");
    assert.equal(calls, 1, "a true predicate is checked once");
    assert.equal(clock.now(), 0, "waitFor must not wait when the predicate already holds");
  }));

  it("Condition.waitFor() re-checks the predicate after every wake-up", withClock(async (clock) => {
    const cond = new Condition();
    let count = 0;
    const result = (async () => {
      using _lease = await cond.acquire();
      return await cond.waitFor(() => (count >= 3 ? count : 0));
    })();
    for (let i = 0; i < 3; i++) {
      await sleep(10);
      await locked(cond, () => {
        count++;
        cond.notifyAll();
      });
    }
    assert.equal(await result, 3, "waitFor returns only when the predicate is truthy, with its value");
    assert.equal(clock.now(), 30);
  }));

  it("Condition.waitFor() aborted rejects with the reason and keeps the lock", withClock(async () => {
    const cond = new Condition();
    const reason = new Error("gave up");
    const ac = new AbortController();
    setTimeout(() => ac.abort(reason), 40);
    using _lease = await cond.acquire();
    await rejectsWith(cond.waitFor(() => false, { signal: ac.signal }), { is: reason }, "cond.waitFor(never, { signal })");
    assert.equal(cond.locked(), true, "the caller holds the lock again after the aborted waitFor");
  }));
});

describe("Condition with a shared lock", () => {
  it("Condition uses the lock it is given", withClock(async () => {
    const lock = new Lock();
    const a = new Condition(lock);
    const b = new Condition(lock);
    const woken: string[] = [];
    const waiter = (async () => {
      using _lease = await a.acquire();
      await a.wait();
      woken.push("a");
    })();
    await sleep(1);
    using _lease = await lock.acquire();
    assert.equal(b.locked(), true, "both conditions see the shared lock");
    b.notifyAll(); // b has no waiters: a's waiter stays asleep
    a.notify();
    _lease[Symbol.dispose]();
    await waiter;
    assert.deepEqual(woken, ["a"]);
  }));
});

describe("BoundedBuffer", () => {
  it("BoundedBuffer moves 1000 items without deadlock, loss or duplicates", withClock(async () => {
    const buffer = new BoundedBuffer<number>(4);
    const received = new Map<number, number[]>();
    let maxSize = 0;
    const producer = async (p: number) => {
      for (let i = 0; i < 250; i++) {
        await buffer.put(p * 1000 + i);
        maxSize = Math.max(maxSize, buffer.size);
        if (i % 50 === p) await sleep(3);
      }
    };
    const consumer = async (c: number) => {
      const got: number[] = [];
      received.set(c, got);
      for (let i = 0; i < 250; i++) {
        got.push(await buffer.get());
        maxSize = Math.max(maxSize, buffer.size);
        if (i % 33 === c) await sleep(2);
      }
    };
    await Promise.all([0, 1, 2, 3].flatMap((k) => [producer(k), consumer(k)]));
    const all = [...received.values()].flat();
    assert.equal(all.length, 1000, "1000 items go in, 1000 must come out");
    assert.equal(new Set(all).size, 1000, "no item may come out twice");
    assert.ok(maxSize <= 4, "the buffer may hold at most 4 items; yours held " + maxSize);
    for (const got of received.values()) {
      for (let p = 0; p < 4; p++) {
        const mine = got.filter((x) => Math.floor(x / 1000) === p);
        assert.deepEqual(mine, [...mine].sort((x, y) => x - y), "each producer's items must come out in the order it put them");
      }
    }
    assert.equal(buffer.size, 0);
  }));

  it("BoundedBuffer.put() waits while the buffer is full", withClock(async (clock) => {
    const buffer = new BoundedBuffer<string>(2);
    const rec = new EventRecorder();
    await buffer.put("a");
    await buffer.put("b");
    const third = buffer.put("c").then(() => rec.record("put c done"));
    setTimeout(() => void buffer.get(), 70);
    await third;
    assert.equal(rec.firstAt("put c done"), 70, "put() into a full buffer waits for the get() at t=70");
    assert.equal(buffer.size, 2);
    assert.equal(clock.now(), 70);
  }));

  it("BoundedBuffer.get() waits while the buffer is empty and keeps FIFO order", withClock(async (clock) => {
    const buffer = new BoundedBuffer<string>(3);
    setTimeout(() => void buffer.put("x").then(() => buffer.put("y")), 40);
    assert.equal(await buffer.get(), "x", "get() from an empty buffer waits for the first put");
    assert.equal(clock.now(), 40);
    assert.equal(await buffer.get(), "y");
  }));

  it("BoundedBuffer.get() aborted rejects with the reason and loses nothing", withClock(async () => {
    const buffer = new BoundedBuffer<number>(1);
    const ac = new AbortController();
    const reason = new Error("consumer left");
    setTimeout(() => ac.abort(reason), 10);
    await rejectsWith(buffer.get({ signal: ac.signal }), { is: reason }, "buffer.get({ signal }) aborted at t=10");
    await buffer.put(7);
    assert.equal(await buffer.get(), 7, "the item put after the abort goes to the next get()");
  }));

  it("new BoundedBuffer() rejects a capacity below 1 with RangeError", withClock(async () => {
    const ok = new BoundedBuffer<number>(1);
    await ok.put(1);
    assert.equal(await ok.get(), 1);
    throwsWith(() => new BoundedBuffer(0), { name: "RangeError" }, "new BoundedBuffer(0)");
    throwsWith(() => new BoundedBuffer(2.5), { name: "RangeError" }, "new BoundedBuffer(2.5)");
  }));
});
