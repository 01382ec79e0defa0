/**
 * Hidden tests for exercise 02: the edge cases the grader checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, rejectsWith, withClock } from "../../lib/mod.ts";
import { asCompleted, type ReturnWhen, wait, type WaitOptions } from "./wait.ts";

function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

function failAfter(ms: number, error: Error): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(error), ms));
}

/** Names the members of a wait() set, for readable comparisons. */
function namesIn<T>(set: Set<Promise<T>>, names: Map<Promise<T>, string>): string[] {
  return [...set].map((p) => names.get(p) ?? "<a promise that was not passed in>").sort();
}

/** Collects an asCompleted() run: the values, their times, and the error that ended it. */
async function collect<T>(
  gen: AsyncIterable<T>,
  now: () => number,
): Promise<{ values: T[]; times: number[]; error?: unknown }> {
  const values: T[] = [];
  const times: number[] = [];
  try {
    for await (const v of gen) {
      values.push(v);
      times.push(now());
    }
  } catch (error) {
    if (error instanceof Error && /^not implemented/.test(error.message)) throw error;
    return { values, times, error };
  }
  return { values, times };
}

/** Calls wait() and fails the test if it throws instead of returning a promise. */
function callWait<T>(tasks: Iterable<Promise<T>>, options?: WaitOptions) {
  try {
    return wait(tasks, options);
  } catch (error) {
    if (error instanceof Error && /^not implemented/.test(error.message)) throw error;
    assert.fail(
      `wait() should report a problem by returning a rejected promise, not by throwing; it threw ${
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

describe("task 1: wait()", () => {
  it(
    "wait() waits for every task by default",
    withClock(async (clock) => {
      const a = after(200, 1);
      const b = after(700, 2);
      const c = after(400, 3);
      const names = new Map([[a, "a"], [b, "b"], [c, "c"]]);
      const { done, pending } = await wait([a, b, c]);
      assert.equal(
        clock.now(),
        700,
        `ALL_COMPLETED should return with the slowest task (t=700); yours at t=${clock.now()}`,
      );
      assert.deepEqual(namesIn(done, names), ["a", "b", "c"], "every task is done");
      assert.equal(pending.size, 0, `nothing is pending; yours has ${pending.size}`);
    }),
  );

  it(
    "wait() returns the very promises it was given",
    withClock(async () => {
      const a = after(100, "a");
      const b = after(200, "b");
      const { done } = await wait([a, b]);
      assert.ok(
        done.has(a) && done.has(b),
        "done must hold the input promises themselves, not copies or values",
      );
    }),
  );

  it(
    "wait() counts a failed task as done and does not reject",
    withClock(async (clock) => {
      const bad = failAfter(100, new Error("task failed"));
      const ok = after(200, "ok");
      const { done, pending } = await wait([ok, bad]);
      assert.equal(
        clock.now(),
        200,
        `a failure does not end ALL_COMPLETED: wait returns when the last task settles (t=200); yours at t=${clock.now()}`,
      );
      assert.ok(done.has(bad), "a rejected task is done (asyncio: task.done() is true)");
      assert.equal(pending.size, 0, "nothing is pending");
      await rejectsWith(bad, { message: "task failed" }, "the failed task itself");
    }),
  );

  it(
    "wait() with FIRST_COMPLETED counts a failure as the first completion",
    withClock(async (clock) => {
      const bad = failAfter(50, new Error("early failure"));
      const slow = after(300, "slow");
      const { done, pending } = await wait([slow, bad], { returnWhen: "FIRST_COMPLETED" });
      assert.equal(
        clock.now(),
        50,
        `a failure completes a task too (t=50); yours returned at t=${clock.now()}`,
      );
      assert.ok(done.has(bad) && pending.has(slow), "done: the failed task; pending: the slow one");
      await slow;
    }),
  );

  it(
    "wait() with FIRST_COMPLETED returns at once for a task that has already settled",
    withClock(async (clock) => {
      const ready = Promise.resolve("ready");
      const slow = after(300, "slow");
      const { done, pending } = await wait([slow, ready], { returnWhen: "FIRST_COMPLETED" });
      assert.equal(
        clock.now(),
        0,
        `an already-resolved task completes at t=0; yours returned at t=${clock.now()}`,
      );
      assert.ok(
        done.has(ready) && pending.has(slow),
        "done: the ready task; pending: the slow one",
      );
      await slow;
    }),
  );

  it(
    "wait() with FIRST_EXCEPTION returns on the first failure",
    withClock(async (clock) => {
      const a = after(100, "a");
      const bad = failAfter(300, new RangeError("bad"));
      const c = after(800, "c");
      const names = new Map<Promise<string>, string>([[a, "a"], [bad, "bad"], [c, "c"]]);
      const { done, pending } = await wait([a, bad, c], { returnWhen: "FIRST_EXCEPTION" });
      assert.equal(
        clock.now(),
        300,
        `FIRST_EXCEPTION should return when the first task fails (t=300), not at the first success; yours at t=${clock.now()}`,
      );
      assert.deepEqual(namesIn(done, names), ["a", "bad"], "done holds everything settled by then");
      assert.deepEqual(namesIn(pending, names), ["c"], "pending holds the task still running");
      await c;
    }),
  );

  it(
    "wait() with FIRST_EXCEPTION returns at once for a task that has already failed",
    withClock(async (clock) => {
      const failed = Promise.reject(new Error("failed before the wait"));
      failed.catch(() => {}); // handled here too, so nothing is left unhandled if wait() throws
      const slow = after(400, "slow");
      const { done, pending } = await wait([slow, failed], { returnWhen: "FIRST_EXCEPTION" });
      assert.equal(
        clock.now(),
        0,
        `the failure is already there: return at t=0; yours returned at t=${clock.now()}`,
      );
      assert.ok(
        done.has(failed) && pending.has(slow),
        "done: the failed task; pending: the slow one",
      );
      await slow;
    }),
  );

  it(
    "wait() with FIRST_EXCEPTION and no failure waits for every task",
    withClock(async (clock) => {
      const { done, pending } = await wait([after(100, 1), after(600, 2)], {
        returnWhen: "FIRST_EXCEPTION",
      });
      assert.equal(
        clock.now(),
        600,
        `with no failure, FIRST_EXCEPTION is the same as ALL_COMPLETED (t=600); yours at t=${clock.now()}`,
      );
      assert.equal(done.size, 2, "both tasks are done");
      assert.equal(pending.size, 0, "nothing is pending");
    }),
  );

  it(
    "wait() never rejects on timeout and never cancels the pending tasks",
    withClock(async (clock) => {
      const slow = after(1000, "slow");
      const slower = after(2000, "slower");
      const result = await wait([slow, slower], { timeoutMs: 100 });
      assert.equal(
        clock.now(),
        100,
        `wait should return at the timeout (t=100); yours at t=${clock.now()}`,
      );
      assert.equal(result.done.size, 0, "nothing finished within 100 ms");
      assert.ok(result.pending.has(slow) && result.pending.has(slower), "both tasks are pending");
      assert.deepEqual(
        await Promise.all([slow, slower]),
        ["slow", "slower"],
        "pending tasks keep running",
      );
    }),
  );

  it(
    "wait() with FIRST_COMPLETED and a timeout returns at whichever comes first",
    withClock(async (clock) => {
      const slow = after(900, "slow");
      const { done, pending } = await wait([slow], {
        returnWhen: "FIRST_COMPLETED",
        timeoutMs: 200,
      });
      assert.equal(
        clock.now(),
        200,
        `the timeout comes first (t=200); yours returned at t=${clock.now()}`,
      );
      assert.equal(done.size, 0, "nothing is done");
      assert.ok(pending.has(slow), "the slow task is pending");
      await slow;
    }),
  );

  it(
    "wait() with a null timeout waits without limit",
    withClock(async (clock) => {
      const { done } = await wait([after(5000, "late")], { timeoutMs: null });
      assert.equal(
        clock.now(),
        5000,
        `no limit: wait for the task (t=5000); yours returned at t=${clock.now()}`,
      );
      assert.equal(done.size, 1, "the task is done");
    }),
  );

  it(
    "wait() with an Infinity timeout starts no timer",
    withClock(async (clock) => {
      const task = after(700, "late");
      const waiting = callWait([task], { timeoutMs: Infinity });
      const left = pendingTimers(clock);
      assert.deepEqual(
        left,
        ["setTimeout(700) due at t=700"],
        "Infinity means no limit and no timer (setTimeout would fire it after 1 ms); timers: " +
          left.join(", "),
      );
      const { done } = await waiting;
      assert.equal(
        clock.now(),
        700,
        `wait for the task (t=700); yours returned at t=${clock.now()}`,
      );
      assert.equal(done.size, 1, "the task is done");
    }),
  );

  it(
    "wait() with a timeout of 0 or less returns at the first timer turn",
    withClock(async (clock) => {
      for (const timeoutMs of [0, -50]) {
        const ready = Promise.resolve("ready");
        const slow = after(500, "slow");
        const { done, pending } = await wait([ready, slow], { timeoutMs });
        assert.equal(
          clock.now(),
          0,
          `timeoutMs ${timeoutMs} is a deadline of now (t=0), not "no timeout"; yours returned at t=${clock.now()}`,
        );
        assert.ok(
          done.has(ready) && pending.has(slow),
          `timeoutMs ${timeoutMs}: the settled task is done, the slow one pending`,
        );
        slow.then(() => {}); // finishes after the test's last await
      }
      await clock.sleep(600);
    }),
  );

  it(
    "wait() with a timeout of -Infinity returns at the first timer turn",
    withClock(async (clock) => {
      const ready = Promise.resolve("ready");
      const slow = after(500, "slow");
      const { done, pending } = await wait([ready, slow], { timeoutMs: -Infinity });
      assert.equal(
        clock.now(),
        0,
        `timeoutMs -Infinity is negative, a deadline of now (t=0), not "no timeout"; yours returned at t=${clock.now()}`,
      );
      assert.ok(
        done.has(ready) && pending.has(slow),
        "timeoutMs -Infinity: the settled task is done, the slow one pending",
      );
      await slow;
    }),
  );

  it(
    "wait() returns a snapshot: a task that settles after it returned stays in pending",
    withClock(async () => {
      const a = after(100, "a");
      const b = after(300, "b");
      const names = new Map([[a, "a"], [b, "b"]]);
      const { done, pending } = await wait([a, b], { returnWhen: "FIRST_COMPLETED" });
      await b; // t=300: b settles after wait() returned
      assert.deepEqual(
        namesIn(done, names),
        ["a"],
        `done holds what had settled when wait() returned (a); after b settled, yours holds ${
          JSON.stringify(namesIn(done, names))
        }`,
      );
      assert.deepEqual(
        namesIn(pending, names),
        ["b"],
        `pending keeps b, which was still running when wait() returned; yours holds ${
          JSON.stringify(namesIn(pending, names))
        }`,
      );
    }),
  );

  it(
    "wait() with a NaN or too large timeout rejects with a RangeError",
    withClock(async (clock) => {
      const task = after(10, "x");
      await rejectsWith(
        callWait([task], { timeoutMs: NaN }),
        { name: "RangeError" },
        "wait([task], { timeoutMs: NaN })",
      );
      await rejectsWith(
        callWait([task], { timeoutMs: 2 ** 31 }),
        { name: "RangeError" },
        "wait([task], { timeoutMs: 2 ** 31 })",
      );
      assert.equal(clock.now(), 0, "the RangeError comes at once");
      await task;
    }),
  );

  it(
    "wait() clears its timeout timer when the tasks finish first",
    withClock(async (clock) => {
      await wait([after(100, "a"), after(200, "b")], { timeoutMs: 10_000 });
      const left = pendingTimers(clock);
      assert.deepEqual(
        left,
        [],
        "wait's timeout timer must be cleared once it returns; still pending: " + left.join(", "),
      );
    }),
  );

  it(
    "wait() of no tasks rejects with a RangeError instead of throwing",
    withClock(async () => {
      await rejectsWith(callWait([]), { name: "RangeError" }, "wait([])");
      await rejectsWith(
        callWait(new Set<Promise<number>>()),
        { name: "RangeError" },
        "wait(new Set())",
      );
    }),
  );

  it(
    "wait() with an unknown returnWhen rejects with a RangeError",
    withClock(async () => {
      const task = after(10, "x");
      await rejectsWith(
        callWait([task], { returnWhen: "FIRST_SUCCESS" as ReturnWhen }),
        { name: "RangeError" },
        'wait([task], { returnWhen: "FIRST_SUCCESS" })',
      );
      await task;
    }),
  );

  it(
    "wait() counts duplicates once",
    withClock(async (clock) => {
      const a = after(100, "a");
      const b = after(300, "b");
      const { done } = await wait([a, b, a, a], { returnWhen: "ALL_COMPLETED" });
      assert.equal(
        clock.now(),
        300,
        `wait([a, b, a, a]) returns when b settles (t=300); yours at t=${clock.now()}`,
      );
      assert.equal(done.size, 2, `done holds a and b, once each; yours has ${done.size} entries`);
      const second = await wait([b, b], { timeoutMs: 10 });
      assert.ok(
        second.done.size === 1 && second.pending.size === 0,
        "wait([b, b]) on a settled b: done holds b once",
      );
    }),
  );

  it(
    "wait() accepts any iterable of promises",
    withClock(async (clock) => {
      const a = after(100, "a");
      const b = after(200, "b");
      const fromSet = await wait(new Set([a, b]));
      assert.equal(fromSet.done.size, 2, "wait(new Set([a, b])) should watch both");
      function* both() {
        yield a;
        yield b;
      }
      const fromGenerator = await wait(both());
      assert.equal(fromGenerator.done.size, 2, "wait(generator of a and b): both are done");
      assert.equal(clock.now(), 200, `both waits end at t=200; yours at t=${clock.now()}`);
    }),
  );

  it(
    "wait() never polls: the only timers are the tasks' own",
    withClock(async (clock) => {
      await wait([after(1000, "a"), after(3000, "b")]);
      assert.equal(
        clock.timersFired,
        2,
        `only the two tasks' timers should fire; ${clock.timersFired} fired (polling?)`,
      );
    }),
  );
});

describe("task 2: asCompleted()", () => {
  it(
    "asCompleted() yields in completion order with the time each is ready, without polling",
    withClock(async (clock) => {
      const run = await collect(
        asCompleted([after(503, "e"), after(101, "a"), after(307, "c")]),
        () => clock.now(),
      );
      assert.deepEqual(
        run.values,
        ["a", "c", "e"],
        `fastest first, not input order; yours: ${JSON.stringify(run.values)}`,
      );
      assert.deepEqual(
        run.times,
        [101, 307, 503],
        `each value should be yielded the moment it is ready; yours at ${
          JSON.stringify(run.times)
        }`,
      );
      assert.equal(run.error, undefined, "the loop ends without an error");
      assert.equal(
        clock.timersFired,
        3,
        `only the three inputs' timers should fire; ${clock.timersFired} fired (polling?)`,
      );
    }),
  );

  it(
    "asCompleted() keeps the completion order of inputs that settle in the same tick",
    withClock(async () => {
      const first = deferred<string>();
      const second = deferred<string>();
      setTimeout(() => {
        // Both settle in one tick, the second input before the first.
        second.resolve("second input, settled first");
        first.resolve("first input, settled second");
      }, 100);
      const run = await collect(asCompleted([first.promise, second.promise]), () => 0);
      assert.deepEqual(
        run.values,
        ["second input, settled first", "first input, settled second"],
        "inputs that settle in the same tick must still come out in the order they settled",
      );
    }),
  );

  it(
    "asCompleted() yields in completion order even when the loop starts late",
    withClock(async (clock) => {
      const inputs = [after(300, "c"), after(200, "b"), after(100, "a")];
      const gen = asCompleted(inputs);
      await clock.sleep(1000); // everything has settled before the first next()
      const run = await collect(gen, () => clock.now());
      assert.deepEqual(
        run.values,
        ["a", "b", "c"],
        `order of completion, even if all were ready before the loop began; yours: ${
          JSON.stringify(run.values)
        }`,
      );
    }),
  );

  it(
    "asCompleted() accepts plain values next to promises",
    withClock(async () => {
      const run = await collect(asCompleted<string>([after(100, "later"), "now"]), () => 0);
      assert.deepEqual(
        run.values,
        ["now", "later"],
        `a plain value is ready at once; yours: ${JSON.stringify(run.values)}`,
      );
    }),
  );

  it(
    "asCompleted() of no inputs yields nothing and starts no timer",
    withClock(async (clock) => {
      const gen = asCompleted<number>([], { timeoutMs: 100 });
      const { result: first, armed } = armedDuring(() => gen.next());
      assert.deepEqual(
        await first,
        { value: undefined, done: true },
        "asCompleted([]) has nothing to yield: the first next() ends the loop",
      );
      assert.deepEqual(
        armed,
        [],
        `an empty group has no deadline to wait for: no timer should be armed, not even one cleared at once; yours called setTimeout(..., ${
          armed.join(", ")
        })`,
      );
      const run = await collect(asCompleted<number>([], { timeoutMs: 100 }), () => 0);
      assert.deepEqual(run.values, [], "nothing to yield");
      assert.equal(run.error, undefined, "an empty group finishes without a timeout");
      assert.equal(clock.now(), 0, "an empty group finishes at once");
      assert.deepEqual(pendingTimers(clock), [], "no timer may be left");
    }),
  );

  it(
    "asCompleted() throws an input's error when its turn comes",
    withClock(async (clock) => {
      const later = after(300, "later");
      const run = await collect(
        asCompleted([later, failAfter(200, new TypeError("broken input")), after(100, "early")]),
        () => clock.now(),
      );
      assert.deepEqual(run.values, ["early"], "values ready before the failure are yielded first");
      assert.equal(
        (run.error as Error)?.name,
        "TypeError",
        "the loop should throw the input's own error",
      );
      assert.equal(
        clock.now(),
        200,
        `the error should surface when that input fails (t=200); yours at t=${clock.now()}`,
      );
      await later; // nothing was cancelled
    }),
  );

  it(
    "asCompleted() throws a DOMException named TimeoutError at the deadline",
    withClock(async (clock) => {
      const slow = after(800, "slow");
      const run = await collect(
        asCompleted([slow, after(100, "fast")], { timeoutMs: 300 }),
        () => clock.now(),
      );
      assert.deepEqual(run.values, ["fast"], "the fast value comes before the deadline");
      assert.ok(
        run.error instanceof DOMException && run.error.name === "TimeoutError",
        `the deadline should end the loop with a DOMException named TimeoutError; yours: ${
          String(run.error)
        }`,
      );
      assert.equal(
        clock.now(),
        300,
        `the TimeoutError should come at t=300, not when the slow input finishes; yours at t=${clock.now()}`,
      );
      assert.equal(await slow, "slow", "nothing is cancelled at the deadline");
    }),
  );

  it(
    "asCompleted() still yields results that were ready before the deadline",
    withClock(async (clock) => {
      const gen = asCompleted([after(100, "a"), after(120, "b"), after(900, "c")], {
        timeoutMs: 150,
      });
      const first = await gen.next();
      assert.deepEqual(first, { value: "a", done: false }, "the first next() gives a");
      await clock.sleep(100); // t=200: "b" arrived at 120, the deadline passed at 150
      const second = await gen.next();
      assert.deepEqual(
        second,
        { value: "b", done: false },
        "b was ready before the deadline, so it still comes out (as in CPython)",
      );
      await rejectsWith(
        () => gen.next(),
        { name: "TimeoutError" },
        "the next() after the deadline",
      );
      assert.deepEqual(
        await gen.next(),
        { value: undefined, done: true },
        "after the TimeoutError the generator is finished",
      );
      await clock.sleep(1000);
    }),
  );

  it(
    "asCompleted() clears its deadline timer when the loop breaks early",
    withClock(async (clock) => {
      const rest = after(200, "b");
      for await (const value of asCompleted([after(100, "a"), rest], { timeoutMs: 5000 })) {
        assert.equal(value, "a", "the first value is a");
        break;
      }
      const deadline = clock.pending().filter((t) => t.delay === 5000);
      assert.equal(
        deadline.length,
        0,
        "breaking out of the loop must clear asCompleted's 5000 ms timer (use a finally)",
      );
      await rest;
    }),
  );

  it(
    "asCompleted() clears its deadline timer when every input is done",
    withClock(async (clock) => {
      await collect(asCompleted([after(100, 1), after(200, 2)], { timeoutMs: 1000 }), () => 0);
      assert.deepEqual(
        pendingTimers(clock),
        [],
        "the deadline timer must be cleared when the loop ends",
      );
    }),
  );

  it(
    "asCompleted() clears its deadline timer when an input's error ends the loop",
    withClock(async (clock) => {
      const run = await collect(
        asCompleted([failAfter(100, new Error("input failed"))], { timeoutMs: 1000 }),
        () => 0,
      );
      assert.equal(
        (run.error as Error)?.message,
        "input failed",
        "the input's error ends the loop",
      );
      assert.deepEqual(
        pendingTimers(clock),
        [],
        "the deadline timer must be cleared when an error ends the loop",
      );
    }),
  );

  it(
    "asCompleted() does not leave a later failure unhandled after a break",
    withClock(async (clock) => {
      for await (
        const value of asCompleted([after(100, "a"), failAfter(200, new Error("late failure"))])
      ) {
        assert.equal(value, "a", "the first value is a");
        break;
      }
      // The failing input rejects at t=200 with nobody iterating: asCompleted must already
      // have attached a handler to it, or it becomes an unhandled rejection.
      await clock.sleep(300);
    }),
  );

  it(
    "asCompleted() yields a duplicate input once",
    withClock(async () => {
      const a = after(100, "a");
      const b = after(200, "b");
      const run = await collect(asCompleted([a, b, a, b, a]), () => 0);
      assert.deepEqual(
        run.values,
        ["a", "b"],
        `each distinct input is yielded once; yours: ${JSON.stringify(run.values)}`,
      );
    }),
  );

  it(
    "asCompleted() starts its deadline at the first next() and no timer before it",
    withClock(async (clock) => {
      const slow = after(3000, "slow");
      const gen = asCompleted([slow], { timeoutMs: 1000 });
      assert.deepEqual(
        pendingTimers(clock),
        ["setTimeout(3000) due at t=3000"],
        "no deadline timer before the first next()",
      );
      await clock.sleep(500);
      await rejectsWith(
        () => gen.next(),
        { name: "TimeoutError" },
        "the first next() at t=500 with timeoutMs 1000",
      );
      assert.equal(
        clock.now(),
        1500,
        `the deadline is 1000 ms after the first next() (t=1500); yours at t=${clock.now()}`,
      );
      const never = asCompleted([slow], { timeoutMs: 1000 });
      await never.return();
      assert.deepEqual(
        pendingTimers(clock),
        ["setTimeout(3000) due at t=3000"],
        "an asCompleted nobody iterates leaves no timer",
      );
      await slow;
    }),
  );

  it(
    "asCompleted() with a timeout of 0 or less yields what has settled, then times out at once",
    withClock(async (clock) => {
      for (const timeoutMs of [0, -5]) {
        const slow = after(500, "slow");
        const run = await collect(
          asCompleted([Promise.resolve("ready"), slow], { timeoutMs }),
          () => clock.now(),
        );
        assert.deepEqual(
          run.values,
          ["ready"],
          `timeoutMs ${timeoutMs}: the input that had already settled comes first`,
        );
        assert.equal(
          (run.error as Error)?.name,
          "TimeoutError",
          `timeoutMs ${timeoutMs} is a deadline of now, not "no timeout"`,
        );
        assert.equal(
          clock.now(),
          0,
          `timeoutMs ${timeoutMs}: the TimeoutError comes at t=0; yours at t=${clock.now()}`,
        );
        slow.then(() => {});
      }
      await clock.sleep(600);
    }),
  );

  it(
    "asCompleted() with a timeout of -Infinity times out at once",
    withClock(async (clock) => {
      const slow = after(500, "slow");
      const run = await collect(
        asCompleted([Promise.resolve("ready"), slow], { timeoutMs: -Infinity }),
        () => clock.now(),
      );
      assert.deepEqual(
        run.values,
        ["ready"],
        `the input that had already settled comes first, then the deadline (now) ends the loop; yours yielded ${
          JSON.stringify(run.values)
        }`,
      );
      assert.equal(
        (run.error as Error)?.name,
        "TimeoutError",
        `timeoutMs -Infinity is negative, a deadline of now, not "no timeout"; yours ended with ${
          String(run.error)
        }`,
      );
      assert.equal(
        clock.now(),
        0,
        `the TimeoutError comes at t=0; yours at t=${clock.now()}`,
      );
      await slow;
    }),
  );

  it(
    "asCompleted() does not yield an input that settles after the deadline",
    withClock(async (clock) => {
      const gen = asCompleted([after(10, "a"), after(150, "b"), after(900, "c")], {
        timeoutMs: 100,
      });
      assert.deepEqual(await gen.next(), { value: "a", done: false }, "the first next() gives a");
      await clock.sleep(190); // t=200: the deadline passed at t=100, b settled later, at t=150
      await rejectsWith(
        () => gen.next(),
        { name: "TimeoutError" },
        "the next() at t=200 (deadline t=100; b settled after it, at t=150, so b is not yielded, as in CPython)",
      );
      await clock.sleep(1000);
    }),
  );

  it(
    "asCompleted() accepts any iterable, a generator included",
    withClock(async (clock) => {
      const a = after(200, "a");
      const b = after(100, "b");
      function* both() {
        yield a;
        yield b;
      }
      const run = await collect(asCompleted(both()), () => clock.now());
      assert.deepEqual(
        run.values,
        ["b", "a"],
        `asCompleted(generator of a, b) should yield b then a (a generator can be read only once); yours: ${
          JSON.stringify(run.values)
        }`,
      );
      assert.equal(run.error, undefined, "the loop ends without an error");
    }),
  );

  it(
    "asCompleted() accepts a timeout of exactly 2147483647 ms, the longest setTimeout keeps",
    withClock(async (clock) => {
      const run = await collect(
        asCompleted([after(100, "x")], { timeoutMs: 2 ** 31 - 1 }),
        () => clock.now(),
      );
      assert.equal(
        run.error,
        undefined,
        `2147483647 ms is a valid timeout; yours ended with ${String(run.error)}`,
      );
      assert.deepEqual(run.values, ["x"], "the value comes out at t=100");
    }),
  );

  it(
    "asCompleted() with an Infinity timeout has no deadline and no timer",
    withClock(async (clock) => {
      const gen = asCompleted([after(400, "a")], { timeoutMs: Infinity });
      const first = gen.next();
      assert.deepEqual(
        pendingTimers(clock),
        ["setTimeout(400) due at t=400"],
        "Infinity means no deadline timer (setTimeout would fire it after 1 ms)",
      );
      assert.deepEqual(
        await first,
        { value: "a", done: false },
        "the value comes out at t=400, no TimeoutError",
      );
      assert.deepEqual(await gen.next(), { value: undefined, done: true }, "then the loop ends");
      assert.equal(clock.now(), 400, `the run ends at t=400; yours at t=${clock.now()}`);
    }),
  );

  it(
    "asCompleted() throws a RangeError at the call for a NaN or too large timeout",
    withClock(async () => {
      const task = after(10, "x");
      for (const timeoutMs of [NaN, 2 ** 31]) {
        let thrown: unknown;
        try {
          asCompleted([task], { timeoutMs });
        } catch (error) {
          if (error instanceof Error && /^not implemented/.test(error.message)) throw error;
          thrown = error;
        }
        assert.equal(
          (thrown as Error)?.name,
          "RangeError",
          `asCompleted([task], { timeoutMs: ${timeoutMs} }) should throw a RangeError at once; yours threw ${
            String(thrown)
          }`,
        );
      }
      await task;
    }),
  );
});
