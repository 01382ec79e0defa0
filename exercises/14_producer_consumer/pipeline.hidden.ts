/**
 * Hidden tests for the producer/consumer pipeline: every item once, every consumer exits on its
 * own sentinel, back-pressure at maxsize, and the virtual finish times the schedules imply.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";
import { consumer, DONE, type Job, PipelineLog, producer, Queue, runPipeline } from "./pipeline.ts";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("task 1: consumer()", () => {
  it("consumer() keeps waiting on an empty queue until the sentinel arrives", withClock(async (clock) => {
    const q = new Queue<Job<string>>();
    const log = new PipelineLog<string>();
    const running = consumer(3, q, { consumeMs: 10, log });
    await clock.sleep(100);
    q.putNowait("late");
    await clock.sleep(100); // the queue is empty again for a while: that is not the end
    q.putNowait("later");
    await clock.sleep(100);
    q.putNowait(DONE);
    assert.equal(await running, 2, "both items count, however long the queue was empty in between");
    assert.deepEqual(log.handled, [
      { item: "late", consumer: 3, start: 100, end: 110 },
      { item: "later", consumer: 3, start: 200, end: 210 },
    ], "items are handled when they arrive");
    assert.deepEqual(log.exits, [{ consumer: 3, at: 300, handled: 2 }], "the consumer exits only on the sentinel, at t=300");
  }));

  it("consumer() calls taskDone() for every item and for the sentinel", withClock(async (clock) => {
    const q = new Queue<Job<number>>();
    const log = new PipelineLog<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.putNowait(DONE);
    await consumer(1, q, { consumeMs: 20, log });
    let joined = false;
    void q.join().then(() => (joined = true));
    await clock.flush();
    assert.equal(joined, true, "queue.join() should resolve: 3 jobs put, 3 taskDone() calls (the sentinel counts)");
  }));

  it("consumer() marks an item done only after its work", withClock(async (clock) => {
    const q = new Queue<Job<number>>();
    const log = new PipelineLog<number>();
    q.putNowait(1);
    const running = consumer(1, q, { consumeMs: 100, log });
    let joinedAt = -1;
    const joining = q.join().then(() => (joinedAt = clock.now()));
    await joining;
    assert.equal(joinedAt, 100, "join() resolves when the item's work is done (t=100), not when it is taken");
    q.putNowait(DONE);
    await running;
  }));

  it("consumer() returns the number of items it handled", withClock(async () => {
    const q = new Queue<Job<number>>();
    for (const n of range(5)) q.putNowait(n);
    q.putNowait(DONE);
    q.putNowait(99);
    const count = await consumer(2, q, { consumeMs: 1, log: new PipelineLog() });
    assert.equal(count, 5, "five items before the sentinel");
    assert.equal(q.qsize(), 1, "the consumer stops at its sentinel and leaves what comes after it");
  }));
});

describe("task 2: producer()", () => {
  it("producer() puts one sentinel per consumer after the items", withClock(async () => {
    const q = new Queue<Job<string>>(100);
    await producer(q, ["x", "y"], { produceMs: 0, consumers: 4, log: new PipelineLog() });
    const all: Job<string>[] = [];
    while (!q.empty()) all.push(q.getNowait());
    assert.deepEqual(all, ["x", "y", DONE, DONE, DONE, DONE], "two items, then four sentinels for four consumers");
  }));

  it("producer() waits at maxsize instead of running ahead", withClock(async (clock) => {
    const q = new Queue<Job<number>>(2);
    const log = new PipelineLog<number>();
    const producing = producer(q, range(4), { produceMs: 10, consumers: 1, log });
    await clock.sleep(500);
    assert.deepEqual(log.produced.map((p) => p.at), [10, 20], "only 2 items fit; the third put() must wait");
    for (let i = 0; i < 2; i++) q.getNowait();
    await clock.sleep(100);
    for (let i = 0; i < 3; i++) q.getNowait();
    await producing;
    assert.deepEqual(log.produced.map((p) => p.at), [10, 20, 500, 510], "the third item enters when a slot frees at t=500");
  }));

  it("producer() records the queue depth after each put", withClock(async () => {
    const q = new Queue<Job<number>>(5);
    const log = new PipelineLog<number>();
    await producer(q, range(3), { produceMs: 5, consumers: 1, log });
    assert.deepEqual(log.depth, [{ at: 5, size: 1 }, { at: 10, size: 2 }, { at: 15, size: 3 }], "qsize() after each put");
  }));
});

describe("task 3: runPipeline()", () => {
  it("runPipeline() hands each of 15 items to exactly one of two consumers", withClock(async () => {
    const report = await runPipeline({ items: range(15), consumers: 2, maxsize: 5, produceMs: 50, consumeMs: 100 });
    const seen = new Map<number, number>();
    for (const h of report.handled) seen.set(h.item, (seen.get(h.item) ?? 0) + 1);
    for (const i of range(15)) assert.equal(seen.get(i), 1, `item ${i} must be handled exactly once`);
    assert.equal(report.handled.length, 15, "15 items, 15 handled");
    assert.deepEqual(report.produced.map((p) => p.at), range(15).map((i) => 50 * (i + 1)), "one item every 50 ms");
  }));

  it("runPipeline() finishes the two-consumer pipeline at t=850 ms with each item's consumer recorded", withClock(async () => {
    // Item i is put at 50(i+1); two consumers at 100 ms each keep up exactly, so item i runs from
    // 50(i+1) to 50(i+1)+100, on consumer 1 when i is even and consumer 2 when i is odd. The last
    // item (14) is put at 750 and done at 850; consumer 2 takes its sentinel at 800, consumer 1 at 850.
    const report = await runPipeline({ items: range(15), consumers: 2, maxsize: 5, produceMs: 50, consumeMs: 100 });
    const byItem = [...report.handled].sort((a, b) => a.item - b.item);
    assert.deepEqual(byItem, range(15).map((i) => ({
      item: i,
      consumer: i % 2 === 0 ? 1 : 2,
      start: 50 * (i + 1),
      end: 50 * (i + 1) + 100,
    })), "who handled each item, and when");
    assert.equal(report.finishedAt, 850, "the pipeline finishes when the last item is done, at t=850 ms");
  }));

  it("runPipeline() lets every consumer exit on its own sentinel", withClock(async () => {
    const report = await runPipeline({ items: range(2), consumers: 4, maxsize: 3, produceMs: 10, consumeMs: 100 });
    const exits = [...report.exits].sort((a, b) => a.consumer - b.consumer);
    assert.deepEqual(exits.map((e) => e.consumer), [1, 2, 3, 4], "all four consumers exit, each once");
    assert.deepEqual(exits.map((e) => e.handled), [1, 1, 0, 0], "consumers 1 and 2 took the two items");
    assert.equal(report.finishedAt, 120, "item 1 is put at t=20 and done at t=120");
  }));

  it("runPipeline() blocks the producer at maxsize behind a slow consumer", withClock(async () => {
    // One consumer at 100 ms per item, a producer at 10 ms, a queue of 3. The consumer takes item 0
    // at t=10; items 1..3 fill the queue by t=40; item 4 waits until the consumer takes item 1 at
    // t=110, and from then on each put waits for the next get: 210, 310, ..., 610. The last item
    // is done at 10 + 10 * 100 = 1010.
    const report = await runPipeline({ items: range(10), consumers: 1, maxsize: 3, produceMs: 10, consumeMs: 100 });
    assert.deepEqual(report.produced.map((p) => p.at), [10, 20, 30, 40, 110, 210, 310, 410, 510, 610],
      "when each put() finished: from item 4 on, the producer waits for a free slot");
    const deepest = Math.max(...report.depth.map((d) => d.size));
    assert.equal(deepest, 3, `the queue should fill up to maxsize 3 and never beyond; it reached ${deepest}`);
    assert.equal(report.finishedAt, 1010, "ten items at 100 ms each after the first arrives at t=10");
  }));

  it("runPipeline() never lets the queue grow beyond maxsize", withClock(async () => {
    const report = await runPipeline({ items: range(30), consumers: 2, maxsize: 4, produceMs: 1, consumeMs: 50 });
    const over = report.depth.filter((d) => d.size > 4);
    assert.deepEqual(over, [], "the depth after every put must stay at or below maxsize 4");
    assert.equal(report.handled.length, 30, "all 30 items handled");
  }));

  it("runPipeline() rejects invalid options with RangeError", withClock(async () => {
    const base = { items: [1], consumers: 1, maxsize: 1, produceMs: 1, consumeMs: 1 };
    await rejectsWith(runPipeline({ ...base, consumers: 0 }), { name: "RangeError" }, "runPipeline({ consumers: 0 })");
    await rejectsWith(runPipeline({ ...base, consumers: 1.5 }), { name: "RangeError" }, "runPipeline({ consumers: 1.5 })");
    await rejectsWith(runPipeline({ ...base, maxsize: 0 }), { name: "RangeError" }, "runPipeline({ maxsize: 0 }): the queue must be bounded");
    await rejectsWith(runPipeline({ ...base, produceMs: -1 }), { name: "RangeError" }, "runPipeline({ produceMs: -1 })");
    await rejectsWith(runPipeline({ ...base, consumeMs: Number.NaN }), { name: "RangeError" }, "runPipeline({ consumeMs: NaN })");
  }));

  it("runPipeline() with no items still stops every consumer", withClock(async () => {
    const report = await runPipeline({ items: [], consumers: 3, maxsize: 2, produceMs: 10, consumeMs: 10 });
    assert.equal(report.exits.length, 3, "three consumers, three exits");
    assert.equal(report.handled.length, 0, "nothing to handle");
    assert.equal(report.finishedAt, 0, "with nothing to produce, the pipeline ends at once");
  }));
});
