// Hidden tests for batch processing: they run only under the grader.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertTimeline, ConcurrencyProbe, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { batched, mapSettled, pooledMap } from "./batch.ts";

/** Sleeps `ms` of virtual time; rejects with `signal.reason` (and clears its timer) on abort. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

async function collect<T>(results: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of results) out.push(value);
  return out;
}


/** A source that counts pulls and notes when its finally ran; endless unless `count` is given. */
function tracked(count = Infinity, gapMs = 0) {
  const state = { pulled: 0, closed: false };
  async function* generate() {
    try {
      for (let n = 0; n < count; n++) {
        if (gapMs > 0) await sleep(gapMs);
        state.pulled++;
        if (state.pulled > 1000) throw new Error("the source was read eagerly: 1000 items pulled");
        yield n;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, source: generate() };
}

describe("pooledMap() hidden", () => {
  it("pooledMap() keeps input order and the concurrency limit over 20 uneven items", withClock(async () => {
    const probe = new ConcurrencyProbe("calls");
    const items = Array.from({ length: 20 }, (_, i) => i);
    const work = probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(10 + ((n * 37) % 90), signal), `r${n}`));
    const results = await collect(pooledMap(items, work, { concurrency: 4 }));
    assert.deepEqual(results, items.map((n) => `r${n}`), "results must keep input order");
    probe.assertMaxAtMost(4);
    probe.assertMaxReached(4);
  }));

  it("pooledMap() refills a slot as soon as its call settles, whatever the head does", withClock(async (clock) => {
    // concurrency 2; item 0 takes 1000 ms, the others 100 ms: the second slot runs items 1..9
    // one after another while item 0 is still running, and everything ends at t=1000.
    const probe = new ConcurrencyProbe("calls");
    const work = probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(n === 0 ? 1000 : 100, signal), n), (n) => `item ${n}`);
    const results = await collect(pooledMap([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], work, { concurrency: 2 }));
    assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "every result, in input order");
    const expected = [{ label: "item 0", start: 0, end: 1000 }];
    for (let n = 1; n <= 9; n++) expected.push({ label: "item " + n, start: (n - 1) * 100, end: n * 100 });
    expected.push({ label: "item 10", start: 900, end: 1000 });
    assertTimeline(probe.timeline, expected, "pooledMap()'s schedule with a 1000 ms head and concurrency 2");
    assert.equal(clock.now(), 1000, `the run should end with item 0 at t=1000 ms; yours ended at t=${clock.now()} ms`);
  }));

  it("pooledMap() pulls nothing before the first next() and one item per free slot", withClock(async () => {
    const { state, source } = tracked(100);
    const results = pooledMap(source, async (n: number, signal) => {
      await sleep(100, signal);
      return n;
    }, { concurrency: 3 });
    await sleep(50);
    assert.equal(state.pulled, 0, "pooledMap() must be lazy: nothing may be pulled before the consumer asks");
    const first = await results.next();
    assert.deepEqual(first, { done: false, value: 0 }, "the first next() gives item 0's result");
    assert.ok(state.pulled <= 4, `with concurrency 3, at most 3 items (plus the one being started) may be pulled by the first result; yours pulled ${state.pulled}`);
    await results.return(undefined);
    assert.ok(state.closed, "return() must close the source");
  }));

  it("pooledMap() starts nothing after a failure and reports every failure in input order", withClock(async (clock) => {
    const { state, source } = tracked(50);
    const started: number[] = [];
    let inFlightSignalAborted = false;
    const error = await rejectsWith(collect(pooledMap(source, async (n: number, signal) => {
      started.push(n);
      if (n === 2) {
        await sleep(30, signal);
        throw new Error("item 2 failed");
      }
      if (n === 1) {
        await sleep(60, signal);
        inFlightSignalAborted = signal.aborted;
        throw new Error("item 1 failed");
      }
      await sleep(10, signal);
      return n;
    }, { concurrency: 3 })), { name: "AggregateError" }, "pooledMap() with two failing items") as AggregateError;
    assert.ok(error instanceof AggregateError, "the failure must be an AggregateError");
    assert.deepEqual(error.errors.map((e: Error) => e.message), ["item 1 failed", "item 2 failed"], "every failure, in input order");
    assert.ok(!started.some((n) => n > 5), `no call may start after item 2 failed at t=30; started: ${started.join(", ")}`);
    assert.equal(inFlightSignalAborted, false, "a failure must not abort the calls in flight: they finish");
    assert.equal(clock.now(), 60, "pooledMap() rejects when the last call in flight settles (t=60 ms)");
    assert.ok(state.closed, "after a failure the source must be closed (return() called)");
  }));

  it("pooledMap() rejects with the abort reason, aborts calls in flight and closes the source", withClock(async (clock) => {
    const { state, source } = tracked();
    const controller = new AbortController();
    const reason = new Error("user cancelled");
    let abortedCalls = 0;
    setTimeout(() => controller.abort(reason), 250);
    await rejectsWith(collect(pooledMap(source, async (n: number, signal) => {
      try {
        await sleep(100, signal);
      } catch (error) {
        abortedCalls++;
        throw error;
      }
      return n;
    }, { concurrency: 3, signal: controller.signal })), { is: reason }, "pooledMap() aborted at t=250");
    assert.equal(clock.now(), 250, `an abort at t=250 ms should end pooledMap() then; yours ended at t=${clock.now()} ms`);
    assert.equal(abortedCalls, 3, "the 3 calls in flight must see their signal abort");
    assert.ok(state.closed, "an abort must close the source (return() called)");
  }));

  it("pooledMap() with an already aborted signal pulls nothing and calls nothing", withClock(async () => {
    const { state, source } = tracked(10);
    const reason = new DOMException("too late", "AbortError");
    let calls = 0;
    await rejectsWith(
      collect(pooledMap(source, (n: number) => (calls++, n), { concurrency: 2, signal: AbortSignal.abort(reason) })),
      { is: reason },
      "pooledMap() with a pre-aborted signal",
    );
    assert.equal(calls, 0, "a pre-aborted signal must call fn on nothing");
    assert.equal(state.pulled, 0, "a pre-aborted signal must pull nothing from the source");
  }));

  it("pooledMap() has aborted and awaited the calls in flight by the time break completes", withClock(async () => {
    const { state, source } = tracked();
    let running = 0;
    for await (const n of pooledMap(source, async (n: number, signal) => {
      running++;
      try {
        await sleep(n === 0 ? 10 : 500, signal);
      } finally {
        running--;
      }
      return n;
    }, { concurrency: 4 })) {
      assert.equal(n, 0, "item 0 takes 10 ms, the others 500 ms: the first result is item 0's");
      break;
    }
    assert.equal(running, 0, `right after break, ${running} calls were still running: stop them and wait for them`);
    assert.ok(state.closed, "right after break, the source must be closed");
  }));

  it("pooledMap() turns a synchronous throw of fn into a collected failure", withClock(async () => {
    const error = await rejectsWith(collect(pooledMap([1, 2], (n: number) => {
      if (n === 1) throw new TypeError("bad item");
      return n;
    }, { concurrency: 1 })), { name: "AggregateError" }, "pooledMap() whose fn throws synchronously") as AggregateError;
    assert.equal(error.errors[0].name, "TypeError", "the synchronous TypeError from fn must be in the AggregateError's errors");
  }));

  it("pooledMap() over an empty source yields nothing", withClock(async () => {
    assert.deepEqual(await collect(pooledMap([] as number[], (n) => n, { concurrency: 3 })), [], "an empty source yields nothing");
  }));

  it("pooledMap() throws RangeError at once for a concurrency that is not a positive integer", withClock(() => {
    for (const concurrency of [0, -1, 1.5, Number.NaN]) {
      throwsWith(() => pooledMap([1], (n: number) => n, { concurrency }), { name: "RangeError" }, "pooledMap([1], fn, { concurrency: " + concurrency + " })");
    }
  }));
});

describe("batched() hidden", () => {
  it("batched() reads only size items before yielding the first batch of an endless source", withClock(async () => {
    const { state, source } = tracked();
    const batches = batched(source, 4);
    const first = await batches.next();
    assert.deepEqual(first.value, [0, 1, 2, 3], "the first batch of 4");
    assert.equal(state.pulled, 4, `batched() must pull only 4 items for the first batch of 4; yours pulled ${state.pulled}`);
    await batches.return(undefined);
    assert.ok(state.closed, "return() must close the source");
  }));

  it("batched() yields no empty batch for an exact multiple or an empty source", withClock(async () => {
    assert.deepEqual(await collect(batched([1, 2, 3, 4], 2)), [[1, 2], [3, 4]], "batched([1, 2, 3, 4], 2): no empty batch at the end");
    assert.deepEqual(await collect(batched([], 3)), [], "batched([], 3) yields no batch at all");
    assert.deepEqual(await collect(batched(["a"], 5)), [["a"]], "batched([\"a\"], 5) yields one short batch");
  }));

  it("batched() throws RangeError at once for size 0", withClock(() => {
    throwsWith(() => batched([1, 2], 0), { name: "RangeError" }, "batched([1, 2], 0)");
    throwsWith(() => batched([1, 2], 2.5), { name: "RangeError" }, "batched([1, 2], 2.5)");
  }));

  it("batched() feeds pooledMap() for bulk calls", withClock(async (clock) => {
    const probe = new ConcurrencyProbe("bulk calls");
    const insert = probe.wrap(async (rows: number[], signal: AbortSignal) => (await sleep(100, signal), rows.length));
    const counts = await collect(pooledMap(batched(tracked(10).source, 3), insert, { concurrency: 2 }));
    assert.deepEqual(counts, [3, 3, 3, 1], "10 rows in batches of 3 give bulk calls of 3, 3, 3 and 1 rows");
    probe.assertMaxAtMost(2);
    assert.equal(clock.now(), 200, `4 bulk calls of 100 ms, 2 at a time, end at t=200 ms; yours at t=${clock.now()} ms`);
  }));
});

describe("mapSettled() hidden", () => {
  it("mapSettled() runs everything despite failures, within the concurrency limit", withClock(async (clock) => {
    const probe = new ConcurrencyProbe("calls");
    const outcomes = await mapSettled([1, 2, 3, 4, 5, 6], probe.wrap(async (n: number, signal: AbortSignal) => {
      await sleep(100, signal);
      if (n % 2 === 0) throw new Error("even " + n);
      return n;
    }), { concurrency: 2 });
    assert.deepEqual(outcomes.map((o) => o.status === "fulfilled" ? o.value : (o.reason as Error).message), [1, "even 2", 3, "even 4", 5, "even 6"], "each item's value or error message, in input order");
    probe.assertMaxAtMost(2);
    probe.assertMaxReached(2);
    assert.equal(clock.now(), 300, "6 calls of 100 ms, 2 at a time: t=300 ms");
  }));

  it("mapSettled() rejects with the abort reason when its signal aborts", withClock(async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    setTimeout(() => controller.abort(reason), 150);
    await rejectsWith(
      mapSettled([1, 2, 3, 4], async (n: number, signal) => (await sleep(100, signal), n), { concurrency: 2, signal: controller.signal }),
      { is: reason },
      "mapSettled() aborted at t=150",
    );
  }));

  it("mapSettled() throws RangeError for concurrency 0", withClock(async () => {
    await rejectsWith(() => mapSettled([1], (n: number) => n, { concurrency: 0 }), { name: "RangeError" }, "mapSettled([1], fn, { concurrency: 0 })");
  }));
});
