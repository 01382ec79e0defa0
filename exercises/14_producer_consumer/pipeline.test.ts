/**
 * Visible tests for the producer/consumer pipeline: run them with
 * `bun test exercises/14_producer_consumer` or `deno test exercises/14_producer_consumer`.
 * Time is virtual: the 850 ms pipeline below runs in a few real milliseconds.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, runWithClock, withClock } from "../../lib/mod.ts";
import { DONE, type Job, PipelineLog } from "./given_log.ts";
import { Queue } from "./given_queue.ts";
import { consumer, producer, relayConsumer, runPipeline } from "./pipeline.ts";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("task 1: consumer()", () => {
  it(
    "consumer() handles items until it takes the sentinel",
    withClock(async (clock) => {
      const q = new Queue<Job<string>>();
      const log = new PipelineLog<string>();
      q.putNowait("a");
      q.putNowait("b");
      q.putNowait(DONE);
      const count = await consumer(1, q, { consumeMs: 100, log });
      assert.equal(
        count,
        2,
        "consumer() returns how many items it handled (the sentinel is not an item)",
      );
      assert.deepEqual(log.handled, [
        { item: "a", consumer: 1, start: 0, end: 100 },
        { item: "b", consumer: 1, start: 100, end: 200 },
      ], "each item takes consumeMs, one after the other");
      assert.deepEqual(
        log.exits,
        [{ consumer: 1, at: 200, handled: 2 }],
        "the consumer records its exit",
      );
      assert.equal(clock.now(), 200, "two items of 100 ms each");
    }),
  );

  it(
    "consumer() keeps waiting on an empty queue until the sentinel arrives",
    withClock(async (clock) => {
      const q = new Queue<Job<string>>();
      const log = new PipelineLog<string>();
      const running = consumer(3, q, { consumeMs: 10, log });
      await clock.sleep(100);
      q.putNowait("late");
      await clock.sleep(100); // the queue is empty again for a while: that is not the end
      q.putNowait("later");
      await clock.sleep(100);
      q.putNowait(DONE);
      assert.equal(
        await running,
        2,
        "both items count, however long the queue was empty in between",
      );
      assert.deepEqual(log.handled, [
        { item: "late", consumer: 3, start: 100, end: 110 },
        { item: "later", consumer: 3, start: 200, end: 210 },
      ], "items are handled when they arrive");
      assert.deepEqual(
        log.exits,
        [{ consumer: 3, at: 300, handled: 2 }],
        "the consumer exits only on the sentinel, at t=300",
      );
    }),
  );
});

describe("task 2: producer()", () => {
  it(
    "producer() sleeps before each item and ends with the sentinels it was asked for",
    withClock(async (clock) => {
      const q = new Queue<Job<number>>(10);
      const log = new PipelineLog<number>();
      await producer(q, [7, 8, 9], { produceMs: 50, sentinels: 2, log });
      assert.deepEqual(log.produced, [{ item: 7, at: 50 }, { item: 8, at: 100 }, {
        item: 9,
        at: 150,
      }], "sleep produceMs, then put: items land at t=50, 100, 150");
      const onQueue: Job<number>[] = [];
      while (!q.empty()) onQueue.push(q.getNowait());
      assert.deepEqual(onQueue, [7, 8, 9, DONE, DONE], "the items, then sentinels: 2 DONE");
      assert.equal(
        clock.now(),
        150,
        "sentinels are put right after the last item, without a sleep",
      );
    }),
  );

  it(
    "producer() waits at maxsize instead of running ahead",
    withClock(async (clock) => {
      const q = new Queue<Job<number>>(2);
      const log = new PipelineLog<number>();
      const producing = producer(q, range(4), { produceMs: 10, sentinels: 1, log });
      await clock.sleep(500);
      assert.deepEqual(
        log.produced.map((p) => p.at),
        [10, 20],
        "only 2 items fit; the third put() must wait",
      );
      for (let i = 0; i < 2; i++) q.getNowait();
      await clock.sleep(100);
      q.getNowait(); // item 2
      q.getNowait(); // item 3; the freed slot is promised to the producer's put(DONE)
      await clock.flush();
      assert.equal(q.getNowait(), DONE, "the sentinel entered once the producer resumed");
      await producing;
      assert.deepEqual(
        log.produced.map((p) => p.at),
        [10, 20, 500, 510],
        "the third item enters when a slot frees at t=500",
      );
    }),
  );
});

describe("task 3: runPipeline()", () => {
  it(
    "runPipeline() runs the tutorial's two-consumer pipeline and finishes at t=850 ms",
    withClock(async () => {
      // 15 items produced at 50 ms each, 2 consumers at 100 ms each, a queue of 5.
      // Item i is put at t = 50 * (i + 1). Two consumers finish 2 items per 100 ms, exactly the
      // production rate, so a consumer is always free when an item arrives: item i is handled from
      // 50(i+1) to 50(i+1) + 100. Consumer 1 takes items 0, 2, 4, ... (free again just as every
      // second item arrives), consumer 2 items 1, 3, 5, ...
      // The last item (14) is put at 750 and finished at 850; the sentinels are put at 750 and taken
      // when each consumer is free: consumer 2 at 800, consumer 1 at 850.
      const report = await runPipeline({
        items: Array.from({ length: 15 }, (_, i) => i),
        consumers: 2,
        maxsize: 5,
        produceMs: 50,
        consumeMs: 100,
      });
      const items = report.handled.map((h) => h.item).sort((a, b) => a - b);
      assert.deepEqual(
        items,
        Array.from({ length: 15 }, (_, i) => i),
        "every item handled exactly once",
      );
      for (const h of report.handled) {
        const expected = {
          item: h.item,
          consumer: h.item % 2 === 0 ? 1 : 2,
          start: 50 * (h.item + 1),
          end: 50 * (h.item + 1) + 100,
        };
        assert.deepEqual(h, expected, `item ${h.item}: who handled it and when`);
      }
      assert.deepEqual(
        [...report.exits].sort((a, b) => a.consumer - b.consumer),
        [{ consumer: 1, at: 850, handled: 8 }, { consumer: 2, at: 800, handled: 7 }],
        "every consumer exits on its own sentinel",
      );
      assert.equal(
        report.finishedAt,
        850,
        "the schedule implies t=850 ms (sequentially it would take 2250 ms)",
      );
    }),
  );

  it(
    "runPipeline() refuses a queue without a bound with RangeError",
    withClock(async () => {
      const base = { items: [1], consumers: 1, maxsize: 1, produceMs: 1, consumeMs: 1 };
      await rejectsWith(
        runPipeline({ ...base, maxsize: 0 }),
        { name: "RangeError" },
        "runPipeline({ maxsize: 0 }): the queue must be bounded",
      );
      await rejectsWith(
        runPipeline({ ...base, consumers: 0 }),
        { name: "RangeError" },
        "runPipeline({ consumers: 0 })",
      );
    }),
  );

  it("a single sentinel for two consumers is a deadlock the virtual clock names", async () => {
    // This shows what a learner sees when the producer puts ONE sentinel for TWO consumers: the
    // consumer that never gets a sentinel waits in get() forever, and the virtual clock fails the
    // run with a DeadlockError instead of hanging.
    const error = await rejectsWith(
      runWithClock(async () => {
        const q = new Queue<Job<number>>(5);
        const log = new PipelineLog<number>();
        const consumers = [
          consumer(1, q, { consumeMs: 100, log }),
          consumer(2, q, { consumeMs: 100, log }),
        ];
        for (let i = 0; i < 4; i++) await q.put(i);
        await q.put(DONE); // wrong: one sentinel for two consumers
        await Promise.all(consumers);
      }, { graceMs: 20 }),
      { name: "DeadlockError" },
      "a pipeline with one sentinel for two consumers",
    );
    const message = (error as Error).message;
    assert.match(
      message,
      /^deadlock at t=200 ms/,
      "both consumers finish their two items by t=200; then one waits forever",
    );
    assert.match(
      message,
      /no timer is pending/,
      "nothing can wake the consumer stuck in get(): the clock says so",
    );
    assert.match(
      message,
      /Queue: empty, maxsize 5, 1 get\(\) call waiting \(empty while get\(\) waits: a put\(\) or a sentinel per consumer missing\?\)/,
      "the given queue says what waits: one get() on an empty queue",
    );
  });

  it(
    "runPipeline() with no items still stops every consumer",
    withClock(async () => {
      const report = await runPipeline({
        items: [],
        consumers: 3,
        maxsize: 2,
        produceMs: 10,
        consumeMs: 10,
      });
      assert.equal(report.exits.length, 3, "three consumers, three exits");
      assert.equal(report.handled.length, 0, "nothing to handle");
      assert.equal(report.finishedAt, 0, "with nothing to produce, the pipeline ends at once");
    }),
  );
});

describe("task 4: one sentinel, passed on", () => {
  it(
    "relayConsumer() puts the sentinel back, so one DONE stops two consumers",
    withClock(async (clock) => {
      const q = new Queue<Job<string>>(5);
      const log = new PipelineLog<string>();
      const consumers = [
        relayConsumer(1, q, { consumeMs: 100, log }),
        relayConsumer(2, q, { consumeMs: 100, log }),
      ];
      q.putNowait("a");
      q.putNowait("b");
      q.putNowait(DONE); // ONE sentinel for two consumers
      const counts = await Promise.all(consumers);
      assert.deepEqual(counts, [1, 1], "each consumer handled one item");
      assert.deepEqual(
        log.exits.map((e) => e.at),
        [100, 100],
        "both stop at t=100, when they come back for the next job",
      );
      assert.equal(
        q.qsize(),
        1,
        "the sentinel is still on the queue after the last consumer stopped",
      );
      assert.equal(q.getNowait(), DONE, "what is left is the sentinel");
      assert.equal(clock.now(), 100, "two items in parallel, 100 ms each");
    }),
  );

  it(
    "runPipeline({ sentinel: 'pass-on' }) runs the tutorial's pipeline with a single sentinel",
    withClock(async () => {
      const report = await runPipeline({
        items: Array.from({ length: 15 }, (_, i) => i),
        consumers: 2,
        maxsize: 5,
        produceMs: 50,
        consumeMs: 100,
        sentinel: "pass-on",
      });
      assert.equal(report.handled.length, 15, "every item handled");
      assert.deepEqual(
        [...report.exits].sort((a, b) => a.consumer - b.consumer),
        [{ consumer: 1, at: 850, handled: 8 }, { consumer: 2, at: 800, handled: 7 }],
        "consumer 2 takes the sentinel at t=800 and passes it on; consumer 1 takes it at t=850",
      );
      assert.equal(report.finishedAt, 850, "the same schedule as with one sentinel per consumer");
    }),
  );
});
