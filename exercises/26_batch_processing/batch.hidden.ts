/**
 * Hidden tests for 26_batch_processing: run by the grader (`deno task grade 26`), not by
 * `bun test` or `deno test`. They pin every behaviour the README promises, in virtual time, and
 * none of them depends on the order in which timers due at the same instant fire.
 */
import { describe, it } from "node:test";
import assert, { AssertionError } from "node:assert/strict";
import {
  assertTimeline,
  ConcurrencyProbe,
  isNotImplemented,
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
 * Calls `start` (which must return a promise) and fails in the student's terms when it throws
 * synchronously instead.
 */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    throw new AssertionError({
      message: `${what} returns a promise: it must reject, not throw from the call (yours threw ${
        String(error)
      })`,
    });
  }
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

/**
 * An endless source that checks the pool's promise: an item is pulled only while fewer than
 * `concurrency` calls run. `track(fn)` wraps the work so that the source knows when a call ended.
 */
function slotWatcher(concurrency: number) {
  const state = { pulled: 0, finished: 0, busiestPull: 0, closed: false };
  async function* source() {
    try {
      for (let n = 0;; n++) {
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

describe("task 1: batched()", () => {
  it(
    "batched() reads only size items before yielding the first batch of an endless source",
    withClock(async () => {
      const { state, source } = tracked();
      const batches = batched(source, 4);
      await sleep(10);
      assert.equal(
        state.pulled,
        0,
        `batched() pulls nothing before the first next(); yours pulled ${state.pulled}`,
      );
      const first = await batches.next();
      assert.deepEqual(
        first.value,
        [0, 1, 2, 3],
        `the first batch of 4; yours: ${JSON.stringify(first.value)}`,
      );
      assert.equal(
        state.pulled,
        4,
        `batched() must pull only 4 items for the first batch of 4; yours pulled ${state.pulled}`,
      );
      await batches.return(undefined);
      assert.ok(state.closed, "return() must close the source");
    }),
  );

  it(
    "batched() yields no empty batch for an exact multiple or an empty source, and one short batch",
    withClock(async () => {
      assert.deepEqual(
        await collect(batched([1, 2, 3, 4], 2)),
        [[1, 2], [3, 4]],
        "batched([1, 2, 3, 4], 2): no empty batch at the end",
      );
      assert.deepEqual(await collect(batched([], 3)), [], "batched([], 3) yields no batch at all");
      assert.deepEqual(
        await collect(batched(["a"], 5)),
        [["a"]],
        'batched(["a"], 5) yields one short batch',
      );
      assert.deepEqual(
        await collect(batched("abc", 1)),
        [["a"], ["b"], ["c"]],
        'batched("abc", 1) takes any iterable, one item per batch',
      );
    }),
  );

  it(
    "batched() throws RangeError from the call for 0, negative, fractional, NaN and Infinity",
    withClock(() => {
      for (const size of [0, -2, 2.5, Number.NaN, Infinity]) {
        throwsWith(() => batched([1, 2], size), { name: "RangeError" }, `batched([1, 2], ${size})`);
      }
    }),
  );

  it(
    "batched() yields each batch as soon as a slow source has filled it",
    withClock(async (clock) => {
      const { source } = tracked(5, 100);
      const at: number[] = [];
      for await (const _batch of batched(source, 2)) at.push(clock.now());
      assert.deepEqual(
        at,
        [200, 400, 500],
        `an item every 100 ms, batches of 2: batches at t=200, 400 and 500 (the short last one when the source ends); yours at ${at}`,
      );
    }),
  );

  it(
    "batched() feeds pooledMap() for bulk calls",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("bulk calls");
      const insert = probe.wrap(async (
        rows: number[],
        signal: AbortSignal,
      ) => (await sleep(100, signal), rows.length));
      const counts = await collect(
        pooledMap(batched(tracked(10).source, 3), insert, { concurrency: 2 }),
      );
      assert.deepEqual(
        counts,
        [3, 3, 3, 1],
        `10 rows in batches of 3 give bulk calls of 3, 3, 3 and 1 rows; yours: ${counts}`,
      );
      probe.assertMaxAtMost(2);
      assert.equal(
        clock.now(),
        200,
        `4 bulk calls of 100 ms, 2 at a time, end at t=200 ms; yours at t=${clock.now()} ms`,
      );
    }),
  );
});

describe("task 2: mapInChunks()", () => {
  it(
    "mapInChunks() runs at most size calls at once, each chunk as slow as its slowest item",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("calls");
      const latency = [120, 40, 70, 30, 90, 60, 20, 50, 80, 10];
      const work = probe.wrap(
        async (n: number, signal: AbortSignal) => (await sleep(latency[n], signal), `r${n}`),
        (n) => `item ${n}`,
      );
      const results = await collect(mapInChunks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], work, { size: 4 }));
      assert.deepEqual(
        results,
        latency.map((_, n) => `r${n}`),
        `every result in input order; yours: ${results}`,
      );
      probe.assertMaxAtMost(4);
      probe.assertMaxReached(4);
      // chunk [0..3] ends with item 0 at 120; chunk [4..7] with item 4 at 120+90; chunk [8, 9] at 210+80.
      const starts = probe.timeline.map((s) => s.start);
      assert.deepEqual(
        starts,
        [0, 0, 0, 0, 120, 120, 120, 120, 210, 210],
        `each chunk starts when the previous one has fully settled; your start times: ${starts}`,
      );
      assert.equal(
        clock.now(),
        290,
        `the run ends with the last chunk at t=290; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "mapInChunks() yields a chunk's results only when its slowest call has settled",
    withClock(async (clock) => {
      const at: string[] = [];
      const latency = [30, 10, 20, 100];
      const work = async (n: number, signal: AbortSignal) => (await sleep(latency[n], signal), n);
      for await (const n of mapInChunks([0, 1, 2, 3], work, { size: 3 })) {
        at.push(`${n}@${clock.now()}`);
      }
      assert.deepEqual(
        at,
        ["0@30", "1@30", "2@30", "3@130"],
        `results of a chunk come out together, when its slowest call settles; yours: ${at}`,
      );
    }),
  );

  it(
    "mapInChunks() reads nothing before the first next() and one chunk at a time",
    withClock(async () => {
      const { state, source } = tracked();
      const results = mapInChunks(
        source,
        async (n: number, signal) => (await sleep(10, signal), n),
        { size: 3 },
      );
      await sleep(50);
      assert.equal(
        state.pulled,
        0,
        `mapInChunks() must be lazy: nothing may be pulled before the consumer asks; yours pulled ${state.pulled}`,
      );
      for (let i = 0; i < 3; i++) await results.next();
      assert.equal(
        state.pulled,
        3,
        `three results of the first chunk of 3 need 3 items, not the next chunk; yours pulled ${state.pulled}`,
      );
      await sleep(100);
      assert.equal(
        state.pulled,
        3,
        `no chunk is read until the consumer asks for its first result; yours pulled ${state.pulled}`,
      );
      await results.return(undefined);
      assert.ok(state.closed, "return() must close the source");
    }),
  );

  it(
    "mapInChunks() reports every failure of the chunk in input order and closes the source",
    withClock(async (clock) => {
      const { state, source } = tracked(20);
      const started: number[] = [];
      const error = await rejectsWith(
        collect(mapInChunks(source, async (n: number, signal) => {
          started.push(n);
          await sleep(n === 3 ? 50 : 20, signal);
          if (n === 3 || n === 2) throw new Error(`item ${n} failed`);
          return n;
        }, { size: 2 })),
        { name: "AggregateError" },
        "mapInChunks() with two failing items in one chunk",
      ) as AggregateError;
      assert.ok(error instanceof AggregateError, "the failure must be an AggregateError");
      assert.deepEqual(error.errors.map((e: Error) => e.message), [
        "item 2 failed",
        "item 3 failed",
      ], "every failure of the chunk, in input order (item 2 failed first in time, item 3 later)");
      assert.deepEqual(
        started,
        [0, 1, 2, 3],
        `no chunk may start after the failing one; started: ${started}`,
      );
      assert.equal(
        clock.now(),
        70,
        `the failing chunk [2, 3] settles at t=20+50=70; yours rejected at t=${clock.now()}`,
      );
      assert.ok(state.closed, "after a failure the source must be closed (return() called)");
    }),
  );

  it(
    "mapInChunks() turns a synchronous throw of fn into a failure of its item",
    withClock(async () => {
      const called: number[] = [];
      const error = await rejectsWith(
        collect(mapInChunks([1, 2, 3], (n: number) => {
          called.push(n);
          if (n === 1) throw new TypeError("bad item");
          return n;
        }, { size: 3 })),
        { name: "AggregateError" },
        "mapInChunks() whose fn throws synchronously",
      ) as AggregateError;
      assert.equal(
        error.errors[0]?.name,
        "TypeError",
        "the synchronous TypeError from fn must be in the AggregateError's errors",
      );
      assert.deepEqual(
        called,
        [1, 2, 3],
        `the rest of the chunk still runs; fn was called for ${called}`,
      );
    }),
  );

  it(
    "mapInChunks() rejects with the abort reason once the chunk in flight has settled",
    withClock(async (clock) => {
      const { state, source } = tracked();
      const controller = new AbortController();
      const reason = new Error("user cancelled");
      const sawAbort: number[] = [];
      setTimeout(() => controller.abort(reason), 150);
      await rejectsWith(
        collect(mapInChunks(source, async (n: number, signal) => {
          try {
            await sleep(n % 2 === 0 ? 100 : 120, signal);
          } catch (error) {
            sawAbort.push(n);
            if (n === 2) await sleep(30); // this one needs 30 ms to clean up
            throw error;
          }
          return n;
        }, { size: 2, signal: controller.signal })),
        { is: reason },
        "mapInChunks() aborted at t=150",
      );
      assert.deepEqual(
        sawAbort.sort(),
        [2, 3],
        `the calls of the chunk in flight see the signal abort; yours: ${sawAbort}`,
      );
      assert.equal(
        clock.now(),
        180,
        `the run rejects once the chunk in flight has settled (t=150+30); yours at t=${clock.now()}`,
      );
      assert.equal(
        state.pulled,
        4,
        `no chunk may be read after the abort; yours pulled ${state.pulled}`,
      );
      assert.ok(state.closed, "an abort must close the source (return() called)");
    }),
  );

  it(
    "mapInChunks() with an already aborted signal pulls nothing and calls nothing",
    withClock(async () => {
      const { state, source } = tracked(10);
      const reason = new DOMException("too late", "AbortError");
      let calls = 0;
      await rejectsWith(
        collect(
          mapInChunks(source, (n: number) => (calls++, n), {
            size: 2,
            signal: AbortSignal.abort(reason),
          }),
        ),
        { is: reason },
        "mapInChunks() with a pre-aborted signal",
      );
      assert.equal(
        calls,
        0,
        `a pre-aborted signal must call fn on nothing; yours called it ${calls} times`,
      );
      assert.equal(
        state.pulled,
        0,
        `a pre-aborted signal must pull nothing from the source; yours pulled ${state.pulled}`,
      );
    }),
  );

  it(
    "mapInChunks() passes fn a signal, also when the caller gave none",
    withClock(async () => {
      const seen: unknown[] = [];
      await collect(
        mapInChunks([1, 2], (n: number, signal: AbortSignal) => (seen.push(signal), n), {
          size: 2,
        }),
      );
      assert.ok(
        seen.every((s) => s instanceof AbortSignal && !s.aborted),
        "fn(item, signal) always gets an AbortSignal, not aborted when nobody aborts",
      );
      const controller = new AbortController();
      const given: unknown[] = [];
      await collect(
        mapInChunks([1], (n: number, signal: AbortSignal) => (given.push(signal), n), {
          size: 1,
          signal: controller.signal,
        }),
      );
      assert.equal(given[0], controller.signal, "with a signal given, fn gets that signal");
    }),
  );

  it(
    "mapInChunks() throws RangeError from the call for a bad size and handles empty and short inputs",
    withClock(async () => {
      for (const size of [0, -1, 1.5, Number.NaN]) {
        throwsWith(
          () => mapInChunks([1], (n: number) => n, { size }),
          { name: "RangeError" },
          `mapInChunks([1], fn, { size: ${size} })`,
        );
      }
      assert.deepEqual(
        await collect(mapInChunks([] as number[], (n) => n, { size: 3 })),
        [],
        "an empty source yields nothing",
      );
      assert.deepEqual(
        await collect(mapInChunks([7], (n: number) => n * 2, { size: 3 })),
        [14],
        "one item is one short chunk",
      );
      assert.deepEqual(await collect(mapInChunks([1, 2, 3, 4], (n: number) => n, { size: 2 })), [
        1,
        2,
        3,
        4,
      ], "an exact multiple of the size");
    }),
  );
});

describe("task 3: pooledMap()", () => {
  it(
    "pooledMap() keeps input order and the concurrency limit over 20 uneven items",
    withClock(async () => {
      const probe = new ConcurrencyProbe("calls");
      const items = Array.from({ length: 20 }, (_, i) => i);
      const work = probe.wrap(async (
        n: number,
        signal: AbortSignal,
      ) => (await sleep(10 + ((n * 37) % 90), signal), `r${n}`));
      const results = await collect(pooledMap(items, work, { concurrency: 4 }));
      assert.deepEqual(results, items.map((n) => `r${n}`), "results must keep input order");
      probe.assertMaxAtMost(4);
      probe.assertMaxReached(4);
    }),
  );

  it(
    "pooledMap() refills a slot as soon as its call settles, whatever the head does",
    withClock(async (clock) => {
      // concurrency 2; item 0 takes 1000 ms, the others 100 ms: the second slot runs items 1..9
      // one after another while item 0 is still running, and everything ends at t=1000.
      const probe = new ConcurrencyProbe("calls");
      const work = probe.wrap(
        async (n: number, signal: AbortSignal) => (await sleep(n === 0 ? 1000 : 100, signal), n),
        (n) => `item ${n}`,
      );
      const results = await collect(
        pooledMap([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], work, { concurrency: 2 }),
      );
      assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "every result, in input order");
      const expected = [{ label: "item 0", start: 0, end: 1000 }];
      for (let n = 1; n <= 9; n++) {
        expected.push({ label: "item " + n, start: (n - 1) * 100, end: n * 100 });
      }
      expected.push({ label: "item 10", start: 900, end: 1000 });
      assertTimeline(
        probe.timeline,
        expected,
        "pooledMap()'s schedule with a 1000 ms head and concurrency 2",
      );
      assert.equal(
        clock.now(),
        1000,
        `the run should end with item 0 at t=1000 ms; yours ended at t=${clock.now()} ms`,
      );
    }),
  );

  it(
    "pooledMap() yields each result as soon as it and every earlier one are ready",
    withClock(async (clock) => {
      const at: string[] = [];
      const latency = [50, 10, 80, 20];
      for await (
        const n of pooledMap(
          [0, 1, 2, 3],
          async (n: number, signal) => (await sleep(latency[n], signal), n),
          { concurrency: 4 },
        )
      ) {
        at.push(`${n}@${clock.now()}`);
      }
      assert.deepEqual(
        at,
        ["0@50", "1@50", "2@80", "3@80"],
        `item 1 waits for item 0 (t=50), item 3 for item 2 (t=80); yours: ${at}`,
      );
    }),
  );

  it(
    "pooledMap() pulls nothing before the first next() and only while fewer than concurrency calls run",
    withClock(async () => {
      const watch = slotWatcher(3);
      const results = pooledMap(
        watch.source,
        watch.track(async (n, signal) => (await sleep(50 + ((n * 37) % 90), signal), n)),
        { concurrency: 3 },
      );
      await sleep(50);
      assert.equal(
        watch.state.pulled,
        0,
        `pooledMap() must be lazy: nothing may be pulled before the consumer asks; yours pulled ${watch.state.pulled}`,
      );
      for (let i = 0; i < 12; i++) {
        const next = await results.next();
        assert.deepEqual(
          next,
          { done: false, value: i },
          `result ${i} in input order; yours: ${JSON.stringify(next)}`,
        );
      }
      watch.assertPulledOnlyWhenFree();
      await results.return(undefined);
      assert.ok(watch.state.closed, "return() must close the source");
    }),
  );

  it(
    "pooledMap() starts nothing after a failure and reports every failure in input order",
    withClock(async (clock) => {
      const { state, source } = tracked(50);
      const started: number[] = [];
      let inFlightSignalAborted = false;
      const error = await rejectsWith(
        collect(pooledMap(source, async (n: number, signal) => {
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
          await sleep(12, signal);
          return n;
        }, { concurrency: 3 })),
        { name: "AggregateError" },
        "pooledMap() with two failing items",
      ) as AggregateError;
      assert.ok(error instanceof AggregateError, "the failure must be an AggregateError");
      assert.deepEqual(error.errors.map((e: Error) => e.message), [
        "item 1 failed",
        "item 2 failed",
      ], "every failure, in input order");
      assert.deepEqual(
        started,
        [0, 1, 2, 3, 4],
        `items 0, 3 and 4 run in the third slot until item 2 fails at t=30; nothing may start after; started: ${started}`,
      );
      assert.equal(
        inFlightSignalAborted,
        false,
        "a failure must not abort the calls in flight: they finish",
      );
      assert.equal(
        clock.now(),
        60,
        `pooledMap() rejects when the last call in flight settles (t=60 ms); yours at t=${clock.now()}`,
      );
      assert.ok(state.closed, "after a failure the source must be closed (return() called)");
    }),
  );

  it(
    "pooledMap() yields nothing once a call has failed",
    withClock(async () => {
      const yielded: number[] = [];
      await rejectsWith(
        (async () => {
          for await (
            const n of pooledMap([0, 1, 2], async (n: number, signal) => {
              await sleep([50, 20, 80][n], signal);
              if (n === 1) throw new Error("item 1 failed");
              return n;
            }, { concurrency: 3 })
          ) yielded.push(n);
        })(),
        { name: "AggregateError" },
        "pooledMap() whose item 1 fails at t=20",
      );
      assert.deepEqual(
        yielded,
        [],
        `item 1 failed (t=20) before item 0 was ready (t=50): nothing may be yielded after a failure; yours yielded ${yielded}`,
      );
    }),
  );

  it(
    "pooledMap() rejects with the abort reason, aborts calls in flight and closes the source",
    withClock(async (clock) => {
      const { state, source } = tracked();
      const controller = new AbortController();
      const reason = new Error("user cancelled");
      let abortedCalls = 0;
      setTimeout(() => controller.abort(reason), 250);
      await rejectsWith(
        collect(pooledMap(source, async (n: number, signal) => {
          try {
            await sleep(100, signal);
          } catch (error) {
            abortedCalls++;
            throw error;
          }
          return n;
        }, { concurrency: 3, signal: controller.signal })),
        { is: reason },
        "pooledMap() aborted at t=250",
      );
      assert.equal(
        clock.now(),
        250,
        `an abort at t=250 ms should end pooledMap() then; yours ended at t=${clock.now()} ms`,
      );
      assert.equal(
        abortedCalls,
        3,
        `the 3 calls in flight must see their signal abort; ${abortedCalls} did`,
      );
      assert.ok(state.closed, "an abort must close the source (return() called)");
    }),
  );

  it(
    "pooledMap() waits for the calls in flight to settle after an abort",
    withClock(async (clock) => {
      const controller = new AbortController();
      const reason = new Error("stop");
      let running = 0;
      setTimeout(() => controller.abort(reason), 50);
      await rejectsWith(
        collect(pooledMap([1, 2], async (n: number, signal) => {
          running++;
          try {
            await sleep(100, signal);
          } catch {
            await sleep(20); // cleaning up after the abort
          } finally {
            running--;
          }
          return n;
        }, { concurrency: 2, signal: controller.signal })),
        { is: reason },
        "pooledMap() aborted at t=50",
      );
      assert.equal(running, 0, `when pooledMap() rejects, no call may still run; ${running} did`);
      assert.equal(
        clock.now(),
        70,
        `the calls need 20 ms to clean up: reject at t=70; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "pooledMap() with an already aborted signal pulls nothing and calls nothing",
    withClock(async () => {
      const { state, source } = tracked(10);
      const reason = new DOMException("too late", "AbortError");
      let calls = 0;
      await rejectsWith(
        collect(
          pooledMap(source, (n: number) => (calls++, n), {
            concurrency: 2,
            signal: AbortSignal.abort(reason),
          }),
        ),
        { is: reason },
        "pooledMap() with a pre-aborted signal",
      );
      assert.equal(
        calls,
        0,
        `a pre-aborted signal must call fn on nothing; yours called it ${calls} times`,
      );
      assert.equal(
        state.pulled,
        0,
        `a pre-aborted signal must pull nothing from the source; yours pulled ${state.pulled}`,
      );
    }),
  );

  it(
    "pooledMap() has aborted and awaited the calls in flight by the time break completes",
    withClock(async () => {
      const { state, source } = tracked();
      let running = 0;
      let aborted = 0;
      for await (
        const n of pooledMap(source, async (n: number, signal) => {
          running++;
          try {
            await sleep(n === 0 ? 10 : 500, signal);
          } catch (error) {
            aborted++;
            throw error;
          } finally {
            running--;
          }
          return n;
        }, { concurrency: 4 })
      ) {
        assert.equal(n, 0, "item 0 takes 10 ms, the others 500 ms: the first result is item 0's");
        break;
      }
      assert.equal(
        running,
        0,
        `right after break, ${running} calls were still running: stop them and wait for them`,
      );
      assert.ok(
        aborted >= 3,
        `break must abort the signal given to the calls in flight; ${aborted} saw it`,
      );
      assert.ok(state.closed, "right after break, the source must be closed");
    }),
  );

  it(
    "pooledMap() turns a synchronous throw of fn into a collected failure",
    withClock(async () => {
      const called: number[] = [];
      const error = await rejectsWith(
        collect(pooledMap([1, 2], (n: number) => {
          called.push(n);
          if (n === 1) throw new TypeError("bad item");
          return n;
        }, { concurrency: 1 })),
        { name: "AggregateError" },
        "pooledMap() whose fn throws synchronously",
      ) as AggregateError;
      assert.equal(
        error.errors[0]?.name,
        "TypeError",
        "the synchronous TypeError from fn must be in the AggregateError's errors",
      );
      assert.deepEqual(
        called,
        [1],
        `after the failure no new call starts; fn was called for ${called}`,
      );
    }),
  );

  it(
    "pooledMap() over an empty or one-item source, with concurrency 1 or above the item count",
    withClock(async (clock) => {
      assert.deepEqual(
        await collect(pooledMap([] as number[], (n) => n, { concurrency: 3 })),
        [],
        "an empty source yields nothing",
      );
      assert.deepEqual(
        await collect(pooledMap([5], (n: number) => n + 1, { concurrency: 3 })),
        [6],
        "one item, one result",
      );
      const probe = new ConcurrencyProbe("calls");
      await collect(
        pooledMap(
          [1, 2, 3],
          probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(100, signal), n)),
          { concurrency: 10 },
        ),
      );
      probe.assertMaxReached(3);
      assert.equal(
        clock.now(),
        100,
        `concurrency above the item count starts them all at once: t=100; yours t=${clock.now()}`,
      );
      const one = new ConcurrencyProbe("calls");
      await collect(
        pooledMap(
          [1, 2, 3],
          one.wrap(async (n: number, signal: AbortSignal) => (await sleep(100, signal), n)),
          { concurrency: 1 },
        ),
      );
      one.assertMaxAtMost(1);
      assert.equal(
        clock.now(),
        400,
        `concurrency 1 runs them one by one: 3 more calls of 100 ms; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "pooledMap() throws RangeError from the call for a concurrency that is not a positive integer",
    withClock(() => {
      for (const concurrency of [0, -1, 1.5, Number.NaN, Infinity]) {
        throwsWith(
          () => pooledMap([1], (n: number) => n, { concurrency }),
          { name: "RangeError" },
          `pooledMap([1], fn, { concurrency: ${concurrency} })`,
        );
      }
    }),
  );

  it(
    "pooledMap() yields nothing after a failure, not even results that were ready before the consumer asked",
    withClock(async () => {
      const yielded: number[] = [];
      await rejectsWith(
        (async () => {
          for await (
            const n of pooledMap([0, 1, 2], async (n: number) => {
              await sleep([10, 20, 30][n]);
              if (n === 2) throw new Error("item 2 failed");
              return n;
            }, { concurrency: 3 })
          ) {
            yielded.push(n);
            await sleep(100); // a slow consumer: item 1 succeeds and item 2 fails meanwhile
          }
        })(),
        { name: "AggregateError" },
        "pooledMap() whose item 2 fails at t=30 while the consumer handles item 0",
      );
      assert.deepEqual(
        yielded,
        [0],
        `item 2 failed at t=30, before the consumer asked for item 1 (t=110): nothing more may be yielded; yours yielded ${yielded}`,
      );
    }),
  );

  it(
    "pooledMap() on break waits for calls that need time to stop after the abort",
    withClock(async () => {
      let running = 0;
      for await (
        const n of pooledMap([0, 1, 2], async (n: number, signal) => {
          running++;
          try {
            await sleep(n === 0 ? 10 : 500, signal);
          } catch (error) {
            await sleep(25); // cleaning up takes 25 ms after the abort
            throw error;
          } finally {
            running--;
          }
          return n;
        }, { concurrency: 3 })
      ) {
        assert.equal(n, 0, "item 0 takes 10 ms, the others 500 ms: the first result is item 0's");
        break;
      }
      assert.equal(
        running,
        0,
        `break must wait until the aborted calls have settled (their cleanup takes 25 ms); ${running} were still running`,
      );
    }),
  );

  it(
    "pooledMap() leaves no listener on the caller's signal, however the run ends",
    withClock(async () => {
      /** The abort listeners on `signal` right now (added and not yet removed). */
      const listening = (signal: AbortSignal) => {
        const listeners = new Set<unknown>();
        const add = signal.addEventListener.bind(signal);
        const remove = signal.removeEventListener.bind(signal);
        signal.addEventListener = ((...a: Parameters<AbortSignal["addEventListener"]>) => {
          if (a[0] === "abort") listeners.add(a[1]);
          add(...a);
        }) as AbortSignal["addEventListener"];
        signal.removeEventListener = ((...a: Parameters<AbortSignal["removeEventListener"]>) => {
          if (a[0] === "abort") listeners.delete(a[1]);
          remove(...a);
        }) as AbortSignal["removeEventListener"];
        return listeners;
      };
      const work = async (n: number) => {
        await sleep(10); // never touches the signal itself
        if (n === 3) throw new Error("item 3 failed");
        return n;
      };
      const runs: [string, (signal: AbortSignal) => Promise<unknown>][] = [
        ["to the end", (signal) => collect(pooledMap([0, 1, 2], work, { concurrency: 2, signal }))],
        [
          "by a failure",
          (signal) => collect(pooledMap([2, 3], work, { concurrency: 2, signal })).catch(() => {}),
        ],
        ["by a break", async (signal) => {
          for await (const _ of pooledMap([0, 1, 2], work, { concurrency: 2, signal })) break;
        }],
      ];
      for (const [how, run] of runs) {
        const controller = new AbortController();
        const listeners = listening(controller.signal);
        await run(controller.signal);
        assert.equal(
          listeners.size,
          0,
          `a run that ended ${how} left ${listeners.size} abort listener(s) on the caller's signal`,
        );
      }
    }),
  );

  it(
    "pooledMap() over a slow source whose calls finish while the next item is being pulled",
    withClock(async () => {
      const { source } = tracked(4, 10); // an item every 10 ms
      const results = await collect(pooledMap(source, (n: number) => n * 10, { concurrency: 2 }));
      assert.deepEqual(
        results,
        [0, 10, 20, 30],
        `each call settles while the pool waits for the next item; every result must still come out, in order; yours: ${results}`,
      );
    }),
  );
});

describe("task 4: mapSettled()", () => {
  it(
    "mapSettled() runs everything despite failures, within the concurrency limit",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("calls");
      const outcomes = await mapSettled(
        [1, 2, 3, 4, 5, 6],
        probe.wrap(async (n: number, signal: AbortSignal) => {
          await sleep(100, signal);
          if (n % 2 === 0) throw new Error("even " + n);
          return n;
        }),
        { concurrency: 2 },
      );
      assert.deepEqual(
        outcomes.map((o) => o.status === "fulfilled" ? o.value : (o.reason as Error).message),
        [1, "even 2", 3, "even 4", 5, "even 6"],
        "each item's value or error message, in input order",
      );
      probe.assertMaxAtMost(2);
      probe.assertMaxReached(2);
      assert.equal(
        clock.now(),
        300,
        `6 calls of 100 ms, 2 at a time: t=300 ms; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "mapSettled() rejects with the abort reason when its signal aborts, even if fn ignores it",
    withClock(async () => {
      for (const honours of [true, false]) {
        const controller = new AbortController();
        const reason = new Error("stop");
        setTimeout(() => controller.abort(reason), 150);
        await rejectsWith(
          mapSettled(
            [1, 2, 3, 4],
            async (n: number, signal) => (await sleep(100, honours ? signal : undefined), n),
            { concurrency: 2, signal: controller.signal },
          ),
          { is: reason },
          `mapSettled() aborted at t=150 (fn ${honours ? "honours" : "ignores"} its signal)`,
        );
      }
    }),
  );

  it(
    "mapSettled() rejects with RangeError for a bad concurrency and resolves [] for no items",
    withClock(async () => {
      await rejectsWith(
        callAsync(
          () => mapSettled([1], (n: number) => n, { concurrency: 0 }),
          "mapSettled([1], fn, { concurrency: 0 })",
        ),
        { name: "RangeError" },
        "mapSettled([1], fn, { concurrency: 0 })",
      );
      assert.deepEqual(
        await mapSettled([] as number[], (n) => n, { concurrency: 2 }),
        [],
        "no items, no outcomes",
      );
    }),
  );

  it(
    "mapSettled() reports a rejection with undefined as an outcome, not as an abort",
    withClock(async () => {
      const outcomes = await mapSettled([1, 2], (n: number) => {
        if (n === 1) return Promise.reject(undefined);
        return n;
      }, { concurrency: 2, signal: new AbortController().signal });
      assert.deepEqual(
        outcomes,
        [{ status: "rejected", reason: undefined }, { status: "fulfilled", value: 2 }],
        `the signal never aborted, so a rejection with undefined is an outcome like any other (a signal that has not aborted has reason undefined too); yours: ${
          JSON.stringify(outcomes)
        }`,
      );
    }),
  );
});
