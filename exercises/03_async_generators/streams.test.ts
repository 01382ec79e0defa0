/**
 * Visible tests for exercise 03. They run on the virtual clock; `clock.now()` is virtual ms.
 * The clock also fails a test that ends with a timer still pending: that is how these tests
 * prove a stopped generator cleaned up after itself.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { merge, take, ticker, withAbort } from "./streams.ts";

/** A test source: yields `items` one every `ms`, and records each step in `log`. */
async function* source<T>(log: EventRecorder, name: string, items: T[], ms: number): AsyncGenerator<T> {
  try {
    for (const item of items) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.record(`${name} yields ${item}`);
      yield item;
    }
  } finally {
    log.record(`${name} finally`);
  }
}

describe("task 1: ticker()", () => {
  it("ticker() yields 1, 2, 3 one interval apart", withClock(async (clock) => {
    const seen: Array<[number, number]> = [];
    for await (const n of ticker(100)) {
      seen.push([n, clock.now()]);
      if (n === 3) break;
    }
    assert.deepEqual(seen, [[1, 100], [2, 200], [3, 300]], "tick n should arrive at t = n * 100");
  }));

  it("ticker() leaves no timer behind after a break", withClock(async (clock) => {
    for await (const n of ticker(100)) {
      if (n === 2) break;
    }
    const left = clock.pending().map((t) => `${t.kind}(${t.delay}) created at ${t.origin}`);
    assert.deepEqual(left, [], "after the break the ticker must hold no timer; still pending: " + left.join(", "));
  }));
});

describe("task 2: take()", () => {
  it("take() yields the first n items and stops its source", withClock(async () => {
    const log = new EventRecorder();
    const got: string[] = [];
    for await (const item of take(source(log, "src", ["a", "b", "c", "d"], 10), 2)) got.push(item);
    assert.deepEqual(got, ["a", "b"], "take(src, 2) yields the first 2 items and nothing more");
    assert.deepEqual(
      log.names(),
      ["src yields a", "src yields b", "src finally"],
      "take(src, 2) should pull exactly 2 items, then call return() so the source's finally runs",
    );
  }));
});

describe("task 3: merge()", () => {
  it("merge() yields items from every source in arrival order", withClock(async (clock) => {
    const log = new EventRecorder();
    const got: Array<[string, number]> = [];
    for await (const item of merge(source(log, "a", ["a1", "a2", "a3"], 100), source(log, "b", ["b1", "b2"], 160))) {
      got.push([item, clock.now()]);
    }
    assert.deepEqual(
      got,
      [["a1", 100], ["b1", 160], ["a2", 200], ["a3", 300], ["b2", 320]],
      "[item, t] pairs: merge() yields each item the moment its source produces it, whichever source that is",
    );
  }));
});

describe("task 4: withAbort()", () => {
  it("withAbort() ends the loop with the abort reason while the source is stuck", withClock(async (clock) => {
    const gate = deferred<void>();
    async function* stuck() {
      yield "first";
      await gate.promise; // stuck here until the test opens the gate
      yield "never seen";
    }
    const controller = new AbortController();
    const reason = new Error("user cancelled");
    setTimeout(() => controller.abort(reason), 50);
    const got: string[] = [];
    await rejectsWith(async () => {
      for await (const item of withAbort(stuck(), controller.signal)) got.push(item);
    }, { is: reason }, "for await (... of withAbort(stuck source, signal))");
    assert.deepEqual(got, ["first"]);
    assert.equal(clock.now(), 50, "the loop should end at the abort (t=50), not when the source wakes");
    gate.resolve(); // let the stuck source finish
  }));
});
