/**
 * Hidden tests for exercise 02: the edge cases the grader checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, rejectsWith, withClock } from "../../lib/mod.ts";
import { asCompleted, type ReturnWhen, wait } from "./wait.ts";

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

describe("wait()", () => {
  it("wait() waits for every task by default", withClock(async (clock) => {
    const a = after(200, 1);
    const b = after(700, 2);
    const c = after(400, 3);
    const names = new Map([[a, "a"], [b, "b"], [c, "c"]]);
    const { done, pending } = await wait([a, b, c]);
    assert.equal(clock.now(), 700, "ALL_COMPLETED should return with the slowest task (t=700)");
    assert.deepEqual(namesIn(done, names), ["a", "b", "c"]);
    assert.equal(pending.size, 0);
  }));

  it("wait() returns the very promises it was given", withClock(async () => {
    const a = after(100, "a");
    const b = after(200, "b");
    const { done } = await wait([a, b]);
    assert.ok(done.has(a) && done.has(b), "done must hold the input promises themselves, not copies or values");
  }));

  it("wait() counts a failed task as done and does not reject", withClock(async (clock) => {
    const ok = after(100, "ok");
    const bad = failAfter(200, new Error("task failed"));
    const { done, pending } = await wait([ok, bad]);
    assert.equal(clock.now(), 200);
    assert.ok(done.has(bad), "a rejected task is done (asyncio: task.done() is true)");
    assert.equal(pending.size, 0);
    await rejectsWith(bad, { message: "task failed" }, "the failed task itself");
  }));

  it("wait() with FIRST_COMPLETED counts a failure as the first completion", withClock(async (clock) => {
    const bad = failAfter(50, new Error("early failure"));
    const slow = after(300, "slow");
    const { done, pending } = await wait([slow, bad], { returnWhen: "FIRST_COMPLETED" });
    assert.equal(clock.now(), 50, "a failure completes a task too (t=50)");
    assert.ok(done.has(bad) && pending.has(slow));
    await slow;
  }));

  it("wait() with FIRST_COMPLETED returns at once for a task that has already settled", withClock(async (clock) => {
    const ready = Promise.resolve("ready");
    const slow = after(300, "slow");
    const { done, pending } = await wait([slow, ready], { returnWhen: "FIRST_COMPLETED" });
    assert.equal(clock.now(), 0, "an already-resolved task completes at t=0");
    assert.ok(done.has(ready) && pending.has(slow));
    await slow;
  }));

  it("wait() with FIRST_EXCEPTION returns on the first failure", withClock(async (clock) => {
    const a = after(100, "a");
    const bad = failAfter(300, new RangeError("bad"));
    const c = after(800, "c");
    const names = new Map<Promise<string>, string>([[a, "a"], [bad, "bad"], [c, "c"]]);
    const { done, pending } = await wait([a, bad, c], { returnWhen: "FIRST_EXCEPTION" });
    assert.equal(clock.now(), 300, "FIRST_EXCEPTION should return when the first task fails (t=300), not at the first success");
    assert.deepEqual(namesIn(done, names), ["a", "bad"], "done holds everything settled by then");
    assert.deepEqual(namesIn(pending, names), ["c"]);
    await c;
  }));

  it("wait() with FIRST_EXCEPTION and no failure waits for every task", withClock(async (clock) => {
    const { done, pending } = await wait([after(100, 1), after(600, 2)], { returnWhen: "FIRST_EXCEPTION" });
    assert.equal(clock.now(), 600, "with no failure, FIRST_EXCEPTION is the same as ALL_COMPLETED");
    assert.equal(done.size, 2);
    assert.equal(pending.size, 0);
  }));

  it("wait() never rejects on timeout and never cancels the pending tasks", withClock(async (clock) => {
    const slow = after(1000, "slow");
    const slower = after(2000, "slower");
    const result = await wait([slow, slower], { timeoutMs: 100 });
    assert.equal(clock.now(), 100, "wait should return at the timeout (t=100)");
    assert.equal(result.done.size, 0, "nothing finished within 100 ms");
    assert.ok(result.pending.has(slow) && result.pending.has(slower));
    assert.deepEqual(await Promise.all([slow, slower]), ["slow", "slower"], "pending tasks keep running");
  }));

  it("wait() with FIRST_COMPLETED and a timeout returns at whichever comes first", withClock(async (clock) => {
    const slow = after(900, "slow");
    const { done, pending } = await wait([slow], { returnWhen: "FIRST_COMPLETED", timeoutMs: 200 });
    assert.equal(clock.now(), 200);
    assert.equal(done.size, 0);
    assert.ok(pending.has(slow));
    await slow;
  }));

  it("wait() with a null timeout waits without limit", withClock(async (clock) => {
    const { done } = await wait([after(5000, "late")], { timeoutMs: null });
    assert.equal(clock.now(), 5000);
    assert.equal(done.size, 1);
  }));

  it("wait() clears its timeout timer when the tasks finish first", withClock(async (clock) => {
    await wait([after(100, "a"), after(200, "b")], { timeoutMs: 10_000 });
    const left = clock.pending().map((t) => `${t.kind}(${t.delay} ms)`);
    assert.deepEqual(left, [], "wait's timeout timer must be cleared once it returns; still pending: " + left.join(", "));
  }));

  it("wait() of no tasks rejects with a RangeError", withClock(async () => {
    await rejectsWith(() => wait([]), { name: "RangeError" }, "wait([])");
  }));

  it("wait() with an unknown returnWhen rejects with a RangeError", withClock(async () => {
    const task = after(10, "x");
    await rejectsWith(
      () => wait([task], { returnWhen: "FIRST_SUCCESS" as ReturnWhen }),
      { name: "RangeError" },
      'wait([task], { returnWhen: "FIRST_SUCCESS" })',
    );
    await task;
  }));
});

describe("asCompleted()", () => {
  it("asCompleted() yields in completion order with the time each is ready", withClock(async (clock) => {
    const run = await collect(asCompleted([after(500, "e"), after(100, "a"), after(300, "c")]), () => clock.now());
    assert.deepEqual(run.values, ["a", "c", "e"], "fastest first, not input order");
    assert.deepEqual(run.times, [100, 300, 500], "each value should be yielded the moment it is ready");
    assert.equal(run.error, undefined);
  }));

  it("asCompleted() keeps the completion order of inputs that settle in the same tick", withClock(async () => {
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
  }));

  it("asCompleted() yields in completion order even when the loop starts late", withClock(async (clock) => {
    const inputs = [after(300, "c"), after(200, "b"), after(100, "a")];
    const gen = asCompleted(inputs);
    await clock.sleep(1000); // everything has settled before the first next()
    const run = await collect(gen, () => clock.now());
    assert.deepEqual(run.values, ["a", "b", "c"], "order of completion, even if all were ready before the loop began");
  }));

  it("asCompleted() accepts plain values next to promises", withClock(async () => {
    const run = await collect(asCompleted<string>([after(100, "later"), "now"]), () => 0);
    assert.deepEqual(run.values, ["now", "later"]);
  }));

  it("asCompleted() of no inputs yields nothing", withClock(async () => {
    const run = await collect(asCompleted<number>([], { timeoutMs: 100 }), () => 0);
    assert.deepEqual(run.values, []);
    assert.equal(run.error, undefined, "an empty group finishes without a timeout");
  }));

  it("asCompleted() throws an input's error when its turn comes", withClock(async (clock) => {
    const later = after(300, "later");
    const run = await collect(
      asCompleted([later, failAfter(200, new TypeError("broken input")), after(100, "early")]),
      () => clock.now(),
    );
    assert.deepEqual(run.values, ["early"], "values ready before the failure are yielded first");
    assert.equal((run.error as Error)?.name, "TypeError", "the loop should throw the input's own error");
    assert.equal(clock.now(), 200, "the error should surface when that input fails (t=200)");
    await later; // nothing was cancelled
  }));

  it("asCompleted() throws a DOMException named TimeoutError at the deadline", withClock(async (clock) => {
    const slow = after(800, "slow");
    const run = await collect(asCompleted([slow, after(100, "fast")], { timeoutMs: 300 }), () => clock.now());
    assert.deepEqual(run.values, ["fast"]);
    assert.equal((run.error as Error)?.name, "TimeoutError", "the deadline should end the loop with a TimeoutError");
    assert.equal(clock.now(), 300, "the TimeoutError should come at t=300, not when the slow input finishes");
    assert.equal(await slow, "slow", "nothing is cancelled at the deadline");
  }));

  it("asCompleted() still yields results that were ready before the deadline", withClock(async (clock) => {
    const gen = asCompleted([after(100, "a"), after(120, "b"), after(900, "c")], { timeoutMs: 150 });
    const first = await gen.next();
    assert.deepEqual(first, { value: "a", done: false });
    await clock.sleep(100); // t=200: "b" arrived at 120, the deadline passed at 150
    const second = await gen.next();
    assert.deepEqual(second, { value: "b", done: false }, "b was ready before the deadline, so it still comes out (as in CPython)");
    await rejectsWith(() => gen.next(), { name: "TimeoutError" }, "the next() after the deadline");
    await clock.sleep(1000);
  }));

  it("asCompleted() clears its deadline timer when the loop breaks early", withClock(async (clock) => {
    const rest = after(200, "b");
    for await (const value of asCompleted([after(100, "a"), rest], { timeoutMs: 5000 })) {
      assert.equal(value, "a");
      break;
    }
    const deadline = clock.pending().filter((t) => t.delay === 5000);
    assert.equal(deadline.length, 0, "breaking out of the loop must clear asCompleted's 5000 ms timer (use a finally)");
    await rest;
  }));

  it("asCompleted() clears its deadline timer when every input is done", withClock(async (clock) => {
    await collect(asCompleted([after(100, 1), after(200, 2)], { timeoutMs: 1000 }), () => 0);
    assert.deepEqual(clock.pending().map((t) => t.delay), [], "the deadline timer must be cleared when the loop ends");
  }));

  it("asCompleted() does not leave a later failure unhandled after a break", withClock(async (clock) => {
    for await (const value of asCompleted([after(100, "a"), failAfter(200, new Error("late failure"))])) {
      assert.equal(value, "a");
      break;
    }
    // The failing input rejects at t=200 with nobody iterating: asCompleted must already
    // have attached a handler to it, or it becomes an unhandled rejection.
    await clock.sleep(300);
  }));
});
