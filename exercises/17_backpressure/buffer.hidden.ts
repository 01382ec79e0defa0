/**
 * Hidden tests for the flow-controlled buffer: exact marks (above high, at or below low), one
 * event per transition, no flapping, drain() semantics, readers, aborts and pump().
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventRecorder, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { BackpressureQueue, FlowControlledBuffer, pump } from "./buffer.ts";

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

/** Counts the abort listeners added to and removed from `signal`. */
function countListeners(signal: AbortSignal) {
  const count = { added: 0, removed: 0 };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((
    ...a: Parameters<AbortSignal["addEventListener"]>
  ) => (count.added++, add(...a))) as AbortSignal["addEventListener"];
  signal.removeEventListener = ((
    ...a: Parameters<AbortSignal["removeEventListener"]>
  ) => (count.removed++, remove(...a))) as AbortSignal["removeEventListener"];
  return count;
}

/** A source that records what was pulled and whether its finally ran. */
function tracked(count: number, gapMs = 0) {
  const state = { pulled: 0, closed: false };
  async function* generate() {
    try {
      for (let i = 1; i <= count; i++) {
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        state.pulled++;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, source: generate() };
}

describe("task 1: the marks", () => {
  it(
    "new FlowControlledBuffer() rejects invalid marks with RangeError",
    withClock(() => {
      const bad = [
        { high: 2, low: 3 },
        { high: 4, low: -1 },
        { high: -1 },
        { high: Number.NaN },
        { high: 4.5, low: 1 },
        { low: 0.5 },
        { high: Infinity },
        { high: 8, low: Number.NaN },
      ];
      for (const opts of bad) {
        throwsWith(
          () => new FlowControlledBuffer(opts),
          { name: "RangeError" },
          `new FlowControlledBuffer(${String(opts.high)}/${String(opts.low)} as high/low)`,
        );
      }
    }),
  );

  it(
    "new FlowControlledBuffer() accepts low equal to high, as asyncio does",
    withClock(() => {
      const buffer = new FlowControlledBuffer({ high: 3, low: 3 });
      assert.deepEqual(
        [buffer.high, buffer.low],
        [3, 3],
        "high >= low >= 0 is the rule; equal marks are allowed",
      );
      const zero = new FlowControlledBuffer({ high: 0, low: 0 });
      assert.deepEqual(
        [zero.high, zero.low],
        [0, 0],
        "high 0, low 0: pause on the first buffered item",
      );
    }),
  );

  it(
    "new FlowControlledBuffer() fills in missing marks like asyncio",
    withClock(() => {
      const none = new FlowControlledBuffer();
      assert.deepEqual([none.high, none.low], [16, 4], "no marks: high 16, low high/4");
      const onlyHigh = new FlowControlledBuffer({ high: 10 });
      assert.deepEqual([onlyHigh.high, onlyHigh.low], [10, 2], "only high: low = floor(high / 4)");
      const onlyLow = new FlowControlledBuffer({ low: 3 });
      assert.deepEqual([onlyLow.high, onlyLow.low], [12, 3], "only low: high = 4 * low");
    }),
  );

  it(
    "FlowControlledBuffer.size and paused start at 0 and false",
    withClock(() => {
      const buffer = new FlowControlledBuffer<string>({ high: 2, low: 1 });
      assert.deepEqual(
        [buffer.size, buffer.paused],
        [0, false],
        "[size, paused] of a fresh buffer",
      );
      buffer.write("a");
      assert.deepEqual([buffer.size, buffer.paused], [1, false], "[size, paused] after one write");
    }),
  );
});

describe("task 2: pause and resume", () => {
  it(
    "FlowControlledBuffer.write() pauses only when the size goes above high, not at high",
    withClock(() => {
      const { rec, buffer } = recorded({ high: 3, low: 1 });
      buffer.write(1);
      buffer.write(2);
      assert.equal(buffer.write(3), true, "3 items = high: not above it, so no pause yet");
      assert.equal(buffer.paused, false, "at high exactly, the buffer still runs");
      assert.equal(buffer.write(4), false, "4 items > high: pause");
      assert.deepEqual(
        rec.names(),
        ["pause"],
        "onPause is called once, on the write that crossed high",
      );
    }),
  );

  it(
    "FlowControlledBuffer.write() calls onPause once however many writes follow",
    withClock(() => {
      const { rec, buffer } = recorded({ high: 2, low: 0 });
      for (let i = 0; i < 20; i++) buffer.write(i);
      assert.deepEqual(rec.names(), ["pause"], "one pause for 18 writes above high");
      assert.equal(buffer.size, 20, "writes while paused are kept, not dropped");
    }),
  );

  it(
    "FlowControlledBuffer.read() resumes only when the size falls to low, not above it",
    withClock(async () => {
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
      assert.deepEqual(
        rec.names(),
        ["pause", "resume"],
        "onResume is called once, on the read that reached low",
      );
    }),
  );

  it(
    "FlowControlledBuffer does not flap while the size moves between the marks",
    withClock(async () => {
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
      assert.deepEqual(
        rec.names(),
        ["pause"],
        "between low and high nothing changes: one pause, no resume:\n" + rec.format(),
      );
      for (let i = 0; i < 4; i++) await buffer.read(); // 2
      buffer.write(1); // 3
      buffer.write(2); // 4
      buffer.write(3); // 5
      assert.deepEqual(
        rec.names(),
        ["pause", "resume"],
        "after resuming at 2, sizes up to 5 do not pause again",
      );
      buffer.write(4); // 6
      assert.deepEqual(
        rec.names(),
        ["pause", "resume", "pause"],
        "above high again: a second pause",
      );
    }),
  );

  it(
    "FlowControlledBuffer.read() hands out items in FIFO order",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<string>({ high: 10, low: 2 });
      for (const s of ["a", "b", "c"]) buffer.write(s);
      assert.deepEqual([await buffer.read(), await buffer.read(), await buffer.read()], [
        "a",
        "b",
        "c",
      ], "first in, first out");
    }),
  );

  it(
    "FlowControlledBuffer.read() waits for a write and serves readers first come, first served",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<string>({ high: 1, low: 0 });
      const got: string[] = [];
      const readers = ["r1", "r2"].map((r) =>
        buffer.read().then((item) => got.push(`${r}:${item}`))
      );
      await clock.sleep(40);
      assert.equal(
        buffer.write("x"),
        true,
        "a write handed to a waiting reader never buffers, so it never pauses",
      );
      assert.equal(buffer.write("y"), true, "the second waiting reader takes this one");
      await Promise.all(readers);
      assert.deepEqual(got, ["r1:x", "r2:y"], "the reader that waited longest gets the first item");
      assert.equal(buffer.size, 0, "both items went straight to the readers");
    }),
  );

  it(
    "FlowControlledBuffer.read() aborted leaves the line and the next write goes to the next reader",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<string>({ high: 4, low: 1 });
      const controller = new AbortController();
      const reason = new Error("reader gone");
      const aborted = buffer.read({ signal: controller.signal });
      const next = buffer.read();
      await clock.sleep(10);
      controller.abort(reason);
      await rejectsWith(aborted, { is: reason }, "read({ signal }) after abort(reason)");
      buffer.write("item");
      assert.equal(
        await next,
        "item",
        "the item goes to the reader still waiting, and is not lost",
      );
    }),
  );
  it(
    "FlowControlledBuffer.read() with an already-aborted signal rejects even when items are buffered, and takes nothing",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<string>({ high: 4, low: 1 });
      buffer.write("a");
      const reason = new Error("gave up");
      await rejectsWith(
        buffer.read({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "read() with an aborted signal and an item waiting",
      );
      assert.equal(buffer.size, 1, "the item must still be in the buffer");
    }),
  );

  it(
    "FlowControlledBuffer.read() aborted after write() handed it the item passes the item to the next reader",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<string>({ high: 4, low: 1 });
      const controller = new AbortController();
      const reason = new Error("too late");
      const first = buffer.read({ signal: controller.signal });
      const second = buffer.read();
      await Promise.resolve();
      buffer.write("x"); // handed to the first reader...
      controller.abort(reason); // ...which is aborted before it ran again: the abort wins
      await rejectsWith(
        first,
        { is: reason },
        "the first read(), aborted right after the hand-over",
      );
      assert.equal(
        await second,
        "x",
        "the item goes to the next waiting reader, not lost with the aborted one",
      );
    }),
  );

  it(
    "FlowControlledBuffer.read() aborted after the hand-over puts the item back when no reader waits",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<string>({ high: 4, low: 1 });
      const controller = new AbortController();
      const aborted = buffer.read({ signal: controller.signal });
      await Promise.resolve();
      buffer.write("x");
      controller.abort();
      await rejectsWith(
        aborted,
        { name: "AbortError" },
        "read() aborted right after the hand-over",
      );
      assert.equal(buffer.size, 1, `the item must be back in the buffer; size is ${buffer.size}`);
      assert.equal(await buffer.read(), "x", "and the next read() gets it");
    }),
  );

  it(
    "FlowControlledBuffer.read() aborted after the hand-over puts the item back at the front, before later writes",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<string>({ high: 4, low: 1 });
      const controller = new AbortController();
      const aborted = buffer.read({ signal: controller.signal });
      await Promise.resolve();
      buffer.write("x"); // handed to the waiting reader
      buffer.write("y"); // nobody waits: buffered
      controller.abort(); // the reader has not run again: the abort wins
      await rejectsWith(
        aborted,
        { name: "AbortError" },
        "read() aborted right after the hand-over",
      );
      const next = [await buffer.read(), await buffer.read()];
      assert.deepEqual(
        next,
        ["x", "y"],
        `"x" was written first, so it goes back to the FRONT of the buffer; the next reads gave ${
          JSON.stringify(next)
        }`,
      );
    }),
  );

  it(
    "FlowControlledBuffer.read() aborted after the hand-over gives the item back under the marks: above high it pauses, once",
    withClock(async () => {
      /** A reader is handed item 0 and aborted before it runs again, after `later` more writes. */
      async function giveBack(high: number, later: number) {
        const { rec, buffer } = recorded({ high, low: 0 });
        const controller = new AbortController();
        const aborted = buffer.read({ signal: controller.signal });
        await Promise.resolve();
        buffer.write(0); // handed to the waiting reader
        for (let i = 1; i <= later; i++) buffer.write(i);
        controller.abort();
        await aborted.catch(() => {});
        return { buffer, events: rec.events.map((e) => e.name) };
      }
      const atHigh = await giveBack(2, 1);
      assert.deepEqual(
        [atHigh.buffer.size, atHigh.buffer.paused, atHigh.events],
        [2, false, []],
        "high 2: the item given back makes 2 items, AT high, so the buffer must not pause; [size, paused, events]",
      );
      const above = await giveBack(1, 1);
      assert.deepEqual(
        [above.buffer.size, above.buffer.paused, above.events],
        [2, true, ["pause"]],
        "high 1: the item given back makes 2 items, above high: the buffer pauses and calls onPause once; [size, paused, events]",
      );
      const already = await giveBack(1, 2);
      assert.deepEqual(
        [already.buffer.size, already.buffer.paused, already.events],
        [3, true, ["pause"]],
        "high 1: the later writes already paused the buffer, so the item given back must not call onPause again; [size, paused, events]",
      );
    }),
  );

  it(
    "FlowControlledBuffer.write() to a waiting reader never enters the buffer, so it never pauses, even with high: 0",
    withClock(async () => {
      const { rec, buffer } = recorded({ high: 0, low: 0 });
      const waiting = buffer.read();
      await Promise.resolve();
      const ok = buffer.write(1);
      assert.equal(ok, true, "the item went straight to the reader: write() returns true");
      assert.equal(buffer.size, 0, `the item never enters the buffer; size is ${buffer.size}`);
      assert.equal(
        rec.format(),
        "",
        `the buffer never held the item, so it neither pauses nor resumes; yours recorded: ${
          rec.format().split("\n").join(", ")
        }`,
      );
      assert.equal(await waiting, 1, "the waiting reader gets the item");
    }),
  );

  it(
    "FlowControlledBuffer.read() removes its abort listener once it gets an item",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 4, low: 1 });
      const controller = new AbortController();
      const count = countListeners(controller.signal);
      const waiting = buffer.read({ signal: controller.signal });
      await Promise.resolve();
      buffer.write(1);
      assert.equal(await waiting, 1, "the waiting reader gets the item");
      buffer.write(2);
      assert.equal(
        await buffer.read({ signal: controller.signal }),
        2,
        "a reader that does not wait gets the item too",
      );
      assert.equal(
        count.added - count.removed,
        0,
        `every abort listener must be removed; ${count.added} added, ${count.removed} removed`,
      );
    }),
  );
});

describe("task 3: drain()", () => {
  it(
    "FlowControlledBuffer.drain() resolves at once when not paused, however full",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<number>({ high: 5, low: 0 });
      for (let i = 0; i < 5; i++) buffer.write(i);
      const drained = watch(buffer.drain());
      await clock.flush();
      assert.equal(
        drained.settled,
        true,
        "5 items = high, not paused: drain() must not wait for the buffer to empty",
      );
    }),
  );

  it(
    "FlowControlledBuffer.drain() waits while paused and resolves when the size reaches low",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 2, low: 1 });
      for (let i = 0; i < 4; i++) buffer.write(i); // 4 > 2: paused
      const rec = new EventRecorder();
      const drained = buffer.drain().then(() => rec.record("drained"));
      for (const at of [100, 200, 300]) setTimeout(() => void buffer.read(), at);
      await drained;
      assert.equal(
        rec.firstAt("drained"),
        300,
        "sizes 3 at t=100, 2 at t=200, 1 = low at t=300: drain() resolves at t=300",
      );
      assert.equal(
        buffer.size,
        1,
        "drain() resolves at the low mark, not when the buffer is empty",
      );
    }),
  );

  it(
    "FlowControlledBuffer.drain() wakes every waiting drainer on resume",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 0, low: 0 });
      buffer.write(1); // 1 > 0: paused
      const order: string[] = [];
      const drains = ["d1", "d2", "d3"].map((d) => buffer.drain().then(() => order.push(d)));
      await buffer.read(); // 0: resume
      await Promise.all(drains);
      assert.deepEqual(order, ["d1", "d2", "d3"], "all drainers wake, in the order they waited");
    }),
  );

  it(
    "FlowControlledBuffer.drain() aborted rejects with the reason and removes its listener",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<number>({ high: 0, low: 0 });
      buffer.write(1);
      const controller = new AbortController();
      let added = 0;
      let removed = 0;
      const signal = controller.signal;
      const add = signal.addEventListener.bind(signal);
      const remove = signal.removeEventListener.bind(signal);
      signal.addEventListener = ((
        ...a: Parameters<AbortSignal["addEventListener"]>
      ) => (added++, add(...a))) as AbortSignal["addEventListener"];
      signal.removeEventListener = ((
        ...a: Parameters<AbortSignal["removeEventListener"]>
      ) => (removed++, remove(...a))) as AbortSignal["removeEventListener"];
      const kept = buffer.drain({ signal });
      await clock.flush();
      await buffer.read(); // resume: the drain resolves normally
      await kept;
      assert.equal(
        added - removed,
        0,
        `a drain() that resolves must remove its abort listener; ${added} added, ${removed} removed`,
      );
      buffer.write(2); // paused again
      const aborted = buffer.drain({ signal });
      const other = buffer.drain();
      await clock.sleep(10);
      controller.abort();
      await rejectsWith(aborted, { name: "AbortError" }, "drain({ signal }) after abort()");
      await buffer.read();
      await other;
    }),
  );

  it(
    "FlowControlledBuffer.drain() with an already aborted signal rejects at once",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 0, low: 0 });
      buffer.write(1);
      const reason = new Error("cancelled");
      await rejectsWith(
        buffer.drain({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "drain() with an aborted signal",
      );
    }),
  );
});

describe("task 4: pump()", () => {
  it(
    "pump() never lets the buffer grow past high + 1",
    withClock(async (clock) => {
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
      assert.ok(
        largest <= 5,
        `pump() must stop writing once write() returns false; the buffer reached ${largest} items (high is 4)`,
      );
    }),
  );

  it(
    "pump() does not wait when the buffer never pauses",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<number>({ high: 100 });
      assert.equal(await pump([1, 2, 3], buffer), 3, "three items written");
      assert.equal(clock.now(), 0, "nothing paused, so nothing waited");
      assert.equal(buffer.size, 3, "the items are in the buffer");
    }),
  );

  it(
    "pump() aborted while waiting for drain rejects with the reason and writes no more",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<number>({ high: 1, low: 0 });
      const controller = new AbortController();
      const pumping = pump([1, 2, 3, 4], buffer, { signal: controller.signal });
      await clock.sleep(50);
      assert.equal(buffer.size, 2, "pump() wrote 2 items, then waited for drain()");
      controller.abort(new Error("stop pumping"));
      await rejectsWith(pumping, { message: "stop pumping" }, "pump() after abort()");
      assert.equal(buffer.size, 2, "no item is written after the abort");
    }),
  );
  it(
    "pump() with an already-aborted signal writes nothing",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 10 });
      const reason = new Error("cancelled first");
      await rejectsWith(pump([1, 2, 3], buffer, { signal: AbortSignal.abort(reason) }), {
        is: reason,
      }, "pump() with an aborted signal");
      assert.equal(buffer.size, 0, `nothing may be written; the buffer holds ${buffer.size}`);
    }),
  );

  it(
    "pump() aborted between items of a slow source stops before the next write and closes the source",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<number>({ high: 100 });
      const { state, source } = tracked(10, 100);
      const controller = new AbortController();
      const pumping = pump(source, buffer, { signal: controller.signal });
      await clock.sleep(250); // items 1 and 2 written; the source waits for item 3
      controller.abort(new Error("stop"));
      await rejectsWith(
        pumping,
        { message: "stop" },
        "pump() aborted while the source was producing item 3",
      );
      assert.equal(
        buffer.size,
        2,
        `only the 2 items written before the abort may be in the buffer; it holds ${buffer.size}`,
      );
      assert.ok(
        state.closed,
        "the source's return() must run when pump() stops (for await does it)",
      );
    }),
  );

  it(
    "pump() rejects with the source's own error",
    withClock(async () => {
      const buffer = new FlowControlledBuffer<number>({ high: 100 });
      const broken = new Error("source broke");
      async function* failing() {
        yield 1;
        throw broken;
      }
      await rejectsWith(
        pump(failing(), buffer),
        { is: broken },
        "pump() of a source that throws after one item",
      );
      assert.equal(buffer.size, 1, "the item before the error was written");
    }),
  );

  it(
    "pump() and drain() wait without timers of their own",
    withClock(async (clock) => {
      const buffer = new FlowControlledBuffer<number>({ high: 2, low: 0 });
      const reader = (async () => {
        for (let i = 0; i < 6; i++) {
          await clock.sleep(50);
          await buffer.read();
        }
      })();
      await pump([1, 2, 3, 4, 5, 6], buffer);
      await reader;
      const delays = clock.trace.map((t) => t.delay);
      assert.deepEqual(
        delays,
        [50, 50, 50, 50, 50, 50],
        `only the reader's six sleeps should fire; the clock saw timers of ${
          delays.join(", ")
        } ms: wait on promises, do not poll`,
      );
    }),
  );
});

function recordedQueue(opts: { high?: number; low?: number }) {
  const rec = new EventRecorder();
  const queue = new BackpressureQueue<number>({
    ...opts,
    onPause: () => rec.record("pause"),
    onResume: () => rec.record("resume"),
  });
  return { rec, queue };
}

describe("task 5: BackpressureQueue", () => {
  it(
    "new BackpressureQueue() has the marks of a FlowControlledBuffer",
    withClock(() => {
      const none = new BackpressureQueue();
      assert.deepEqual(
        [none.high, none.low, none.size, none.paused],
        [16, 4, 0, false],
        "[high, low, size, paused] with no options",
      );
      assert.deepEqual(
        [new BackpressureQueue({ high: 10 }).low, new BackpressureQueue({ low: 3 }).high],
        [2, 12],
        "[low for high 10, high for low 3]",
      );
      for (const opts of [{ high: 2, low: 3 }, { high: -1 }, { high: 2.5 }, { low: Number.NaN }]) {
        throwsWith(
          () => new BackpressureQueue(opts),
          { name: "RangeError" },
          `new BackpressureQueue(${String(opts.high)}/${String(opts.low)} as high/low)`,
        );
      }
    }),
  );

  it(
    "BackpressureQueue.put() pauses only when the size goes above high, once",
    withClock(async (clock) => {
      const { rec, queue } = recordedQueue({ high: 3, low: 1 });
      for (let i = 1; i <= 3; i++) await queue.put(i);
      assert.equal(queue.paused, false, "3 items = high: not above it, no pause yet");
      await queue.put(4);
      assert.equal(queue.paused, true, "4 items > high: paused");
      assert.deepEqual(rec.names(), ["pause"], "onPause once, on the put that crossed high");
      assert.equal(
        clock.now(),
        0,
        "none of these puts waited: the put that crosses high still completes",
      );
    }),
  );

  it(
    "BackpressureQueue.put() while paused waits until get() brings the size to low",
    withClock(async () => {
      const { rec, queue } = recordedQueue({ high: 2, low: 1 });
      for (let i = 1; i <= 3; i++) await queue.put(i); // 3 > 2: paused
      const put = queue.put(4).then(() => rec.record("put 4 done"));
      for (const at of [100, 200]) setTimeout(() => void queue.get(), at);
      await put;
      assert.deepEqual(
        rec.format().split("\n"),
        ["t=0 pause", "t=200 resume", "t=200 put 4 done"],
        "the put waits until the size is 1 (= low) at t=200:\n" + rec.format(),
      );
      assert.equal(queue.size, 2, "item 4 is in the queue after the resume");
    }),
  );

  it(
    "BackpressureQueue does not flap while the size moves between the marks",
    withClock(async () => {
      const { rec, queue } = recordedQueue({ high: 4, low: 1 });
      for (let i = 0; i < 5; i++) await queue.put(i); // 5 > 4: paused
      await queue.get(); // 4
      await queue.get(); // 3
      await queue.get(); // 2: still above low
      assert.deepEqual(rec.names(), ["pause"], "between the marks nothing changes");
      await queue.get(); // 1: resume
      for (let i = 0; i < 3; i++) await queue.put(i); // 2, 3, 4: not above high
      assert.deepEqual(
        rec.names(),
        ["pause", "resume"],
        "one pause, one resume; sizes up to high do not pause again",
      );
      for (let i = 0; i < 4; i++) await queue.get(); // down to 0 while running: no second resume
      assert.deepEqual(
        rec.names(),
        ["pause", "resume"],
        "a get at or below low while the queue runs is no transition: onResume only after a pause",
      );
    }),
  );

  it(
    "BackpressureQueue resume releases every waiting put(), first come first served, and each adds its item",
    withClock(async () => {
      const { rec, queue } = recordedQueue({ high: 1, low: 0 });
      await queue.put(0);
      await queue.put(1); // 2 > 1: paused
      const order: string[] = [];
      const producers = ["p1", "p2", "p3"].map((p, i) =>
        queue.put(10 + i).then(() => order.push(p))
      );
      await queue.get();
      await queue.get(); // 0 = low: resume, every waiting put goes on
      await Promise.all(producers);
      assert.deepEqual(order, ["p1", "p2", "p3"], "the producers go on in the order they waited");
      assert.equal(
        queue.size,
        3,
        "like await event.wait(), each released put adds its item, even though p2's put paused the queue again",
      );
      assert.deepEqual(
        [await queue.get(), await queue.get(), await queue.get()],
        [10, 11, 12],
        "in FIFO order",
      );
      assert.deepEqual(
        rec.names(),
        ["pause", "resume", "pause", "resume"],
        "p2's put went above high again: a second pause; the gets brought it back to 0",
      );
    }),
  );

  it(
    "BackpressureQueue.put() aborted while paused rejects with the reason and adds nothing; a released put removes its listener",
    withClock(async (clock) => {
      const queue = new BackpressureQueue<string>({ high: 0, low: 0 });
      await queue.put("a"); // 1 > 0: paused
      const controller = new AbortController();
      const reason = new Error("producer gave up");
      const kept = new AbortController();
      const count = countListeners(kept.signal);
      const aborted = queue.put("dropped", { signal: controller.signal });
      const other = queue.put("kept", { signal: kept.signal });
      await clock.sleep(10);
      controller.abort(reason);
      await rejectsWith(
        aborted,
        { is: reason },
        "put({ signal }) aborted while the queue was paused",
      );
      assert.equal(await queue.get(), "a", "the first item");
      await other;
      assert.equal(
        count.added - count.removed,
        0,
        `a put released by the resume must remove its abort listener; ${count.added} added, ${count.removed} removed`,
      );
      assert.equal(
        await queue.get(),
        "kept",
        "the other producer still goes on after the resume, and the aborted item was never added",
      );
      assert.equal(queue.size, 0, "nothing else is in the queue");
    }),
  );

  it(
    "BackpressureQueue.put() with an already-aborted signal rejects at once and adds nothing, even when not paused",
    withClock(async () => {
      const queue = new BackpressureQueue<string>({ high: 10 });
      const reason = new Error("cancelled");
      await rejectsWith(
        queue.put("x", { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "put() with an aborted signal",
      );
      assert.equal(queue.size, 0, "nothing was added");
    }),
  );

  it(
    "BackpressureQueue.put() aborted after the resume released it, before it ran again, adds nothing",
    withClock(async () => {
      const late = new AbortController();
      const reason = new Error("aborted while released");
      let pauses = 0;
      const queue = new BackpressureQueue<string>({
        high: 0,
        low: 0,
        // The second pause happens inside p1's put, after the resume released p1 and p2 and before
        // p2 has run again: that is where the abort lands.
        onPause: () => ++pauses === 2 && late.abort(reason),
      });
      await queue.put("a"); // paused
      const p1 = queue.put("b");
      const p2 = queue.put("c", { signal: late.signal });
      assert.equal(await queue.get(), "a", "the first item");
      await p1;
      await rejectsWith(
        p2,
        { is: reason },
        "the released put whose signal aborted before it ran again",
      );
      assert.equal(queue.size, 1, `only p1's item may be in the queue; it holds ${queue.size}`);
    }),
  );

  it(
    "BackpressureQueue.get() waits for an item, serves getters first come first served, and an aborted get takes nothing",
    withClock(async (clock) => {
      const queue = new BackpressureQueue<string>({ high: 4, low: 1 });
      const controller = new AbortController();
      const got: string[] = [];
      const g1 = queue.get().then((v) => got.push(`g1:${v}`));
      const gone = queue.get({ signal: controller.signal });
      const g2 = queue.get().then((v) => got.push(`g2:${v}`));
      await clock.sleep(10);
      controller.abort();
      await rejectsWith(gone, { name: "AbortError" }, "get({ signal }) after abort()");
      await queue.put("x");
      await queue.put("y");
      await Promise.all([g1, g2]);
      assert.deepEqual(
        got,
        ["g1:x", "g2:y"],
        "the getters waiting longest get the first items; the aborted one took nothing",
      );
    }),
  );

  it(
    "BackpressureQueue with a steady producer and a slow consumer never holds more than high + 1",
    withClock(async (clock) => {
      const { rec, queue } = recordedQueue({ high: 4, low: 1 });
      let largest = 0;
      const producer = (async () => {
        for (let i = 0; i < 20; i++) {
          await queue.put(i);
          largest = Math.max(largest, queue.size);
        }
      })();
      const consumed: number[] = [];
      for (let i = 0; i < 20; i++) {
        await clock.sleep(10);
        consumed.push(await queue.get());
      }
      await producer;
      assert.deepEqual(
        consumed,
        Array.from({ length: 20 }, (_, i) => i),
        "every item arrives once, in order",
      );
      assert.ok(
        largest <= 5,
        `one producer can take the size to high + 1 = 5 at most; it reached ${largest}`,
      );
      assert.deepEqual(
        rec.times("pause"),
        [0, 40, 80, 120],
        "the producer pauses at 5 items and resumes at 1, every 40 ms (the last 3 items fit below high):\n" +
          rec.format(),
      );
      assert.deepEqual(
        rec.times("resume"),
        [40, 80, 120, 160],
        "it resumes when the consumer has brought the size down to 1:\n" + rec.format(),
      );
    }),
  );
});
