/**
 * Visible tests for the async queue: run them with `bun test exercises/13_async_queue` or
 * `deno test exercises/13_async_queue`. Time is virtual: `clock.sleep(100)` takes no real time,
 * and `clock.now()` says how many virtual ms have passed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, withClock } from "../../lib/mod.ts";
import { Queue, QueueShutDown } from "./queue.ts";

describe("task 1: a queue you can use without waiting", () => {
  it("Queue.getNowait() returns items in the order they were put", withClock(() => {
    const q = new Queue<string>();
    q.putNowait("a");
    q.putNowait("b");
    q.putNowait("c");
    assert.equal(q.qsize(), 3, "qsize() should count the 3 items put");
    const got = [q.getNowait(), q.getNowait(), q.getNowait()];
    assert.deepEqual(got, ["a", "b", "c"], "a queue is first in, first out");
    assert.ok(q.empty(), "after taking every item the queue should be empty()");
  }));
});

describe("task 2: put() and get() that wait", () => {
  it("Queue.put() waits while the queue is full (back-pressure)", withClock(async (clock) => {
    // A fast producer and a consumer that takes one item every 100 ms, through a queue of 2.
    const q = new Queue<number>(2);
    const rec = new EventRecorder<number>();
    const producer = (async () => {
      for (let i = 0; i < 5; i++) {
        await q.put(i);
        rec.record("put", i);
      }
    })();
    const consumer = (async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(100);
        rec.record("got", await q.get());
        q.taskDone();
      }
    })();
    await Promise.all([producer, consumer]);
    // Items 0 and 1 fit at once; item 2 must wait for the first get at t=100, and so on.
    assert.deepEqual(rec.times("put"), [0, 0, 100, 200, 300], "when each put() finished:\n" + rec.format());
    assert.deepEqual(rec.times("got"), [100, 200, 300, 400, 500], "when each get() finished:\n" + rec.format());
  }));

  it("Queue.get() waits for an item and serves waiting consumers first come, first served", withClock(async (clock) => {
    const q = new Queue<string>();
    const order: string[] = [];
    const first = q.get().then((item) => order.push("first got " + item));
    const second = q.get().then((item) => order.push("second got " + item));
    await clock.sleep(50);
    q.putNowait("x");
    q.putNowait("y");
    await Promise.all([first, second]);
    assert.deepEqual(order, ["first got x", "second got y"], "the consumer that waited longest gets the next item");
    assert.equal(clock.now(), 50, "the consumers should wake at t=50, when the items arrive");
  }));
});

describe("task 3: taskDone() and join()", () => {
  it("Queue.join() waits for taskDone() on every item, not just for get()", withClock(async (clock) => {
    const q = new Queue<string>();
    q.putNowait("job");
    let joined = false;
    const joining = q.join().then(() => (joined = true));
    q.getNowait();
    await clock.flush();
    assert.equal(joined, false, "join() must not resolve when the item is only taken: the work is not done yet");
    await clock.sleep(30); // the work on the item
    q.taskDone();
    await joining;
    assert.equal(clock.now(), 30, "join() should resolve when taskDone() is called, at t=30");
  }));
});

describe("task 4: shutdown()", () => {
  it("Queue.shutdown() lets consumers drain what is left, then get() throws QueueShutDown", withClock(async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.shutdown();
    await rejectsWith(q.put(3), { name: "QueueShutDown" }, "put() after shutdown()");
    assert.equal(await q.get(), 1, "items already in the queue can still be taken");
    assert.equal(await q.get(), 2, "items already in the queue can still be taken");
    await rejectsWith(q.get(), { instanceOf: QueueShutDown }, "get() on a shut-down, empty queue");
  }));
});

describe("task 5: for await", () => {
  it("for await over a Queue yields every item and ends after shutdown", withClock(async (clock) => {
    const q = new Queue<string>();
    setTimeout(() => {
      q.putNowait("a");
      q.putNowait("b");
      q.shutdown();
    }, 100);
    const seen: string[] = [];
    for await (const item of q) {
      seen.push(item);
      q.taskDone();
    }
    assert.deepEqual(seen, ["a", "b"], "the loop should see both items, then stop");
    assert.equal(clock.now(), 100, "the loop should end at t=100, when the queue is shut down and drained");
  }));
});
