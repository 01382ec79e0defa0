/**
 * Visible tests for the async queue: run them with `bun test exercises/13_async_queue` or
 * `deno test exercises/13_async_queue`. Time is virtual: `clock.sleep(100)` takes no real time,
 * and `clock.now()` says how many virtual ms have passed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  EventRecorder,
  QUEUE,
  rejectsWith,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { Queue as LearnerQueue, QueueEmpty, QueueFull, QueueShutDown } from "./queue.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Queue = watched(LearnerQueue, QUEUE);
type Queue<T> = LearnerQueue<T>;

describe("task 1: a queue you can use without waiting", () => {
  it(
    "Queue.getNowait() returns items in the order they were put",
    withClock(() => {
      const q = new Queue<string>();
      q.putNowait("a");
      q.putNowait("b");
      q.putNowait("c");
      assert.equal(q.qsize(), 3, "qsize() should count the 3 items put");
      const got = [q.getNowait(), q.getNowait(), q.getNowait()];
      assert.deepEqual(got, ["a", "b", "c"], "a queue is first in, first out");
      assert.ok(q.empty(), "after taking every item the queue should be empty()");
      throwsWith(() => q.getNowait(), { instanceOf: QueueEmpty }, "getNowait() on the empty queue");
    }),
  );

  it(
    "Queue.putNowait() throws QueueFull at maxsize and keeps the items it had",
    withClock(() => {
      const q = new Queue<string>(2);
      q.putNowait("a");
      q.putNowait("b");
      assert.equal(q.full(), true, "two items in a queue of 2: full() should be true");
      throwsWith(
        () => q.putNowait("c"),
        { name: "QueueFull", instanceOf: QueueFull },
        "putNowait() on a full queue",
      );
      assert.equal(q.qsize(), 2, "the refused item must not be added");
      assert.equal(q.getNowait(), "a", "the items already there stay");
    }),
  );

  it(
    "new Queue() refuses a negative maxsize with RangeError",
    withClock(() => {
      throwsWith(() => new Queue(-1), { name: "RangeError" }, "new Queue(-1)");
      assert.equal(new Queue().maxsize, 0, "the default maxsize is 0 (unbounded)");
    }),
  );
});

describe("task 2: put() and get() that wait", () => {
  it(
    "Queue.put() waits while the queue is full (back-pressure)",
    withClock(async (clock) => {
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
      assert.deepEqual(
        rec.times("put"),
        [0, 0, 100, 200, 300],
        "when each put() finished:\n" + rec.format(),
      );
      assert.deepEqual(
        rec.times("got"),
        [100, 200, 300, 400, 500],
        "when each get() finished:\n" + rec.format(),
      );
    }),
  );

  it(
    "Queue.get() waits for an item and serves waiting consumers first come, first served",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const order: string[] = [];
      const first = q.get().then((item) => order.push("first got " + item));
      const second = q.get().then((item) => order.push("second got " + item));
      await clock.sleep(50);
      q.putNowait("x");
      q.putNowait("y");
      await Promise.all([first, second]);
      assert.deepEqual(
        order,
        ["first got x", "second got y"],
        "the consumer that waited longest gets the next item",
      );
      assert.equal(clock.now(), 50, "the consumers should wake at t=50, when the items arrive");
    }),
  );

  it(
    "Queue.get() aborted while waiting leaves the line and the next item goes to the next getter",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const controller = new AbortController();
      const aborted = q.get({ signal: controller.signal });
      const next = q.get();
      await clock.sleep(10);
      controller.abort();
      await rejectsWith(aborted, { name: "AbortError" }, "get({ signal }) after abort()");
      q.putNowait("x");
      assert.equal(
        await next,
        "x",
        "the item must go to the getter still waiting, not to the aborted one",
      );
    }),
  );

  it(
    "Queue.putNowait() promises the item to a waiting get(): a newcomer cannot take it",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const waiting = q.get();
      await clock.flush();
      q.putNowait("mine");
      assert.equal(
        q.qsize(),
        0,
        "the item is promised to the waiting get(): qsize() must not count it",
      );
      throwsWith(
        () => q.getNowait(),
        { name: "QueueEmpty" },
        "getNowait() right after the item was promised to a waiting get()",
      );
      assert.equal(await waiting, "mine", "the waiting get() must receive the item (no barging)");
    }),
  );

  it(
    "Queue.put() waiters enter the queue in FIFO order",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      await q.put("first");
      const waiting = ["b", "c", "d"].map((item) => q.put(item));
      await clock.flush();
      assert.equal(q.qsize(), 1, "three put() calls should be waiting on the full queue");
      const got: string[] = [];
      for (let i = 0; i < 4; i++) got.push(await q.get());
      await Promise.all(waiting);
      assert.deepEqual(
        got,
        ["first", "b", "c", "d"],
        "waiting producers must enter in the order they arrived",
      );
    }),
  );
});

describe("task 3: late aborts", () => {
  it(
    "Queue.get() aborted after an item was promised to it rejects, and the item stays in the queue",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const controller = new AbortController();
      const getting = q.get({ signal: controller.signal });
      await clock.flush();
      q.putNowait("item");
      controller.abort(); // before the woken get() had a chance to resume
      await rejectsWith(
        getting,
        { name: "AbortError" },
        "get() aborted after put() woke it (the abort wins)",
      );
      assert.equal(q.qsize(), 1, "the aborted get() must not take the item: it stays in the queue");
      assert.equal(q.getNowait(), "item", "anyone can take it now");
    }),
  );

  it(
    "Queue.put() aborted after a slot was promised to it rejects, and its item is never added",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      q.putNowait("a");
      const controller = new AbortController();
      const putting = q.put("b", { signal: controller.signal });
      await clock.flush();
      assert.equal(
        q.getNowait(),
        "a",
        "getNowait() frees the slot and promises it to the waiting put()",
      );
      controller.abort(); // before the woken put() had a chance to resume
      await rejectsWith(
        putting,
        { name: "AbortError" },
        "put() aborted after getNowait() woke it (the abort wins)",
      );
      assert.equal(q.qsize(), 0, "the aborted put() must not add its item");
      q.putNowait("c"); // the slot is free again
      assert.equal(
        q.getNowait(),
        "c",
        "the freed slot is free for anyone once the put() gave it back",
      );
    }),
  );
});

describe("task 4: taskDone() and join()", () => {
  it(
    "Queue.join() waits for taskDone() on every item, not just for get()",
    withClock(async (clock) => {
      const q = new Queue<string>();
      q.putNowait("job");
      let joined = false;
      const joining = q.join().then(() => (joined = true));
      q.getNowait();
      await clock.flush();
      assert.equal(
        joined,
        false,
        "join() must not resolve when the item is only taken: the work is not done yet",
      );
      await clock.sleep(30); // the work on the item
      q.taskDone();
      await joining;
      assert.equal(clock.now(), 30, "join() should resolve when taskDone() is called, at t=30");
    }),
  );

  it(
    "Queue.taskDone() called more times than items were put throws RangeError",
    withClock(() => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.getNowait();
      q.taskDone();
      throwsWith(() => q.taskDone(), { name: "RangeError" }, "a second taskDone() for one item");
    }),
  );

  it(
    "Queue.join() wakes every waiting joiner",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      const joins = [q.join(), q.join(), q.join()];
      await clock.sleep(10);
      q.getNowait();
      q.taskDone();
      await Promise.all(joins);
      assert.equal(
        clock.now(),
        10,
        "all three join() calls should resolve at t=10, when the item is done",
      );
    }),
  );

  it(
    "Queue.join() resolves at once on a fresh queue",
    withClock(async (clock) => {
      const q = new Queue<number>();
      await q.join();
      assert.equal(clock.now(), 0, "nothing was put, so nothing is unfinished");
    }),
  );
});

describe("task 5: shutdown()", () => {
  it(
    "Queue.shutdown() lets consumers drain what is left, then get() throws QueueShutDown",
    withClock(async () => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.shutdown();
      await rejectsWith(q.put(3), { name: "QueueShutDown" }, "put() after shutdown()");
      assert.equal(await q.get(), 1, "items already in the queue can still be taken");
      assert.equal(await q.get(), 2, "items already in the queue can still be taken");
      await rejectsWith(
        q.get(),
        { instanceOf: QueueShutDown },
        "get() on a shut-down, empty queue",
      );
    }),
  );

  it(
    "Queue.shutdown(true) drops the items and counts each as done, releasing join()",
    withClock(async (clock) => {
      const q = new Queue<number>();
      for (let i = 0; i < 3; i++) q.putNowait(i);
      const joining = q.join();
      q.shutdown(true);
      assert.equal(q.qsize(), 0, "shutdown(true) empties the queue");
      await joining;
      assert.equal(clock.now(), 0, "every dropped item counts as done, so join() resolves at once");
      throwsWith(
        () => q.getNowait(),
        { name: "QueueShutDown" },
        "getNowait() after shutdown(true)",
      );
    }),
  );

  it(
    "Queue.shutdown() fails waiting getters with QueueShutDown",
    withClock(async (clock) => {
      const q = new Queue<number>();
      const getters = [q.get(), q.get()];
      await clock.sleep(50);
      q.shutdown();
      for (const g of getters) {
        await rejectsWith(
          g,
          { name: "QueueShutDown" },
          "a get() waiting when shutdown() was called",
        );
      }
      assert.equal(clock.now(), 50, "the waiting getters fail at once, at t=50");
    }),
  );

  it(
    "Queue.shutdown() fails waiting putters with QueueShutDown and drops their items",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      q.putNowait("in");
      const putters = [q.put("x"), q.put("y")];
      await clock.sleep(50);
      q.shutdown();
      for (const p of putters) {
        await rejectsWith(
          p,
          { name: "QueueShutDown" },
          "a put() waiting when shutdown() was called",
        );
      }
      assert.equal(q.getNowait(), "in", "the item already in stays available");
      throwsWith(
        () => q.getNowait(),
        { name: "QueueShutDown" },
        "getNowait() after the last item: the waiting items were never added",
      );
    }),
  );
});

describe("task 6: for await", () => {
  it(
    "for await over a Queue yields every item and ends after shutdown",
    withClock(async (clock) => {
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
      assert.equal(
        clock.now(),
        100,
        "the loop should end at t=100, when the queue is shut down and drained",
      );
    }),
  );

  it(
    "for await over a Queue leaves the remaining items when the loop breaks",
    withClock(async () => {
      const q = new Queue<number>();
      for (let i = 0; i < 3; i++) q.putNowait(i);
      for await (const n of q) {
        if (n === 0) break;
      }
      assert.equal(q.qsize(), 2, "break after the first item leaves the other two in the queue");
      assert.equal(q.getNowait(), 1, "the next item is still 1");
    }),
  );
});
