/**
 * Visible tests for 26_batch_processing. Run them with `bun test exercises/26_batch_processing`
 * or `deno test exercises/26_batch_processing`. Time is virtual: sleep(100) takes no real time
 * and clock.now() says when things happened. A ConcurrencyProbe records each call's start and end,
 * so a test can compare your schedule with the expected one (assertTimeline prints both).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  assertTimeline,
  ConcurrencyProbe,
  rejectsWith,
  throwsWith,
  withClock,
} from "../../lib/mod.ts";
import { batched, mapInChunks, mapSettled, pooledMap } from "./batch.ts";

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

/**
 * An endless source that checks the pool's promise: an item is pulled only while fewer than
 * `concurrency` calls run. `track(fn)` wraps the work so that the source knows when a call ended.
 */
function slotWatcher(concurrency: number) {
  const state = { pulled: 0, finished: 0, busiestPull: 0, closed: false };
  async function* source() {
    try {
      for (let n = 0;; n++) {
        // Calls started (pulled) and not yet finished, at the moment this item is pulled.
        state.busiestPull = Math.max(state.busiestPull, state.pulled - state.finished);
        state.pulled++;
        if (state.pulled > 1000) throw new Error("the source was read eagerly: 1000 items pulled");
        yield n;
      }
    } finally {
      state.closed = true;
    }
  }
  const track =
    <R>(fn: (n: number, signal: AbortSignal) => Promise<R>) =>
    async (n: number, signal: AbortSignal) => {
      try {
        return await fn(n, signal);
      } finally {
        state.finished++;
      }
    };
  const assertPulledOnlyWhenFree = () =>
    assert.ok(
      state.busiestPull < concurrency,
      `an item may be pulled only while fewer than ${concurrency} calls run; yours pulled one while ${state.busiestPull} were running`,
    );
  return { state, source: source(), track, assertPulledOnlyWhenFree };
}

/** 9 items, item 0 takes 300 ms and the others 100 ms: the workload of the README's diagram. */
const oneSlowItem = (probe: ConcurrencyProbe) =>
  probe.wrap(
    async (n: number, signal: AbortSignal) => (await sleep(n === 0 ? 300 : 100, signal), n),
    (n) => `item ${n}`,
  );

describe("task 1: batched()", () => {
  it(
    "batched() groups items into arrays of size n, the last one shorter",
    withClock(async () => {
      const batches = await collect(batched([1, 2, 3, 4, 5, 6, 7], 3));
      assert.deepEqual(
        batches,
        [[1, 2, 3], [4, 5, 6], [7]],
        `batched([1..7], 3) should give batches of 3, the last one shorter; yours gave ${
          JSON.stringify(batches)
        }`,
      );
    }),
  );

  it(
    "batched() throws RangeError from the call for a size that is not a positive integer",
    withClock(() => {
      throwsWith(() => batched([1, 2], 0), { name: "RangeError" }, "batched([1, 2], 0)");
      throwsWith(() => batched([1, 2], 1.5), { name: "RangeError" }, "batched([1, 2], 1.5)");
    }),
  );
});

describe("task 2: mapInChunks()", () => {
  it(
    "mapInChunks() starts the next chunk only when every call of the chunk has settled",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("calls");
      const results = await collect(
        mapInChunks([0, 1, 2, 3, 4, 5, 6, 7, 8], oneSlowItem(probe), { size: 3 }),
      );
      assert.deepEqual(
        results,
        [0, 1, 2, 3, 4, 5, 6, 7, 8],
        `every result, in input order; yours: ${results}`,
      );
      assertTimeline(probe.timeline, [
        { label: "item 0", start: 0, end: 300 },
        { label: "item 1", start: 0, end: 100 },
        { label: "item 2", start: 0, end: 100 },
        { label: "item 3", start: 300, end: 400 },
        { label: "item 4", start: 300, end: 400 },
        { label: "item 5", start: 300, end: 400 },
        { label: "item 6", start: 400, end: 500 },
        { label: "item 7", start: 400, end: 500 },
        { label: "item 8", start: 400, end: 500 },
      ], "mapInChunks()'s schedule, chunks of 3, item 0 slow");
      assert.equal(
        clock.now(),
        500,
        `three chunks, each as slow as its slowest item, end at t=500; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "mapInChunks() lets the rest of the chunk finish, then throws an AggregateError",
    withClock(async (clock) => {
      const started: number[] = [];
      const finished: number[] = [];
      const yielded: number[] = [];
      const error = await rejectsWith(
        (async () => {
          for await (
            const n of mapInChunks([1, 2, 3, 4, 5, 6], async (n: number) => {
              started.push(n);
              await sleep(n === 4 ? 10 : 100);
              if (n === 4) throw new Error("item 4 failed");
              finished.push(n);
              return n;
            }, { size: 3 })
          ) yielded.push(n);
        })(),
        { name: "AggregateError" },
        "mapInChunks() over a failing item",
      ) as AggregateError;
      assert.deepEqual(yielded, [1, 2, 3], `the first chunk's results come out; yours: ${yielded}`);
      assert.deepEqual(
        started,
        [1, 2, 3, 4, 5, 6],
        `the second chunk starts all its calls; started: ${started}`,
      );
      assert.deepEqual(
        [...finished].sort(),
        [1, 2, 3, 5, 6],
        `items 5 and 6 are in the failing chunk: they must be allowed to finish; finished: ${finished}`,
      );
      assert.equal(
        clock.now(),
        200,
        `mapInChunks() rejects when the failing chunk has settled (t=200); yours at t=${clock.now()}`,
      );
      assert.deepEqual(
        error.errors.map((e: Error) => e.message),
        ["item 4 failed"],
        "the AggregateError's errors hold the chunk's failures",
      );
    }),
  );

  it(
    "mapInChunks() reads one chunk at a time from an endless source and closes it on break",
    withClock(async () => {
      const watch = slotWatcher(4);
      const seen: number[] = [];
      for await (
        const n of mapInChunks(
          watch.source,
          watch.track(async (n, signal) => (await sleep(10, signal), n)),
          {
            size: 4,
          },
        )
      ) {
        seen.push(n);
        if (seen.length === 1) {
          assert.equal(
            watch.state.pulled,
            4,
            `the first result needs the first chunk of 4, no more; yours pulled ${watch.state.pulled}`,
          );
        }
        if (seen.length === 6) break;
      }
      assert.deepEqual(seen, [0, 1, 2, 3, 4, 5], `the first 6 results, in order; yours: ${seen}`);
      assert.equal(
        watch.state.pulled,
        8,
        `two chunks of 4 were read; yours pulled ${watch.state.pulled}`,
      );
      assert.ok(
        watch.state.closed,
        "breaking out of the loop must close the source (its finally must run)",
      );
    }),
  );

  it(
    "mapInChunks() rejects with the abort reason even when every call of the chunk in flight succeeds",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("user cancelled");
      setTimeout(() => controller.abort(reason), 50);
      const yielded: number[] = [];
      await rejectsWith(
        (async () => {
          for await (
            const n of mapInChunks([1, 2, 3, 4], async (n: number) => {
              await sleep(100); // ignores the signal: both calls succeed at t=100
              return n;
            }, { size: 2, signal: controller.signal })
          ) yielded.push(n);
        })(),
        { is: reason },
        "mapInChunks() aborted at t=50 while its first chunk runs to success",
      );
      assert.deepEqual(
        yielded,
        [],
        `the signal aborted before the chunk settled: the run rejects with the reason instead of yielding the chunk; yours yielded ${yielded}`,
      );
      assert.equal(
        clock.now(),
        100,
        `it rejects once the chunk has settled (t=100); yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "mapInChunks() starts no further chunk when the signal aborts while the consumer holds a result",
    withClock(async () => {
      const controller = new AbortController();
      const reason = new Error("user cancelled");
      let calls = 0;
      await rejectsWith(
        (async () => {
          for await (
            const _ of mapInChunks([1, 2, 3, 4], async (n: number) => {
              calls++;
              await sleep(10);
              return n;
            }, { size: 2, signal: controller.signal })
          ) controller.abort(reason); // aborted between two chunks
        })(),
        { is: reason },
        "mapInChunks() aborted while the consumer handles the first result",
      );
      assert.equal(
        calls,
        2,
        `the abort came before the second chunk: only the first chunk's 2 calls may start; yours started ${calls}`,
      );
    }),
  );
});

describe("task 3: pooledMap()", () => {
  it(
    "pooledMap() yields results in input order, not completion order",
    withClock(async () => {
      const latency: Record<string, number> = { a: 300, b: 100, c: 200, d: 50 };
      const results = await collect(pooledMap(["a", "b", "c", "d"], async (key, signal) => {
        await sleep(latency[key], signal);
        return key.toUpperCase();
      }, { concurrency: 4 }));
      assert.deepEqual(
        results,
        ["A", "B", "C", "D"],
        `results must come out in the order of the input; yours: ${results}`,
      );
    }),
  );

  it(
    "pooledMap() runs at most concurrency calls at once, and that many while work waits",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("calls");
      const work = probe.wrap(async (
        n: number,
        signal: AbortSignal,
      ) => (await sleep(100, signal), n * 2));
      const results = await collect(
        pooledMap([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], work, { concurrency: 3 }),
      );
      assert.deepEqual(
        results,
        [2, 4, 6, 8, 10, 12, 14, 16, 18, 20],
        `every item's result, in input order; yours: ${results}`,
      );
      probe.assertMaxAtMost(3);
      probe.assertMaxReached(3);
      assert.equal(
        clock.now(),
        400,
        `10 calls of 100 ms, 3 at a time, finish at t=400 ms; yours finished at t=${clock.now()} ms`,
      );
    }),
  );

  it(
    "pooledMap() keeps the other slots busy while one item is slow",
    withClock(async (clock) => {
      // The workload of mapInChunks() above: the pool ends at t=400 where the chunks need t=500.
      const probe = new ConcurrencyProbe("calls");
      await collect(pooledMap([0, 1, 2, 3, 4, 5, 6, 7, 8], oneSlowItem(probe), { concurrency: 3 }));
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
      assert.equal(clock.now(), 400, `the pool ends at t=400; yours at t=${clock.now()}`);
    }),
  );

  it(
    "pooledMap() works on an endless source, pulls only into a free slot, and closes it on break",
    withClock(async () => {
      const watch = slotWatcher(2);
      const squares: number[] = [];
      for await (
        const sq of pooledMap(
          watch.source,
          watch.track(async (n, signal) => (await sleep(10 + n, signal), n * n)),
          { concurrency: 2 },
        )
      ) {
        squares.push(sq);
        if (squares.length === 5) break;
      }
      assert.deepEqual(
        squares,
        [0, 1, 4, 9, 16],
        `the first 5 squares, in input order; yours: ${squares}`,
      );
      watch.assertPulledOnlyWhenFree();
      assert.ok(
        watch.state.closed,
        "breaking out of the loop must close the source (its finally must run)",
      );
    }),
  );

  it(
    "pooledMap() lets calls in flight finish, then throws an AggregateError",
    withClock(async (clock) => {
      const started: number[] = [];
      const finished: number[] = [];
      const error = await rejectsWith(
        collect(pooledMap([1, 2, 3, 4, 5], async (n: number) => {
          started.push(n);
          await sleep(n === 1 ? 10 : 100);
          if (n === 1) throw new Error("item 1 failed");
          finished.push(n);
          return n;
        }, { concurrency: 2 })),
        { name: "AggregateError" },
        "pooledMap() over a failing item",
      ) as AggregateError;
      assert.deepEqual(
        started,
        [1, 2],
        `after item 1 failed, no new call may start; started: ${started}`,
      );
      assert.deepEqual(
        finished,
        [2],
        `item 2 was already running: it must be allowed to finish; finished: ${finished}`,
      );
      assert.equal(
        clock.now(),
        100,
        `pooledMap() must reject once the call in flight has finished (t=100 ms); yours at t=${clock.now()}`,
      );
      assert.deepEqual(
        error.errors.map((e: Error) => e.message),
        ["item 1 failed"],
        "the AggregateError's errors must hold each failure (here only item 1's)",
      );
    }),
  );

  it(
    "pooledMap() rejects with the abort reason and aborts the calls in flight",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("user cancelled");
      let abortedCalls = 0;
      setTimeout(() => controller.abort(reason), 150);
      await rejectsWith(
        collect(pooledMap([1, 2, 3, 4, 5, 6], async (n: number, signal) => {
          try {
            await sleep(100, signal);
          } catch (error) {
            abortedCalls++;
            throw error;
          }
          return n;
        }, { concurrency: 2, signal: controller.signal })),
        { is: reason },
        "pooledMap() aborted at t=150",
      );
      assert.equal(
        clock.now(),
        150,
        `the abort at t=150 ends pooledMap() then; yours at t=${clock.now()}`,
      );
      assert.equal(
        abortedCalls,
        2,
        `the 2 calls in flight must see their signal abort; ${abortedCalls} did`,
      );
    }),
  );
});

describe("task 4: mapSettled()", () => {
  it(
    "mapSettled() reports each item's outcome in input order",
    withClock(async () => {
      const outcomes = await mapSettled([4, 0, 2], async (n: number, signal) => {
        await sleep(10 * n, signal);
        if (n === 0) throw new RangeError("cannot divide by zero");
        return 8 / n;
      }, { concurrency: 2 });
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ["fulfilled", "rejected", "fulfilled"],
        "one outcome per item, in input order (4, 0, 2), whatever order they finished in",
      );
      assert.deepEqual(
        outcomes[0],
        { status: "fulfilled", value: 2 },
        `a success is { status: "fulfilled", value }; yours: ${JSON.stringify(outcomes[0])}`,
      );
      assert.equal(
        (outcomes[1] as PromiseRejectedResult).reason.name,
        "RangeError",
        'a failure is { status: "rejected", reason } with fn\'s own error as reason',
      );
    }),
  );

  it(
    "mapSettled() turns a synchronous throw of fn into a rejected outcome",
    withClock(async () => {
      const error = new TypeError("bad row");
      const outcomes = await mapSettled([1, 2], (n: number) => {
        if (n === 1) throw error;
        return n;
      }, { concurrency: 1 });
      assert.deepEqual(
        outcomes,
        [{ status: "rejected", reason: error }, { status: "fulfilled", value: 2 }],
        "the synchronous throw is item 1's outcome, and item 2 still runs",
      );
    }),
  );
});
