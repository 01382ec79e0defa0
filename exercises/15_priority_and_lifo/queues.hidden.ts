/**
 * Hidden tests for PriorityQueue and LifoQueue: Python's order (smallest first), stable ties,
 * LIFO items with FIFO waiters, and the base queue's behaviour kept (taskDone/join/shutdown).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, seededRandom, throwsWith, withClock } from "../../lib/mod.ts";
import { LifoQueue, PriorityQueue, pythonCompare, QueueFull, QueueShutDown } from "./queues.ts";

const sign = (n: number) => Math.sign(n);

function drain<T>(q: { empty(): boolean; getNowait(): T }): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe("task 1: pythonCompare()", () => {
  it("pythonCompare() orders numbers and strings like Python", withClock(() => {
    assert.equal(sign(pythonCompare(1, 2)), -1, "1 < 2");
    assert.equal(sign(pythonCompare(2, 1)), 1, "2 > 1");
    assert.equal(pythonCompare(3, 3), 0, "3 == 3");
    assert.equal(sign(pythonCompare(-1.5, 0)), -1, "-1.5 < 0");
    assert.equal(sign(pythonCompare("apple", "banana")), -1, "'apple' < 'banana'");
    assert.equal(sign(pythonCompare("b", "B")), 1, "'b' > 'B' (by code unit, as in Python)");
    assert.equal(pythonCompare("x", "x"), 0, "'x' == 'x'");
    assert.equal(sign(pythonCompare(true, 2)), -1, "True < 2 (Python's bool is an int)");
  }));

  it("pythonCompare() compares numbers by value, never as text", withClock(() => {
    assert.equal(sign(pythonCompare(10, 9)), 1, "10 > 9 (as text, '10' < '9')");
    assert.equal(sign(pythonCompare([10, "a"], [9, "z"])), 1, "(10, 'a') > (9, 'z')");
    assert.equal(sign(pythonCompare(100, 20)), 1, "100 > 20");
  }));

  it("pythonCompare() compares tuples element by element, a shorter prefix first", withClock(() => {
    assert.equal(sign(pythonCompare([1, "b"], [2, "a"])), -1, "(1, 'b') < (2, 'a')");
    assert.equal(sign(pythonCompare([1, "b"], [1, "a"])), 1, "(1, 'b') > (1, 'a')");
    assert.equal(sign(pythonCompare([1, 2], [1, 2, 0])), -1, "(1, 2) < (1, 2, 0): a prefix comes first");
    assert.equal(pythonCompare([1, [2, 3]], [1, [2, 3]]), 0, "nested tuples compare too");
    assert.equal(sign(pythonCompare([], [0])), -1, "() < (0,)");
  }));

  it("pythonCompare() throws TypeError for values Python cannot order", withClock(() => {
    throwsWith(() => pythonCompare(1, "1"), { name: "TypeError" }, "pythonCompare(1, '1')");
    throwsWith(() => pythonCompare({ a: 1 }, { a: 2 }), { name: "TypeError" }, "pythonCompare({...}, {...})");
    throwsWith(() => pythonCompare([1, "x"], [1, 2]), { name: "TypeError" }, "pythonCompare((1, 'x'), (1, 2))");
  }));
});

describe("task 2: PriorityQueue", () => {
  it("PriorityQueue hands out the smallest item first, not the highest", withClock(() => {
    const q = new PriorityQueue<number>();
    for (const n of [5, 1, 4, 2, 3]) q.putNowait(n);
    assert.deepEqual(drain(q), [1, 2, 3, 4, 5], "Python's PriorityQueue is a min-heap: lowest value first");
  }));

  it("PriorityQueue orders [priority, data] tuples like Python", withClock(() => {
    const q = new PriorityQueue<[number, string]>();
    for (const entry of [[2, "b"], [1, "z"], [2, "a"], [10, "x"], [9, "y"]] as [number, string][]) q.putNowait(entry);
    assert.deepEqual(drain(q), [[1, "z"], [2, "a"], [2, "b"], [9, "y"], [10, "x"]], "by priority, then by data, numbers by value");
  }));

  it("PriorityQueue returns equal items in FIFO order even when others interleave", withClock(() => {
    const q = new PriorityQueue<{ p: number; id: number }>(0, (a, b) => a.p - b.p);
    const ps = [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];
    ps.forEach((p, id) => q.putNowait({ p, id }));
    const got = drain(q).map((e) => `${e.p}:${e.id}`);
    assert.deepEqual(got, ["1:1", "1:3", "1:5", "1:7", "1:9", "1:11", "2:0", "2:2", "2:4", "2:6", "2:8", "2:10"],
      "within one priority, items come out in the order they were put (a plain heap does not keep this)");
  }));

  it("PriorityQueue uses a custom compare function", withClock(() => {
    const q = new PriorityQueue<string>(0, (a, b) => b.length - a.length);
    for (const s of ["aa", "a", "aaaa", "aaa"]) q.putNowait(s);
    assert.deepEqual(drain(q), ["aaaa", "aaa", "aa", "a"], "compare says longer strings come first");
  }));

  it("PriorityQueue stays ordered over many random puts and gets", withClock(() => {
    const random = seededRandom(7);
    const q = new PriorityQueue<number>();
    const model: number[] = [];
    for (let step = 0; step < 500; step++) {
      if (model.length > 0 && random() < 0.4) {
        model.sort((a, b) => a - b);
        const expected = model.shift();
        const got = q.getNowait();
        assert.equal(got, expected, `step ${step}: getNowait() must return the smallest of the ${model.length + 1} items held`);
      } else {
        const n = Math.floor(random() * 50);
        model.push(n);
        q.putNowait(n);
      }
      assert.equal(q.qsize(), model.length, `step ${step}: qsize()`);
    }
  }));

  it("PriorityQueue respects maxsize and lets waiting producers in first come, first served", withClock(async (clock) => {
    const q = new PriorityQueue<number>(2);
    q.putNowait(5);
    q.putNowait(7);
    throwsWith(() => q.putNowait(1), { name: "QueueFull", instanceOf: QueueFull }, "putNowait() on a full PriorityQueue");
    const waiting = [q.put(9), q.put(1)];
    await clock.flush();
    assert.equal(q.getNowait(), 5, "the smallest item held comes out; the slot goes to the first waiting put() (9)");
    assert.equal(q.getNowait(), 7, "7 < 9; the slot goes to the second waiting put() (1)");
    await Promise.all(waiting);
    assert.deepEqual(drain(q), [1, 9], "both waiting items entered and come out in priority order");
  }));

  it("PriorityQueue gives an item put while consumers wait to the oldest consumer", withClock(async (clock) => {
    const q = new PriorityQueue<number>();
    const got: string[] = [];
    const consumers = ["c1", "c2"].map((name) => q.get().then((n) => got.push(`${name}:${n}`)));
    await clock.sleep(10);
    q.putNowait(8);
    q.putNowait(3);
    await Promise.all(consumers);
    assert.deepEqual(got, ["c1:8", "c2:3"], "each item goes straight to the longest-waiting consumer");
  }));

  it("PriorityQueue keeps taskDone(), join() and shutdown() from the base queue", withClock(async (clock) => {
    const q = new PriorityQueue<number>();
    q.putNowait(3);
    q.putNowait(1);
    q.putNowait(2);
    let joined = false;
    const joining = q.join().then(() => (joined = true));
    q.shutdown();
    await rejectsWith(q.put(0), { name: "QueueShutDown", instanceOf: QueueShutDown }, "put() after shutdown()");
    assert.equal(await q.get(), 1, "after shutdown() the remaining items drain, smallest first");
    q.taskDone();
    q.shutdown(true);
    assert.equal(q.qsize(), 0, "shutdown(true) drops the rest");
    await joining;
    assert.equal(joined, true, "join() resolves: one item done, two dropped (each counts as done)");
    await rejectsWith(q.get(), { name: "QueueShutDown" }, "get() on the shut-down, empty queue");
    assert.equal(clock.now(), 0, "nothing here waits on a timer");
  }));
});

describe("task 3: LifoQueue", () => {
  it("LifoQueue hands out the newest item first", withClock(() => {
    const q = new LifoQueue<number>();
    for (const n of [1, 2, 3, 4]) q.putNowait(n);
    assert.equal(q.getNowait(), 4, "the last item put comes out first");
    q.putNowait(5);
    assert.deepEqual(drain(q), [5, 3, 2, 1], "then the newest remaining each time");
  }));

  it("LifoQueue serves waiting getters in FIFO order", withClock(async (clock) => {
    const q = new LifoQueue<string>();
    const got: string[] = [];
    const getters = ["g1", "g2", "g3"].map((g) => q.get().then((item) => got.push(`${g}:${item}`)));
    await clock.sleep(5);
    for (const item of ["a", "b", "c"]) q.putNowait(item);
    await Promise.all(getters);
    assert.deepEqual(got, ["g1:a", "g2:b", "g3:c"], "LIFO items but FIFO waiters: the first getter waiting gets the first item");
  }));

  it("LifoQueue lets blocked putters in FIFO order", withClock(async (clock) => {
    const q = new LifoQueue<string>(2);
    q.putNowait("a");
    q.putNowait("b");
    const waiting = [q.put("c"), q.put("d")];
    await clock.flush();
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push(await q.get());
    await Promise.all(waiting);
    // get() takes b (top); c, the first waiting put, takes the slot: [a, c]; get() takes c; d
    // enters: [a, d]; then d, then a.
    assert.deepEqual(got, ["b", "c", "d", "a"], "the producer that waited longest enters first");
  }));

  it("LifoQueue tracks qsize(), empty() and full()", withClock(() => {
    const q = new LifoQueue<number>(2);
    assert.deepEqual([q.qsize(), q.empty(), q.full()], [0, true, false], "fresh: [qsize, empty, full]");
    q.putNowait(1);
    q.putNowait(2);
    assert.deepEqual([q.qsize(), q.empty(), q.full()], [2, false, true], "two of two: [qsize, empty, full]");
    throwsWith(() => q.putNowait(3), { name: "QueueFull" }, "putNowait() on a full LifoQueue");
    q.getNowait();
    assert.deepEqual([q.qsize(), q.empty(), q.full()], [1, false, false], "one left: [qsize, empty, full]");
  }));

  it("LifoQueue keeps taskDone(), join() and shutdown() from the base queue", withClock(async (clock) => {
    const q = new LifoQueue<string>();
    q.putNowait("old");
    q.putNowait("new");
    let joined = false;
    void q.join().then(() => (joined = true));
    q.shutdown();
    const seen: string[] = [];
    for await (const item of q) {
      seen.push(item);
      q.taskDone();
    }
    assert.deepEqual(seen, ["new", "old"], "after shutdown() the loop drains the stack, newest first, then ends");
    await clock.flush();
    assert.equal(joined, true, "join() resolves after both taskDone() calls");
    throwsWith(() => q.taskDone(), { name: "RangeError" }, "a third taskDone()");
  }));
});
