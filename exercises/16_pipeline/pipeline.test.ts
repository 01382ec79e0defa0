// Visible tests for the pipeline exercise. Run: bun test exercises/16_pipeline
// Every test runs in virtual time: `sleep(100)` takes no real time, and clock.now() tells when
// things happened. A timer still pending when a test ends fails it (a leaked timer).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { feed, pipeline, runStage } from "./pipeline.ts";
import { Channel } from "./given_channel.ts";

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

/** Everything in a closed channel. */
async function drain<T>(ch: Channel<T>): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const next = await ch.receive();
    if (next.done) return out;
    out.push(next.value);
  }
}

describe("task 1: feed()", () => {
  it(
    "feed() sends every item to the inbox, then closes it",
    withClock(async () => {
      const inbox = new Channel<string>(3);
      await feed(["a", "b", "c"], inbox, new AbortController().signal);
      assert.equal(
        inbox.closed,
        true,
        "after the last item, feed() closes the inbox (that is how the stage learns nothing more comes)",
      );
      assert.deepEqual(await drain(inbox), ["a", "b", "c"], "the inbox holds the items in order");
    }),
  );

  it(
    "feed() closes the inbox even when the source throws",
    withClock(async () => {
      const broken = new Error("broken source");
      function* source() {
        yield 1;
        throw broken;
      }
      const inbox = new Channel<number>(3);
      await rejectsWith(
        feed(source(), inbox, new AbortController().signal),
        { is: broken },
        "feed() of a source that throws",
      );
      assert.equal(inbox.closed, true, "close the inbox however the loop ends (try/finally)");
    }),
  );

  it(
    "feed() stops when its signal aborts, and the source's finally runs",
    withClock(async (clock) => {
      let sourceClosed = false;
      async function* endless() {
        try {
          for (let i = 0;; i++) yield i;
        } finally {
          sourceClosed = true;
        }
      }
      const inbox = new Channel<number>(2); // nobody reads it: feed() soon waits on a full inbox
      const controller = new AbortController();
      const feeding = feed(endless(), inbox, controller.signal);
      await clock.sleep(10);
      controller.abort(new Error("stop"));
      await rejectsWith(feeding, { message: "stop" }, "feed() after abort()");
      assert.ok(
        sourceClosed,
        "when the blocked send rejects, for await must call the source's return()",
      );
    }),
  );
});

describe("task 2: runStage()", () => {
  it(
    "runStage() moves every item through fn to the outbox, then closes it",
    withClock(async () => {
      const inbox = new Channel<number>(3);
      for (const n of [1, 2, 3]) await inbox.send(n);
      inbox.close();
      const outbox = new Channel<number>(3);
      await runStage(
        { workers: 2, fn: (n: number) => n * 10 },
        inbox,
        outbox,
        new AbortController(),
      );
      assert.equal(
        outbox.closed,
        true,
        "when every worker has exited, runStage() closes the outbox",
      );
      assert.deepEqual(
        (await drain(outbox)).sort((a, b) => a - b),
        [10, 20, 30],
        "each item went through fn once",
      );
    }),
  );

  it(
    "runStage() waits for its slowest worker before closing the outbox",
    withClock(async (clock) => {
      const inbox = new Channel<number>(2);
      await inbox.send(1);
      await inbox.send(2);
      inbox.close();
      const outbox = new Channel<number>(2);
      await runStage(
        { workers: 2, fn: async (n: number, signal) => (await sleep(n * 100, signal), n) },
        inbox,
        outbox,
        new AbortController(),
      );
      assert.equal(
        clock.now(),
        200,
        `the slow worker ends at t=200; runStage() must wait for it (yours ended at t=${clock.now()})`,
      );
      assert.deepEqual(
        await drain(outbox),
        [1, 2],
        "the slow worker's result is in the outbox, not lost to an early close",
      );
    }),
  );

  it(
    "runStage() aborts the controller with a failing call's error",
    withClock(async () => {
      const boom = new Error("bad item");
      const inbox = new Channel<number>(1);
      await inbox.send(1);
      inbox.close();
      const controller = new AbortController();
      await runStage({ fn: () => Promise.reject(boom) }, inbox, new Channel<number>(1), controller);
      assert.equal(
        controller.signal.reason,
        boom,
        "a worker that catches an error calls controller.abort(error); runStage() itself resolves",
      );
    }),
  );
});

describe("task 3: pipeline()", () => {
  it(
    "pipeline() passes every item through every stage once",
    withClock(async () => {
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
      assert.deepEqual(
        results,
        ["#10", "#20", "#30", "#40", "#50"],
        "with one worker per stage, results keep source order",
      );
      for (const [n, count] of calls) {
        assert.equal(
          count,
          1,
          `item ${n} went through stage 1 ${count} times; each item must be processed once`,
        );
      }
    }),
  );

  it(
    "pipeline() runs its stages at the same time",
    withClock(async (clock) => {
      // Two stages of 100 ms each, one worker each, 4 items. While stage 2 handles item 1, stage 1
      // already handles item 2: the last item leaves stage 2 at t=500, not at t=800.
      const results = await collect(pipeline(
        [1, 2, 3, 4],
        { fn: async (n: number, signal) => (await sleep(100, signal), n) },
        { fn: async (n: number, signal) => (await sleep(100, signal), n) },
      ));
      assert.deepEqual(
        results,
        [1, 2, 3, 4],
        "with one worker per stage, all 4 items come out in source order",
      );
      assert.equal(
        clock.now(),
        500,
        `4 items through two 100 ms stages should finish at t=500 ms; yours finished at t=${clock.now()} ms`,
      );
    }),
  );

  it(
    "pipeline() runs up to stage.workers items of a stage at once",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("stage-1 calls");
      const results = await collect(pipeline(
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        {
          workers: 3,
          capacity: 3,
          fn: probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(100, signal), n)),
        },
      ));
      assert.equal(results.length, 9, `9 items went in, ${results.length} came out`);
      probe.assertMaxAtMost(3);
      probe.assertMaxReached(3);
      assert.equal(
        clock.now(),
        300,
        `9 items of 100 ms on 3 workers should finish at t=300 ms; yours finished at t=${clock.now()} ms`,
      );
    }),
  );

  it(
    "pipeline() rethrows a stage's error and calls the source's return()",
    withClock(async () => {
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
      assert.ok(
        sourceClosed,
        "after a failure the source generator must be closed (its finally must run): the feeder must stop",
      );
    }),
  );

  it(
    "pipeline() stops every stage when the consumer breaks early",
    withClock(async () => {
      let sourceClosed = false;
      let started = 0;
      async function* numbers() {
        try {
          for (let i = 1;; i++) {
            await sleep(1); // endless, one item per ms: only an early stop ends it
            yield i;
          }
        } finally {
          sourceClosed = true;
        }
      }
      const taken: number[] = [];
      for await (
        const n of pipeline(numbers(), {
          workers: 2,
          fn: async (n: number, signal) => (started++, await sleep(50, signal), n),
        })
      ) {
        taken.push(n);
        if (taken.length === 3) break;
      }
      assert.equal(taken.length, 3, "the consumer took 3 results, then broke out of its loop");
      assert.ok(
        sourceClosed,
        "when the consumer breaks, the pipeline must stop its feeder, which closes the source",
      );
      const before = started;
      await sleep(1000);
      assert.equal(
        started,
        before,
        "no stage may start new work after the consumer broke out of its loop",
      );
    }),
  );

  it(
    "pipeline() throws RangeError at once for a stage with 0 workers",
    withClock(() => {
      throwsWith(
        () => pipeline([1], { workers: 0, fn: (n: number) => n }),
        { name: "RangeError" },
        "pipeline([1], { workers: 0, fn }) (check before returning the generator)",
      );
    }),
  );

  it(
    "pipeline() gives a stage an inbox of 1 item by default, whatever its workers",
    withClock(async (clock) => {
      let pulled = 0;
      function* source() {
        for (let i = 1; i <= 20; i++) {
          pulled++;
          yield i;
        }
      }
      const results = pipeline(source(), {
        workers: 3,
        fn: async (n: number, signal) => (await sleep(1000, signal), n),
      });
      const first = results.next();
      await clock.sleep(100);
      assert.equal(
        pulled,
        5,
        `3 workers each hold an item, the inbox (capacity 1 by default) holds 1 and feed() holds 1 waiting to go in: 5 items pulled; yours pulled ${pulled}`,
      );
      await first;
      await results.return(undefined);
    }),
  );

  it(
    "pipeline() over an empty source yields nothing and ends",
    withClock(async () => {
      const results = await collect(
        pipeline([] as number[], { fn: (n: number) => n }, { workers: 2, fn: (n: number) => n }),
      );
      assert.deepEqual(
        results,
        [],
        "no item in, no result out; and the loop must end (each stage closes the next channel)",
      );
    }),
  );

  it(
    "pipeline() rethrows the source's error",
    withClock(async () => {
      const broken = new Error("the source broke");
      async function* failing() {
        yield 1;
        throw broken;
      }
      await rejectsWith(
        collect(pipeline(failing(), { fn: (n: number) => n })),
        { is: broken },
        "a pipeline whose source throws after one item",
      );
    }),
  );
});
