/**
 * Visible tests for exercise 01. Read them: they show what each task must do.
 *
 * Every test runs on the workbook's virtual clock (`withClock`): a "2 s" sleep takes no real
 * time, and `clock.now()` tells how many virtual milliseconds have passed since the test began.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { gather, runConcurrent, runSequential, sleep } from "./gather.ts";

/** A promise that resolves with `value` after `ms` of virtual time (the test's own timer). */
function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** A promise that rejects with `error` after `ms` of virtual time. */
function failAfter(ms: number, error: Error): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(error), ms));
}

describe("task 1: sleep()", () => {
  it("sleep() resolves after the given virtual time", withClock(async (clock) => {
    await sleep(1500);
    assert.equal(clock.now(), 1500, "sleep(1500) should take 1500 ms of virtual time");
  }));

  it("sleep() rejects with the signal's reason when aborted", withClock(async (clock) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await rejectsWith(
      sleep(1000, { signal: controller.signal }),
      { name: "AbortError" },
      "sleep(1000, { signal }) aborted at t=300",
    );
    assert.equal(error, controller.signal.reason, "reject with signal.reason itself, not a copy");
    assert.equal(clock.now(), 300, "an aborted sleep should stop at the abort (t=300)");
  }));
});

describe("task 2: runSequential()", () => {
  it("runSequential() runs a 1 s job then a 2 s job in 3 s", withClock(async (clock) => {
    const log = new EventRecorder();
    const results = await runSequential([
      async () => {
        log.record("one starts");
        await after(1000, null);
        return "one";
      },
      async () => {
        log.record("two starts");
        await after(2000, null);
        return "two";
      },
    ]);
    assert.deepEqual(results, ["one", "two"], "runSequential() resolves with the jobs' results, in order");
    assert.equal(log.firstAt("two starts"), 1000, "the second job should start when the first ends");
    assert.equal(clock.now(), 3000, "one after the other, 1 s + 2 s should take 3 s");
  }));
});

describe("task 3: runConcurrent()", () => {
  it("runConcurrent() runs a 1 s job and a 2 s job in 2 s, not 3 s", withClock(async (clock) => {
    const results = await runConcurrent([() => after(1000, "one"), () => after(2000, "two")]);
    assert.deepEqual(results, ["one", "two"], "runConcurrent() resolves with the results in the order of jobs");
    assert.equal(
      clock.now(),
      2000,
      "side by side, 1 s and 2 s should take 2 s; 3 s means the jobs ran one after another",
    );
  }));
});

describe("task 4: gather()", () => {
  it("gather() keeps the input order, not the completion order", withClock(async () => {
    // "slow" finishes last but comes first in the list, so it comes first in the result.
    const results = await gather([after(300, "slow"), after(100, "fast"), after(200, "medium")]);
    assert.deepEqual(results, ["slow", "fast", "medium"], "results must follow the input order");
  }));

  it("gather() with returnExceptions puts each error in its slot", withClock(async (clock) => {
    const boom = new Error("boom");
    const results = await gather([after(100, 1), failAfter(200, boom), after(300, 3)], {
      returnExceptions: true,
    });
    assert.deepEqual(results, [1, boom, 3], "the error belongs in slot 1, between the values");
    assert.equal(clock.now(), 300, "with returnExceptions, gather waits for every item");
  }));

  it("gather() rejects with the first error while the others keep running", withClock(async (clock) => {
    const log = new EventRecorder();
    const slow = after(500, "slow").then((v) => {
      log.record("slow finished");
      return v;
    });
    await rejectsWith(
      gather([slow, failAfter(100, new TypeError("bad input"))]),
      { name: "TypeError", message: "bad input" },
      "gather([slow, failing])",
    );
    assert.equal(clock.now(), 100, "gather should reject as soon as the first item fails (t=100)");
    // Like asyncio.gather, nothing is cancelled: the slow one still finishes.
    assert.equal(await slow, "slow", "the slow item still finishes with its value");
    assert.equal(log.firstAt("slow finished"), 500, "the other work keeps running after the rejection");
  }));
});
