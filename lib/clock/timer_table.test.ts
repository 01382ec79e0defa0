// TimerTable: one run's timers (schedule, clear, fire one at a time), its trace, pending list,
// whole-ms advance and the runaway checks.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RunawayError } from "../mod.ts";
import { TimerTable } from "./timer_table.ts";

const EPOCH = 1_000_000;
const table = (limits: Partial<{ maxTimers: number; maxVirtualMs: number }> = {}) =>
  new TimerTable(EPOCH, { maxTimers: 1000, maxVirtualMs: 1e9, shuffleSeed: undefined, ...limits });
const lineOf = (e: Error) => Number(/timer_table\.test\.ts:(\d+)/.exec(e.stack ?? "")?.[1]);
const fireAll = (t: TimerTable) => {
  while (t.nextDue() !== undefined) t.fireNext();
};

describe("TimerTable", () => {
  it("TimerTable starts at 0 on its epoch with nothing pending", () => {
    const t = table();
    assert.deepEqual([t.now(), t.wallNow(), t.fired, t.hasTimers], [0, EPOCH, 0, false]);
    assert.deepEqual([t.pending(), t.trace(), t.nextDue()], [[], [], undefined]);
    assert.equal(t.scheduleRecord(), undefined, "no shuffle seed: creation order, no record");
    assert.equal(t.busiest(), "");
  });

  it("TimerTable.schedule() queues a timer; pending() names kind, delay, due time and its line", () => {
    const t = table();
    t.schedule("setTimeout", () => {}, 300, []);
    const line = lineOf(new Error()); // the timeout is on the line above, the interval below
    t.schedule("setInterval", () => {}, 100, []);
    assert.equal(t.hasTimers, true);
    assert.equal(t.nextDue(), EPOCH + 100);
    assert.deepEqual(t.pending(), [
      {
        kind: "setInterval",
        delay: 100,
        dueAt: 100,
        origin: `lib/clock/timer_table.test.ts:${line + 1}`,
      },
      {
        kind: "setTimeout",
        delay: 300,
        dueAt: 300,
        origin: `lib/clock/timer_table.test.ts:${line - 1}`,
      },
    ]);
  });

  it("TimerTable.schedule() reads a negative, NaN or numeric-string delay as sinon does", () => {
    const t = table();
    t.schedule("setTimeout", () => {}, -50, []);
    t.schedule("setTimeout", () => {}, NaN, []);
    t.schedule("setTimeout", () => {}, "20" as unknown as number, []);
    assert.deepEqual(t.pending().map((p) => [p.delay, p.dueAt]), [[0, 0], [0, 0], [20, 20]]);
  });

  it("TimerTable.fireNext() fires one timer: time moves to it, args passed, trace and count kept", () => {
    const t = table();
    const got: unknown[] = [];
    t.schedule("setTimeout", (...args: unknown[]) => got.push(args), 50, ["a", 1]);
    t.schedule("setTimeout", () => got.push("second"), 50, []);
    t.fireNext();
    assert.deepEqual(got, [["a", 1]], "only one timer fires");
    assert.deepEqual([t.now(), t.wallNow(), t.fired], [50, EPOCH + 50, 1]);
    t.fireNext();
    assert.deepEqual(got, [["a", 1], "second"]);
    assert.deepEqual(t.trace().map((e) => [e.at, e.kind, e.delay]), [
      [50, "setTimeout", 50],
      [50, "setTimeout", 50],
    ]);
    assert.match(t.trace()[0].origin, /^lib\/clock\/timer_table\.test\.ts:\d+$/);
    assert.equal(t.hasTimers, false);
    t.fireNext();
    assert.equal(t.fired, 2, "with nothing pending, fireNext() does nothing");
  });

  it("TimerTable: a timer scheduled inside a callback waits at least 1 ms; after it, none does", () => {
    const t = table();
    t.schedule("setTimeout", () => t.schedule("setTimeout", () => {}, 0, []), 10, []);
    t.fireNext();
    assert.deepEqual(t.pending().map((p) => p.dueAt), [11]);
    t.schedule("setTimeout", () => {}, 0, []);
    assert.equal(t.nextDue(), EPOCH + 10, "outside a callback, 0 ms is now");
  });

  it("TimerTable.fireNext() lets a callback's error through and is no longer firing after it", () => {
    const t = table();
    t.schedule(
      "setTimeout",
      () => {
        throw new Error("callback failed");
      },
      5,
      [],
    );
    assert.throws(() => t.fireNext(), /callback failed/);
    assert.equal(t.fired, 1);
    t.schedule("setTimeout", () => {}, 0, []);
    assert.equal(t.nextDue(), EPOCH + 5);
  });

  it("TimerTable: an interval re-arms at each period and stays pending", () => {
    const t = table();
    let n = 0;
    t.schedule("setInterval", () => n++, 30, []);
    for (let i = 0; i < 3; i++) t.fireNext();
    assert.equal(n, 3);
    assert.deepEqual(t.trace().map((e) => e.at), [30, 60, 90]);
    assert.deepEqual(t.pending().map((p) => [p.kind, p.dueAt]), [["setInterval", 120]]);
  });

  it("TimerTable.clear() cancels a timer by handle; unknown handles are ignored", () => {
    const t = table();
    let fired = false;
    const h = t.schedule("setTimeout", () => (fired = true), 10, []);
    t.schedule("setTimeout", () => {}, 20, []);
    assert.equal(t.owns(h), true);
    assert.equal(t.owns(12345), false);
    const before = t.activity;
    t.clear(h);
    assert.ok(t.activity > before, "a clear counts as activity");
    t.clear(h);
    t.clear(999);
    t.clear(undefined);
    assert.deepEqual(t.pending().map((p) => p.delay), [20]);
    fireAll(t);
    assert.equal(fired, false);
    assert.deepEqual(t.trace().map((e) => e.delay), [20]);
  });

  it("TimerTable.owns() tells this table's handles from another table's", () => {
    const a = table(), b = table();
    const h = a.schedule("setTimeout", () => {}, 1, []);
    assert.equal(a.owns(h), true);
    assert.equal(b.owns(h), false);
    b.clear(h);
    assert.equal(a.pending().length, 1, "another table's clear leaves it alone");
  });

  it("TimerTable.fireNext() refuses a timer past maxVirtualMs with a RunawayError", () => {
    const t = table({ maxVirtualMs: 1000 });
    t.schedule("setTimeout", () => {}, 1000, []);
    t.schedule("setTimeout", () => {}, 1001, []);
    t.fireNext();
    assert.throws(() => t.fireNext(), {
      name: "RunawayError",
      message:
        /^virtual-time budget exceeded: the next timer is due at t=1001 ms, past the budget of 1000 ms\. Most frequent recent timer: setTimeout\(1000\) at lib\/clock\/timer_table\.test\.ts:\d+ \(1 of the last 1\)\.$/,
    });
  });

  it("TimerTable.fireNext() stops after maxTimers with a RunawayError naming the busiest timer", () => {
    const t = table({ maxTimers: 5 });
    t.schedule("setInterval", () => {}, 10, []);
    t.schedule("setTimeout", () => {}, 15, []);
    for (let i = 0; i < 5; i++) t.fireNext();
    assert.throws(() => t.fireNext(), RunawayError);
    assert.throws(() => t.fireNext(), {
      message:
        /^runaway: 5 timers fired by t=40 ms and they keep coming .* Most frequent recent timer: setInterval\(10\) at lib\/clock\/timer_table\.test\.ts:\d+ \(4 of the last 5\)\.$/,
    });
    assert.equal(t.fired, 5);
  });

  it("TimerTable.advanceTarget() moves in whole ms and carries the fraction to the next advance", () => {
    const t = table();
    assert.equal(t.advanceTarget(0.5), EPOCH);
    assert.equal(t.advanceTarget(0.5), EPOCH + 1);
    assert.equal(t.advanceTarget(2.3), EPOCH + 2);
    assert.equal(t.advanceTarget(0.7), EPOCH + 1);
    assert.equal(t.advanceTarget(Infinity), Infinity);
    assert.equal(t.now(), 0, "computing a target moves nothing");
  });

  it("TimerTable.tickTo() moves time forward only", () => {
    const t = table();
    t.tickTo(EPOCH + 500);
    assert.equal(t.now(), 500);
    t.tickTo(EPOCH + 100);
    assert.equal(t.now(), 500);
  });

  it("TimerTable with a shuffle seed keeps a schedule record with that seed", () => {
    const t = new TimerTable(EPOCH, { maxTimers: 10, maxVirtualMs: 1e9, shuffleSeed: 7 });
    t.schedule("setTimeout", () => {}, 10, []);
    t.fireNext();
    assert.deepEqual(t.scheduleRecord(), { seed: 7, choices: 0, total: 0, swaps: [] });
  });

  it("TimerTable.clearAll() forgets every timer", () => {
    const t = table();
    t.schedule("setTimeout", () => {}, 10, []);
    t.schedule("setImmediate", () => {}, 0, []);
    t.clearAll();
    assert.deepEqual([t.hasTimers, t.pending(), t.nextDue()], [false, [], undefined]);
  });
});
