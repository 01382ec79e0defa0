/**
 * Hidden tests for 10_condition: run by the grader (`deno task grade 10`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CONDITION,
  EventRecorder,
  isNotImplemented,
  LOCK,
  rejectsWith,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { BoundedBuffer, Condition as LearnerCondition, Lock as LearnerLock } from "./condition.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Condition = watched(LearnerCondition, CONDITION);
type Condition = LearnerCondition;
const Lock = watched(LearnerLock, LOCK);
type Lock = LearnerLock;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` holding the condition's lock. */
async function locked<T>(cond: Condition, fn: () => T): Promise<T> {
  using _lease = await cond.acquire();
  return fn();
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

/** Starts a task that holds the lock, waits on `cond` and logs how its wait() ended. */
function loggedWaiter(
  cond: Condition,
  name: string,
  log: string[],
  signal?: AbortSignal,
): Promise<void> {
  return (async () => {
    using _lease = await cond.acquire();
    try {
      await cond.wait({ signal });
      log.push(`${name} woken`);
    } catch (error) {
      log.push(`${name} rejected`);
      if (!cond.locked()) log.push(`${name} rejected without the lock`);
      if (error !== signal?.reason) {
        log.push(`${name} rejected with ${String(error)}, not the abort reason`);
      }
    }
  })();
}

describe("task 1: Condition.wait()", () => {
  it(
    "Condition.wait() resolves true holding the lock once the notifier releases it",
    withClock(async () => {
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
      assert.equal(
        rec.firstAt("resumed"),
        undefined,
        "the waiter must not resume while the notifier still holds the lock",
      );
      lease[Symbol.dispose]();
      await waiter;
      assert.equal(
        rec.firstAt("resumed"),
        100,
        `the waiter resumes when the notifier releases the lock at t=100; yours resumed at t=${
          rec.firstAt("resumed")
        }`,
      );
    }),
  );

  it(
    "Condition.wait() without the lock rejects with InvalidStateError",
    withClock(async () => {
      const cond = new Condition();
      let waiting: Promise<true>;
      try {
        waiting = cond.wait();
      } catch (error) {
        if (isNotImplemented(error)) throw error;
        assert.fail(
          `cond.wait() without the lock must return a rejected promise, not throw synchronously; it threw ${
            String(error)
          }`,
        );
      }
      await rejectsWith(
        waiting,
        { name: "InvalidStateError" },
        "cond.wait() without holding the lock",
      );
      assert.equal(
        cond.locked(),
        false,
        "a failed wait() must not take the lock; locked() is true",
      );
      // The failed call must not have joined the waiters: a notify(1) must reach a real waiter.
      let woken = false;
      const waiter = (async () => {
        using _lease = await cond.acquire();
        await cond.wait();
        woken = true;
      })();
      await sleep(1);
      await locked(cond, () => cond.notify(1));
      await sleep(1);
      assert.equal(
        woken,
        true,
        "a wait() that failed without the lock must not stay in the waiter list; notify(1) was spent on it",
      );
      await waiter;
    }),
  );

  it(
    "Condition.wait() re-acquires the lock before rejecting when aborted",
    withClock(async (clock) => {
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
          assert.equal(
            cond.locked(),
            true,
            "an aborted wait() must still hand the lock back to its caller",
          );
        }
      })();
      await sleep(1);
      const other = await cond.acquire(); // another task holds the lock from t=1 to t=100
      setTimeout(() => ac.abort(reason), 20);
      await sleep(99);
      assert.equal(
        rec.firstAt("wait rejected"),
        undefined,
        "the aborted wait() must not return before it has the lock back (the other task holds it until t=100)",
      );
      other[Symbol.dispose]();
      await waiter;
      assert.equal(
        rec.firstAt("wait rejected"),
        100,
        "the aborted wait() rejects at t=100, once it re-acquired the lock",
      );
      assert.equal(
        clock.now(),
        100,
        `everything is over at t=100; yours ended at t=${clock.now()}`,
      );
      assert.equal(cond.locked(), false, "the waiter's using block released the lock it got back");
    }),
  );

  it(
    "Condition.wait() aborted while the lock is free rejects at once holding the lock",
    withClock(async (clock) => {
      const cond = new Condition();
      const ac = new AbortController();
      const reason = new DOMException("cancelled", "AbortError");
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
        `the aborted wait() ends at t=30; yours ended at t=${clock.now()}`,
      );
      assert.equal(cond.locked(), true, "after the aborted wait the caller holds the lock again");
    }),
  );

  it(
    "Condition.wait() with an aborted signal rejects at once and keeps the lock",
    withClock(async () => {
      const cond = new Condition();
      const reason = new Error("already aborted");
      using _lease = await cond.acquire();
      await rejectsWith(
        cond.wait({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "cond.wait({ signal: aborted })",
      );
      assert.equal(cond.locked(), true, "the caller still holds the lock");
      cond.notify(); // nobody waits: a no-op
    }),
  );

  it(
    "Condition.wait() aborted leaves the waiters so notify() reaches the next one",
    withClock(async () => {
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
      assert.deepEqual(
        woken,
        ["first aborted", "second woken"],
        "notify(1) after the first waiter aborted must wake the second one, not the one that left",
      );
    }),
  );
  it(
    "Condition.wait() aborted in the middle of the waiters leaves them; notify(2) wakes the other two",
    withClock(async () => {
      const cond = new Condition();
      const woken: string[] = [];
      const ac = new AbortController();
      const waiter = (name: string, signal?: AbortSignal) =>
        (async () => {
          using _lease = await cond.acquire();
          await cond.wait({ signal }).then(
            () => woken.push(`${name} woken`),
            () => woken.push(`${name} aborted`),
          );
        })();
      const waiters = [waiter("first"), waiter("second", ac.signal), waiter("third")];
      await sleep(1);
      ac.abort(new Error("second gives up"));
      await sleep(1);
      await locked(cond, () => cond.notify(2));
      await Promise.all(waiters);
      assert.deepEqual(
        woken,
        ["second aborted", "first woken", "third woken"],
        `after the second of three waiters aborted, notify(2) must wake the first and the third; yours: [${woken}]`,
      );
    }),
  );

  it(
    "Condition.wait() aborted while it re-acquires the lock after notify() rejects once the lock is back",
    withClock(async (clock) => {
      const cond = new Condition();
      const ac = new AbortController();
      const reason = new Error("gave up while re-acquiring");
      const rec = new EventRecorder();
      let outcome = "still waiting";
      let heldAtRejection = false;
      const waiter = (async () => {
        using _lease = await cond.acquire();
        try {
          const value = await cond.wait({ signal: ac.signal });
          outcome = `resolved ${String(value)}`;
        } catch (error) {
          outcome = error === reason
            ? "rejected with the reason"
            : `rejected with ${String(error)}`;
          heldAtRejection = cond.locked();
          rec.record("rejected");
        }
      })();
      await sleep(1);
      const notifier = await cond.acquire();
      cond.notify(); // the waiter is woken and now needs the lock, which the notifier holds
      await sleep(9);
      ac.abort(reason); // t=10: the abort comes while the waiter waits to re-acquire the lock
      await sleep(40);
      assert.equal(
        outcome,
        "still waiting",
        "the waiter cannot finish before it has the lock back (the notifier holds it until t=50)",
      );
      notifier[Symbol.dispose]();
      await waiter;
      assert.equal(
        outcome,
        "rejected with the reason",
        `an abort after notify() but before wait() returned wins (as in CPython): wait() must reject with the reason; yours ${outcome}`,
      );
      assert.equal(
        heldAtRejection,
        true,
        "the rejected wait() must have re-acquired the lock first",
      );
      assert.equal(
        rec.firstAt("rejected"),
        50,
        "the waiter rejects at t=50, once the notifier released the lock",
      );
      assert.equal(cond.locked(), false, "the waiter's using block released the lock it got back");
      assert.equal(clock.now(), 50, `everything is over at t=50; yours ended at t=${clock.now()}`);
    }),
  );

  it(
    "Condition.wait() aborted right after notify() picked it passes the wake-up to the next waiter",
    withClock(async () => {
      const cond = new Condition();
      const ac = new AbortController();
      const log: string[] = [];
      const a = loggedWaiter(cond, "a", log, ac.signal);
      const b = loggedWaiter(cond, "b", log);
      const c = loggedWaiter(cond, "c", log);
      await sleep(1);
      await locked(cond, () => {
        cond.notify(1); // picks a
        ac.abort(new Error("a leaves")); // before a has run again
      });
      await sleep(5);
      assert.deepEqual(
        log,
        ["a rejected", "b woken"],
        `a's wake-up must go to the next waiter, b (only b: c keeps waiting); yours did [${log}]`,
      );
      await locked(cond, () => cond.notifyAll());
      await Promise.all([a, b, c]);
    }),
  );

  it(
    "Condition.wait() aborted while re-acquiring passes the wake-up on once it has the lock",
    withClock(async () => {
      const cond = new Condition();
      const ac = new AbortController();
      const log: string[] = [];
      const a = loggedWaiter(cond, "a", log, ac.signal);
      const b = loggedWaiter(cond, "b", log);
      await sleep(1);
      const notifier = await cond.acquire();
      cond.notify(1);
      await sleep(1); // a is now re-acquiring the lock
      ac.abort(new Error("a leaves"));
      await sleep(1);
      notifier[Symbol.dispose]();
      await sleep(5);
      assert.deepEqual(
        log,
        ["a rejected", "b woken"],
        `the notify() a received must not be lost: b must wake after a rejects; yours did [${log}]`,
      );
      await locked(cond, () => cond.notifyAll());
      await Promise.all([a, b]);
    }),
  );

  it(
    "Condition.wait() aborted before any notify() wakes no other waiter",
    withClock(async () => {
      const cond = new Condition();
      const ac = new AbortController();
      const log: string[] = [];
      const a = loggedWaiter(cond, "a", log, ac.signal);
      const b = loggedWaiter(cond, "b", log);
      await sleep(1);
      ac.abort(new Error("a leaves"));
      await sleep(10);
      assert.deepEqual(
        log,
        ["a rejected"],
        `a was never notified, so it has no wake-up to pass on: b must keep waiting; yours did [${log}]`,
      );
      await locked(cond, () => cond.notify());
      await Promise.all([a, b]);
      assert.deepEqual(
        log,
        ["a rejected", "b woken"],
        `the next notify() wakes b; yours did [${log}]`,
      );
    }),
  );

  it(
    "Condition.wait() aborted while re-acquiring keeps its place in the lock's queue",
    withClock(async () => {
      const cond = new Condition();
      const ac = new AbortController();
      const order: string[] = [];
      const waiter = (async () => {
        using _lease = await cond.acquire();
        try {
          await cond.wait({ signal: ac.signal });
        } catch {
          order.push("waiter got the lock back and rejected");
        }
      })();
      await sleep(1);
      const notifier = await cond.acquire();
      cond.notify();
      await sleep(1); // the waiter queues for the lock
      const other = (async () => {
        using _lease = await cond.acquire(); // queues behind the waiter
        order.push("other got the lock");
      })();
      await sleep(1);
      ac.abort(new Error("stop"));
      notifier[Symbol.dispose]();
      await Promise.all([waiter, other]);
      assert.deepEqual(
        order,
        ["waiter got the lock back and rejected", "other got the lock"],
        `the re-acquire cannot be aborted, so the waiter keeps its place in the lock's queue; yours did [${order}]`,
      );
    }),
  );

  it(
    "Condition.wait() removes its abort listener on every path",
    withClock(async () => {
      const cond = new Condition();
      const woken = countingController();
      const waiter = (async () => {
        using _lease = await cond.acquire();
        await cond.wait({ signal: woken.controller.signal });
      })();
      await sleep(1);
      await locked(cond, () => cond.notify());
      await waiter;
      assert.equal(
        woken.active(),
        0,
        `a wait() woken by notify() must remove its abort listener; ${woken.active()} left`,
      );

      const aborted = countingController();
      {
        using _lease = await cond.acquire();
        const pending = cond.wait({ signal: aborted.controller.signal });
        aborted.controller.abort(new Error("stop"));
        await rejectsWith(pending, { message: "stop" }, "cond.wait({ signal }) aborted");
      }
      assert.equal(
        aborted.active(),
        0,
        `an aborted wait() must remove its abort listener; ${aborted.active()} left`,
      );
    }),
  );

  it(
    "Condition.wait() needs no timer while it waits",
    withClock(async (clock) => {
      const cond = new Condition();
      const waiters = [1, 2].map(async () => {
        using _lease = await cond.acquire();
        await cond.wait();
      });
      await clock.flush();
      assert.deepEqual(
        clock.pending().map((t) => `${t.kind}(${t.delay}) at ${t.origin}`),
        [],
        "waiting on a Condition needs no timer (no polling)",
      );
      await locked(cond, () => cond.notifyAll());
      await Promise.all(waiters);
      assert.equal(clock.now(), 0, `no time passes; yours took ${clock.now()} ms`);
    }),
  );
});

describe("task 1: Condition.notify()", () => {
  it(
    "Condition.notify(2) wakes exactly two waiters in FIFO order",
    withClock(async () => {
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
      assert.deepEqual(
        woken,
        [3, 1, 4, 2],
        `the second notify(2) wakes the last two, in order; yours woke [${woken}]`,
      );
    }),
  );

  it(
    "Condition.notify() wakes one waiter by default",
    withClock(async () => {
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
    }),
  );

  it(
    "Condition.notify() with nobody waiting does nothing",
    withClock(async () => {
      const cond = new Condition();
      await locked(cond, () => cond.notify(3));
      const rec = new EventRecorder();
      const waiter = (async () => {
        using _lease = await cond.acquire();
        await cond.wait();
        rec.record("woken");
      })();
      await sleep(50);
      assert.equal(
        rec.firstAt("woken"),
        undefined,
        "an earlier notify is not remembered: a later waiter must wait",
      );
      await locked(cond, () => cond.notify());
      await waiter;
      assert.equal(
        rec.firstAt("woken"),
        50,
        `the waiter wakes at the notify at t=50; yours woke at t=${rec.firstAt("woken")}`,
      );
    }),
  );

  it(
    "Condition.notifyAll() wakes every waiter",
    withClock(async () => {
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
      assert.equal(woken, 5, `notifyAll() wakes all 5 waiters; yours woke ${woken}`);
    }),
  );

  it(
    "Condition.notify() and notifyAll() without the lock throw InvalidStateError",
    withClock(async () => {
      const cond = new Condition();
      throwsWith(
        () => cond.notify(),
        { name: "InvalidStateError" },
        "cond.notify() without the lock",
      );
      throwsWith(
        () => cond.notifyAll(),
        { name: "InvalidStateError" },
        "cond.notifyAll() without the lock",
      );
      const waiter = (async () => {
        using _lease = await cond.acquire();
        await cond.wait();
      })();
      await sleep(1);
      throwsWith(
        () => cond.notify(),
        { name: "InvalidStateError" },
        "cond.notify() while a waiter waits but nobody holds the lock",
      );
      await locked(cond, () => cond.notify());
      await waiter;
    }),
  );
  it(
    "Condition.notify(0) and notify(-1) wake nobody; notify(n) beyond the waiters wakes them all",
    withClock(async () => {
      const cond = new Condition();
      const woken: number[] = [];
      const waiters = [1, 2, 3].map(async (n) => {
        using _lease = await cond.acquire();
        await cond.wait();
        woken.push(n);
      });
      await sleep(1);
      await locked(cond, () => cond.notify(0));
      await sleep(1);
      assert.deepEqual(woken, [], `notify(0) wakes nobody; yours woke [${woken}]`);
      await locked(cond, () => cond.notify(-1));
      await sleep(1);
      assert.deepEqual(woken, [], `notify(-1) wakes nobody; yours woke [${woken}]`);
      await locked(cond, () => cond.notify(10));
      await Promise.all(waiters);
      assert.deepEqual(
        woken,
        [1, 2, 3],
        `notify(10) with 3 waiters wakes all three, oldest first; yours woke [${woken}]`,
      );
    }),
  );

  it(
    "Condition.notifyAll() wakes only the waiters of that moment; a later waiter needs a new notify()",
    withClock(async () => {
      const cond = new Condition();
      const woken: string[] = [];
      const first = [1, 2].map(async (n) => {
        using _lease = await cond.acquire();
        await cond.wait();
        woken.push(`early ${n}`);
      });
      await sleep(1);
      await locked(cond, () => cond.notifyAll());
      await Promise.all(first);
      const late = (async () => {
        using _lease = await cond.acquire();
        await cond.wait();
        woken.push("late");
      })();
      await sleep(10);
      assert.deepEqual(
        woken,
        ["early 1", "early 2"],
        `the earlier notifyAll() must not wake a later waiter; yours woke [${woken}]`,
      );
      await locked(cond, () => cond.notify());
      await late;
      assert.deepEqual(
        woken,
        ["early 1", "early 2", "late"],
        `a new notify() must wake the later waiter; yours woke [${woken}]`,
      );
    }),
  );
});

describe("task 2: Condition.waitFor()", () => {
  it(
    "Condition.waitFor() checks the predicate before waiting",
    withClock(async (clock) => {
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
    }),
  );

  it(
    "Condition.waitFor() re-checks the predicate after every wake-up",
    withClock(async (clock) => {
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
      assert.equal(
        await result,
        3,
        "waitFor returns only when the predicate is truthy, with its value",
      );
      assert.equal(
        clock.now(),
        30,
        `the third notify, at t=30, makes the predicate true; yours returned at t=${clock.now()}`,
      );
    }),
  );

  it(
    "Condition.waitFor() aborted rejects with the reason and keeps the lock",
    withClock(async () => {
      const cond = new Condition();
      const reason = new Error("gave up");
      const ac = new AbortController();
      setTimeout(() => ac.abort(reason), 40);
      using _lease = await cond.acquire();
      await rejectsWith(
        cond.waitFor(() => false, { signal: ac.signal }),
        { is: reason },
        "cond.waitFor(never, { signal })",
      );
      assert.equal(
        cond.locked(),
        true,
        "the caller holds the lock again after the aborted waitFor",
      );
    }),
  );
  it(
    "Condition.waitFor() calls the predicate with the lock held and needs the lock only to wait",
    withClock(async () => {
      const cond = new Condition();
      const heldDuringCheck: boolean[] = [];
      let ready = false;
      const result = (async () => {
        using _lease = await cond.acquire();
        return await cond.waitFor(() => {
          heldDuringCheck.push(cond.locked());
          return ready && "ready";
        });
      })();
      await sleep(1);
      await locked(cond, () => {
        ready = true;
        cond.notify();
      });
      assert.equal(await result, "ready");
      assert.deepEqual(
        heldDuringCheck,
        [true, true],
        `the predicate is checked twice, each time with the lock held; yours: [${heldDuringCheck}]`,
      );
      assert.deepEqual(
        await cond.waitFor(() => [1, 2, 3]),
        [1, 2, 3],
        "a predicate that already holds returns at once, even without the lock (as in CPython)",
      );
      await rejectsWith(
        () => cond.waitFor(() => false),
        { name: "InvalidStateError" },
        "cond.waitFor(() => false) without the lock",
      );
    }),
  );
});

describe("task 1: Condition with a shared lock", () => {
  it(
    "Condition uses the lock it is given",
    withClock(async () => {
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
      assert.deepEqual(
        woken,
        ["a"],
        `a.notify() wakes a's waiter (b.notifyAll() has nobody to wake); yours woke [${woken}]`,
      );
    }),
  );
});

describe("task 3: BoundedBuffer", () => {
  it(
    "BoundedBuffer moves 1000 items without deadlock, loss or duplicates",
    withClock(async () => {
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
          assert.deepEqual(
            mine,
            [...mine].sort((x, y) => x - y),
            "each producer's items must come out in the order it put them",
          );
        }
      }
      assert.equal(
        buffer.size,
        0,
        `every item was taken: the buffer must be empty; it holds ${buffer.size}`,
      );
    }),
  );

  it(
    "BoundedBuffer.get() aborted rejects with the reason and loses nothing",
    withClock(async () => {
      const buffer = new BoundedBuffer<number>(1);
      const ac = new AbortController();
      const reason = new Error("consumer left");
      setTimeout(() => ac.abort(reason), 10);
      await rejectsWith(
        buffer.get({ signal: ac.signal }),
        { is: reason },
        "buffer.get({ signal }) aborted at t=10",
      );
      await buffer.put(7);
      assert.equal(await buffer.get(), 7, "the item put after the abort goes to the next get()");
    }),
  );

  it(
    "BoundedBuffer.get() aborted while waiting takes nothing; the next put() goes to the next get()",
    withClock(async () => {
      const buffer = new BoundedBuffer<string>(2);
      const ac = new AbortController();
      const reason = new Error("first consumer left");
      const first = rejectsWith(
        buffer.get({ signal: ac.signal }),
        { is: reason },
        "buffer.get({ signal }) aborted while the buffer is empty",
      );
      let secondGot = "nothing";
      const second = buffer.get().then((item) => (secondGot = item));
      await sleep(1);
      ac.abort(reason);
      await first;
      await buffer.put("only item");
      await sleep(5);
      assert.equal(
        secondGot,
        "only item",
        `the item must go to the get() still waiting; it has ${JSON.stringify(secondGot)}`,
      );
      await second;
      assert.equal(buffer.size, 0, `the one item was taken once; the buffer holds ${buffer.size}`);
    }),
  );

  it(
    "BoundedBuffer.put() aborted while the buffer is full adds nothing; the room goes to the next put()",
    withClock(async () => {
      const buffer = new BoundedBuffer<string>(1);
      await buffer.put("a");
      const ac = new AbortController();
      const reason = new Error("producer left");
      const aborted = rejectsWith(
        buffer.put("never", { signal: ac.signal }),
        { is: reason },
        "buffer.put(item, { signal }) aborted while the buffer is full",
      );
      let nextDone = false;
      const next = buffer.put("b").then(() => (nextDone = true));
      await sleep(1);
      ac.abort(reason);
      await aborted;
      assert.equal(await buffer.get(), "a", "get() takes the first item");
      await sleep(5);
      assert.equal(nextDone, true, "the room the get() made must go to the put() still waiting");
      await next;
      assert.equal(
        await buffer.get(),
        "b",
        "the buffer holds the waiting producer's item, never the aborted one",
      );
      assert.equal(buffer.size, 0, `nothing else is in the buffer; it holds ${buffer.size}`);
    }),
  );

  it(
    "BoundedBuffer.get() aborted while an earlier get() holds the buffer takes nothing",
    withClock(async () => {
      const buffer = new BoundedBuffer<string>(4);
      await buffer.put("a");
      await buffer.put("b");
      const first = buffer.get(); // takes the buffer's lock at once
      const ac = new AbortController();
      const reason = new Error("consumer left");
      const second = buffer.get({ signal: ac.signal }); // queues behind the first get
      ac.abort(reason);
      assert.equal(await first, "a", "the first get() takes the oldest item");
      await rejectsWith(
        second,
        { is: reason },
        "buffer.get({ signal }) aborted while it waited for its turn",
      );
      assert.equal(
        buffer.size,
        1,
        `an aborted get() takes nothing, even when an item is there: "b" stays; the buffer holds ${buffer.size} items`,
      );
      assert.equal(await buffer.get(), "b", 'the next get() takes "b"');
    }),
  );

  it(
    "BoundedBuffer with capacity 1 alternates put and get in order",
    withClock(async () => {
      const buffer = new BoundedBuffer<number>(1);
      const got: number[] = [];
      let maxSize = 0;
      const producer = (async () => {
        for (let i = 0; i < 20; i++) {
          await buffer.put(i);
          maxSize = Math.max(maxSize, buffer.size);
        }
      })();
      const consumer = (async () => {
        for (let i = 0; i < 20; i++) got.push(await buffer.get());
      })();
      await Promise.all([producer, consumer]);
      assert.deepEqual(
        got,
        Array.from({ length: 20 }, (_, i) => i),
        `items come out in the order they went in; yours: [${got}]`,
      );
      assert.equal(
        maxSize,
        1,
        `a buffer of capacity 1 never holds more than 1 item; yours held ${maxSize}`,
      );
    }),
  );

  it(
    "new BoundedBuffer() rejects a capacity below 1 with RangeError",
    withClock(async () => {
      const ok = new BoundedBuffer<number>(1);
      await ok.put(1);
      assert.equal(await ok.get(), 1, "a buffer of capacity 1 takes one item and gives it back");
      throwsWith(() => new BoundedBuffer(0), { name: "RangeError" }, "new BoundedBuffer(0)");
      throwsWith(() => new BoundedBuffer(2.5), { name: "RangeError" }, "new BoundedBuffer(2.5)");
    }),
  );
});
