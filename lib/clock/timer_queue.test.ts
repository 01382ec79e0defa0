// The clock's timer queue: sinon's delay rules, its firing order (due time, immediates first,
// then arming order), stale entries dropped, handles like each runtime's.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { seededRandom } from "../mod.ts";
import { VIRTUAL_ID_START } from "./globals.ts";
import type { TimerKind } from "./host.ts";
import { handleFor, makeTimer, Origin, type Timer, TimerHeap } from "./timer_queue.ts";

const here = new Origin(new Error());
const make = (kind: TimerKind, delay: number, args: unknown[] = []) =>
  makeTimer(kind, () => {}, delay, args, here);
/** Arms each [kind, callAt] in turn; returns the timers. */
function armAll(heap: TimerHeap, specs: [TimerKind, number][]): Timer[] {
  return specs.map(([kind, at]) => {
    const t = make(kind, 0);
    heap.arm(t, at);
    return t;
  });
}
const drain = (heap: TimerHeap, all: Timer[]) => {
  const out: number[] = [];
  for (let t = heap.pop(); t; t = heap.pop()) out.push(all.indexOf(t));
  return out;
};

describe("Origin", () => {
  it("Origin.toString() is the creation site as path:line", () => {
    const origin = new Origin(new Error());
    const line = Number(/timer_queue\.test\.ts:(\d+)/.exec(new Error().stack ?? "")?.[1]) - 1;
    assert.equal(String(origin), `lib/clock/timer_queue.test.ts:${line}`);
  });

  it("Origin.toString() falls back to the firing timer's origin when no frame qualifies", () => {
    const lost = Object.assign(new Error(), { stack: "Error\n    at node:test:1:1" });
    const outer = Object.assign(new Error(), { stack: "Error\n    at f (/w/outer.ts:4:2)" });
    assert.equal(String(new Origin(lost, new Origin(outer))), "/w/outer.ts:4");
    assert.equal(String(new Origin(lost)), "unknown");
  });

  it("Origin.toString() works the site out once: a later change of the stack changes nothing", () => {
    const error = Object.assign(new Error(), { stack: "Error\n    at f (/w/a.ts:1:1)" });
    const origin = new Origin(error);
    assert.equal(origin.toString(), "/w/a.ts:1");
    error.stack = "Error\n    at f (/w/b.ts:2:1)";
    assert.equal(origin.toString(), "/w/a.ts:1");
  });
});

describe("makeTimer()", () => {
  it("makeTimer() gives virtual ids above the real ones, increasing, and a fresh, live timer", () => {
    const cb = () => {};
    const a = makeTimer("setTimeout", cb, 25, [1, 2], here);
    const b = make("setTimeout", 0);
    assert.ok(a.id >= VIRTUAL_ID_START);
    assert.ok(b.id > a.id);
    assert.equal(a.cb, cb);
    assert.deepEqual(a.args, [1, 2]);
    assert.equal(a.origin, here);
    assert.deepEqual(
      [a.kind, a.delay, a.armDelay, a.interval, a.immediate, a.callAt, a.order, a.gen, a.live],
      ["setTimeout", 25, 25, undefined, false, 0, 0, 0, true],
    );
  });

  it("makeTimer() arms delays as sinon does: NaN and negatives 0, past 2^31 - 1 is 1 ms", () => {
    const arm = (d: number) => make("setTimeout", d).armDelay;
    assert.deepEqual([arm(NaN), arm(-5), arm(Infinity), arm(2 ** 31 - 1), arm(2 ** 31)], [
      0,
      0,
      0,
      2 ** 31 - 1,
      1,
    ]);
    assert.equal(make("setTimeout", NaN).delay, NaN, "the trace keeps the delay as given");
  });

  it("makeTimer() setInterval: whole-ms period; NaN or past 2^31 - 1 is a 1 ms period", () => {
    const iv = (d: number) => {
      const t = make("setInterval", d);
      return [t.armDelay, t.interval];
    };
    assert.deepEqual(iv(10.9), [10, 10]);
    assert.deepEqual(iv(0), [0, 0]);
    assert.deepEqual(iv(NaN), [0, 1]);
    assert.deepEqual(iv(2 ** 31), [1, 1]);
  });

  it("makeTimer() marks only setImmediate as immediate, and only setInterval as periodic", () => {
    const kinds: TimerKind[] = ["setTimeout", "setInterval", "setImmediate", "AbortSignal.timeout"];
    assert.deepEqual(kinds.map((k) => make(k, 5).immediate), [false, false, true, false]);
    assert.deepEqual(kinds.map((k) => make(k, 5).interval), [undefined, 5, undefined, undefined]);
  });
});

describe("TimerHeap", () => {
  it("TimerHeap.dueAt() cuts fractions; a timer armed while another fires waits at least 1 ms", () => {
    const heap = new TimerHeap();
    const due = (kind: TimerKind, d: number, firing: boolean) =>
      heap.dueAt(make(kind, d), 1000, firing);
    assert.equal(due("setTimeout", 1.7, false), 1001);
    assert.equal(due("setTimeout", 0.5, false), 1000);
    assert.equal(due("setTimeout", 0.5, true), 1001);
    assert.equal(due("setTimeout", 0, true), 1001);
    assert.equal(due("setTimeout", 30, true), 1030);
    assert.equal(due("setImmediate", 30, false), 1000, "an immediate ignores its delay");
    assert.equal(due("setImmediate", 0, true), 1001);
  });

  it("TimerHeap.pop() fires by due time, immediates first, then arming order", () => {
    const heap = new TimerHeap();
    const all = armAll(heap, [
      ["setTimeout", 20],
      ["setTimeout", 10],
      ["setImmediate", 10],
      ["setInterval", 10],
      ["setTimeout", 5],
      ["setImmediate", 10],
    ]);
    assert.deepEqual(drain(heap, all), [4, 2, 5, 1, 3, 0]);
    assert.equal(heap.pop(), undefined, "an empty heap pops undefined");
  });

  it("TimerHeap.peek() shows the next timer without removing it", () => {
    const heap = new TimerHeap();
    assert.equal(heap.peek(), undefined);
    const [a, b] = armAll(heap, [["setTimeout", 7], ["setTimeout", 3]]);
    assert.equal(heap.peek(), b);
    assert.equal(heap.peek(), b);
    assert.equal(heap.pop(), b);
    assert.equal(heap.peek(), a);
  });

  it("TimerHeap.arm() again re-queues a timer at its new time and last in its instant's order", () => {
    const heap = new TimerHeap();
    const all = armAll(heap, [["setTimeout", 10], ["setTimeout", 10], ["setTimeout", 50]]);
    heap.arm(all[0], 10);
    heap.arm(all[2], 1);
    assert.deepEqual(drain(heap, all), [2, 1, 0], "each timer fires once, at its latest place");
  });

  it("TimerHeap skips timers no longer live or whose generation moved on (cleared)", () => {
    const heap = new TimerHeap();
    const all = armAll(heap, [["setTimeout", 1], ["setTimeout", 2], ["setTimeout", 3]]);
    all[0].live = false;
    all[1].gen++;
    assert.deepEqual(drain(heap, all), [2]);
  });

  it("TimerHeap.putBack() returns a popped timer to its old place", () => {
    const heap = new TimerHeap();
    const all = armAll(heap, [["setTimeout", 10], ["setTimeout", 10], ["setTimeout", 10]]);
    const first = heap.pop()!;
    const second = heap.pop()!;
    heap.putBack(second);
    heap.putBack(first);
    assert.deepEqual(drain(heap, all), [0, 1, 2]);
  });

  it("TimerHeap.clear() forgets every entry", () => {
    const heap = new TimerHeap();
    armAll(heap, [["setTimeout", 1], ["setImmediate", 0]]);
    heap.clear();
    assert.equal(heap.peek(), undefined);
  });

  it("TimerHeap orders 500 seeded random timers as a stable sort by (due, immediate, arming)", () => {
    const random = seededRandom(11);
    const heap = new TimerHeap();
    const specs: [TimerKind, number][] = Array.from({ length: 500 }, () => [
      random() < 0.2 ? "setImmediate" : "setTimeout",
      Math.floor(random() * 20),
    ]);
    const all = armAll(heap, specs);
    const expected = specs.map((s, i) => ({ at: s[1], imm: s[0] === "setImmediate" ? 0 : 1, i }))
      .sort((x, y) => x.at - y.at || x.imm - y.imm || x.i - y.i).map((x) => x.i);
    assert.deepEqual(drain(heap, all), expected);
  });
});

describe("handleFor()", () => {
  it("handleFor() gives the bare id where handles are numbers (Deno)", () => {
    const t = make("setTimeout", 5);
    assert.equal(handleFor(t, false, () => {}), t.id);
  });

  it("handleFor() gives an object like Node's Timeout: ref/unref/hasRef/refresh, id as primitive", () => {
    const t = make("setTimeout", 5);
    let refreshed = 0;
    const h = handleFor(t, true, () => refreshed++) as {
      ref(): unknown;
      unref(): unknown;
      hasRef(): boolean;
      refresh(): unknown;
    };
    assert.equal(typeof h, "object");
    assert.equal(Number(h), t.id);
    assert.equal(`${h}`, String(t.id));
    assert.equal(h.hasRef(), true);
    assert.equal(h.unref(), h);
    assert.equal(h.hasRef(), false);
    assert.equal(h.ref(), h);
    assert.equal(h.hasRef(), true);
    assert.equal(h.refresh(), h);
    assert.equal(refreshed, 1);
  });
});
