/**
 * Visible tests for PriorityQueue and LifoQueue: run them with
 * `bun test exercises/15_priority_and_lifo` or `deno test exercises/15_priority_and_lifo`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { throwsWith, withClock } from "../../lib/mod.ts";
import { LifoQueue, PriorityQueue, pythonCompare } from "./queues.ts";

describe("task 1: pythonCompare()", () => {
  it("pythonCompare() orders tuples by their first element, then the next", withClock(() => {
    assert.ok(pythonCompare([1, "write"], [2, "read"]) < 0, "(1, 'write') < (2, 'read') in Python: the priority decides");
    assert.ok(pythonCompare([1, "b"], [1, "a"]) > 0, "(1, 'b') > (1, 'a'): equal priorities, so the next element decides");
    assert.ok(pythonCompare(10, 9) > 0, "10 > 9: numbers compare by value, not as text");
    throwsWith(() => pythonCompare(1, "1"), { name: "TypeError" }, "pythonCompare(1, '1'), which Python refuses too");
  }));
});

describe("task 2: PriorityQueue", () => {
  it("PriorityQueue.getNowait() returns the smallest item first", withClock(() => {
    const q = new PriorityQueue<[number, string]>();
    q.putNowait([3, "low"]);
    q.putNowait([1, "urgent"]);
    q.putNowait([2, "normal"]);
    const got = [q.getNowait(), q.getNowait(), q.getNowait()].map(([, task]) => task);
    assert.deepEqual(got, ["urgent", "normal", "low"], "priority 1 first: Python's PriorityQueue hands out the SMALLEST entry");
  }));

  it("PriorityQueue returns items of equal priority first in, first out", withClock(() => {
    const q = new PriorityQueue<{ p: number; name: string }>(0, (a, b) => a.p - b.p);
    for (const name of ["a", "b", "c", "d", "e"]) q.putNowait({ p: 1, name });
    const got: string[] = [];
    while (!q.empty()) got.push(q.getNowait().name);
    assert.deepEqual(got, ["a", "b", "c", "d", "e"], "equal items come out in the order they were put");
  }));
});

describe("task 3: LifoQueue", () => {
  it("LifoQueue.getNowait() returns the newest item first", withClock(() => {
    const q = new LifoQueue<string>();
    for (const s of ["a", "b", "c"]) q.putNowait(s);
    assert.deepEqual([q.getNowait(), q.getNowait(), q.getNowait()], ["c", "b", "a"], "last in, first out");
  }));

  it("LifoQueue serves waiting consumers first come, first served", withClock(async (clock) => {
    const q = new LifoQueue<string>();
    const got: string[] = [];
    const consumers = ["c1", "c2", "c3"].map((name) => q.get().then((item) => got.push(`${name}:${item}`)));
    await clock.sleep(10);
    q.putNowait("x");
    q.putNowait("y");
    q.putNowait("z");
    await Promise.all(consumers);
    assert.deepEqual(got, ["c1:x", "c2:y", "c3:z"], "LIFO is about items; the consumer that waited longest is still served first");
  }));
});
