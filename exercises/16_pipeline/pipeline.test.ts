// Visible tests for the pipeline exercise. Run: bun test exercises/16_pipeline
// Every test runs in virtual time: `sleep(100)` takes no real time, and clock.now() tells when
// things happened. A timer still pending when a test ends fails it (a leaked timer).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { pipeline } from "./pipeline.ts";

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

/** Collects everything a pipeline yields. */
async function collect<T>(results: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of results) out.push(value);
  return out;
}

describe("pipeline()", () => {
  it("pipeline() passes every item through every stage once", withClock(async () => {
    const calls = new Map<number, number>();
    const results = await collect(pipeline(
      [1, 2, 3, 4, 5],
      {
        fn: async (n: number, signal) => {
          calls.set(n, (calls.get(n) ?? 0) + 1);
          await sleep(10, signal);
          return n * 10;
        },
      },
      { fn: (n: number) => `#${n}` },
    ));
    assert.deepEqual(results, ["#10", "#20", "#30", "#40", "#50"], "with one worker per stage, results keep source order");
    for (const [n, count] of calls) assert.equal(count, 1, `item ${n} went through stage 1 ${count} times; each item must be processed once`);
  }));

  it("pipeline() runs its stages at the same time", withClock(async (clock) => {
    // Two stages of 100 ms each, one worker each, 4 items. While stage 2 handles item 1, stage 1
    // already handles item 2: the last item leaves stage 2 at t=500, not at t=800.
    const results = await collect(pipeline(
      [1, 2, 3, 4],
      { fn: async (n: number, signal) => (await sleep(100, signal), n) },
      { fn: async (n: number, signal) => (await sleep(100, signal), n) },
    ));
    assert.deepEqual(results, [1, 2, 3, 4], "with one worker per stage, all 4 items come out in source order");
    assert.equal(clock.now(), 500, `4 items through two 100 ms stages should finish at t=500 ms; yours finished at t=${clock.now()} ms`);
  }));

  it("pipeline() runs up to stage.workers items of a stage at once", withClock(async (clock) => {
    const probe = new ConcurrencyProbe("stage-1 calls");
    const results = await collect(pipeline(
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
      { workers: 3, capacity: 3, fn: probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(100, signal), n)) },
    ));
    assert.equal(results.length, 9, `9 items went in, ${results.length} came out`);
    probe.assertMaxAtMost(3);
    probe.assertMaxReached(3);
    assert.equal(clock.now(), 300, `9 items of 100 ms on 3 workers should finish at t=300 ms; yours finished at t=${clock.now()} ms`);
  }));

  it("pipeline() rethrows a stage's error and calls the source's return()", withClock(async () => {
    let sourceClosed = false;
    async function* numbers() {
      try {
        for (let i = 1; i <= 100; i++) yield i;
      } finally {
        sourceClosed = true;
      }
    }
    const boom = new Error("cannot process 3");
    await rejectsWith(
      collect(pipeline(numbers(), {
        fn: async (n: number, signal) => {
          await sleep(10, signal);
          if (n === 3) throw boom;
          return n;
        },
      })),
      { is: boom },
      "a pipeline whose stage throws on item 3",
    );
    assert.ok(sourceClosed, "after a failure the source generator must be closed (its finally must run): the feeder must stop");
  }));

  it("pipeline() stops every stage when the consumer breaks early", withClock(async () => {
    let sourceClosed = false;
    let started = 0;
    async function* numbers() {
      try {
        for (let i = 1; ; i++) {
          await sleep(1); // endless, one item per ms: only an early stop ends it
          yield i;
        }
      } finally {
        sourceClosed = true;
      }
    }
    const taken: number[] = [];
    for await (const n of pipeline(numbers(), { workers: 2, fn: async (n: number, signal) => (started++, await sleep(50, signal), n) })) {
      taken.push(n);
      if (taken.length === 3) break;
    }
    assert.equal(taken.length, 3, "the consumer took 3 results, then broke out of its loop");
    assert.ok(sourceClosed, "when the consumer breaks, the pipeline must stop its feeder, which closes the source");
    const before = started;
    await sleep(1000);
    assert.equal(started, before, "no stage may start new work after the consumer broke out of its loop");
  }));

  it("pipeline() throws RangeError at once for a stage with 0 workers", withClock(() => {
    throwsWith(
      () => pipeline([1], { workers: 0, fn: (n: number) => n }),
      { name: "RangeError" },
      "pipeline([1], { workers: 0, fn }) (check before returning the generator)",
    );
  }));
});
