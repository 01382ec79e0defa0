/**
 * Hidden tests for 11_semaphore: run by the grader (`deno task grade 11`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert, { AssertionError } from "node:assert/strict";
import {
  assertTimeline,
  ConcurrencyProbe,
  EventRecorder,
  isNotImplemented,
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

/** A semaphore that polls fires thousands of timers; a correct one needs a few. */
const BUDGET = { maxTimers: 1000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves as `work` does, or fails with `message` when `work` has not settled after `ms` of
 * virtual time (a permit that never arrives would otherwise end the test as a bare deadlock).
 */
async function within<T>(ms: number, work: Promise<T>, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError({ message })), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `start` (which must return a promise) and fails in the student's terms when it throws
 * synchronously instead: callers chain `.catch()` on the promise, and a throw skips it.
 */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    throw new AssertionError({
      message: `${what} returns a promise: it must reject, not throw from the call (yours threw ${
        String(error)
      })`,
    });
  }
}

/** What a promise did: "resolved", "rejected with the abort reason" or "rejected with <error>". */
function outcome(work: Promise<unknown>, reason: unknown): Promise<string> {
  return work.then(
    () => "resolved",
    (e) => (e === reason ? "rejected with the abort reason" : `rejected with ${String(e)}`),
  );
}

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

describe("task 1: Semaphore", () => {
  it(
    "Semaphore(3) keeps at most 3 of 10 holders and reaches 3",
    withClock(BUDGET, async (clock) => {
      const sem = new Semaphore(3);
      const probe = new ConcurrencyProbe("tasks");
      await Promise.all(Array.from({ length: 10 }, async (_, i) => {
        using _permit = await sem.acquire();
        await probe.run(`task ${i}`, () => sleep(1000));
      }));
      probe.assertMaxAtMost(3);
      probe.assertMaxReached(3);
      assert.equal(probe.finished, 10, `all 10 tasks should run; ${probe.finished} did`);
      assert.equal(
        clock.now(),
        4000,
        `10 one-second tasks, 3 at a time: 4 rounds, ending at t=4000; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "Semaphore starts a waiting task the moment a permit frees up",
    withClock(BUDGET, async () => {
      const sem = new Semaphore(2);
      const probe = new ConcurrencyProbe("tasks");
      const durations = [300, 100, 200, 100, 50];
      await Promise.all(durations.map(async (ms, i) => {
        using _permit = await sem.acquire();
        await probe.run(`task ${i}`, () => sleep(ms));
      }));
      assertTimeline(probe.timeline, [
        { label: "task 0", start: 0, end: 300 },
        { label: "task 1", start: 0, end: 100 },
        { label: "task 2", start: 100, end: 300 },
        { label: "task 3", start: 300, end: 400 },
        { label: "task 4", start: 300, end: 350 },
      ], "Semaphore(2) over tasks of 300, 100, 200, 100, 50 ms");
    }),
  );

  it(
    "Semaphore.value counts free permits and may grow past the initial value",
    withClock(async () => {
      const sem = new Semaphore(3);
      assert.equal(sem.value, 3, `new Semaphore(3).value should be 3; yours is ${sem.value}`);
      const a = await sem.acquire();
      const b = await sem.acquire();
      assert.equal(
        sem.value,
        1,
        `two of three permits taken: value should be 1; yours is ${sem.value}`,
      );
      a[Symbol.dispose]();
      b[Symbol.dispose]();
      assert.equal(sem.value, 3, `both given back: value should be 3; yours is ${sem.value}`);
      sem.release();
      assert.equal(
        sem.value,
        4,
        `a plain Semaphore is not bounded (as in Python): one more release() makes 4; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.locked() is true exactly when acquire() would wait",
    withClock(async () => {
      const sem = new Semaphore(1);
      assert.equal(
        sem.locked(),
        false,
        "a free permit and nobody waiting: locked() should be false",
      );
      const permit = await sem.acquire();
      assert.equal(sem.locked(), true, "no permit left: locked() should be true");
      permit[Symbol.dispose]();
      assert.equal(sem.locked(), false, "the permit is back: locked() should be false again");
      const zero = new Semaphore(0);
      assert.equal(zero.locked(), true, "Semaphore(0) starts locked");
      zero.release();
      assert.equal(
        zero.locked(),
        false,
        "after one release() Semaphore(0) has a free permit: locked() should be false",
      );
    }),
  );

  it(
    "Semaphore(0) blocks acquire() until a release",
    withClock(async (clock) => {
      const sem = new Semaphore(0);
      setTimeout(() => sem.release(), 250);
      const permit = await sem.acquire();
      assert.equal(
        clock.now(),
        250,
        `acquire() should resolve when release() is called at t=250; yours resolved at t=${clock.now()}`,
      );
      assert.equal(
        sem.value,
        0,
        `the released permit went to the waiter: value should be 0; yours is ${sem.value}`,
      );
      permit[Symbol.dispose]();
      assert.equal(
        sem.value,
        1,
        `the waiter gave it back: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() wakes five waiters in the order they called it",
    withClock(async () => {
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
      assert.deepEqual(
        order,
        [4, 2, 5, 1, 3],
        `waiters must get permits in the order they called acquire() (4, 2, 5, 1, 3); yours: ${order}`,
      );
    }),
  );

  it(
    "Semaphore.release() hands the permit to the waiter, not to a newcomer",
    withClock(async () => {
      const sem = new Semaphore(1);
      const order: string[] = [];
      const first = await sem.acquire();
      const waiter = sem.acquire().then((p) => {
        order.push("waiter");
        p[Symbol.dispose]();
      });
      await sleep(1);
      first[Symbol.dispose]();
      assert.equal(
        sem.value,
        0,
        `the permit was handed to the waiter, so none is free: value should be 0; yours is ${sem.value}`,
      );
      assert.equal(
        sem.locked(),
        true,
        "right after the release the permit belongs to the waiter: locked() should be true",
      );
      const newcomer = sem.acquire().then((p) => {
        order.push("newcomer");
        p[Symbol.dispose]();
      });
      await within(
        100,
        Promise.all([waiter, newcomer]),
        "both the waiter and the newcomer should get the permit in turn",
      );
      assert.deepEqual(
        order,
        ["waiter", "newcomer"],
        `no barging: a newcomer queues behind the waiter; your order: ${order}`,
      );
    }),
  );

  it(
    "Semaphore.locked() stays true while a waiter handed a permit has not resumed, even with a permit free",
    withClock(async () => {
      const sem = new Semaphore(0);
      const order: string[] = [];
      const first = sem.acquire().then((p) => {
        order.push("first waiter");
        return p;
      });
      await sleep(1);
      sem.release(); // handed to the first waiter, which has not resumed yet
      sem.release(); // nobody else waits: this one is free
      assert.equal(
        sem.value,
        1,
        `one permit went to the waiter and one is free: value should be 1; yours is ${sem.value}`,
      );
      assert.equal(
        sem.locked(),
        true,
        "the first waiter was handed a permit but has not resumed yet: locked() must stay true (as in CPython), so that a newcomer queues behind it; yours returned false",
      );
      const newcomer = sem.acquire().then((p) => {
        order.push("newcomer");
        return p;
      });
      const permits = await within(
        100,
        Promise.all([first, newcomer]),
        "once the first waiter has resumed, the newcomer queued behind it should get the free permit; it never did",
      );
      assert.deepEqual(
        order,
        ["first waiter", "newcomer"],
        `the newcomer must not overtake the woken waiter; your order: ${order}`,
      );
      assert.equal(sem.value, 0, `both permits are held: value should be 0; yours is ${sem.value}`);
      for (const p of permits) p[Symbol.dispose]();
      assert.equal(sem.value, 2, `both given back: value should be 2; yours is ${sem.value}`);
    }),
  );

  it(
    "Semaphore lets in every newcomer queued behind a woken waiter once it resumes",
    withClock(async () => {
      const sem = new Semaphore(0);
      const order: string[] = [];
      const got = (name: string) => (p: Disposable) => {
        order.push(name);
        return p;
      };
      let freeWhenFirstResumed = -1;
      const first = sem.acquire().then((permit) => {
        freeWhenFirstResumed = sem.value;
        return got("first")(permit);
      });
      await sleep(1);
      sem.release();
      sem.release();
      sem.release();
      sem.release(); // one permit handed to "first", three free but locked() until it resumes
      const second = sem.acquire().then(got("second"));
      const third = sem.acquire().then(got("third"));
      const fourth = sem.acquire().then(got("fourth"));
      await within(
        100,
        Promise.all([first, second, third, fourth]),
        `the three free permits must go to the three newcomers once the first waiter resumed; only ${
          order.join(", ")
        } got one`,
      );
      assert.equal(
        freeWhenFirstResumed,
        0,
        `when the first waiter resumes it must let in all three newcomers at once (value 0 by the time its acquire() resolved); yours still had ${freeWhenFirstResumed} permit(s) free, handing them out one resumed waiter at a time`,
      );
      assert.deepEqual(
        order,
        ["first", "second", "third", "fourth"],
        `permits must be given in FIFO order; yours: ${order}`,
      );
      assert.equal(
        sem.value,
        0,
        `all four permits are held: value should be 0; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore permit disposed twice releases once",
    withClock(async () => {
      const sem = new Semaphore(2);
      const permit = await sem.acquire();
      permit[Symbol.dispose]();
      permit[Symbol.dispose]();
      assert.equal(
        sem.value,
        2,
        `disposing a permit twice must give back one permit, not two; value should be 2, yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() with an aborted signal rejects at once and takes nothing",
    withClock(async () => {
      const sem = new Semaphore(2);
      const reason = new Error("already cancelled");
      await rejectsWith(
        callAsync(
          () => sem.acquire({ signal: AbortSignal.abort(reason) }),
          "sem.acquire({ signal: aborted })",
        ),
        { is: reason },
        "sem.acquire({ signal: aborted }) with a free permit",
      );
      assert.equal(
        sem.value,
        2,
        `an aborted acquire must not take a free permit; value should be 2, yours is ${sem.value}`,
      );

      const busy = new Semaphore(0);
      await rejectsWith(
        callAsync(
          () => busy.acquire({ signal: AbortSignal.abort(reason) }),
          "sem.acquire({ signal: aborted })",
        ),
        { is: reason },
        "sem.acquire({ signal: aborted }) with no free permit",
      );
      busy.release();
      assert.equal(
        busy.value,
        1,
        `an aborted acquire must not queue: the next release() should leave a free permit; value should be 1, yours is ${busy.value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() aborted while queued rejects with the exact reason and leaves the queue",
    withClock(async (clock) => {
      const sem = new Semaphore(1);
      const rec = new EventRecorder();
      const held = await sem.acquire();
      const ac = new AbortController();
      const reason = new Error("gave up");
      const aborted = rejectsWith(
        sem.acquire({ signal: ac.signal }),
        { is: reason },
        "sem.acquire({ signal }) aborted while waiting",
      );
      const next = sem.acquire().then((p) => {
        rec.record("next got a permit");
        p[Symbol.dispose]();
      });
      setTimeout(() => ac.abort(reason), 50);
      setTimeout(() => held[Symbol.dispose](), 100);
      await aborted;
      assert.equal(
        clock.now(),
        50,
        `the aborted acquire() should reject when the signal aborts (t=50); yours rejected at t=${clock.now()}`,
      );
      await within(
        200,
        next,
        "the release at t=100 should go to the next live waiter; it never got a permit",
      );
      assert.equal(
        rec.firstAt("next got a permit"),
        100,
        "the release at t=100 goes to the next live waiter at once",
      );
      assert.equal(
        sem.value,
        1,
        `every permit came back: value should be 1, yours is ${sem.value} (the aborted waiter's permit must not be lost)`,
      );
    }),
  );

  it(
    "Semaphore.acquire() aborted after the hand-over rejects and passes the permit to the next waiter",
    withClock(async (clock) => {
      const sem = new Semaphore(1);
      const held = await sem.acquire();
      const ac = new AbortController();
      const reason = new Error("too late");
      const second = outcome(sem.acquire({ signal: ac.signal }), reason);
      const rec = new EventRecorder();
      const third = sem.acquire().then((p) => {
        rec.record("third got a permit");
        return p;
      });
      await sleep(10);
      held[Symbol.dispose](); // hands the permit to the second waiter...
      ac.abort(reason); // ...which has not resumed yet: the abort wins, as in CPython
      assert.equal(
        await second,
        "rejected with the abort reason",
        "an abort that comes after release() handed the permit over, but before the waiter resumed, wins (as in CPython): acquire() must reject with signal.reason",
      );
      const permit = await within(
        100,
        third,
        "the aborted waiter's permit must go to the next waiter; it never got one",
      );
      assert.equal(
        rec.firstAt("third got a permit"),
        10,
        `the next waiter should get the permit at once (t=10); yours at t=${
          rec.firstAt("third got a permit")
        }`,
      );
      assert.equal(clock.now(), 10);
      assert.equal(
        sem.value,
        0,
        `the next waiter holds the only permit: value should be 0; yours is ${sem.value}`,
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
    "Semaphore.acquire() aborted after the hand-over with nobody else waiting gives the permit back",
    withClock(async () => {
      const sem = new Semaphore(1);
      const held = await sem.acquire();
      const ac = new AbortController();
      const reason = new Error("too late");
      const second = outcome(sem.acquire({ signal: ac.signal }), reason);
      await sleep(1);
      held[Symbol.dispose]();
      ac.abort(reason);
      assert.equal(
        await second,
        "rejected with the abort reason",
        "an abort before the waiter resumed wins: acquire() must reject with signal.reason",
      );
      assert.equal(
        sem.value,
        1,
        `nobody else waits, so the permit is free again: value should be 1; yours is ${sem.value}`,
      );
      assert.equal(
        sem.locked(),
        false,
        "the permit is free again and nobody waits: locked() should be false",
      );
    }),
  );

  it(
    "Semaphore.acquire() keeps its permit when the signal aborts after it resolved",
    withClock(async () => {
      const sem = new Semaphore(1);
      const fast = new AbortController();
      const first = await sem.acquire({ signal: fast.signal }); // a free permit, no waiting
      const slow = new AbortController();
      const pending = sem.acquire({ signal: slow.signal });
      let thirdGot = false;
      const third = sem.acquire().then((p) => {
        thirdGot = true;
        return p;
      });
      await sleep(1);
      first[Symbol.dispose](); // hands the permit to `pending`
      const second = await pending; // resumed: it holds the permit now
      fast.abort(new Error("late"));
      slow.abort(new Error("late"));
      await sleep(10);
      assert.equal(
        thirdGot,
        false,
        "aborting the signal of an acquire() that already resolved must change nothing: the permit stays with its holder; yours gave it to the next waiter",
      );
      assert.equal(
        sem.value,
        0,
        `the permit is still held: value should be 0; yours is ${sem.value}`,
      );
      second[Symbol.dispose]();
      (await within(100, third, "the holder's release should go to the third waiter"))
        [Symbol.dispose]();
      assert.equal(
        sem.value,
        1,
        `every permit came back exactly once: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() shares one signal between waiters: one abort rejects them all",
    withClock(async () => {
      const sem = new Semaphore(0);
      const ac = new AbortController();
      const reason = new Error("stop all");
      const a = outcome(sem.acquire({ signal: ac.signal }), reason);
      const b = outcome(sem.acquire({ signal: ac.signal }), reason);
      await sleep(1);
      ac.abort(reason);
      assert.deepEqual(
        [await a, await b],
        ["rejected with the abort reason", "rejected with the abort reason"],
        "both acquire() calls wait on the same signal: its abort must reject both with signal.reason",
      );
      sem.release();
      assert.equal(
        sem.value,
        1,
        `both aborted waiters left the queue, so a release() leaves a free permit: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() removes its abort listener on every path",
    withClock(async () => {
      const sem = new Semaphore(1);
      const free = countingController();
      (await sem.acquire({ signal: free.controller.signal }))[Symbol.dispose]();
      assert.equal(
        free.active(),
        0,
        `taking a free permit must leave no abort listener behind; yours left ${free.active()}`,
      );

      const held = await sem.acquire();
      const waited = countingController();
      const pending = sem.acquire({ signal: waited.controller.signal });
      await sleep(1);
      held[Symbol.dispose]();
      (await pending)[Symbol.dispose]();
      assert.equal(
        waited.active(),
        0,
        `a waiter that got a permit must remove its abort listener; yours left ${waited.active()}`,
      );

      const held2 = await sem.acquire();
      const cancelled = countingController();
      const doomed = sem.acquire({ signal: cancelled.controller.signal });
      await sleep(1);
      cancelled.controller.abort(new Error("stop"));
      await rejectsWith(
        doomed,
        { message: "stop" },
        "sem.acquire({ signal }) aborted while queued",
      );
      assert.equal(
        cancelled.active(),
        0,
        `an aborted waiter must remove its abort listener; yours left ${cancelled.active()}`,
      );

      const late = countingController();
      const handed = sem.acquire({ signal: late.controller.signal });
      await sleep(1);
      held2[Symbol.dispose]();
      late.controller.abort(new Error("late"));
      await rejectsWith(
        handed,
        { message: "late" },
        "sem.acquire({ signal }) aborted after the hand-over",
      );
      assert.equal(
        late.active(),
        0,
        `a waiter aborted after the hand-over must remove its abort listener; yours left ${late.active()}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() with AbortSignal.timeout() gives up at the deadline",
    withClock(BUDGET, async (clock) => {
      const sem = new Semaphore(1);
      const held = await sem.acquire();
      setTimeout(() => held[Symbol.dispose](), 1000);
      await rejectsWith(
        sem.acquire({ signal: AbortSignal.timeout(300) }),
        { name: "TimeoutError" },
        "sem.acquire({ signal: AbortSignal.timeout(300) })",
      );
      assert.equal(
        clock.now(),
        300,
        `the timed-out acquire() should reject at t=300; yours at t=${clock.now()}`,
      );
      await sleep(1000);
      assert.equal(
        sem.value,
        1,
        `the timed-out waiter must not keep a permit: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.acquire() waits without polling",
    withClock(BUDGET, async (clock) => {
      const sem = new Semaphore(1);
      const held = await sem.acquire();
      const waiters = [1, 2, 3].map(() => sem.acquire().then((p) => p[Symbol.dispose]()));
      setTimeout(() => held[Symbol.dispose](), 100_000);
      await Promise.all(waiters);
      assert.equal(
        clock.now(),
        100_000,
        `the waiters should get the permit when it is released at t=100000; yours at t=${clock.now()}`,
      );
      assert.ok(
        clock.trace.length <= 2,
        `waiting for a permit needs no timer (release() wakes the waiter); your code fired ${clock.trace.length} timers`,
      );
    }),
  );

  it(
    "new Semaphore() rejects a value that is not an integer >= 0 with RangeError",
    withClock(() => {
      for (const value of [-1, 1.5, 0.5, Number.NaN, Number.POSITIVE_INFINITY, -Infinity]) {
        throwsWith(() => new Semaphore(value), { name: "RangeError" }, `new Semaphore(${value})`);
      }
      assert.equal(
        new Semaphore().value,
        1,
        `the default value is 1, as in Python; yours is ${new Semaphore().value}`,
      );
      assert.equal(
        new Semaphore(0).value,
        0,
        "new Semaphore(0) is allowed: no permit until a release()",
      );
    }),
  );
});

describe("task 2: tryAcquire() and runExclusive()", () => {
  it(
    "Semaphore.tryAcquire() returns null while a woken waiter has not resumed, even with a permit free",
    withClock(async () => {
      const sem = new Semaphore(0);
      const waiter = sem.acquire();
      await sleep(1);
      sem.release(); // handed to the waiter
      sem.release(); // free, but the waiter has not resumed
      assert.equal(
        sem.tryAcquire(),
        null,
        "the woken waiter has not resumed yet, so acquire() would have to wait (locked() is true): tryAcquire() must return null",
      );
      (await waiter)[Symbol.dispose]();
      const permit = sem.tryAcquire();
      assert.notEqual(
        permit,
        null,
        "once the waiter has resumed and nobody waits, a free permit can be taken",
      );
      permit?.[Symbol.dispose]();
    }),
  );

  it(
    "Semaphore.tryAcquire()'s permit disposed twice releases once",
    withClock(() => {
      const sem = new Semaphore(2);
      const permit = sem.tryAcquire();
      permit?.[Symbol.dispose]();
      permit?.[Symbol.dispose]();
      assert.equal(
        sem.value,
        2,
        `disposing tryAcquire()'s permit twice must give back one permit; value should be 2, yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.runExclusive() holds a permit while fn runs and keeps at most N at once",
    withClock(BUDGET, async (clock) => {
      const sem = new Semaphore(3);
      const probe = new ConcurrencyProbe("tasks");
      await Promise.all(
        Array.from(
          { length: 10 },
          (_, i) => sem.runExclusive(() => probe.run(`task ${i}`, () => sleep(1000))),
        ),
      );
      probe.assertMaxAtMost(3);
      probe.assertMaxReached(3);
      assert.equal(
        clock.now(),
        4000,
        `10 one-second tasks, 3 at a time, end at t=4000; yours ended at t=${clock.now()}`,
      );
      assert.equal(
        sem.value,
        3,
        `every permit came back: value should be 3; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.runExclusive() holds the permit while fn runs and resolves with its value",
    withClock(async () => {
      const sem = new Semaphore(1);
      let during = -1;
      const value = await sem.runExclusive(async () => {
        during = sem.value;
        await sleep(5);
        return 42;
      });
      assert.equal(
        during,
        0,
        `fn runs while holding the permit: value should be 0 inside fn; yours was ${during}`,
      );
      assert.equal(
        value,
        42,
        `runExclusive() should resolve with fn's value (42); yours resolved with ${value}`,
      );
      assert.equal(sem.value, 1, `the permit is back: value should be 1; yours is ${sem.value}`);
    }),
  );

  it(
    "Semaphore.runExclusive() turns a synchronous throw of fn into a rejection and gives the permit back",
    withClock(async () => {
      const sem = new Semaphore(1);
      const boom = new Error("boom");
      const result = callAsync(
        () =>
          sem.runExclusive(() => {
            throw boom;
          }),
        "sem.runExclusive(fn that throws)",
      );
      await rejectsWith(result, { is: boom }, "sem.runExclusive(fn that throws)");
      assert.equal(
        sem.value,
        1,
        `a throwing fn must not keep the permit: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.runExclusive() gives the permit back when fn rejects later",
    withClock(async () => {
      const sem = new Semaphore(1);
      const failing = sem.runExclusive(async () => {
        await sleep(10);
        throw new Error("failed at t=10");
      }).catch((e: Error) => e.message);
      const next = sem.runExclusive(() => "next ran");
      assert.deepEqual(
        await within(
          100,
          Promise.all([failing, next]),
          "after a failure the permit must pass on to the next waiter; the next one never ran",
        ),
        ["failed at t=10", "next ran"],
        "runExclusive() rejects with fn's error, and the next one runs after it",
      );
      assert.equal(sem.value, 1, `the permit is back: value should be 1; yours is ${sem.value}`);
    }),
  );

  it(
    "Semaphore.runExclusive() aborted while waiting rejects and never calls fn",
    withClock(async (clock) => {
      const sem = new Semaphore(1);
      const reason = new Error("gave up");
      const ac = new AbortController();
      const holder = sem.runExclusive(() => sleep(100));
      let calls = 0;
      const waiting = rejectsWith(sem.runExclusive(() => calls++, { signal: ac.signal }), {
        is: reason,
      }, "sem.runExclusive(fn, { signal }) aborted while waiting");
      const after = sem.runExclusive(() => clock.now());
      setTimeout(() => ac.abort(reason), 50);
      await waiting;
      await holder;
      assert.equal(
        await after,
        100,
        "the permit goes to the next waiter when the holder finishes at t=100",
      );
      assert.equal(calls, 0, `the aborted waiter's fn must never run; yours ran ${calls} time(s)`);
      assert.equal(sem.value, 1);
    }),
  );

  it(
    "Semaphore.runExclusive() aborted after the hand-over never calls fn and passes the permit on",
    withClock(async () => {
      const sem = new Semaphore(1);
      const held = await sem.acquire();
      const reason = new Error("too late");
      const ac = new AbortController();
      let calls = 0;
      const second = outcome(sem.runExclusive(() => calls++, { signal: ac.signal }), reason);
      const third = sem.runExclusive(() => "third ran");
      await sleep(1);
      held[Symbol.dispose]();
      ac.abort(reason);
      assert.equal(
        await second,
        "rejected with the abort reason",
        "an abort before the waiter resumed wins: runExclusive() must reject with signal.reason",
      );
      assert.equal(calls, 0, `fn must not run once the abort won; yours ran ${calls} time(s)`);
      assert.equal(
        await within(100, third, "the permit must pass to the next waiter"),
        "third ran",
      );
    }),
  );

  it(
    "Semaphore.runExclusive() lets fn finish when the signal aborts while fn runs",
    withClock(async (clock) => {
      const sem = new Semaphore(1);
      const holder = sem.runExclusive(() => sleep(10));
      const ac = new AbortController();
      const waited = sem.runExclusive(async () => {
        await sleep(100);
        return "finished";
      }, { signal: ac.signal }); // waits for the holder, runs from t=10 to t=110
      setTimeout(() => ac.abort(new Error("too late to matter")), 50);
      await holder;
      assert.equal(
        await waited,
        "finished",
        "the signal only bounds the wait for a permit: once fn runs, an abort must not cut it off; runExclusive() should resolve with fn's value",
      );
      assert.equal(
        clock.now(),
        110,
        `fn should run to its end at t=110; yours ended at t=${clock.now()}`,
      );
      assert.equal(
        sem.value,
        1,
        `the permit is back after fn ended: value should be 1; yours is ${sem.value}`,
      );
    }),
  );

  it(
    "Semaphore.runExclusive() keeps the permit until fn ends even if the signal aborts",
    withClock(async (clock) => {
      const sem = new Semaphore(1);
      const ac = new AbortController();
      const running = sem.runExclusive(() => sleep(100), { signal: ac.signal });
      let nextAt = -1;
      const next = sem.runExclusive(() => (nextAt = clock.now()));
      setTimeout(() => ac.abort(new Error("late")), 50);
      await running;
      await next;
      assert.equal(
        nextAt,
        100,
        `the next task may start only when fn ends (t=100); yours started at t=${nextAt}, so the abort released the permit early`,
      );
    }),
  );
});

describe("task 3: BoundedSemaphore", () => {
  it(
    "BoundedSemaphore.release() throws RangeError above the initial value and changes nothing",
    withClock(() => {
      const sem = new BoundedSemaphore(2);
      throwsWith(
        () => sem.release(),
        { name: "RangeError" },
        "release() of a BoundedSemaphore(2) that was never acquired",
      );
      assert.equal(
        sem.value,
        2,
        `the refused release must not change the value: it should stay 2; yours is ${sem.value}`,
      );
      assert.equal(sem.locked(), false, "the refused release must not lock the semaphore");
    }),
  );

  it(
    "BoundedSemaphore hands a released permit to a waiter",
    withClock(async (clock) => {
      const sem = new BoundedSemaphore(1);
      const held = await sem.acquire();
      setTimeout(() => held[Symbol.dispose](), 100);
      const permit = await within(
        1000,
        sem.acquire(),
        "the release at t=100 should hand the permit to the waiter (value 0 is below the bound)",
      );
      assert.equal(
        clock.now(),
        100,
        `the waiter should get the permit at t=100; yours at t=${clock.now()}`,
      );
      assert.equal(
        sem.value,
        0,
        `the waiter holds the only permit: value should be 0; yours is ${sem.value}`,
      );
      permit[Symbol.dispose]();
      throwsWith(
        () => sem.release(),
        { name: "RangeError" },
        "one release more than acquires on BoundedSemaphore(1)",
      );
    }),
  );

  it(
    "BoundedSemaphore permit disposed twice releases once without throwing",
    withClock(async () => {
      const sem = new BoundedSemaphore(1);
      const permit = await sem.acquire();
      permit[Symbol.dispose]();
      assert.doesNotThrow(
        () => permit[Symbol.dispose](),
        "disposing a permit a second time must do nothing (a permit gives back one permit): it must not reach release() and its RangeError",
      );
      assert.equal(sem.value, 1);
    }),
  );

  it(
    "BoundedSemaphore is a Semaphore",
    withClock(() => {
      const sem = new BoundedSemaphore(1);
      assert.ok(sem instanceof Semaphore, "BoundedSemaphore should extend Semaphore");
      const permit = sem.tryAcquire();
      assert.notEqual(permit, null, "tryAcquire() works on a BoundedSemaphore too");
      permit?.[Symbol.dispose]();
    }),
  );

  it(
    "new BoundedSemaphore() validates its value and defaults to 1",
    withClock(async () => {
      for (const value of [-2, 1.5, Number.NaN]) {
        throwsWith(
          () => new BoundedSemaphore(value),
          { name: "RangeError" },
          `new BoundedSemaphore(${value})`,
        );
      }
      const sem = new BoundedSemaphore();
      assert.equal(sem.value, 1, `the default value is 1; yours is ${sem.value}`);
      throwsWith(
        () => sem.release(),
        { name: "RangeError" },
        "release() of a fresh BoundedSemaphore() (its bound is 1)",
      );
      (await sem.acquire())[Symbol.dispose]();
      assert.equal(sem.value, 1);
    }),
  );

  it(
    "BoundedSemaphore(0) refuses every release, even with a waiter (as CPython)",
    withClock(async () => {
      const sem = new BoundedSemaphore(0);
      const ac = new AbortController();
      const waiter = sem.acquire({ signal: ac.signal });
      const settled = waiter.then(() => "resolved", () => "rejected");
      await Promise.resolve();
      throwsWith(
        () => sem.release(),
        { name: "RangeError" },
        "release() of a BoundedSemaphore(0) (value 0 is already its bound)",
      );
      assert.equal(sem.value, 0);
      ac.abort(new Error("cleanup"));
      assert.equal(await settled, "rejected", "the refused release must not wake the waiter");
    }),
  );
});
