/**
 * Visible tests for exercise 02. Each runs on the virtual clock: `clock.now()` is the virtual
 * time in ms since the test began, and timers fire instantly in virtual-time order.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, rejectsWith, withClock } from "../../lib/mod.ts";
import { asCompleted, wait } from "./wait.ts";

/** A promise that resolves with `value` after `ms` of virtual time. */
function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** A promise that rejects with `error` after `ms` of virtual time. */
function failAfter(ms: number, error: Error): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(error), ms));
}

/** Runs a for await loop over `gen`; returns the values and the error that ended it, if any. */
async function drain<T>(gen: AsyncIterable<T>): Promise<{ values: T[]; error?: unknown }> {
  const values: T[] = [];
  try {
    for await (const v of gen) values.push(v);
  } catch (error) {
    if (error instanceof Error && /^not implemented/.test(error.message)) throw error;
    return { values, error };
  }
  return { values };
}

describe("task 1: wait()", () => {
  it(
    "wait() with ALL_COMPLETED returns every task in done",
    withClock(async (clock) => {
      const a = after(100, "a");
      const b = after(300, "b");
      const { done, pending } = await wait([a, b]);
      assert.equal(
        clock.now(),
        300,
        `ALL_COMPLETED (the default) waits for the slowest task (t=300); yours returned at t=${clock.now()}`,
      );
      assert.ok(done.has(a) && done.has(b), "both tasks belong in done");
      assert.equal(pending.size, 0, `nothing should be pending; yours has ${pending.size}`);
    }),
  );

  it(
    "wait() with FIRST_COMPLETED returns as soon as one task settles",
    withClock(async (clock) => {
      const slow = after(500, "slow");
      const fast = after(100, "fast");
      const { done, pending } = await wait([slow, fast], { returnWhen: "FIRST_COMPLETED" });
      assert.equal(
        clock.now(),
        100,
        `FIRST_COMPLETED should return when the fast task settles (t=100); yours at t=${clock.now()}`,
      );
      assert.ok(
        done.size === 1 && done.has(fast),
        "done holds the very promise that settled, and only it",
      );
      assert.ok(pending.size === 1 && pending.has(slow), "pending holds the one still running");
      assert.equal(await slow, "slow", "the pending task keeps running");
    }),
  );

  it(
    "wait() with FIRST_EXCEPTION returns at the first failure, not the first success",
    withClock(async (clock) => {
      const ok = after(100, "ok");
      const bad = failAfter(200, new Error("bad"));
      const slow = after(900, "slow");
      const { done, pending } = await wait([ok, bad, slow], { returnWhen: "FIRST_EXCEPTION" });
      assert.equal(
        clock.now(),
        200,
        `FIRST_EXCEPTION should return when a task fails (t=200); yours at t=${clock.now()}`,
      );
      assert.ok(
        done.has(ok) && done.has(bad) && pending.has(slow),
        "done: ok and bad; pending: slow",
      );
      await slow;
    }),
  );

  it(
    "wait() with a timeout returns the unfinished tasks in pending without rejecting",
    withClock(async (clock) => {
      const quick = after(100, "quick");
      const slow = after(1000, "slow");
      const { done, pending } = await wait([quick, slow], { timeoutMs: 250 });
      assert.equal(
        clock.now(),
        250,
        `wait should return when the timeout passes (t=250); yours at t=${clock.now()}`,
      );
      assert.ok(done.has(quick), "the quick task is done");
      assert.ok(pending.has(slow), "the slow task is still pending");
      // asyncio.wait does not cancel on timeout: the slow task still finishes.
      assert.equal(
        await slow,
        "slow",
        "wait() never cancels: the slow task still finishes with its value",
      );
      assert.equal(clock.now(), 1000, "the slow task still ends at t=1000");
    }),
  );

  it(
    "wait() with timeoutMs 0 returns at the first timer turn, not never",
    withClock(async (clock) => {
      const ready = Promise.resolve("ready");
      const slow = after(500, "slow");
      const { done, pending } = await wait([ready, slow], { timeoutMs: 0 });
      assert.equal(
        clock.now(),
        0,
        `a timeout of 0 is a deadline of now (t=0), not "no timeout"; yours returned at t=${clock.now()}`,
      );
      assert.ok(
        done.has(ready) && pending.has(slow),
        "the task that had already settled is done; the slow one is pending",
      );
      await slow;
    }),
  );

  it(
    "wait() with an Infinity timeout waits without limit",
    withClock(async (clock) => {
      const { done } = await wait([after(700, "late")], { timeoutMs: Infinity });
      assert.equal(
        clock.now(),
        700,
        `Infinity means no limit: wait for the task (t=700); yours returned at t=${clock.now()}`,
      );
      assert.equal(done.size, 1, "the task is done");
    }),
  );

  it(
    "wait() counts a task given twice once",
    withClock(async (clock) => {
      const a = after(100, "a");
      const b = after(200, "b");
      const { done, pending } = await wait([a, a, b]);
      assert.equal(
        clock.now(),
        200,
        `wait([a, a, b]) should return when b settles (t=200); yours at t=${clock.now()}`,
      );
      assert.equal(
        done.size,
        2,
        `done should hold a and b once each; yours holds ${done.size} entries`,
      );
      assert.equal(pending.size, 0, "nothing should be pending");
    }),
  );

  it(
    "wait() of no tasks rejects with a RangeError",
    withClock(async () => {
      await rejectsWith(() => wait([]), { name: "RangeError" }, "wait([])");
    }),
  );

  it(
    "wait() with a NaN timeout rejects with a RangeError",
    withClock(async () => {
      const task = after(10, "x");
      await rejectsWith(
        () => wait([task], { timeoutMs: NaN }),
        { name: "RangeError" },
        "wait([task], { timeoutMs: NaN })",
      );
      await task;
    }),
  );

  it(
    "wait() accepts a timeout of exactly 2147483647 ms, the longest setTimeout keeps",
    withClock(async (clock) => {
      const task = after(100, "x");
      const { done, pending } = await wait([task], { timeoutMs: 2 ** 31 - 1 });
      assert.equal(
        clock.now(),
        100,
        `2147483647 ms is a valid timeout: wait() should return when the task settles (t=100); yours returned at t=${clock.now()}`,
      );
      assert.ok(done.has(task) && pending.size === 0, "the task is done, nothing is pending");
    }),
  );
});

describe("task 2: asCompleted()", () => {
  it(
    "asCompleted() yields results in the order they finish",
    withClock(async (clock) => {
      const seen: string[] = [];
      const times: number[] = [];
      for await (const value of asCompleted([after(300, "c"), after(100, "a"), after(200, "b")])) {
        seen.push(value);
        times.push(clock.now());
      }
      assert.deepEqual(
        seen,
        ["a", "b", "c"],
        `fastest first, not input order; yours: ${JSON.stringify(seen)}`,
      );
      assert.deepEqual(
        times,
        [100, 200, 300],
        `each result should arrive the moment it is ready; yours at ${JSON.stringify(times)}`,
      );
    }),
  );

  it(
    "asCompleted() keeps the order of inputs that settle in the same tick",
    withClock(async () => {
      const first = deferred<string>();
      const second = deferred<string>();
      setTimeout(() => {
        second.resolve("second input, settled first");
        first.resolve("first input, settled second");
      }, 100);
      const run = await drain(asCompleted([first.promise, second.promise]));
      assert.deepEqual(
        run.values,
        ["second input, settled first", "first input, settled second"],
        "inputs that settle in the same tick must come out in the order they settled, not the order they were given",
      );
    }),
  );

  it(
    "asCompleted() throws a TimeoutError from the next iteration when time runs out",
    withClock(async (clock) => {
      const seen: string[] = [];
      const slow = after(1000, "slow");
      await rejectsWith(
        async () => {
          for await (const value of asCompleted([after(100, "fast"), slow], { timeoutMs: 500 })) {
            seen.push(value);
          }
        },
        { name: "TimeoutError" },
        "for await (... of asCompleted([100 ms, 1000 ms], { timeoutMs: 500 }))",
      );
      assert.deepEqual(seen, ["fast"], "the fast result comes before the timeout");
      assert.equal(
        clock.now(),
        500,
        `the loop should throw at the deadline (t=500); yours at t=${clock.now()}`,
      );
      await slow; // nothing was cancelled: let it finish
    }),
  );

  it(
    "asCompleted() throws an input's error when its turn comes",
    withClock(async (clock) => {
      const later = after(300, "later");
      const run = await drain(
        asCompleted([later, failAfter(200, new TypeError("broken input")), after(100, "early")]),
      );
      assert.deepEqual(run.values, ["early"], "values ready before the failure are yielded first");
      assert.equal(
        (run.error as Error)?.message,
        "broken input",
        "the loop should throw the input's own error",
      );
      assert.equal(
        clock.now(),
        200,
        `the error should surface when that input fails (t=200); yours at t=${clock.now()}`,
      );
      await later;
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
    "asCompleted() yields an input given twice once",
    withClock(async () => {
      const a = after(100, "a");
      const run = await drain(asCompleted([a, after(50, "b"), a]));
      assert.deepEqual(
        run.values,
        ["b", "a"],
        `asCompleted([a, b, a]) should yield b, a; yours yielded ${JSON.stringify(run.values)}`,
      );
    }),
  );

  it(
    "asCompleted() counts the deadline from the first next(), not from the call",
    withClock(async (clock) => {
      const slow = after(2000, "slow");
      const gen = asCompleted([slow], { timeoutMs: 500 });
      await clock.sleep(300); // nobody iterates yet
      await rejectsWith(
        () => gen.next(),
        { name: "TimeoutError" },
        "the first next() at t=300 with timeoutMs 500",
      );
      assert.equal(
        clock.now(),
        800,
        `the deadline is 500 ms after the first next() (t=800); yours fired at t=${clock.now()}`,
      );
      await slow;
    }),
  );

  it(
    "asCompleted() with timeoutMs 0 yields what has already settled, then times out",
    withClock(async (clock) => {
      const slow = after(500, "slow");
      const run = await drain(asCompleted([Promise.resolve("ready"), slow], { timeoutMs: 0 }));
      assert.deepEqual(run.values, ["ready"], "the input that had already settled comes out first");
      assert.equal(
        (run.error as Error)?.name,
        "TimeoutError",
        'a timeout of 0 is a deadline of now, not "no timeout"',
      );
      assert.equal(
        clock.now(),
        0,
        `the TimeoutError should come at t=0; yours at t=${clock.now()}`,
      );
      await slow;
    }),
  );
});
