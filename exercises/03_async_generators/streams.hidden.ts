/**
 * Hidden tests for exercise 03: the edge cases the grader checks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deferred, EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { merge, take, ticker, withAbort } from "./streams.ts";

/** Yields `items` one every `ms` (0: no wait), recording pulls, yields and the finally in `log`. */
async function* source<T>(log: EventRecorder, name: string, items: T[], ms: number): AsyncGenerator<T> {
  try {
    for (const item of items) {
      log.record(`${name} pulled`);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      yield item;
    }
  } finally {
    log.record(`${name} finally`);
  }
}

/** Yields `count` items after `ms` each, then throws `error`. */
async function* failing(log: EventRecorder, name: string, count: number, ms: number, error: Error): AsyncGenerator<string> {
  try {
    for (let i = 1; i <= count; i++) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      yield `${name}${i}`;
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    throw error;
  } finally {
    log.record(`${name} finally`);
  }
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

const pendingTimers = (clock: { pending(): Array<{ kind: string; delay: number; origin: string }> }) =>
  clock.pending().map((t) => `${t.kind}(${t.delay}) created at ${t.origin}`);

describe("ticker()", () => {
  it("ticker() ticks at exact multiples of the interval", withClock(async (clock) => {
    const times: number[] = [];
    const numbers: number[] = [];
    for await (const n of ticker(250)) {
      numbers.push(n);
      times.push(clock.now());
      if (n === 4) break;
    }
    assert.deepEqual(numbers, [1, 2, 3, 4]);
    assert.deepEqual(times, [250, 500, 750, 1000]);
  }));

  it("ticker() does not tick while nobody pulls", withClock(async (clock) => {
    const tick = ticker(100);
    assert.deepEqual(await tick.next(), { value: 1, done: false });
    assert.equal(clock.now(), 100);
    await clock.sleep(1000); // the consumer is busy for 1 s; nothing should pile up meanwhile
    const second = await tick.next();
    assert.deepEqual(second, { value: 2, done: false }, "the second pull gets tick 2, not a backlog of ticks");
    assert.equal(clock.now(), 1200, "a lazy ticker starts waiting at the pull (t=1100), so tick 2 comes at t=1200");
    await tick.return();
  }));

  it("ticker() holds no timer while it is parked between pulls", withClock(async (clock) => {
    const tick = ticker(100);
    await tick.next();
    assert.deepEqual(pendingTimers(clock), [], "between pulls a lazy ticker should have no timer running");
    await tick.return();
  }));

  it("ticker() leaves no timer behind after a break", withClock(async (clock) => {
    for await (const n of ticker(100)) {
      if (n === 3) break;
    }
    assert.deepEqual(pendingTimers(clock), [], "after the break no ticker timer may remain");
    assert.equal(clock.now(), 300);
  }));

  it("ticker() rejects with the signal's reason when aborted mid-wait", withClock(async (clock) => {
    const controller = new AbortController();
    const reason = new Error("stop ticking");
    setTimeout(() => controller.abort(reason), 250);
    const seen: number[] = [];
    await rejectsWith(async () => {
      for await (const n of ticker(100, { signal: controller.signal })) seen.push(n);
    }, { is: reason }, "for await (... of ticker(100, { signal }))");
    assert.deepEqual(seen, [1, 2]);
    assert.equal(clock.now(), 250, "the abort should end the wait at once (t=250)");
    assert.deepEqual(pendingTimers(clock), [], "the aborted wait must clear its timer");
  }));

  it("ticker() with an already-aborted signal rejects at the first pull", withClock(async (clock) => {
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(() => ticker(100, { signal: controller.signal }).next(), { name: "AbortError" }, "ticker(100, { signal: aborted }).next()");
    assert.equal(clock.now(), 0);
  }));

  it("ticker() rejects a non-positive interval with a RangeError", withClock(async () => {
    await rejectsWith(() => ticker(0).next(), { name: "RangeError" }, "ticker(0)");
    await rejectsWith(() => ticker(-5).next(), { name: "RangeError" }, "ticker(-5)");
  }));
});

describe("take()", () => {
  it("take() of a ticker ends right after the n-th tick", withClock(async (clock) => {
    const got: number[] = [];
    for await (const n of take(ticker(100), 3)) got.push(n);
    assert.deepEqual(got, [1, 2, 3]);
    assert.equal(clock.now(), 300, "take(ticker(100), 3) should end at t=300; t=400 means it waited for a 4th tick");
    assert.deepEqual(pendingTimers(clock), []);
  }));

  it("take() never pulls more items than it yields", withClock(async () => {
    const log = new EventRecorder();
    for await (const _ of take(source(log, "src", [1, 2, 3, 4, 5], 0), 3)) { /* drain */ }
    assert.equal(log.names().filter((n) => n === "src pulled").length, 3, "take(src, 3) pulled:\n" + log.format());
  }));

  it("take() calls return() on its source so the source's finally runs", withClock(async () => {
    const log = new EventRecorder();
    const got: number[] = [];
    for await (const n of take(source(log, "src", [1, 2, 3, 4], 10), 2)) got.push(n);
    assert.deepEqual(got, [1, 2]);
    assert.ok(log.names().includes("src finally"), "the source's finally should have run when take() ended:\n" + log.format());
  }));

  it("take() passes an early break on to its source", withClock(async () => {
    const log = new EventRecorder();
    for await (const n of take(source(log, "src", [1, 2, 3, 4], 10), 3)) {
      if (n === 1) break;
    }
    assert.ok(log.names().includes("src finally"), "breaking out of take() must stop its source too:\n" + log.format());
  }));

  it("take() yields everything from a source shorter than n", withClock(async () => {
    const log = new EventRecorder();
    const got: string[] = [];
    for await (const s of take(source(log, "src", ["x", "y"], 10), 5)) got.push(s);
    assert.deepEqual(got, ["x", "y"]);
  }));

  it("take() of 0 items pulls nothing from its source", withClock(async () => {
    const log = new EventRecorder();
    const got: number[] = [];
    for await (const n of take(source(log, "src", [1, 2], 10), 0)) got.push(n);
    assert.deepEqual(got, []);
    assert.ok(!log.names().includes("src pulled"), "take(src, 0) must not pull anything");
  }));

  it("take() passes on its source's error", withClock(async () => {
    const log = new EventRecorder();
    const got: string[] = [];
    await rejectsWith(async () => {
      for await (const s of take(failing(log, "f", 1, 10, new TypeError("source broke")), 5)) got.push(s);
    }, { name: "TypeError", message: "source broke" }, "take(failing source, 5)");
    assert.deepEqual(got, ["f1"]);
  }));

  it("take() with a negative or fractional count throws a RangeError", withClock(async () => {
    const log = new EventRecorder();
    await rejectsWith(() => take(source(log, "src", [1], 0), -1).next(), { name: "RangeError" }, "take(src, -1)");
    await rejectsWith(() => take(source(log, "src", [1], 0), 1.5).next(), { name: "RangeError" }, "take(src, 1.5)");
  }));
});

describe("merge()", () => {
  it("merge() interleaves sources by arrival time", withClock(async (clock) => {
    const log = new EventRecorder();
    const got: Array<[string, number]> = [];
    for await (const s of merge(source(log, "a", ["a1", "a2"], 300), source(log, "b", ["b1", "b2", "b3"], 110))) {
      got.push([s, clock.now()]);
    }
    assert.deepEqual(got, [["b1", 110], ["b2", 220], ["a1", 300], ["b3", 330], ["a2", 600]]);
  }));

  it("merge() ends when every source has ended and stops each one", withClock(async () => {
    const log = new EventRecorder();
    const got: number[] = [];
    for await (const n of merge(source(log, "a", [1], 10), source(log, "b", [2, 3, 4], 20), source(log, "c", [], 5))) {
      got.push(n);
    }
    assert.deepEqual(got.sort(), [1, 2, 3, 4]);
    for (const name of ["a", "b", "c"]) {
      assert.ok(log.names().includes(`${name} finally`), `source ${name} should have finished:\n` + log.format());
    }
  }));

  it("merge() of no sources yields nothing", withClock(async () => {
    const got: unknown[] = [];
    for await (const x of merge()) got.push(x);
    assert.deepEqual(got, []);
  }));

  it("merge() pulls at most one item ahead from each source", withClock(async () => {
    const log = new EventRecorder();
    const got: number[] = [];
    // An eager source: every item is ready at once.
    for await (const n of merge(source(log, "fast", Array.from({ length: 50 }, (_, i) => i), 0))) {
      got.push(n);
      if (got.length === 2) break;
    }
    const pulls = log.names().filter((n) => n === "fast pulled").length;
    assert.ok(pulls <= 3, `merge() should pull one item ahead at most; after 2 items it pulled ${pulls}`);
  }));

  it("merge() stops the other sources when one fails", withClock(async (clock) => {
    const log = new EventRecorder();
    const got: string[] = [];
    await rejectsWith(async () => {
      for await (const s of merge(failing(log, "bad", 1, 100, new Error("feed down")), source(log, "ok", ["o1", "o2", "o3", "o4", "o5"], 70))) {
        got.push(s);
      }
    }, { message: "feed down" }, "merge(failing source, healthy source)");
    assert.ok(log.names().includes("ok finally"), "the healthy source must be stopped (its finally run) before merge() rethrows:\n" + log.format());
    assert.deepEqual(pendingTimers(clock), [], "no source may keep a timer running after merge() fails");
    assert.ok(!got.includes("o5"), "the healthy source should not run to its end after the failure");
  }));

  it("merge() calls return() on every source when the consumer breaks", withClock(async (clock) => {
    const log = new EventRecorder();
    for await (const s of merge(source(log, "a", ["a1", "a2", "a3"], 100), source(log, "b", ["b1", "b2", "b3"], 130))) {
      if (s === "a1") break;
    }
    assert.ok(log.names().includes("a finally") && log.names().includes("b finally"), "break should stop every source:\n" + log.format());
    assert.deepEqual(pendingTimers(clock), [], "no source may keep a timer after the break");
  }));

  it("merge() stops tickers cleanly when it is cut short by take()", withClock(async (clock) => {
    const got: number[] = [];
    for await (const n of take(merge(ticker(100), ticker(300)), 4)) got.push(n);
    assert.deepEqual(got, [1, 2, 1, 3]);
    assert.deepEqual(pendingTimers(clock), [], "every ticker inside merge must be stopped");
  }));
});

describe("withAbort()", () => {
  it("withAbort() stops a generator stuck inside an await", withClock(async (clock) => {
    const gate = deferred<void>();
    async function* stuck() {
      yield 1;
      await gate.promise;
      yield 2;
    }
    const controller = new AbortController();
    const reason = { custom: "reason object" };
    setTimeout(() => controller.abort(reason), 40);
    await rejectsWith(async () => {
      for await (const _ of withAbort(stuck(), controller.signal)) { /* consume */ }
    }, { is: reason }, "withAbort(stuck source, signal)");
    assert.equal(clock.now(), 40, "the abort should end the loop at t=40");
    gate.resolve();
  }));

  it("withAbort() calls return() on a stuck source so its finally runs when it wakes", withClock(async (clock) => {
    const log = new EventRecorder();
    const gate = deferred<void>();
    async function* stuck() {
      try {
        yield 1;
        await gate.promise;
        log.record("woke up");
        yield 2;
        log.record("went on after the abort");
      } finally {
        log.record("finally");
      }
    }
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    setTimeout(() => gate.resolve(), 100);
    await rejectsWith(async () => {
      for await (const _ of withAbort(stuck(), controller.signal)) { /* consume */ }
    }, { name: "AbortError" }, "withAbort(stuck source, signal)");
    await clock.sleep(100);
    assert.deepEqual(log.names(), ["woke up", "finally"], "after the abort the source must be told to stop (return()):\n" + log.format());
    assert.equal(log.firstAt("finally"), 100, "its finally runs when it wakes up (t=100)");
  }));

  it("withAbort() with an already-aborted signal never pulls from its source", withClock(async () => {
    const log = new EventRecorder();
    const controller = new AbortController();
    const reason = new Error("aborted before start");
    controller.abort(reason);
    await rejectsWith(() => withAbort(source(log, "src", [1, 2], 10), controller.signal).next(), { is: reason }, "withAbort(src, aborted).next()");
    assert.ok(!log.names().includes("src pulled"), "nothing may be pulled from the source");
  }));

  it("withAbort() throws at the next pull when aborted between items and stops the source", withClock(async () => {
    const log = new EventRecorder();
    const controller = new AbortController();
    const got: number[] = [];
    await rejectsWith(async () => {
      for await (const n of withAbort(source(log, "src", [1, 2, 3], 10), controller.signal)) {
        got.push(n);
        if (n === 1) controller.abort(); // aborted while the consumer holds item 1
      }
    }, { name: "AbortError" }, "withAbort(src, signal) aborted between items");
    assert.deepEqual(got, [1]);
    assert.ok(log.names().includes("src finally"), "the source must be stopped before the error reaches the loop:\n" + log.format());
  }));

  it("withAbort() passes a consumer's break on to its source", withClock(async () => {
    const log = new EventRecorder();
    const controller = new AbortController();
    for await (const n of withAbort(source(log, "src", [1, 2, 3], 10), controller.signal)) {
      if (n === 2) break;
    }
    assert.ok(log.names().includes("src finally"), "break should stop the source:\n" + log.format());
  }));

  it("withAbort() yields every item when the signal never aborts", withClock(async () => {
    const log = new EventRecorder();
    const got: string[] = [];
    for await (const s of withAbort(source(log, "src", ["a", "b", "c"], 10), new AbortController().signal)) got.push(s);
    assert.deepEqual(got, ["a", "b", "c"]);
  }));

  it("withAbort() removes its abort listener when the loop ends", withClock(async () => {
    const log = new EventRecorder();
    const controller = new AbortController();
    const count = listenerCount(controller.signal);
    for await (const _ of withAbort(source(log, "src", [1, 2], 10), controller.signal)) { /* consume */ }
    assert.equal(count(), 0, "withAbort() must remove its abort listener once the stream ends");
  }));

  it("withAbort() stops a ticker at the abort and leaves no timer", withClock(async (clock) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 250);
    const got: number[] = [];
    await rejectsWith(async () => {
      for await (const n of withAbort(ticker(100, { signal: controller.signal }), controller.signal)) got.push(n);
    }, { name: "AbortError" }, "withAbort(ticker(100, { signal }), signal)");
    assert.deepEqual(got, [1, 2]);
    assert.equal(clock.now(), 250);
    await clock.flush();
    assert.deepEqual(pendingTimers(clock), []);
  }));
});
