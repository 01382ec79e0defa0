/**
 * Visible tests for PriorityQueue and LifoQueue: run them with
 * `bun test exercises/15_priority_and_lifo` or `deno test exercises/15_priority_and_lifo`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { QUEUE, rejectsWith, throwsWith, watched, withClock } from "../../lib/mod.ts";
import { QueueShutDown } from "./given_queue.ts";
import {
  LifoQueue as LearnerLifoQueue,
  PriorityQueue as LearnerPriorityQueue,
  pythonCompare,
} from "./queues.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const LifoQueue = watched(LearnerLifoQueue, QUEUE);
type LifoQueue<T> = LearnerLifoQueue<T>;
const PriorityQueue = watched(LearnerPriorityQueue, QUEUE);
type PriorityQueue<T> = LearnerPriorityQueue<T>;

const sign = (n: number) => Math.sign(n);

/** Takes every item a newcomer could take now. */
function drain<T>(q: { empty(): boolean; getNowait(): T }): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe("task 1: pythonCompare()", () => {
  it(
    "pythonCompare() orders tuples by their first element, then the next",
    withClock(() => {
      assert.ok(
        pythonCompare([1, "write"], [2, "read"]) < 0,
        "(1, 'write') < (2, 'read') in Python: the priority decides",
      );
      assert.ok(
        pythonCompare([1, "b"], [1, "a"]) > 0,
        "(1, 'b') > (1, 'a'): equal priorities, so the next element decides",
      );
      assert.ok(pythonCompare(10, 9) > 0, "10 > 9: numbers compare by value, not as text");
      throwsWith(
        () => pythonCompare(1, "1"),
        { name: "TypeError" },
        "pythonCompare(1, '1'), which Python refuses too",
      );
    }),
  );

  it(
    "pythonCompare() compares numbers by value, never as text",
    withClock(() => {
      assert.equal(sign(pythonCompare(10, 9)), 1, "10 > 9 (as text, '10' < '9')");
      assert.equal(sign(pythonCompare([10, "a"], [9, "z"])), 1, "(10, 'a') > (9, 'z')");
      assert.equal(sign(pythonCompare(100, 20)), 1, "100 > 20");
    }),
  );
});

describe("task 2: PriorityQueue", () => {
  it(
    "PriorityQueue.getNowait() returns the smallest item first",
    withClock(() => {
      const q = new PriorityQueue<[number, string]>();
      q.putNowait([3, "low"]);
      q.putNowait([1, "urgent"]);
      q.putNowait([2, "normal"]);
      const got = [q.getNowait(), q.getNowait(), q.getNowait()].map(([, task]) => task);
      assert.deepEqual(
        got,
        ["urgent", "normal", "low"],
        "priority 1 first: Python's PriorityQueue hands out the SMALLEST entry",
      );
    }),
  );

  it(
    "PriorityQueue returns items of equal priority first in, first out",
    withClock(() => {
      const q = new PriorityQueue<{ p: number; name: string }>(0, (a, b) => a.p - b.p);
      for (const name of ["a", "b", "c", "d", "e"]) q.putNowait({ p: 1, name });
      const got: string[] = [];
      while (!q.empty()) got.push(q.getNowait().name);
      assert.deepEqual(
        got,
        ["a", "b", "c", "d", "e"],
        "equal items come out in the order they were put",
      );
    }),
  );

  it(
    "PriorityQueue keeps taskDone(), join() and shutdown() from the base queue",
    withClock(async (clock) => {
      const q = new PriorityQueue<number>();
      q.putNowait(3);
      q.putNowait(1);
      q.putNowait(2);
      let joined = false;
      const joining = q.join().then(() => (joined = true));
      q.shutdown();
      await rejectsWith(
        q.put(0),
        { name: "QueueShutDown", instanceOf: QueueShutDown },
        "put() after shutdown()",
      );
      assert.equal(await q.get(), 1, "after shutdown() the remaining items drain, smallest first");
      q.taskDone();
      q.shutdown(true);
      assert.equal(q.qsize(), 0, "shutdown(true) drops the rest");
      await joining;
      assert.equal(
        joined,
        true,
        "join() resolves: one item done, two dropped (each counts as done)",
      );
      await rejectsWith(q.get(), { name: "QueueShutDown" }, "get() on the shut-down, empty queue");
      assert.equal(clock.now(), 0, "nothing here waits on a timer");
    }),
  );

  it(
    "PriorityQueue orders [priority, data] tuples like Python",
    withClock(() => {
      const q = new PriorityQueue<[number, string]>();
      for (
        const entry of [[2, "b"], [1, "z"], [2, "a"], [10, "x"], [9, "y"]] as [number, string][]
      ) q.putNowait(entry);
      assert.deepEqual(
        drain(q),
        [[1, "z"], [2, "a"], [2, "b"], [9, "y"], [10, "x"]],
        "by priority, then by data, numbers by value",
      );
    }),
  );
});

describe("task 3: LifoQueue", () => {
  it(
    "LifoQueue.getNowait() returns the newest item first",
    withClock(() => {
      const q = new LifoQueue<string>();
      for (const s of ["a", "b", "c"]) q.putNowait(s);
      assert.deepEqual(
        [q.getNowait(), q.getNowait(), q.getNowait()],
        ["c", "b", "a"],
        "last in, first out",
      );
    }),
  );

  it(
    "LifoQueue serves waiting consumers first come, first served",
    withClock(async (clock) => {
      const q = new LifoQueue<string>();
      const got: string[] = [];
      const consumers = ["c1", "c2", "c3"].map((name) =>
        q.get().then((item) => got.push(`${name}:${item}`))
      );
      for (const item of ["x", "y", "z"]) {
        await clock.sleep(10);
        q.putNowait(item);
      }
      await Promise.all(consumers);
      assert.deepEqual(
        got,
        ["c1:x", "c2:y", "c3:z"],
        "LIFO is about items; the consumer that waited longest is still served first",
      );
    }),
  );

  it(
    "LifoQueue tracks qsize(), empty() and full()",
    withClock(() => {
      const q = new LifoQueue<number>(2);
      assert.deepEqual(
        [q.qsize(), q.empty(), q.full()],
        [0, true, false],
        "fresh: [qsize, empty, full]",
      );
      q.putNowait(1);
      q.putNowait(2);
      assert.deepEqual(
        [q.qsize(), q.empty(), q.full()],
        [2, false, true],
        "two of two: [qsize, empty, full]",
      );
      throwsWith(() => q.putNowait(3), { name: "QueueFull" }, "putNowait() on a full LifoQueue");
      q.getNowait();
      assert.deepEqual(
        [q.qsize(), q.empty(), q.full()],
        [1, false, false],
        "one left: [qsize, empty, full]",
      );
    }),
  );
});
