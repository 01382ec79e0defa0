// Hidden tests for the pipeline exercise: they run only under the grader.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyProbe, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { feed, pipeline, runStage } from "./pipeline.ts";
import { Channel } from "./given_channel.ts";

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

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** A source that counts how many items were pulled and whether its finally ran. */
function trackedSource(count: number, gapMs = 0) {
  const state = { pulled: 0, closed: false };
  async function* generate() {
    try {
      for (let i = 1; i <= count; i++) {
        if (gapMs > 0) await sleep(gapMs);
        state.pulled++;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, source: generate() };
}

/** Sends `items` into a new channel of `capacity` and closes it. */
async function filled<T>(items: T[], capacity = Math.max(1, items.length)): Promise<Channel<T>> {
  const ch = new Channel<T>(capacity);
  for (const item of items) await ch.send(item);
  ch.close();
  return ch;
}

/** Everything in a closed channel. */
async function drain<T>(ch: Channel<T>): Promise<T[]> {
  assert.ok(ch.closed, "the channel should have been closed by now");
  const out: T[] = [];
  for (;;) {
    const next = await ch.receive();
    if (next.done) return out;
    out.push(next.value);
  }
}

describe("task 1: feed()", () => {
  it(
    "feed() sends every item of an async source in order and closes the inbox",
    withClock(async () => {
      const { state, source } = trackedSource(4, 10);
      const inbox = new Channel<number>(4);
      await feed(source, inbox, new AbortController().signal);
      assert.equal(inbox.closed, true, "feed() closes the inbox once the source is exhausted");
      assert.deepEqual(
        await drain(inbox),
        [1, 2, 3, 4],
        "the inbox holds the 4 items in source order",
      );
      assert.ok(state.closed, "the source generator ran to its end");
    }),
  );

  it(
    "feed() pulls the next item only once the previous one is in: with a full inbox it holds one item",
    withClock(async (clock) => {
      const { state, source } = trackedSource(10);
      const inbox = new Channel<number>(2);
      const feeding = feed(source, inbox, new AbortController().signal);
      await clock.sleep(100);
      assert.equal(
        state.pulled,
        3,
        `with nobody reading an inbox of capacity 2, feed() should have pulled 3 items (2 in the inbox, 1 waiting to go in); it pulled ${state.pulled}`,
      );
      const got: number[] = [];
      for (;;) {
        const next = await inbox.receive();
        if (next.done) break;
        got.push(next.value);
      }
      await feeding;
      assert.deepEqual(got, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "every item arrives, in order");
    }),
  );

  it(
    "feed() of an empty source closes the inbox at once",
    withClock(async (clock) => {
      const inbox = new Channel<number>(1);
      await feed([], inbox, new AbortController().signal);
      assert.equal(
        inbox.closed,
        true,
        "an empty source still closes the inbox, or the stage behind it waits forever",
      );
      assert.equal(clock.now(), 0, "nothing to wait for");
    }),
  );

  it(
    "feed() closes the inbox when the source throws, and rejects with that error",
    withClock(async () => {
      const broken = new Error("the file is truncated");
      async function* source() {
        yield 1;
        await sleep(10);
        throw broken;
      }
      const inbox = new Channel<number>(5);
      await rejectsWith(
        feed(source(), inbox, new AbortController().signal),
        { is: broken },
        "feed() of a source that throws after one item",
      );
      assert.equal(
        inbox.closed,
        true,
        "the inbox must be closed on every path, also when the source throws",
      );
      assert.deepEqual(await drain(inbox), [1], "the item sent before the error is still there");
    }),
  );

  it(
    "feed() aborted while the inbox is full rejects with the reason, closes the source and the inbox",
    withClock(async (clock) => {
      const { state, source } = trackedSource(100);
      const inbox = new Channel<number>(1);
      const controller = new AbortController();
      const reason = new Error("pipeline stopped");
      const feeding = feed(source, inbox, controller.signal);
      await clock.sleep(50);
      controller.abort(reason);
      await rejectsWith(feeding, { is: reason }, "feed() aborted while blocked on a full inbox");
      assert.ok(
        state.closed,
        "the source's return() must run (its finally block): for await does it when the loop body throws",
      );
      assert.equal(inbox.closed, true, "the inbox is closed after the abort too");
      assert.equal(
        inbox.size,
        1,
        `only the item sent before the abort is in the inbox; it holds ${inbox.size}`,
      );
      assert.equal(
        state.pulled,
        2,
        `feed() pulled item 2 and then waited; it must pull nothing after the abort (pulled ${state.pulled})`,
      );
    }),
  );

  it(
    "feed() with an already-aborted signal sends nothing, closes the inbox and rejects with the reason",
    withClock(async () => {
      const reason = new Error("stopped before it started");
      const inbox = new Channel<number>(10);
      await rejectsWith(
        feed([1, 2, 3], inbox, AbortSignal.abort(reason)),
        { is: reason },
        "feed() with an aborted signal",
      );
      assert.equal(
        inbox.size,
        0,
        `nothing may be sent once the signal is aborted; the inbox holds ${inbox.size}`,
      );
      assert.equal(inbox.closed, true, "the inbox is closed");
    }),
  );
});

describe("task 2: runStage()", () => {
  it(
    "runStage() runs one worker by default",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("calls");
      const outbox = new Channel<number>(3);
      await runStage(
        { fn: probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(100, signal), n)) },
        await filled([1, 2, 3]),
        outbox,
        new AbortController(),
      );
      probe.assertMaxAtMost(1);
      assert.equal(
        clock.now(),
        300,
        `one worker takes 3 x 100 ms; yours finished at t=${clock.now()}`,
      );
      assert.deepEqual(await drain(outbox), [1, 2, 3], "all three results, in order");
    }),
  );

  it(
    "runStage() runs up to workers calls at once, and reaches that many",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("calls");
      const outbox = new Channel<number>(9);
      await runStage(
        {
          workers: 3,
          fn: probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(100, signal), n)),
        },
        await filled([1, 2, 3, 4, 5, 6, 7, 8, 9]),
        outbox,
        new AbortController(),
      );
      probe.assertMaxAtMost(3);
      probe.assertMaxReached(3);
      assert.equal(
        clock.now(),
        300,
        `9 items on 3 workers take 300 ms; yours finished at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runStage() closes the outbox only once the last worker has exited",
    withClock(async (clock) => {
      const outbox = new Channel<number>(2);
      const running = runStage(
        {
          workers: 2,
          fn: async (n: number, signal) => {
            await sleep(n === 1 ? 10 : 500, signal);
            return n;
          },
        },
        await filled([1, 2]),
        outbox,
        new AbortController(),
      );
      await clock.sleep(100); // worker 1 is done and has exited; worker 2 still runs
      const closedWhileSlowRan = outbox.closed;
      await running;
      assert.equal(
        closedWhileSlowRan,
        false,
        "at t=100 the second worker still runs: the outbox must stay open (it will still send item 2)",
      );
      assert.equal(
        outbox.closed,
        true,
        "once every worker has exited, runStage() closes the outbox",
      );
      assert.deepEqual(await drain(outbox), [1, 2], "both results are in the outbox, none dropped");
    }),
  );

  it(
    "runStage() aborts the controller with the very error of a failing call, and resolves",
    withClock(async () => {
      const boom = new Error("cannot resize item 2");
      const controller = new AbortController();
      const outbox = new Channel<number>(5);
      await runStage(
        {
          fn: async (n: number, signal) => {
            await sleep(10, signal);
            if (n === 2) throw boom;
            return n;
          },
        },
        await filled([1, 2, 3]),
        outbox,
        controller,
      );
      assert.equal(
        controller.signal.aborted,
        true,
        "a failing call aborts the pipeline's controller",
      );
      assert.equal(
        controller.signal.reason,
        boom,
        `the controller's reason must be the error itself; it is ${
          String(controller.signal.reason)
        }`,
      );
      assert.equal(outbox.closed, true, "the outbox is closed after a failure too");
    }),
  );

  it(
    "runStage() treats a synchronous throw in fn as a failure",
    withClock(async () => {
      const boom = new TypeError("item.size is undefined");
      const controller = new AbortController();
      const outbox = new Channel<number>(5);
      await runStage(
        {
          workers: 2,
          fn: (n: number) => {
            if (n === 1) throw boom; // not async: throws before returning a promise
            return n;
          },
        },
        await filled([1, 2, 3]),
        outbox,
        controller,
      );
      assert.equal(
        controller.signal.reason,
        boom,
        `a synchronous throw must abort the controller with that error; the reason is ${
          String(controller.signal.reason)
        }`,
      );
      assert.equal(outbox.closed, true, "the outbox is closed");
    }),
  );

  it(
    "runStage() aborts the controller with a thrown value that is not an Error, as it is",
    withClock(async () => {
      const thrown = { code: "E_RESIZE", item: 2 }; // JavaScript can throw anything
      const controller = new AbortController();
      await runStage(
        {
          fn: (n: number) => {
            if (n === 2) throw thrown;
            return n;
          },
        },
        await filled([1, 2, 3]),
        new Channel<number>(3),
        controller,
      );
      assert.equal(
        controller.signal.reason,
        thrown,
        `fn threw a plain object: the controller's reason must be that very object, not a wrapper; it is ${
          String(controller.signal.reason)
        }`,
      );
    }),
  );

  it(
    "runStage() keeps the first error when two workers fail, and waits for both",
    withClock(async (clock) => {
      const first = new Error("first, at t=10");
      const second = new Error("second, at t=20");
      const controller = new AbortController();
      await runStage(
        {
          workers: 2,
          fn: async (n: number, signal) => {
            if (n === 1) {
              await sleep(10, signal);
              throw first;
            }
            await sleep(20); // ignores the signal
            throw second;
          },
        },
        await filled([1, 2]),
        new Channel<number>(2),
        controller,
      );
      assert.equal(
        controller.signal.reason,
        first,
        "the first error wins; later ones do not replace it",
      );
      assert.equal(
        clock.now(),
        20,
        `runStage() resolves once both workers have exited, at t=20; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "runStage() stops its workers and closes the outbox when the controller aborts from outside",
    withClock(async (clock) => {
      const inbox = new Channel<number>(5); // never closed: the workers wait for more
      const outbox = new Channel<number>(5);
      const controller = new AbortController();
      let inFlightSawAbort = false;
      await inbox.send(1);
      setTimeout(() => controller.abort(new Error("stop")), 50);
      await runStage(
        {
          workers: 3,
          fn: async (n: number, signal) => {
            try {
              await sleep(1000, signal);
            } catch (e) {
              inFlightSawAbort = signal.aborted;
              throw e;
            }
            return n;
          },
        },
        inbox,
        outbox,
        controller,
      );
      assert.equal(
        clock.now(),
        50,
        `the abort at t=50 stops the call in flight and the idle workers; runStage() ended at t=${clock.now()}`,
      );
      assert.equal(
        inFlightSawAbort,
        true,
        "the call in flight must get the controller's signal, aborted",
      );
      assert.equal(outbox.closed, true, "the outbox is closed after the abort");
    }),
  );

  it(
    "runStage() over a closed, empty inbox calls fn never and closes the outbox",
    withClock(async () => {
      let calls = 0;
      const outbox = new Channel<number>(1);
      await runStage(
        { workers: 4, fn: (n: number) => (calls++, n) },
        await filled([]),
        outbox,
        new AbortController(),
      );
      assert.equal(calls, 0, `no item, no call; yours called fn ${calls} times`);
      assert.equal(outbox.closed, true, "the outbox is closed at once");
    }),
  );
});

describe("task 3: pipeline()", () => {
  it(
    "pipeline() processes each of 30 items exactly once with 3 workers in every stage",
    withClock(async () => {
      const seen = [new Map<number, number>(), new Map<number, number>()];
      const stage = (k: number) => ({
        workers: 3,
        capacity: 2,
        fn: async (n: number, signal: AbortSignal) => {
          seen[k].set(n, (seen[k].get(n) ?? 0) + 1);
          await sleep(10 + ((n * 7) % 40), signal);
          return n;
        },
      });
      const results = await collect(pipeline(range(30), stage(0), stage(1)));
      assert.deepEqual(
        [...results].sort((a, b) => a - b),
        range(30),
        "every one of the 30 items must come out once",
      );
      for (const k of [0, 1]) {
        for (const n of range(30)) {
          assert.equal(
            seen[k].get(n),
            1,
            `item ${n} went through stage ${k + 1} ${
              seen[k].get(n) ?? 0
            } times; expected exactly once`,
          );
        }
      }
    }),
  );

  it(
    "pipeline() ends the consumer's loop once the last stage's workers have all exited",
    withClock(async (clock) => {
      const probe = new ConcurrencyProbe("stage calls");
      const results: number[] = [];
      let lastYieldAt = -1;
      for await (
        const n of pipeline(
          range(12),
          {
            workers: 1,
            fn: probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(5, signal), n)),
          },
          {
            workers: 3,
            fn: probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(30, signal), n)),
          },
          {
            workers: 2,
            fn: probe.wrap(async (n: number, signal: AbortSignal) => (await sleep(20, signal), n)),
          },
        )
      ) {
        results.push(n);
        lastYieldAt = clock.now();
      }
      assert.equal(results.length, 12, `12 items went in, ${results.length} came out`);
      assert.equal(probe.inFlight, 0, "when the loop ends, no stage call may still be running");
      assert.equal(probe.finished, 36, "each of 12 items must go through each of 3 stages");
      assert.equal(
        clock.now(),
        lastYieldAt,
        "the loop must end as soon as the last result is out (close each channel when the stage before it is done)",
      );
    }),
  );

  it(
    "pipeline() delivers items still buffered in a later stage after the source ends",
    withClock(async () => {
      // The source and stage 1 are done at t=5; stage 2 still holds 5 items in its inbox.
      const results = await collect(pipeline(
        [1, 2, 3, 4, 5, 6],
        { workers: 2, fn: (n: number) => n },
        { capacity: 5, fn: async (n: number, signal) => (await sleep(100, signal), n) },
      ));
      assert.deepEqual(
        results,
        [1, 2, 3, 4, 5, 6],
        "closing a channel must not drop the items still in it",
      );
    }),
  );

  it(
    "pipeline() reads the source at most 2 + sum(capacity + workers) items ahead of a slow consumer",
    withClock(async () => {
      const { state, source } = trackedSource(200);
      let consumed = 0;
      let maxAhead = 0;
      const stage = {
        workers: 2,
        capacity: 2,
        fn: async (n: number, signal: AbortSignal) => (await sleep(10, signal), n),
      };
      const watched = (async function* () {
        for await (const n of source) {
          maxAhead = Math.max(maxAhead, state.pulled - consumed);
          yield n;
        }
      })();
      for await (const _ of pipeline(watched, stage, stage)) {
        consumed++;
        await sleep(1000); // a slow sink
        if (consumed === 8) break;
      }
      const bound = 2 + (2 + 2) + (2 + 2);
      assert.ok(
        maxAhead <= bound,
        `with two stages of { workers: 2, capacity: 2 } the source may run at most ${bound} items ahead of the consumer; yours pulled ${maxAhead} ahead (${state.pulled} pulled for ${consumed} consumed): every channel must be bounded`,
      );
    }),
  );

  it(
    "pipeline() gives each stage's capacity to that stage's own inbox",
    withClock(async (clock) => {
      let stage1Calls = 0;
      const results = pipeline(range(20), { fn: (n: number) => (stage1Calls++, n) }, {
        capacity: 4,
        fn: async (n: number, signal) => (await sleep(1000, signal), n),
      });
      const first = results.next();
      await clock.sleep(100);
      assert.equal(
        stage1Calls,
        6,
        `stage 2 { capacity: 4 } is busy with item 1: its inbox holds 4 more and stage 1's worker holds a 6th, so stage 1 runs 6 items; yours ran ${stage1Calls} (capacity sizes the stage's own inbox, not the next channel)`,
      );
      await first;
      await results.return(undefined);
    }),
  );

  it(
    "pipeline() starts nothing before the consumer asks for the first item",
    withClock(async () => {
      const { state, source } = trackedSource(10);
      let calls = 0;
      const results = pipeline(source, { fn: (n: number) => (calls++, n) });
      await sleep(100);
      assert.equal(
        state.pulled,
        0,
        "pipeline() must be lazy: nothing may be pulled from the source before the first next()",
      );
      assert.equal(calls, 0, "pipeline() must be lazy: no stage may run before the first next()");
      await results.return(undefined);
    }),
  );

  it(
    "pipeline() stops stage 1 blocked on a full inbox when stage 2 fails",
    withClock(async () => {
      const { state, source } = trackedSource(50);
      let stage1Calls = 0;
      let stage1CallsAtFailure = -1;
      const boom = new Error("stage 2 cannot handle item 2");
      await rejectsWith(
        collect(pipeline(
          source,
          { workers: 2, fn: (n: number) => (stage1Calls++, n) },
          {
            fn: async (n: number, signal) => {
              await sleep(100, signal);
              if (n === 2) {
                stage1CallsAtFailure = stage1Calls;
                throw boom;
              }
              return n;
            },
          },
        )),
        { is: boom },
        "a pipeline whose second stage throws on item 2",
      );
      assert.ok(
        state.closed,
        "stage 1 sat blocked on stage 2's full inbox when stage 2 failed; the failure must stop it and close the source",
      );
      assert.equal(
        stage1Calls,
        stage1CallsAtFailure,
        "stage 1 must not process more items after stage 2 failed",
      );
      assert.ok(
        state.pulled < 50,
        `after the failure the source must not be read to the end; yours pulled ${state.pulled} of 50`,
      );
    }),
  );

  it(
    "pipeline() aborts the signal of calls in flight when another stage fails",
    withClock(async (clock) => {
      let slowCallSawAbort = false;
      const boom = new Error("stage 2 failed at once");
      await rejectsWith(
        collect(pipeline(
          [1, 2],
          {
            workers: 2,
            fn: async (n: number, signal) => {
              try {
                await sleep(n === 1 ? 10 : 1000, signal);
              } catch (error) {
                slowCallSawAbort = signal.aborted;
                throw error;
              }
              return n;
            },
          },
          { fn: () => Promise.reject(boom) },
        )),
        { is: boom },
        "a pipeline whose second stage fails on the first item",
      );
      assert.ok(
        slowCallSawAbort,
        "the stage-1 call still running when stage 2 failed must see its signal aborted",
      );
      assert.equal(
        clock.now(),
        10,
        `stage 2 failed at t=10 ms; the pipeline should reject then, not wait for the 1000 ms call (yours rejected at t=${clock.now()} ms)`,
      );
    }),
  );

  it(
    "pipeline() rejects with the first error and waits for calls that ignore the signal",
    withClock(async (clock) => {
      const first = new Error("first failure");
      const second = new Error("second failure");
      let secondSettled = false;
      await rejectsWith(
        collect(pipeline([1, 2], {
          workers: 2,
          fn: async (n: number, signal) => {
            if (n === 1) {
              await sleep(10, signal);
              throw first;
            }
            await sleep(20); // ignores the signal
            secondSettled = true;
            throw second;
          },
        })),
        { is: first },
        "a pipeline where item 1 fails at t=10 and item 2 at t=20",
      );
      assert.ok(
        secondSettled,
        "the pipeline must wait for every call to settle before it rejects (no task left behind)",
      );
      assert.equal(
        clock.now(),
        20,
        `the call ignoring the signal settled at t=20 ms; the pipeline should reject then (yours: t=${clock.now()} ms)`,
      );
    }),
  );

  it(
    "pipeline() rethrows the source's error and stops the stages",
    withClock(async () => {
      const broken = new Error("the source broke after 3 items");
      let started = 0;
      let finished = 0;
      async function* failing() {
        yield 1;
        yield 2;
        yield 3;
        await sleep(50);
        throw broken;
      }
      await rejectsWith(
        collect(pipeline(failing(), {
          workers: 2,
          fn: async (n: number, signal) => {
            started++;
            await sleep(200, signal);
            finished++;
            return n;
          },
        })),
        { is: broken },
        "a pipeline whose source throws",
      );
      assert.equal(
        finished,
        0,
        "the stage calls in flight when the source failed must be aborted, not finished",
      );
      assert.ok(started <= 3, `only 3 items existed; ${started} stage calls started`);
    }),
  );

  it(
    "pipeline() has stopped every stage by the time break completes",
    withClock(async () => {
      const { state, source } = trackedSource(1000);
      let inFlight = 0;
      for await (
        const n of pipeline(source, {
          workers: 3,
          capacity: 3,
          fn: async (n: number, signal) => {
            inFlight++;
            try {
              await sleep(n === 1 ? 10 : 500, signal);
            } finally {
              inFlight--;
            }
            return n;
          },
        })
      ) {
        assert.equal(
          n,
          1,
          "item 1 takes 10 ms, the others 500 ms: the first result must be item 1",
        );
        break;
      }
      assert.equal(
        inFlight,
        0,
        `right after break, ${inFlight} stage calls were still running: return() must abort them and wait for them`,
      );
      assert.ok(state.closed, "right after break, the source must already be closed");
    }),
  );

  it(
    "pipeline() stops the source and the stages when the consumer's loop throws",
    withClock(async () => {
      const { state, source } = trackedSource(1000);
      let started = 0;
      const oops = new Error("consumer failed");
      await rejectsWith(
        async () => {
          for await (
            const _ of pipeline(source, {
              workers: 2,
              fn: async (n: number, signal) => (started++, await sleep(10, signal), n),
            })
          ) {
            throw oops;
          }
        },
        { is: oops },
        "a for await loop that throws on its first item",
      );
      assert.ok(
        state.closed,
        "a throw in the consumer's loop calls the pipeline's return(): the source must be closed",
      );
      const before = started;
      await sleep(500);
      assert.equal(started, before, "no stage may start new work after the consumer's loop threw");
    }),
  );

  it(
    "pipeline() yields results in completion order when a stage has several workers",
    withClock(async () => {
      const results = await collect(pipeline([1, 2], {
        workers: 2,
        fn: async (n: number, signal) => (await sleep(n === 1 ? 300 : 100, signal), n),
      }));
      assert.deepEqual(
        results,
        [2, 1],
        "item 2 finished at t=100, item 1 at t=300: results come out as they finish",
      );
    }),
  );

  it(
    "pipeline() finishes a three-stage run at the ideal virtual time",
    withClock(async (clock) => {
      await collect(pipeline(
        [1, 2, 3, 4],
        { fn: async (n: number, signal) => (await sleep(50, signal), n) },
        { workers: 2, fn: async (n: number, signal) => (await sleep(100, signal), n) },
        { fn: async (n: number, signal) => (await sleep(50, signal), n) },
      ));
      assert.equal(
        clock.now(),
        350,
        `stages of 50, 100 (2 workers) and 50 ms over 4 items finish at t=350 ms; yours at t=${clock.now()} ms`,
      );
    }),
  );

  it(
    "pipeline() over an empty source ends with no results",
    withClock(async () => {
      let calls = 0;
      const results = await collect(
        pipeline([] as number[], { workers: 3, fn: (n: number) => (calls++, n) }, {
          workers: 2,
          fn: (n: number) => n,
        }),
      );
      assert.deepEqual(results, [], "an empty source yields no results");
      assert.equal(
        calls,
        0,
        `an empty source must call no stage fn; yours called it ${calls} times`,
      );
    }),
  );

  it(
    "pipeline() passes each call a live AbortSignal",
    withClock(async () => {
      const seen: unknown[] = [];
      await collect(
        pipeline([1, 2, 3], {
          fn: (
            n: number,
            signal,
          ) => (seen.push(signal instanceof AbortSignal && !signal.aborted), n),
        }),
      );
      assert.deepEqual(
        seen,
        [true, true, true],
        "stage.fn(item, signal) must receive an AbortSignal that is not aborted while the pipeline runs",
      );
    }),
  );

  it(
    "pipeline() throws RangeError for capacity 0, fractional workers, or no stage",
    withClock(() => {
      throwsWith(
        () => pipeline([1], { capacity: 0, fn: (n: number) => n }),
        { name: "RangeError" },
        "pipeline([1], { capacity: 0, fn })",
      );
      throwsWith(() => pipeline([1], { workers: 1.5, fn: (n: number) => n }), {
        name: "RangeError",
      }, "pipeline([1], { workers: 1.5, fn })");
      throwsWith(
        () => pipeline([1], { fn: (n: number) => n }, { workers: -1, fn: (n: number) => n }),
        { name: "RangeError" },
        "a second stage with workers: -1",
      );
      throwsWith(() => pipeline([1]), { name: "RangeError" }, "pipeline([1]) with no stage");
      throwsWith(() => pipeline([1], { workers: Number.NaN, fn: (n: number) => n }), {
        name: "RangeError",
      }, "pipeline([1], { workers: NaN, fn })");
      throwsWith(() => pipeline([1], { capacity: Infinity, fn: (n: number) => n }), {
        name: "RangeError",
      }, "pipeline([1], { capacity: Infinity, fn })");
    }),
  );

  it(
    "pipeline() rejects with a stage's own AbortError, which is not a cancellation of the pipeline",
    withClock(async () => {
      const timedOut = new DOMException("the upstream server timed out", "AbortError");
      await rejectsWith(
        collect(pipeline([1, 2, 3], {
          fn: async (n: number, signal) => {
            await sleep(10, signal);
            if (n === 2) throw timedOut; // e.g. a fetch aborted by its own timeout
            return n;
          },
        })),
        { is: timedOut },
        "a pipeline whose stage rejects with an AbortError of its own on item 2",
      );
    }),
  );

  it(
    "pipeline() passes duplicate items through as separate items",
    withClock(async () => {
      const results = await collect(
        pipeline([7, 7, 8, 8, 7], {
          workers: 2,
          fn: async (n: number, signal) => (await sleep(10, signal), n),
        }),
      );
      assert.deepEqual(
        [...results].sort(),
        [7, 7, 7, 8, 8],
        `every one of the 5 items comes out, duplicates included; yours gave ${
          JSON.stringify(results)
        }`,
      );
    }),
  );

  it(
    "pipeline() waits for its channels without timers of its own",
    withClock(async (clock) => {
      await collect(
        pipeline([1, 2, 3], { fn: async (n: number, signal) => (await sleep(100, signal), n) }, {
          workers: 2,
          fn: (n: number) => n,
        }),
      );
      const delays = clock.trace.map((t) => t.delay);
      assert.deepEqual(
        delays,
        [100, 100, 100],
        `only the stage's three 100 ms sleeps should fire; the clock saw timers of ${
          delays.join(", ")
        } ms: wait on the channels, do not poll`,
      );
    }),
  );
});
