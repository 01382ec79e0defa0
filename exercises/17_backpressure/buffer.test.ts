/**
 * Visible tests for the flow-controlled buffer: run them with
 * `bun test exercises/17_backpressure` or `deno test exercises/17_backpressure`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { BackpressureQueue, FlowControlledBuffer, pump } from "./buffer.ts";

describe("task 1: the marks", () => {
  it(
    "new FlowControlledBuffer() keeps valid marks and rejects low > high with RangeError",
    withClock(() => {
      const buffer = new FlowControlledBuffer({ high: 10, low: 3 });
      assert.deepEqual(
        [buffer.high, buffer.low, buffer.size, buffer.paused],
        [10, 3, 0, false],
        "[high, low, size, paused]",
      );
      throwsWith(
        () => new FlowControlledBuffer({ high: 2, low: 5 }),
        { name: "RangeError" },
        "new FlowControlledBuffer({ high: 2, low: 5 })",
      );
    }),
  );
  it(
    "new FlowControlledBuffer() fills in a missing low mark as floor(high / 4)",
    withClock(() => {
      const buffer = new FlowControlledBuffer({ high: 10 });
      assert.deepEqual(
        [buffer.high, buffer.low],
        [10, 2],
        "only high given: low = Math.floor(10 / 4) = 2, as asyncio does",
      );
    }),
  );

  it(
    "new FlowControlledBuffer() rejects a mark that is not an integer",
    withClock(() => {
      throwsWith(
        () => new FlowControlledBuffer({ high: Number.NaN }),
        { name: "RangeError" },
        "new FlowControlledBuffer({ high: NaN })",
      );
      throwsWith(
        () => new FlowControlledBuffer({ high: 8, low: 1.5 }),
        { name: "RangeError" },
        "new FlowControlledBuffer({ high: 8, low: 1.5 })",
      );
    }),
  );
});

describe("task 2: pause above high, resume at low", () => {
  it(
    "FlowControlledBuffer pauses once above high and resumes once at low, with no flapping in between",
    withClock(async () => {
      const rec = new EventRecorder();
      const buffer = new FlowControlledBuffer<number>({
        high: 4,
        low: 2,
        onPause: () => rec.record("pause"),
        onResume: () => rec.record("resume"),
      });
      for (let i = 1; i <= 4; i++) {
        assert.equal(buffer.write(i), true, `write #${i}: ${i} items is not above high (4)`);
      }
      assert.equal(
        buffer.write(5),
        false,
        "write #5: 5 items is above high, so write() says pause",
      );
      assert.equal(
        buffer.write(6),
        false,
        "still paused (writes are accepted, but the producer should wait)",
      );
      await buffer.read(); // 5 left
      await buffer.read(); // 4 left
      await buffer.read(); // 3 left: between the marks, still paused
      assert.equal(buffer.paused, true, "3 items is between low (2) and high (4): no change");
      assert.equal(
        buffer.write(7),
        false,
        "back to 4 items: still paused, and no second pause event",
      );
      await buffer.read(); // 3
      await buffer.read(); // 2: at low, so resume
      assert.equal(buffer.paused, false, "2 items is at low: resumed");
      assert.deepEqual(
        rec.names(),
        ["pause", "resume"],
        "one pause and one resume, however the size moves between the marks",
      );
    }),
  );
  it(
    "FlowControlledBuffer.read() waits for a write, and readers are served in order",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<string>({ high: 4, low: 1 });
      const first = buffer.read();
      const second = buffer.read();
      setTimeout(() => {
        buffer.write("x");
        buffer.write("y");
      }, 100);
      assert.deepEqual(
        [await first, await second],
        ["x", "y"],
        "the reader that waited first gets the first item",
      );
      assert.equal(clock.now(), 100, "the readers waited for the writes at t=100");
    }),
  );

  it(
    "FlowControlledBuffer.read() aborted while waiting rejects with the reason",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<string>();
      const controller = new AbortController();
      const reason = new Error("reader gave up");
      const reading = buffer.read({ signal: controller.signal });
      await clock.sleep(10);
      controller.abort(reason);
      await rejectsWith(reading, { is: reason }, "read({ signal }) after abort(reason)");
    }),
  );
});

describe("task 3: drain()", () => {
  it(
    "FlowControlledBuffer.drain() resolves at once when not paused and waits while paused",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<string>({ high: 1, low: 0 });
      buffer.write("a");
      await buffer.drain(); // one item, not above high: not paused
      assert.equal(
        clock.now(),
        0,
        "drain() must not wait when the buffer is not paused, even if it holds items",
      );
      buffer.write("b"); // paused
      setTimeout(() => void buffer.read().then(() => buffer.read()), 300);
      await buffer.drain();
      assert.equal(
        clock.now(),
        300,
        "drain() resolves when the reader brings the size down to low (0), at t=300",
      );
    }),
  );
  it(
    "FlowControlledBuffer.drain() wakes every waiting drainer when the buffer resumes",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 1, low: 0 });
      buffer.write(1);
      buffer.write(2); // paused
      let woken = 0;
      const drains = [buffer.drain(), buffer.drain()].map((d) => d.then(() => woken++));
      await buffer.read();
      await buffer.read(); // 0 = low: resume
      await Promise.all(drains);
      assert.equal(woken, 2, "a resume wakes every drain(), not only the first");
    }),
  );

  it(
    "FlowControlledBuffer.drain() with an aborted signal rejects with its reason",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 0, low: 0 });
      buffer.write(1); // paused
      const reason = new Error("not waiting any more");
      await rejectsWith(
        buffer.drain({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "drain() with an aborted signal",
      );
    }),
  );

  it(
    "FlowControlledBuffer.drain() with an already-aborted signal rejects even when the buffer is not paused",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 4, low: 1 });
      const reason = new Error("cancelled before it started");
      await rejectsWith(
        buffer.drain({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "drain() on a running buffer with an already-aborted signal (check the signal first)",
      );
    }),
  );
});

describe("task 4: pump()", () => {
  it(
    "pump() waits for drain() whenever write() returns false",
    withClock(async (clock) => {
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
      assert.deepEqual(
        rec.times("resume"),
        [300, 600, 900],
        "resumes at t=300, 600 and 900. What happened:\n" + rec.format(),
      );
      assert.equal(
        rec.firstAt("pumped"),
        900,
        "after the last write returned false, pump() waited for drain()",
      );
    }),
  );
  it(
    "pump() writes everything at once when the buffer never pauses, and returns the count",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<string>({ high: 10 });
      assert.equal(
        await pump(["a", "b", "c"], buffer),
        3,
        "pump() returns how many items it wrote",
      );
      assert.equal(buffer.size, 3, "the three items are in the buffer");
      assert.equal(clock.now(), 0, "nothing paused, so nothing waited");
    }),
  );

  it(
    "pump() aborted while waiting for drain() rejects with the reason",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<number>({ high: 0, low: 0 });
      const controller = new AbortController();
      const reason = new Error("shutting down");
      const pumping = pump([1, 2, 3], buffer, { signal: controller.signal });
      await clock.sleep(10);
      controller.abort(reason);
      await rejectsWith(pumping, { is: reason }, "pump() aborted while paused");
      assert.equal(buffer.size, 1, "only the first item was written before pump() waited");
    }),
  );
});

describe("task 5: BackpressureQueue", () => {
  it(
    "BackpressureQueue pauses the producer above high and resumes it at low",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const queue = new BackpressureQueue<number>({
        high: 3,
        low: 1,
        onPause: () => rec.record("pause"),
        onResume: () => rec.record("resume"),
      });
      const producer = (async () => {
        for (let i = 0; i < 8; i++) {
          await queue.put(i);
          rec.record("put", i);
        }
      })();
      for (let i = 0; i < 8; i++) {
        await clock.sleep(100);
        assert.equal(await queue.get(), i, "items come out in order");
      }
      await producer;
      // Puts 0..3 take the size to 4 > 3: pause at t=0. Gets at 100, 200, 300 bring it to 1: resume
      // at 300, and the producer puts 4..6 at once (6 takes it to 4 > 3 again: pause). Gets at 400,
      // 500, 600 bring it to 1 again: resume at 600, and item 7 goes in.
      assert.deepEqual(
        rec.times("pause"),
        [0, 300],
        "the producer pauses at t=0 and again at t=300:\n" + rec.format(),
      );
      assert.deepEqual(
        rec.times("resume"),
        [300, 600],
        "it resumes at t=300 and t=600, each time the size reaches 1:\n" + rec.format(),
      );
      assert.deepEqual(
        rec.times("put"),
        [0, 0, 0, 0, 300, 300, 300, 600],
        "the producer runs in bursts:\n" + rec.format(),
      );
    }),
  );

  it(
    "BackpressureQueue.put() does not wait while the queue is not paused",
    withClock(async (clock) => {
      const queue = new BackpressureQueue<string>({ high: 2, low: 0 });
      await queue.put("a");
      await queue.put("b");
      await queue.put("c"); // takes the size above high: this put completes, the next one would wait
      assert.equal(clock.now(), 0, "no put waited");
      assert.deepEqual(
        [queue.size, queue.paused],
        [3, true],
        "[size, paused] after 3 puts with high 2",
      );
    }),
  );

  it(
    "BackpressureQueue.get() waits for an item",
    withClock(async (clock) => {
      const queue = new BackpressureQueue<string>();
      setTimeout(() => void queue.put("late"), 250);
      assert.equal(await queue.get(), "late", "get() resolves with the item put at t=250");
      assert.equal(clock.now(), 250, "get() waited for the put");
    }),
  );
});
