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

function failAfter(ms: number, error: Error): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(error), ms));
}

/** Counts the abort listeners currently registered on `signal`. */
function listenerCount(signal: AbortSignal): () => number {
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
    if (type === "abort") {
      live.add(listener);
      // A { once: true } listener is removed by the signal itself when it fires.
      if ((opts as AddEventListenerOptions | undefined)?.once) add("abort", () => live.delete(listener), { once: true });
    }
    add(type, listener, opts as AddEventListenerOptions);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, opts as EventListenerOptions);
  }) as typeof signal.removeEventListener;
  return () => live.size;
}

describe("sleep()", () => {
  it("sleep() resolves after exactly the given virtual time", withClock(async (clock) => {
    await sleep(2500);
    assert.equal(clock.now(), 2500, "sleep(2500) should take 2500 ms of virtual time");
  }));

  it("sleep() lets other sleeps run at the same time", withClock(async (clock) => {
    await Promise.all([sleep(1000), sleep(2000), sleep(1500)]);
    assert.equal(clock.now(), 2000, "three sleeps side by side should end with the longest (2 s)");
  }));

  it("sleep(0) yields to timers that were already waiting", withClock(async () => {
    let earlier = false;
    setTimeout(() => (earlier = true), 0);
    await sleep(0);
    assert.ok(earlier, "sleep(0) should go through the timer queue (like asyncio.sleep(0)), not resolve on the spot");
  }));

  it("sleep() keeps a custom abort reason", withClock(async (clock) => {
    const controller = new AbortController();
    const reason = new Error("user pressed stop");
    setTimeout(() => controller.abort(reason), 200);
    await rejectsWith(sleep(1000, { signal: controller.signal }), { is: reason }, "sleep(1000, { signal })");
    assert.equal(clock.now(), 200, "the aborted sleep should end at the abort (t=200)");
  }));

  it("sleep() with an already-aborted signal rejects at once and starts no timer", withClock(async (clock) => {
    const controller = new AbortController();
    const reason = new Error("already stopped");
    controller.abort(reason);
    await rejectsWith(sleep(1000, { signal: controller.signal }), { is: reason }, "sleep(1000, { signal: aborted })");
    assert.equal(clock.now(), 0, "an already-aborted sleep should reject at t=0");
    assert.equal(clock.timersFired, 0, "an already-aborted sleep should not wait for any timer");
  }));

  it("sleep() clears its timer when aborted", withClock(async (clock) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await rejectsWith(sleep(5000, { signal: controller.signal }), { name: "AbortError" }, "sleep(5000, { signal })");
    const left = clock.pending().map((t) => `${t.kind}(${t.delay}) due at t=${t.dueAt}`);
    assert.deepEqual(left, [], "an aborted sleep must clearTimeout its timer; still pending: " + left.join(", "));
  }));

  it("sleep() removes its abort listener once it resolves", withClock(async () => {
    const controller = new AbortController();
    const count = listenerCount(controller.signal);
    await sleep(100, { signal: controller.signal });
    assert.equal(count(), 0, "a finished sleep should remove its abort listener (removeEventListener)");
  }));
});

describe("runSequential()", () => {
  it("runSequential() takes the sum of the durations", withClock(async (clock) => {
    const results = await runSequential([() => after(1000, "a"), () => after(2000, "b"), () => after(500, "c")]);
    assert.deepEqual(results, ["a", "b", "c"]);
    assert.equal(clock.now(), 3500, "one after another, 1 s + 2 s + 0.5 s should take 3.5 s");
  }));

  it("runSequential() never runs two jobs at once", withClock(async () => {
    const probe = new ConcurrencyProbe("jobs");
    const job = probe.wrap((label: string) => after(100, label));
    await runSequential([() => job("a"), () => job("b"), () => job("c")]);
    probe.assertMaxAtMost(1);
  }));

  it("runSequential() stops at the first failure without starting the rest", withClock(async (clock) => {
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
    assert.equal(clock.now(), 200, "the failure of job 2 should surface at t=200");
    assert.equal(thirdStarted, false, "the job after a failure should never start");
  }));

  it("runSequential() of no jobs resolves to an empty array", withClock(async () => {
    assert.deepEqual(await runSequential([]), []);
  }));
});

describe("runConcurrent()", () => {
  it("runConcurrent() runs a 1 s job and a 2 s job in 2 s, not 3 s", withClock(async (clock) => {
    const results = await runConcurrent([() => after(1000, "one"), () => after(2000, "two")]);
    assert.deepEqual(results, ["one", "two"]);
    assert.equal(clock.now(), 2000, "side by side, 1 s and 2 s should take 2 s; 3 s means one after another");
  }));

  it("runConcurrent() starts every job at t=0", withClock(async () => {
    const log = new EventRecorder();
    const job = (name: string, ms: number) => () => {
      log.record(name);
      return after(ms, name);
    };
    await runConcurrent([job("a", 300), job("b", 200), job("c", 100)]);
    assert.deepEqual(log.events.map((e) => e.at), [0, 0, 0], "every job should start at once:\n" + log.format());
  }));

  it("runConcurrent() returns results in job order when they finish in reverse", withClock(async () => {
    const results = await runConcurrent([() => after(300, "a"), () => after(200, "b"), () => after(100, "c")]);
    assert.deepEqual(results, ["a", "b", "c"], "results must follow the order of the jobs");
  }));

  it("runConcurrent() of no jobs resolves to an empty array", withClock(async () => {
    assert.deepEqual(await runConcurrent([]), []);
  }));
});

describe("gather()", () => {
  it("gather() keeps the input order, not the completion order", withClock(async (clock) => {
    const results = await gather([after(300, "x"), after(100, "y"), after(200, "z")]);
    assert.deepEqual(results, ["x", "y", "z"], "results must follow the input order");
    assert.equal(clock.now(), 300, "gather should resolve when the slowest item is done (t=300)");
  }));

  it("gather() of an empty list resolves to an empty array", withClock(async () => {
    assert.deepEqual(await gather([]), []);
  }));

  it("gather() accepts plain values next to promises", withClock(async () => {
    assert.deepEqual(await gather<number>([1, after(100, 2), 3]), [1, 2, 3]);
  }));

  it("gather() with returnExceptions keeps every slot, failures included", withClock(async (clock) => {
    const e1 = new Error("first");
    const e2 = new TypeError("second");
    const results = await gather([failAfter(300, e1), after(100, "ok"), failAfter(200, e2)], {
      returnExceptions: true,
    });
    assert.equal(results.length, 3, "one slot per item, failures included");
    assert.equal(results[0], e1, "slot 0 should hold the error of item 0 itself");
    assert.equal(results[1], "ok");
    assert.equal(results[2], e2, "slot 2 should hold the error of item 2 itself");
    assert.equal(clock.now(), 300);
  }));

  it("gather() with returnExceptions resolves even when every item fails", withClock(async () => {
    const errors = [new Error("a"), new Error("b")];
    const results = await gather([failAfter(100, errors[0]), failAfter(50, errors[1])], { returnExceptions: true });
    assert.deepEqual(results, errors, "every failure should sit in its own slot");
  }));

  it("gather() rejects with the failure that happens first in time, not first in the list", withClock(async (clock) => {
    const late = failAfter(200, new Error("late"));
    const early = failAfter(100, new Error("early"));
    await rejectsWith(gather([late, early]), { message: "early" }, "gather([fails at 200, fails at 100])");
    assert.equal(clock.now(), 100, "gather should reject at t=100, when the first failure happens");
    // The later failure must not become an unhandled rejection.
    await clock.sleep(200);
  }));

  it("gather() does not wait for the others before rejecting", withClock(async (clock) => {
    const log = new EventRecorder();
    const slow = after(1000, "slow").then((v) => (log.record("slow done"), v));
    await rejectsWith(gather([slow, failAfter(10, new Error("fast fail"))]), { message: "fast fail" }, "gather()");
    assert.equal(clock.now(), 10, "gather should reject at t=10, without waiting for the 1 s item");
    assert.equal(log.names().length, 0, "the slow item is still running at the rejection");
    await slow;
    assert.equal(log.firstAt("slow done"), 1000, "nothing is cancelled: the slow item still finishes at t=1000");
  }));
});
