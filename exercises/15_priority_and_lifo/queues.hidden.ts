/**
 * Hidden tests for PriorityQueue and LifoQueue: Python's order (smallest first), stable ties,
 * LIFO items with FIFO waiters, and the base queue's behaviour kept (taskDone/join/shutdown).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { QUEUE, seededRandom, throwsWith, watched, withClock } from "../../lib/mod.ts";
import { QueueFull } from "./given_queue.ts";
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

function drain<T>(q: { empty(): boolean; getNowait(): T }): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe("task 1: pythonCompare()", () => {
  it(
    "pythonCompare() orders numbers and strings like Python",
    withClock(() => {
      assert.equal(sign(pythonCompare(1, 2)), -1, "1 < 2");
      assert.equal(sign(pythonCompare(2, 1)), 1, "2 > 1");
      assert.equal(pythonCompare(3, 3), 0, "3 == 3");
      assert.equal(sign(pythonCompare(-1.5, 0)), -1, "-1.5 < 0");
      assert.equal(sign(pythonCompare("apple", "banana")), -1, "'apple' < 'banana'");
      assert.equal(sign(pythonCompare("b", "B")), 1, "'b' > 'B' (by code unit, as in Python)");
      assert.equal(pythonCompare("x", "x"), 0, "'x' == 'x'");
      assert.equal(sign(pythonCompare(true, 2)), -1, "True < 2 (Python's bool is an int)");
    }),
  );

  it(
    "pythonCompare() compares tuples element by element, a shorter prefix first",
    withClock(() => {
      assert.equal(sign(pythonCompare([1, "b"], [2, "a"])), -1, "(1, 'b') < (2, 'a')");
      assert.equal(sign(pythonCompare([1, "b"], [1, "a"])), 1, "(1, 'b') > (1, 'a')");
      assert.equal(
        sign(pythonCompare([1, 2], [1, 2, 0])),
        -1,
        "(1, 2) < (1, 2, 0): a prefix comes first",
      );
      assert.equal(pythonCompare([1, [2, 3]], [1, [2, 3]]), 0, "nested tuples compare too");
      assert.equal(sign(pythonCompare([], [0])), -1, "() < (0,)");
    }),
  );

  it(
    "pythonCompare() throws TypeError for values Python cannot order",
    withClock(() => {
      throwsWith(() => pythonCompare(1, "1"), { name: "TypeError" }, "pythonCompare(1, '1')");
      throwsWith(
        () => pythonCompare({ a: 1 }, { a: 2 }),
        { name: "TypeError" },
        "pythonCompare({...}, {...})",
      );
      throwsWith(
        () => pythonCompare([1, "x"], [1, 2]),
        { name: "TypeError" },
        "pythonCompare((1, 'x'), (1, 2))",
      );
    }),
  );
  it(
    "pythonCompare() treats booleans and bigints as numbers",
    withClock(() => {
      assert.equal(sign(pythonCompare(false, true)), -1, "False < True");
      assert.equal(pythonCompare(true, 1), 0, "True == 1");
      assert.equal(sign(pythonCompare(10n, 9)), 1, "10 > 9 with a bigint on the left");
      assert.equal(sign(pythonCompare(2, 3n)), -1, "2 < 3 with a bigint on the right");
      assert.equal(
        sign(pythonCompare([1n, "a"], [1, "b"])),
        -1,
        "(1, 'a') < (1, 'b') with 1 as a bigint",
      );
    }),
  );

  it(
    "pythonCompare() compares bigints by their exact value and infinities as equal to themselves",
    withClock(() => {
      assert.equal(
        sign(pythonCompare(2n ** 53n + 1n, 2 ** 53)),
        1,
        "2**53 + 1 > float(2**53) in Python: a bigint keeps its exact value (Number() would round it down to 2**53)",
      );
      assert.equal(
        sign(pythonCompare(10n ** 30n, 1e30)),
        -1,
        "10**30 < 1e30 in Python: the float 1e30 is 1000000000000000019884624838656",
      );
      assert.equal(pythonCompare(2n ** 64n, 2n ** 64n), 0, "2**64 == 2**64");
      assert.equal(
        pythonCompare(Infinity, Infinity),
        0,
        `inf == inf: the result must be 0 (a subtraction gives NaN); yours is ${
          pythonCompare(Infinity, Infinity)
        }`,
      );
      assert.equal(sign(pythonCompare(-Infinity, Infinity)), -1, "-inf < inf");
      assert.equal(pythonCompare(-0, 0), 0, "-0.0 == 0.0");
    }),
  );

  it(
    "pythonCompare() counts the very same element of two tuples as equal without comparing it",
    withClock(() => {
      const job = { run() {} };
      const other = { run() {} };
      assert.equal(
        pythonCompare([1, job], [1, job]),
        0,
        "(1, job) == (1, job): Python's tuples check == first, and job == job",
      );
      assert.equal(
        sign(pythonCompare([1, job], [2, other])),
        -1,
        "(1, job) < (2, other): the priorities decide, the jobs are never compared",
      );
      throwsWith(
        () => pythonCompare([1, job], [1, other]),
        { name: "TypeError" },
        "pythonCompare((1, job), (1, other)): two different objects",
      );
      throwsWith(
        () => pythonCompare(job, job),
        { name: "TypeError" },
        "pythonCompare(job, job): outside a tuple Python compares with < at once",
      );
    }),
  );

  it(
    "pythonCompare() throws TypeError for null, undefined and mixed kinds",
    withClock(() => {
      throwsWith(
        () => pythonCompare(null, null),
        { name: "TypeError" },
        "pythonCompare(null, null) (Python: None < None)",
      );
      throwsWith(
        () => pythonCompare(undefined, 1),
        { name: "TypeError" },
        "pythonCompare(undefined, 1)",
      );
      throwsWith(
        () => pythonCompare("a", ["a"]),
        { name: "TypeError" },
        "pythonCompare('a', ('a',))",
      );
      throwsWith(
        () => pythonCompare(["1"], [1]),
        { name: "TypeError" },
        "pythonCompare(('1',), (1,))",
      );
      throwsWith(
        () => pythonCompare([1], 1),
        { name: "TypeError" },
        "pythonCompare((1,), 1) (Python: a tuple and an int)",
      );
      throwsWith(
        () => pythonCompare([], {}),
        { name: "TypeError" },
        "pythonCompare((), {}) (an array and an object)",
      );
      assert.equal(pythonCompare([], []), 0, "() == ()");
    }),
  );
});

describe("task 2: PriorityQueue", () => {
  it(
    "PriorityQueue hands out the smallest item first, not the highest",
    withClock(() => {
      const q = new PriorityQueue<number>();
      for (const n of [5, 1, 4, 2, 3]) q.putNowait(n);
      assert.deepEqual(
        drain(q),
        [1, 2, 3, 4, 5],
        "Python's PriorityQueue is a min-heap: lowest value first",
      );
    }),
  );

  it(
    "PriorityQueue returns equal items in FIFO order even when others interleave",
    withClock(() => {
      const q = new PriorityQueue<{ p: number; id: number }>(0, (a, b) => a.p - b.p);
      const ps = [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];
      ps.forEach((p, id) => q.putNowait({ p, id }));
      const got = drain(q).map((e) => `${e.p}:${e.id}`);
      assert.deepEqual(
        got,
        ["1:1", "1:3", "1:5", "1:7", "1:9", "1:11", "2:0", "2:2", "2:4", "2:6", "2:8", "2:10"],
        "within one priority, items come out in the order they were put (a plain heap does not keep this)",
      );
    }),
  );

  it(
    "PriorityQueue uses a custom compare function",
    withClock(() => {
      const q = new PriorityQueue<string>(0, (a, b) => b.length - a.length);
      for (const s of ["aa", "a", "aaaa", "aaa"]) q.putNowait(s);
      assert.deepEqual(
        drain(q),
        ["aaaa", "aaa", "aa", "a"],
        "compare says longer strings come first",
      );
    }),
  );

  it(
    "PriorityQueue stays ordered over many random puts and gets",
    withClock(() => {
      const random = seededRandom(7);
      const q = new PriorityQueue<number>();
      const model: number[] = [];
      for (let step = 0; step < 500; step++) {
        if (model.length > 0 && random() < 0.4) {
          model.sort((a, b) => a - b);
          const expected = model.shift();
          const got = q.getNowait();
          assert.equal(
            got,
            expected,
            `step ${step}: getNowait() must return the smallest of the ${
              model.length + 1
            } items held`,
          );
        } else {
          const n = Math.floor(random() * 50);
          model.push(n);
          q.putNowait(n);
        }
        assert.equal(q.qsize(), model.length, `step ${step}: qsize()`);
      }
    }),
  );

  it(
    "PriorityQueue respects maxsize and lets waiting producers in first come, first served",
    withClock(async (clock) => {
      const q = new PriorityQueue<number>(2);
      q.putNowait(5);
      q.putNowait(7);
      throwsWith(
        () => q.putNowait(1),
        { name: "QueueFull", instanceOf: QueueFull },
        "putNowait() on a full PriorityQueue",
      );
      const waiting = [q.put(9), q.put(1)];
      await clock.flush();
      assert.equal(
        q.getNowait(),
        5,
        "the smallest item held comes out; the slot goes to the first waiting put() (9)",
      );
      assert.equal(q.getNowait(), 7, "7 < 9; the slot goes to the second waiting put() (1)");
      await Promise.all(waiting);
      assert.deepEqual(
        drain(q),
        [1, 9],
        "both waiting items entered and come out in priority order",
      );
    }),
  );

  it(
    "PriorityQueue: a woken consumer takes the smallest item when it resumes, oldest consumer first",
    withClock(async (clock) => {
      const q = new PriorityQueue<number>();
      const got: string[] = [];
      const consumers = ["c1", "c2"].map((name) => q.get().then((n) => got.push(`${name}:${n}`)));
      await clock.sleep(10);
      q.putNowait(8);
      q.putNowait(3);
      await Promise.all(consumers);
      assert.deepEqual(
        got,
        ["c1:3", "c2:8"],
        "both items arrive before c1 resumes; c1, the oldest consumer, then takes the smallest (as CPython's get() does)",
      );
    }),
  );

  it(
    "PriorityQueue keeps equal items first in, first out across interleaved puts and gets",
    withClock(() => {
      const random = seededRandom(3);
      const q = new PriorityQueue<{ p: number; id: number }>(0, (a, b) => a.p - b.p);
      const model: { p: number; id: number }[] = [];
      let id = 0;
      for (let step = 0; step < 400; step++) {
        if (model.length > 0 && random() < 0.45) {
          const best = model.reduce((m, e) => (e.p < m.p || (e.p === m.p && e.id < m.id) ? e : m));
          model.splice(model.indexOf(best), 1);
          const got = q.getNowait();
          assert.deepEqual(
            got,
            best,
            `step ${step}: the smallest priority, and among equals the one put first`,
          );
        } else {
          const entry = { p: Math.floor(random() * 3), id: id++ };
          model.push(entry);
          q.putNowait(entry);
        }
      }
    }),
  );

  it(
    "PriorityQueue orders bigint and boolean priorities like numbers",
    withClock(() => {
      const q = new PriorityQueue<[bigint | boolean | number, string]>();
      q.putNowait([3n, "c"]);
      q.putNowait([true, "b"]);
      q.putNowait([0, "a"]);
      q.putNowait([2, "x"]);
      assert.deepEqual(drain(q).map(([, s]) => s), ["a", "b", "x", "c"], "0 < True (1) < 2 < 3n");
    }),
  );

  it(
    "PriorityQueue with maxsize 1 holds one item and hands it out",
    withClock(() => {
      const q = new PriorityQueue<number>(1);
      q.putNowait(4);
      assert.deepEqual([q.qsize(), q.full()], [1, true], "[qsize, full] with one item of 1");
      throwsWith(
        () => q.putNowait(1),
        { name: "QueueFull" },
        "putNowait() on a full PriorityQueue(1)",
      );
      assert.equal(q.getNowait(), 4, "the only item");
      assert.deepEqual(
        [q.qsize(), q.empty(), q.full()],
        [0, true, false],
        "[qsize, empty, full] once it is taken",
      );
    }),
  );
});

describe("task 3: LifoQueue", () => {
  it(
    "LifoQueue hands out the newest item first",
    withClock(() => {
      const q = new LifoQueue<number>();
      for (const n of [1, 2, 3, 4]) q.putNowait(n);
      assert.equal(q.getNowait(), 4, "the last item put comes out first");
      q.putNowait(5);
      assert.deepEqual(drain(q), [5, 3, 2, 1], "then the newest remaining each time");
    }),
  );

  it(
    "LifoQueue: three items put before the woken getters run go out newest first, oldest getter first",
    withClock(async (clock) => {
      const q = new LifoQueue<string>();
      const got: string[] = [];
      const getters = ["g1", "g2", "g3"].map((g) =>
        q.get().then((item) => got.push(`${g}:${item}`))
      );
      await clock.sleep(5);
      for (const item of ["a", "b", "c"]) q.putNowait(item);
      assert.equal(q.qsize(), 0, "all three items are promised to the three waiting getters");
      await Promise.all(getters);
      assert.deepEqual(
        got,
        ["g1:c", "g2:b", "g3:a"],
        "g1 waited longest and resumes first; it takes the top of the stack then (as CPython's LifoQueue does)",
      );
    }),
  );

  it(
    "LifoQueue lets blocked putters in FIFO order",
    withClock(async (clock) => {
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
    }),
  );

  it(
    "LifoQueue keeps taskDone(), join() and shutdown() from the base queue",
    withClock(async (clock) => {
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
      assert.deepEqual(
        seen,
        ["new", "old"],
        "after shutdown() the loop drains the stack, newest first, then ends",
      );
      await clock.flush();
      assert.equal(joined, true, "join() resolves after both taskDone() calls");
      throwsWith(() => q.taskDone(), { name: "RangeError" }, "a third taskDone()");
    }),
  );
  it(
    "LifoQueue keeps duplicate items",
    withClock(() => {
      const q = new LifoQueue<string>();
      for (const s of ["a", "a", "b", "a"]) q.putNowait(s);
      assert.deepEqual(drain(q), ["a", "b", "a", "a"], "every copy comes out, newest first");
    }),
  );
});
