/**
 * Hidden tests for the async queue: they pin CPython's asyncio.Queue semantics (Python 3.13,
 * shutdown included) plus the workbook's conventions (AbortSignal, FIFO waiters, no barging).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { Queue, QueueEmpty, QueueFull, QueueShutDown } from "./queue.ts";

/** Watches a promise so a test can ask "has it settled yet?" without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const w = { settled: false, rejected: false, value: undefined as T | undefined, error: undefined as unknown };
  promise.then(
    (value) => Object.assign(w, { settled: true, value }),
    (error) => Object.assign(w, { settled: true, rejected: true, error }),
  );
  return w;
}

/** Counts abort listeners added to and removed from a signal. */
function countListeners(signal: AbortSignal) {
  const counts = { added: 0, removed: 0 };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<AbortSignal["addEventListener"]>) => {
    counts.added++;
    add(...args);
  }) as AbortSignal["addEventListener"];
  signal.removeEventListener = ((...args: Parameters<AbortSignal["removeEventListener"]>) => {
    counts.removed++;
    remove(...args);
  }) as AbortSignal["removeEventListener"];
  return counts;
}

describe("task 1: queue basics", () => {
  it("new Queue() rejects a negative or fractional maxsize with RangeError", withClock(() => {
    throwsWith(() => new Queue(-1), { name: "RangeError" }, "new Queue(-1)");
    throwsWith(() => new Queue(1.5), { name: "RangeError" }, "new Queue(1.5)");
    throwsWith(() => new Queue(Number.NaN), { name: "RangeError" }, "new Queue(NaN)");
    assert.equal(new Queue(3).maxsize, 3, "maxsize should be kept");
    assert.equal(new Queue().maxsize, 0, "the default maxsize is 0 (unbounded)");
  }));

  it("Queue.qsize(), empty() and full() track the items held", withClock(() => {
    const q = new Queue<number>(2);
    assert.deepEqual([q.qsize(), q.empty(), q.full()], [0, true, false], "a fresh queue: [qsize, empty, full]");
    q.putNowait(1);
    assert.deepEqual([q.qsize(), q.empty(), q.full()], [1, false, false], "one item of 2: [qsize, empty, full]");
    q.putNowait(2);
    assert.deepEqual([q.qsize(), q.empty(), q.full()], [2, false, true], "two items of 2: [qsize, empty, full]");
    q.getNowait();
    assert.deepEqual([q.qsize(), q.empty(), q.full()], [1, false, false], "after one getNowait(): [qsize, empty, full]");
  }));

  it("Queue.full() is never true for an unbounded queue", withClock(() => {
    const q = new Queue<number>(0);
    for (let i = 0; i < 1000; i++) q.putNowait(i);
    assert.equal(q.full(), false, "maxsize 0 means unbounded: full() stays false");
    assert.equal(q.qsize(), 1000, "all 1000 items should be held");
  }));

  it("Queue.getNowait() throws QueueEmpty on an empty queue", withClock(() => {
    const q = new Queue<number>();
    throwsWith(() => q.getNowait(), { name: "QueueEmpty", instanceOf: QueueEmpty }, "getNowait() on an empty queue");
  }));

  it("Queue.putNowait() throws QueueFull at maxsize and keeps the items it had", withClock(() => {
    const q = new Queue<string>(1);
    q.putNowait("a");
    throwsWith(() => q.putNowait("b"), { name: "QueueFull", instanceOf: QueueFull }, "putNowait() on a full queue");
    assert.equal(q.qsize(), 1, "the refused item must not be added");
    assert.equal(q.getNowait(), "a", "the item already there stays");
  }));

  it("Queue.getNowait() returns items in FIFO order", withClock(() => {
    const q = new Queue<number>();
    for (const n of [5, 3, 9, 1]) q.putNowait(n);
    const got = [q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()];
    assert.deepEqual(got, [5, 3, 9, 1], "items come out in the order they were put (no sorting)");
  }));
});

describe("task 2: waiting put() and get()", () => {
  it("Queue.put() waits at maxsize and resumes exactly when a slot frees", withClock(async (clock) => {
    const q = new Queue<number>(3);
    const rec = new EventRecorder<number>();
    const producer = (async () => {
      for (let i = 0; i < 6; i++) {
        await q.put(i);
        rec.record("put", i);
      }
    })();
    const consumer = (async () => {
      await clock.sleep(1000);
      for (let i = 0; i < 6; i++) {
        rec.record("got", await q.get());
        await clock.sleep(100);
      }
    })();
    await Promise.all([producer, consumer]);
    assert.deepEqual(rec.times("put"), [0, 0, 0, 1000, 1100, 1200], "when each put() finished:\n" + rec.format());
    assert.deepEqual(rec.events.filter((e) => e.name === "got").map((e) => e.detail), [0, 1, 2, 3, 4, 5], "items in order");
  }));

  it("Queue.put() waiters enter the queue in FIFO order", withClock(async (clock) => {
    const q = new Queue<string>(1);
    await q.put("first");
    const waiting = ["b", "c", "d"].map((item) => q.put(item));
    await clock.flush();
    assert.equal(q.qsize(), 1, "three put() calls should be waiting on the full queue");
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push(await q.get());
    await Promise.all(waiting);
    assert.deepEqual(got, ["first", "b", "c", "d"], "waiting producers must enter in the order they arrived");
  }));

  it("Queue.get() waiters receive items in FIFO order", withClock(async (clock) => {
    const q = new Queue<number>();
    const got: string[] = [];
    const getters = ["g1", "g2", "g3"].map((name) => q.get().then((n) => got.push(`${name}:${n}`)));
    await clock.sleep(10);
    q.putNowait(1);
    q.putNowait(2);
    q.putNowait(3);
    await Promise.all(getters);
    assert.deepEqual(got, ["g1:1", "g2:2", "g3:3"], "the longest-waiting consumer gets the next item");
  }));

  it("Queue.putNowait() hands the item to a waiting getter so a newcomer cannot take it", withClock(async (clock) => {
    const q = new Queue<string>();
    const waiter = watch(q.get());
    await clock.flush();
    q.putNowait("mine");
    throwsWith(() => q.getNowait(), { name: "QueueEmpty" }, "getNowait() right after the item went to a waiting get()");
    await clock.flush();
    assert.equal(waiter.value, "mine", "the waiting get() must receive the item (no barging)");
  }));

  it("Queue.getNowait() gives the freed slot to a waiting putter so a newcomer cannot take it", withClock(async (clock) => {
    const q = new Queue<string>(1);
    q.putNowait("a");
    const waiting = watch(q.put("b"));
    await clock.flush();
    assert.equal(q.getNowait(), "a", "getNowait() should take the first item");
    throwsWith(() => q.putNowait("c"), { name: "QueueFull" }, "putNowait() while a put() was waiting for that slot");
    await clock.flush();
    assert.equal(waiting.settled && !waiting.rejected, true, "the waiting put() should have finished");
    assert.equal(q.getNowait(), "b", "the waiting producer's item took the slot");
  }));

  it("Queue.get() aborted removes its waiter and the next put goes to the next getter", withClock(async (clock) => {
    const q = new Queue<string>();
    const controller = new AbortController();
    const aborted = q.get({ signal: controller.signal });
    const next = watch(q.get());
    await clock.sleep(10);
    controller.abort();
    await rejectsWith(aborted, { name: "AbortError" }, "get({ signal }) after abort()");
    q.putNowait("x");
    await clock.flush();
    assert.equal(next.value, "x", "the item must go to the getter still waiting, not to the aborted one");
    assert.equal(q.qsize(), 0, "nothing should be left over");
  }));

  it("Queue.get() with an already aborted signal rejects at once and takes nothing", withClock(async () => {
    const q = new Queue<string>();
    q.putNowait("keep");
    const reason = new Error("stop");
    await rejectsWith(q.get({ signal: AbortSignal.abort(reason) }), { is: reason }, "get() with an aborted signal");
    assert.equal(q.qsize(), 1, "an aborted get() must not consume an item");
    assert.equal(q.getNowait(), "keep", "the item is still there");
  }));

  it("Queue.get() rejects with the exact abort reason", withClock(async (clock) => {
    const q = new Queue<number>();
    const controller = new AbortController();
    const reason = { why: "user left" };
    const getting = q.get({ signal: controller.signal });
    await clock.sleep(5);
    controller.abort(reason);
    await rejectsWith(getting, { is: reason }, "get() aborted with a custom reason");
  }));

  it("Queue.put() aborted leaves the queue unchanged and the next putter gets the slot", withClock(async (clock) => {
    const q = new Queue<string>(1);
    q.putNowait("a");
    const controller = new AbortController();
    const aborted = q.put("dropped", { signal: controller.signal });
    const next = q.put("b");
    await clock.sleep(10);
    controller.abort();
    await rejectsWith(aborted, { name: "AbortError" }, "put({ signal }) after abort()");
    assert.equal(q.getNowait(), "a", "the first item comes out first");
    await next;
    assert.equal(q.getNowait(), "b", "the slot must go to the put() still waiting; the aborted item is never added");
    assert.equal(q.qsize(), 0, "the aborted item must not be in the queue");
    q.taskDone();
    q.taskDone();
    throwsWith(() => q.taskDone(), { name: "RangeError" }, "a third taskDone(): the aborted put() must not count as an item");
  }));

  it("Queue.get() and put() remove their abort listeners when they succeed", withClock(async (clock) => {
    const q = new Queue<number>(1);
    const controller = new AbortController();
    const counts = countListeners(controller.signal);
    const getting = q.get({ signal: controller.signal });
    await clock.flush();
    q.putNowait(1);
    await getting;
    q.putNowait(2);
    const putting = q.put(3, { signal: controller.signal });
    await clock.flush();
    q.getNowait();
    await putting;
    assert.equal(counts.added - counts.removed, 0,
      `every abort listener must be removed once the wait is over; ${counts.added} added, ${counts.removed} removed`);
  }));

  it("Queue.get() waits without polling: no timers run while it waits", withClock(async (clock) => {
    const q = new Queue<number>(1);
    const getting = q.get();
    const putting = (async () => {
      q.putNowait(0);
      await q.put(1);
      await q.put(2);
    })();
    await clock.sleep(1000);
    q.getNowait();
    await Promise.all([getting, putting]);
    assert.equal(clock.timersFired, 1,
      "only the test's own sleep should fire a timer; a queue that polls with setTimeout/setInterval fired " +
        (clock.timersFired - 1));
  }));
});

describe("task 3: taskDone() and join()", () => {
  it("Queue.join() resolves at once on a fresh queue", withClock(async (clock) => {
    const q = new Queue<number>();
    await q.join();
    assert.equal(clock.now(), 0, "nothing was put, so nothing is unfinished");
  }));

  it("Queue.join() does not count get() as done", withClock(async (clock) => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    const joined = watch(q.join());
    q.getNowait();
    q.getNowait();
    await clock.flush();
    assert.equal(q.empty(), true, "both items were taken");
    assert.equal(joined.settled, false, "join() must wait for taskDone(), not for an empty queue");
    q.taskDone();
    await clock.flush();
    assert.equal(joined.settled, false, "one item is still unfinished");
    q.taskDone();
    await clock.flush();
    assert.equal(joined.settled, true, "join() resolves after the last taskDone()");
  }));

  it("Queue.join() waits for every taskDone() of concurrent workers", withClock(async (clock) => {
    const q = new Queue<number>();
    for (const ms of [300, 100, 200]) q.putNowait(ms);
    const worker = async () => {
      try {
        for (;;) {
          const ms = await q.get();
          await clock.sleep(ms);
          q.taskDone();
        }
      } catch (error) {
        if (!(error instanceof QueueShutDown)) throw error;
      }
    };
    const workers = [worker(), worker()];
    await q.join();
    assert.equal(clock.now(), 300, "two workers: 300 on one, 100 + 200 on the other, so join() resolves at t=300");
    q.shutdown();
    await Promise.all(workers);
  }));

  it("Queue.taskDone() called too many times throws RangeError", withClock(() => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    throwsWith(() => q.taskDone(), { name: "RangeError" }, "taskDone() more times than items put");
    const fresh = new Queue<number>();
    throwsWith(() => fresh.taskDone(), { name: "RangeError" }, "taskDone() on a fresh queue");
  }));

  it("Queue.join() wakes every waiting joiner", withClock(async (clock) => {
    const q = new Queue<number>();
    q.putNowait(1);
    const joins = [q.join(), q.join(), q.join()].map((p) => watch(p));
    await clock.sleep(10);
    q.getNowait();
    q.taskDone();
    await clock.flush();
    assert.deepEqual(joins.map((j) => j.settled), [true, true, true], "all three join() calls should resolve");
  }));

  it("Queue.join() waits again once new items are put", withClock(async (clock) => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    await q.join();
    q.putNowait(2);
    const joined = watch(q.join());
    await clock.flush();
    assert.equal(joined.settled, false, "a new item makes the queue unfinished again");
    q.getNowait();
    q.taskDone();
    await clock.flush();
    assert.equal(joined.settled, true, "join() resolves once the new item is done");
  }));

  it("Queue.join() counts items that went straight to a waiting getter", withClock(async (clock) => {
    const q = new Queue<number>();
    const getting = q.get();
    await clock.flush();
    q.putNowait(1);
    await getting;
    const joined = watch(q.join());
    await clock.flush();
    assert.equal(joined.settled, false, "the handed-over item is unfinished until taskDone()");
    q.taskDone();
    await clock.flush();
    assert.equal(joined.settled, true, "join() resolves after taskDone()");
  }));
});

describe("task 4: shutdown()", () => {
  it("Queue.shutdown() makes put() and putNowait() throw QueueShutDown", withClock(async () => {
    const q = new Queue<number>(5);
    q.shutdown();
    throwsWith(() => q.putNowait(1), { name: "QueueShutDown", instanceOf: QueueShutDown }, "putNowait() after shutdown()");
    await rejectsWith(q.put(1), { name: "QueueShutDown", instanceOf: QueueShutDown }, "put() after shutdown()");
    assert.equal(q.qsize(), 0, "nothing may be added after shutdown()");
  }));

  it("Queue.shutdown() lets get() drain the remaining items, then throws QueueShutDown", withClock(async () => {
    const q = new Queue<string>();
    q.putNowait("a");
    q.putNowait("b");
    q.shutdown();
    assert.equal(q.qsize(), 2, "shutdown() without immediate keeps the items");
    assert.equal(await q.get(), "a", "first remaining item");
    assert.equal(q.getNowait(), "b", "second remaining item");
    await rejectsWith(q.get(), { name: "QueueShutDown" }, "get() once the shut-down queue is empty");
  }));

  it("Queue.getNowait() after shutdown throws QueueShutDown, not QueueEmpty, once empty", withClock(() => {
    const q = new Queue<string>();
    q.shutdown();
    throwsWith(() => q.getNowait(), { name: "QueueShutDown" }, "getNowait() on a shut-down, empty queue");
  }));

  it("Queue.shutdown() fails waiting getters with QueueShutDown", withClock(async (clock) => {
    const q = new Queue<number>();
    const getters = [q.get(), q.get()];
    await clock.sleep(50);
    q.shutdown();
    for (const g of getters) await rejectsWith(g, { name: "QueueShutDown" }, "a get() waiting when shutdown() was called");
    assert.equal(clock.now(), 50, "the waiting getters fail at once, at t=50");
  }));

  it("Queue.shutdown() fails waiting putters with QueueShutDown and drops their items", withClock(async (clock) => {
    const q = new Queue<string>(1);
    q.putNowait("in");
    const putters = [q.put("x"), q.put("y")];
    await clock.sleep(50);
    q.shutdown();
    for (const p of putters) await rejectsWith(p, { name: "QueueShutDown" }, "a put() waiting when shutdown() was called");
    assert.equal(q.getNowait(), "in", "the item already in stays available");
    throwsWith(() => q.getNowait(), { name: "QueueShutDown" }, "getNowait() after the last item: the waiting items were never added");
  }));

  it("Queue.shutdown() without immediate keeps join() waiting for the consumers", withClock(async (clock) => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    const joined = watch(q.join());
    q.shutdown();
    await clock.flush();
    assert.equal(joined.settled, false, "the two items still have to be processed");
    q.getNowait();
    q.taskDone();
    q.getNowait();
    q.taskDone();
    await clock.flush();
    assert.equal(joined.settled, true, "join() resolves once the drained items are done");
  }));

  it("Queue.shutdown(true) drops the items and counts each as done, releasing join()", withClock(async (clock) => {
    const q = new Queue<number>();
    for (let i = 0; i < 4; i++) q.putNowait(i);
    const joined = watch(q.join());
    q.shutdown(true);
    assert.equal(q.qsize(), 0, "shutdown(true) empties the queue");
    throwsWith(() => q.getNowait(), { name: "QueueShutDown" }, "getNowait() after shutdown(true)");
    await rejectsWith(q.get(), { name: "QueueShutDown" }, "get() after shutdown(true)");
    await clock.flush();
    assert.equal(joined.settled, true, "every dropped item counts as done, so join() resolves");
    throwsWith(() => q.taskDone(), { name: "RangeError" }, "taskDone() after shutdown(true) dropped everything");
  }));

  it("Queue.shutdown(true) keeps join() waiting for items already taken but not done", withClock(async (clock) => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.putNowait(3);
    q.getNowait(); // a worker is busy with item 1
    const joined = watch(q.join());
    q.shutdown(true);
    await clock.flush();
    assert.equal(joined.settled, false, "item 1 was taken and is still being worked on");
    q.taskDone();
    await clock.flush();
    assert.equal(joined.settled, true, "join() resolves once the taken item is done");
  }));

  it("Queue.shutdown(true) after shutdown() still drops what is left", withClock(async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.shutdown();
    assert.equal(q.getNowait(), 1, "draining after shutdown()");
    q.shutdown(true);
    assert.equal(q.qsize(), 0, "the second shutdown(true) drops item 2");
    q.taskDone();
    await q.join();
  }));
});

describe("task 5: for await", () => {
  it("for await over a Queue yields items in order and ends after shutdown and drain", withClock(async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5; i++) q.putNowait(i);
    q.shutdown();
    const seen: number[] = [];
    for await (const n of q) seen.push(n);
    assert.deepEqual(seen, [0, 1, 2, 3, 4], "every item, in order, then the loop ends");
  }));

  it("for await over a Queue waits for items put later", withClock(async (clock) => {
    const q = new Queue<string>();
    const rec = new EventRecorder<string>();
    const producer = (async () => {
      for (const item of ["a", "b", "c"]) {
        await clock.sleep(100);
        await q.put(item);
      }
      q.shutdown();
    })();
    for await (const item of q) rec.record("item", item);
    await producer;
    assert.deepEqual(rec.times("item"), [100, 200, 300], "each item arrives when it is put:\n" + rec.format());
  }));

  it("for await over a Queue does not call taskDone() for the loop body", withClock(async (clock) => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.shutdown();
    for await (const _ of q) {
      // the loop body forgets taskDone()
    }
    const joined = watch(q.join());
    await clock.flush();
    assert.equal(joined.settled, false, "iteration takes items like get(); marking them done is the body's job");
    q.taskDone();
    q.taskDone();
    await clock.flush();
    assert.equal(joined.settled, true, "two taskDone() calls finish both items");
  }));

  it("for await over a Queue leaves the remaining items when the loop breaks", withClock(async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 3; i++) q.putNowait(i);
    for await (const n of q) {
      if (n === 0) break;
    }
    assert.equal(q.qsize(), 2, "break after the first item leaves the other two in the queue");
    assert.equal(q.getNowait(), 1, "the next item is still 1");
  }));
});
