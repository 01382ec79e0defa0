/**
 * Visible tests for exercise 02. Each runs on the virtual clock: `clock.now()` is the virtual
 * time in ms since the test began, and timers fire instantly in virtual-time order.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";
import { asCompleted, wait } from "./wait.ts";

/** A promise that resolves with `value` after `ms` of virtual time. */
function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

describe("task 1: wait()", () => {
  it("wait() with ALL_COMPLETED returns every task in done", withClock(async (clock) => {
    const a = after(100, "a");
    const b = after(300, "b");
    const { done, pending } = await wait([a, b]);
    assert.equal(clock.now(), 300, "ALL_COMPLETED (the default) waits for the slowest task");
    assert.ok(done.has(a) && done.has(b), "both tasks belong in done");
    assert.equal(pending.size, 0, "nothing should be pending");
  }));

  it("wait() with FIRST_COMPLETED returns as soon as one task settles", withClock(async (clock) => {
    const slow = after(500, "slow");
    const fast = after(100, "fast");
    const { done, pending } = await wait([slow, fast], { returnWhen: "FIRST_COMPLETED" });
    assert.equal(clock.now(), 100, "FIRST_COMPLETED should return when the fast task settles");
    assert.deepEqual([...done], [fast], "done holds the very promise that settled");
    assert.deepEqual([...pending], [slow], "pending holds the one still running");
    assert.equal(await slow, "slow", "the pending task keeps running");
  }));

  it("wait() with a timeout returns the unfinished tasks in pending without rejecting", withClock(async (clock) => {
    const quick = after(100, "quick");
    const slow = after(1000, "slow");
    const { done, pending } = await wait([quick, slow], { timeoutMs: 250 });
    assert.equal(clock.now(), 250, "wait should return when the timeout passes (t=250)");
    assert.ok(done.has(quick), "the quick task is done");
    assert.ok(pending.has(slow), "the slow task is still pending");
    // asyncio.wait does not cancel on timeout: the slow task still finishes.
    assert.equal(await slow, "slow", "wait() never cancels: the slow task still finishes with its value");
    assert.equal(clock.now(), 1000, "the slow task still ends at t=1000");
  }));

  it("wait() of no tasks rejects with a RangeError", withClock(async () => {
    await rejectsWith(() => wait([]), { name: "RangeError" }, "wait([])");
  }));
});

describe("task 2: asCompleted()", () => {
  it("asCompleted() yields results in the order they finish", withClock(async (clock) => {
    const seen: string[] = [];
    const times: number[] = [];
    for await (const value of asCompleted([after(300, "c"), after(100, "a"), after(200, "b")])) {
      seen.push(value);
      times.push(clock.now());
    }
    assert.deepEqual(seen, ["a", "b", "c"], "fastest first, not input order");
    assert.deepEqual(times, [100, 200, 300], "each result should arrive the moment it is ready");
  }));

  it("asCompleted() throws a TimeoutError from the next iteration when time runs out", withClock(async (clock) => {
    const seen: string[] = [];
    const slow = after(1000, "slow");
    await rejectsWith(async () => {
      for await (const value of asCompleted([after(100, "fast"), slow], { timeoutMs: 500 })) {
        seen.push(value);
      }
    }, { name: "TimeoutError" }, "for await (... of asCompleted([100 ms, 1000 ms], { timeoutMs: 500 }))");
    assert.deepEqual(seen, ["fast"], "the fast result comes before the timeout");
    assert.equal(clock.now(), 500, "the loop should throw at the deadline (t=500)");
    await slow; // nothing was cancelled: let it finish
  }));
});
