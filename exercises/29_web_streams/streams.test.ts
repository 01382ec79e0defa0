/**
 * Visible tests for 29_web_streams. Run them with `bun test exercises/29_web_streams` or
 * `deno test exercises/29_web_streams`. Time is virtual: the socket, the cursor and the disk of
 * `given_devices.ts` run on timers, and `clock.now()` says exactly when things happen.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rejectsWith, withClock } from "../../lib/mod.ts";
import { copy, cursorStream, diskSink, socketStream, writeAll } from "./streams.ts";
import { Cursor, Disk, Socket } from "./given_devices.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "c0", "c1", ... */
const chunks = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

/** Reads a stream to its end. */
async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

describe("task 1: socketStream()", () => {
  it(
    "socketStream() pauses the socket once highWaterMark chunks are queued",
    withClock(async () => {
      const socket = new Socket(chunks(20));
      const _stream = socketStream(socket); // default highWaterMark: 4 chunks
      await sleep(500); // nobody reads
      assert.equal(
        socket.emitted,
        4,
        `with nobody reading, the queue fills up to highWaterMark (4) and the socket must stop; it pushed ${socket.emitted} chunks`,
      );
      assert.equal(
        socket.reading,
        false,
        "the socket must be paused (readStop()) once the queue is full; it is still reading",
      );
    }),
  );

  it(
    "socketStream() resumes the socket when a reader makes room",
    withClock(async () => {
      const socket = new Socket(chunks(20));
      const reader = socketStream(socket).getReader();
      await sleep(500);
      const first = await reader.read();
      assert.deepEqual(first, { done: false, value: "c0" }, "the first read gets the first chunk");
      await sleep(500);
      assert.equal(
        socket.emitted,
        5,
        `one chunk read makes room for one more: the socket resumes, pushes one chunk and pauses; it pushed ${socket.emitted} in all`,
      );
      assert.equal(socket.reading, false, "the socket must be paused again once the queue is full");
    }),
  );

  it(
    "socketStream() delivers every chunk in order and closes at the socket's end",
    withClock(async () => {
      const socket = new Socket(chunks(10));
      const got = await readAll(socketStream(socket));
      assert.deepEqual(got, chunks(10), `every chunk, in order; yours delivered [${got}]`);
    }),
  );

  it(
    "socketStream() errors the stream with the socket's error",
    withClock(async () => {
      const broken = new Error("connection reset");
      const socket = new Socket(chunks(2), { error: broken });
      await rejectsWith(
        readAll(socketStream(socket)),
        { is: broken },
        "reading a socketStream whose socket fails",
      );
    }),
  );
});

describe("task 2: cursorStream()", () => {
  it(
    "cursorStream() fetches highWaterMark rows ahead, one at a time, before anyone reads",
    withClock(async () => {
      const cursor = new Cursor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const _stream = cursorStream(cursor); // default highWaterMark: 4 rows
      await sleep(500);
      assert.equal(
        cursor.requests,
        4,
        `the stream pulls while desiredSize > 0: 4 rows ahead, then it waits; yours called next() ${cursor.requests} times`,
      );
      assert.equal(
        cursor.maxInFlight,
        1,
        `next() must be called one at a time; yours ran ${cursor.maxInFlight} at once`,
      );
    }),
  );

  it(
    "cursorStream() yields every row in order, then closes the stream and the cursor",
    withClock(async () => {
      const cursor = new Cursor(["a", "b", "c"]);
      const rows = await readAll(cursorStream(cursor));
      assert.deepEqual(rows, ["a", "b", "c"], `every row, in order; yours gave [${rows}]`);
      assert.equal(cursor.closed, true, "the cursor must be closed once its last row was read");
    }),
  );

  it(
    "cursorStream() closes the cursor with the reason when the stream is cancelled",
    withClock(async () => {
      const cursor = new Cursor([1, 2, 3, 4, 5, 6, 7, 8]);
      const stream = cursorStream(cursor);
      await sleep(100);
      const reason = new Error("the user went away");
      await stream.cancel(reason);
      assert.equal(cursor.closed, true, "cancelling the stream must close the cursor");
      assert.equal(
        cursor.closeReason,
        reason,
        `the cursor must be closed with the cancel reason itself; it got ${
          String(cursor.closeReason)
        }`,
      );
    }),
  );
});

describe("task 3: diskSink()", () => {
  it(
    "diskSink() writes every chunk in order, one at a time, and closes the disk",
    withClock(async (clock) => {
      const disk = new Disk(); // 20 ms per write, 20 ms to close
      const writer = diskSink(disk).getWriter();
      const writes = ["a", "b", "c"].map((chunk) => writer.write(chunk));
      await writer.close();
      await Promise.all(writes);
      assert.deepEqual(
        disk.written,
        ["a", "b", "c"],
        `every chunk, in order; the disk got [${disk.written}]`,
      );
      assert.equal(
        disk.maxInFlight,
        1,
        `one write at a time; yours ran ${disk.maxInFlight} at once`,
      );
      assert.equal(disk.closed, true, "closing the stream must close the disk");
      assert.equal(
        clock.now(),
        80,
        `3 writes of 20 ms one after another, then 20 ms to close: t=80; yours ended at t=${clock.now()}`,
      );
    }),
  );

  it(
    "diskSink() makes writer.ready wait once highWaterMark chunks are queued",
    withClock(async (clock) => {
      const writer = diskSink(new Disk()).getWriter(); // default highWaterMark: 2 chunks
      assert.equal(
        writer.desiredSize,
        2,
        `an empty sink wants 2 chunks; desiredSize is ${writer.desiredSize}`,
      );
      void writer.write("a");
      void writer.write("b");
      assert.equal(
        writer.desiredSize,
        0,
        `two chunks queued (one being written counts until it is done): desiredSize 0; yours is ${writer.desiredSize}`,
      );
      await writer.ready;
      assert.equal(
        clock.now(),
        20,
        `ready waits until the first write is done (t=20); yours resolved at t=${clock.now()}`,
      );
      await writer.close();
    }),
  );

  it(
    "diskSink() aborts the disk with the reason when the stream is aborted",
    withClock(async () => {
      const disk = new Disk();
      const stream = diskSink(disk);
      const reason = new Error("cancelled by the user");
      await stream.abort(reason);
      assert.equal(disk.aborted, true, "aborting the stream must abort the disk");
      assert.equal(
        disk.abortReason,
        reason,
        `the disk must get the abort reason itself; it got ${String(disk.abortReason)}`,
      );
    }),
  );
});

describe("task 4: writeAll()", () => {
  it(
    "writeAll() writes every chunk in order, closes the stream and returns the count",
    withClock(async () => {
      const disk = new Disk();
      const count = await writeAll(diskSink(disk), ["a", "b", "c", "d"]);
      assert.equal(
        count,
        4,
        `writeAll() returns how many chunks it wrote; yours returned ${count}`,
      );
      assert.deepEqual(disk.written, ["a", "b", "c", "d"], `the disk got [${disk.written}]`);
      assert.equal(disk.closed, true, "writeAll() must close the stream at the end");
    }),
  );

  it(
    "writeAll() waits for writer.ready: the producer never runs ahead of the water mark",
    withClock(async () => {
      const disk = new Disk(); // 20 ms per write
      let maxAhead = 0;
      function* produce() {
        for (const [given, chunk] of chunks(10).entries()) {
          // `given` chunks went into the stream so far; the disk finished `written` of them.
          maxAhead = Math.max(maxAhead, given - disk.written.length);
          yield chunk;
        }
      }
      await writeAll(diskSink(disk), produce()); // highWaterMark 2
      assert.ok(
        maxAhead <= 2,
        `with highWaterMark 2, at most 2 chunks may be in the stream (queued or being written) when the next one is made; yours had ${maxAhead}`,
      );
      assert.equal(disk.written.length, 10, "all 10 chunks are written in the end");
    }),
  );

  it(
    "writeAll() aborts the stream with signal.reason and rejects with it",
    withClock(async () => {
      const disk = new Disk();
      const controller = new AbortController();
      const reason = new Error("enough");
      setTimeout(() => controller.abort(reason), 30);
      await rejectsWith(
        writeAll(diskSink(disk), chunks(10), { signal: controller.signal }),
        { is: reason },
        "writeAll(10 chunks) aborted at t=30",
      );
      assert.equal(disk.aborted, true, "the stream, and so the disk, must be aborted");
      assert.equal(disk.abortReason, reason, "the disk must get signal.reason itself");
    }),
  );
});

describe("task 5: copy()", () => {
  it(
    "copy() copies every chunk through map, closes the sink and returns the count",
    withClock(async () => {
      const cursor = new Cursor([1, 2, 3]);
      const disk = new Disk();
      const count = await copy(cursorStream(cursor), diskSink(disk), { map: (n) => `row ${n}` });
      assert.equal(count, 3, `copy() returns how many chunks it copied; yours returned ${count}`);
      assert.deepEqual(disk.written, ["row 1", "row 2", "row 3"], `the disk got [${disk.written}]`);
      assert.equal(disk.closed, true, "the sink must be closed at the end");
    }),
  );

  it(
    "copy() stopped by its signal cancels the source and aborts the sink with the reason",
    withClock(async () => {
      const cursor = new Cursor(Array.from({ length: 20 }, (_, i) => i));
      const disk = new Disk();
      const controller = new AbortController();
      const reason = new Error("shutting down");
      setTimeout(() => controller.abort(reason), 50);
      await rejectsWith(
        copy(cursorStream(cursor), diskSink(disk), { map: String, signal: controller.signal }),
        { is: reason },
        "copy() aborted at t=50",
      );
      assert.equal(cursor.closeReason, reason, "the source is cancelled with the reason itself");
      assert.equal(disk.abortReason, reason, "the sink is aborted with the reason itself");
    }),
  );

  it(
    "copy() rejects with the source's error and aborts the sink with it",
    withClock(async () => {
      const broken = new Error("cursor lost its connection");
      const cursor = new Cursor([1, 2, 3, 4], { failAt: 2, error: broken });
      const disk = new Disk();
      await rejectsWith(
        copy(cursorStream(cursor), diskSink(disk), { map: String }),
        { is: broken },
        "copy() from a cursor that fails",
      );
      assert.equal(disk.abortReason, broken, "the sink must be aborted with the source's error");
    }),
  );
});
