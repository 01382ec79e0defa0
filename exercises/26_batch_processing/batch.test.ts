// Visible tests for batch processing. Run: bun test exercises/26_batch_processing
// Every test runs in virtual time: sleep(100) takes no real time; clock.now() says when things
// happened. ConcurrencyProbe records each call's start and end, so a test can compare your
// schedule with the ideal one (assertTimeline prints both side by side).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertTimeline, ConcurrencyProbe, rejectsWith, withClock } from "../../lib/mod.ts";
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

describe("batched()", () => {
  it("batched() groups items into arrays of size n, the last one shorter", withClock(async () => {
    assert.deepEqual(await collect(batched([1, 2, 3, 4, 5, 6, 7], 3)), [[1, 2, 3], [4, 5, 6], [7]], "batched([1..7], 3): batches of 3, the last one shorter");
  }));
});

describe("pooledMap()", () => {
  it("pooledMap() yields results in input order, not completion order", withClock(async () => {
    const latency: Record<string, number> = { a: 300, b: 100, c: 200, d: 50 };
    const results = await collect(pooledMap(["a", "b", "c", "d"], async (key, signal) => {
      await sleep(latency[key], signal);
      return key.toUpperCase();
    }, { concurrency: 4 }));
    assert.deepEqual(results, ["A", "B", "C", "D"], "results must come out in the order of the input");
  }));

  it("pooledMap() runs at most concurrency calls at once, and that many while work waits", withClock(async (clock) => {
    const probe = new ConcurrencyProbe("calls");
    const work = probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(100, signal), n * 2));
    const results = await collect(pooledMap([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], work, { concurrency: 3 }));
    assert.deepEqual(results, [2, 4, 6, 8, 10, 12, 14, 16, 18, 20], "every item's result, in input order");
    probe.assertMaxAtMost(3);
    probe.assertMaxReached(3);
    assert.equal(clock.now(), 400, `10 calls of 100 ms, 3 at a time, finish at t=400 ms; yours finished at t=${clock.now()} ms`);
  }));

  it("pooledMap() keeps the other slots busy while one item is slow", withClock(async () => {
    // Item 0 takes 300 ms, the others 100 ms. A free slot takes the next item at once, so the
    // run ends at t=400. Awaiting fixed chunks of 3 with Promise.all would end at t=500, because
    // every chunk waits for its slowest item.
    const probe = new ConcurrencyProbe("calls");
    const work = probe.wrap(
      async (n: number, signal: AbortSignal) => (await sleep(n === 0 ? 300 : 100, signal), n),
      (n) => `item ${n}`,
    );
    await collect(pooledMap([0, 1, 2, 3, 4, 5, 6, 7, 8], work, { concurrency: 3 }));
    assertTimeline(probe.timeline, [
      { label: "item 0", start: 0, end: 300 },
      { label: "item 1", start: 0, end: 100 },
      { label: "item 2", start: 0, end: 100 },
      { label: "item 3", start: 100, end: 200 },
      { label: "item 4", start: 100, end: 200 },
      { label: "item 5", start: 200, end: 300 },
      { label: "item 6", start: 200, end: 300 },
      { label: "item 7", start: 300, end: 400 },
      { label: "item 8", start: 300, end: 400 },
    ], "pooledMap()'s schedule with one slow item");
  }));

  it("pooledMap() works on an endless source and stops it when the loop breaks", withClock(async () => {
    let closed = false;
    let pulled = 0;
    async function* naturals() {
      try {
        for (let n = 0; ; n++) {
          pulled++;
          if (pulled > 1000) throw new Error("the source was read eagerly: 1000 items pulled");
          yield n;
        }
      } finally {
        closed = true;
      }
    }
    const squares: number[] = [];
    for await (const sq of pooledMap(naturals(), async (n: number, signal) => (await sleep(10, signal), n * n), { concurrency: 2 })) {
      squares.push(sq);
      if (squares.length === 5) break;
    }
    assert.deepEqual(squares, [0, 1, 4, 9, 16], "the first 5 squares, in input order");
    assert.ok(pulled <= 7, `pooledMap() must pull an item only when a slot is free; it pulled ${pulled} items for 5 results with concurrency 2`);
    assert.ok(closed, "breaking out of the loop must close the source (its finally must run)");
  }));

  it("pooledMap() lets calls in flight finish, then throws an AggregateError", withClock(async (clock) => {
    const started: number[] = [];
    const finished: number[] = [];
    const error = await rejectsWith(collect(pooledMap([1, 2, 3, 4, 5], async (n: number) => {
      started.push(n);
      await sleep(n === 1 ? 10 : 100);
      if (n === 1) throw new Error("item 1 failed");
      finished.push(n);
      return n;
    }, { concurrency: 2 })), { name: "AggregateError" }, "pooledMap() over a failing item") as AggregateError;
    assert.deepEqual(started, [1, 2], "after item 1 failed, no new call may start");
    assert.deepEqual(finished, [2], "item 2 was already running: it must be allowed to finish");
    assert.equal(clock.now(), 100, "pooledMap() must reject once the call in flight has finished (t=100 ms)");
    assert.deepEqual(error.errors.map((e: Error) => e.message), ["item 1 failed"], "the AggregateError's errors must hold each failure (here only item 1's)");
  }));
});

describe("mapSettled()", () => {
  it("mapSettled() reports each item's outcome in input order", withClock(async () => {
    const outcomes = await mapSettled([4, 0, 2], async (n: number, signal) => {
      await sleep(10 * n, signal);
      if (n === 0) throw new RangeError("cannot divide by zero");
      return 8 / n;
    }, { concurrency: 2 });
    assert.deepEqual(outcomes.map((o) => o.status), ["fulfilled", "rejected", "fulfilled"], "one outcome per item, in input order (4, 0, 2), whatever order they finished in");
    assert.deepEqual(outcomes[0], { status: "fulfilled", value: 2 }, "a success is { status: \"fulfilled\", value }");
    assert.equal((outcomes[1] as PromiseRejectedResult).reason.name, "RangeError", "a failure is { status: \"rejected\", reason } with fn's own error as reason");
  }));
});
