/**
 * Hidden tests for the producer/consumer pipeline: every item once, every consumer exits on its
 * own sentinel, back-pressure at maxsize, and the virtual finish times the schedules imply.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";

/** Watches a promise so a test can ask "has it settled yet?" without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const w = {
    settled: false,
    rejected: false,
    value: undefined as T | undefined,
    error: undefined as unknown,
  };
  promise.then(
    (value) => Object.assign(w, { settled: true, value }),
    (error) => Object.assign(w, { settled: true, rejected: true, error }),
  );
  return w;
}
import { DONE, type Job, PipelineLog } from "./given_log.ts";
import { Queue } from "./given_queue.ts";
import { consumer, producer, relayConsumer, runPipeline } from "./pipeline.ts";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("task 1: consumer()", () => {
  it(
    "consumer() calls taskDone() for every item and for the sentinel",
    withClock(async (clock) => {
      const q = new Queue<Job<number>>();
      const log = new PipelineLog<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.putNowait(DONE);
      await consumer(1, q, { consumeMs: 20, log });
      let joined = false;
      void q.join().then(() => (joined = true));
      await clock.flush();
      assert.equal(
        joined,
        true,
        "queue.join() should resolve: 3 jobs put, 3 taskDone() calls (the sentinel counts)",
      );
    }),
  );

  it(
    "consumer() marks an item done only after its work",
    withClock(async (clock) => {
      const q = new Queue<Job<number>>();
      const log = new PipelineLog<number>();
      q.putNowait(1);
      const running = consumer(1, q, { consumeMs: 100, log });
      let joinedAt = -1;
      const joining = q.join().then(() => (joinedAt = clock.now()));
      await joining;
      assert.equal(
        joinedAt,
        100,
        "join() resolves when the item's work is done (t=100), not when it is taken",
      );
      q.putNowait(DONE);
      await running;
    }),
  );

  it(
    "consumer() returns the number of items it handled",
    withClock(async () => {
      const q = new Queue<Job<number>>();
      for (const n of range(5)) q.putNowait(n);
      q.putNowait(DONE);
      q.putNowait(99);
      const count = await consumer(2, q, { consumeMs: 1, log: new PipelineLog() });
      assert.equal(count, 5, "five items before the sentinel");
      assert.equal(
        q.qsize(),
        1,
        "the consumer stops at its sentinel and leaves what comes after it",
      );
    }),
  );
  it(
    "consumer() that takes the sentinel first returns 0 at once",
    withClock(async (clock) => {
      const q = new Queue<Job<number>>();
      const log = new PipelineLog<number>();
      q.putNowait(DONE);
      q.putNowait(5);
      assert.equal(await consumer(4, q, { consumeMs: 50, log }), 0, "no item before the sentinel");
      assert.deepEqual(
        log.exits,
        [{ consumer: 4, at: 0, handled: 0 }],
        "the exit is recorded at once",
      );
      assert.deepEqual(log.handled, [], "nothing handled");
      assert.equal(q.qsize(), 1, "the item after the sentinel is left alone");
      assert.equal(clock.now(), 0, "no work was done");
    }),
  );
});

describe("task 2: producer()", () => {
  it(
    "producer() puts the given number of sentinels after the items",
    withClock(async () => {
      const q = new Queue<Job<string>>(100);
      await producer(q, ["x", "y"], { produceMs: 0, sentinels: 4, log: new PipelineLog() });
      const all: Job<string>[] = [];
      while (!q.empty()) all.push(q.getNowait());
      assert.deepEqual(
        all,
        ["x", "y", DONE, DONE, DONE, DONE],
        "two items, then the four sentinels asked for",
      );
    }),
  );

  it(
    "producer() resolves only once its last sentinel is on the queue",
    withClock(async (clock) => {
      const q = new Queue<Job<string>>(1);
      const producing = watch(
        producer(q, ["a"], { produceMs: 10, sentinels: 2, log: new PipelineLog() }),
      );
      await clock.sleep(100);
      if (producing.rejected) throw producing.error; // (a stub's "not implemented" passes through)
      assert.equal(
        producing.settled,
        false,
        "the queue of 1 holds a: the producer must still be waiting to put its first sentinel",
      );
      assert.equal(q.getNowait(), "a", "a went in first");
      await clock.sleep(100);
      assert.equal(producing.settled, false, "one sentinel is in, the second must still wait");
      assert.equal(q.getNowait(), DONE, "then the first sentinel");
      await clock.flush();
      assert.equal(
        producing.settled && !producing.rejected,
        true,
        "the second sentinel is in: now the producer resolves",
      );
      assert.equal(q.getNowait(), DONE, "the second sentinel is on the queue");
    }),
  );

  it(
    "producer() records the queue depth after each put",
    withClock(async () => {
      const q = new Queue<Job<number>>(5);
      const log = new PipelineLog<number>();
      await producer(q, range(3), { produceMs: 5, sentinels: 1, log });
      assert.deepEqual(
        log.depth,
        [{ at: 5, size: 1 }, { at: 10, size: 2 }, { at: 15, size: 3 }],
        "qsize() after each put",
      );
    }),
  );
});

describe("task 3: runPipeline()", () => {
  it(
    "runPipeline() hands each of 15 items to exactly one of two consumers",
    withClock(async () => {
      const report = await runPipeline({
        items: range(15),
        consumers: 2,
        maxsize: 5,
        produceMs: 50,
        consumeMs: 100,
      });
      const seen = new Map<number, number>();
      for (const h of report.handled) seen.set(h.item, (seen.get(h.item) ?? 0) + 1);
      for (const i of range(15)) {
        assert.equal(seen.get(i), 1, `item ${i} must be handled exactly once`);
      }
      assert.equal(report.handled.length, 15, "15 items, 15 handled");
      assert.deepEqual(
        report.produced.map((p) => p.at),
        range(15).map((i) => 50 * (i + 1)),
        "one item every 50 ms",
      );
    }),
  );

  it(
    "runPipeline() finishes the two-consumer pipeline at t=850 ms with each item's consumer recorded",
    withClock(async () => {
      // Item i is put at 50(i+1); two consumers at 100 ms each keep up exactly, so item i runs from
      // 50(i+1) to 50(i+1)+100, on consumer 1 when i is even and consumer 2 when i is odd. The last
      // item (14) is put at 750 and done at 850; consumer 2 takes its sentinel at 800, consumer 1 at 850.
      const report = await runPipeline({
        items: range(15),
        consumers: 2,
        maxsize: 5,
        produceMs: 50,
        consumeMs: 100,
      });
      const byItem = [...report.handled].sort((a, b) => a.item - b.item);
      assert.deepEqual(
        byItem,
        range(15).map((i) => ({
          item: i,
          consumer: i % 2 === 0 ? 1 : 2,
          start: 50 * (i + 1),
          end: 50 * (i + 1) + 100,
        })),
        "who handled each item, and when",
      );
      assert.equal(
        report.finishedAt,
        850,
        "the pipeline finishes when the last item is done, at t=850 ms",
      );
    }),
  );

  it(
    "runPipeline() lets every consumer exit on its own sentinel",
    withClock(async () => {
      const report = await runPipeline({
        items: range(2),
        consumers: 4,
        maxsize: 3,
        produceMs: 10,
        consumeMs: 100,
      });
      const exits = [...report.exits].sort((a, b) => a.consumer - b.consumer);
      assert.deepEqual(
        exits.map((e) => e.consumer),
        [1, 2, 3, 4],
        "all four consumers exit, each once",
      );
      assert.deepEqual(
        exits.map((e) => e.handled),
        [1, 1, 0, 0],
        "consumers 1 and 2 took the two items",
      );
      assert.equal(report.finishedAt, 120, "item 1 is put at t=20 and done at t=120");
    }),
  );

  it(
    "runPipeline() blocks the producer at maxsize behind a slow consumer",
    withClock(async () => {
      // One consumer at 100 ms per item, a producer at 10 ms, a queue of 3. The consumer takes item 0
      // at t=10; items 1..3 fill the queue by t=40; item 4 waits until the consumer takes item 1 at
      // t=110, and from then on each put waits for the next get: 210, 310, ..., 610. The last item
      // is done at 10 + 10 * 100 = 1010.
      const report = await runPipeline({
        items: range(10),
        consumers: 1,
        maxsize: 3,
        produceMs: 10,
        consumeMs: 100,
      });
      assert.deepEqual(report.produced.map((p) => p.at), [
        10,
        20,
        30,
        40,
        110,
        210,
        310,
        410,
        510,
        610,
      ], "when each put() finished: from item 4 on, the producer waits for a free slot");
      const deepest = Math.max(...report.depth.map((d) => d.size));
      assert.equal(
        deepest,
        3,
        `the queue should fill up to maxsize 3 and never beyond; it reached ${deepest}`,
      );
      assert.equal(
        report.finishedAt,
        1010,
        "ten items at 100 ms each after the first arrives at t=10",
      );
    }),
  );

  it(
    "runPipeline() never lets the queue grow beyond maxsize",
    withClock(async () => {
      const report = await runPipeline({
        items: range(30),
        consumers: 2,
        maxsize: 4,
        produceMs: 1,
        consumeMs: 50,
      });
      const over = report.depth.filter((d) => d.size > 4);
      assert.deepEqual(over, [], "the depth after every put must stay at or below maxsize 4");
      assert.equal(report.handled.length, 30, "all 30 items handled");
    }),
  );

  it(
    "runPipeline() rejects invalid options with RangeError",
    withClock(async () => {
      const base = { items: [1], consumers: 1, maxsize: 1, produceMs: 1, consumeMs: 1 };
      const bad: [string, Partial<typeof base>][] = [
        ["consumers: 0", { consumers: 0 }],
        ["consumers: 1.5", { consumers: 1.5 }],
        ["consumers: Infinity", { consumers: Number.POSITIVE_INFINITY }],
        ["consumers: NaN", { consumers: Number.NaN }],
        ["maxsize: 0 (the queue must be bounded)", { maxsize: 0 }],
        ["maxsize: -1", { maxsize: -1 }],
        ["maxsize: 2.5", { maxsize: 2.5 }],
        ["produceMs: -1", { produceMs: -1 }],
        ["produceMs: Infinity", { produceMs: Number.POSITIVE_INFINITY }],
        ["consumeMs: NaN", { consumeMs: Number.NaN }],
      ];
      for (const [what, patch] of bad) {
        await rejectsWith(
          runPipeline({ ...base, ...patch }),
          { name: "RangeError" },
          `runPipeline({ ${what} })`,
        );
      }
    }),
  );

  it(
    "runPipeline() accepts zero durations and a fractional one",
    withClock(async () => {
      const report = await runPipeline({
        items: [1, 2],
        consumers: 1,
        maxsize: 1,
        produceMs: 0,
        consumeMs: 0.5,
      });
      assert.equal(
        report.handled.length,
        2,
        "both items handled with produceMs 0 and consumeMs 0.5",
      );
    }),
  );

  it(
    "runPipeline() hands duplicate items to the consumers like any other",
    withClock(async () => {
      const report = await runPipeline({
        items: [7, 7, 7],
        consumers: 2,
        maxsize: 2,
        produceMs: 10,
        consumeMs: 30,
      });
      assert.deepEqual(
        report.handled.map((h) => h.item),
        [7, 7, 7],
        "three 7s put, three 7s handled",
      );
      assert.deepEqual(report.produced.map((p) => p.at), [10, 20, 30], "each produced once");
    }),
  );
});

describe("task 4: one sentinel, passed on", () => {
  it(
    "relayConsumer() handles the items, puts the sentinel back and returns its count",
    withClock(async (clock) => {
      const q = new Queue<Job<string>>();
      const log = new PipelineLog<string>();
      q.putNowait("a");
      q.putNowait("b");
      q.putNowait(DONE);
      assert.equal(
        await relayConsumer(2, q, { consumeMs: 40, log }),
        2,
        "two items before the sentinel",
      );
      assert.deepEqual(log.handled, [
        { item: "a", consumer: 2, start: 0, end: 40 },
        { item: "b", consumer: 2, start: 40, end: 80 },
      ], "each item handled in turn");
      assert.deepEqual(
        log.exits,
        [{ consumer: 2, at: 80, handled: 2 }],
        "the exit is recorded when the sentinel is taken",
      );
      assert.equal(q.qsize(), 1, "exactly one job is left: the sentinel, passed on");
      assert.equal(q.getNowait(), DONE, "the job left is DONE");
      assert.equal(clock.now(), 80, "no extra waiting");
    }),
  );

  it(
    "relayConsumer() puts the sentinel back before marking it done, so join() never sees zero",
    withClock(async (clock) => {
      const q = new Queue<Job<number>>();
      q.putNowait(DONE);
      const joined = watch(q.join());
      await relayConsumer(1, q, { consumeMs: 10, log: new PipelineLog() });
      await clock.flush();
      assert.equal(
        joined.settled,
        false,
        "the passed-on sentinel is unfinished, and the count must never touch zero on the way: join() must still wait",
      );
      q.getNowait();
      q.taskDone();
      await clock.flush();
      assert.equal(
        joined.settled,
        true,
        "once the last sentinel is taken out and marked done, join() resolves",
      );
    }),
  );

  it(
    "relayConsumer() waits for room to put the sentinel back",
    withClock(async (clock) => {
      const q = new Queue<Job<string>>(1);
      q.putNowait(DONE);
      const late = q.put("late"); // another producer waits for the only slot
      const log = new PipelineLog<string>();
      const running = watch(relayConsumer(1, q, { consumeMs: 10, log }));
      await clock.flush();
      assert.equal(
        running.rejected,
        false,
        `the consumer must wait for room, not fail: ${String(running.error)}`,
      );
      assert.equal(
        running.settled,
        false,
        "the freed slot went to the waiting put(): the consumer waits to put DONE back",
      );
      await late;
      await clock.sleep(100);
      assert.equal(q.getNowait(), "late", "the waiting producer's item went in first");
      await clock.flush();
      assert.equal(
        running.settled && !running.rejected,
        true,
        "then the consumer put DONE back and stopped",
      );
      assert.equal(q.getNowait(), DONE, "the sentinel is on the queue again");
      assert.deepEqual(
        log.exits,
        [{ consumer: 1, at: 100, handled: 0 }],
        "the consumer records its exit after DONE is back on the queue (room came at t=100), not when it took it",
      );
    }),
  );

  it(
    "relayConsumer(): one sentinel stops four consumers, one after another",
    withClock(async () => {
      const q = new Queue<Job<number>>(2);
      const log = new PipelineLog<number>();
      const consumers = [1, 2, 3, 4].map((id) => relayConsumer(id, q, { consumeMs: 10, log }));
      q.putNowait(DONE);
      assert.deepEqual(await Promise.all(consumers), [0, 0, 0, 0], "none handled an item");
      assert.deepEqual(
        log.exits.map((e) => e.consumer),
        [1, 2, 3, 4],
        "each took the sentinel in turn, oldest waiter first",
      );
      assert.equal(q.qsize(), 1, "one sentinel is left");
    }),
  );

  it(
    "runPipeline({ sentinel: 'pass-on' }) stops more consumers than there are items",
    withClock(async () => {
      const report = await runPipeline({
        items: range(2),
        consumers: 4,
        maxsize: 3,
        produceMs: 10,
        consumeMs: 100,
        sentinel: "pass-on",
      });
      const exits = [...report.exits].sort((a, b) => a.consumer - b.consumer);
      assert.deepEqual(
        exits.map((e) => e.consumer),
        [1, 2, 3, 4],
        "all four consumers exit, each once",
      );
      assert.deepEqual(
        exits.map((e) => e.handled),
        [1, 1, 0, 0],
        "consumers 1 and 2 took the two items",
      );
      assert.equal(report.finishedAt, 120, "item 1 is put at t=20 and done at t=120");
    }),
  );

  it(
    "runPipeline({ sentinel: 'pass-on' }) with no items ends at once",
    withClock(async () => {
      const report = await runPipeline({
        items: [],
        consumers: 3,
        maxsize: 1,
        produceMs: 10,
        consumeMs: 10,
        sentinel: "pass-on",
      });
      assert.equal(report.exits.length, 3, "three consumers, three exits");
      assert.equal(report.finishedAt, 0, "nothing to produce: the pipeline ends at t=0");
    }),
  );

  it(
    "runPipeline({ sentinel: 'pass-on' }) keeps back-pressure and hands each item to one consumer",
    withClock(async () => {
      const report = await runPipeline({
        items: range(10),
        consumers: 1,
        maxsize: 3,
        produceMs: 10,
        consumeMs: 100,
        sentinel: "pass-on",
      });
      assert.deepEqual(report.produced.map((p) => p.at), [
        10,
        20,
        30,
        40,
        110,
        210,
        310,
        410,
        510,
        610,
      ], "when each put() finished: from item 4 on, the producer waits for a free slot");
      assert.deepEqual(report.handled.map((h) => h.item), range(10), "every item once, in order");
      assert.equal(
        report.finishedAt,
        1010,
        "ten items at 100 ms each after the first arrives at t=10",
      );
    }),
  );

  it(
    "runPipeline() refuses an unknown sentinel mode with RangeError",
    withClock(async () => {
      const base = { items: [1], consumers: 1, maxsize: 1, produceMs: 1, consumeMs: 1 };
      await rejectsWith(
        runPipeline({ ...base, sentinel: "each" as never }),
        { name: "RangeError" },
        "runPipeline({ sentinel: 'each' })",
      );
      const report = await runPipeline({ ...base, sentinel: "per-consumer" });
      assert.equal(
        report.exits.length,
        1,
        "sentinel: 'per-consumer' is the default mode, and accepted by name",
      );
    }),
  );
});
