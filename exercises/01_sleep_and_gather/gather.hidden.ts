/**
 * Hidden tests for exercise 01: the edge cases the grader checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { gather, runConcurrent, runSequential, sleep } from "./gather.ts";

function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

function failAfter(ms: number, error: unknown): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(error), ms));
}

/** Counts the abort listeners currently registered on `signal`. */
function listenerCount(signal: AbortSignal): () => number {
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.add(listener);
        // A { once: true } listener is removed by the signal itself when it fires.
        if ((opts as AddEventListenerOptions | undefined)?.once) {
          add("abort", () => live.delete(listener), { once: true });
        }
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  return () => live.size;
}

/** Calls sleep() and fails the test if it throws instead of returning a promise. */
function callSleep(ms: number, options?: { signal?: AbortSignal }): Promise<void> {
  try {
    return sleep(ms, options);
  } catch (error) {
    if (error instanceof Error && /^not implemented/.test(error.message)) throw error;
    assert.fail(
      `sleep(${ms}) should report a problem by returning a rejected promise, not by throwing; it threw ${
        String(error)
      }`,
    );
  }
}

/**
 * Calls `start` with the global setTimeout replaced by a spy, and returns what `start` returned
 * and the delays of the timers armed during the call (a cleared timer counts too).
 */
function armedDuring<T>(start: () => T): { result: T; armed: number[] } {
  const original = globalThis.setTimeout;
  const armed: number[] = [];
  const call = original as (...args: unknown[]) => unknown;
  globalThis.setTimeout = ((handler: unknown, ms?: number, ...args: unknown[]) => {
    armed.push(ms ?? 0);
    return call(handler, ms, ...args);
  }) as unknown as typeof setTimeout;
  try {
    return { result: start(), armed };
  } finally {
    globalThis.setTimeout = original;
  }
}

const pendingTimers = (
  clock: { pending(): Array<{ kind: string; delay: number; dueAt: number }> },
) => clock.pending().map((t) => `${t.kind}(${t.delay}) due at t=${t.dueAt}`);

describe("task 1: sleep()", () => {
  it(
    "sleep() resolves after exactly the given virtual time",
    withClock(async (clock) => {
      await sleep(2500);
      assert.equal(
        clock.now(),
        2500,
        `sleep(2500) should take 2500 ms of virtual time; yours took ${clock.now()} ms`,
      );
    }),
  );

  it(
    "sleep() lets other sleeps run at the same time",
    withClock(async (clock) => {
      await Promise.all([sleep(1000), sleep(2000), sleep(1500)]);
      assert.equal(
        clock.now(),
        2000,
        `three sleeps side by side should end with the longest (2 s); yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "sleep(0) and sleep(-5) let a waiting timer run: a loop of them does not starve it",
    withClock(async () => {
      for (const ms of [0, -5]) {
        let fired = false;
        setTimeout(() => (fired = true), 0);
        let turns = 0;
        while (!fired && turns < 100) {
          await sleep(ms);
          turns++;
        }
        assert.ok(
          fired,
          `after 100 turns of \`await sleep(${ms})\` the 0 ms timer set before the loop had still not fired: ` +
            "a sleep of 0 (or less) must wait for a 0 ms setTimeout, not resolve in a microtask",
        );
      }
    }),
  );

  it(
    "sleep() accepts a fractional delay",
    withClock(async (clock) => {
      await callSleep(2.5);
      assert.ok(
        clock.now() >= 2 && clock.now() <= 3,
        `sleep(2.5) should end between t=2 and t=3; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "sleep(Infinity) starts no timer and ends only when the signal aborts",
    withClock(async (clock) => {
      const controller = new AbortController();
      const slept = callSleep(Infinity, { signal: controller.signal });
      const left = pendingTimers(clock);
      assert.deepEqual(
        left,
        [],
        "sleep(Infinity) must not start a timer (setTimeout would fire it after 1 ms); yours started: " +
          left.join(", "),
      );
      setTimeout(() => controller.abort(), 500);
      await rejectsWith(
        slept,
        { name: "AbortError" },
        "sleep(Infinity, { signal }) aborted at t=500",
      );
      assert.equal(
        clock.now(),
        500,
        `sleep(Infinity) should end at the abort (t=500); yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "sleep(NaN) rejects with a RangeError and starts no timer",
    withClock(async (clock) => {
      const { result, armed } = armedDuring(() => callSleep(NaN));
      await rejectsWith(result, { name: "RangeError" }, "sleep(NaN)");
      assert.equal(clock.timersFired, 0, "sleep(NaN) should reject without waiting for a timer");
      assert.deepEqual(
        armed,
        [],
        `sleep(NaN) should reject without arming a timer; yours called setTimeout(..., ${
          armed.join(", ")
        })`,
      );
    }),
  );

  it(
    "sleep() of more than 2147483647 ms rejects with a RangeError instead of firing after 1 ms",
    withClock(async (clock) => {
      await rejectsWith(callSleep(2 ** 31), { name: "RangeError" }, "sleep(2 ** 31)");
      await rejectsWith(callSleep(1e12), { name: "RangeError" }, "sleep(1e12)");
      assert.equal(clock.now(), 0, "a sleep that is too long should reject at once (t=0)");
    }),
  );

  it(
    "sleep() of exactly 2147483647 ms waits that long",
    withClock({ maxVirtualMs: 2 ** 32 }, async (clock) => {
      await callSleep(2 ** 31 - 1);
      assert.equal(
        clock.now(),
        2 ** 31 - 1,
        `sleep(2147483647) should end at t=2147483647; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "sleep() keeps a custom abort reason",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("user pressed stop");
      setTimeout(() => controller.abort(reason), 200);
      await rejectsWith(
        sleep(1000, { signal: controller.signal }),
        { is: reason },
        "sleep(1000, { signal })",
      );
      assert.equal(
        clock.now(),
        200,
        `the aborted sleep should end at the abort (t=200); yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "sleep() with an already-aborted signal rejects at once and starts no timer",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("already stopped");
      controller.abort(reason);
      const { result, armed } = armedDuring(() => callSleep(1000, { signal: controller.signal }));
      await rejectsWith(result, { is: reason }, "sleep(1000, { signal: aborted })");
      assert.deepEqual(
        armed,
        [],
        `an already-aborted sleep should not arm a timer at all (not even one it clears at once); yours called setTimeout(..., ${
          armed.join(", ")
        })`,
      );
      assert.equal(
        clock.now(),
        0,
        `an already-aborted sleep should reject at t=0; yours rejected at t=${clock.now()}`,
      );
      assert.equal(clock.timersFired, 0, "an already-aborted sleep should not wait for any timer");
    }),
  );

  it(
    "sleep() clears its timer when aborted",
    withClock(async (clock) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await rejectsWith(
        sleep(5000, { signal: controller.signal }),
        { name: "AbortError" },
        "sleep(5000, { signal })",
      );
      const left = pendingTimers(clock);
      assert.deepEqual(
        left,
        [],
        "an aborted sleep must clearTimeout its timer; still pending: " + left.join(", "),
      );
    }),
  );

  it(
    "sleep() removes its abort listener once it resolves",
    withClock(async () => {
      const controller = new AbortController();
      const count = listenerCount(controller.signal);
      await sleep(100, { signal: controller.signal });
      assert.equal(
        count(),
        0,
        `a finished sleep should remove its abort listener (removeEventListener); ${count()} still registered`,
      );
    }),
  );

  it(
    "sleep() removes its abort listener when it is aborted",
    withClock(async () => {
      for (const ms of [1000, Infinity]) {
        const controller = new AbortController();
        const count = listenerCount(controller.signal);
        setTimeout(() => controller.abort(), 100);
        await rejectsWith(
          sleep(ms, { signal: controller.signal }),
          { name: "AbortError" },
          `sleep(${ms}, { signal }) aborted at t=100`,
        );
        assert.equal(
          count(),
          0,
          `an aborted sleep(${ms}) should remove its abort listener too ({ once: true } or removeEventListener); ${count()} still registered`,
        );
      }
    }),
  );

  it(
    "sleep(-Infinity) is a sleep of 0: it waits for one 0 ms timer",
    withClock(async (clock) => {
      let fired = false;
      setTimeout(() => (fired = true), 0);
      await callSleep(-Infinity);
      assert.ok(
        fired,
        "sleep(-Infinity) should wait for a 0 ms timer like sleep(0), so the 0 ms timer set before it has fired",
      );
      assert.equal(
        clock.now(),
        0,
        `sleep(-Infinity) is a sleep of 0 and should end at t=0; yours ended at t=${clock.now()}`,
      );
    }),
  );
});

describe("task 2: runSequential()", () => {
  it(
    "runSequential() takes the sum of the durations",
    withClock(async (clock) => {
      const results = await runSequential([
        () => after(1000, "a"),
        () => after(2000, "b"),
        () => after(500, "c"),
      ]);
      assert.deepEqual(
        results,
        ["a", "b", "c"],
        `results in job order; yours: ${JSON.stringify(results)}`,
      );
      assert.equal(
        clock.now(),
        3500,
        `one after another, 1 s + 2 s + 0.5 s should take 3.5 s; yours took ${clock.now()} ms`,
      );
    }),
  );

  it(
    "runSequential() never runs two jobs at once",
    withClock(async () => {
      const probe = new ConcurrencyProbe("jobs");
      const job = probe.wrap((label: string) => after(100, label));
      await runSequential([() => job("a"), () => job("b"), () => job("c")]);
      probe.assertMaxAtMost(1);
    }),
  );

  it(
    "runSequential() stops at the first failure without starting the rest",
    withClock(async (clock) => {
      let thirdStarted = false;
      await rejectsWith(
        runSequential([
          () => after(100, 1),
          () => failAfter(100, new RangeError("job 2 failed")),
          () => {
            thirdStarted = true;
            return after(100, 3);
          },
        ]),
        { name: "RangeError", message: "job 2 failed" },
        "runSequential([ok, failing, ok])",
      );
      assert.equal(
        clock.now(),
        200,
        `the failure of job 2 should surface at t=200; yours at t=${clock.now()}`,
      );
      assert.equal(thirdStarted, false, "the job after a failure should never start");
    }),
  );

  it(
    "runSequential() stops at a job that throws instead of returning a promise",
    withClock(async (clock) => {
      let thirdStarted = false;
      await rejectsWith(
        runSequential([
          () => after(100, 1),
          () => {
            throw new TypeError("job 2 threw");
          },
          () => {
            thirdStarted = true;
            return after(100, 3);
          },
        ]),
        { name: "TypeError", message: "job 2 threw" },
        "runSequential([ok, throws, ok])",
      );
      assert.equal(
        clock.now(),
        100,
        `job 2 throws when it is called, at t=100; yours rejected at t=${clock.now()}`,
      );
      assert.equal(thirdStarted, false, "the job after one that threw should never start");
    }),
  );

  it(
    "runSequential() of no jobs resolves to an empty array",
    withClock(async () => {
      assert.deepEqual(await runSequential([]), [], "runSequential([]) should resolve to []");
    }),
  );
});

describe("task 3: runConcurrent()", () => {
  it(
    "runConcurrent() runs a 1 s job and a 2 s job in 2 s, not 3 s",
    withClock(async (clock) => {
      const results = await runConcurrent([() => after(1000, "one"), () => after(2000, "two")]);
      assert.deepEqual(
        results,
        ["one", "two"],
        `results in job order; yours: ${JSON.stringify(results)}`,
      );
      assert.equal(
        clock.now(),
        2000,
        `side by side, 1 s and 2 s should take 2 s; yours took ${clock.now()} ms`,
      );
    }),
  );

  it(
    "runConcurrent() starts every job at t=0, in order",
    withClock(async () => {
      const log = new EventRecorder();
      const job = (name: string, ms: number) => () => {
        log.record(name);
        return after(ms, name);
      };
      await runConcurrent([job("a", 300), job("b", 200), job("c", 100)]);
      assert.deepEqual(
        log.events.map((e) => [e.name, e.at]),
        [["a", 0], ["b", 0], ["c", 0]],
        "every job should start at once:\n" + log.format(),
      );
    }),
  );

  it(
    "runConcurrent() returns results in job order when they finish in reverse",
    withClock(async () => {
      const results = await runConcurrent([
        () => after(300, "a"),
        () => after(200, "b"),
        () => after(100, "c"),
      ]);
      assert.deepEqual(
        results,
        ["a", "b", "c"],
        `results must follow the order of the jobs; yours: ${JSON.stringify(results)}`,
      );
    }),
  );

  it(
    "runConcurrent() of no jobs resolves to an empty array",
    withClock(async () => {
      assert.deepEqual(await runConcurrent([]), [], "runConcurrent([]) should resolve to []");
    }),
  );

  it(
    "runConcurrent() rejects with the first failure in time and leaves no later failure unhandled",
    withClock(async (clock) => {
      await rejectsWith(
        runConcurrent([
          () => failAfter(300, new Error("late")),
          () => after(100, "ok"),
          () => failAfter(50, new Error("early")),
        ]),
        { message: "early" },
        "runConcurrent([fails at 300, ok at 100, fails at 50])",
      );
      assert.equal(
        clock.now(),
        50,
        `runConcurrent() should reject at the first failure (t=50); yours rejected at t=${clock.now()}`,
      );
      // The job that fails at t=300 must not become an unhandled rejection.
      await clock.sleep(300);
    }),
  );

  it(
    "runConcurrent() with a job that throws still starts the rest and leaves no failure unhandled",
    withClock(async (clock) => {
      const started: string[] = [];
      await rejectsWith(
        runConcurrent([
          () => {
            started.push("a");
            return failAfter(100, new Error("a failed later"));
          },
          () => {
            throw new TypeError("b threw");
          },
          () => {
            started.push("c");
            return after(50, "c");
          },
        ]),
        { name: "TypeError", message: "b threw" },
        "runConcurrent([fails at 100, throws, ok])",
      );
      assert.deepEqual(
        started,
        ["a", "c"],
        `job c should start although job b threw; yours started ${JSON.stringify(started)}`,
      );
      assert.equal(
        clock.now(),
        0,
        `the throw is the first failure (t=0); yours rejected at t=${clock.now()}`,
      );
      // Job a fails at t=100: that rejection must have a handler.
      await clock.sleep(200);
    }),
  );
});

describe("task 4: gather()", () => {
  it(
    "gather() keeps the input order, not the completion order",
    withClock(async (clock) => {
      const results = await gather([after(300, "x"), after(100, "y"), after(200, "z")]);
      assert.deepEqual(
        results,
        ["x", "y", "z"],
        `results must follow the input order; yours: ${JSON.stringify(results)}`,
      );
      assert.equal(
        clock.now(),
        300,
        `gather should resolve when the slowest item is done (t=300); yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "gather() of an empty list resolves to an empty array",
    withClock(async () => {
      assert.deepEqual(await gather([]), [], "gather([]) should resolve to []");
      assert.deepEqual(
        await gather([], { returnExceptions: true }),
        [],
        "gather([], { returnExceptions: true }) should resolve to []",
      );
    }),
  );

  it(
    "gather() accepts plain values and thenables next to promises",
    withClock(async () => {
      const thenable: PromiseLike<number> = {
        then: (onFulfilled) => Promise.resolve(4).then(onFulfilled),
      };
      const results = await gather<number>([1, after(100, 2), 3, thenable]);
      assert.deepEqual(
        results,
        [1, 2, 3, 4],
        `gather([1, promise of 2, 3, thenable of 4]) should give [1, 2, 3, 4]; yours: ${
          JSON.stringify(results)
        }`,
      );
    }),
  );

  it(
    "gather() fills every slot of a promise given more than once",
    withClock(async () => {
      const p = after(100, "p");
      const q = after(50, "q");
      assert.deepEqual(
        await gather([p, q, p, p]),
        ["p", "q", "p", "p"],
        "gather([p, q, p, p]): each slot of p holds p's value",
      );
      const bad = new Error("bad");
      const failing = failAfter(10, bad);
      const results = await gather([failing, p, failing], { returnExceptions: true });
      assert.equal(
        results.length,
        3,
        `one slot per item, duplicates included; yours has ${results.length}`,
      );
      assert.ok(
        results[0] === bad && results[1] === "p" && results[2] === bad,
        'gather([failing, p, failing], { returnExceptions: true }) should give [bad, "p", bad]',
      );
    }),
  );

  it(
    "gather() with returnExceptions keeps every slot, failures included",
    withClock(async (clock) => {
      const e1 = new Error("first");
      const e2 = new TypeError("second");
      const results = await gather([failAfter(300, e1), after(100, "ok"), failAfter(200, e2)], {
        returnExceptions: true,
      });
      assert.equal(
        results.length,
        3,
        `one slot per item, failures included; yours has ${results.length}`,
      );
      assert.equal(results[0], e1, "slot 0 should hold the error of item 0 itself");
      assert.equal(results[1], "ok", "slot 1 should hold the value of item 1");
      assert.equal(results[2], e2, "slot 2 should hold the error of item 2 itself");
      assert.equal(
        clock.now(),
        300,
        `gather waits for every item (t=300); yours returned at t=${clock.now()}`,
      );
    }),
  );

  it(
    "gather() with returnExceptions keeps a rejection reason that is not an Error exactly",
    withClock(async () => {
      const results = await gather<unknown>([
        failAfter(10, "plain text"),
        failAfter(20, 42),
        after(5, "ok"),
      ], { returnExceptions: true });
      assert.deepEqual(
        results,
        ["plain text", 42, "ok"],
        `each slot holds the rejection reason itself, not a wrapped copy; yours: ${
          JSON.stringify(results)
        }`,
      );
    }),
  );

  it(
    "gather() with returnExceptions resolves even when every item fails",
    withClock(async () => {
      const errors = [new Error("a"), new Error("b")];
      const results = await gather([failAfter(100, errors[0]), failAfter(50, errors[1])], {
        returnExceptions: true,
      });
      assert.ok(
        results[0] === errors[0] && results[1] === errors[1],
        "every failure should sit in its own slot, in input order",
      );
    }),
  );

  it(
    "gather() rejects with the failure that happens first in time, not first in the list",
    withClock(async (clock) => {
      const late = failAfter(200, new Error("late"));
      const early = failAfter(100, new Error("early"));
      await rejectsWith(
        gather([late, early]),
        { message: "early" },
        "gather([fails at 200, fails at 100])",
      );
      assert.equal(
        clock.now(),
        100,
        `gather should reject at t=100, when the first failure happens; yours at t=${clock.now()}`,
      );
      // The later failure must not become an unhandled rejection.
      await clock.sleep(200);
    }),
  );

  it(
    "gather() does not wait for the others before rejecting",
    withClock(async (clock) => {
      const log = new EventRecorder();
      const slow = after(1000, "slow").then((v) => (log.record("slow done"), v));
      await rejectsWith(gather([slow, failAfter(10, new Error("fast fail"))]), {
        message: "fast fail",
      }, "gather()");
      assert.equal(
        clock.now(),
        10,
        `gather should reject at t=10, without waiting for the 1 s item; yours at t=${clock.now()}`,
      );
      assert.equal(log.names().length, 0, "the slow item is still running at the rejection");
      await slow;
      assert.equal(
        log.firstAt("slow done"),
        1000,
        "nothing is cancelled: the slow item still finishes at t=1000",
      );
    }),
  );
});
