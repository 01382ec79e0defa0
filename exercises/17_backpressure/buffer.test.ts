/**
 * Visible tests for the flow-controlled buffer: run them with
 * `bun test exercises/17_backpressure` or `deno test exercises/17_backpressure`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, throwsWith, withClock } from "../../lib/mod.ts";
import { FlowControlledBuffer, pump } from "./buffer.ts";

describe("task 1: the marks", () => {
  it("new FlowControlledBuffer() keeps valid marks and rejects low > high with RangeError", withClock(() => {
    const buffer = new FlowControlledBuffer({ high: 10, low: 3 });
    assert.deepEqual([buffer.high, buffer.low, buffer.size, buffer.paused], [10, 3, 0, false], "[high, low, size, paused]");
    throwsWith(() => new FlowControlledBuffer({ high: 2, low: 5 }), { name: "RangeError" }, "new FlowControlledBuffer({ high: 2, low: 5 })");
  }));
});

describe("task 2: pause above high, resume at low", () => {
  it("FlowControlledBuffer pauses once above high and resumes once at low, with no flapping in between", withClock(async () => {
    const rec = new EventRecorder();
    const buffer = new FlowControlledBuffer<number>({
      high: 4,
      low: 2,
      onPause: () => rec.record("pause"),
      onResume: () => rec.record("resume"),
    });
    for (let i = 1; i <= 4; i++) assert.equal(buffer.write(i), true, `write #${i}: ${i} items is not above high (4)`);
    assert.equal(buffer.write(5), false, "write #5: 5 items is above high, so write() says pause");
    assert.equal(buffer.write(6), false, "still paused (writes are accepted, but the producer should wait)");
    await buffer.read(); // 5 left
    await buffer.read(); // 4 left
    await buffer.read(); // 3 left: between the marks, still paused
    assert.equal(buffer.paused, true, "3 items is between low (2) and high (4): no change");
    assert.equal(buffer.write(7), false, "back to 4 items: still paused, and no second pause event");
    await buffer.read(); // 3
    await buffer.read(); // 2: at low, so resume
    assert.equal(buffer.paused, false, "2 items is at low: resumed");
    assert.deepEqual(rec.names(), ["pause", "resume"], "one pause and one resume, however the size moves between the marks");
  }));
});

describe("task 3: drain()", () => {
  it("FlowControlledBuffer.drain() resolves at once when not paused and waits while paused", withClock(async (clock) => {
    const buffer = new FlowControlledBuffer<string>({ high: 1, low: 0 });
    buffer.write("a");
    await buffer.drain(); // one item, not above high: not paused
    assert.equal(clock.now(), 0, "drain() must not wait when the buffer is not paused, even if it holds items");
    buffer.write("b"); // paused
    setTimeout(() => void buffer.read().then(() => buffer.read()), 300);
    await buffer.drain();
    assert.equal(clock.now(), 300, "drain() resolves when the reader brings the size down to low (0), at t=300");
  }));
});

describe("task 4: pump()", () => {
  it("pump() waits for drain() whenever write() returns false", withClock(async (clock) => {
    const rec = new EventRecorder();
    const buffer = new FlowControlledBuffer<number>({
      high: 3,
      low: 1,
      onPause: () => rec.record("pause"),
      onResume: () => rec.record("resume"),
    });
    const reader = (async () => {
      for (let i = 0; i < 10; i++) {
        await clock.sleep(100);
        await buffer.read();
      }
    })();
    const written = await pump(Array.from({ length: 10 }, (_, i) => i), buffer);
    rec.record("pumped");
    await reader;
    // Writes 0..3 fill the buffer to 4 > high: pause at t=0. Reads at 100, 200, 300 bring it to
    // 1 = low: resume at 300, and pump writes 4..6 (pause again), and so on.
    assert.equal(written, 10, "pump() returns how many items it wrote");
    assert.deepEqual(
      rec.times("pause"),
      [0, 300, 600],
      "pump() should pause at t=0, 300 and 600: after each write that returns false it awaits drain() before writing more. What happened:\n" +
        rec.format(),
    );
    assert.deepEqual(rec.times("resume"), [300, 600, 900], "resumes at t=300, 600 and 900. What happened:\n" + rec.format());
    assert.equal(rec.firstAt("pumped"), 900, "after the last write returned false, pump() waited for drain()");
  }));
});
