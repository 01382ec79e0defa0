/**
 * Hidden tests for the flow-controlled buffer: exact marks (above high, at or below low), one
 * event per transition, no flapping, drain() semantics, readers, aborts and pump().
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { FlowControlledBuffer, pump } from "./buffer.ts";

function recorded(opts: { high?: number; low?: number }) {
  const rec = new EventRecorder();
  const buffer = new FlowControlledBuffer<number>({
    ...opts,
    onPause: () => rec.record("pause"),
    onResume: () => rec.record("resume"),
  });
  return { rec, buffer };
}

function watch(promise: Promise<unknown>) {
  const w = { settled: false };
  promise.then(() => (w.settled = true), () => (w.settled = true));
  return w;
}

describe("task 1: the marks", () => {
  it("new FlowControlledBuffer() rejects invalid marks with RangeError", withClock(() => {
    const bad = [{ high: 2, low: 3 }, { high: 4, low: -1 }, { high: -1 }, { high: Number.NaN }, { high: 4.5, low: 1 }, { low: 0.5 }];
    for (const opts of bad) {
      throwsWith(() => new FlowControlledBuffer(opts), { name: "RangeError" }, `new FlowControlledBuffer(${JSON.stringify(opts)})`);
    }
  }));

  it("new FlowControlledBuffer() accepts low equal to high, as asyncio does", withClock(() => {
    const buffer = new FlowControlledBuffer({ high: 3, low: 3 });
    assert.deepEqual([buffer.high, buffer.low], [3, 3], "high >= low >= 0 is the rule; equal marks are allowed");
    const zero = new FlowControlledBuffer({ high: 0, low: 0 });
    assert.deepEqual([zero.high, zero.low], [0, 0], "high 0, low 0: pause on the first buffered item");
  }));

  it("new FlowControlledBuffer() fills in missing marks like asyncio", withClock(() => {
    const none = new FlowControlledBuffer();
    assert.deepEqual([none.high, none.low], [16, 4], "no marks: high 16, low high/4");
    const onlyHigh = new FlowControlledBuffer({ high: 10 });
    assert.deepEqual([onlyHigh.high, onlyHigh.low], [10, 2], "only high: low = floor(high / 4)");
    const onlyLow = new FlowControlledBuffer({ low: 3 });
    assert.deepEqual([onlyLow.high, onlyLow.low], [12, 3], "only low: high = 4 * low");
  }));

  it("FlowControlledBuffer.size and paused start at 0 and false", withClock(() => {
    const buffer = new FlowControlledBuffer<string>({ high: 2, low: 1 });
    assert.deepEqual([buffer.size, buffer.paused], [0, false], "[size, paused] of a fresh buffer");
    buffer.write("a");
    assert.deepEqual([buffer.size, buffer.paused], [1, false], "[size, paused] after one write");
  }));
});

describe("task 2: pause and resume", () => {
  it("FlowControlledBuffer.write() pauses only when the size goes above high, not at high", withClock(() => {
    const { rec, buffer } = recorded({ high: 3, low: 1 });
    buffer.write(1);
    buffer.write(2);
    assert.equal(buffer.write(3), true, "3 items = high: not above it, so no pause yet");
    assert.equal(buffer.paused, false, "at high exactly, the buffer still runs");
    assert.equal(buffer.write(4), false, "4 items > high: pause");
    assert.deepEqual(rec.names(), ["pause"], "onPause is called once, on the write that crossed high");
  }));

  it("FlowControlledBuffer.write() calls onPause once however many writes follow", withClock(() => {
    const { rec, buffer } = recorded({ high: 2, low: 0 });
    for (let i = 0; i < 20; i++) buffer.write(i);
    assert.deepEqual(rec.names(), ["pause"], "one pause for 18 writes above high");
    assert.equal(buffer.size, 20, "writes while paused are kept, not dropped");
  }));

  it("FlowControlledBuffer.read() resumes only when the size falls to low, not above it", withClock(async () => {
    const { rec, buffer } = recorded({ high: 4, low: 2 });
    for (let i = 0; i < 7; i++) buffer.write(i);
    await buffer.read(); // 6
    await buffer.read(); // 5
    await buffer.read(); // 4
    await buffer.read(); // 3
    assert.equal(buffer.paused, true, "3 items > low (2): still paused");
    assert.deepEqual(rec.names(), ["pause"], "no resume yet");
    await buffer.read(); // 2
    assert.equal(buffer.paused, false, "2 items = low: resume");
    await buffer.read(); // 1
    assert.deepEqual(rec.names(), ["pause", "resume"], "onResume is called once, on the read that reached low");
  }));

  it("FlowControlledBuffer does not flap while the size moves between the marks", withClock(async () => {
    const { rec, buffer } = recorded({ high: 5, low: 2 });
    for (let i = 0; i < 6; i++) buffer.write(i); // 6 > 5: pause
    for (let round = 0; round < 10; round++) {
      await buffer.read(); // 5
      await buffer.read(); // 4
      await buffer.read(); // 3
      buffer.write(100); // 4
      buffer.write(101); // 5
      buffer.write(102); // 6
    }
    assert.deepEqual(rec.names(), ["pause"], "between low and high nothing changes: one pause, no resume:\n" + rec.format());
    for (let i = 0; i < 4; i++) await buffer.read(); // 2
    buffer.write(1); // 3
    buffer.write(2); // 4
    buffer.write(3); // 5
    assert.deepEqual(rec.names(), ["pause", "resume"], "after resuming at 2, sizes up to 5 do not pause again");
    buffer.write(4); // 6
    assert.deepEqual(rec.names(), ["pause", "resume", "pause"], "above high again: a second pause");
  }));

  it("FlowControlledBuffer.read() hands out items in FIFO order", withClock(async () => {
    const buffer = new FlowControlledBuffer<string>({ high: 10, low: 2 });
    for (const s of ["a", "b", "c"]) buffer.write(s);
    assert.deepEqual([await buffer.read(), await buffer.read(), await buffer.read()], ["a", "b", "c"], "first in, first out");
  }));

  it("FlowControlledBuffer.read() waits for a write and serves readers first come, first served", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<string>({ high: 1, low: 0 });
    const got: string[] = [];
    const readers = ["r1", "r2"].map((r) => buffer.read().then((item) => got.push(`${r}:${item}`)));
    await clock.sleep(40);
    assert.equal(buffer.write("x"), true, "a write handed to a waiting reader never buffers, so it never pauses");
    assert.equal(buffer.write("y"), true, "the second waiting reader takes this one");
    await Promise.all(readers);
    assert.deepEqual(got, ["r1:x", "r2:y"], "the reader that waited longest gets the first item");
    assert.equal(buffer.size, 0, "both items went straight to the readers");
  }));

  it("FlowControlledBuffer.read() aborted leaves the line and the next write goes to the next reader", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<string>({ high: 4, low: 1 });
    const controller = new AbortController();
    const reason = new Error("reader gone");
    const aborted = buffer.read({ signal: controller.signal });
    const next = buffer.read();
    await clock.sleep(10);
    controller.abort(reason);
    await rejectsWith(aborted, { is: reason }, "read({ signal }) after abort(reason)");
    buffer.write("item");
    assert.equal(await next, "item", "the item goes to the reader still waiting, and is not lost");
  }));
});

describe("task 3: drain()", () => {
  it("FlowControlledBuffer.drain() resolves at once when not paused, however full", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<number>({ high: 5, low: 0 });
    for (let i = 0; i < 5; i++) buffer.write(i);
    const drained = watch(buffer.drain());
    await clock.flush();
    assert.equal(drained.settled, true, "5 items = high, not paused: drain() must not wait for the buffer to empty");
  }));

  it("FlowControlledBuffer.drain() waits while paused and resolves when the size reaches low", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<number>({ high: 2, low: 1 });
    for (let i = 0; i < 4; i++) buffer.write(i); // 4 > 2: paused
    const rec = new EventRecorder();
    const drained = buffer.drain().then(() => rec.record("drained"));
    for (const at of [100, 200, 300]) setTimeout(() => void buffer.read(), at);
    await drained;
    assert.equal(rec.firstAt("drained"), 300, "sizes 3 at t=100, 2 at t=200, 1 = low at t=300: drain() resolves at t=300");
    assert.equal(buffer.size, 1, "drain() resolves at the low mark, not when the buffer is empty");
  }));

  it("FlowControlledBuffer.drain() wakes every waiting drainer on resume", withClock(async () => {
    const buffer = new FlowControlledBuffer<number>({ high: 0, low: 0 });
    buffer.write(1); // 1 > 0: paused
    const order: string[] = [];
    const drains = ["d1", "d2", "d3"].map((d) => buffer.drain().then(() => order.push(d)));
    await buffer.read(); // 0: resume
    await Promise.all(drains);
    assert.deepEqual(order, ["d1", "d2", "d3"], "all drainers wake, in the order they waited");
  }));

  it("FlowControlledBuffer.drain() aborted rejects with the reason and removes its listener", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<number>({ high: 0, low: 0 });
    buffer.write(1);
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...a: Parameters<AbortSignal["addEventListener"]>) => (added++, add(...a))) as AbortSignal["addEventListener"];
    signal.removeEventListener = ((...a: Parameters<AbortSignal["removeEventListener"]>) => (removed++, remove(...a))) as AbortSignal["removeEventListener"];
    const kept = buffer.drain({ signal });
    await clock.flush();
    await buffer.read(); // resume: the drain resolves normally
    await kept;
    assert.equal(added - removed, 0, `a drain() that resolves must remove its abort listener; ${added} added, ${removed} removed`);
    buffer.write(2); // paused again
    const aborted = buffer.drain({ signal });
    const other = buffer.drain();
    await clock.sleep(10);
    controller.abort();
    await rejectsWith(aborted, { name: "AbortError" }, "drain({ signal }) after abort()");
    await buffer.read();
    await other;
  }));

  it("FlowControlledBuffer.drain() with an already aborted signal rejects at once", withClock(async () => {
    const buffer = new FlowControlledBuffer<number>({ high: 0, low: 0 });
    buffer.write(1);
    const reason = new Error("cancelled");
    await rejectsWith(buffer.drain({ signal: AbortSignal.abort(reason) }), { is: reason }, "drain() with an aborted signal");
  }));
});

describe("task 4: pump()", () => {
  it("pump() never lets the buffer grow past high + 1", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<number>({ high: 4, low: 2 });
    let largest = 0;
    const reader = (async () => {
      for (let i = 0; i < 50; i++) {
        await clock.sleep(10);
        largest = Math.max(largest, buffer.size);
        await buffer.read();
      }
    })();
    const source = (async function* () {
      for (let i = 0; i < 50; i++) {
        yield i;
        largest = Math.max(largest, buffer.size);
      }
    })();
    assert.equal(await pump(source, buffer), 50, "pump() wrote all 50 items");
    await reader;
    assert.ok(largest <= 5, `pump() must stop writing once write() returns false; the buffer reached ${largest} items (high is 4)`);
  }));

  it("pump() does not wait when the buffer never pauses", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<number>({ high: 100 });
    assert.equal(await pump([1, 2, 3], buffer), 3, "three items written");
    assert.equal(clock.now(), 0, "nothing paused, so nothing waited");
    assert.equal(buffer.size, 3, "the items are in the buffer");
  }));

  it("pump() aborted while waiting for drain rejects with the reason and writes no more", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<number>({ high: 1, low: 0 });
    const controller = new AbortController();
    const pumping = pump([1, 2, 3, 4], buffer, { signal: controller.signal });
    await clock.sleep(50);
    assert.equal(buffer.size, 2, "pump() wrote 2 items, then waited for drain()");
    controller.abort(new Error("stop pumping"));
    await rejectsWith(pumping, { message: "stop pumping" }, "pump() after abort()");
    assert.equal(buffer.size, 2, "no item is written after the abort");
  }));
});
